"""
``alize rules``: the rulebook, as text or JSON.

Exit status: 0 (1 only if the output cannot be written).
"""

from __future__ import annotations

import argparse
from typing import Any

from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.rulebook import rulebook_document


def register(subparsers: Any) -> None:
    """Add the ``rules`` command."""
    parser = subparsers.add_parser(
        "rules",
        help="list every rule of the programme with its kind and citation",
        description="List every rule of the programme: id, kind, title, charter section"
        " and the settings a territory may change.",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the rulebook."""
    data = rulebook_document()
    if args.format == "json":
        print(dump_json(data, ascii=False, indent=2))
        return 0
    for item in data:
        print(f"{item['id']:<8} {item['kind']:<16} {item['title']}")
        citation = item["citation"]
        assert isinstance(citation, dict)
        print(f"{'':<8} « {citation['section']} »")
    return 0
