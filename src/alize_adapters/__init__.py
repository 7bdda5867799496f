"""
alize_adapters: everything of alize that touches the outside world.

The command line, storage, the plugin host and the reference adapters live
here, built on the public names of :mod:`alize_core`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from alize_core import __version__


__all__ = ["__version__"]
