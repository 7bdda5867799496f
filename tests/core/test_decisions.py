"""Decisions explain themselves: ordered steps, failed ones first-class, French and machine forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alize_core import DECISION_FORMAT, Decision, Outcome, Settings, UnknownRule, make_step
from alize_core.kernel import QUORUM
from alize_core.kernel.decisions import format_step


MESSAGES = {
    "quorum.reached": "{present} représentant(s) présent(s), quorum {quorum} atteint",
    "operator.absent": "l'opérateur local est absent",
    "means": "avance de {advance} € accordée le {on}",
}
ON = date(2026, 3, 12)


def session_decision() -> Decision:
    """A session decision with a passed and a failed step."""
    quorum = Settings.national().resolve(QUORUM, on=ON, territory="T1")
    return Decision(
        Outcome.INVALID,
        ON,
        "T1",
        "Séance du 12/03/2026",
        (
            make_step(
                MESSAGES,
                "GOV-04",
                True,
                "quorum.reached",
                settings_used=(quorum,),
                present=3,
                quorum=1,
            ),
            make_step(MESSAGES, "GOV-04", False, "operator.absent"),
        ),
    )


def test_failed_steps_are_kept_and_shown() -> None:
    """The reader sees why not: the failed step is in the decision and in its French text."""
    decision = session_decision()

    assert [s.code for s in decision.failed] == ["operator.absent"]
    assert "✗ l'opérateur local est absent (GOV-04)" in decision.explain()
    assert decision.explain().startswith("Séance du 12/03/2026 : invalide.")


def test_parameters_are_written_the_french_way() -> None:
    """Amounts get a decimal comma and dates DD/MM/YYYY in messages."""
    step = make_step(MESSAGES, "GOV-10", True, "means", advance=Decimal("25000.00"), on=ON)

    assert step.message == "avance de 25\u00a0000,00 € accordée le 12/03/2026"


def test_the_machine_form_is_versioned_and_carries_the_settings_used() -> None:
    """to_dict has a format version, the rules, every step, and each setting with its source."""
    data = session_decision().to_dict()

    assert data["format"] == DECISION_FORMAT
    assert data["outcome"] == "invalid"
    assert data["rules"] == ["GOV-04"]
    steps = data["steps"]
    assert isinstance(steps, list)
    assert steps[0]["settings"][0]["name"] == "quorum"
    assert steps[0]["settings"][0]["source"]["section"] == "GOV-04"
    assert steps[1]["passed"] is False


def test_a_step_must_cite_a_registered_rule() -> None:
    """A step citing an unknown rule id is refused when it is made."""
    with pytest.raises(UnknownRule):
        make_step(MESSAGES, "GOV-42", True, "quorum.reached", present=1, quorum=1)


def test_one_step_formatter_marks_passed_failed_and_warned_steps() -> None:
    """format_step is the one rendering of a step: mark, message, rule; the mark says which."""
    messages = {"ok": "quorum atteint", "no": "opérateur absent"}
    passed = make_step(messages, "GOV-04", True, "ok")
    failed = make_step(messages, "GOV-04", False, "no")
    warned = make_step(messages, "GOV-04", True, "ok", warning=True)

    assert [s.mark for s in (passed, failed, warned)] == ["✓", "✗", "!"]
    assert format_step(passed) == "  ✓ quorum atteint (GOV-04)"
    assert format_step(failed, "    ") == "    ✗ opérateur absent (GOV-04)"
    assert format_step(warned, "") == "! quorum atteint (GOV-04)"
    decision = Decision(Outcome.REFUSED, ON, "T1", "Séance", (passed, failed, warned))
    assert decision.explain().splitlines()[1:] == [format_step(s) for s in decision.steps]
