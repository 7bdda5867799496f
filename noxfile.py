"""
The project's checks. ``nox`` runs the default sessions; ``nox -l`` lists them all.

Sessions that need a browser, a long fuzzing run or a real server outside the
default run say so in their docstring and are not run by plain ``nox``.
"""

from __future__ import annotations

import nox


nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_external_run = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite and the doctests of ``src/`` on every supported Python."""
    # Editable, so that the doctests collected from src/ and the imported package are one.
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "tests"))
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHONS[0])
def typing(session: nox.Session) -> None:
    """Type-check ``src/``, ``tests/`` and this file with ``mypy --strict``."""
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy", *session.posargs)


@nox.session(python=PYTHONS[0])
def lint(session: nox.Session) -> None:
    """Check the code with ruff (lint rules and formatting)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHONS[0])
def docs(session: nox.Session) -> None:
    """Build the documentation with warnings as errors, and run its doctests."""
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "docs"))
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html")
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "doctest", "docs", "docs/_build/doctest"
    )
