#!/usr/bin/env bash
# Claim cost against queue depth: one claim (BATCH=10 due deliveries of one channel, one transaction,
# the store's own claim SQL) at SMALL=10000 and LARGE=1000000 pending deliveries, on SQLite and on a
# throwaway PostgreSQL server; target: LARGE ≤ 1.5 × SMALL on each store. See bench/README.md.
#
#   bench/claims.sh                        SMALL=10000 LARGE=1000000 BATCH=10 CLAIMS=200 ROUNDS=3
#   SCRATCH=.build-bench bench/claims.sh
#
# Needs the Debian packages sqlite3 and postgresql (initdb, pg_ctl, psql, pgbench under
# /usr/lib/postgresql/*/bin). Prints one markdown report on stdout (progress on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
command -v sqlite3 >/dev/null || { echo "bench/claims.sh: missing Debian package sqlite3" >&2; exit 2; }
ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || { echo "bench/claims.sh: missing Debian package postgresql" >&2; exit 2; }
echo "building gonggao (release, $SCRATCH)…" >&2
swift build -c release --product gonggao --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: unre" >&2 || true
export GONGGAO_BIN="$PWD/$SCRATCH/release/gonggao"
[ -x "$GONGGAO_BIN" ] || { echo "bench/claims.sh: no $GONGGAO_BIN" >&2; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
exec python3 bench/claims.py
