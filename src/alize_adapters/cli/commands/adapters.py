"""
``alize adapters``: the installed adapters, the hooks they may implement, the outbox.

Exit status: 0 when shown or done; 1 on bad input (a configuration that cannot be read, an
outbox store that does not exist), or with ``list --strict`` when an adapter failed to load.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import attrs

from alize_adapters.cli.commands._files import read_input
from alize_adapters.cli.commands._manager import loaded_manager
from alize_adapters.cli.config import config_of
from alize_adapters.delivery.outbox import replay, system_clock
from alize_adapters.delivery.stores import DeliveryState, SqliteDeliveryStore
from alize_adapters.host.config import AdapterConfig
from alize_adapters.host.hookspecs import SPEC_VERSION, hook_names, hook_signature
from alize_adapters.host.status import AdapterStatus
from alize_core import MalformedInput
from alize_core.kernel.jsontext import dump_json, parse_json


def register(subparsers: Any) -> None:
    """Add the ``adapters`` command and its subcommands."""
    parser = subparsers.add_parser(
        "adapters",
        help="list the installed adapters, the hooks, and the outbox's deliveries",
        description="Inspect alize's adapters: what is installed and loaded, what failed"
        " and why, the hooks an adapter may implement, and the outbox's deliveries.",
    )
    commands = parser.add_subparsers(title="subcommands", metavar="SUBCOMMAND", required=True)

    listing = commands.add_parser(
        "list",
        help="the adapters loaded, those that failed and why, the backends and role bindings",
        description="Load every installed adapter (entry-point group alize.adapters) in"
        " isolation and show what loaded, what failed (with its distribution and version)"
        " and why, the backends offered and each role's binding. Environment:"
        " ALIZE_ADAPTERS_ALLOW, ALIZE_ADAPTERS_DENY, ALIZE_ADAPTERS_STRICT.",
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument(
        "--config",
        type=Path,
        help="a JSON file: allow, deny, strict, roles, options (default: [adapters] of alize.toml)",
    )
    listing.add_argument(
        "--strict", action="store_true", help="fail (exit status 1) if an adapter fails to load"
    )
    listing.add_argument(
        "--deny", action="append", default=[], metavar="NAME", help="do not load this adapter"
    )
    listing.add_argument(
        "--traceback", action="store_true", help="show the traceback of each failure"
    )
    listing.set_defaults(handler=run_list)

    hooks = commands.add_parser(
        "hooks",
        help="every hook an adapter may implement, with its signature",
        description="Print every hook of the alize hook specifications with its signature.",
    )
    hooks.set_defaults(handler=run_hooks)

    outbox = commands.add_parser(
        "outbox",
        help="the deliveries of an outbox store (by default: the dead letters)",
        description="Print the deliveries kept in an outbox store (an SQLite file).",
    )
    outbox.add_argument("--store", type=Path, required=True, help="the outbox's SQLite file")
    outbox.add_argument(
        "--state",
        choices=[state.value for state in DeliveryState] + ["all"],
        default=DeliveryState.DEAD.value,
        help="which deliveries to show (default: dead)",
    )
    outbox.set_defaults(handler=run_outbox)

    again = commands.add_parser(
        "replay",
        help="put dead deliveries back in the queue, for the relay's next run",
        description="Put the outbox's dead deliveries back in the queue; the relay tries"
        " them again on its next run.",
    )
    again.add_argument("--store", type=Path, required=True, help="the outbox's SQLite file")
    again.add_argument("--event", help="only this event's deliveries")
    again.add_argument("--adapter", help="only this adapter's deliveries")
    again.set_defaults(handler=run_replay)


def _config(args: argparse.Namespace) -> AdapterConfig:
    """``--config FILE.json`` if given, else ``[adapters]`` of alize.toml; the environment; flags."""
    if args.config is not None:
        data = parse_json(read_input(args.config))
        if not isinstance(data, dict):
            raise MalformedInput(str(args.config), None, "must hold a JSON object")
        config = AdapterConfig.from_mapping(data).with_environment(os.environ)
    else:
        config = config_of(args).adapters
    if args.strict:
        config = attrs.evolve(config, strict=True)
    if args.deny:
        denied = AdapterConfig.from_mapping({"deny": args.deny}).deny
        config = attrs.evolve(config, deny=config.deny | denied)
    return config


def _print_status(status: AdapterStatus, *, tracebacks: bool) -> None:
    print(f"alize adapters (hook specifications {SPEC_VERSION})")
    print(f"loaded ({len(status.plugins)}):")
    for plugin in status.plugins:
        source = (
            f"{plugin.distribution} {plugin.version}"
            if plugin.distribution
            else plugin.origin.value
        )
        print(f"  {plugin.name:<24} {source:<28} hooks: {', '.join(plugin.hooks) or '-'}")
    print(f"failed ({len(status.failures)}):")
    for failure in status.failures:
        source = f"{failure.distribution or '?'} {failure.version or '?'}"
        print(f"  {failure.name:<24} {source:<28} {failure.stage.value} failed: {failure.reason}")
        if tracebacks and failure.traceback:
            for line in failure.traceback.rstrip().splitlines():
                print(f"      {line}")
    if status.skipped:
        print(f"skipped ({len(status.skipped)}):")
        for skipped in status.skipped:
            source = f"{skipped.distribution or '?'} {skipped.version or '?'}"
            print(f"  {skipped.name:<24} {source:<28} {skipped.reason}")
    print(f"backends offered ({len(status.offers)}):")
    for offer in status.offers:
        capabilities = ", ".join(sorted(c.value for c in offer.capabilities))
        print(f"  {offer.role.value:<14} {offer.name:<16} adapter {offer.adapter} ({capabilities})")
    print("roles:")
    for binding in status.bindings:
        if binding.problem:
            print(f"  {binding.role.value:<14} not bound: {binding.problem}")
        else:
            print(f"  {binding.role.value:<14} {binding.backend} (adapter {binding.adapter})")


def run_list(args: argparse.Namespace) -> int:
    """Load the installed adapters and show what happened."""
    status = loaded_manager(_config(args)).status()
    if args.format == "json":
        print(dump_json(status.to_dict(), ascii=False, indent=2))
    else:
        _print_status(status, tracebacks=args.traceback)
    return 0


def run_hooks(_args: argparse.Namespace) -> int:
    """Print every hook's signature."""
    for name in hook_names():
        print(hook_signature(name))
    return 0


def run_outbox(args: argparse.Namespace) -> int:
    """Print an outbox store's deliveries."""
    states = None if args.state == "all" else frozenset({DeliveryState(args.state)})
    with SqliteDeliveryStore(_existing(args.store)) as store:
        deliveries = store.deliveries(states=states)
    print(f"{len(deliveries)} deliveries ({args.state})")
    for d in deliveries:
        print(
            f"  {d.event_id:<16} {d.adapter:<20} {d.kind:<22} {d.state.value:<10}"
            f" attempts {d.attempts}  {d.last_error}"
        )
    return 0


def run_replay(args: argparse.Namespace) -> int:
    """Put dead deliveries back in the queue."""
    with SqliteDeliveryStore(_existing(args.store)) as store:
        count = replay(store, system_clock(), event_id=args.event, adapter=args.adapter)
    print(f"{count} dead deliveries put back in the queue; the relay's next run delivers them.")
    return 0


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise MalformedInput(str(path), None, "is not an outbox store (no such file)")
    return path
