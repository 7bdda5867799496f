"""``python -m alize_adapters.cli`` runs the command line."""

from __future__ import annotations

import sys

from alize_adapters.cli import main


sys.exit(main())
