"""
The API tests talk to a live ``alize serve`` (:mod:`tests.serve.live`) over real HTTP with
httpx; they are skipped when the extra ``alize[serve]`` (or httpx) is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


pytest.importorskip("litestar")
pytest.importorskip("uvicorn")
pytest.importorskip("httpx")

from tests.serve.live import Server, serve


__all__ = ["Server"]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A live API on a register holding the test territory, built through POST /commands."""
    with serve(tmp_path_factory.mktemp("serve")) as live:
        live.build_territory()
        yield live
