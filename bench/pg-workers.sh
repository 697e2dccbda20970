#!/usr/bin/env bash
# Deliveries/s of 1, 2 and 4 `gonggao worker` processes on one PostgreSQL database (a throwaway
# server) to a `gonggao sandbox` portal, beside 1 worker on SQLite (the anchor). See bench/README.md.
#
#   bench/pg-workers.sh                        RUNS=3 DELIVERIES=1000 WORKERS=1,2,4
#   SCRATCH=.build-bench bench/pg-workers.sh
#
# Needs the Debian packages sqlite3, python3 and postgresql (initdb, pg_ctl, psql under
# /usr/lib/postgresql/*/bin). Prints one markdown report on stdout (progress on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
command -v sqlite3 >/dev/null || { echo "bench/pg-workers.sh: missing Debian package sqlite3" >&2; exit 2; }
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { echo "bench/pg-workers.sh: missing Debian package postgresql" >&2; exit 2; }
echo "building gonggao (release, $SCRATCH)…" >&2
swift build -c release --product gonggao --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: unre" >&2 || true
export GONGGAO_BIN="$PWD/$SCRATCH/release/gonggao"
[ -x "$GONGGAO_BIN" ] || { echo "bench/pg-workers.sh: no $GONGGAO_BIN" >&2; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
exec python3 bench/pg-workers.py
