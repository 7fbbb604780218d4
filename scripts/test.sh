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
# Four workers on two cores: most tests wait on servers, subprocesses and flow runs (two workers
# kept the cores half idle: 8 min wall for 8 min of CPU), so four finish in about two thirds of
# the time; six overloaded each worker's SQLite-backed Prefect API. `worksteal` hands the long
# tail (fault matrix, real servers, the demo) to whichever worker is free. Not loadscope or
# loadgroup: they key tests by node id, and schemathesis gives all ~160 operations of the
# conformance test one node id, so they would run only once.
.venv/bin/python -m pytest -q -n 4 --dist worksteal --durations=15 "$@"
