"""Charts: self-contained SVG whose bars and points are where their amounts say."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core import InvalidValue
from alize_core.rendering import (
    Series,
    arrears_chart,
    bar_chart,
    commitments_repayments_chart,
    fund_position_chart,
    line_chart,
    nice_ticks,
)


SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ("janv.", "févr.", "mars")
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


def rects(svg: str) -> list[ET.Element]:
    """The bars of a chart (the white background excluded)."""
    root = ET.fromstring(svg)
    return [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def test_a_chart_is_well_formed_svg_with_a_title() -> None:
    """The SVG parses as XML and names itself for screen readers."""
    svg = fund_position_chart(
        MONTHS, (Decimal(100), Decimal(90), Decimal(80)), (Decimal(0), Decimal(10), Decimal(20))
    )

    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == "Position du fonds sur l'année"


def test_bar_heights_are_proportional_to_the_amounts() -> None:
    """A bar of 2,000 € is twice as tall as one of 1,000 €, from the same zero line."""
    svg = bar_chart("t", ("a", "b"), (Series("s", (Decimal(1000), Decimal(2000))),))

    first, second = (Decimal(r.get("height", "")) for r in rects(svg))
    assert second == 2 * first
    bottoms = {Decimal(r.get("y", "")) + Decimal(r.get("height", "")) for r in rects(svg)}
    assert len(bottoms) == 1


def test_a_negative_amount_hangs_below_the_zero_line() -> None:
    """A negative cash position is drawn downwards from zero."""
    svg = bar_chart("t", ("a", "b"), (Series("s", (Decimal(-500), Decimal(1500))),))

    negative, positive = rects(svg)
    assert Decimal(negative.get("y", "")) == Decimal(positive.get("y", "")) + Decimal(
        positive.get("height", "")
    )


def test_every_bar_and_point_tells_its_exact_amount_in_french() -> None:
    """The tooltip of each bar gives the amount to the cent, French style."""
    svg = commitments_repayments_chart(("avr.",), (Decimal("25000.00"),), (Decimal("1234.56"),))

    titles = [r.findtext(f"{SVG}title") for r in rects(svg)]
    assert titles == [
        "Avances engagées, avr. : 25\xa0000,00\xa0€",
        "Remboursements, avr. : 1\xa0234,56\xa0€",
    ]


def test_a_chart_with_nothing_to_show_says_so() -> None:
    """Twelve months of zero draw an empty chart with a note, not a division by zero."""
    svg = arrears_chart(("0 j", "1–30 j"), (Decimal(0), Decimal(0)))

    assert "aucun montant sur la période" in svg
    assert all(r.get("height") == "0" for r in rects(svg))


def test_texts_are_escaped() -> None:
    """A hostile label cannot inject markup into the page."""
    svg = line_chart("<b>", ("<script>alert(1)</script>",), (Series("A & B", (Decimal(1),)),))

    ET.fromstring(svg)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg


def test_a_chart_needs_no_network_and_no_javascript() -> None:
    """The only URL is the SVG namespace; there is no script and no external reference."""
    svg = fund_position_chart(MONTHS, (Decimal(1),) * 3, (Decimal(2),) * 3)

    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    assert "script" not in svg.lower()
    assert "href" not in svg


def test_a_series_of_the_wrong_length_is_refused() -> None:
    """Each series gives one amount per label."""
    with pytest.raises(InvalidValue, match="one value per label"):
        line_chart("t", MONTHS, (Series("s", (Decimal(1),)),))


def test_a_chart_without_series_is_refused() -> None:
    """There must be something to draw."""
    with pytest.raises(InvalidValue, match="at least one series"):
        bar_chart("t", MONTHS, ())


def test_floats_are_refused_in_a_series() -> None:
    """Amounts are decimals, never binary floats."""
    with pytest.raises(InvalidValue, match="binary float"):
        Series("s", (Decimal(1), 2.5))


@given(st.lists(amounts, min_size=1, max_size=14))
def test_every_bar_stays_inside_the_plot_and_follows_the_amounts(values: list[Decimal]) -> None:
    """Bars never leave the chart, and a larger amount never gets a shorter bar."""
    labels = tuple(f"m{i}" for i in range(len(values)))
    svg = bar_chart("t", labels, (Series("s", tuple(values)),))

    bars = rects(svg)
    heights = [Decimal(r.get("height", "")) for r in bars]
    assert all(Decimal(r.get("y", "")) >= 0 for r in bars)
    assert all(Decimal(r.get("y", "")) + h <= 300 for r, h in zip(bars, heights, strict=True))
    pairs = sorted(zip(values, heights, strict=True))
    assert all(h1 <= h2 for (_, h1), (_, h2) in itertools.pairwise(pairs))


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
)
def test_ticks_are_round_evenly_spaced_and_cover_the_range(a: Decimal, b: Decimal) -> None:
    """The graduations include zero, cover both ends, are equally spaced, at most six."""
    low, high = min(a, b), max(a, b)

    ticks = nice_ticks(low, high)

    assert 2 <= len(ticks) <= 6
    assert ticks[0] <= min(low, Decimal(0))
    assert ticks[-1] >= max(high, Decimal(0))
    assert Decimal(0) in ticks
    steps = {second - first for first, second in itertools.pairwise(ticks)}
    assert len(steps) == 1
    (step,) = steps
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5)
