"""Installed adapters load in isolation: a broken one is reported, the others work."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from alize_adapters.host import (
    ENTRY_POINT_GROUP,
    AdapterConfig,
    AdapterLoadError,
    AdapterManager,
    LoadStage,
)

from .distributions import BROKEN_ADAPTER, GOOD_ADAPTER, make_distribution
from .targets import disbursed


@dataclass
class Site:
    """A directory of installed distributions, and the unique package names in it."""

    root: Path
    good: str
    broken: str


def install(root: Path, distribution: str, version: str, *, name: str, package: str) -> None:
    """Install a distribution whose entry point ``name`` is one adapter package (good or broken)."""
    source = BROKEN_ADAPTER if name == "broken" else GOOD_ADAPTER
    make_distribution(
        root, distribution, version, entry_points={name: package}, packages={package: source}
    )


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """A good adapter (alize-good-adapter 1.0) and a broken one (alize-broken-adapter 2.3)."""
    suffix = uuid.uuid4().hex[:8]
    good, broken = f"alize_good_{suffix}", f"alize_broken_{suffix}"
    root = tmp_path / "site"
    install(root, "alize-good-adapter", "1.0", name="good", package=good)
    install(root, "alize-broken-adapter", "2.3", name="broken", package=broken)
    return Site(root, good, broken)


def test_a_broken_entry_point_leaves_the_others_working(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The broken adapter is recorded with its distribution and version; the good one works."""
    monkeypatch.syspath_prepend(str(site.root))
    manager = AdapterManager()
    manager.load_entry_points()
    manager.deliver("good", disbursed())
    (failure,) = manager.failures

    assert [p.name for p in manager.plugins() if p.distribution] == ["good"]
    assert sys.modules[site.good].RECEIVED == ["E1"]
    assert (failure.name, failure.distribution, failure.version, failure.stage) == (
        "broken",
        "alize-broken-adapter",
        "2.3",
        LoadStage.IMPORT,
    )
    assert failure.reason == (
        "ModuleNotFoundError: No module named 'acme_crm_sdk_that_is_not_installed'"
    )
    assert "Traceback" in failure.traceback


def test_strict_mode_stops_at_a_broken_entry_point(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In CI, the first adapter that fails to load stops everything, named."""
    monkeypatch.syspath_prepend(str(site.root))
    manager = AdapterManager(AdapterConfig(strict=True))

    with pytest.raises(AdapterLoadError, match=r"^broken \(alize-broken-adapter 2\.3\): import"):
        manager.load_entry_points()


def test_a_distribution_found_twice_is_loaded_once(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same distribution on two paths (an editable install, a lib64 link) loads once."""
    monkeypatch.syspath_prepend(str(site.root))
    monkeypatch.syspath_prepend(str(site.root) + os.sep + ".")
    found = [
        entry_point
        for dist in importlib.metadata.distributions()
        for entry_point in dist.entry_points
        if entry_point.group == ENTRY_POINT_GROUP and entry_point.name == "good"
    ]
    manager = AdapterManager()
    manager.load_entry_points(found)

    assert len(found) == 2
    assert [p.name for p in manager.plugins() if p.distribution] == ["good"]
    assert manager.failures == ()


def test_one_name_from_two_distributions_is_a_conflict(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two distributions offering the name 'good' both stay out, and both are named."""
    other = tmp_path / "other"
    package = f"alize_other_{uuid.uuid4().hex[:8]}"
    install(other, "alize-other-adapter", "0.9", name="good", package=package)
    monkeypatch.syspath_prepend(str(site.root))
    monkeypatch.syspath_prepend(str(other))
    manager = AdapterManager(AdapterConfig(deny=frozenset({"broken"})))
    manager.load_entry_points()
    (failure,) = manager.failures

    assert [p.name for p in manager.plugins() if p.distribution] == []
    assert failure.stage is LoadStage.CONFLICT
    assert "alize-good-adapter 1.0, alize-other-adapter 0.9" in failure.reason


def test_a_denied_adapter_is_skipped_and_never_imported(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A denied adapter is listed as skipped, with the reason, and its code never runs."""
    monkeypatch.syspath_prepend(str(site.root))
    manager = AdapterManager(AdapterConfig(deny=frozenset({"broken", "good"})))
    manager.load_entry_points()

    assert [(s.name, s.reason) for s in manager.skipped] == [
        ("broken", "denied by configuration"),
        ("good", "denied by configuration"),
    ]
    assert site.good not in sys.modules
    assert manager.failures == ()


def test_an_allow_list_loads_only_what_it_names(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an allow list, the other installed adapters are skipped."""
    monkeypatch.syspath_prepend(str(site.root))
    manager = AdapterManager(AdapterConfig(allow=frozenset({"good"})))
    manager.load_entry_points()

    assert [p.name for p in manager.plugins() if p.distribution] == ["good"]
    assert [s.name for s in manager.skipped] == ["broken"]


def alize(site: Site, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """
    Run the ``alize`` command line in a new process that sees the site's distributions,
    with more environment variables when given.
    """
    path = os.pathsep.join(filter(None, [str(site.root), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": path, **variables},
        timeout=120,
    )


def test_alize_adapters_list_shows_the_broken_adapter_and_why(site: Site) -> None:
    """`alize adapters list` lists the good adapter as loaded and the broken one as failed."""
    done = alize(site, "adapters", "list")
    lines = done.stdout.splitlines()
    loaded = lines[lines.index("loaded (2):") + 1 : lines.index("failed (1):")]
    failed = lines[lines.index("failed (1):") + 1]

    assert done.returncode == 0, done.stderr
    assert any(line.split()[:3] == ["good", "alize-good-adapter", "1.0"] for line in loaded)
    assert failed.split()[:3] == ["broken", "alize-broken-adapter", "2.3"]
    assert failed.endswith(
        "import failed: ModuleNotFoundError: No module named 'acme_crm_sdk_that_is_not_installed'"
    )


def test_alize_adapters_list_in_json_names_distribution_and_version(site: Site) -> None:
    """The JSON form carries the same facts for machines."""
    done = alize(site, "adapters", "list", "--format", "json")
    status = json.loads(done.stdout)

    assert [f["distribution"] + " " + f["version"] for f in status["failed"]] == [
        "alize-broken-adapter 2.3"
    ]
    assert "good" in [p["name"] for p in status["loaded"]]


def test_alize_adapters_list_strict_fails_in_one_line(site: Site) -> None:
    """With --strict, the command exits 1 and says which adapter failed, in one line."""
    done = alize(site, "adapters", "list", "--strict")

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "alize: error: broken (alize-broken-adapter 2.3): import failed:"
        " ModuleNotFoundError: No module named 'acme_crm_sdk_that_is_not_installed'"
    ]


def test_alize_adapters_list_honours_the_deny_variable(site: Site) -> None:
    """ALIZE_ADAPTERS_DENY leaves an adapter out, listed as skipped."""
    done = alize(site, "adapters", "list", "--format", "json", ALIZE_ADAPTERS_DENY="broken")
    status = json.loads(done.stdout)

    assert status["failed"] == []
    assert [(s["name"], s["reason"]) for s in status["skipped"]] == [
        ("broken", "denied by configuration")
    ]
