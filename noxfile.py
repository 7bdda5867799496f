"""
The project's checks. ``nox`` runs the default sessions; ``nox -l`` lists them all.

Sessions that need a browser, a long fuzzing run or a real server outside the
default run say so in their docstring and are not run by plain ``nox``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import nox


nox.needs_version = ">=2024.10.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_external_run = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """
    Run the test suite and the doctests of ``src/`` on every supported Python, with the
    extra ``serve``: the HTTP API's tests start a live ``alize serve`` on 127.0.0.1.
    """
    # Editable, so that the doctests collected from src/ and the imported package are one.
    session.install("-e", ".[serve]", *nox.project.dependency_groups(PYPROJECT, "tests"))
    # Every property at full depth on the first Python; the others run them lighter.
    profile = "dev" if session.python == PYTHONS[0] else "quick"
    session.run(
        "pytest",
        "-m",
        "not integration and not postgres",
        *session.posargs,
        env={"HYPOTHESIS_PROFILE": profile},
    )


@nox.session(python=PYTHONS[0])
def typing(session: nox.Session) -> None:
    """Type-check ``src/``, ``tests/`` and this file with ``mypy --strict``."""
    session.install(".[serve]", *nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy", *session.posargs)


@nox.session(python=PYTHONS[0])
def lint(session: nox.Session) -> None:
    """Check the code with ruff (lint rules and formatting) and the layout's import contracts."""
    # lint-imports reads the packages' imports, so the packages are installed too.
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")


@nox.session(python=PYTHONS[0])
def docs(session: nox.Session) -> None:
    """
    Build the documentation with warnings as errors, and run its doctests.

    Both builders share one doctree folder: the doctest builder runs the examples of the
    pages the HTML build has just read, instead of reading and autodocumenting every page
    a second time (about 40 s of CPU saved; the same 1,077 examples run).
    """
    session.install(".[serve]", *nox.project.dependency_groups(PYPROJECT, "docs"))
    for builder in ("html", "doctest"):
        session.run(
            "sphinx-build",
            "-W",
            "--keep-going",
            *("-d", "docs/_build/doctrees", "-b", builder, "docs", f"docs/_build/{builder}"),
        )


# Headless Chromium, with nothing that reaches the network or persists between runs.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=900,4200",
)

# Run with Pillow: the PNG is a real screenshot, not blank, and shows the charts' colours.
CHECK_PNG = """
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
data = image.tobytes()
pixels = list(zip(data[0::3], data[1::3], data[2::3]))
inked = sum(1 for p in pixels if sum(p) < 720) / len(pixels)
def near(colour):
    want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(1 for p in pixels if max(abs(a - b) for a, b in zip(p, want)) <= 12)
blue, orange = near("#1f5f8b"), near("#e07b39")
print(f"{sys.argv[1]}: {image.size[0]}x{image.size[1]}, {inked:.1%} inked,"
      f" {len(set(pixels))} colours, chart pixels: {blue} blue, {orange} orange")
assert inked > 0.02 and len(set(pixels)) > 50, "the screenshot is blank"
assert blue > 2000 and orange > 500, "the charts' colours are missing"
"""


@nox.session(name="report-screenshot", python=PYTHONS[0], default=False)
def report_screenshot(session: nox.Session) -> None:
    """
    Screenshot the demo's HTML activity report in headless Chromium and check the PNG.

    Not in the default run: it needs Debian's ``chromium``, installed with apt-get (as
    root) when missing. The PNG's path is printed; it must not be blank and must show
    the colours of the report's charts.
    """
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "screenshot"))
    if shutil.which("chromium") is None:
        session.run("apt-get", "update", external=True)
        session.run(
            "apt-get", "install", "-y", "--no-install-recommends", "chromium", external=True
        )
    work = Path(session.create_tmp()).resolve()
    demo = work / "demo"
    shutil.rmtree(demo, ignore_errors=True)
    session.run("alize", "demo", "--output-dir", str(demo), silent=True)
    (report,) = demo.glob("rapport-activite-*.html")
    png = work / f"{report.stem}.png"
    png.unlink(missing_ok=True)
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=work)
    session.run(
        "chromium",
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        report.as_uri(),
        external=True,
    )
    shutil.rmtree(profile, ignore_errors=True)
    session.run("python", "-c", CHECK_PNG, str(png))


@nox.session(python=PYTHONS[0])
def integration(session: nox.Session) -> None:
    """
    Run the tests against real servers: Tryton 8.2 (SQLite) and Radicale, on 127.0.0.1.

    The tests start both servers on free ports and stop them by pid. Tryton's database
    is built once with ``trytond-admin`` (two minutes) and kept outside the clone, in
    ``alize-tests/<key>`` under ``$XDG_CACHE_HOME`` (``~/.cache``), so that a new clone on
    the same machine skips the build. The key is a digest of all the build depends on:
    the code that builds it (``tests/adapters/servers.py``), the Python and SQLite
    versions and those of every installed Tryton package; any change makes a new build.
    """
    # The extra serve too: the doctests of src/alize_adapters/serve are collected with the rest.
    session.install(
        "-e", ".[integration,serve]", *nox.project.dependency_groups(PYPROJECT, "tests")
    )
    versions = session.run("python", "-c", BUILD_VERSIONS, silent=True)
    digest = hashlib.sha256(Path("tests/adapters/servers.py").read_bytes())
    digest.update(str(versions).encode())
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "alize-tests"
    env = {"ALIZE_REQUIRE_SERVERS": "1", "ALIZE_TEST_CACHE": str(cache / digest.hexdigest()[:16])}
    session.run("pytest", "-m", "integration", "-p", "no:cacheprovider", *session.posargs, env=env)


# Printed in the session's Python: what the cached Tryton database depends on besides its code.
BUILD_VERSIONS = """
import importlib.metadata, sqlite3, sys
print(sys.version, sqlite3.sqlite_version)
for dist in sorted(importlib.metadata.distributions(), key=lambda d: d.metadata["Name"].lower()):
    if dist.metadata["Name"].lower().startswith("trytond"):
        print(dist.metadata["Name"], dist.version)
"""


def _lowest(requirement: str) -> str:
    """A requirement pinned to its lowest allowed version: ``a[b]>=1.2`` -> ``a[b]==1.2``."""
    name, _, version = requirement.partition(">=")
    return f"{name}=={version}"


POSTGRES_EXTRA = PYPROJECT["project"]["optional-dependencies"]["postgres"]


@nox.session(python=PYTHONS[0])
def postgres(session: nox.Session) -> None:
    """
    Run the tests marked ``postgres`` against a real PostgreSQL, with the newest psycopg.

    The tests make a cluster with ``initdb`` in a temporary folder, start it on a free port
    of 127.0.0.1 and stop it by pid (``tests/postgres/server.py``): Debian's PostgreSQL
    (``apt-get install postgresql``; ``.ci/run`` installs it where missing). Without it the
    tests are skipped with one line, unless ``ALIZE_REQUIRE_SERVERS=1`` (CI), where they fail.
    """
    session.install("-e", ".[postgres]", *nox.project.dependency_groups(PYPROJECT, "tests"))
    # Only tests/postgres is collected: the doctests of src/ (some need the extra serve)
    # run in the tests sessions.
    session.run(
        "pytest", "tests/postgres", "-m", "postgres", "-p", "no:cacheprovider", *session.posargs
    )


@nox.session(name="postgres-lowest", python=PYTHONS[0])
def postgres_lowest(session: nox.Session) -> None:
    """The PostgreSQL tests with the oldest psycopg the extra ``postgres`` allows."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "tests"))
    session.install(*(_lowest(requirement) for requirement in POSTGRES_EXTRA))
    session.run(
        "pytest", "tests/postgres", "-m", "postgres", "-p", "no:cacheprovider", *session.posargs
    )


@nox.session(python=PYTHONS[0])
def api(session: nox.Session) -> None:
    """
    Fuzz the HTTP API with schemathesis: a live ``alize serve`` on 127.0.0.1 (a register
    holding the test territory, a token of its operator), every operation of its
    ``/openapi.json`` called with generated requests; no answer may be a 5xx, and every
    answer must match the document (status, content type, schema, headers). Extra
    arguments go to ``schemathesis run`` (e.g. ``--max-examples 200``).
    """
    session.install("-e", ".[serve]", *nox.project.dependency_groups(PYPROJECT, "api"))
    session.run("python", "-m", "tests.serve.schemathesis_run", *session.posargs)


SERVE_EXTRA = PYPROJECT["project"]["optional-dependencies"]["serve"]


@nox.session(name="serve-lowest", python=PYTHONS[0])
def serve_lowest(session: nox.Session) -> None:
    """The HTTP API's live-server tests with the oldest Litestar and uvicorn ``serve`` allows."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "tests"))
    session.install(*(_lowest(requirement) for requirement in SERVE_EXTRA))
    session.run("pytest", "tests/serve", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python=PYTHONS[0], default=False)
def rulebook(session: nox.Session) -> None:
    """Regenerate the rulebook pages (docs/rules/) from the registry, the code and the tests."""
    session.install("-e", ".")
    session.run("python", "-m", "alize_adapters.rulebook", ".")


@nox.session(python=PYTHONS[0], default=False)
def fuzz(session: nox.Session) -> None:
    """
    Fuzz every input boundary at length: ``tests/test_fuzz.py`` under the Hypothesis
    profile ``fuzz`` (twenty thousand examples a test) — session files, stored journals
    and snapshots, CSV, SIRENE and FEC files, the arguments of every command. Not in the
    default run: it takes hours. Extra arguments go to pytest (``-k``, ``-x``…).
    """
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "tests"))
    session.run(
        "pytest",
        "tests/test_fuzz.py",
        "-p",
        "no:cacheprovider",
        *session.posargs,
        env={"HYPOTHESIS_PROFILE": "fuzz"},
    )
