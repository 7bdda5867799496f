"""``alize decide``: a session file in, its validity and decisions out; bad files named by path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from alize_adapters.cli import main
from alize_adapters.connectors.session_file import load_session, session_schema
from alize_core import Settings
from alize_core.governance.committee import CommitteeSession
from alize_core.kernel import QUORUM, VOTE_PER, unstructure
from tests.core.test_governance import valid_sessions


DOCS = Path(__file__).resolve().parents[2] / "docs" / "guide" / "session-file.md"

EXAMPLE: dict[str, Any] = {
    "territory": "T1",
    "date": "2026-03-12",
    "settings": {"quorum": 1, "vote_per": "representative", "conflicts_excluded": False},
    "partner_companies": [
        {"id": "C1", "name": "Aciéries de l'Est"},
        {"id": "C2", "name": "Énergie Lorraine"},
    ],
    "attendees": [
        {
            "id": "A1",
            "name": "Alice Martin",
            "role": "company_representative",
            "company": "C1",
            "in_activity": True,
        },
        {
            "id": "A2",
            "name": "Bruno Petit",
            "role": "company_representative",
            "company": "C2",
            "in_activity": False,
        },
        {"id": "OP", "name": "Claire Renard", "role": "local_operator"},
        {"id": "G1", "name": "Gilles Faure", "role": "relay_structure", "presents": ["P2"]},
    ],
    "president": "A1",
    "items": [
        {
            "project": "P1",
            "operator_validated": True,
            "conflicted": [],
            "ballots": {"A1": "for", "A2": "for"},
            "means": {"advance": "25000.00", "mentor_days": 6},
        },
        {
            "project": "P2",
            "operator_validated": True,
            "ballots": {"A1": "for", "A2": "against", "G1": "for"},
        },
        {"project": "P3", "operator_validated": False},
    ],
}


def write(tmp_path: Path, data: object) -> Path:
    """Write a session file."""
    path = tmp_path / "session.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``alize`` in-process; return the status, stdout and stderr."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def changed(path: str, value: object) -> dict[str, Any]:
    """The example with one value replaced, at a path such as ``attendees.2.role``."""
    data: dict[str, Any] = json.loads(json.dumps(EXAMPLE))
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[int(last) if last.isdigit() else last] = value
    return data


def test_the_example_session_is_decided_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Validity first, then each project with its arithmetic."""
    status, out, err = run(capsys, "decide", str(write(tmp_path, EXAMPLE)))

    assert (status, err) == (0, "")
    assert out.startswith("Séance du comité d'agrément du 12/03/2026 (T1) : valide.\n")
    assert "Projet P1 : adopté." in out
    assert (
        "2 représentants d'entreprise présents, 1 pour, 1 contre, 0 abstention ;"
        " il faut plus de la moitié de 2, soit 2 voix : rejeté (GOV-01)"
    ) in out
    assert "Projet P3 : non examiné." in out


def test_the_json_output_has_the_documented_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """{"session": {"valid", "steps"}, "decisions": [{project, outcome, present, for, …}]}."""
    status, out, _ = run(capsys, "decide", str(write(tmp_path, EXAMPLE)), "--format", "json")

    data = json.loads(out)
    assert status == 0
    assert set(data) == {"session", "decisions"}
    assert data["session"]["valid"] is True
    assert {"rule", "passed", "code", "message", "params", "settings"} <= set(
        data["session"]["steps"][0]
    )
    keys = {
        "project",
        "outcome",
        "present",
        "for",
        "against",
        "abstain",
        "required",
        "rules",
        "explanation",
    }
    assert [set(d) for d in data["decisions"]] == [keys] * 3
    first, second, third = data["decisions"]
    assert (first["outcome"], first["present"], first["for"], first["required"]) == (
        "adopted",
        2,
        2,
        2,
    )
    assert (second["outcome"], second["for"], second["against"]) == ("rejected", 1, 1)
    assert "GOV-02" in second["rules"]
    assert (third["outcome"], third["present"], third["rules"]) == ("not_examined", None, ["OP-03"])


def test_the_settings_in_the_file_are_the_territorys_for_the_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quorum of 3 with two representatives present makes the session invalid; exit status stays 0."""
    status, out, _ = run(
        capsys, "decide", str(write(tmp_path, changed("settings.quorum", 3))), "--format", "json"
    )

    data = json.loads(out)
    assert status == 0
    assert data["session"]["valid"] is False
    (quorum,) = [s for s in data["session"]["steps"] if s["code"] == "quorum.not_reached"]
    assert quorum["settings"][0]["value"] == 3
    assert quorum["settings"][0]["territory"] == "T1"
    assert quorum["settings"][0]["start"] == "2026-03-12"
    assert {d["outcome"] for d in data["decisions"]} == {"not_examined"}


def test_a_fraction_quorum_and_one_vote_per_company_are_read_from_the_file(tmp_path: Path) -> None:
    """quorum "1/2" and vote_per company reach the settings, in force from the session's date."""
    data = changed("settings", {"quorum": "1/2", "vote_per": "company"})

    session, settings = load_session(data)

    assert str(settings.value(QUORUM, on=session.date, territory="T1")) == "1/2"
    assert settings.value(VOTE_PER, on=session.date, territory="T1") == "company"
    assert settings.value(VOTE_PER, on=session.date, territory="T2") == "representative"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (changed("attendees.2.role", "chairman"), "attendees[2].role"),
        (changed("attendees.0.colour", "red"), "attendees[0].colour"),
        (changed("colour", "red"), "colour"),
        (changed("items.0.means.advance", 2500.5), "items[0].means.advance"),
        (changed("items.0.means.bonus", "1"), "items[0].means.bonus"),
        (changed("items.0.ballots.A1", "yes"), "items[0].ballots['A1']"),
        (changed("items.0.ballots.Z9", "for"), "items[0].ballots"),
        (changed("items.0.conflicted", ["OP"]), "items[0].conflicted"),
        (changed("attendees.0.company", "C9"), "attendees[0].company"),
        (changed("attendees.0.in_activity", "yes"), "attendees[0].in_activity"),
        (changed("items.0.operator_validated", "no"), "items[0].operator_validated"),
        (changed("items.0.means.mentor_days", "6"), "items[0].means.mentor_days"),
        (changed("attendees.1.name", 7), "attendees[1].name"),
        (changed("president", "Z9"), "president"),
        (changed("date", "2026-02-30"), "date"),
        (changed("settings.colour", 1), "settings.colour"),
        (changed("settings.quorum", 0), "settings.quorum"),
        (changed("settings.vote_per", "person"), "settings.vote_per"),
        (changed("settings", []), "settings"),
        ({k: v for k, v in EXAMPLE.items() if k != "president"}, "president"),
        ([EXAMPLE], "$"),
    ],
)
def test_a_malformed_file_prints_one_line_naming_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, path: str
) -> None:
    """Exit status 1, nothing on stdout, one line on stderr that starts with the path."""
    status, out, err = run(capsys, "decide", str(write(tmp_path, data)))

    assert status == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"alize: error: {path}: ")


def test_a_file_that_is_not_json_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A syntax error names its line."""
    path = tmp_path / "session.json"
    path.write_text('{"territory": "T1",\n "date": }', encoding="utf-8")

    status, _, err = run(capsys, "decide", str(path))

    assert status == 1
    assert re.fullmatch(r"alize: error: line 2: not valid JSON \(.*\)\n", err)


def test_a_missing_file_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No traceback for a file that is not there."""
    status, _, err = run(capsys, "decide", str(tmp_path / "absent.json"))

    assert status == 1
    assert err.count("\n") == 1
    assert "absent.json" in err


def test_the_command_line_prints_no_traceback_for_a_malformed_file(tmp_path: Path) -> None:
    """Run as a program: one line on stderr naming attendees[2].role, non-zero exit."""
    path = write(tmp_path, changed("attendees.2.role", "chairman"))

    done = subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", "decide", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "alize: error: attendees[2].role: 'chairman' must be one of company_representative,"
        " local_operator, relay_structure, other_scheme, public_body"
    ]


def test_the_schema_is_shipped_in_the_package_and_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--schema prints the schema file of the package, a valid JSON Schema."""
    status, out, _ = run(capsys, "decide", "--schema")

    schema = json.loads(out)
    assert status == 0
    assert out == session_schema()
    jsonschema.Draft202012Validator.check_schema(schema)


def test_without_a_file_the_command_says_it_is_needed(capsys: pytest.CaptureFixture[str]) -> None:
    """No session file, no --schema: one line, status 1."""
    status, _, err = run(capsys, "decide")

    assert status == 1
    assert "SESSION.json" in err


def schema_errors(data: object) -> list[str]:
    """What the shipped schema finds wrong with a session file."""
    validator = jsonschema.Draft202012Validator(json.loads(session_schema()))
    return [error.message for error in validator.iter_errors(data)]


def test_the_example_fits_the_schema() -> None:
    """The example of this test file is valid for the schema."""
    assert schema_errors(EXAMPLE) == []


def test_the_documented_example_fits_the_schema_and_is_decided() -> None:
    """The JSON example of docs/guide/session-file.md is valid for the schema and for alize."""
    (block,) = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    data = json.loads(block)

    session, _ = load_session(data)

    assert schema_errors(data) == []
    assert session.items


@pytest.mark.parametrize(
    "data",
    [
        changed("attendees.2.role", "chairman"),
        changed("colour", "red"),
        changed("items.0.means.advance", 2500.5),
        changed("items.0.ballots.A1", "yes"),
        changed("attendees.0.in_activity", None),
        changed("attendees.0.in_activity", "no"),
        changed("items.0.operator_validated", "no"),
        changed("attendees.2.company", "C1"),
        changed("attendees.2.presents", ["P1"]),
        changed("settings.quorum", 0),
        changed("settings.vote_per", "person"),
        {k: v for k, v in EXAMPLE.items() if k != "president"},
    ],
)
def test_the_schema_and_alize_refuse_the_same_malformed_files(data: dict[str, Any]) -> None:
    """Each of these is refused by the schema and by alize."""
    assert schema_errors(data)
    with pytest.raises(Exception, match=r"^\S+: "):
        load_session(data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(valid_sessions())
def test_every_session_alize_writes_fits_the_schema_and_reads_back_equal(
    drawn: tuple[CommitteeSession, Settings],
) -> None:
    """A session written as alize writes it is valid for the schema and loads back equal."""
    session, _ = drawn
    data = json.loads(json.dumps({**unstructure(session), "settings": {"vote_per": "company"}}))

    loaded, settings = load_session(data)

    assert schema_errors(data) == []
    assert loaded == session
    assert settings.value(VOTE_PER, on=session.date, territory=session.territory) == "company"
