"""`alize show`, `alize report fund` and `alize token`: the core's documents, printed; tokens made, listed, revoked."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.storage.sqlite import SqliteStore, read_events
from alize_adapters.storage.tokens import authenticate
from alize_core.register.storage import load
from alize_core.register.views import Register
from alize_core.reporting.documents import (
    Document,
    advance_document,
    fund_document,
    person_document,
    project_document,
    session_document,
    territory_document,
)
from alize_core.reporting.history import registers_at
from tests.adapters.territory_files import TERRITORY_TOML, record_text


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register founded from the territory file, then its first months recorded."""
    folder = tmp_path_factory.mktemp("show")
    path = folder / "alize.db"
    (folder / "meuse.toml").write_text(TERRITORY_TOML, encoding="utf-8")
    (folder / "year.jsonl").write_text(record_text(), encoding="utf-8")
    assert main(["init", str(folder / "meuse.toml"), "--db", str(path)]) == 0
    assert main(["record", str(folder / "year.jsonl"), "--db", str(path)]) == 0
    return path


def _register(db: Path) -> Register:
    with SqliteStore(db, create=False) as store:
        return load(store)


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


SHOWN: list[tuple[list[str], Callable[[Register], Document]]] = [
    (["territory"], territory_document),
    (["project", "P1"], lambda r: project_document(r, "P1")),
    (["session", "S1"], lambda r: session_document(r, "S1")),
    (["advance", "P1"], lambda r: advance_document(r, "P1", date(2026, 4, 30))),
    (
        ["advance", "P1", "--on", "2026-09-30"],
        lambda r: advance_document(r, "P1", date(2026, 9, 30)),
    ),
    (["person", "R3"], lambda r: person_document(r, "R3")),
]


@pytest.mark.parametrize(
    ("words", "document"), SHOWN, ids=lambda x: " ".join(x) if isinstance(x, list) else ""
)
def test_show_as_json_is_the_core_document(
    db: Path,
    capsys: pytest.CaptureFixture[str],
    words: list[str],
    document: Callable[[Register], Document],
) -> None:
    shown = _json(capsys, "show", *words, "--db", str(db))

    assert shown == document(_register(db))


def test_show_session_explains_the_decision_in_french_with_its_rules(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "session", "S1", "--db", str(db)]) == 0

    out = capsys.readouterr().out
    assert "Session S1 of 2026-03-12 (closed)" in out
    assert "Projet P1 : adopté." in out
    assert "2 pour, 1 contre" in out
    assert "P1: adopted (OP-03, GOV-02, GOV-03, GOV-01, GOV-10)" in out


def test_show_advance_gives_its_arrears_on_the_date(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Repaid April only: on 30 September five instalments of 1,000 € are unpaid."""
    assert main(["show", "advance", "P1", "--on", "2026-09-30", "--db", str(db)]) == 0

    out = capsys.readouterr().out
    figure = _register(db).portfolio(date(2026, 9, 30)).advances[0]
    assert f"arrears {figure.arrears:,.2f}".replace(",", " ").replace(".", ",") in out
    assert "On 2026-09-30: disbursed" in out


def test_show_territory_lists_partners_and_people(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "territory", "--db", str(db)]) == 0

    out = capsys.readouterr().out
    assert out.startswith("Territory MEUSE: Vallée de la Meuse (validated")
    assert "  ACIER  Aciéries de l'Est" in out
    assert "  M1  mentor  ACIER" in out


def test_show_person_shows_ids_not_names(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "person", "R3", "--db", str(db)]) == 0

    out = capsys.readouterr().out
    assert "Person R3: company_representative of TRANS" in out
    assert "voted against on P1 at S1" in out


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["project", "P9"], "project: 'P9' is not in the register"),
        (["session", "S9"], "session: 'S9' is not in the register"),
        (["advance", "P9"], "advance: 'P9' is not in the register"),
        (["person", "X9"], "person: 'X9' is not in the register"),
    ],
)
def test_an_unknown_id_is_one_line_exit_1(
    db: Path, capsys: pytest.CaptureFixture[str], words: list[str], expected: str
) -> None:
    assert main(["show", *words, "--db", str(db)]) == 1

    assert capsys.readouterr().err == f"alize: error: {expected}\n"


def test_report_fund_as_json_is_the_fund_document_on_the_date(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An earlier date reads the register as it stood then."""
    on = date(2026, 3, 31)
    shown = _json(capsys, "report", "fund", "--on", on.isoformat(), "--db", str(db))

    (then,) = registers_at(read_events(db), [on])
    assert shown == fund_document(then, on)
    assert isinstance(shown, dict)
    assert shown["position"]["cash"] == "36000.00"


def test_report_fund_as_text_says_whether_it_balances(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "fund", "--on", "2026-12-31", "--db", str(db)]) == 0

    out = capsys.readouterr().out
    assert "Fund of MEUSE on 2026-12-31:" in out
    assert "Balances (FUND-05): yes" in out
    assert "cash 37 000,00 €" in out


# --- alize token ---


def test_a_token_is_printed_once_and_authenticates_its_actor(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _json(capsys, "token", "add", "OP1", "--db", str(db))
    assert isinstance(made, dict)

    with SqliteStore(db, create=False) as store:
        assert authenticate(store, made["token"]) == "OP1"
    listed = _json(capsys, "token", "list", "--db", str(db))
    assert isinstance(listed, list)
    assert {
        "id": made["id"],
        "actor": "OP1",
        "created_at": made["created_at"],
        "revoked": False,
    } in listed
    assert made["token"] not in json.dumps(listed)


def test_a_revoked_token_no_longer_authenticates(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _json(capsys, "token", "add", "R1", "--db", str(db))
    assert isinstance(made, dict)

    assert main(["token", "revoke", made["id"], "--db", str(db)]) == 0

    assert capsys.readouterr().out == "1 token revoked\n"
    with SqliteStore(db, create=False) as store:
        assert authenticate(store, made["token"]) is None
    assert main(["token", "revoke", made["id"], "--db", str(db)]) == 1
    assert "is not a live token of this register" in capsys.readouterr().err


def test_revoking_an_actor_revokes_each_of_their_tokens(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        assert main(["token", "add", "R2", "--db", str(db)]) == 0
    capsys.readouterr()

    assert main(["token", "revoke", "--actor", "R2", "--db", str(db)]) == 0

    assert capsys.readouterr().out == "2 tokens revoked\n"


def test_a_token_for_someone_the_register_does_not_know_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["token", "add", "NOBODY", "--db", str(db)]) == 1

    assert "ACTOR: 'NOBODY' is not a person of the register" in capsys.readouterr().err


def test_the_token_text_shows_the_secret_once(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["token", "add", "CN", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    secret = out.splitlines()[1]

    assert secret.startswith("alz_")
    assert main(["token", "list", "--db", str(db)]) == 0
    assert secret not in capsys.readouterr().out
