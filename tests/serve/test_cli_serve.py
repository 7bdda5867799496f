"""``alize serve`` without its extra says how to install it, in one line."""

from __future__ import annotations

import importlib.util
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.cli.commands.serve import MISSING


def test_serve_without_the_extra_says_to_install_it_and_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    found = importlib.util.find_spec

    def without_litestar(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name == "litestar" else found(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", without_litestar)
    assert main(["serve", "--db", "missing.db"]) == 1
    captured = capsys.readouterr()
    assert captured.err == MISSING + "\n"
    assert "pip install 'alize[serve]'" in captured.err


def test_serve_on_a_missing_register_is_an_error_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--db", "no.db"]) == 1
    expected = "alize: error: db: 'no.db' is not an alize register (no such file)\n"
    assert capsys.readouterr().err == expected
