"""
The in-memory document store (*stockage de documents en mémoire*).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from alize_adapters.host.backends import (
    DocumentReceipt,
)
from alize_adapters.host.payloads import (
    RenderedDocument,
)
from alize_core.kernel.validation import check_id


__all__ = [
    "MemoryDocuments",
]


class MemoryDocuments:
    """
    A :class:`~alize_adapters.host.backends.DocumentBackend` kept in memory.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._documents: dict[str, RenderedDocument] = {}

    def store_document(self, document: RenderedDocument, *, key: str) -> DocumentReceipt:
        """Keep a document under a key; the same key again keeps the first one."""
        check_id(key, field="key")
        if key in self._by_key:
            return DocumentReceipt(key=key, external_id=self._by_key[key], replayed=True)
        external_id = f"doc-{len(self._documents) + 1:06d}"
        self._by_key[key] = external_id
        self._documents[external_id] = document
        return DocumentReceipt(key=key, external_id=external_id, replayed=False)

    def fetch_document(self, external_id: str) -> RenderedDocument | None:
        """The document stored with this id, or ``None``."""
        return self._documents.get(external_id)
