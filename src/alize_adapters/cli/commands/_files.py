"""The files commands read: a path, or ``-`` for the standard input."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final


STDIN: Final = Path("-")
"""The path that names the standard input."""


def read_input(path: Path) -> bytes:
    """The bytes of a file, or of the standard input when the path is ``-``."""
    if path == STDIN:
        return sys.stdin.buffer.read()
    return path.read_bytes()
