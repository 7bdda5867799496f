"""The packaging contract passes a well-made distribution and catches badly made ones."""

from __future__ import annotations

import textwrap
import uuid

import pytest

from .distributions import GOOD_ADAPTER, make_distribution
from .runner import failed, outcomes_of


MISANNOTATED = '''
"""A module-level hook whose annotation mypy cannot check: the event is typed as text."""
from alize_adapters.host.hookspecs import hookimpl


@hookimpl
def alize_on_advance_disbursed(event: str) -> None:
    print(event)
'''

HEAVY = '''
"""An adapter importing its vendor SDK at import time instead of in its factory."""
import acme_sdk  # noqa: F401
from alize_adapters.host.hookspecs import hookimpl
from alize_adapters.host.payloads import AdvanceDisbursedNotice


@hookimpl
def alize_on_advance_disbursed(event: AdvanceDisbursedNotice) -> None:
    print(event)
'''

TALKATIVE = '''
"""An adapter that calls its server as soon as it is imported."""
import socket

from alize_adapters.host.hookspecs import hookimpl
from alize_adapters.host.payloads import AdvanceDisbursedNotice

try:
    socket.create_connection(("127.0.0.1", 9), timeout=0.2).close()
except OSError:
    pass


@hookimpl
def alize_on_advance_disbursed(event: AdvanceDisbursedNotice) -> None:
    print(event)
'''

# name: (distribution, source, typed)
DISTRIBUTIONS = {
    "Good": ("alize-good-adapter", GOOD_ADAPTER, True),
    "Untyped": ("alize-untyped-adapter", GOOD_ADAPTER, False),
    "Misannotated": ("alize-misannotated-adapter", MISANNOTATED, True),
    "Heavy": ("alize-heavy-adapter", HEAVY, True),
    "Talkative": ("alize-talkative-adapter", TALKATIVE, True),
}

RUN = """
import pytest

from alize_adapters.testing import PluginPackagingContract


class Test{name}(PluginPackagingContract):
    @pytest.fixture
    def entry_point_name(self):
        return "{entry_point}"

    @pytest.fixture
    def distribution_name(self):
        return "{distribution}"

    @pytest.fixture
    def forbidden_imports(self):
        return ("acme_sdk",)
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Install the five distributions and run the packaging contract against each."""
    workdir = tmp_path_factory.mktemp("packaging")
    site = workdir / "site"
    (site / "acme_sdk").mkdir(parents=True)
    (site / "acme_sdk" / "__init__.py").write_text('"""A vendor SDK."""\n', encoding="utf-8")
    runs = []
    for name, (distribution, source, typed) in DISTRIBUTIONS.items():
        package = f"alize_{name.lower()}_{uuid.uuid4().hex[:8]}"
        entry_point = name.lower()
        make_distribution(
            site,
            distribution,
            "1.0",
            entry_points={entry_point: package},
            packages={package: source},
            typed=typed,
        )
        runs.append(RUN.format(name=name, entry_point=entry_point, distribution=distribution))
    test_file = workdir / "test_packaging_runs.py"
    test_file.write_text("\n".join(textwrap.dedent(run) for run in runs), encoding="utf-8")
    return outcomes_of(test_file, workdir, {"PYTHONPATH": str(site)})


def test_a_well_made_distribution_passes(outcomes: dict[str, dict[str, str]]) -> None:
    """Typed, annotated as the specifications say, cheap to import: every check passes."""
    assert failed(outcomes, "TestGood") == set()
    assert set(outcomes["TestGood"].values()) == {"passed"}


def test_a_distribution_without_py_typed_fails_the_typing_marker_check(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Without py.typed, mypy would not check the adapter against the specifications."""
    assert failed(outcomes, "TestUntyped") == {"test_the_distribution_ships_py_typed"}


def test_a_module_hook_with_a_wrong_annotation_fails_the_annotation_check(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A module-level hook taking `event: str` is caught at run time, where mypy cannot look."""
    assert failed(outcomes, "TestMisannotated") == {
        "test_hook_annotations_match_the_specifications"
    }


def test_an_adapter_importing_its_sdk_eagerly_fails_the_import_check(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Importing the vendor SDK at import time, not in the factory, is caught."""
    assert failed(outcomes, "TestHeavy") == {"test_importing_the_adapter_is_cheap"}


def test_an_adapter_calling_the_network_on_import_fails_the_import_check(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A connection attempted while the entry point is imported is caught."""
    assert failed(outcomes, "TestTalkative") == {"test_importing_the_adapter_is_cheap"}
