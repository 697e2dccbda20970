"""Claim cost against queue depth (run by bench/claims.sh; see bench/README.md).

One claim = one transaction that selects a batch of BATCH due deliveries of one channel with the
store's own claim query and marks them in flight, at a queue depth of SMALL and LARGE pending
deliveries, on SQLite and on PostgreSQL. What is timed is the claim's SQL, not the Swift around it:

- SQLite: `BEGIN IMMEDIATE`; the exact SELECT of `SQLiteTransaction.claimDue` (bound parameters);
  BATCH `UPDATE deliveries … WHERE id = ?` as `updateDelivery` does; `ROLLBACK`. Python's sqlite3
  module on the same system libsqlite3 that gonggao links (CSQLite is a shim over it).
- PostgreSQL: `BEGIN`; the exact windowed SELECT of `PostgresTransaction.claimable` (window
  BATCH*8+32, FOR UPDATE OF d SKIP LOCKED), as the store sends it; then one UPDATE marking the
  first BATCH due rows (the same rows) in flight (the store sends BATCH updates by id: BATCH-1
  round trips fewer here); `ROLLBACK`. Timed per transaction by pgbench (-M extended = unnamed
  statements with parameters, planned per execution; one client; its per-transaction log).

ROLLBACK keeps the depth fixed run after run (no commit fsync in the figure: that cost does not
depend on the depth and would only flatten the ratio).

The queues are real stores: `gonggao init`, the sample project and one pre-announcement drafted,
submitted and approved through the HTTP API (`serve --no-workers`), which yields one notice, its
approved version and one pending provincial-portal delivery; PostgreSQL gets the same store through
`gonggao store copy`. That seed notice is then repeated in SQL (sqlite3 recursive CTE / PostgreSQL
generate_series): every column of notices, notice_versions and deliveries copied from the seed row,
ids made unique (`<id>-<i>`), the JSON `body` the seed's with its ids replaced by the new ones — so
each delivery is a decodable Delivery of its own notice version (foreign keys hold)."""
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ggbench import Gonggao, cell, free_port, log, machine, prepare_notices, write_config, write_summary  # noqa: E402
from ggpg import PGServer  # noqa: E402

BINARY = os.environ["GONGGAO_BIN"]
SMALL = int(os.environ.get("SMALL", "10000"))
LARGE = int(os.environ.get("LARGE", "1000000"))
BATCH = int(os.environ.get("BATCH", "10"))
CLAIMS = int(os.environ.get("CLAIMS", "200"))   # per case and round
ROUNDS = int(os.environ.get("ROUNDS", "3"))     # interleaved
BUDGET = float(os.environ.get("BUDGET", "8"))   # seconds per case and round: fewer claims when one is slow
CHANNEL = "provincial-portal"

# The store's claim (SQLiteTransaction.claimable with a window, which fills the batch here).
SQLITE_CLAIM = """
            SELECT d.body, d.id FROM (SELECT rowid AS r FROM (SELECT rowid FROM deliveries INDEXED BY deliveries_waiting
                               WHERE channel = :channel AND state IN ('pending', 'retrying') AND next_attempt_ms <= :now
                               ORDER BY next_attempt_ms LIMIT :window)
                              UNION ALL
                              SELECT rowid FROM (SELECT rowid FROM deliveries INDEXED BY deliveries_leased
                               WHERE channel = :channel AND state = 'in-flight' AND lease_expires_ms <= :now
                               ORDER BY lease_expires_ms LIMIT :window)) AS w
            CROSS JOIN deliveries d ON d.rowid = w.r
            WHERE d.channel = :channel
              AND ((d.state IN ('pending', 'retrying') AND d.next_attempt_ms <= :now)
                   OR (d.state = 'in-flight' AND d.lease_expires_ms <= :now))
              AND NOT EXISTS (SELECT 1 FROM deliveries e
                              WHERE e.notice_id = d.notice_id AND e.channel = d.channel AND e.rowid < d.rowid
                                AND e.state NOT IN ('delivered', 'dead', 'cancelled'))
              AND NOT EXISTS (SELECT 1 FROM channel_state c WHERE c.channel = d.channel AND c.paused = 1)
            ORDER BY d.next_attempt_ms, d.rowid LIMIT :batch
"""

PG_CLAIM = """BEGIN;
            WITH claim_window AS MATERIALIZED (
              (SELECT id FROM deliveries WHERE channel = 'provincial-portal' AND state IN ('pending', 'retrying')
                 AND next_attempt_ms <= :now ORDER BY next_attempt_ms, seq LIMIT :window)
              UNION ALL
              (SELECT id FROM deliveries WHERE channel = 'provincial-portal' AND state = 'in-flight'
                 AND lease_expires_ms <= :now ORDER BY lease_expires_ms, seq LIMIT :window))
            SELECT d.body FROM deliveries d
            WHERE d.channel = 'provincial-portal'
              AND ((d.state IN ('pending', 'retrying') AND d.next_attempt_ms <= :now)
                   OR (d.state = 'in-flight' AND d.lease_expires_ms <= :now))
              AND d.id IN (SELECT id FROM claim_window)
              AND NOT EXISTS (SELECT 1 FROM deliveries e
                              WHERE e.notice_id = d.notice_id AND e.channel = d.channel AND e.seq < d.seq
                                AND e.state NOT IN ('delivered', 'dead', 'cancelled'))
              AND NOT EXISTS (SELECT 1 FROM channel_state c WHERE c.channel = d.channel AND c.paused)
            ORDER BY d.next_attempt_ms, d.seq LIMIT :batch
            FOR UPDATE OF d SKIP LOCKED;
UPDATE deliveries SET state = 'in-flight', lease_owner = 'bench-claims', lease_expires_ms = :now + 60000, body = body
WHERE id IN (SELECT id FROM deliveries WHERE channel = 'provincial-portal' AND state IN ('pending', 'retrying')
             ORDER BY next_attempt_ms, seq LIMIT :batch);
ROLLBACK;
"""


def seed(tmp):
    """A SQLite store holding one approved notice with one pending delivery; returns (config, store)."""
    config = write_config(tmp, free_port(), [CHANNEL])
    g = Gonggao(BINARY, config)
    g.run("init")
    tokens = g.tokens()
    port = free_port()
    serve = g.start("serve", "--no-workers", "--port", str(port), ready=r"serving on", name="serve-seed")
    try:
        prepare_notices(port, tokens, 1, approve=True)
    finally:
        serve.stop()
    return g, os.path.join(tmp, "gonggao.sqlite"), tokens["admin"]


def fill_sqlite(path, depth):
    """Repeats the seed notice until `depth` deliveries are pending (one per notice)."""
    db = sqlite3.connect(path, isolation_level=None)
    n0, = db.execute("SELECT notice_id FROM notices").fetchone()
    d0, = db.execute("SELECT id FROM deliveries").fetchone()
    assert n0 not in d0 and d0 not in n0, (n0, d0)
    cols = {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in ("notices", "notice_versions", "deliveries")}
    nid = "(:n0 || '-' || s.i)"
    did = "(:d0 || '-' || s.i)"

    def insert(table, overrides, where):
        keep = [c for c in cols[table] if overrides.get(c, "") is not None]
        exprs = ", ".join(overrides.get(c) or f"t.{c}" for c in keep)
        db.execute(f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n) "
                   f"INSERT INTO {table} ({', '.join(keep)}) SELECT {exprs} FROM {table} t, s WHERE {where}",
                   {"n": depth - 1, "n0": n0, "d0": d0})
    db.execute("BEGIN")
    insert("notices", {"seq": None, "notice_id": nid}, "t.notice_id = :n0")
    insert("notice_versions", {"notice_id": nid, "body": f"replace(t.body, :n0, {nid})"}, "t.notice_id = :n0")
    insert("deliveries", {"id": did, "notice_id": nid, "body": f"replace(replace(t.body, :d0, {did}), :n0, {nid})"},
           "t.id = :d0")
    db.execute("COMMIT")
    pending, = db.execute("SELECT count(*) FROM deliveries WHERE state = 'pending' AND channel = ?", (CHANNEL,)).fetchone()
    db.close()
    return pending


def fill_pg(pg, db, depth):
    n0 = pg.psql("SELECT notice_id FROM notices", db)
    d0 = pg.psql("SELECT id FROM deliveries", db)
    assert n0 not in d0 and d0 not in n0, (n0, d0)

    def cols(t):
        return pg.psql(f"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns "
                       f"WHERE table_name = '{t}' AND table_schema = 'public'", db).split(",")
    nid = f"('{n0}' || '-' || s.i)"
    did = f"('{d0}' || '-' || s.i)"

    def insert(table, overrides, where):
        keep = [c for c in cols(table) if overrides.get(c, "") is not None]
        exprs = ", ".join(overrides.get(c) or f"t.{c}" for c in keep)
        return (f"INSERT INTO {table} ({', '.join(keep)}) SELECT {exprs} FROM {table} t, "
                f"generate_series(1, {depth - 1}) AS s(i) WHERE {where};")
    sql = "BEGIN;\n" + "\n".join([
        insert("notices", {"seq": "t.seq + s.i", "notice_id": nid}, f"t.notice_id = '{n0}'"),
        insert("notice_versions", {"notice_id": nid, "body": f"replace(t.body, '{n0}', {nid})"}, f"t.notice_id = '{n0}'"),
        insert("deliveries", {"seq": None, "id": did, "notice_id": nid,
                              "body": f"replace(replace(t.body, '{d0}', {did}), '{n0}', {nid})"}, f"t.id = '{d0}'"),
    ]) + "\nCOMMIT;\nVACUUM ANALYZE;\n"
    f = os.path.join(pg.dir, f"fill-{db}.sql")
    with open(f, "w") as out:
        out.write(sql)
    os.chmod(f, 0o644)
    pg.psql(None, db, file=f)
    return int(pg.psql(f"SELECT count(*) FROM deliveries WHERE state = 'pending' AND channel = '{CHANNEL}'", db))


def claims_sqlite(path, count):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=FULL")
    times, got = [], set()
    deadline = time.perf_counter() + BUDGET
    for i in range(count + 1):
        now = int(time.time() * 1000)
        t0 = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        rows = db.execute(SQLITE_CLAIM, {"channel": CHANNEL, "now": now, "window": BATCH * 8 + 32, "batch": BATCH}).fetchall()
        for body, did in rows:
            db.execute("UPDATE deliveries SET state = ?, next_attempt_ms = next_attempt_ms, lease_owner = ?, "
                       "lease_expires_ms = ?, body = ? WHERE id = ?", ("in-flight", "bench-claims", now + 60000, body, did))
        db.execute("ROLLBACK")
        if i:  # the first claim warms the cache up and is not counted
            times.append((time.perf_counter() - t0) * 1000)
        got.add(len(rows))
        if i >= 3 and time.perf_counter() > deadline:
            break
    db.close()
    return times, got


def claims_pg(pg, db, count, tmp):
    script = os.path.join(tmp, "claim.sql")
    with open(script, "w") as f:
        f.write(PG_CLAIM.replace(":now", "CAST(:now AS bigint)"))  # pgbench's parameters are typed int4
    prefix = os.path.join(tmp, f"pgb-{db}")
    for old in [p for p in os.listdir(tmp) if p.startswith(f"pgb-{db}")]:
        os.remove(os.path.join(tmp, old))
    now = int(time.time() * 1000)

    def pgbench(n, log_prefix):
        return subprocess.run([os.path.join(pg.bin, "pgbench"), "-n", "-M", "extended", "-c", "1", "-t", str(n),
                               "-f", script, "-D", f"now={now}", "-D", f"window={BATCH * 8 + 32}", "-D", f"batch={BATCH}",
                               "-l", "--log-prefix", log_prefix, "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", db],
                              capture_output=True, text=True, cwd=tmp)
    # One untimed claim first (cache warm-up); its time sets how many fit the budget.
    t0 = time.perf_counter()
    pgbench(1, os.path.join(tmp, "warm"))
    probe = time.perf_counter() - t0
    count = max(3, min(count, int(BUDGET / max(probe, 1e-3))))
    out = subprocess.run([os.path.join(pg.bin, "pgbench"), "-n", "-M", "extended", "-c", "1", "-t", str(count),
                    "-f", script, "-D", f"now={now}", "-D", f"window={BATCH * 8 + 32}", "-D", f"batch={BATCH}",
                    "-l", "--log-prefix", prefix, "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", db],
                   capture_output=True, text=True, cwd=tmp)
    if out.returncode:
        raise RuntimeError(f"pgbench: {out.stderr[-2000:]}")
    times = []
    for p in os.listdir(tmp):
        if p.startswith(f"pgb-{db}"):
            for line in open(os.path.join(tmp, p)):
                times.append(int(line.split()[2]) / 1000)
    # The batch size the claim returns, checked once through psql.
    check = os.path.join(tmp, "claim-check.sql")
    with open(check, "w") as f:
        f.write(PG_CLAIM.replace(":now", str(now)).replace(":window", str(BATCH * 8 + 32)).replace(":batch", str(BATCH)))
    n = sum(1 for line in pg.psql(None, db, file=check).splitlines() if line.startswith("{"))
    return times, {n}


def main():
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    host = machine()
    t_start = time.time()
    pg = None
    with tempfile.TemporaryDirectory(prefix="gg-bench-claims-") as tmp:
        try:
            log("seeding one approved notice through the API…")
            g, seed_store, admin = seed(tmp)
            pg = PGServer()
            pg.psql("CREATE DATABASE seed")
            g.run("store", "copy", "--from", f"sqlite:{seed_store}", "--to", f"postgres:{pg.url('seed')}",
                  "--audit-head", os.path.join(tmp, "pg.audit-head"), token=admin)
            stores, fills = {}, {}
            for depth in (SMALL, LARGE):
                t0 = time.time()
                path = os.path.join(tmp, f"q{depth}.sqlite")
                subprocess.run(["sqlite3", seed_store, f".backup {path}"], check=True)
                n = fill_sqlite(path, depth)
                fills[("SQLite", depth)] = (n, time.time() - t0, os.path.getsize(path))
                log(f"  SQLite: {n} pending deliveries in {time.time() - t0:.1f} s")
                t0 = time.time()
                db = f"q{depth}"
                pg.psql(f"CREATE DATABASE {db} TEMPLATE seed")
                n = fill_pg(pg, db, depth)
                size = int(pg.psql(f"SELECT pg_database_size('{db}')"))
                fills[("PostgreSQL", depth)] = (n, time.time() - t0, size)
                log(f"  PostgreSQL: {n} pending deliveries in {time.time() - t0:.1f} s")
                stores[depth] = (path, db)
            results = {}
            for r in range(ROUNDS):
                for depth in (SMALL, LARGE):
                    path, db = stores[depth]
                    ts, got = claims_sqlite(path, CLAIMS)
                    results.setdefault(("SQLite", depth), ([], set()))[0].extend(ts)
                    results[("SQLite", depth)][1].update(got)
                    ts, got = claims_pg(pg, db, CLAIMS, tmp)
                    results.setdefault(("PostgreSQL", depth), ([], set()))[0].extend(ts)
                    results[("PostgreSQL", depth)][1].update(got)
                log(f"  round {r + 1}/{ROUNDS}: " + "; ".join(
                    f"{k[0]} {k[1]}: {statistics.median(v[0]):.3f} ms" for k, v in results.items()))
        finally:
            if pg:
                pg.stop()
    print(f"Claim cost against queue depth — {started}, {host}; PostgreSQL {pg.version}; "
          f"{ROUNDS} interleaved rounds × {CLAIMS} claims per case; whole run {time.time() - t_start:.0f} s\n")
    print(f"| store | pending deliveries | one claim of {BATCH} (one transaction), ms, median (min–max) | "
          f"× {SMALL:,} | target | batch claimed | fill (s) / store size |")
    print("|---|---|---|---|---|---|---|")
    write_summary([{
        "measure": f"claim cost at {LARGE:,} vs {SMALL:,} pending — {store}",
        "compared_with": f"itself at {SMALL:,} pending",
        "figure": cell(results[(store, LARGE)][0], "{:.3f}") + " ms", "anchor": cell(results[(store, SMALL)][0], "{:.3f}") + " ms",
        "ratio": statistics.median(results[(store, LARGE)][0]) / statistics.median(results[(store, SMALL)][0]),
        "target": "≤ 1.5 ×",
        "met": statistics.median(results[(store, LARGE)][0]) / statistics.median(results[(store, SMALL)][0]) <= 1.5,
        "note": None if store == "PostgreSQL" else f"one claim of {BATCH} = one transaction of the store's claim SQL; "
                f"{ROUNDS} interleaved rounds, {len(results[(store, LARGE)][0])} claims timed at {LARGE:,}",
    } for store in ("SQLite", "PostgreSQL")])
    for store in ("SQLite", "PostgreSQL"):
        base = statistics.median(results[(store, SMALL)][0])
        for depth in (SMALL, LARGE):
            ts, got = results[(store, depth)]
            n, secs, size = fills[(store, depth)]
            ratio = statistics.median(ts) / base
            target = "anchor" if depth == SMALL else f"≤ 1.5 {'✅' if ratio <= 1.5 else '❌ miss'}"
            print(f"| {store} | {n:,} | {cell(ts, '{:.3f}')} | {ratio:.2f} | {target} | "
                  f"{'/'.join(map(str, sorted(got)))} ({len(ts)} claims timed) | {secs:.0f} s / {size / 2**20:.0f} MiB |")


if __name__ == "__main__":
    main()
