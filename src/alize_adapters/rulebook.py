"""
The rulebook pages (*le règlement, règle par règle*): one generated page per rule id.

Each page says what the rule is (id, title, kind, the charter section it cites,
never the charter's text), the settings a territory may change with their
national defaults and dates, the code that implements it, examples that run as
doctests and the tests that exercise it. The pages are generated from the
registry and from a scan of the source and tests, so they cannot drift from the
code: ``nox -s rulebook`` rewrites them and a test fails when the committed
pages are stale.

The scan also checks the project's own promises: every rule is cited by code
and by at least one test, and every step code that the code emits has a French
message.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final

import attrs

from alize_core import RULEBOOK, Rule
from alize_core.kernel.settings import SETTINGS


__all__ = ["RuleIndex", "generate", "main", "message_problems", "scan", "stale_pages"]

PAGES_DIR: Final = Path("docs") / "rules"


@attrs.frozen
class Place:
    """A place in the source that cites a rule: a file and the function or class there."""

    path: str
    name: str


@attrs.frozen
class Example:
    """A docstring with doctest examples, from a module of the core, that cites a rule."""

    module: str
    name: str
    text: str


@attrs.define
class RuleIndex:
    """What the scan found for every rule id."""

    code: dict[str, list[Place]] = attrs.field(factory=lambda: defaultdict(list))
    tests: dict[str, list[Place]] = attrs.field(factory=lambda: defaultdict(list))
    examples: dict[str, list[Example]] = attrs.field(factory=lambda: defaultdict(list))


def _citing(text: str) -> set[str]:
    return {rule_id for rule_id in RULEBOOK if rule_id in text}


def _scopes(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """The module and every function and class in it, with their dotted names."""
    found: list[tuple[str, ast.AST]] = [("", tree)]

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                found.append((name, child))
                visit(child, f"{name}.")

    visit(tree, "")
    return found


def _own_source(node: ast.AST, lines: list[str]) -> str:
    """The text of a scope without the bodies of the functions and classes nested in it."""
    if isinstance(node, ast.Module):
        nested = [
            (n.lineno, n.end_lineno or n.lineno)
            for n in node.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        keep = [
            line
            for number, line in enumerate(lines, start=1)
            if not any(start <= number <= end for start, end in nested)
        ]
        return "\n".join(keep)
    start = getattr(node, "lineno", 1)
    end = getattr(node, "end_lineno", start) or start
    return "\n".join(lines[start - 1 : end])


def scan(root: Path) -> RuleIndex:
    """
    Find, for every rule id, the code citing it, the tests citing it and doctested examples.

    Args:
        root: The project's root (the folder holding ``src/`` and ``tests/``).
    """
    index = RuleIndex()
    for path in sorted((root / "src").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if path.name == "rules.py" or relative.endswith("rulebook.py"):
            continue  # the registry and this generator name every rule without applying it
        tree = ast.parse(text)
        lines = text.splitlines()
        module = ".".join(path.relative_to(root / "src").with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for name, node in _scopes(tree):
            own = _own_source(node, lines)
            for rule_id in sorted(_citing(own)):
                index.code[rule_id].append(Place(relative, name or "(module)"))
            docstring = (
                ast.get_docstring(node, clean=True)
                if isinstance(
                    node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                )
                else None
            )
            if docstring and ">>>" in docstring and module.startswith("alize_core"):
                for rule_id in sorted(_citing(docstring)):
                    index.examples[rule_id].append(Example(module, name or module, docstring))
    for path in sorted((root / "tests").rglob("test_*.py")):
        relative = path.relative_to(root).as_posix()
        if path.name in {"test_rules.py", "test_rulebook.py"}:
            continue  # the registry's own tests name rules without exercising them
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        class_rules: dict[str, set[str]] = {}
        for name, node in _scopes(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                class_rules[name] = _citing(ast.get_docstring(node) or "")
            if not name.split(".")[-1].startswith("test"):
                continue
            # A test method also exercises the rules its class's docstring names.
            inherited = class_rules.get(name.rpartition(".")[0], set())
            for rule_id in sorted(_citing(_own_source(node, lines)) | inherited):
                index.tests[rule_id].append(Place(relative, name))
    return index


def _doctest_lines(docstring: str) -> str:
    """The examples of a docstring: its ``>>>`` lines and their expected output."""
    kept: list[str] = []
    in_example = False
    for line in docstring.splitlines():
        stripped = line.strip()
        if stripped.startswith((">>>", "...")) and (stripped.startswith(">>>") or in_example):
            kept.append(stripped)
            in_example = True
        elif in_example and stripped and not stripped.startswith(".. "):
            kept.append(stripped)
        else:
            in_example = False
    return "\n".join(kept)


def render_page(rule: Rule, index: RuleIndex) -> str:
    """The MyST page of one rule."""
    out = [
        f"# {rule.id}",
        "",
        f"**{rule.title}**",
        "",
        "| | |",
        "| --- | --- |",
        f"| kind | {rule.kind.value} |",
        f"| source | {rule.citation.document}, section « {rule.citation.section} » |",
        f"| section fingerprint | `{rule.citation.fingerprint}` |",
        "",
        "## Settings a territory may change",
        "",
    ]
    settings = [d for d in SETTINGS if d.rule == rule.id]
    if settings:
        out += [
            "| setting | national default | in force from | territory may set | what it decides |",
            "| --- | --- | --- | --- | --- |",
        ]
        for d in settings:
            territorial = "yes" if d.territorial else "no (fixed by the charter)"
            out.append(
                f"| `{d.name}` | `{d.default}` | 1997-01-01 | {territorial} | {d.description} |"
            )
    else:
        out.append("None: the rule applies as written everywhere.")
    out += ["", "## The code that implements it", ""]
    for place in index.code.get(rule.id, []):
        out.append(f"- `{place.path}`: `{place.name}`")
    if not index.code.get(rule.id):
        out.append("Not yet implemented.")
    examples = sorted(index.examples.get(rule.id, []), key=lambda e: (len(e.text), e.name))[:2]
    out += ["", "## Examples", ""]
    if examples:
        for number, example in enumerate(examples, start=1):
            group = f"{rule.id}-{number}"
            out += [
                f"From `{example.module}` (`{example.name}`):",
                "",
                f"```{{testsetup}} {group}",
                f"import {example.module} as _module",
                "globals().update(vars(_module))",
                "```",
                "",
                f"```{{doctest}} {group}",
                _doctest_lines(example.text),
                "```",
                "",
            ]
    else:
        out.append("See the guides.")
        out.append("")
    out += ["## The tests that exercise it", ""]
    for place in index.tests.get(rule.id, []):
        out.append(f"- `{place.path}::{place.name}`")
    if not index.tests.get(rule.id):
        out.append("None yet.")
    return "\n".join(out).rstrip() + "\n"


def render_index() -> str:
    """The rulebook's contents page."""
    out = [
        "# The rulebook",
        "",
        "Every rule of the programme, one page each, generated from the registry",
        "(`nox -s rulebook`). Each cites the section of the programme's charter it comes",
        "from; the charter's text itself is not reproduced.",
        "",
        "| id | kind | rule |",
        "| --- | --- | --- |",
    ]
    out += [f"| [{r.id}]({r.id}.md) | {r.kind.value} | {r.title} |" for r in RULEBOOK.values()]
    out += ["", "```{toctree}", ":hidden:", "", *RULEBOOK, "```"]
    return "\n".join(out) + "\n"


def generate(root: Path) -> dict[Path, str]:
    """Every rulebook page, by path relative to the root."""
    index = scan(root)
    pages = {PAGES_DIR / "index.md": render_index()}
    for rule in RULEBOOK.values():
        pages[PAGES_DIR / f"{rule.id}.md"] = render_page(rule, index)
    return pages


def stale_pages(root: Path) -> list[str]:
    """The rulebook pages that differ from what the registry and the code generate now."""
    wanted = generate(root)
    found = {p.relative_to(root) for p in (root / PAGES_DIR).glob("*.md")}
    stale = [
        path.as_posix()
        for path, text in wanted.items()
        if not (root / path).exists() or (root / path).read_text(encoding="utf-8") != text
    ]
    stale += [path.as_posix() for path in sorted(found - set(wanted))]
    return sorted(stale)


def _module_of(core: Path, path: Path) -> str:
    """The dotted name of a core module from its path."""
    parts = ("alize_core", *path.relative_to(core).with_suffix("").parts)
    return ".".join(parts).removesuffix(".__init__")


def _message_tables(path: Path, tree: ast.Module, problems: list[str]) -> dict[str, set[str]]:
    """The message tables a module defines (name -> codes); empty messages are reported."""
    tables: dict[str, set[str]] = {}
    for node in tree.body:
        target = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        if target and isinstance(value, ast.Call) and value.args:
            value = value.args[0]  # MappingProxyType({...})
        if target and isinstance(value, ast.Dict):
            keys = {k.value for k in value.keys if isinstance(k, ast.Constant)}
            tables[target] = {str(k) for k in keys}
            for key, text in zip(value.keys, value.values, strict=True):
                if isinstance(text, ast.Constant) and not str(text.value).strip():
                    problems.append(f"{path.name}: message {key!r} is empty")
    return tables


def _codes_without_message(
    path: Path, tree: ast.Module, tables: Mapping[str, set[str]]
) -> Iterator[str]:
    """The ``make_step`` calls of a module whose code is not in the table they name."""
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "make_step"):
            continue
        if len(call.args) < 4 or not isinstance(call.args[0], ast.Name):
            continue
        table, code = call.args[0].id, call.args[3]
        if isinstance(code, ast.Constant) and str(code.value) not in tables.get(table, set()):
            yield f"{path.name}:{call.lineno}: step code {code.value!r} has no message in {table}"


def message_problems(root: Path) -> list[str]:
    """
    Step codes emitted without a French message, found by reading the source.

    A call ``make_step(MESSAGES, rule, passed, "code", ...)`` must name a code that the
    ``MESSAGES`` table of the same module has; every message must be non-empty text.
    """
    problems: list[str] = []
    core = root / "src" / "alize_core"
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(core.rglob("*.py"))
    }
    defined = {  # module -> table name -> codes
        _module_of(core, path): _message_tables(path, tree, problems)
        for path, tree in trees.items()
    }
    for path, tree in trees.items():
        tables = dict(defined[_module_of(core, path)])
        for node in tree.body:  # a table imported from another module of the core
            if isinstance(node, ast.ImportFrom) and node.module in defined:
                for alias in node.names:
                    if alias.name in defined[node.module]:
                        tables[alias.asname or alias.name] = defined[node.module][alias.name]
        problems.extend(_codes_without_message(path, tree, tables))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Write the rulebook pages under ``docs/rules`` (``python -m alize_adapters.rulebook ROOT``)."""
    root = Path((argv if argv is not None else sys.argv[1:] or ["."])[0]).resolve()
    pages = generate(root)
    target = root / PAGES_DIR
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.md"):
        if old.relative_to(root) not in pages:
            old.unlink()
    for path, text in pages.items():
        (root / path).write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} rulebook pages to {target}")  # noqa: T201 - a command's report
    return 0


if __name__ == "__main__":
    sys.exit(main())
