"""
The ``alize`` command line.

Each command lives in a module of :mod:`alize_adapters.cli.commands` that
defines ``register(subparsers)``; the modules are found in name order, so a new
command is a new module. Bad input prints one line naming the field and the
value and exits with status 1; a usage error exits with status 2.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from alize_adapters.cli import commands
from alize_core import AlizeError, __version__


__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of every ``alize`` command."""
    parser = argparse.ArgumentParser(
        prog="alize",
        description="The rules of the ALIZÉ programme: committees, advances, fund, reports.",
    )
    parser.add_argument("--version", action="version", version=f"alize {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run ``alize`` with these arguments; return the exit status.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
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
        name = exc.filename if exc.filename is not None else ""
        print(f"alize: error: {name}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("alize: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
