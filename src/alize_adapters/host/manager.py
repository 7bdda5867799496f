# Kept whole, at about 600 lines: loading adapters in isolation, binding roles to backends and
# calling hooks safely share one registry of what loaded and failed, which every part reads.
"""
The adapter host (*hôte des adaptateurs*): loads adapters, binds roles, calls hooks safely.

An :class:`AdapterManager` owns one pluggy plugin manager; there is no global
one, so two managers (two territories, two tests) never see each other's
adapters. It

- loads each entry point of the group ``alize.adapters`` **in isolation**: an
  adapter that fails to import, to register or to offer its backends is recorded
  as a :class:`~alize_adapters.host.status.LoadFailure` naming its distribution and
  version, and the others load; in **strict** mode (CI) the first failure raises
  :class:`~alize_adapters.host.status.AdapterLoadError`;
- reports **duplicates** (the same distribution listed twice is loaded once) and
  **name conflicts** (one name from two distributions: neither is loaded);
- honours an **allow list** and a **deny list**
  (:class:`~alize_adapters.host.config.AdapterConfig`);
- **binds each role** (CRM, accounting, documents, notifications) to the one
  backend named in configuration, and checks what the factory returns;
- calls hooks **adapter by adapter**, so a failing adapter names itself and
  harms no other, and **checks every result** before it reaches alize.

>>> from alize_adapters.fakes import MemoryBackends
>>> manager = AdapterManager(AdapterConfig.from_mapping({"roles": {"crm": "memory"}}))
>>> manager.register(MemoryBackends(), name="memory")
>>> [offer.name for offer in manager.offers(BackendRole.CRM)]
['memory']
>>> type(manager.crm()).__name__
'MemoryCrm'
>>> manager.accounting()
Traceback (most recent call last):
...
alize_adapters.host.status.AdapterNotBound: no accounting backend is chosen; set roles.accounting in the configuration to one of: memory (adapter memory)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib.metadata
import logging
import traceback
from collections.abc import Callable, Iterable, Mapping
from typing import Final, TypeVar, cast

import attrs
import pluggy

from alize_adapters.host.backends import (
    AccountingBackend,
    CrmBackend,
    DocumentBackend,
    NotificationBackend,
)
from alize_adapters.host.config import AdapterConfig, normalise_name
from alize_adapters.host.errors import AdapterContractError, AdapterCrashed, AdapterError
from alize_adapters.host.hookspecs import ENTRY_POINT_GROUP, PROJECT, SPEC_VERSION, SPECS, hookimpl
from alize_adapters.host.payloads import (
    BackendOffer,
    BackendRole,
    BackendSettings,
    Capability,
    EventNotice,
    NoticeKind,
    RegistrationRequest,
    RenderedDocument,
    RenderRequest,
)
from alize_adapters.host.status import (
    AdapterLoadError,
    AdapterNotBound,
    AdapterStatus,
    Binding,
    LoadFailure,
    LoadStage,
    OfferInfo,
    PluginInfo,
    PluginOrigin,
    SkippedAdapter,
)
from alize_core.kernel.validation import check_id


__all__ = ["DEFAULT_RENDERER", "AdapterManager", "DefaultRenderer"]

logger = logging.getLogger(__name__)

DEFAULT_RENDERER: Final = "alize-default-renderer"
"""The name of alize's own plain-text renderer, registered in every manager."""

_T = TypeVar("_T")

_PROTOCOLS: Final[Mapping[BackendRole, type]] = {
    BackendRole.CRM: CrmBackend,
    BackendRole.ACCOUNTING: AccountingBackend,
    BackendRole.DOCUMENTS: DocumentBackend,
    BackendRole.NOTIFICATIONS: NotificationBackend,
}


class DefaultRenderer:
    """
    alize's own renderer: the document as plain French text, used when no adapter renders it.

    >>> from datetime import date
    >>> from alize_adapters.host.payloads import DocumentKind
    >>> request = RenderRequest(kind=DocumentKind.DECISION_LETTER, territory="MEUSE",
    ...     on=date(2026, 3, 12), title="Décision du comité", fields=(("Projet", "P1"),))
    >>> print(DefaultRenderer().alize_render_document(request).content.decode())
    Décision du comité
    MEUSE, le 12/03/2026
    <BLANKLINE>
    Projet : P1
    <BLANKLINE>
    """

    @hookimpl(trylast=True)
    def alize_render_document(self, request: RenderRequest) -> RenderedDocument | None:
        """Render any document as plain text."""
        lines = [request.title, f"{request.territory}, le {request.on:%d/%m/%Y}", ""]
        lines.extend(f"{label} : {text}" for label, text in request.fields)
        return RenderedDocument(
            media_type="text/plain; charset=utf-8",
            filename=f"{request.kind.value}-{request.on.isoformat()}.txt",
            content=("\n".join(lines) + "\n").encode("utf-8"),
        )


@attrs.frozen
class _Origin:
    origin: PluginOrigin
    distribution: str | None
    version: str | None


class _Refused(Exception):
    def __init__(self, failure: LoadFailure) -> None:
        super().__init__(failure.describe())
        self.failure = failure


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _distribution(entry_point: importlib.metadata.EntryPoint) -> tuple[str | None, str | None]:
    dist = entry_point.dist
    if dist is None:
        return None, None
    return dist.name, dist.version


class AdapterManager:
    """
    The host of a deployment's adapters; one per configuration, never global.

    Args:
        config: The deployment's configuration (everything allowed, nothing bound, by default).

    .. versionadded:: 0.1.0
    """

    def __init__(self, config: AdapterConfig | None = None) -> None:
        self.config = config or AdapterConfig()
        self._pm = pluggy.PluginManager(PROJECT)
        for spec in SPECS:
            self._pm.add_hookspecs(spec)
        self._origins: dict[str, _Origin] = {}
        self._failures: list[LoadFailure] = []
        self._skipped: list[SkippedAdapter] = []
        self._offers: dict[BackendRole, tuple[OfferInfo, ...]] = {}
        self._factories: dict[tuple[BackendRole, str, str], BackendOffer[object]] = {}
        self._bound: dict[BackendRole, tuple[tuple[BackendRole, str, str], object]] = {}
        self._admit(DefaultRenderer(), DEFAULT_RENDERER, _Origin(PluginOrigin.BUILT_IN, None, None))

    # -- loading --------------------------------------------------------------------

    def load_entry_points(
        self, entry_points: Iterable[importlib.metadata.EntryPoint] | None = None
    ) -> None:
        """
        Load the installed adapters (the entry points of the group ``alize.adapters``).

        Each loads in isolation: one that fails is recorded in :attr:`failures`
        and the others load. The same distribution listed twice is loaded once;
        a name offered by two distributions is a conflict and neither loads.

        Args:
            entry_points: The entry points to load, instead of the installed ones.

        Raises:
            AdapterLoadError: In strict mode, on the first failure.
        """
        if entry_points is None:
            entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        by_name: dict[str, list[importlib.metadata.EntryPoint]] = {}
        for entry_point in entry_points:
            by_name.setdefault(normalise_name(entry_point.name), []).append(entry_point)
        for name in sorted(by_name):
            found = by_name[name]
            sources = sorted({_distribution(ep) for ep in found}, key=str)
            distribution, version = sources[0]
            if len(sources) > 1:
                listed = ", ".join(f"{d} {v}" for d, v in sources)
                reason = f"offered by several distributions ({listed}); uninstall all but one"
                self._fail(LoadFailure(name, LoadStage.CONFLICT, reason, listed, None))
                continue
            if name in self._origins:
                origin = self._origins[name].origin.value
                reason = f"an adapter named {name!r} is already loaded ({origin})"
                self._fail(LoadFailure(name, LoadStage.CONFLICT, reason, distribution, version))
                continue
            why_not = self.config.admits(name)
            if why_not is not None:
                self._skipped.append(SkippedAdapter(name, why_not, distribution, version))
                continue
            self._load_one(name, found[0], distribution, version)

    def _load_one(
        self,
        name: str,
        entry_point: importlib.metadata.EntryPoint,
        distribution: str | None,
        version: str | None,
    ) -> None:
        try:
            plugin = entry_point.load()
        except Exception as exc:
            failure = LoadFailure(
                name,
                LoadStage.IMPORT,
                _one_line(exc),
                distribution,
                version,
                "".join(traceback.format_exception(exc)),
            )
            self._fail(failure)
            return
        try:
            self._admit(plugin, name, _Origin(PluginOrigin.ENTRY_POINT, distribution, version))
        except _Refused as refused:
            self._fail(refused.failure)
            return
        logger.info("adapter %s loaded (%s %s)", name, distribution or "?", version or "?")

    def register(
        self,
        plugin: object,
        *,
        name: str,
        distribution: str | None = None,
        version: str | None = None,
    ) -> None:
        """
        Register an adapter object the application holds (a module or an instance).

        Args:
            plugin: The adapter.
            name: Its name.
            distribution: The distribution it comes from, if any.
            version: That distribution's version.

        Raises:
            AdapterLoadError: The adapter was refused; nothing of it was registered.
        """
        check_id(name, field="name")
        try:
            self._admit(
                plugin,
                normalise_name(name),
                _Origin(PluginOrigin.REGISTERED, distribution, version),
            )
        except _Refused as refused:
            raise AdapterLoadError(refused.failure) from None

    def unregister(self, name: str) -> None:
        """Remove an adapter (and the backends bound from its offers); an unknown name is ignored."""
        name = normalise_name(name)
        self._pm.unregister(name=name)
        self._origins.pop(name, None)
        self._refresh_offers()

    def _fail(self, failure: LoadFailure) -> None:
        self._failures.append(failure)
        if self.config.strict:
            raise AdapterLoadError(failure)  # the error says it: no warning before it
        logger.warning(
            "adapter %s not loaded (%s failed): %s",
            failure.name,
            failure.stage.value,
            failure.reason,
        )

    def _admit(self, plugin: object, name: str, origin: _Origin) -> None:
        def refuse(stage: LoadStage, reason: str, exc: BaseException | None = None) -> _Refused:
            trace = "".join(traceback.format_exception(exc)) if exc is not None else ""
            failure = LoadFailure(name, stage, reason, origin.distribution, origin.version, trace)
            return _Refused(failure)

        if isinstance(plugin, type):
            msg = "names a class; point the entry point at a module or an instance"
            raise refuse(LoadStage.REGISTRATION, msg)
        if name in self._origins:
            msg = f"an adapter named {name!r} is already loaded"
            raise refuse(LoadStage.CONFLICT, msg)
        try:
            self._pm.register(plugin, name=name)
        except Exception as exc:
            raise refuse(LoadStage.REGISTRATION, _one_line(exc), exc) from None
        try:
            for caller in self._pm.get_hookcallers(plugin) or ():
                for impl in caller.get_hookimpls():
                    if impl.plugin is plugin and (impl.hookwrapper or impl.wrapper):
                        msg = f"{caller.name} is a hook wrapper; alize calls adapters one by one"
                        raise refuse(LoadStage.VALIDATION, msg)
            try:
                self._pm.check_pending()
            except pluggy.PluginValidationError as exc:
                raise refuse(LoadStage.VALIDATION, _one_line(exc), exc) from None
            self._origins[name] = origin
            try:
                self._refresh_offers()
            except AdapterError as exc:
                del self._origins[name]
                reason = exc.reason if exc.adapter == name else str(exc)
                raise refuse(LoadStage.OFFERS, reason, exc) from None
        except _Refused:
            self._pm.unregister(plugin)
            self._refresh_offers()
            raise

    # -- offers and bindings --------------------------------------------------------

    def _refresh_offers(self) -> None:
        offers: dict[BackendRole, tuple[OfferInfo, ...]] = {}
        factories: dict[tuple[BackendRole, str, str], BackendOffer[object]] = {}
        request = RegistrationRequest(SPEC_VERSION)
        for role in BackendRole:
            found: list[OfferInfo] = []
            for impl in self._impls(role.hook_name):
                result = self._call(impl, request, role.hook_name)
                for offer in self._check_offers(result, role, impl):
                    found.append(
                        OfferInfo(
                            role,
                            offer.name,
                            impl.plugin_name,
                            offer.capabilities,
                            offer.description,
                        )
                    )
                    factories[role, offer.name, impl.plugin_name] = offer
            offers[role] = tuple(sorted(found, key=lambda o: (o.name, o.adapter)))
        self._offers = offers
        self._factories = factories
        for role, (key, _backend) in list(self._bound.items()):
            current, _problem = self._binding(role)
            if current is None or (role, current.name, current.adapter) != key:
                del self._bound[role]

    def _check_offers(
        self, result: object, role: BackendRole, impl: pluggy.HookImpl
    ) -> tuple[BackendOffer[object], ...]:
        def broken(reason: str) -> AdapterContractError:
            error = AdapterContractError(reason)
            self._locate(error, impl.plugin_name, role.hook_name)
            return error

        if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
            raise broken(f"returned a {type(result).__name__}, not a list of BackendOffer")
        offers: list[BackendOffer[object]] = []
        for item in result:
            if not isinstance(item, BackendOffer):
                raise broken(f"returned a {type(item).__name__} among its BackendOffer records")
            if item.role is not role:
                raise broken(f"offered {item.name!r} for role {item.role.value}, not {role.value}")
            if any(other.name == item.name for other in offers):
                raise broken(f"offered two {role.value} backends named {item.name!r}")
            offers.append(item)
        return tuple(offers)

    def offers(self, role: BackendRole) -> tuple[OfferInfo, ...]:
        """The backends offered for a role by the loaded adapters, sorted by name."""
        return self._offers.get(role, ())

    def _binding(self, role: BackendRole) -> tuple[OfferInfo | None, str]:
        name = self.config.binding(role)
        offers = self.offers(role)
        available = ", ".join(f"{o.name} (adapter {o.adapter})" for o in offers)
        if name is None and not offers:
            return None, f"no loaded adapter offers a backend for the role {role.value}"
        if name is None:
            return None, (
                f"no {role.value} backend is chosen; set roles.{role.value} in the"
                f" configuration to one of: {available}"
            )
        matching = [o for o in offers if o.name == name]
        if not matching:
            return None, (
                f"the {role.value} backend {name!r} is not offered by any loaded adapter;"
                f" offered: {available or 'none'}"
            )
        if len(matching) > 1:
            providers = ", ".join(o.adapter for o in matching)
            return None, (
                f"the {role.value} backend {name!r} is offered by several adapters"
                f" ({providers}); deny all but one"
            )
        return matching[0], ""

    def backend(self, role: BackendRole) -> object:
        """
        The backend bound to a role, built on first use by the offering adapter's factory.

        Raises:
            AdapterNotBound: Configuration names no backend for the role, or one no
                adapter offers, or one several adapters offer.
            AdapterContractError: The factory returned something that is not a backend
                of the role's protocol.
            AdapterError: The factory failed (e.g. the tool is unreachable).
        """
        if role in self._bound:
            return self._bound[role][1]
        offer, problem = self._binding(role)
        if offer is None:
            raise AdapterNotBound(problem)
        key = (role, offer.name, offer.adapter)
        factory = self._factories[key].factory
        settings = BackendSettings(offer.name, self.config.options_for(offer.name))
        operation = f"{role.value} backend {offer.name} factory"
        backend = self._guarded(offer.adapter, operation, lambda: factory(settings))
        protocol = _PROTOCOLS[role]
        if not isinstance(backend, protocol):
            error = AdapterContractError(
                f"returned a {type(backend).__name__}, which is not a {protocol.__name__}"
            )
            self._locate(error, offer.adapter, operation)
            raise error
        self._bound[role] = (key, backend)
        return backend

    def capabilities(self, role: BackendRole) -> frozenset[Capability]:
        """
        The capabilities declared by the backend bound to a role.

        Raises:
            AdapterNotBound: The role is not bound to exactly one offered backend.
        """
        offer, problem = self._binding(role)
        if offer is None:
            raise AdapterNotBound(problem)
        return offer.capabilities

    # backend() has checked that the backend bound to a role follows the role's protocol.

    def crm(self) -> CrmBackend:
        """The CRM backend (see :meth:`backend`)."""
        return cast("CrmBackend", self.backend(BackendRole.CRM))

    def accounting(self) -> AccountingBackend:
        """The accounting backend (see :meth:`backend`)."""
        return cast("AccountingBackend", self.backend(BackendRole.ACCOUNTING))

    def documents(self) -> DocumentBackend:
        """The document store (see :meth:`backend`)."""
        return cast("DocumentBackend", self.backend(BackendRole.DOCUMENTS))

    def notifications(self) -> NotificationBackend:
        """The messaging backend (see :meth:`backend`)."""
        return cast("NotificationBackend", self.backend(BackendRole.NOTIFICATIONS))

    # -- hook calls -----------------------------------------------------------------

    def _impls(self, hook_name: str) -> list[pluggy.HookImpl]:
        caller: pluggy.HookCaller = getattr(self._pm.hook, hook_name)
        # pluggy calls the last of this list first.
        return list(reversed(caller.get_hookimpls()))

    def _locate(self, error: AdapterError, adapter: str, operation: str) -> None:
        origin = self._origins.get(adapter)
        error.locate(
            adapter=adapter,
            operation=operation,
            distribution=origin.distribution if origin else None,
            version=origin.version if origin else None,
        )

    def _guarded(self, adapter: str, operation: str, call: Callable[[], _T]) -> _T:
        """Run adapter code: its AdapterError gets located, any other exception is a crash."""
        try:
            return call()
        except AdapterError as exc:
            self._locate(exc, adapter, operation)
            raise
        except Exception as exc:
            crash = AdapterCrashed(_one_line(exc))
            self._locate(crash, adapter, operation)
            raise crash from exc

    def _call(self, impl: pluggy.HookImpl, payload: object, operation: str) -> object:
        arguments = [payload for _name in impl.argnames]
        return self._guarded(impl.plugin_name, operation, lambda: impl.function(*arguments))

    def subscribers(self, kind: NoticeKind) -> tuple[str, ...]:
        """The names of the adapters that observe an event kind, sorted."""
        return tuple(sorted(impl.plugin_name for impl in self._impls(kind.hook_name)))

    def deliver(self, adapter: str, event: EventNotice) -> None:
        """
        Deliver an event to one adapter only, and check what its hook returns.

        Args:
            adapter: The adapter's name.
            event: The event.

        Raises:
            AdapterNotBound: No loaded adapter of this name observes this kind of event.
            AdapterError: The adapter failed; the error names it (``retryable`` says
                whether to try again). Any other exception it raises becomes
                :class:`~alize_adapters.host.errors.AdapterCrashed`.
            AdapterContractError: The hook returned something other than ``None``.
        """
        name = normalise_name(adapter)
        for impl in self._impls(event.hook_name):
            if impl.plugin_name == name:
                result = self._call(impl, event, event.hook_name)
                if result is not None:
                    error = AdapterContractError(
                        f"returned a {type(result).__name__}; event hooks return None"
                    )
                    self._locate(error, name, event.hook_name)
                    raise error
                return
        raise AdapterNotBound(f"no loaded adapter named {name!r} observes {event.kind.value}")

    def render(self, request: RenderRequest) -> RenderedDocument:
        """
        Render a document: the first adapter that returns one wins, alize's renderer last.

        Raises:
            AdapterError: A renderer failed; the error names it.
            AdapterContractError: A renderer returned something other than a document.
            AdapterNotBound: No renderer is registered at all.
        """
        for impl in self._impls("alize_render_document"):
            result = self._call(impl, request, "alize_render_document")
            if result is None:
                continue
            if not isinstance(result, RenderedDocument):
                error = AdapterContractError(
                    f"returned a {type(result).__name__}, not a RenderedDocument"
                )
                self._locate(error, impl.plugin_name, "alize_render_document")
                raise error
            return attrs.evolve(result, renderer=impl.plugin_name)
        raise AdapterNotBound("no renderer is registered")

    # -- status ---------------------------------------------------------------------

    @property
    def failures(self) -> tuple[LoadFailure, ...]:
        """The adapters that failed to load, in the order they failed."""
        return tuple(self._failures)

    @property
    def skipped(self) -> tuple[SkippedAdapter, ...]:
        """The installed adapters configuration left out."""
        return tuple(self._skipped)

    def plugins(self) -> tuple[PluginInfo, ...]:
        """The loaded adapters, sorted by name."""
        found = []
        for name, plugin in self._pm.list_name_plugin():
            origin = self._origins.get(name)
            if origin is None or plugin is None:
                continue
            hooks = tuple(sorted(c.name for c in self._pm.get_hookcallers(plugin) or ()))
            found.append(
                PluginInfo(name, origin.origin, origin.distribution, origin.version, hooks)
            )
        return tuple(sorted(found, key=lambda p: p.name))

    def status(self) -> AdapterStatus:
        """Everything ``alize adapters list`` shows."""
        bindings = []
        for role in BackendRole:
            offer, problem = self._binding(role)
            bindings.append(
                Binding(
                    role,
                    self.config.binding(role),
                    offer.adapter if offer else None,
                    problem,
                )
            )
        return AdapterStatus(
            self.plugins(),
            tuple(offer for role in BackendRole for offer in self.offers(role)),
            tuple(bindings),
            self.failures,
            self.skipped,
        )
