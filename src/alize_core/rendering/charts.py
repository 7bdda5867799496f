"""
Charts drawn as inline SVG (*graphiques*), for the reports' HTML pages.

The activity report (GOV-09, PIL-03) shows three charts: the fund's position
over the year (FUND-05: cash and advances outstanding at the end of each
month), the advances committed against the repayments received each month
(FUND-02: repayments rebuild the fund) and the advances in arrears by bucket
(SCH-06). Each chart is a string of SVG, built here without any library,
network or JavaScript, so an HTML page that embeds it is self-contained and a
browser, a PDF printer or an e-mail client shows it as it is.

Amounts stay :class:`~decimal.Decimal` all the way: the coordinates are
computed in decimals and written with one decimal place, and every bar and
point carries a tooltip (an SVG ``<title>``) with the exact amount in French.
Texts are escaped, so a partner named ``<Acier & Cie>`` cannot break the page.

>>> from decimal import Decimal
>>> svg = bar_chart("Avances en retard", ("0 j", "1–30 j"),
...                 (Series("Montant", (Decimal("0"), Decimal("1250.00"))),))
>>> svg.startswith("<svg") and svg.endswith("</svg>")
True
>>> "1\\xa0250,00\\xa0€" in svg, "<script" in svg
(True, False)
>>> nice_ticks(Decimal("0"), Decimal("183000"))
(Decimal('0'), Decimal('50000'), Decimal('100000'), Decimal('150000'), Decimal('200000'))

A series must give one value per label, never a float:

>>> bar_chart("x", ("a", "b"), (Series("s", (Decimal(1),)),))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: values: 1 value(s) for 2 label(s): give one value per label
>>> Series("s", (0.5,))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: values: 0.5 is a binary float; write amounts as text or Decimal, e.g. "12.50"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Final

import attrs

from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import format_eur, to_money
from alize_core.kernel.validation import check_text, checked


__all__ = [
    "PALETTE",
    "Series",
    "arrears_chart",
    "bar_chart",
    "commitments_repayments_chart",
    "fund_position_chart",
    "line_chart",
    "nice_ticks",
]

PALETTE: Final = ("#1f5f8b", "#e07b39", "#4f9d69", "#b23a48", "#7a5195")
"""The colours of the series, in order (readable in print and by most colour-blind readers)."""

_WIDTH: Final = 680
_HEIGHT: Final = 300
_LEFT: Final = 96
_RIGHT: Final = 16
_TOP: Final = 40
_BOTTOM: Final = 56
_MAX_TICKS: Final = 6
_TENTH: Final = Decimal("0.1")


def _values(value: object) -> tuple[Decimal, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidValue("values", value, "must be a sequence of amounts")
    return tuple(to_money(item, field="values") for item in value)


@attrs.frozen
class Series:
    """
    One named row of amounts to draw (*série*), one amount per label of the chart.

    Attributes:
        name: What the amounts are (shown in the legend).
        values: The amounts, in euros.

    .. versionadded:: 0.1.0
    """

    name: str = attrs.field(validator=checked(check_text))
    values: tuple[Decimal, ...] = attrs.field(converter=_values)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: Decimal) -> str:
    """A coordinate with one decimal place, without a useless ``.0``."""
    text = f"{value.quantize(_TENTH, rounding=ROUND_HALF_UP):f}"
    return text.removesuffix(".0")


def nice_ticks(low: Decimal, high: Decimal) -> tuple[Decimal, ...]:
    """
    The values of the axis' graduations: a round step (1, 2 or 5 × a power of ten) from a
    multiple at or below ``low`` to one at or above ``high``, at most six marks.

    >>> nice_ticks(Decimal("-1200"), Decimal("3100"))
    (Decimal('-2000'), Decimal('0'), Decimal('2000'), Decimal('4000'))
    >>> nice_ticks(Decimal("0"), Decimal("0"))
    (Decimal('0'), Decimal('1'))

    .. versionadded:: 0.1.0
    """
    low = min(low, Decimal(0))
    high = max(high, Decimal(0))
    if low == high:
        return (Decimal(0), Decimal(1))
    span = high - low
    power = Decimal(1).scaleb(span.adjusted() - 1)
    for step in (power * m for m in (1, 2, 5, 10, 20, 50, 100)):
        first = (low / step).to_integral_value(rounding=ROUND_FLOOR)
        last = (high / step).to_integral_value(rounding=ROUND_CEILING)
        if last - first + 1 <= _MAX_TICKS:
            exponent = min(0, int(step.normalize().as_tuple().exponent))
            unit = Decimal(1).scaleb(exponent)
            return tuple(((first + k) * step).quantize(unit) for k in range(int(last - first) + 1))
    raise AssertionError("unreachable: a step of 100 × the span's power always fits")


def _axis_label(value: Decimal, ticks: Sequence[Decimal]) -> str:
    whole = all(tick == tick.to_integral_value() for tick in ticks)
    return format_eur(value, decimals=0 if whole else 2)


class _Frame:
    """The plot area of a chart and the mapping from amounts to coordinates."""

    def __init__(self, labels: Sequence[str], series: Sequence[Series]) -> None:
        values = [v for s in series for v in s.values]
        self.ticks = nice_ticks(min(values, default=Decimal(0)), max(values, default=Decimal(0)))
        self.low, self.high = self.ticks[0], self.ticks[-1]
        self.left, self.top = Decimal(_LEFT), Decimal(_TOP)
        self.width = Decimal(_WIDTH - _LEFT - _RIGHT)
        self.height = Decimal(_HEIGHT - _TOP - _BOTTOM)
        self.count = max(len(labels), 1)
        self.empty = all(v == 0 for v in values)

    def y(self, value: Decimal) -> Decimal:
        return self.top + self.height * (self.high - value) / (self.high - self.low)

    @property
    def slot(self) -> Decimal:
        return self.width / self.count

    def x(self, index: int) -> Decimal:
        """The centre of the ``index``-th label's slot."""
        return self.left + self.slot * index + self.slot / 2


def _check(labels: Sequence[str], series: Sequence[Series]) -> None:
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise InvalidValue("labels", labels, "must be a sequence of texts")
    for label in labels:
        check_text(label, field="labels", max_length=60)
    if not series:
        raise InvalidValue("series", series, "must hold at least one series")
    for item in series:
        if not isinstance(item, Series):
            raise InvalidValue("series", item, "must be a Series")
        if len(item.values) != len(labels):
            msg = f"value(s) for {len(labels)} label(s): give one value per label"
            raise InvalidValue("values", len(item.values), msg)


def _open(title: str, description: str, key: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}"'
        f' width="{_WIDTH}" height="{_HEIGHT}" role="img"'
        f' aria-labelledby="{key}-title {key}-desc" class="chart"'
        ' font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="12">',
        f'<title id="{key}-title">{_e(title)}</title>',
        f'<desc id="{key}-desc">{_e(description)}</desc>',
        f'<rect x="0" y="0" width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>',
        f'<text x="{_LEFT}" y="22" font-size="15" font-weight="bold" fill="#222222">'
        f"{_e(title)}</text>",
    ]


def _axes(frame: _Frame, labels: Sequence[str]) -> list[str]:
    parts = []
    right = frame.left + frame.width
    for tick in frame.ticks:
        y = _n(frame.y(tick))
        colour = "#555555" if tick == 0 else "#dddddd"
        parts.append(
            f'<line x1="{_n(frame.left)}" y1="{y}" x2="{_n(right)}" y2="{y}"'
            f' stroke="{colour}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_n(frame.left - 8)}" y="{y}" text-anchor="end"'
            f' dominant-baseline="middle" fill="#444444">{_e(_axis_label(tick, frame.ticks))}</text>'
        )
    base = _n(frame.top + frame.height + 16)
    parts.extend(
        f'<text x="{_n(frame.x(index))}" y="{base}" text-anchor="middle" fill="#444444">'
        f"{_e(label)}</text>"
        for index, label in enumerate(labels)
    )
    if frame.empty:
        parts.append(
            f'<text x="{_n(frame.left + frame.width / 2)}" y="{_n(frame.top + frame.height / 2)}"'
            ' text-anchor="middle" fill="#777777">aucun montant sur la période</text>'
        )
    return parts


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    x = Decimal(_LEFT)
    y = Decimal(_HEIGHT - 14)
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="12" height="12" fill="{colour}"/>')
        parts.append(
            f'<text x="{_n(x + 18)}" y="{_n(y + 1)}" fill="#222222">{_e(item.name)}</text>'
        )
        x += 40 + 7 * len(item.name)
    return parts


def _tooltip(series: Series, label: str, value: Decimal) -> str:
    return f"<title>{_e(series.name)}, {_e(label)} : {_e(format_eur(value))}</title>"


def _lines(frame: _Frame, labels: Sequence[str], series: Sequence[Series]) -> list[str]:
    parts = []
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{_n(frame.x(i))},{_n(frame.y(v))}" for i, v in enumerate(item.values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"'
            ' stroke-linejoin="round"/>'
        )
        parts.extend(
            f'<circle cx="{_n(frame.x(i))}" cy="{_n(frame.y(v))}" r="3.5" fill="{colour}">'
            f"{_tooltip(item, labels[i], v)}</circle>"
            for i, v in enumerate(item.values)
        )
    return parts


def _bars(frame: _Frame, labels: Sequence[str], series: Sequence[Series]) -> list[str]:
    parts = []
    group = frame.slot * Decimal("0.8")
    width = group / len(series)
    zero = frame.y(Decimal(0))
    for number, item in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        for index, value in enumerate(item.values):
            x = frame.x(index) - group / 2 + width * number
            top = min(frame.y(value), zero)
            height = abs(frame.y(value) - zero)
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(top)}" width="{_n(width)}" height="{_n(height)}"'
                f' fill="{colour}">{_tooltip(item, labels[index], value)}</rect>'
            )
    return parts


def _chart(
    draw: Callable[[_Frame, Sequence[str], Sequence[Series]], list[str]],
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    description: str,
    key: str,
) -> str:
    _check(labels, series)
    frame = _Frame(labels, series)
    parts = _open(title, description or title, key)
    parts += _axes(frame, labels)
    parts += draw(frame, labels, series)
    parts += _legend(series)
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    description: str = "",
    key: str = "chart",
) -> str:
    """
    A line chart: one line per series across the labels (e.g. the months).

    Args:
        title: The chart's title, in French.
        labels: The points of the horizontal axis.
        series: The lines to draw, one amount per label each.
        description: A sentence for readers who cannot see the chart.
        key: A prefix for the ids inside the SVG, unique within the page.

    Returns:
        The chart as an ``<svg>`` element.

    Raises:
        InvalidValue: No series, a series without one amount per label, or a float.

    .. versionadded:: 0.1.0
    """
    return _chart(_lines, title, labels, series, description=description, key=key)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    description: str = "",
    key: str = "chart",
) -> str:
    """
    A bar chart: for each label, one bar per series side by side, from the zero line.

    It takes the same arguments as :func:`line_chart` and refuses the same input.

    .. versionadded:: 0.1.0
    """
    return _chart(_bars, title, labels, series, description=description, key=key)


def fund_position_chart(
    labels: Sequence[str], cash: Sequence[Decimal], outstanding: Sequence[Decimal]
) -> str:
    """
    The fund over the year (FUND-05): its cash and the advances outstanding, month by month.

    Args:
        labels: The points in time (e.g. ``"1 janv."``, then each month's end).
        cash: The fund's cash at each point.
        outstanding: The advances outstanding at each point.

    .. versionadded:: 0.1.0
    """
    return line_chart(
        "Position du fonds sur l'année",
        labels,
        (Series("Trésorerie", tuple(cash)), Series("Encours des avances", tuple(outstanding))),
        description="Trésorerie du fonds et encours des avances à la fin de chaque mois.",
        key="fund-position",
    )


def commitments_repayments_chart(
    labels: Sequence[str], commitments: Sequence[Decimal], repayments: Sequence[Decimal]
) -> str:
    """
    The advances committed against the repayments received, month by month (FUND-02).

    .. versionadded:: 0.1.0
    """
    return bar_chart(
        "Engagements et remboursements par mois",
        labels,
        (
            Series("Avances engagées", tuple(commitments)),
            Series("Remboursements", tuple(repayments)),
        ),
        description="Montant des avances engagées et des remboursements reçus chaque mois.",
        key="commitments-repayments",
    )


def arrears_chart(labels: Sequence[str], amounts: Sequence[Decimal]) -> str:
    """
    The amounts in arrears by bucket of days past due (SCH-06).

    .. versionadded:: 0.1.0
    """
    return bar_chart(
        "Impayés par ancienneté",
        labels,
        (Series("Montant impayé", tuple(amounts)),),
        description="Montant échu et impayé par tranche de jours de retard.",
        key="arrears",
    )
