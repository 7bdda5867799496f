"""Demo part: the sample territory and the rulebook."""

from __future__ import annotations

from alize_adapters.demo import DemoContext, sample
from alize_core import RuleKind, all_rules, format_eur
from alize_core.kernel.serialization import dumps, loads


TITLE = "The territory and the rulebook"


def run(context: DemoContext) -> None:
    """Show the sample territory and what is in force there."""
    territory = sample.territory()
    context.say(
        f"{territory.name}: départements {', '.join(sorted(territory.departements))},"
        f" {len(territory.communes)} communes beyond; operator {sample.operator().name}."
    )
    context.say(
        f"{len(sample.partners())} partner companies, {len(sample.representatives())}"
        f" representatives, {len(sample.smes())} SMEs with projects."
    )
    kinds = {kind: sum(1 for r in all_rules() if r.kind is kind) for kind in RuleKind}
    context.say(
        f"Rulebook: {len(all_rules())} rules ("
        + ", ".join(f"{count} {kind.value}" for kind, count in kinds.items())
        + ")."
    )
    sme = sample.smes()[0]
    text = dumps(sme)
    assert loads(text, type(sme)) == sme
    context.say(
        f"Example: a JSON round trip of {sme.name} (turnover {format_eur(sme.turnover, decimals=0)}):"
        f" {len(text)} characters, read back equal."
    )
