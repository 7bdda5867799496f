"""
The ``alize`` command line.

Each command lives in a module of :mod:`alize_adapters.cli.commands` named after it
(``import_`` for ``import``, ``erase_person`` for ``erase-person``) that defines
``register(subparsers)``: a new command is a new module. ``alize COMMAND …`` imports
that command's module alone and ``alize --version`` imports none, so a command starts
in the time its own imports take; ``alize`` and ``alize --help`` import every command
to list each with its help. The commands read their configuration (``alize --config
PATH``, ``$ALIZE_CONFIG``, ``./alize.toml``, the environment) through
:func:`alize_adapters.cli.config.config_of`. Bad input prints one line naming the field and the value
and exits with status 1; a usage error exits with status 2.

.. versionadded:: 0.1.0
.. versionchanged:: 0.16.0
   A command's module is imported only when that command runs.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import keyword
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from alize_adapters.cli import commands


__all__ = ["build_parser", "command_module", "command_names", "log_to_stderr", "main"]

DESCRIPTION: Final = "The rules of the ALIZÉ programme: committees, advances, fund, reports."

_VALUED_OPTIONS: Final = frozenset({"--config"})
_HANDLER: Final = "alize-command-line"
"""The name of the log handler ``alize`` adds (replaced, not added again, on each run)."""
"""The options of ``alize`` itself (before the command) that take a value."""


def command_module(command: str) -> str:
    """
    The module that defines a command: its name, ``-`` written ``_``, a keyword suffixed ``_``.

    >>> command_module("erase-person"), command_module("import")
    ('alize_adapters.cli.commands.erase_person', 'alize_adapters.cli.commands.import_')

    .. versionadded:: 0.16.0
    """
    name = command.replace("-", "_")
    if keyword.iskeyword(name):
        name += "_"
    return f"{commands.__name__}.{name}"


def command_names() -> tuple[str, ...]:
    """
    Every command, in name order, read from the names of the command modules (none imported).

    .. versionadded:: 0.16.0
    """
    names = []
    for folder in commands.__path__:
        for entry in os.scandir(folder):
            stem, _, suffix = entry.name.partition(".")
            package = entry.is_dir() and os.path.isfile(os.path.join(entry.path, "__init__.py"))
            if stem.startswith("_") or not stem.isidentifier():
                continue
            if suffix == "py" or (package and not suffix):
                names.append(stem.removesuffix("_").replace("_", "-"))
    return tuple(sorted(names))


def _version() -> str:
    """
    alize's version, read without importing :mod:`alize_core` (whose import builds the
    whole rulebook, most of ``alize --version``'s time otherwise).
    """
    core = sys.modules.get("alize_core")
    if core is not None:
        version: str = core.__version__
        return version
    spec = importlib.util.find_spec("alize_core")
    folders = spec.submodule_search_locations if spec is not None else None
    source = importlib.util.spec_from_file_location(
        "alize_core._version", os.path.join(next(iter(folders or ())), "_version.py")
    )
    if source is None or source.loader is None:  # pragma: no cover - alize_core is installed
        return str(importlib.import_module("alize_core").__version__)
    module = importlib.util.module_from_spec(source)
    source.loader.exec_module(module)
    return str(module.__version__)


def build_parser(names: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """
    The parser of ``alize``, with these commands (default: every command).

    Each command's module is imported to add its parser; with ``names=()`` none is.

    .. versionchanged:: 0.16.0
       *names*: the commands to add.
    """
    parser = argparse.ArgumentParser(prog="alize", description=DESCRIPTION, allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"alize {_version()}")
    parser.add_argument(
        "--config",
        type=Path,
        dest="config_file",
        metavar="PATH",
        help="the configuration file (default: $ALIZE_CONFIG, else ./alize.toml if there is one)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="say what is done on standard error (-v: each step, -vv: every detail)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="count",
        default=0,
        help="say only errors on standard error: no warnings, no progress line",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name in command_names() if names is None else names:
        importlib.import_module(command_module(name)).register(subparsers)
    return parser


def _command_word(words: Sequence[str]) -> str | None:
    """The command of an ``alize`` command line: its first word that is not an option."""
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "--":
            return None  # argparse takes no command after "--": the full parser says so
        elif word in _VALUED_OPTIONS:
            skip = True
        elif not word.startswith("-") or word == "-":
            return word
    return None


def _wanted(words: Sequence[str]) -> tuple[str, ...] | None:
    """The commands the parser needs for these words: one, none (``--version``), or all."""
    word = _command_word(words)
    if word is not None:
        return (word,) if word in command_names() else None
    asks_help = any(w in {"-h", "--help"} for w in words)
    return () if "--version" in words and not asks_help else None


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run ``alize`` with these arguments; return the exit status.

    Without a command, the help (every command with its one line) is printed and the
    status is 2.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_wanted(words))
    if not words:
        parser.print_help()
        return 2
    args = parser.parse_args(words)
    return _run(args)


@contextmanager
def log_to_stderr(verbosity: int) -> Iterator[None]:
    """
    While the block runs, show the adapters' log on standard error, one plain line a
    record: warnings and errors
    by default (``verbosity`` 0), information from 1 (``-v``), every detail from 2 (``-vv``),
    errors only below 0 (``-q``), which also hides the progress lines.

    .. versionadded:: 0.16.0
    """
    logger = logging.getLogger("alize_adapters")
    for handler in [h for h in logger.handlers if h.get_name() == _HANDLER]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER)
    detail = " [%(name)s]" if verbosity >= 2 else ""
    handler.setFormatter(logging.Formatter(f"alize: %(levelname)s: %(message)s{detail}"))
    logger.addHandler(handler)
    levels = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO, 2: logging.DEBUG}
    level = logger.level
    logger.setLevel(levels[max(-1, min(verbosity, 2))])
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _run(args: argparse.Namespace) -> int:
    """Run the command the arguments name, its log on standard error."""
    with log_to_stderr(args.verbose - args.quiet):
        return _handle(args)


def _handle(args: argparse.Namespace) -> int:
    """Run the command the arguments name; errors become one line on standard error."""
    # The command's module has imported the core already: importing its errors here is free.
    from alize_core.kernel.errors import AlizeError  # noqa: PLC0415

    try:
        if getattr(args, "db_from_config", False):
            from alize_adapters.cli.config import configured_db  # noqa: PLC0415 - when needed

            args.db = configured_db(args)
        status: int = args.handler(args)
    except AlizeError as exc:
        print(f"alize: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (e.g. `head`) stopped reading: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        name = "".join(  # a name's unprintable characters escaped: the error stays one line
            c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
            for c in str(exc.filename if exc.filename is not None else "")
        )
        print(f"alize: error: {name}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("alize: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
