"""
``alize demo``: run everything alize can do on the embedded sample territory.

Exit status: 0 when every part ran; 1 when the output folder cannot be written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alize_adapters.demo import run_demo


def register(subparsers: Any) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo",
        help="run the whole of alize on the embedded sample territory",
        description="Run every capability of alize on the embedded sample territory and"
        " print a short summary of each.",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("alize-demo"),
        help="where to write the demo's files (default: ./alize-demo)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo."""
    output_dir: Path = args.output_dir
    output_dir.mkdir(parents=True, exist_ok=True)
    return run_demo(output_dir)
