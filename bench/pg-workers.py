"""Deliveries/s with 1, 2 and 4 `gonggao worker` processes on one PostgreSQL database, beside one
worker on SQLite (the anchor), to the same `gonggao sandbox` portal (run by bench/pg-workers.sh; see
bench/README.md).

The queue is made once as in bench/delivery.py: DELIVERIES copies of the sample pre-announcement
drafted, submitted and approved through the HTTP API (`serve --no-workers`, SQLite), one
provincial-portal delivery each (concurrency 16 per worker, rate limit out of the way, polls 50 ms).
That store is saved (`sqlite3 .backup`) and copied once into PostgreSQL (`gonggao store copy`) as a
template database. Each run restores a fresh copy (SQLite file / `CREATE DATABASE … TEMPLATE`, and the
audit-head file), resets the sandbox and starts the workers together with `--until-idle`. The rate is
deliveries ÷ (first attempt start → last attempt end) from the attempt log in the store; the
whole-process rate (first start → last exit) is shown too. PostgreSQL runs with fsync on (the default
synchronous_commit), as SQLite runs with synchronous=FULL: every delivery is durable before it counts."""
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ggbench import Gonggao, cell, free_port, log, machine, prepare_notices, write_config  # noqa: E402
from ggpg import PGServer  # noqa: E402

BINARY = os.environ["GONGGAO_BIN"]
RUNS = int(os.environ.get("RUNS", "3"))
N = int(os.environ.get("DELIVERIES", "1000"))
WORKERS = [int(w) for w in os.environ.get("WORKERS", "1,2,4").split(",")]
CONCURRENCY = 16
PG_FSYNC = os.environ.get("PG_FSYNC", "on") == "on"  # off: a diagnostic only (what durability costs)


def sandbox_post(port, path):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST", data=b"")).read()


def sandbox_created(port):
    items = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/provincial/items"))["items"]
    return sum(1 for it in items if any(h["effect"] == "created" for h in it["history"]))


def rows_sqlite(store):
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = db.execute("SELECT d.id, d.state, a.body FROM deliveries d LEFT JOIN attempts a ON a.delivery_id = d.id").fetchall()
    db.close()
    return rows


def rows_pg(pg, db):
    out = pg.psql("SELECT json_build_array(d.id, d.state, a.body) FROM deliveries d "
                  "LEFT JOIN attempts a ON a.delivery_id = d.id", db)
    return [tuple(json.loads(line)) for line in out.splitlines() if line]


def measure(rows, wall):
    delivered, tries, owners = [], 0, set()
    for _, state, body in rows:
        if body:
            tries += 1
            a = json.loads(body)
            if state == "delivered" and a["outcome"] == "delivered":
                delivered.append(a)
    span = max(a["finishedAt"] for a in delivered) - min(a["startedAt"] for a in delivered)
    return len(delivered) / span, len(delivered) / wall, len(delivered), tries


def run_workers(config, count, tmp, label, env):
    procs, errs = [], []
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    for i in range(count):
        err = open(os.path.join(tmp, f"{label}-w{i}.err"), "w")
        errs.append(err)
        procs.append(subprocess.Popen([BINARY, "--config", config, "worker", "--until-idle"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=err))
    try:
        codes = [p.wait(timeout=240) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for e in errs:
            e.close()
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if any(codes):
        raise RuntimeError(f"{label}: worker exit codes {codes}; see {tmp}/{label}-w*.err")
    return wall, (ru1.ru_utime - ru0.ru_utime + ru1.ru_stime - ru0.ru_stime)


def main():
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    host = machine()
    t_start = time.time()
    results = {}
    pg = sandbox = None
    with tempfile.TemporaryDirectory(prefix="gg-bench-pgw-") as tmp:
        try:
            sandbox_port = free_port()
            config = write_config(tmp, sandbox_port, ["provincial-portal"],
                                  channel_delivery={"concurrency": CONCURRENCY, "ratePerSecond": 100000,
                                                    "breakerThreshold": 1000},
                                  delivery={"pollMilliseconds": 50})
            g = Gonggao(BINARY, config)
            store = os.path.join(tmp, "gonggao.sqlite")
            g.run("init")
            tokens = g.tokens()
            sandbox = g.start("sandbox", "--port", str(sandbox_port), ready=r"sandbox portals on", name="sandbox")
            api_port = free_port()
            serve = g.start("serve", "--no-workers", "--port", str(api_port), ready=r"serving on", name="serve-prep")
            t0 = time.time()
            try:
                prepare_notices(api_port, tokens, N, approve=True)
            finally:
                serve.stop()
            log(f"  {N} approved notices queued through the API in {time.time() - t0:.1f} s")
            queued = os.path.join(tmp, "queued.sqlite")
            subprocess.run(["sqlite3", store, f".backup {queued}"], check=True)
            shutil.copy(store + ".audit-head", queued + ".audit-head")

            pg = PGServer(fsync=PG_FSYNC)
            pg.psql("CREATE DATABASE queued")
            pg_head = os.path.join(tmp, "pg.audit-head")
            g.run("store", "copy", "--from", f"sqlite:{queued}", "--to", f"postgres:{pg.url('queued')}",
                  "--audit-head", pg_head + ".queued", token=tokens["admin"])
            pg_config = os.path.join(tmp, "config-pg.json")
            c = json.load(open(config))
            c["store"] = {"postgres": {"auditHead": pg_head}}
            json.dump(c, open(pg_config, "w"), ensure_ascii=False, indent=1)
            env = dict(os.environ)
            env.pop("GONGGAO_CLOCK", None)
            env["GONGGAO_DATABASE_URL"] = pg.url("run")

            cases = [("SQLite", 1)] + [("PostgreSQL", w) for w in WORKERS]
            for run in range(RUNS):
                for kind, workers in cases:
                    sandbox_post(sandbox_port, "/_sandbox/reset")
                    if kind == "SQLite":
                        for suffix in ("", "-wal", "-shm", ".audit-head"):
                            if os.path.exists(store + suffix):
                                os.remove(store + suffix)
                        shutil.copy(queued, store)
                        shutil.copy(queued + ".audit-head", store + ".audit-head")
                        wall, cpu = run_workers(config, 1, tmp, f"sqlite-{run}", env)
                        rows = rows_sqlite(store)
                    else:
                        pg.psql("DROP DATABASE IF EXISTS run WITH (FORCE)")
                        pg.psql("CREATE DATABASE run TEMPLATE queued")
                        shutil.copy(pg_head + ".queued", pg_head)
                        wall, cpu = run_workers(pg_config, workers, tmp, f"pg{workers}-{run}", env)
                        rows = rows_pg(pg, "run")
                    rate, whole, delivered, tries = measure(rows, wall)
                    created = sandbox_created(sandbox_port)
                    r = results.setdefault((kind, workers), {"rate": [], "whole": [], "cpu": [], "checks": set()})
                    r["cpu"].append(cpu * 1000 / delivered)
                    r["rate"].append(rate)
                    r["whole"].append(whole)
                    r["checks"].add((delivered, tries, created))
                    log(f"  run {run + 1}/{RUNS}: {kind} × {workers}: {rate:.0f} deliveries/s (span), "
                        f"{whole:.0f}/s whole process; delivered {delivered}, attempts {tries}, portal items {created}")
        finally:
            if sandbox:
                sandbox.stop()
            if pg:
                pg.stop()
    anchor = statistics.median(results[("SQLite", 1)]["rate"])
    print(f"PostgreSQL workers — {started}, {host}; PostgreSQL {pg.version} (fsync {'on' if PG_FSYNC else 'OFF — diagnostic, not durable'}, same machine); "
          f"{RUNS} interleaved runs; whole run {time.time() - t_start:.0f} s\n")
    print("| store, `gonggao worker` processes | durable deliveries/s, first send → last recorded, median (min–max) "
          "| × SQLite 1 worker | whole process (start → last exit) deliveries/s | worker CPU ms per delivery (all worker processes) | checks (delivered / attempts / portal items created) |")
    print("|---|---|---|---|---|---|")
    for kind, workers in [("SQLite", 1)] + [("PostgreSQL", w) for w in WORKERS]:
        r = results[(kind, workers)]
        checks = "; ".join(f"{d} / {t} / {c}" for d, t, c in sorted(r["checks"]))
        ratio = "1.00 (anchor)" if kind == "SQLite" else f"{statistics.median(r['rate']) / anchor:.2f}"
        print(f"| {kind}, {workers} | {cell(r['rate'])} | "
              f"{ratio} | "
              f"{cell(r['whole'])} | {cell(r['cpu'], '{:.2f}')} | {checks} |")
    print(f"\n{N} deliveries queued per run (one provincial-portal delivery per approved notice); each worker: one lane, "
          f"concurrency {CONCURRENCY}, polls 50 ms; the sandbox checks every signature and creates one item per notice.")


if __name__ == "__main__":
    main()
