#!/usr/bin/env bash
# Set up a virtual environment (if needed) and run the demo against the bundled emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[charts]'
.venv/bin/flashcat-prefect demo "$@"
