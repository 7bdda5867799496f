"""
What an adapter host holds (*état des adaptateurs*): the loaded adapters, the backends they
offer, each role's binding, the adapters that failed to load or that configuration left out
(``alize adapters list`` prints an :class:`AdapterStatus`), and the errors the host raises
about them (:class:`AdapterLoadError`, :class:`AdapterNotBound`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum

import attrs

from alize_adapters.host.errors import AdapterError
from alize_adapters.host.hookspecs import SPEC_VERSION
from alize_adapters.host.payloads import BackendRole, Capability


__all__ = [
    "AdapterLoadError",
    "AdapterNotBound",
    "AdapterStatus",
    "Binding",
    "LoadFailure",
    "LoadStage",
    "OfferInfo",
    "PluginInfo",
    "PluginOrigin",
    "SkippedAdapter",
]


class LoadStage(enum.StrEnum):
    """Where loading an adapter failed."""

    CONFLICT = "conflict"
    """Its name is taken by another distribution or adapter."""
    IMPORT = "import"
    """Importing its entry point raised."""
    REGISTRATION = "registration"
    """pluggy refused it (a hook with a parameter the specification does not have…)."""
    VALIDATION = "validation"
    """It implements an unknown hook or a hook wrapper."""
    OFFERS = "offers"
    """Its registration hooks raised or returned something other than backend offers."""


class PluginOrigin(enum.StrEnum):
    """How an adapter came into a manager."""

    BUILT_IN = "built-in"
    ENTRY_POINT = "entry point"
    REGISTERED = "registered"


@attrs.frozen
class LoadFailure:
    """
    An adapter that could not be loaded, and why (*adaptateur en échec*).

    Attributes:
        name: The adapter's (entry point's) name.
        stage: Where it failed.
        reason: Why, in one line.
        distribution: The distribution that installed it, when known.
        version: That distribution's version, when known.
        traceback: The Python traceback, for its developers.
    """

    name: str
    stage: LoadStage
    reason: str
    distribution: str | None = None
    version: str | None = None
    traceback: str = ""

    def describe(self) -> str:
        """The failure in one line, naming the adapter, its distribution and its version."""
        source = f" ({self.distribution} {self.version or '?'})" if self.distribution else ""
        return f"{self.name}{source}: {self.stage.value} failed: {self.reason}"


@attrs.frozen
class SkippedAdapter:
    """
    An installed adapter that configuration left out.

    Attributes:
        name: The adapter's name.
        reason: Why it was left out.
        distribution: The distribution that installed it.
        version: That distribution's version.
    """

    name: str
    reason: str
    distribution: str | None = None
    version: str | None = None


@attrs.frozen
class OfferInfo:
    """
    A backend offered by a loaded adapter.

    Attributes:
        role: The role it fills.
        name: The backend's name.
        adapter: The adapter that offers it.
        capabilities: What it declares it can do.
        description: Its one-line description.
    """

    role: BackendRole
    name: str
    adapter: str
    capabilities: frozenset[Capability]
    description: str = ""


@attrs.frozen
class PluginInfo:
    """
    A loaded adapter.

    Attributes:
        name: Its name.
        origin: How it came in.
        distribution: The distribution that installed it, when known.
        version: That distribution's version, when known.
        hooks: The hooks it implements.
    """

    name: str
    origin: PluginOrigin
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


@attrs.frozen
class Binding:
    """
    A role and the backend configuration binds it to.

    Attributes:
        role: The role.
        backend: The backend name configured, or ``None``.
        adapter: The adapter that offers it, when exactly one does.
        problem: Why the binding cannot be used, or ``""``.
    """

    role: BackendRole
    backend: str | None
    adapter: str | None
    problem: str = ""


@attrs.frozen
class AdapterStatus:
    """
    What a manager holds: loaded adapters, offers, bindings, failures (``alize adapters list``).

    Attributes:
        plugins: The loaded adapters.
        offers: Every backend offered.
        bindings: Each role's binding.
        failures: The adapters that failed to load.
        skipped: The adapters configuration left out.
    """

    plugins: tuple[PluginInfo, ...]
    offers: tuple[OfferInfo, ...]
    bindings: tuple[Binding, ...]
    failures: tuple[LoadFailure, ...]
    skipped: tuple[SkippedAdapter, ...]

    def to_dict(self) -> dict[str, object]:
        """The status as JSON-ready data."""
        return {
            "spec_version": SPEC_VERSION,
            "loaded": [
                {
                    "name": p.name,
                    "origin": p.origin.value,
                    "distribution": p.distribution,
                    "version": p.version,
                    "hooks": list(p.hooks),
                }
                for p in self.plugins
            ],
            "offers": [
                {
                    "role": o.role.value,
                    "name": o.name,
                    "adapter": o.adapter,
                    "capabilities": sorted(c.value for c in o.capabilities),
                    "description": o.description,
                }
                for o in self.offers
            ],
            "bindings": [
                {
                    "role": b.role.value,
                    "backend": b.backend,
                    "adapter": b.adapter,
                    "problem": b.problem,
                }
                for b in self.bindings
            ],
            "failed": [
                {
                    "name": f.name,
                    "distribution": f.distribution,
                    "version": f.version,
                    "stage": f.stage.value,
                    "reason": f.reason,
                }
                for f in self.failures
            ],
            "skipped": [
                {
                    "name": s.name,
                    "distribution": s.distribution,
                    "version": s.version,
                    "reason": s.reason,
                }
                for s in self.skipped
            ],
        }


class AdapterLoadError(AdapterError):
    """
    An adapter could not be loaded (raised in strict mode, and by
    :meth:`~alize_adapters.host.manager.AdapterManager.register`).

    Attributes:
        failure: The failure, as recorded in the manager's status.
    """

    def __init__(self, failure: LoadFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure

    def __str__(self) -> str:
        return self.reason


class AdapterNotBound(AdapterError):
    """A role that configuration does not bind to exactly one offered backend."""

    def __str__(self) -> str:
        return self.reason
