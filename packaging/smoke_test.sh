#!/usr/bin/env bash
# Start the built program as a clerk's first run would: fresh data directory,
# demo database, a roster PDF, the GUI started offscreen and closed; every step must exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-dist/dangjian/dangjian}
WORK=$(mktemp -d)
export DANGJIAN_DATA_DIR="$WORK/data" QT_QPA_PLATFORM=offscreen
"$BIN" --db "$WORK/smoke.sqlite3" demo --members 300
"$BIN" --db "$WORK/smoke.sqlite3" org list | head -3
"$BIN" --db "$WORK/smoke.sqlite3" export roster --out "$WORK/花名册.pdf"
test -s "$WORK/花名册.pdf"
head -c 5 "$WORK/花名册.pdf" | grep -q '%PDF-'
DANGJIAN_QUIT_AFTER_MS=1500 "$BIN" --db "$WORK/smoke.sqlite3"
echo "smoke test passed: $BIN"
rm -rf "$WORK"
