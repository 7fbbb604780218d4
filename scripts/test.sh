#!/usr/bin/env bash
# Set up a virtual environment with the test extra (if needed) and run lint + the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check flashcat_prefect tests tools flows blocks benchmarks
.venv/bin/ruff format --check --quiet flashcat_prefect tests tools flows blocks benchmarks
.venv/bin/python tools/check_types.py
# Two workers: most tests wait on servers and flow runs, so two cores finish in about half the time.
# Keep the default `--dist load`: loadscope/loadgroup key tests by node id, and schemathesis
# gives all ~160 operations of the conformance test one node id, so they would run only once.
.venv/bin/python -m pytest -q -n 2 --durations=15 "$@"
