"""
``python -m tests.serve.schemathesis_run [ARGS]`` (``nox -s api``): schemathesis against a
live ``alize serve`` holding the test territory, with the operator's token.

Every check runs but two that do not fit a register of rules: ``positive_data_acceptance``
expects every request its schema allows to succeed, while a well-formed command is still
refused by the programme's rules (422, the decision says why) or by the register (an
unknown project); and ``use_after_free``/``ensure_resource_availability`` look for
deletions the API does not have. A 5xx, or an answer the document does not describe,
fails the run. Extra arguments go to ``schemathesis run``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from tests.serve.live import serve
from tests.serve.territory import OPERATOR


EXCLUDED = "positive_data_acceptance,use_after_free,ensure_resource_availability"


def main(arguments: list[str]) -> int:
    """Serve the test territory and run schemathesis against it; its exit status."""
    with tempfile.TemporaryDirectory(prefix="alize-api-") as folder, serve(Path(folder)) as live:
        live.build_territory()
        argv = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{live.url}/openapi.json",
            "--header",
            f"Authorization: Bearer {live.tokens[OPERATOR]}",
            "--checks",
            "all",
            "--exclude-checks",
            EXCLUDED,
            "--max-examples",
            "30",
            "--seed",
            "20261207",
            # One worker: two threads parsing lambdas' sources at once trip CPython's AST
            # recursion check inside Hypothesis ("AST constructor recursion depth mismatch").
            "--workers",
            "1",
            *arguments,
        ]
        status = subprocess.run(argv, check=False, cwd=folder).returncode
        if status != 0:
            print((Path(folder) / "serve.log").read_text(errors="replace")[-5000:])
        return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
