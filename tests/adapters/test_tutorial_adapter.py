"""The tutorial's adapter package, installed, passes the conformance suite it shows."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from .distributions import make_distribution
from .runner import outcomes_of


PACKAGE = Path(__file__).resolve().parents[2] / "docs" / "tutorial" / "alize-adapter-maildir"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Install the package as its pyproject.toml declares it, then run its own tests."""
    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    workdir = tmp_path_factory.mktemp("tutorial")
    site = make_distribution(
        workdir / "site",
        project["name"],
        project["version"],
        entry_points=project["entry-points"]["alize.adapters"],
        packages={"alize_adapter_maildir": PACKAGE / "src" / "alize_adapter_maildir"},
    )
    return outcomes_of(
        PACKAGE / "tests" / "test_conformance.py", workdir, {"PYTHONPATH": str(site)}
    )


def test_the_tutorial_adapter_passes_the_event_contract(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Every event test passes; only the faults a file system cannot show are skipped."""
    tests = outcomes["TestMaildirAdapter"]

    assert {name for name, outcome in tests.items() if outcome != "passed"} == {
        "test_each_fault_raises_its_classified_error[rate_limited]",
        "test_each_fault_raises_its_classified_error[malformed_body]",
    }
    assert {tests[name] for name in tests if "rate_limited" in name or "malformed" in name} == {
        "skipped"
    }


def test_the_tutorial_adapter_passes_the_packaging_contract(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Its entry point loads in strict mode, its hooks are annotated right, it ships py.typed."""
    assert set(outcomes["TestMaildirPackaging"].values()) == {"passed"}
    assert len(outcomes["TestMaildirPackaging"]) == 4
