"""
The command line's configuration (*configuration*): ``alize.toml`` and the environment.

One file, written by hand in TOML, configures every command of a deployment::

    db = "registers/meuse.db"          # the register (relative to this file's folder)

    [adapters]                          # as the adapters' JSON configuration
    allow = ["acme-crm"]
    strict = true
    roles = { crm = "acme-crm" }
    options = { acme-crm = { url = "https://crm.example.fr" } }

    [relay]
    outbox = "registers/meuse.outbox"   # default: the register's path + ".outbox"
    interval = 300                      # seconds between runs of `alize relay`

    [serve]
    host = "127.0.0.1"
    port = 8000
    cors_origins = ["https://crm.example.fr"]
    max_body_size = 65536               # bytes (the default)

The file is ``--config PATH`` (given before the command), else ``$ALIZE_CONFIG``,
else ``./alize.toml`` when there is one; with none, every value is its default.
A value is taken from, in this order: the command line, the environment
(``ALIZE_DB``; ``ALIZE_ADAPTERS_ALLOW``, ``ALIZE_ADAPTERS_DENY``, ``ALIZE_ADAPTERS_STRICT``),
the file, the default. A key the file does not know, or a value of the wrong kind, is
refused with an :class:`~alize_core.kernel.errors.AlizeError` naming it.

>>> config = load_config(None, {"ALIZE_DB": "/srv/alize/meuse.db"})
>>> str(config.db), config.serve.port, config.relay.outbox
('/srv/alize/meuse.db', 8000, None)

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs

from alize_adapters.host.config import AdapterConfig
from alize_adapters.storage.postgres import is_url
from alize_adapters.storage.sqlite import DEFAULT_DB
from alize_core.kernel.errors import InvalidValue, MalformedInput


__all__ = [
    "CONFIG_FILE",
    "CliConfig",
    "RelayConfig",
    "ServeConfig",
    "config_of",
    "config_path",
    "configured_db",
    "load_config",
    "parse_config",
    "seconds",
]

CONFIG_FILE: Final = Path("alize.toml")
"""The configuration file read from the current folder when none is named."""

_TABLES: Final = {"db", "adapters", "relay", "serve"}
_LONGEST: Final = 86_400
"""The longest interval between two runs, in seconds."""


@attrs.frozen
class RelayConfig:
    """
    How ``alize relay`` runs.

    Attributes:
        outbox: The outbox's SQLite file, or ``None`` for the register's path + ``.outbox``.
        interval: The seconds between two runs, or ``None`` to run once.
    """

    outbox: Path | None = None
    interval: Decimal | None = None


@attrs.frozen
class ServeConfig:
    """
    How ``alize serve`` listens.

    Attributes:
        host: The address to listen on (default ``127.0.0.1``: this machine only).
        port: The TCP port.
        cors_origins: The web origins allowed to call the API from a browser (none: CORS off).
        max_body_size: The largest request body accepted, in bytes (default 64 KiB).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: tuple[str, ...] = ()
    max_body_size: int = 65_536


_SERVE: Final = ServeConfig()
"""The defaults of ``[serve]``."""


@attrs.frozen
class CliConfig:
    """
    The configuration every command reads: the file's values, the environment's over them.

    Attributes:
        db: The register's SQLite file or PostgreSQL URL (kept as text), or ``None`` for
            ``./alize.db``.
        adapters: The adapters' configuration (the ``ALIZE_ADAPTERS_*`` variables applied).
        relay: How ``alize relay`` runs.
        serve: How ``alize serve`` listens.
        source: The file read, or ``None`` when there was none.
    """

    db: Path | str | None = None
    adapters: AdapterConfig = attrs.field(factory=AdapterConfig)
    relay: RelayConfig = attrs.field(factory=RelayConfig)
    serve: ServeConfig = attrs.field(factory=ServeConfig)
    source: Path | None = None


def _table(data: Mapping[str, object], name: str, known: set[str]) -> Mapping[str, object]:
    table = data.get(name, {})
    if not isinstance(table, Mapping):
        raise MalformedInput(name, None, "must be a table, e.g. [" + name + "]")
    for key in table:
        if key not in known:
            words = ", ".join(sorted(known))
            raise MalformedInput(f"{name}.{key}", None, f"is not a key alize knows here ({words})")
    return table


def _path(value: object, field: str, folder: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field, value, "must be a file's path, as text")
    return folder / Path(value).expanduser()


def _whole(value: object, field: str, lowest: int, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise InvalidValue(field, value, f"must be a whole number from {lowest} to {highest}")
    return value


def seconds(value: object, field: str = "interval") -> Decimal:
    """
    A number of seconds above zero, from TOML or the command line (``300``, ``"0.5"``).

    >>> seconds("0.5"), seconds(300)
    (Decimal('0.5'), Decimal('300'))
    >>> seconds("never")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: interval: 'never' must be a number of seconds above zero, at most 86400 (a day), e.g. 300
    """
    if isinstance(value, float):
        value = repr(value)  # a TOML 0.5: its shortest text is the number written
    try:
        number = (
            Decimal(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
        )
    except ArithmeticError:
        number = None
    if number is None or not number.is_finite() or not 0 < number <= _LONGEST:
        msg = f"must be a number of seconds above zero, at most {_LONGEST} (a day), e.g. 300"
        raise InvalidValue(field, value, msg)
    return number


def parse_config(
    data: Mapping[str, object], environ: Mapping[str, str], *, folder: Path = Path()
) -> CliConfig:
    """
    The configuration of a parsed ``alize.toml``, the environment applied over it.

    Args:
        data: The file's tables, as :mod:`tomllib` reads them.
        environ: The environment (``ALIZE_DB``, ``ALIZE_ADAPTERS_*``).
        folder: Where relative paths of the file start from (the file's folder).

    Raises:
        MalformedInput: A key alize does not know, or a table of the wrong shape.
        InvalidValue: A value of the wrong kind; its key is named.

    >>> parse_config({"serve": {"port": 8080}}, {}).serve.port
    8080
    >>> parse_config({"serve": {"prot": 8080}}, {})
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.MalformedInput: serve.prot: is not a key alize knows here (cors_origins, host, max_body_size, port)
    """
    for key in data:
        if key not in _TABLES:
            words = ", ".join(sorted(_TABLES))
            raise MalformedInput(str(key), None, f"is not a key alize knows here ({words})")
    db: Path | str | None = None
    if "db" in data:
        given = data["db"]
        db = given if isinstance(given, str) and is_url(given) else _path(given, "db", folder)
    if environ.get("ALIZE_DB", "").strip():
        db = environ["ALIZE_DB"] if is_url(environ["ALIZE_DB"]) else Path(environ["ALIZE_DB"])
    adapters = AdapterConfig.from_mapping(
        _table(data, "adapters", {"allow", "deny", "strict", "roles", "options"})
    ).with_environment(environ)
    relay = _table(data, "relay", {"outbox", "interval"})
    serve = _table(data, "serve", {"host", "port", "cors_origins", "max_body_size"})
    host = serve.get("host", _SERVE.host)
    if not isinstance(host, str) or not host.strip():
        raise InvalidValue("serve.host", host, "must be an address, e.g. 127.0.0.1")
    origins = serve.get("cors_origins", [])
    if not isinstance(origins, list) or not all(isinstance(o, str) and o for o in origins):
        raise InvalidValue("serve.cors_origins", origins, "must be a list of origins as text")
    return CliConfig(
        db=db,
        adapters=adapters,
        relay=RelayConfig(
            outbox=None
            if "outbox" not in relay
            else _path(relay["outbox"], "relay.outbox", folder),
            interval=None
            if "interval" not in relay
            else seconds(relay["interval"], "relay.interval"),
        ),
        serve=ServeConfig(
            host=host,
            port=_whole(serve.get("port", _SERVE.port), "serve.port", 0, 65535),
            cors_origins=tuple(origins),
            max_body_size=_whole(
                serve.get("max_body_size", _SERVE.max_body_size),
                "serve.max_body_size",
                1,
                2**40,
            ),
        ),
    )


def config_path(given: Path | None, environ: Mapping[str, str]) -> Path | None:
    """
    The configuration file to read: the one given (``--config``), else ``$ALIZE_CONFIG``,
    else ``./alize.toml`` when there is one, else none.
    """
    if given is not None:
        return given
    if environ.get("ALIZE_CONFIG", "").strip():
        return Path(environ["ALIZE_CONFIG"])
    return CONFIG_FILE if CONFIG_FILE.is_file() else None


def load_config(path: Path | None, environ: Mapping[str, str]) -> CliConfig:
    """
    The configuration: the file (``path``, else as :func:`config_path` finds it), the
    environment over it; the defaults when there is no file.

    Raises:
        MalformedInput: The file cannot be read, is not TOML (its line is named), or holds
            a key alize does not know.
        InvalidValue: A value of the wrong kind; its key is named.
    """
    found = config_path(path, environ)
    if found is None:
        return parse_config({}, environ)
    try:
        text = found.read_bytes().decode("utf-8")
    except OSError as exc:
        raise MalformedInput(str(found), None, f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        msg = f"is not UTF-8 text (byte {exc.start} cannot be read)"
        raise MalformedInput(str(found), None, msg) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MalformedInput(str(found), None, f"is not TOML: {exc}") from None
    return attrs.evolve(parse_config(data, environ, folder=found.parent), source=found)


def config_of(args: argparse.Namespace) -> CliConfig:
    """
    The configuration of this run of ``alize``: read once, from ``alize --config PATH``
    (``args.config_file``) or as :func:`config_path` finds it, with the process's environment.

    Commands read their settings through it (``config_of(args).serve.port``).
    """
    loaded = getattr(args, "loaded_config", None)
    if isinstance(loaded, CliConfig):
        return loaded
    config = load_config(getattr(args, "config_file", None), os.environ)
    args.loaded_config = config
    return config


def configured_db(args: argparse.Namespace) -> Path | str:
    """
    The register a command works on: ``--db``, else ``$ALIZE_DB``, else ``db`` of the
    configuration file, else ``./alize.db``.
    """
    given: Path | str | None = getattr(args, "db", None)
    if given is not None:
        return given
    return config_of(args).db or DEFAULT_DB
