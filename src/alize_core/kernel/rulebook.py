"""
The rulebook as a document (*le règlement*): every rule of the programme with its kind,
title and citation, and the settings a territory may change — what ``alize rules --format
json`` prints and ``GET /rules`` answers.

>>> rules = rulebook_document()
>>> quorum = next(rule for rule in rules if rule["id"] == "GOV-04")
>>> quorum["settings"]
[{'name': 'quorum', 'default': 1, 'territorial': True}]

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from alize_core.kernel.rules import all_rules
from alize_core.kernel.settings import SETTINGS


__all__ = ["rulebook_document"]


def rulebook_document() -> list[dict[str, object]]:
    """
    Every rule, in the rulebook's order, as JSON-ready data.

    .. versionadded:: 0.1.0
    """
    return [
        {
            "id": r.id,
            "kind": r.kind.value,
            "title": r.title,
            "citation": {"document": r.citation.document, "section": r.citation.section},
            "settings": [
                {
                    "name": d.name,
                    "default": str(d.default)
                    if not isinstance(d.default, bool | int)
                    else d.default,
                    "territorial": d.territorial,
                }
                for d in SETTINGS
                if d.rule == r.id
            ],
        }
        for r in all_rules()
    ]
