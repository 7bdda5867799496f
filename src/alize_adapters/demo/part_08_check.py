"""Demo part: a person's details erased, the register checked and backed up."""

from __future__ import annotations

from alize_adapters.demo import DemoContext
from alize_adapters.storage.sqlite import SqliteStore, audit
from alize_core.kernel.money import format_eur


TITLE = "The register checked: a person erased, the chain intact, a backup"


def run(context: DemoContext) -> None:
    """Erase R6's personal details, check the register as `alize check` does, back it up."""
    with SqliteStore(context.db, create=False) as store:
        erased = store.erase_person("R6")
        found = audit(store)
        backup = context.workdir / "alize-backup.db"
        backup.unlink(missing_ok=True)
        store.backup(backup)
    verification = found.verification
    fund = found.register.fund
    context.say(f"Erased R6's personal details ({erased}); the register's events keep only the id.")
    context.say(
        f"alize check: {verification.events} events, head {verification.head[:16]}…, chain"
        f" {'intact' if verification.ok else 'BROKEN'}, {len(found.problems)} problem(s);"
        f" cash {format_eur(fund.cash)}, outstanding {format_eur(fund.outstanding)},"
        f" available {format_eur(fund.available)}; {found.snapshots_checked} snapshot(s)"
        f" match; {len(found.register.flags)} flag(s); {'OK' if found.ok else 'FAILED'}."
    )
    context.say(f"  $ {context.command('check')}")
    context.say(
        f"Backed up to {backup.name}. In {context.workdir.resolve()}, `alize check` and"
        " `alize report …` read the demo's register without --db."
    )
