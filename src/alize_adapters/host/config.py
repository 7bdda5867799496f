"""
The adapters' configuration (*configuration des adaptateurs*): which adapters load, which
backend fills each role, and each backend's options.

An :class:`AdapterConfig` is read from JSON-ready data (:meth:`AdapterConfig.from_mapping`)
and changed by the environment variables an operator may set
(:meth:`AdapterConfig.with_environment`); adapter names are compared as
:func:`normalise_name` writes them. The :class:`~alize_adapters.host.manager.AdapterManager`
applies it.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from alize_adapters.host.payloads import BackendRole, shown_options
from alize_core import MalformedInput


__all__ = ["AdapterConfig", "normalise_name"]


def normalise_name(name: str) -> str:
    """
    An adapter's name as alize compares it: lower case, ``_`` written ``-``.

    >>> normalise_name(" Acme_CRM ")
    'acme-crm'

    .. versionadded:: 0.1.0
    """
    return name.strip().lower().replace("_", "-")


def _names(value: object, path: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | frozenset | set):
        raise MalformedInput(path, None, "must be a list of adapter names")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise MalformedInput(f"{path}[{index}]", item, "must be an adapter name")
    return frozenset(normalise_name(item) for item in value)


def _text_mapping(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise MalformedInput(path, None, "must be an object of names and texts")
    for key, item in value.items():
        if not isinstance(item, str):
            raise MalformedInput(f"{path}.{key}", item, "must be text")
    return dict(value)


@attrs.frozen
class AdapterConfig:
    """
    How a deployment wants its adapters (*configuration des adaptateurs*).

    Attributes:
        allow: The only adapters to load, or ``None`` for every installed one.
        deny: Adapters never to load.
        strict: Whether the first adapter that fails to load stops everything (for CI).
        roles: Each role's backend name, as ``(role, name)`` pairs.
        options: Each backend's options, as ``(backend name, ((option, text), …))`` pairs
            (the ``repr`` hides the values of those named like a secret).
    """

    allow: frozenset[str] | None = None
    deny: frozenset[str] = frozenset()
    strict: bool = False
    roles: tuple[tuple[BackendRole, str], ...] = ()
    options: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = attrs.field(
        default=(),
        repr=lambda options: repr(tuple((name, shown_options(pairs)) for name, pairs in options)),
    )

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> AdapterConfig:
        """
        Read a configuration from JSON-ready data.

        The keys are ``allow`` and ``deny`` (lists of adapter names), ``strict``
        (true or false), ``roles`` (``{"crm": "acme-crm", …}``) and ``options``
        (``{"acme-crm": {"url": "…"}, …}``).

        Raises:
            MalformedInput: A key is unknown or a value has the wrong shape; its path is named.

        >>> AdapterConfig.from_mapping({"roles": {"crm": "acme"}}).binding(BackendRole.CRM)
        'acme'
        >>> AdapterConfig.from_mapping({"roles": {"erp": "acme"}})
        Traceback (most recent call last):
        ...
        alize_core.kernel.errors.MalformedInput: roles.erp: is not a role (crm, accounting, documents, notifications)
        """
        if not isinstance(data, Mapping):
            raise MalformedInput("$", None, "must be an object")
        known = {"allow", "deny", "strict", "roles", "options"}
        for key in data:
            if key not in known:
                raise MalformedInput(str(key), None, "is not a field alize knows here")
        allow = None if data.get("allow") is None else _names(data["allow"], "allow")
        deny = _names(data.get("deny", ()), "deny")
        strict = data.get("strict", False)
        if not isinstance(strict, bool):
            raise MalformedInput("strict", strict, "must be true or false")
        roles: list[tuple[BackendRole, str]] = []
        for role_name, backend in _text_mapping(data.get("roles", {}), "roles").items():
            try:
                role = BackendRole(role_name)
            except ValueError:
                words = ", ".join(r.value for r in BackendRole)
                raise MalformedInput(
                    f"roles.{role_name}", None, f"is not a role ({words})"
                ) from None
            roles.append((role, backend))
        raw_options = data.get("options", {})
        if not isinstance(raw_options, Mapping):
            raise MalformedInput("options", None, "must be an object of backend names")
        options = tuple(
            (str(name), tuple(sorted(_text_mapping(values, f"options.{name}").items())))
            for name, values in sorted(raw_options.items())
        )
        return cls(allow, deny, strict, tuple(roles), options)

    def with_environment(self, environ: Mapping[str, str]) -> AdapterConfig:
        """
        This configuration changed by the environment variables an operator may set.

        ``ALIZE_ADAPTERS_ALLOW`` (comma-separated names; empty: load none),
        ``ALIZE_ADAPTERS_DENY`` (comma-separated names, added to the deny list),
        ``ALIZE_ADAPTERS_STRICT`` (``1`` for strict mode).

        >>> sorted(AdapterConfig().with_environment({"ALIZE_ADAPTERS_DENY": "acme, Old_CRM"}).deny)
        ['acme', 'old-crm']
        """
        config = self
        if "ALIZE_ADAPTERS_ALLOW" in environ:
            words = [w for w in environ["ALIZE_ADAPTERS_ALLOW"].split(",") if w.strip()]
            config = attrs.evolve(config, allow=frozenset(normalise_name(w) for w in words))
        if environ.get("ALIZE_ADAPTERS_DENY", "").strip():
            words = [w for w in environ["ALIZE_ADAPTERS_DENY"].split(",") if w.strip()]
            config = attrs.evolve(
                config, deny=config.deny | frozenset(normalise_name(w) for w in words)
            )
        if environ.get("ALIZE_ADAPTERS_STRICT", "").strip() in {"1", "true", "yes"}:
            config = attrs.evolve(config, strict=True)
        return config

    def binding(self, role: BackendRole) -> str | None:
        """The backend name configured for a role, or ``None``."""
        return dict(self.roles).get(role)

    def options_for(self, backend: str) -> tuple[tuple[str, str], ...]:
        """The options configured for a backend."""
        return dict(self.options).get(backend, ())

    def admits(self, name: str) -> str | None:
        """``None`` when an adapter may load; otherwise why it may not."""
        name = normalise_name(name)
        if name in self.deny:
            return "denied by configuration"
        if self.allow is not None and name not in self.allow:
            return "not in the allow list"
        return None
