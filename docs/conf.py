"""Sphinx configuration for the alize documentation."""

from __future__ import annotations

import alize_core


project = "alize"
author = "The alize developers"
copyright = "2026, the alize developers"
release = alize_core.__version__
version = release
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "alize"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = False
doctest_global_setup = """
from datetime import date
from decimal import Decimal
"""
# Module docstrings are doctested by pytest (--doctest-modules) with their own globals;
# the doctest builder runs the pages' own {doctest} blocks.
doctest_test_doctest_blocks = ""
import doctest  # noqa: E402


doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
)
