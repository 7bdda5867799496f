"""The maildir adapter passes alize's conformance suite."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from alize_adapter_maildir.plugin import Mailbox, MaildirAdapter

from alize_adapters.host import EventNotice, Fault, NoticeKind
from alize_adapters.testing import EventHookContract, PluginPackagingContract, sample_events


class FaultyMailbox(Mailbox):
    """A mailbox on which the next write fails the way a file system fails."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.faults: list[Fault] = []

    def inject(self, fault: Fault, *, retry_after: int = 30) -> None:
        """Make the next write fail."""
        self.faults.append(fault)

    def put(self, name: str, content: bytes) -> None:
        """Write, unless a fault was injected."""
        fault = self.faults.pop(0) if self.faults else None
        if fault is Fault.TIMEOUT:
            raise TimeoutError("the network share did not answer")
        if fault is Fault.SERVER_ERROR:
            raise OSError(errno.EIO, "input/output error")
        if fault is Fault.REJECTED:
            raise PermissionError(errno.EACCES, "permission denied")
        super().put(name, content)
        if fault is Fault.RESET:
            raise OSError(errno.EIO, "written, but the share lost the acknowledgement")

    def effects(self, event: EventNotice) -> int:
        """The backdoor: how many messages in the folder name this event."""
        marker = f"X-Alize-Event: {event.event_id}\n"
        return sum(marker in f.read_text("utf-8") for f in self.folder.glob("new/*.eml"))


class TestMaildirAdapter(EventHookContract):
    @pytest.fixture
    def mailbox(self, tmp_path: Path) -> FaultyMailbox:
        return FaultyMailbox(tmp_path / "maildir")

    @pytest.fixture
    def adapter(self, mailbox: FaultyMailbox) -> MaildirAdapter:
        return MaildirAdapter(lambda: mailbox)

    @pytest.fixture
    def events(self) -> tuple[EventNotice, ...]:
        kinds = {NoticeKind.PROJECT_DECIDED, NoticeKind.ADVANCE_DISBURSED}
        return tuple(event for event in sample_events() if event.kind in kinds)

    @pytest.fixture
    def inspector(self, mailbox: FaultyMailbox) -> FaultyMailbox:
        return mailbox

    @pytest.fixture
    def fault_injector(self, mailbox: FaultyMailbox) -> FaultyMailbox:
        return mailbox

    @pytest.fixture
    def supported_faults(self) -> frozenset[Fault]:
        # A file system neither rate-limits nor answers with a body.
        return frozenset({Fault.TIMEOUT, Fault.SERVER_ERROR, Fault.RESET, Fault.REJECTED})


class TestMaildirPackaging(PluginPackagingContract):
    @pytest.fixture
    def entry_point_name(self) -> str:
        return "maildir"

    @pytest.fixture
    def distribution_name(self) -> str:
        return "alize-adapter-maildir"
