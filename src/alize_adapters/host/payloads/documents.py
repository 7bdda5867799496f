"""
Document payloads (*documents*): what the rendering hook takes and returns.

:class:`RenderRequest` names the document (:class:`DocumentKind`) and its content;
a renderer answers with a :class:`RenderedDocument`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from alize_core import InvalidValue
from alize_core.kernel.validation import (
    check_date,
    check_id,
    check_text,
    checked,
)


__all__ = [
    "DocumentKind",
    "RenderRequest",
    "RenderedDocument",
]


class DocumentKind(enum.StrEnum):
    """The documents alize asks renderers for (*documents*)."""

    COOPERATION_AGREEMENT = "cooperation_agreement"
    """The cooperation and development agreement with an SME (CONV-02, OP-02)."""
    SESSION_MINUTES = "session_minutes"
    """The minutes of a committee session (OP-02)."""
    DECISION_LETTER = "decision_letter"
    """The letter telling an SME the committee's decision (GOV-01)."""
    REPAYMENT_SCHEDULE = "repayment_schedule"
    """An advance's repayment schedule (SCH-02)."""
    CALL_FOR_FUNDS = "call_for_funds"
    """The yearly call for funds (PIL-04)."""
    ACTIVITY_REPORT = "activity_report"
    """The approval committee's yearly report (GOV-09, PIL-03)."""


def _text_pairs(value: object, *, field: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValue(field, value, "must be a tuple of (label, text) pairs")
    for pair in value:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise InvalidValue(field, pair, "must be a (label, text) pair")
        check_text(pair[0], field=field)
        if not isinstance(pair[1], str):
            raise InvalidValue(field, pair[1], "must be text")


@attrs.frozen(kw_only=True)
class RenderRequest:
    """
    The payload of ``alize_render_document``: a document to produce (*document à éditer*).

    Attributes:
        kind: Which document.
        territory: The territory's id.
        on: The date the document bears.
        title: Its title, in French.
        fields: Its content as ordered ``(label, text)`` pairs, already formatted in French.
        template: The name of a template the operator chose, if any.
    """

    kind: DocumentKind = attrs.field(validator=attrs.validators.instance_of(DocumentKind))
    territory: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    title: str = attrs.field(validator=checked(check_text))
    fields: tuple[tuple[str, str], ...] = attrs.field(default=(), validator=checked(_text_pairs))
    template: str | None = None


def _bytes(value: object, *, field: str) -> None:
    if not isinstance(value, bytes):
        raise InvalidValue(field, value, "must be bytes")


@attrs.frozen(kw_only=True)
class RenderedDocument:
    """
    A document produced by a renderer (*document édité*).

    Attributes:
        media_type: Its media type, e.g. ``text/plain; charset=utf-8`` or ``application/pdf``.
        filename: A file name for it.
        content: Its bytes.
        renderer: The name of the adapter that rendered it (set by the host).
    """

    media_type: str = attrs.field(validator=checked(check_text))
    filename: str = attrs.field(validator=checked(check_id))
    content: bytes = attrs.field(validator=checked(_bytes))
    renderer: str = ""
