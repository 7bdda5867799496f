"""Hypothesis strategies for the public types of alize_core (valid values only)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st
from stdnum import luhn

from alize_core import (
    Citation,
    CompanyRepresentative,
    Decision,
    LocalOperator,
    OperatorKind,
    Outcome,
    PartnerCompany,
    Project,
    PublicBody,
    PublicBodyKind,
    RelayStructure,
    Rule,
    Settings,
    SettingVersion,
    Sme,
    Step,
    Territory,
    all_rules,
)


ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", min_size=1, max_size=12)
texts = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s)
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
communes = st.from_regex(r"\A(?:[0-9]{5}|2[AB][0-9]{3})\Z")
departements = st.sampled_from(["01", "2A", "2B", "55", "95", "971", "976"])


@st.composite
def sirens(draw: st.DrawFn) -> str:
    """A SIREN with a valid check digit."""
    body = draw(st.from_regex(r"\A[0-9]{8}\Z"))
    return str(body + luhn.calc_check_digit(body))


@st.composite
def territories(draw: st.DrawFn) -> Territory:
    """A territory with at least one département."""
    return Territory(
        draw(ids),
        draw(texts),
        draw(st.frozensets(communes, max_size=3)),
        draw(st.frozensets(departements, min_size=1, max_size=3)),
    )


@st.composite
def smes(draw: st.DrawFn) -> Sme:
    """An SME, sometimes with the SIRET of an establishment."""
    siren = draw(sirens())
    siret = None
    if draw(st.booleans()):
        body = siren + draw(st.from_regex(r"\A[0-9]{4}\Z"))
        siret = body + luhn.calc_check_digit(body)
    return Sme(
        siren=siren,
        name=draw(texts),
        creation_date=draw(dates),
        staff=draw(st.integers(0, 5000)),
        turnover=draw(amounts),
        balance_sheet=draw(amounts),
        commune=draw(communes),
        siret=siret,
    )


citations = st.builds(Citation, texts, texts)


@st.composite
def setting_versions(draw: st.DrawFn) -> SettingVersion:
    """A valid version of a known setting."""
    version = draw(st.sampled_from(Settings.national().versions))
    start = draw(dates)
    end = draw(
        st.none() | st.integers(1, 5000).map(lambda d: date.fromordinal(start.toordinal() + d))
    )
    return SettingVersion(
        version.name, version.value, start, end, draw(st.none() | ids), draw(citations)
    )


params = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    texts,
    amounts,
    dates,
)


@st.composite
def steps(draw: st.DrawFn) -> Step:
    """A step citing a real rule."""
    names = draw(st.lists(st.from_regex(r"\A[a-z]{1,8}\Z"), unique=True, max_size=4))
    return Step(
        draw(st.sampled_from(all_rules())).id,
        draw(st.booleans()),
        draw(ids),
        "message",
        tuple((n, draw(params)) for n in names),
        tuple(draw(st.lists(setting_versions(), max_size=1))),
        draw(st.booleans()),
    )


STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {
    Territory: territories(),
    PartnerCompany: st.builds(PartnerCompany, ids, texts, st.none() | sirens(), st.booleans()),
    CompanyRepresentative: st.builds(CompanyRepresentative, ids, ids, st.booleans()),
    LocalOperator: st.builds(LocalOperator, ids, texts, st.sampled_from(OperatorKind)),
    PublicBody: st.builds(PublicBody, ids, texts, st.sampled_from(PublicBodyKind)),
    RelayStructure: st.builds(RelayStructure, ids, texts),
    Sme: smes(),
    Project: st.builds(
        Project, ids, sirens(), texts, st.integers(0, 500), st.integers(0, 500), st.booleans()
    ),
    Citation: citations,
    Rule: st.sampled_from(all_rules()),
    SettingVersion: setting_versions(),
    Step: steps(),
    Decision: st.builds(
        Decision,
        st.sampled_from(Outcome),
        dates,
        ids,
        texts,
        st.lists(steps(), max_size=2).map(tuple),
    ),
    Settings: st.just(Settings.national()),
}
"""A strategy for every public value type of the core."""
