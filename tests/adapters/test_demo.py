"""
``alize demo`` tells one story: the figures it prints are the ones ``alize`` commands give
on the register it leaves behind.

The demo runs once into a temporary folder; each test parses what it printed, runs the
command the demo printed under a figure (through ``main()``, in this process) on the
demo's register, and compares the figures one by one.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from alize_adapters.cli import main
from alize_adapters.storage.sqlite import DEFAULT_DB, SqliteStore, read_events
from alize_core.journal.events import SessionClosed
from alize_core.kernel.money import format_eur
from alize_core.kernel.serialization import loads
from alize_core.register import AdvanceStatus
from alize_core.register.storage import load
from alize_core.reporting.forecast import FundForecast
from alize_core.reporting.network import NetworkContribution
from alize_core.reporting.portfolio import PortfolioReport
from alize_core.reporting.records import ActivityReport, CallForFunds


@attrs.frozen
class Demo:
    """What the demo printed, and the folder it wrote."""

    folder: Path
    out: str

    def part(self, title: str) -> str:
        """The text a part printed, found by words of its title."""
        (found,) = [part for part in self.out.split("\n== ") if title in part.splitlines()[0]]
        return found

    def command(self, part: str, name: str) -> list[str]:
        """The ``alize`` command the part printed for ``name``, as argv without ``alize``."""
        (argv,) = self.commands(part, name)
        return argv

    def commands(self, part: str, name: str) -> list[list[str]]:
        """Every ``alize`` command the part printed for ``name``, as argv without ``alize``."""
        return [
            shlex.split(line.removeprefix("  $ "))[1:]
            for line in part.splitlines()
            if line.startswith(f"  $ alize {name}")
        ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo, run once into a temporary folder."""
    folder = tmp_path_factory.mktemp("demo")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["demo", "--output-dir", str(folder)])
    assert status == 0
    return Demo(folder, out.getvalue())


def run(capsysbinary: pytest.CaptureFixture[bytes], argv: list[str]) -> str:
    """What ``alize ARGV`` prints on standard output; it must exit with status 0."""
    capsysbinary.readouterr()
    status = main(argv)
    out, err = capsysbinary.readouterr()
    assert status == 0, err.decode()
    return out.decode("utf-8")


def figures(pattern: str, text: str) -> dict[str, str]:
    """The named groups of the one line of ``text`` that matches ``pattern``."""
    found = re.search(pattern, text, re.M)
    assert found is not None, f"no line matches {pattern!r} in:\n{text}"
    return found.groupdict()


def eur(amount: Decimal) -> str:
    """An amount as the demo prints it."""
    return format_eur(amount)


JsonReport = Callable[[str], str]
"""Runs ``alize report NAME`` as the reports part printed it, in JSON; returns its text."""


@pytest.fixture
def json_report(demo: Demo, capsysbinary: pytest.CaptureFixture[bytes]) -> JsonReport:
    """Runs a command the reports part printed, with --format json, and returns its text."""

    def report(name: str) -> str:
        argv = demo.command(demo.part("Reports"), f"report {name}")
        return run(capsysbinary, [*argv, "--format", "json"])

    return report


def test_the_demo_leaves_its_register_where_the_commands_look(demo: Demo) -> None:
    """The register is alize.db in the demo's folder, and every command printed reads it."""
    db = demo.folder / DEFAULT_DB
    commands = [line for line in demo.out.splitlines() if line.startswith("  $ alize ")]

    assert db.is_file()
    assert len(commands) == 8
    for line in commands:
        if "--db" not in line:
            continue  # the FEC check reads the FEC the demo wrote
        argv = shlex.split(line.removeprefix("  $ "))
        assert argv[argv.index("--db") + 1] == str(db.resolve())


def test_the_activity_report_is_the_one_alize_report_gives(
    demo: Demo, json_report: JsonReport
) -> None:
    """Every figure of the demo's activity report, compared with `alize report activity`."""
    part = demo.part("Reports")
    report = loads(json_report("activity"), ActivityReport)
    f = report.figures

    counts = figures(
        r"^Activity report (?P<year>\d+) \(GOV-09, PIL-03\): (?P<sessions>\d+) session\(s\)"
        r" \((?P<valid>\d+) valid\), (?P<examined>\d+) project\(s\) examined, (?P<adopted>\d+)"
        r" adopted; (?P<created>\d+) jobs created, (?P<kept>\d+) kept\.$",
        part,
    )
    money = figures(
        r"^  advances committed (?P<committed>.+?), paid out (?P<disbursed>.+?), repaid"
        r" (?P<repaid>.+?); written off (?P<written_off>.+?), recovered (?P<recovered>.+?);"
        r" in arrears (?P<arrears>.+?)\.$",
        part,
    )
    fund = figures(
        r"^  fund cash (?P<start>.+?) on 1 January → (?P<end>.+?) on 31 December; skills"
        r" (?P<days>\S+) days valued (?P<value>.+?); budget committed (?P<budget>.+?)\.$",
        part,
    )
    orientations = re.findall(r"^  [✓✗!] (.+) \(PIL-02\)$", part, re.M)

    assert counts == {
        "year": str(report.year),
        "sessions": str(len(report.sessions)),
        "valid": str(report.sessions_valid),
        "examined": str(f.projects_examined),
        "adopted": str(f.projects_adopted),
        "created": str(f.jobs_created),
        "kept": str(f.jobs_kept),
    }
    assert money == {
        "committed": eur(f.advances_committed),
        "disbursed": eur(f.disbursed),
        "repaid": eur(f.repaid),
        "written_off": eur(report.written_off),
        "recovered": eur(report.recovered),
        "arrears": eur(report.in_arrears),
    }
    assert fund == {
        "start": eur(report.fund_start.cash),
        "end": eur(report.fund_end.cash),
        "days": str(f.skills_days),
        "value": eur(f.skills_value),
        "budget": eur(f.budget),
    }
    assert orientations == [s.message for s in report.steps if s.rule == "PIL-02"]
    assert len(orientations) == 3


def test_the_call_for_funds_is_the_one_alize_report_gives(
    demo: Demo, json_report: JsonReport
) -> None:
    """Each partner's line of the demo's call for funds, compared with the command's."""
    part = demo.part("Reports")
    call = loads(json_report("call-for-funds"), CallForFunds)
    printed = re.findall(r"^  (.+): (.+) committed, (.+) due$", part, re.M)

    assert printed == [
        (line.partner_name, eur(line.committed), eur(line.due)) for line in call.lines
    ]
    assert len(printed) == 4


def test_the_network_contribution_is_the_one_alize_report_gives(
    demo: Demo, json_report: JsonReport
) -> None:
    """The demo's network contribution is what `alize report network-contribution` says."""
    part = demo.part("Reports")
    due = loads(json_report("network-contribution"), NetworkContribution)
    printed = figures(r"^Network contribution (?P<year>\d+) \(NAT-02\): (?P<total>.+)\.$", part)

    assert printed == {"year": str(due.year), "total": eur(due.total)}
    assert due.total > 0


def test_the_forecast_is_the_one_alize_report_gives(demo: Demo, json_report: JsonReport) -> None:
    """The fund's cash at the forecast's end, from the demo and from the command."""
    part = demo.part("Reports")
    forecast = loads(json_report("forecast"), FundForecast)
    printed = figures(r"cash (?P<cash>.+?) at the end of (?P<year>\d+)\.$", part)

    assert printed == {
        "cash": eur(forecast.years[-1].closing_cash),
        "year": str(forecast.years[-1].year),
    }


def test_the_check_is_the_one_alize_check_gives(
    demo: Demo, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    What the demo says `alize check` finds is what it finds, with the printed --db and,
    in the demo's folder, without it.
    """
    part = demo.part("The register checked")
    printed = figures(
        r"^alize check: (?P<events>\d+) events, head (?P<head>[0-9a-f]+)…, chain intact,"
        r" 0 problem\(s\); cash (?P<cash>.+?), outstanding (?P<outstanding>.+?), available"
        r" (?P<available>.+?); (?P<snapshots>\d+) snapshot\(s\) match; 0 flag\(s\); OK\.$",
        part,
    )
    with_db = run(capsysbinary, demo.command(part, "check"))
    monkeypatch.chdir(demo.folder)
    without = run(capsysbinary, ["check"])

    assert f"— {printed['events']} events, head {printed['head']}…\n" in with_db
    assert (
        f"fund: balances after every event (cash {printed['cash']}, outstanding"
        f" {printed['outstanding']}, available {printed['available']})\n"
    ) in with_db
    assert f"snapshots: {printed['snapshots']} match the journal\n" in with_db
    assert "chain: intact\n" in with_db
    assert with_db.endswith("OK\n")
    assert without.replace(str(DEFAULT_DB), "DB", 1) == with_db.replace(
        str(demo.folder / DEFAULT_DB), "DB", 1
    )


def test_the_register_parts_fund_is_the_reports(demo: Demo, json_report: JsonReport) -> None:
    """The fund the register part prints at the year's end is the activity report's."""
    report = loads(json_report("activity"), ActivityReport)
    fund = report.fund_end
    printed = figures(
        r"^Fund on 31/12: received (?P<received>.+?), disbursed (?P<disbursed>.+?), repaid"
        r" (?P<repaid>.+?), written off (?P<written_off>.+?), recovered (?P<recovered>.+?),"
        r" cash (?P<cash>.+?), available (?P<available>.+?) \(FUND-05 holds\)$",
        demo.part("The register: a year"),
    )

    assert printed == {
        "received": eur(fund.contributions_received),
        "disbursed": eur(fund.disbursed),
        "repaid": eur(fund.repaid),
        "written_off": eur(fund.written_off),
        "recovered": eur(fund.recovered),
        "cash": eur(fund.cash),
        "available": eur(fund.available),
    }


def test_the_portfolio_is_the_one_alize_report_portfolio_gives(
    demo: Demo, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """
    Each portfolio the demo prints (the day of P2's default, the year's end): its totals
    and every advance's status, outstanding, arrears and days past due, compared with
    `alize report portfolio --on`. From its default P2's arrears are its outstanding
    (SCH-06); after its write-off nothing is in arrears.
    """
    part = demo.part("Schedules and servicing")
    blocks = part.split("Portfolio on ")[1:]
    commands = demo.commands(part, "report portfolio")

    portfolios = []
    assert len(blocks) == len(commands) == 2
    for block, argv in zip(blocks, commands, strict=True):
        portfolio = loads(run(capsysbinary, [*argv, "--format", "json"]), PortfolioReport)
        portfolios.append(portfolio)
        totals = figures(
            r"^(?P<on>\S+): (?P<count>\d+) advance\(s\), (?P<outstanding>.+?) outstanding,"
            r" (?P<arrears>.+?) in arrears\.$",
            block,
        )
        lines = re.findall(
            r"^  (P\d+): ([^,]+), (.+?) outstanding, (.+?) in arrears, (\d+) days past due",
            block,
            re.M,
        )

        assert totals == {
            "on": f"{portfolio.on:%d/%m/%Y}",
            "count": str(len(portfolio.lines)),
            "outstanding": eur(portfolio.outstanding),
            "arrears": eur(portfolio.arrears),
        }
        assert lines == [
            (
                line.project,
                AdvanceStatus(line.status).french,
                eur(line.outstanding),
                eur(line.arrears),
                str(line.days_past_due),
            )
            for line in portfolio.lines
        ]
    assert [b.split(":")[0] for b in blocks] == ["30/09/2026", "31/12/2026"]
    assert [p.arrears for p in portfolios] == [portfolios[0].lines[1].outstanding, 0]


def test_the_fec_check_is_the_one_alize_export_fec_gives(
    demo: Demo, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """The FEC the demo wrote from the register's books: what it says the check finds."""
    part = demo.part("Exports")
    printed = figures(
        r"^alize export fec --check: compliant, (?P<lines>\d+) lines, (?P<entries>\d+)"
        r" entries \(0 error\(s\), 0 warning\(s\)\)\.$",
        part,
    )
    argv = demo.command(part, "export fec")
    out = run(capsysbinary, argv)

    assert out == (
        f"{argv[-1]}: conforme — {printed['lines']} lignes, {printed['entries']} écritures,"
        " 0 erreur(s), 0 avertissement(s)\n"
    )


def test_the_session_file_and_the_minutes_are_the_registers_session(
    demo: Demo, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """
    The session file the demo writes holds the register's session S1 (its attendees and
    agenda), and `alize decide` on it comes to the outcomes and counts the register
    recorded when the session closed; the demo's vote lines print those counts.
    """
    db = demo.folder / DEFAULT_DB
    (closed,) = [e.payload for e in read_events(db) if isinstance(e.payload, SessionClosed)]
    with SqliteStore(db, create=False) as store:
        session = load(store).session(closed.session)
    monkeypatch.chdir(demo.folder)
    decided = json.loads(
        run(capsysbinary, ["decide", "session-2026-03-12.json", "--format", "json"])
    )
    file = json.loads((demo.folder / "session-2026-03-12.json").read_text(encoding="utf-8"))
    part = demo.part("The approval committee")

    assert [a["id"] for a in file["attendees"]] == list(session.attendees)
    assert [i["project"] for i in file["items"]] == [e.project for e in session.agenda]
    assert decided["session"]["valid"] is closed.valid
    assert [
        (d["project"], d["outcome"], d["present"], d["for"], d["against"], d["abstain"])
        for d in decided["decisions"]
    ] == [
        (o.project, o.outcome.value, o.present, o.votes_for, o.votes_against, o.abstentions)
        for o in closed.decisions
    ]
    for outcome in closed.decisions:
        assert (
            f"  {outcome.project}: {outcome.outcome.french} — {outcome.present} représentants"
            f" d'entreprise présents, {outcome.votes_for} pour, {outcome.votes_against} contre,"
        ) in part
