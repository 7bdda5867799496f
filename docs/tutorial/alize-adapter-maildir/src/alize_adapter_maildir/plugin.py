"""
The adapter: writes one e-mail per committee decision and per advance paid into a maildir.

Each message is a file named after the event's idempotency key, written in
``tmp/`` then moved into ``new/``: an event delivered twice replaces its own
file, so the operator's mail client shows it once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from alize_adapters.host import (
    AdapterRejected,
    AdapterUnavailable,
    AdvanceDisbursedNotice,
    EventNotice,
    EventSpec,
    ProjectDecidedNotice,
    hookimpl,
)


class Mailbox:
    """A maildir folder: one file per message, written whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, name: str, content: bytes) -> None:
        """Write a message under a name; a message of the same name is replaced."""
        (self.folder / "tmp").mkdir(parents=True, exist_ok=True)
        (self.folder / "new").mkdir(parents=True, exist_ok=True)
        draft = self.folder / "tmp" / name
        draft.write_bytes(content)
        os.replace(draft, self.folder / "new" / f"{name}.eml")


def mailbox_from_environment() -> Mailbox:
    """The mailbox named by ALIZE_MAILDIR, read when the first message is written."""
    folder = os.environ.get("ALIZE_MAILDIR", "")
    if not folder:
        raise AdapterRejected("set ALIZE_MAILDIR to the maildir folder the messages go to")
    return Mailbox(Path(folder))


class MaildirAdapter(EventSpec):
    """Tells the operator, by e-mail, of each decision and each advance paid."""

    def __init__(
        self,
        mailbox: Callable[[], Mailbox] = mailbox_from_environment,
        recipient: str = "operateur@alize.example",
    ) -> None:
        self._open = mailbox
        self._mailbox: Mailbox | None = None
        self.recipient = recipient

    def _send(self, event: EventNotice, subject: str, body: str) -> None:
        message = (
            f"To: {self.recipient}\n"
            f"Subject: {subject}\n"
            f"Message-ID: <{event.idempotency_key}@alize>\n"
            f"X-Alize-Event: {event.event_id}\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            f"{body}\n"
        )
        try:
            if self._mailbox is None:
                self._mailbox = self._open()
            self._mailbox.put(event.idempotency_key, message.encode("utf-8"))
        except PermissionError as exc:
            raise AdapterRejected(f"the maildir refuses the message ({exc})") from None
        except OSError as exc:  # TimeoutError, a full disk, a lost network share
            raise AdapterUnavailable(f"the maildir cannot take the message now ({exc})") from None

    @hookimpl
    def alize_on_project_decided(self, event: ProjectDecidedNotice) -> None:
        """Write the committee's decision on a project."""
        amount = f", avance de {event.amount} €" if event.amount is not None else ""
        self._send(
            event,
            f"[{event.territory}] Projet {event.project} : {event.outcome.french}",
            f"Séance {event.session} du {event.on:%d/%m/%Y} : projet {event.project}"
            f" (SIREN {event.sme}) {event.outcome.french}{amount}.",
        )

    @hookimpl
    def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
        """Write that an advance was paid."""
        self._send(
            event,
            f"[{event.territory}] Avance {event.advance} versée",
            f"Le {event.on:%d/%m/%Y}, {event.amount} € versés à la PME (SIREN {event.sme}).",
        )


adapter = MaildirAdapter()
"""What the entry point names: importing it reads nothing and writes nothing."""
