"""Multi-node at size: MULTI_NOTICES notices drafted, submitted and approved through one
`gonggao serve --no-workers` while three `gonggao worker` processes (each its own config folder and
audit head) deliver them to the sandbox portals from one PostgreSQL database; worker 1 is SIGKILLed
a third of the way through while it holds deliveries in flight. Nothing lost; each portal published
each notice once; no delivery in flight twice (its recorded attempts never overlap, and every portal
request lies inside a recorded attempt of its delivery unless it came before the kill)."""
import signal
import threading
import time

from pgworld import PGServer, PGWorld
from world import approve_notices, check_one_at_a_time, check_portals, log, request_outside_attempts


def run(binary, tmp, notices):
    started = time.time()
    pg = PGServer()
    world = None
    problems = []
    try:
        world = PGWorld(binary, tmp, pg, "multi", nodes=4)
        world.start_sandbox()
        serve, api_port = world.start_serve()
        try:
            workers = [world.start_worker(i) for i in (1, 2, 3)]
            owner = world.worker_id(1)
            result = {}
            t0 = time.time()
            approving = threading.Thread(target=lambda: result.setdefault(
                "ids", approve_notices(api_port, world.tokens, notices, number_base=10000)))
            approving.start()
            total, view = 3 * notices, world.view
            deadline, reached, held = time.time() + 600, None, 0
            while time.time() < deadline:
                if reached is None and view.count("state = 'delivered'") >= total // 3:
                    reached = time.time()
                if reached:
                    held = view.count(f"state = 'in-flight' AND lease_owner = '{owner}'")
                    if held >= 3 or (held >= 1 and time.time() - reached > 3) or time.time() - reached > 10:
                        break
                time.sleep(0.01)
            workers[0].send_signal(signal.SIGKILL)
            killed_at = time.time()
            workers[0].wait()
            at_kill = view.count("state = 'delivered'")
            log(f"  multinode: killed worker 1 at {at_kill} delivered, holding {held} leases")
            approving.join()
            approve_s = time.time() - t0
        finally:
            serve.stop()
        ids = result.get("ids", [])
        if len(ids) != notices:
            problems.append(f"only {len(ids)} of {notices} notices approved")
        deadline = time.time() + 300
        while time.time() < deadline and view.count("state = 'delivered'") < total:
            time.sleep(0.1)
        drained_s = time.time() - t0
        deliveries, states, attempts = view.deliveries(), view.states(), view.attempts()
        books = world.all_books()
        survivors = sum(1 for w in workers[1:] if w.poll() is None)
    finally:
        if world:
            world.stop()
        pg.stop()
    p2, counts = check_portals(deliveries, books, ids)
    problems += p2 + check_one_at_a_time(attempts)
    outside = request_outside_attempts(attempts, books)
    late = [w for w, at in outside if at > killed_at]
    if late:
        problems.append(f"{len(late)} portal requests outside every recorded attempt after the kill, e.g. {late[:3]}")
    delivered = states.get("delivered", 0)
    if delivered != total:
        problems.insert(0, f"{delivered} of {total} delivered; states {states}")
    if held == 0:
        problems.append("the killed worker held no delivery in flight")
    if survivors != 2:
        problems.append(f"{2 - survivors} of the other workers died")
    return {
        "part": "multinode", "ok": not problems, "problems": problems, "seconds": time.time() - started,
        "figures": {
            "notices": notices, "deliveries": total, "delivered": delivered, "lost": total - delivered,
            "workers": 3, "killed": 1, "leases_held_at_kill": held, "unrecorded_sends_before_kill": len(outside),
            "attempts": sum(len(v) for v in attempts.values()), "repeats_same_webhook_id": counts["duplicates"],
            "overlapping_attempts": 0 if not check_one_at_a_time(attempts) else "see problems",
            "approve_s": round(approve_s, 1), "all_delivered_after_s": round(drained_s, 1),
        },
    }
