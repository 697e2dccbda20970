"""Kill test: KILLS SIGKILLs of `gonggao worker` at random moments (seeded: SEED= replays) while
KILL_NOTICES × 3 portal deliveries flow to the sandbox portals (SQLite store), a restart after each
kill; after the last restart everything is delivered, each portal published each (notice, version,
channel) exactly once, repeats only under the same webhook-id, no delivery's attempts overlap."""
import os
import random
import re
import signal
import subprocess
import time

from world import (Gonggao, StoreView, approve_notices, check_one_at_a_time, check_portals, free_port,
                   import_project, log, portal_books, slow_portals, soak_config)


def worker_id(errpath):
    """The id a worker logged when it started (None if it was killed before)."""
    m = re.search(r'"msg":"worker started".*?"worker\.id":"([^"]+)"', open(errpath).read())
    return m.group(1) if m else None


def run(binary, tmp, seed, notices, kills):
    started = time.time()
    rng = random.Random(seed)
    sandbox_port = free_port()
    config = soak_config(tmp, sandbox_port, timeout=2, lane={"leaseSeconds": 9.5},
                         delivery={"concurrency": 8, "pollMilliseconds": 20})
    g = Gonggao(binary, config)
    g.run("init")
    tokens = g.tokens()
    view = StoreView(sqlite_path=os.path.join(tmp, "gonggao.sqlite"))
    total = notices * 3
    sandbox = g.start("sandbox", "--port", str(sandbox_port), ready=r"sandbox portals on", name="sandbox")
    env = {k: v for k, v in os.environ.items() if k != "GONGGAO_CLOCK"}
    worker = None
    try:
        api_port = free_port()
        serve = g.start("serve", "--no-workers", "--port", str(api_port), ready=r"serving on", name="serve")
        t0 = time.time()
        try:
            import_project(api_port, tokens)
            ids = approve_notices(api_port, tokens, notices)
        finally:
            serve.stop()
        queued_s = time.time() - t0
        log(f"  kill: {notices} notices approved over the API in {queued_s:.0f} s; {total} deliveries queued")
        slow_portals(sandbox_port)

        # Kill points: delivered counts drawn over the run, each plus 0–40 ms.
        points = sorted(rng.randrange(0, int(total * 0.97)) for _ in range(kills))
        extra = [rng.uniform(0, 0.04) for _ in range(kills)]
        os.makedirs(os.path.join(tmp, "workers"))
        in_flight_at_kills, kill_s = [], time.time()
        for k in range(kills + 1):
            errpath = os.path.join(tmp, "workers", f"{k + 1}.err")
            errlog = open(errpath, "w")
            # --until-idle: the delivery engine alone. A plain `worker` also evaluates the statutory
            # warnings when it starts, which holds its first claim back ~4 s at 3,334 notices (see
            # bench/README.md, Soak) — 100 restarts would spend the whole budget waiting for it.
            worker = subprocess.Popen([binary, "--config", config, "worker", "--until-idle"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=errlog)
            errlog.close()  # the child has its own copy
            if k == kills:
                break
            deadline = time.time() + 120
            while time.time() < deadline and worker.poll() is None and view.count("state = 'delivered'") < points[k]:
                time.sleep(0.005)
            time.sleep(extra[k])
            worker.send_signal(signal.SIGKILL)
            code = worker.wait()
            if code != -signal.SIGKILL:
                raise RuntimeError(f"worker {k + 1} ended by itself ({code}) before its kill")
            # What this kill interrupted: the deliveries its worker held in flight.
            owner = worker_id(errpath)
            in_flight_at_kills.append(
                view.count(f"state = 'in-flight' AND lease_owner = '{owner}'") if owner else 0)
            if (k + 1) % 20 == 0:
                done = view.count("state = 'delivered'")
                log(f"  kill: {k + 1}/{kills} kills, {done} delivered")
        kill_s = time.time() - kill_s
        drain0 = time.time()
        try:  # the last worker ends by itself once nothing is pending, in flight or due
            code = worker.wait(timeout=300)
        except subprocess.TimeoutExpired:
            code = "still running after 300 s"
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        drain_s = time.time() - drain0
        worker = None
        deliveries = view.deliveries()
        states = view.states()
        attempts = view.attempts()
        books = portal_books(sandbox_port)
    finally:
        if worker and worker.poll() is None:
            worker.kill()
            worker.wait()
        sandbox.stop()
    problems, counts = check_portals(deliveries, [books], ids)
    problems += check_one_at_a_time(attempts)
    delivered = states.get("delivered", 0)
    if len(deliveries) != total or delivered != total:
        problems.insert(0, f"{delivered} of {total} delivered ({len(deliveries)} deliveries; states {states})")
    if code != 0:
        problems.append(f"the last worker did not finish by itself: {code}")
    if sum(in_flight_at_kills) == 0:
        problems.append("no kill caught a delivery in flight")
    return {
        "part": "kill", "ok": not problems, "problems": problems, "seconds": time.time() - started,
        "figures": {
            "seed": seed, "kills": len(in_flight_at_kills), "deliveries": total, "delivered": delivered,
            "lost": total - delivered, "in_flight_at_kills": sum(in_flight_at_kills),
            "kills_that_caught_sends_in_flight": sum(1 for n in in_flight_at_kills if n),
            "attempts": sum(len(v) for v in attempts.values()), "published": counts["published"],
            "repeats_same_webhook_id": counts["duplicates"], "queue_s": round(queued_s, 1),
            "kill_phase_s": round(kill_s, 1), "drain_after_last_restart_s": round(drain_s, 1),
        },
    }
