#!/usr/bin/env bash
# HTTP service benchmark: requests/s of `gonggao serve` for the sample parcel page (GET /p/{key}) and
# one notice through the officer API (GET /api/notices/{id}, bearer token), beside nginx serving saved
# copies of the same bytes on loopback, wrk -t2 -c16, interleaved run by run.
#
#   bench/page.sh                         RUNS=5 WRK_SECONDS=4 CONNECTIONS=16
#   SCRATCH=.build-bench RUNS=9 bench/page.sh
#
# Needs the Debian packages wrk and nginx-light. Prints one markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
missing=""
for tool in wrk:wrk nginx:nginx-light python3:python3; do
    command -v "${tool%%:*}" >/dev/null || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then echo "bench/page.sh: missing Debian packages:$missing" >&2; exit 2; fi
echo "building gonggao (release, $SCRATCH)…" >&2
swift build -c release --product gonggao --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: unre" >&2 || true
export GONGGAO_BIN="$PWD/$SCRATCH/release/gonggao"
[ -x "$GONGGAO_BIN" ] || { echo "bench/page.sh: no $GONGGAO_BIN" >&2; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
exec python3 bench/page.py
