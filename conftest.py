"""
Collection of the doctests under ``src/``: the HTTP API's modules need the extra
``alize[serve]``; where it is not installed (the integration and PostgreSQL sessions),
they are not collected rather than failing to import.
"""

from __future__ import annotations

import importlib.util


collect_ignore_glob = [] if importlib.util.find_spec("litestar") else ["src/alize_adapters/serve/*"]
