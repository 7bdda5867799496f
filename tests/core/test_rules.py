"""The rulebook: every rule registered with a kind and a citation; every id used in code exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alize_core import RULEBOOK, RuleKind, UnknownRule, all_rules, rule
from alize_core.kernel import charter_drift
from alize_core.kernel.rules import CHARTER


ROOT = Path(__file__).resolve().parents[2]
RULES_MD = ROOT.parent / "shared" / "RULES.md"
CHARTER_TEXT = ROOT.parent / "shared" / "seed" / "charter-alize.txt"
RULE_ID = re.compile(r"\b(?:GOV|OP|PIL|NAT|CONV|FUND|ACC|ELIG|SCH)-\d{2}\b")


def test_every_rule_has_a_kind_a_title_and_a_charter_section() -> None:
    """Each rule cites a section of the charter and has a title in our words."""
    for item in all_rules():
        assert item.citation.document == CHARTER
        assert item.citation.section
        assert len(item.title) > 20
        assert isinstance(item.kind, RuleKind)


def test_an_unknown_id_is_an_error_naming_it() -> None:
    """Asking for a rule that does not exist names the id."""
    with pytest.raises(UnknownRule, match="XYZ-01"):
        rule("XYZ-01")


def test_every_rule_id_written_in_the_code_is_registered() -> None:
    """A rule id anywhere in src/ is in the rulebook (no typo, no invented rule)."""
    used = set()
    for path in (ROOT / "src").rglob("*.py"):
        used |= set(RULE_ID.findall(path.read_text(encoding="utf-8")))

    assert used, "the scan found no rule id at all"
    assert used - set(RULEBOOK) == set()


@pytest.mark.skipif(
    not RULES_MD.exists(), reason="the programme's RULES.md is not beside the checkout"
)
def test_the_rulebook_matches_the_programme_rules_ids_and_kinds() -> None:
    """Every id of the programme's RULES.md is registered, with the same kind, and no other."""
    rows = re.findall(
        r"^\| ([A-Z]+-\d{2}) \| ([a-z +]+) \|", RULES_MD.read_text(encoding="utf-8"), re.M
    )
    expected = {rule_id: kind.replace(" ", "") for rule_id, kind in rows}

    assert {r.id: r.kind.value for r in all_rules()} == expected


@pytest.mark.skipif(not CHARTER_TEXT.exists(), reason="the charter is not beside the checkout")
def test_every_cited_section_is_a_heading_of_the_charter() -> None:
    """Each citation's section title is one of the charter's headings, letter for letter."""
    headings = {
        line.removeprefix("■").strip().strip("*").strip()
        for line in CHARTER_TEXT.read_text(encoding="utf-8").splitlines()
        if line.startswith("■")
    }

    assert {r.citation.section for r in all_rules()} <= headings


def charter_or_skip() -> str:
    """The programme's charter text, read from beside the checkout."""
    if not CHARTER_TEXT.exists():
        pytest.skip("the charter is not beside the checkout")
    return CHARTER_TEXT.read_text(encoding="utf-8")


def test_every_cited_section_still_has_the_text_the_rules_were_written_from() -> None:
    """No cited section of the charter changed since its rules were written (drift check)."""
    assert charter_drift(charter_or_skip()) == ()


def test_a_changed_section_names_the_rules_that_cite_it() -> None:
    """Changing one word of the approval committee's section flags GOV-01 to GOV-11, and nothing else."""
    charter = charter_or_skip()
    heading = next(line for line in charter.splitlines() if "Le comité d'agrément" in line)
    start = charter.index(heading) + len(heading)
    altered = charter[:start] + "\nUne phrase ajoutée au texte." + charter[start:]

    drifts = charter_drift(altered)

    assert [d.section for d in drifts] == [heading.strip("■ *")]
    assert drifts[0].reason == "changed"
    assert drifts[0].rules == tuple(f"GOV-{n:02}" for n in range(1, 12))


def test_a_removed_section_is_reported_missing_with_its_rules() -> None:
    """A cited section that disappears is reported with the rules left without a source."""
    charter = charter_or_skip()
    altered = charter.replace("■ **« L'opérateur local » gère", "■ **Le gestionnaire")

    drifts = charter_drift(altered)

    assert [(d.reason, d.rules) for d in drifts] == [("missing", ("OP-01", "OP-02", "OP-03"))]


def test_rewrapping_a_paragraph_is_not_a_change() -> None:
    """White space is folded: re-wrapping the charter's paragraphs flags nothing."""
    charter = charter_or_skip()
    rewrapped = "\n".join(
        line if line.startswith("■") else line.replace(", ", ",\n   ")
        for line in charter.splitlines()
    )

    assert rewrapped != charter
    assert charter_drift(rewrapped) == ()
