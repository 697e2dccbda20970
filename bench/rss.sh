#!/usr/bin/env bash
# Peak RSS of a 1,000-poster batch: one `gonggao worker --until-idle` draining BATCH approved notices on
# the print channel (PDF + PNG previews into the spool); its ru_maxrss. Target ≤ 200 MiB.
#
#   bench/rss.sh            BATCH=1000; SUMMARY_JSON=file appends the row for `make bench`'s table
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
echo "building gonggao (release, $SCRATCH)…" >&2
swift build -c release --product gonggao --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: unre" >&2 || true
export GONGGAO_BIN=${GONGGAO_BIN:-"$PWD/$SCRATCH/release/gonggao"}
[ -x "$GONGGAO_BIN" ] || { echo "bench/rss.sh: no $GONGGAO_BIN" >&2; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
exec python3 bench/rss.py
