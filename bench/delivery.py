"""Delivery benchmarks (run by bench/delivery.sh; see bench/README.md).

1. Throughput: durable deliveries per second of `gonggao worker --until-idle` (SQLite store, one
   provincial-portal lane, concurrency 16) to the sandbox portal, beside wrk sending the same signed
   payload to the same sandbox at the same concurrency, interleaved run by run.
2. Latency: approve → every channel acknowledged, at a fixed approval rate through the HTTP API of
   `gonggao serve` (workers on, print channel + three portals)."""
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ggbench import (API, Gonggao, cell, free_port, log, machine, prepare_notices, wrk, write_config,  # noqa: E402
                     write_summary)

BINARY = os.environ["GONGGAO_BIN"]
RUNS = int(os.environ.get("RUNS", "5"))
N = int(os.environ.get("DELIVERIES", "1000"))
WRK_SECONDS = int(os.environ.get("WRK_SECONDS", "5"))
RATE = float(os.environ.get("APPROVALS_PER_SECOND", "20"))
WINDOW = float(os.environ.get("WINDOW", "20"))
CONCURRENCY = 16
PARTS = os.environ.get("PARTS", "throughput,latency")
LUA = os.path.join(os.path.dirname(__file__), "lua", "signed-webhook.lua")
PROVINCIAL_WHSEC = open(os.path.join(os.path.dirname(__file__), "..", "Config", "sandbox-secrets",
                                     "provincial.whsec")).read().strip()
APPLE_EPOCH = 978307200.0  # Foundation's reference date (2001-01-01) in Unix seconds


def sandbox_post(port, path):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST", data=b"")).read()


def sandbox_get(port, path):
    return json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}{path}"))


def attempts(store):
    """(delivery id, state, [attempt bodies]) of every delivery in the store."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    rows = db.execute("SELECT d.id, d.notice_id, d.channel, d.state, a.body FROM deliveries d "
                      "LEFT JOIN attempts a ON a.delivery_id = d.id").fetchall()
    db.close()
    return [(i, n, c, s, json.loads(b) if b else None) for i, n, c, s, b in rows]


def throughput(tmp):
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
    try:
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

        body_file = os.path.join(tmp, "payload.json")
        worker_rates, worker_walls, wrk_rates, checks, wrk_checks, ratios = [], [], [], [], [], []
        for run in range(RUNS):
            # The worker: a fresh copy of the queued store, an empty sandbox.
            sandbox_post(sandbox_port, "/_sandbox/reset")
            for suffix in ("", "-wal", "-shm", ".audit-head"):
                if os.path.exists(store + suffix):
                    os.remove(store + suffix)
            shutil.copy(queued, store)
            shutil.copy(queued + ".audit-head", store + ".audit-head")
            w0 = time.perf_counter()
            with open(os.path.join(tmp, f"worker-{run}.err"), "w") as err:
                subprocess.run([BINARY, "--config", config, "worker", "--until-idle"], check=True, stderr=err,
                               stdout=subprocess.DEVNULL)
            wall = time.perf_counter() - w0
            rows = attempts(store)
            delivered = [a for (_, _, _, s, a) in rows if s == "delivered" and a and a["outcome"] == "delivered"]
            tries = sum(1 for r in rows if r[4])
            span = max(a["finishedAt"] for a in delivered) - min(a["startedAt"] for a in delivered)
            items = sandbox_get(sandbox_port, "/_sandbox/provincial/items")["items"]
            created = sum(1 for it in items if any(h["effect"] == "created" for h in it["history"]))
            rate = len(delivered) / span
            worker_rates.append(rate)
            worker_walls.append(len(delivered) / wall)
            checks.append((len(delivered), tries, created))
            if run == 0:
                sample = next(r[1] for r in rows)
                item = sandbox_get(sandbox_port, f"/_sandbox/provincial/items/{sample}")
                with open(body_file, "w") as f:
                    json.dump(item["payload"], f, ensure_ascii=False, separators=(",", ":"))
            # wrk: the same receiver, the same payload, the same concurrency, fresh ids.
            sandbox_post(sandbox_port, "/_sandbox/reset")
            r = wrk(f"http://127.0.0.1:{sandbox_port}", threads=2, connections=CONCURRENCY, seconds=WRK_SECONDS,
                    script=LUA, script_args=(body_file, PROVINCIAL_WHSEC, "/provincial/items"))
            wrk_rates.append(r["rps"])
            wrk_checks.append(r)
            ratios.append(rate / r["rps"])
            log(f"  run {run + 1}/{RUNS}: worker {rate:.0f} deliveries/s (span), {len(delivered) / wall:.0f}/s "
                f"(process wall {wall:.2f} s); wrk {r['rps']:.0f} req/s [{r['statuses']}]")
        payload_bytes = os.path.getsize(body_file)
    finally:
        sandbox.stop()
    return {
        "worker": worker_rates, "worker_wall": worker_walls, "wrk": wrk_rates, "ratios": ratios, "checks": checks,
        "wrk_checks": wrk_checks, "payload_bytes": payload_bytes,
    }


def latency(tmp):
    sandbox_port = free_port()
    config = write_config(tmp, sandbox_port, ["provincial-portal", "county-column", "mobile-platform"],
                          print_channel=True, delivery={"pollMilliseconds": 100})
    g = Gonggao(BINARY, config)
    store = os.path.join(tmp, "gonggao.sqlite")
    g.run("init")
    tokens = g.tokens()
    total = int(RATE * WINDOW)
    sandbox = g.start("sandbox", "--port", str(sandbox_port), ready=r"sandbox portals on", name="sandbox")
    serve = None
    try:
        api_port = free_port()
        serve = g.start("serve", "--port", str(api_port), ready=r"serving on", name="serve")
        ids = prepare_notices(api_port, tokens, total, approve=False)
        log(f"  {total} submitted notices ready; approving {RATE:g}/s for {WINDOW:g} s")
        sent = {}
        lock = threading.Lock()
        errors = []

        def approver(mine):
            api = API(api_port, tokens["li.na"])
            for at, nid in mine:
                delay = at - time.time()
                if delay > 0:
                    time.sleep(delay)
                t = time.time()
                try:
                    api.call("POST", f"/api/notices/{nid}/approve")
                except Exception as e:  # noqa: BLE001
                    errors.append(str(e))
                with lock:
                    sent[nid] = (t, time.time())

        # Open loop: approval k is sent at start + k/RATE by one of 8 clients, whatever the answers' pace.
        start = time.time() + 0.5
        schedule = [(start + k / RATE, nid) for k, nid in enumerate(ids)]
        clients = [threading.Thread(target=approver, args=(schedule[i::8],)) for i in range(8)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        behind = max(s[0] - sched for (sched, nid), s in ((x, sent[x[1]]) for x in schedule))
        # Wait for the queue to drain (bounded), then read the outcome from the store.
        deadline = time.time() + max(300, 6 * WINDOW)
        while time.time() < deadline:
            db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
            waiting = db.execute("SELECT count(*) FROM deliveries WHERE state NOT IN ('delivered','dead','cancelled')").fetchone()[0]
            db.close()
            if waiting == 0:
                break
            time.sleep(0.5)
        drained = time.time() - (start + total / RATE)
    finally:
        if serve:
            serve.stop()
        sandbox.stop()
    rows = attempts(store)
    done = {}
    per_channel = {}
    undelivered = 0
    for did, nid, channel, state, a in rows:
        if state != "delivered":
            undelivered += 1
            continue
        if a is None or a["outcome"] != "delivered":
            continue
        end = a["finishedAt"] + APPLE_EPOCH
        done[nid] = max(done.get(nid, 0), end)
        per_channel.setdefault(channel, []).append((end - sent[nid][0]) * 1000)
    # A notice not acknowledged when the wait ended counts as infinitely late.
    lat = sorted((done[nid] - sent[nid][0]) * 1000 if nid in done else float("inf") for nid in ids)
    api_ms = sorted((sent[nid][1] - sent[nid][0]) * 1000 for nid in ids)

    def pct(v, p):
        return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")
    # The window in five consecutive slices (by approval order): a p99 for each, for median and min–max.
    slices = []
    for k in range(5):
        part = ids[k * len(ids) // 5:(k + 1) * len(ids) // 5]
        v = sorted((done[n] - sent[n][0]) * 1000 if n in done else float("inf") for n in part)
        slices.append(pct(v, 99))
    return {"total": total, "acked": len(done), "undelivered": undelivered, "errors": errors, "behind": behind,
            "slice_p99": slices,
            "p50": pct(lat, 50), "p99": pct(lat, 99), "max": lat[-1] if lat else float("nan"),
            "api_p50": pct(api_ms, 50), "api_p99": pct(api_ms, 99), "drained": drained,
            "channels": {c: (pct(sorted(v), 50), pct(sorted(v), 99)) for c, v in sorted(per_channel.items())}}


def main():
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    host = machine()
    with tempfile.TemporaryDirectory(prefix="gg-bench-delivery-") as tmp:
        os.makedirs(os.path.join(tmp, "t"))
        os.makedirs(os.path.join(tmp, "l"))
        log(f"throughput: {N} deliveries per worker run, wrk {WRK_SECONDS} s, {RUNS} interleaved runs…")
        t = throughput(os.path.join(tmp, "t")) if "throughput" in PARTS else None
        log(f"latency: {RATE:g} approvals/s for {WINDOW:g} s…")
        lt = latency(os.path.join(tmp, "l")) if "latency" in PARTS else None
        if os.environ.get("KEEP"):
            shutil.copytree(tmp, os.environ["KEEP"], dirs_exist_ok=True)
    print(f"Delivery benchmarks — {started}, {host}, {RUNS} interleaved runs\n")
    if t:
        throughput_table(t)
    if lt:
        latency_table(lt)
    summary_rows(t, lt)


def summary_rows(t, lt):
    """The rows of `make bench`'s one table (bench/summary.py), when SUMMARY_JSON names a file."""
    rows = []
    if t:
        ratio = statistics.median(t["worker"]) / statistics.median(t["wrk"])
        rows.append({
            "measure": "durable deliveries/s to a signature-checking sandbox portal (SQLite store)",
            "compared_with": f"wrk, same receiver, same signed {t['payload_bytes']} B payload, concurrency {CONCURRENCY}",
            "figure": cell(t["worker"]) + " /s", "anchor": cell(t["wrk"]) + " req/s", "ratio": ratio,
            "target": "≥ 0.20 × wrk", "met": ratio >= 0.20,
            "note": f"{RUNS} interleaved runs of {N} deliveries; per-run ratio {cell(t['ratios'], '{:.2f}')}"})
    if lt:
        rows.append({
            "measure": f"approve → all channels acknowledged, {RATE:g} approvals/s for {WINDOW:g} s, print on",
            "compared_with": "—", "figure": cell(lt["slice_p99"]) + " ms (p99 of each fifth of the window)",
            "anchor": None, "ratio": None, "target": "p99 ≤ 250 ms", "met": lt["p99"] <= 250,
            "note": f"p99 over all {lt['total']} approvals {lt['p99']:.0f} ms, p50 {lt['p50']:.0f} ms; "
                    f"{lt['acked']}/{lt['total']} acknowledged; approve API p50 {lt['api_p50']:.0f} ms"})
    write_summary(rows)


def throughput_table(t):
    ratio = statistics.median(t["worker"]) / statistics.median(t["wrk"])
    delivered = {c[0] for c in t["checks"]}
    tries = {c[1] for c in t["checks"]}
    created = {c[2] for c in t["checks"]}
    statuses = sorted({w["statuses"] for w in t["wrk_checks"]})
    sock = sorted({w["socket_errors"] for w in t["wrk_checks"] if w["socket_errors"]})
    print("| case | rate, median (min–max) | × wrk | target | checks |")
    print("|---|---|---|---|---|")
    print(f"| `gonggao worker`: durable deliveries/s, SQLite, 1 portal lane, concurrency {CONCURRENCY} "
          f"(first send → last recorded) | {cell(t['worker'])} | {ratio:.2f} (per-run {cell(t['ratios'], '{:.2f}')}) "
          f"| ≥ 0.20 {'✅' if ratio >= 0.20 else '❌ miss'} | {N} queued per run; delivered {'/'.join(map(str, sorted(delivered)))}, "
          f"attempts {'/'.join(map(str, sorted(tries)))}, portal items created {'/'.join(map(str, sorted(created)))} |")
    print(f"| same, whole process (start → idle exit) | {cell(t['worker_wall'])} | "
          f"{statistics.median(t['worker_wall']) / statistics.median(t['wrk']):.2f} | | includes start-up, the "
          f"--until-idle check and exit |")
    print(f"| wrk → the same sandbox portal: signed POST /provincial/items, fresh webhook-id and noticeId per request, "
          f"-t2 -c{CONCURRENCY} {WRK_SECONDS} s | {cell(t['wrk'])} | 1.00 | anchor | statuses {'; '.join(statuses)}"
          f"{'; socket errors ' + '; '.join(sock) if sock else ''} |")
    print(f"\nPayload: the provincial-portal body the worker sent for the sample pre-announcement, "
          f"{t['payload_bytes']} bytes, signed with the portal's demo whsec secret.")


def latency_table(lt):
    if True:
        ok = lt["p99"] <= 250
        print(f"\n| approve → all channels acknowledged ({RATE:g} approvals/s for {WINDOW:g} s, print + 3 portals, "
              f"`gonggao serve` with workers) | ms |")
        print("|---|---|")
        print(f"| p50 | {lt['p50']:.0f} |")
        print(f"| p99 | {lt['p99']:.0f} (target ≤ 250 {'✅' if ok else '❌ miss'}) |")
        print(f"| max | {lt['max']:.0f} |")
        for c, (p50, p99) in lt["channels"].items():
            print(f"| channel `{c}` alone: p50 / p99 | {p50:.0f} / {p99:.0f} |")
        print(f"| approve API answer p50 / p99 | {lt['api_p50']:.0f} / {lt['api_p99']:.0f} |")
        print(f"| notices acknowledged / approved | {lt['acked']} / {lt['total']} "
              f"({lt['undelivered']} deliveries not delivered; {len(lt['errors'])} API errors; "
              f"schedule slip ≤ {lt['behind'] * 1000:.0f} ms; queue drained {max(0, lt['drained']):.1f} s after the last approval) |")


if __name__ == "__main__":
    main()
