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
# loadgroup keeps tests marked with one xdist_group on one worker (they share an expensive
# module fixture, e.g. a `prefect server start`); the rest are spread as with `load`.
.venv/bin/python -m pytest -q -n 2 --dist loadgroup --durations=15 "$@"
