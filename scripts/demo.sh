#!/usr/bin/env bash
# The main job on the embedded default: the example articles in, event records out, stored in
# ./fieldreport.duckdb, a summary shown.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/fieldreport ingest examples/[0-9]*.md "$@"
