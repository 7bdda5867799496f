"""alize adapter: an e-mail file per committee decision and per advance paid, in a maildir folder."""

from __future__ import annotations


__version__ = "1.0.0"
