"""Demo part: the schedules of the advances and loan granted, and a year of their servicing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alize_adapters.connectors.spreadsheets import atomic_output, export_schedule
from alize_adapters.demo import DemoContext, sample
from alize_core import format_eur
from alize_core.kernel.jsontext import dump_json
from alize_core.lending.schedules import build_schedule
from alize_core.lending.servicing import LoanAccount, open_advance, open_subsidised_loan
from alize_core.lending.terms import LoanTerms


TITLE = "Schedules and servicing: exact to the cent, explained"


def _euros(amount: Decimal) -> str:
    return format_eur(amount).replace("\xa0", " ")


def _summary(account: LoanAccount) -> str:
    schedule = account.schedule
    rows = schedule.rows
    regular = rows[schedule.deferral_rows]
    return (
        f"{account.subject} ({account.lender.name}): {_euros(account.terms.principal)},"
        f" {len(rows)} rows from {rows[0].due_date:%d/%m/%Y} to {rows[-1].due_date:%d/%m/%Y},"
        f" instalment {_euros(regular.payment)}, last {_euros(rows[-1].payment)},"
        f" interest {_euros(schedule.totals.interest)}"
    )


def run(context: DemoContext) -> None:
    """Build the schedules of the means granted on 12 March and service them for a year."""
    territory = sample.territory().id
    settings = sample.settings()
    disbursed = date(sample.PROGRAMME_YEAR, 3, 31)
    bank = next(p for p in sample.partners() if p.id == "BANQ")

    def terms(principal: str, instalments: int, deferral: int, **loan: str) -> LoanTerms:
        return LoanTerms.from_settings(
            settings,
            territory=territory,
            on=disbursed,
            principal=principal,
            start=disbursed,
            instalments=instalments,
            deferral=deferral,
            **loan,
        )

    p1 = open_advance("AV-P1", terms("30000.00", 48, 6), territory=territory)
    p2 = open_subsidised_loan(
        "PB-P2",
        terms("20000.00", 36, 3, rate="0.015", deferral_interest="capitalised"),
        territory=territory,
        lender=bank,
    )
    for account in (p1, p2):
        context.say(_summary(account))
    schedule = p1.schedule
    context.say(
        f"  {len(schedule.steps)} explained steps, rules {', '.join(dict.fromkeys(s.rule for s in schedule.steps))};"
        f" Σ principal = {_euros(schedule.totals.principal)} exactly, last balance"
        f" {_euros(schedule.rows[-1].balance)}."
    )
    csv_path = context.workdir / "echeancier-AV-P1.csv"
    with atomic_output(csv_path) as stream:
        export_schedule(schedule, stream)
    json_path = context.workdir / "echeancier-AV-P1.json"
    json_path.write_text(dump_json(schedule.to_dict(), ascii=False, indent=2), "utf-8")
    context.say(f"  written {csv_path.name} (French Excel) and {json_path.name}.")

    tiny = build_schedule(LoanTerms(principal="1.00", start=disbursed, instalments=60))
    context.say(
        f"1,00 € over 60 months: 59 × {_euros(tiny.rows[0].payment)} and"
        f" {_euros(tiny.rows[-1].payment)} (never over-collected; a float library gives a"
        " negative last instalment)."
    )

    late = p1.pay(Decimal("625.00"), on=date(2026, 10, 5)).account
    arrears = late.arrears(on=date(2026, 12, 15))
    context.say(
        f"AV-P1 on 15/12/2026: {_euros(arrears.amount)} unpaid, {arrears.days_past_due} days,"
        f" bucket « {arrears.bucket.french} » (SCH-06)."
    )
    cured = late.pay(arrears.amount, on=date(2026, 12, 15)).account
    context.say(
        f"  paid {_euros(arrears.amount)} the same day: now « "
        f"{cured.arrears(on=date(2026, 12, 15)).bucket.french} »; {_euros(cured.principal_repaid)}"
        " back in the fund (FUND-02)."
    )

    early = p2.pay(Decimal("1000.00"), on=date(2026, 8, 31)).account
    for mode in ("reduce_term", "reduce_instalment"):
        after = early.repay_early(Decimal("5000.00"), on=date(2026, 9, 15), mode=mode).account
        new = after.schedule
        context.say(
            f"PB-P2 repays 5 000 € early ({mode}): {len(new.rows)} instalments of"
            f" {_euros(new.regular_payment)} to {new.last_due:%d/%m/%Y} (SCH-05, FUND-03:"
            f" {after.lender.name}'s money)."
        )

    troubled = p1.reschedule(on=date(2027, 3, 1), instalments=60, deferral=3).account
    context.say(
        f"AV-P1 rescheduled on 01/03/2027 over 60 months: {len(troubled.versions)} schedule"
        " versions kept (SCH-05)."
    )
    defaulted = p1.declare_default(on=date(2027, 2, 15), settings=settings).account
    lost = defaulted.write_off(on=date(2027, 6, 30)).account
    undone = lost.undo_write_off(on=date(2027, 7, 1)).account
    recovered = lost.recover(Decimal("4000.00"), on=date(2027, 9, 1)).account
    context.say(
        f"AV-P1 default on 15/02/2027 ({defaulted.arrears(on=date(2027, 2, 15)).days_past_due}"
        f" days late): {_euros(defaulted.arrears(on=date(2027, 2, 15)).amount)} due at once;"
        f" written off {_euros(lost.written_off)}, undone → {undone.status.french};"
        f" {_euros(recovered.recovered)} recovered, at most"
        f" {_euros(recovered.written_off - recovered.recovered)} more."
    )
