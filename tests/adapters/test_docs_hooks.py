"""Every hook and every backend operation is documented, under its exact signature."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from alize_adapters.host import backends, hook_names, hook_signature, hook_specification


DOCS = Path(__file__).resolve().parents[2] / "docs"
PROTOCOLS = {
    "crm-backend": backends.CrmBackend,
    "accounting-backend": backends.AccountingBackend,
    "document-backend": backends.DocumentBackend,
    "notification-backend": backends.NotificationBackend,
}


def signature(function: Callable[..., object]) -> str:
    """A function's signature as a heading writes it: self left out, `*` kept."""
    found = inspect.signature(function)
    parts, keyword_only = [], False
    for parameter in found.parameters.values():
        if parameter.name == "self":
            continue
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
            parts.append("*")
            keyword_only = True
        parts.append(f"{parameter.name}: {parameter.annotation}")
    return f"{function.__name__}({', '.join(parts)}) -> {found.return_annotation}"


def headings(path: Path, level: str) -> list[str]:
    """The headings of a level (``#``, ``##``) of a Markdown page, without backticks."""
    pattern = re.compile(rf"^{level} (.+)$")
    found, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := pattern.match(line)):
            found.append(match[1].strip("`"))
    return found


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_has_a_page_headed_by_its_exact_signature(name: str) -> None:
    """docs/hooks/<hook>.md exists and its title is the hook's signature, character for character."""
    page = DOCS / "hooks" / f"{name}.md"

    assert page.is_file(), f"the hook {name} has no page in docs/hooks/"
    assert headings(page, "#") == [signature(hook_specification(name))]


@pytest.mark.parametrize("name", hook_names())
def test_every_hook_page_says_when_it_is_called_and_shows_an_example_that_runs(
    name: str,
) -> None:
    """Each page has its label, says when the hook is called, and a doctest implementing it."""
    text = (DOCS / "hooks" / f"{name}.md").read_text(encoding="utf-8")

    assert text.startswith(f"(adapter-hook-{name})=\n")
    assert "**When it is called**" in text
    assert "```{doctest}" in text
    assert f"def {name}(" in text


def test_no_page_documents_a_hook_that_does_not_exist() -> None:
    """A renamed or removed hook leaves no stale page behind."""
    pages = sorted(path.stem for path in (DOCS / "hooks").glob("*.md"))

    assert pages == sorted(hook_names())


def test_the_hooks_guide_lists_every_hook() -> None:
    """The overview table links every hook's page."""
    text = (DOCS / "guide" / "hooks.md").read_text(encoding="utf-8")

    assert [name for name in hook_names() if f"<adapter-hook-{name}>" not in text] == []


@pytest.mark.parametrize("page", sorted(PROTOCOLS))
def test_every_backend_operation_is_documented_under_its_exact_signature(page: str) -> None:
    """docs/backends/<protocol>.md has a heading per method, with its exact signature."""
    protocol = PROTOCOLS[page]
    methods = [m for n, m in vars(protocol).items() if not n.startswith("_") and callable(m)]

    assert headings(DOCS / "backends" / f"{page}.md", "#") == [protocol.__name__]
    assert headings(DOCS / "backends" / f"{page}.md", "##")[:-2] == [signature(m) for m in methods]


def test_the_cli_prints_the_signatures_the_pages_show() -> None:
    """`alize adapters hooks` and the pages agree."""
    assert [hook_signature(name) for name in hook_names()] == [
        signature(hook_specification(name)) for name in hook_names()
    ]
