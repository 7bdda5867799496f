"""
Registration payloads (*offres de connecteurs*): what the registration hooks take and return.

The host asks with a :class:`RegistrationRequest`; an adapter answers with
:class:`BackendOffer` records, each filling a :class:`BackendRole` with declared
:class:`Capability` s; the factory of the backend bound by configuration receives its
:class:`BackendSettings`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Final, Generic, TypeVar

import attrs

from alize_core import InvalidValue
from alize_core.kernel.validation import (
    check_id,
    checked,
)


__all__ = [
    "BackendOffer",
    "BackendRole",
    "BackendSettings",
    "Capability",
    "RegistrationRequest",
    "shown_options",
]


_NAME: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

B = TypeVar("B")


class BackendRole(enum.StrEnum):
    """
    What a backend is for (*rôle*): each role is bound to one named backend by configuration.
    """

    CRM = "crm"
    """The operator's customer-relationship tool: companies, contacts, projects."""
    ACCOUNTING = "accounting"
    """The operator's accounting tool: entries, bank movements, exports."""
    DOCUMENTS = "documents"
    """Where rendered documents (agreements, minutes, letters) are kept."""
    NOTIFICATIONS = "notifications"
    """How messages reach people (e-mail, chat)."""

    @property
    def hook_name(self) -> str:
        """The registration hook through which adapters offer backends for this role."""
        return f"alize_{self.value.removesuffix('s')}_backends"

    @property
    def capabilities(self) -> frozenset[Capability]:
        """
        Every capability a backend of this role may declare.

        >>> sorted(capability.value for capability in BackendRole.CRM.capabilities)
        ['companies', 'contacts', 'projects']

        .. versionadded:: 0.1.0
        """
        return frozenset(capability for capability in Capability if capability.role is self)


class Capability(enum.StrEnum):
    """
    What a backend declares it can do (*capacité*); anything else raises ``CapabilityNotSupported``.
    """

    COMPANIES = "companies"
    """CRM: read and upsert companies by SIREN."""
    CONTACTS = "contacts"
    """CRM: upsert contacts keyed by e-mail."""
    PROJECTS = "projects"
    """CRM: upsert and page through projects."""
    POSTING = "posting"
    """Accounting: post balanced entries with an idempotency key."""
    BANK_MOVEMENTS = "bank_movements"
    """Accounting: read bank movements from a cursor."""
    EXPORT = "export"
    """Accounting: export the entries of a period."""
    STORE = "store"
    """Documents: keep a rendered document and fetch it back."""
    SEND = "send"
    """Notifications: send a message once per idempotency key."""

    @property
    def role(self) -> BackendRole:
        """The role this capability belongs to."""
        return _CAPABILITY_ROLES[self]


_CAPABILITY_ROLES: Final[Mapping[Capability, BackendRole]] = {
    Capability.COMPANIES: BackendRole.CRM,
    Capability.CONTACTS: BackendRole.CRM,
    Capability.PROJECTS: BackendRole.CRM,
    Capability.POSTING: BackendRole.ACCOUNTING,
    Capability.BANK_MOVEMENTS: BackendRole.ACCOUNTING,
    Capability.EXPORT: BackendRole.ACCOUNTING,
    Capability.STORE: BackendRole.DOCUMENTS,
    Capability.SEND: BackendRole.NOTIFICATIONS,
}


def _option_pairs(value: object) -> tuple[tuple[str, str], ...]:
    if isinstance(value, Mapping):
        value = tuple(value.items())
    if not isinstance(value, Iterable) or isinstance(value, str):
        raise InvalidValue("options", value, "must be pairs of (name, text)")
    pairs = tuple(sorted(tuple(pair) for pair in value))
    for pair in pairs:
        if len(pair) != 2 or not all(isinstance(part, str) for part in pair):
            raise InvalidValue("options", pair, "must be a (name, text) pair")
    return pairs


_SECRET_NAME: Final = re.compile(r"pass|secret|token|key|credential|auth", re.IGNORECASE)


def shown_options(options: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """
    Options as a ``repr`` may show them: the value of an option named like a secret (a
    password, a token, a key…) hidden; one naming an environment variable (``*_env``) is
    only a name, and shown.

    >>> shown_options([("api_key", "abc"), ("password_env", "ALIZE_PASSWORD"), ("url", "http://x")])
    (('api_key', '***'), ('password_env', 'ALIZE_PASSWORD'), ('url', 'http://x'))

    .. versionadded:: 0.1.0
    """
    return tuple(
        (name, "***" if _SECRET_NAME.search(name) and not name.endswith("_env") else value)
        for name, value in options
    )


@attrs.frozen
class RegistrationRequest:
    """
    The payload of the registration hooks: what the host asks adapters to offer.

    Attributes:
        spec_version: The version of the hook specifications the host speaks
            (:data:`alize_adapters.host.hookspecs.SPEC_VERSION`).
    """

    spec_version: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class BackendSettings:
    """
    What a backend factory receives: the backend's name and its options from configuration.

    Options are text (like environment variables); a factory reads and checks
    them itself, and never receives secrets it did not ask for. Its ``repr`` hides the
    value of an option named like a secret (:func:`shown_options`).

    Attributes:
        name: The backend's name, as offered.
        options: The configured options, as sorted ``(name, text)`` pairs.
    """

    name: str = attrs.field(validator=checked(check_id))
    options: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_option_pairs, repr=lambda options: repr(shown_options(options))
    )

    def option(self, name: str, default: str | None = None) -> str | None:
        """The text of an option, or ``default`` when it is not set."""
        return dict(self.options).get(name, default)


def _backend_name(value: object, *, field: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        msg = "must be a short lower-case name (letters, digits, hyphens), e.g. 'acme-crm'"
        raise InvalidValue(field, value, msg)


def _capabilities(value: object, *, field: str) -> None:
    if not isinstance(value, frozenset) or not all(isinstance(c, Capability) for c in value):
        raise InvalidValue(field, value, "must be a frozenset of Capability members")


def _callable(value: object, *, field: str) -> None:
    if not callable(value):
        raise InvalidValue(field, value, "must be a function taking BackendSettings")


@attrs.frozen
class BackendOffer(Generic[B]):
    """
    A backend an adapter offers for a role (*offre de connecteur*): a name, a factory, capabilities.

    The factory is called only when configuration binds the role to this name,
    so offering a backend costs nothing (no import of a vendor SDK, no network).

    Attributes:
        role: The role the backend fills.
        name: Its name, short and lower-case (``acme-crm``); configuration binds roles to it.
        factory: Builds the backend from its :class:`BackendSettings`.
        capabilities: What it can do; anything else raises ``CapabilityNotSupported``.
        description: One line for ``alize adapters list``.

    >>> offer = BackendOffer(BackendRole.CRM, "memory", dict, frozenset({Capability.COMPANIES}))
    >>> offer.name
    'memory'
    >>> BackendOffer(BackendRole.CRM, "Acme CRM", dict, frozenset())
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: name: 'Acme CRM' must be a short lower-case name (letters, digits, hyphens), e.g. 'acme-crm'
    """

    role: BackendRole = attrs.field(validator=attrs.validators.instance_of(BackendRole))
    name: str = attrs.field(validator=checked(_backend_name))
    factory: Callable[[BackendSettings], B] = attrs.field(validator=checked(_callable))
    capabilities: frozenset[Capability] = attrs.field(validator=checked(_capabilities))
    description: str = ""

    def __attrs_post_init__(self) -> None:
        foreign = sorted(c.value for c in self.capabilities if c.role is not self.role)
        if foreign:
            msg = f"belong to another role than {self.role.value}"
            raise InvalidValue("capabilities", ", ".join(foreign), msg)
