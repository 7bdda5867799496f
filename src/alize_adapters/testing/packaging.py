"""
The packaging contract: an installed adapter distribution is found, loads cleanly and is typed.

Subclass :class:`PluginPackagingContract` and give ``entry_point_name`` (the
name under ``[project.entry-points."alize.adapters"]``), ``distribution_name``
and, optionally, ``forbidden_imports`` (vendor SDKs that must load lazily, in a
backend factory, not when the entry point is imported). Run it against the
installed distribution (``pip install -e .``).

The contract checks what ``mypy`` cannot see: hook implementations written as
module-level functions are compared, annotation by annotation, with the
specifications of :mod:`alize_adapters.host.hookspecs`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import collections.abc
import importlib.metadata
import json
import subprocess
import sys
import typing
from collections.abc import Callable

import pytest

from alize_adapters.host import hookspecs
from alize_adapters.host.config import AdapterConfig
from alize_adapters.host.manager import AdapterManager


__all__ = ["PluginPackagingContract", "annotation_problems"]

_IMPORT_PROBE = """
import importlib, json, socket, sys
attempts = []
def refuse(address, *args, **kwargs):
    attempts.append(repr(address))
    raise OSError("alize's packaging contract refuses network access during import")
socket.socket.connect = lambda self, address, *a, **k: refuse(address)
socket.create_connection = refuse
importlib.import_module(sys.argv[1])
print(json.dumps({"modules": sorted(sys.modules), "connections": attempts}))
"""


def _compatible(spec: object, impl: object) -> bool:
    if spec == impl:
        return True
    if typing.get_origin(spec) is collections.abc.Iterable:
        origin = typing.get_origin(impl)
        return (
            isinstance(origin, type)
            and issubclass(origin, collections.abc.Iterable)
            and typing.get_args(impl)[:1] == typing.get_args(spec)
        )
    return False


def annotation_problems(function: Callable[..., object], hook_name: str) -> list[str]:
    """
    How a hook implementation's annotations differ from its specification's.

    Args:
        function: The hook implementation.
        hook_name: The hook it implements.

    Returns:
        One sentence per difference; empty when the annotations match.

    >>> from alize_adapters.host.payloads import RenderRequest, RenderedDocument
    >>> def alize_render_document(request: RenderRequest) -> RenderedDocument | None: ...
    >>> annotation_problems(alize_render_document, "alize_render_document")
    []
    >>> def alize_render_document(request: str) -> None: ...
    >>> annotation_problems(alize_render_document, "alize_render_document")[0]
    "parameter 'request' is annotated str; the specification says RenderRequest"

    .. versionadded:: 0.1.0
    """
    spec = hookspecs.hook_specification(hook_name)
    expected = typing.get_type_hints(spec)
    try:
        found = typing.get_type_hints(function)
    except Exception as exc:
        return [f"its annotations cannot be read at run time ({type(exc).__name__}: {exc})"]
    problems = []
    for name, annotation in expected.items():
        if name == "return":
            continue
        if name not in found:
            problems.append(f"parameter {name!r} is not annotated")
        elif found[name] != annotation:
            shown, wanted = _name(found[name]), _name(annotation)
            problems.append(
                f"parameter {name!r} is annotated {shown}; the specification says {wanted}"
            )
    if "return" not in found:
        problems.append("the return type is not annotated")
    elif not _compatible(expected["return"], found["return"]):
        shown, wanted = _name(found["return"]), _name(expected["return"])
        problems.append(f"it returns {shown}; the specification says {wanted}")
    return problems


def _name(annotation: object) -> str:
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return annotation.__name__
    return str(annotation).replace("alize_adapters.host.payloads.", "").replace("typing.", "")


class PluginPackagingContract:
    """
    Contract tests for an installed adapter distribution; subclass it and provide the fixtures.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def entry_point_name(self) -> str:
        """The adapter's entry-point name."""
        pytest.fail("provide an `entry_point_name` fixture")

    @pytest.fixture
    def distribution_name(self) -> str:
        """The name of the distribution that installs the adapter."""
        pytest.fail("provide a `distribution_name` fixture")

    @pytest.fixture
    def forbidden_imports(self) -> tuple[str, ...]:
        """Modules that importing the entry point must not import (vendor SDKs)."""
        return ()

    @pytest.fixture
    def entry_point(
        self, entry_point_name: str, distribution_name: str
    ) -> importlib.metadata.EntryPoint:
        """The adapter's entry point, as installed."""
        found = importlib.metadata.entry_points(
            group=hookspecs.ENTRY_POINT_GROUP, name=entry_point_name
        )
        for entry_point in found:
            if entry_point.dist is not None and entry_point.dist.name == distribution_name:
                return entry_point
        pytest.fail(
            f"no entry point {entry_point_name!r} in the group {hookspecs.ENTRY_POINT_GROUP!r}"
            f" of an installed distribution {distribution_name!r}"
        )

    def test_the_adapter_loads_in_strict_mode(
        self, entry_point: importlib.metadata.EntryPoint
    ) -> None:
        """The entry point imports, registers, offers valid backends and uses only known hooks."""
        manager = AdapterManager(AdapterConfig(strict=True))
        manager.load_entry_points([entry_point])
        (info,) = [p for p in manager.plugins() if p.name == entry_point.name]

        assert manager.failures == ()
        assert info.hooks

    def test_hook_annotations_match_the_specifications(
        self, entry_point: importlib.metadata.EntryPoint
    ) -> None:
        """Every hook implementation has the specification's annotations, module functions included."""
        plugin = entry_point.load()
        problems: list[str] = []
        for name in hookspecs.hook_names():
            function = getattr(plugin, name, None)
            if function is None or not hasattr(function, f"{hookspecs.PROJECT}_impl"):
                continue
            problems.extend(f"{name}: {p}" for p in annotation_problems(function, name))

        assert problems == []

    def test_importing_the_adapter_is_cheap(
        self, entry_point: importlib.metadata.EntryPoint, forbidden_imports: tuple[str, ...]
    ) -> None:
        """Importing the entry point opens no connection and imports no vendor SDK."""
        module = entry_point.value.partition(":")[0]
        done = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE, module],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        probe = json.loads(done.stdout)
        loaded = [
            m
            for m in probe["modules"]
            for f in forbidden_imports
            if m == f or m.startswith(f + ".")
        ]

        assert probe["connections"] == []
        assert loaded == []

    def test_the_distribution_ships_py_typed(
        self, entry_point: importlib.metadata.EntryPoint, distribution_name: str
    ) -> None:
        """The distribution marks its package as typed (``py.typed``), so mypy checks adapters."""
        top = entry_point.value.partition(":")[0].split(".")[0]
        files = importlib.metadata.distribution(distribution_name).files or []
        typed = [f for f in files if f.name == "py.typed" and f.parts[0] == top]

        assert typed, f"no {top}/py.typed in the distribution {distribution_name}"
