"""
The reads of the HTTP API (*consultation*): placeholder until the query documents land.

.. versionadded:: 0.16.0
"""

from __future__ import annotations

from typing import Final

from litestar.handlers import HTTPRouteHandler

from alize_adapters.serve.openapi import Answer


__all__ = ["READS", "READ_ANSWERS"]

READS: Final[tuple[HTTPRouteHandler, ...]] = ()
READ_ANSWERS: Final[dict[str, Answer]] = {}
