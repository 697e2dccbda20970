#!/usr/bin/env bash
# The soak (`make soak`, ≤ 20 min on 2 cores): the release `gonggao` under 100 SIGKILLs while 10,000
# deliveries flow, the sandbox fault matrix on every channel at once, schemathesis against
# /openapi.json, PostgreSQL and portal restart storms, three workers on PostgreSQL with one killed.
#
#   bench/soak/soak.sh                    SEED=<n> replays; PARTS=kill,faults,fuzz,storms,multinode
#   KILLS=20 KILL_NOTICES=500 MULTI_NOTICES=300 PARTS=kill,multinode bench/soak/soak.sh
#
# Needs python3, sqlite3, postgresql and schemathesis in $SOAK_VENV (`make soak` makes it). Prints every
# figure and a summary table on stdout (progress on stderr); exits 1 on any loss or failed check.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${SCRATCH:-.build}
SOAK_VENV=${SOAK_VENV:-.venv-soak}
export SCHEMATHESIS="$PWD/$SOAK_VENV/bin/schemathesis"
if [[ ",${PARTS:-fuzz}," == *",fuzz,"* ]] && [ ! -x "$SCHEMATHESIS" ]; then
    echo "bench/soak/soak.sh: no $SCHEMATHESIS (make soak installs it from bench/soak/requirements.txt)" >&2; exit 2
fi
if [ -z "${GONGGAO_BIN:-}" ]; then
    echo "building gonggao (release, $SCRATCH)…" >&2
    swift build -c release --product gonggao --scratch-path "$SCRATCH" 2>&1 | grep -E "error|warning: unre" >&2 || true
    export GONGGAO_BIN="$PWD/$SCRATCH/release/gonggao"
fi
[ -x "$GONGGAO_BIN" ] || { echo "bench/soak/soak.sh: no $GONGGAO_BIN" >&2; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
exec python3 bench/soak/soak.py
