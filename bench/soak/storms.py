"""Restart storms: one `gonggao worker` delivers STORM_NOTICES × 3 portal deliveries from a PostgreSQL
store while the PostgreSQL server and the sandbox portals are restarted in turn mid-run (PostgreSQL
at 15 %, 45 % and 75 % delivered, the portals at 30 % and 60 %). Nothing is lost: every delivery
delivered (none dead), the worker still running, each portal published each notice exactly once
over all its incarnations (before a restart the portals are frozen — every new request reset — so
nothing is published unseen; a restarted sandbox starts empty, so a send the worker never recorded
— the store was restarting — may publish again in the next incarnation: allowed only so, and
counted; a real portal answers it from its record), repeats only under the same webhook-id, no delivery's attempts
overlapping."""
import json
import time

from pgworld import PGServer, PGWorld
from world import approve_notices, check_one_at_a_time, check_portals, log


def run(binary, tmp, notices):
    started = time.time()
    pg = PGServer()
    world = None
    problems = []
    events = []
    try:
        world = PGWorld(binary, tmp, pg, "storm", nodes=1)
        world.start_sandbox()
        serve, api_port = world.start_serve()
        try:
            ids = approve_notices(api_port, world.tokens, notices)
        finally:
            serve.stop()
        total = 3 * notices
        worker = world.start_worker(0)
        plan = [(0.15, "postgres"), (0.30, "portals"), (0.45, "postgres"), (0.60, "portals"), (0.75, "postgres")]
        view = world.view
        for share, what in plan:
            deadline = time.time() + 120
            delivered = 0
            while time.time() < deadline:
                try:
                    delivered = view.count("state = 'delivered'")
                except Exception:  # noqa: BLE001 — psql during a restart
                    pass
                if delivered >= share * total:
                    break
                time.sleep(0.02)
            t0 = time.time()
            pg.restart() if what == "postgres" else world.restart_sandbox()
            events.append(f"{what} at {delivered}/{total} ({time.time() - t0:.1f} s)")
            log(f"  storms: restarted {events[-1]}")
        ok = wait_final(view, total, 180)
        if not ok:
            problems.append(f"not settled within 180 s: {view.states()}")
        if worker.poll() is not None:
            problems.append(f"the worker died ({worker.returncode})")
        deliveries, states, attempts = view.deliveries(), view.states(), view.attempts()
        books = world.all_books()
        with open(f"{tmp}/evidence.json", "w") as f:  # for a failed run: what each portal saw, every attempt
            json.dump({"books": books, "attempts": attempts, "deliveries": deliveries}, f)
    finally:
        if world:
            world.stop()
        pg.stop()
    p2, counts = check_portals(deliveries, books, ids, faults_seen=True, attempts=attempts)
    problems += p2 + check_one_at_a_time(attempts)
    delivered = states.get("delivered", 0)
    if delivered != total:
        problems.insert(0, f"{delivered} of {total} delivered; states {states}")
    return {
        "part": "storms", "ok": not problems, "problems": problems, "seconds": time.time() - started,
        "figures": {
            "deliveries": total, "delivered": delivered, "lost": total - delivered, "dead": states.get("dead", 0),
            "postgres_restarts": sum(1 for e in events if e.startswith("postgres")),
            "portal_restarts": sum(1 for e in events if e.startswith("portals")),
            "attempts": sum(len(v) for v in attempts.values()), "repeats_same_webhook_id": counts["duplicates"],
            "republished_by_a_fresh_sandbox_after_an_unrecorded_send": counts["republished_by_a_fresh_sandbox"],
            "restarts": "; ".join(events),
        },
    }


def wait_final(view, total, limit):
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            if view.count("state = 'delivered'") + view.count("state = 'dead'") >= total:
                return True
        except Exception:  # noqa: BLE001
            pass
        time.sleep(0.2)
    return False
