"""The rulebook pages are current; every rule is implemented and tested; every step code speaks French."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alize_adapters.rulebook import (
    PAGES_DIR,
    RuleIndex,
    generate,
    message_problems,
    scan,
    stale_pages,
)
from alize_core import RULEBOOK


ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_rulebook_pages_are_current() -> None:
    """docs/rules/ is what `nox -s rulebook` generates now (run it and commit when this fails)."""
    assert stale_pages(ROOT) == []


def test_there_is_a_page_for_every_rule() -> None:
    """One page per rule id, plus the contents page."""
    pages = generate(ROOT)

    assert {p.stem for p in pages} == {*RULEBOOK, "index"}


@pytest.fixture(scope="module")
def index() -> RuleIndex:
    """The project's rule index, scanned once for the tests that only read it."""
    return scan(ROOT)


def test_every_rule_is_cited_by_code(index: RuleIndex) -> None:
    """No rule of the rulebook is left without code that applies it."""
    assert [r for r in RULEBOOK if not index.code.get(r)] == []


def test_every_rule_is_exercised_by_a_test(index: RuleIndex) -> None:
    """Every rule id is named by at least one test (its docstring or its body)."""
    assert [r for r in RULEBOOK if not index.tests.get(r)] == []


def test_every_step_code_has_a_french_message() -> None:
    """Each make_step(...) code the core emits is in its module's table of messages."""
    assert message_problems(ROOT) == []


@pytest.fixture
def copy_of_the_project(tmp_path: Path) -> Path:
    """A copy of src/, tests/ and the rulebook pages to tamper with."""
    for folder in ("src", "tests", PAGES_DIR.as_posix()):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def test_an_edited_page_is_found_stale(copy_of_the_project: Path) -> None:
    """The staleness check fails when a page was edited by hand."""
    page = copy_of_the_project / PAGES_DIR / "GOV-01.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA hand-written line.\n", encoding="utf-8")

    assert stale_pages(copy_of_the_project) == ["docs/rules/GOV-01.md"]


def test_a_test_citing_a_rule_makes_its_page_stale(copy_of_the_project: Path) -> None:
    """A new test naming GOV-06 changes GOV-06's page, so the committed page is stale."""
    new = copy_of_the_project / "tests" / "test_extra.py"
    new.write_text('def test_extra() -> None:\n    """GOV-06 again."""\n', encoding="utf-8")

    assert stale_pages(copy_of_the_project) == ["docs/rules/GOV-06.md"]


def test_a_step_code_without_a_message_is_found(copy_of_the_project: Path) -> None:
    """The message check names a make_step call whose code has no French message."""
    module = copy_of_the_project / "src" / "alize_core" / "extra.py"
    module.write_text(
        'MESSAGES = {"ok": "tout va bien"}\n'
        'def f():\n    return make_step(MESSAGES, "GOV-01", True, "missing")\n',
        encoding="utf-8",
    )

    assert message_problems(copy_of_the_project) == [
        "extra.py:3: step code 'missing' has no message in MESSAGES"
    ]
