#!/usr/bin/env bash
# Delivery benchmarks: durable deliveries/s of `gonggao worker` to a signature-checking sandbox portal
# beside wrk hitting the same portal with the same signed payload at the same concurrency (16), and
# approve → all channels acknowledged latency at a fixed approval rate through `gonggao serve`.
#
#   bench/delivery.sh                     RUNS=5 DELIVERIES=2000 WRK_SECONDS=5 APPROVALS_PER_SECOND=20 WINDOW=20
#   SCRATCH=.build-bench WINDOW=60 bench/delivery.sh
#   PARTS=throughput bench/delivery.sh    (or PARTS=latency)
#
# Needs the Debian packages wrk and sqlite3. Prints one markdown report on stdout (progress on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
missing=""
for tool in wrk:wrk sqlite3:sqlite3 python3:python3; do
    command -v "${tool%%:*}" >/dev/null || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then echo "bench/delivery.sh: missing Debian packages:$missing" >&2; exit 2; fi
echo "building gonggao (release, $SCRATCH)…" >&2
swift build -c release --product gonggao --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: unre" >&2 || true
export GONGGAO_BIN="$PWD/$SCRATCH/release/gonggao"
[ -x "$GONGGAO_BIN" ] || { echo "bench/delivery.sh: no $GONGGAO_BIN" >&2; exit 1; }
export RUNS=${RUNS:-5} DELIVERIES=${DELIVERIES:-2000} WINDOW=${WINDOW:-20}
export PYTHONDONTWRITEBYTECODE=1
exec python3 bench/delivery.py
