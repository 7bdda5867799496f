"""
alize_adapters: everything of alize that touches the outside world.

The command line, storage, the plugin host and the reference adapters live
here, built on the public names of :mod:`alize_core`. Importing the package
imports nothing else (``alize --version`` starts in the time Python takes);
``__version__`` is :mod:`alize_core`'s, read when asked for.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib


__all__ = ["__version__"]


def __getattr__(name: str) -> object:
    """``__version__``, taken from :mod:`alize_core` the first time it is read."""
    if name == "__version__":
        version: str = importlib.import_module("alize_core").__version__
        return version
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
