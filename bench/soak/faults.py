"""Fault matrix: every fault class the sandbox can inject, on all three portal channels at once (one
notice per class, all approved together through `gonggao serve` with its workers); each delivery
ends delivered or dead-lettered as the retry policy says, with the right attempts, and each portal
saw what it should. Beside them, three healthy channels (the same portal kinds on a second sandbox)
carry every notice: their acknowledgment time (approve → delivered) while the faults run is
compared with a no-fault baseline taken in the same run."""
import json
import re
import statistics
import time

from world import (API, PORTALS, Gonggao, StoreView, approve_notices, free_port, import_project, inject, log,
                   portal_books, soak_config)

RETRY = [0.15, 0.15, 0.15]  # four attempts: at once, then three retries 150 ms apart
TIMEOUT = 3
R, D, X = "retryable", "delivered", "rejected"
# name, fault, final state, attempt outcomes, text in the first attempt's detail, least gap (s), portal log
ROWS = [
    ("500 twice, then delivered", {"mode": "status", "status": 500, "count": 2}, "delivered", [R, R, D],
     "HTTP 500", 0.15, ["fault:status", "fault:status", "created"]),
    ("500 on every attempt: dead letter", {"mode": "status", "status": 500, "count": 4}, "dead", [R] * 4,
     "HTTP 500", 0.15, ["fault:status"] * 4),
    ("400: permanent at once", {"mode": "status", "status": 400}, "dead", [X], "HTTP 400", 0, ["fault:status"]),
    ("503 + Retry-After 1", {"mode": "unavailable", "retryAfter": 1}, "delivered", [R, D], "HTTP 503", 1.0,
     ["fault:unavailable", "created"]),
    ("429 + Retry-After on every attempt: dead letter", {"mode": "rate-limited", "count": 4, "retryAfter": 1},
     "dead", [R] * 4, "HTTP 429", 1.0, ["fault:rate-limited"] * 4),
    ("hang past the timeout", {"mode": "hang", "seconds": 4.5}, "delivered", [R, D], "curl 28", 0.15,
     ["fault:hang", "created"]),
    # libcurl itself sends a request again once when a reused keep-alive connection dies before any
    # answer (it cannot tell that from an idle close): then the portal sees two resets in one attempt.
    ("reset twice", {"mode": "reset", "count": 2}, "delivered", ([R, R, D], [R, D]), "curl ", 0.15,
     ["fault:reset", "fault:reset", "created"]),
    ("slow within the timeout", {"mode": "slow", "delayMs": 300}, "delivered", [D], "HTTP 201", 0, ["created"]),
    ("slow past the timeout", {"mode": "slow", "delayMs": 4000}, "delivered", [R, D], "curl 28", 0.15,
     ["created", "duplicate"]),
    ("huge answer", {"mode": "huge", "bytes": 3 << 20}, "delivered", [D], "read in part", 0, ["created"]),
    ("huge 503 answer", {"mode": "huge", "status": 503, "bytes": 2 << 20}, "delivered", [R, D], "HTTP 503", 0.15,
     ["fault:huge", "created"]),
]


def add_healthy_channels(config_path, port):
    """The three portal kinds again, named `<kind>-healthy`, at the sandbox on `port`."""
    with open(config_path) as f:
        config = json.load(f)
    for ch in [c for c in config["channels"] if c["type"] in PORTALS.values()]:
        config["channels"].append(dict(ch, name=ch["name"] + "-healthy",
                                       url=re.sub(r":\d+/", f":{port}/", ch["url"], count=1)))
    with open(config_path, "w") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)


def ack_times(view, approved_at, channels):
    """Seconds from each notice's approve call to its delivery's acknowledgment, on `channels`."""
    attempts = view.attempts()
    out = []
    for did, nid, ch, state in view.deliveries():
        if ch in channels and nid in approved_at and state == "delivered":
            end = max(a["end"] for a in attempts[did] if a["outcome"] == "delivered")
            out.append(end - approved_at[nid])
    return sorted(out)


def approve_paced(api_port, token, ids, per_second):
    api, at = API(api_port, token), {}
    for k, nid in enumerate(ids):
        at[nid] = time.time()
        api.call("POST", f"/api/notices/{nid}/approve")
        time.sleep(max(0.0, 1 / per_second - (time.time() - at[nid])))
    return at


def p(values, q):
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] if values else float("nan")


def run(binary, tmp, healthy):
    started = time.time()
    port_a, port_b = free_port(), free_port()
    config = soak_config(tmp, port_a, timeout=TIMEOUT,
                         delivery={"retryScheduleSeconds": RETRY, "concurrency": 8, "pollMilliseconds": 50})
    add_healthy_channels(config, port_b)
    g = Gonggao(binary, config)
    g.run("init")
    tokens = g.tokens()
    view = StoreView(sqlite_path=f"{tmp}/gonggao.sqlite")
    sandbox_a = g.start("sandbox", "--port", str(port_a), ready=r"sandbox portals on", name="sandbox-a")
    sandbox_b = g.start("sandbox", "--port", str(port_b), ready=r"sandbox portals on", name="sandbox-b")
    serve = None
    problems = []
    try:
        api_port = free_port()
        serve = g.start("serve", "--port", str(api_port), ready=r"serving on", name="serve")
        import_project(api_port, tokens)
        base_ids = approve_notices(api_port, tokens, healthy, approve=False, number_base=2000)
        fault_ids = approve_notices(api_port, tokens, len(ROWS), approve=False, number_base=3000)
        load_ids = approve_notices(api_port, tokens, healthy, approve=False, number_base=4000)
        # Baseline: no fault anywhere.
        base_at = approve_paced(api_port, tokens["li.na"], base_ids, 10)
        if not wait_settled(view, base_ids, 60):
            problems.append("baseline notices not settled within 60 s")
        # Faults: one class per notice on every portal of sandbox A; healthy notices approved beside them.
        for (name, fault, *_), nid in zip(ROWS, fault_ids):
            for portal in PORTALS:
                inject(port_a, portal, dict(fault, noticeId=nid))
        fault_at = approve_paced(api_port, tokens["li.na"], fault_ids, 100)
        load_at = approve_paced(api_port, tokens["li.na"], load_ids, 10)
        if not wait_settled(view, fault_ids + load_ids, 90):
            problems.append(f"fault notices not settled within 90 s: {view.states()}")
        books = portal_books(port_a)
    finally:
        if serve:
            serve.stop()
        sandbox_a.stop()
        sandbox_b.stop()
    attempts, rows = view.attempts(), view.deliveries()
    by_notice = {}
    for did, nid, ch, state in rows:
        by_notice.setdefault(nid, {})[ch] = (did, state)
    classes_ok = 0
    for (name, _, state, outcomes, detail, gap, portal_log), nid in zip(ROWS, fault_ids):
        row_ok = True
        for portal, kind in PORTALS.items():
            did, got = by_notice[nid][kind]
            tries = attempts.get(did, [])
            seen = [e["outcome"] for e in books[portal]["log"] if e.get("noticeId") == nid]
            what = f"{name} on {kind}"
            allowed = outcomes if isinstance(outcomes, tuple) else (outcomes,)
            if got != state or [a["outcome"] for a in tries] not in allowed:
                problems.append(f"{what}: {got} after {[a['outcome'] for a in tries]}, expected {state} after {outcomes}")
                row_ok = False
            elif detail not in tries[0]["detail"]:
                problems.append(f"{what}: first attempt says {tries[0]['detail']!r}, expected {detail!r}")
                row_ok = False
            elif any(b["start"] - a["end"] < gap - 0.01 for a, b in zip(tries, tries[1:])):
                problems.append(f"{what}: retried sooner than {gap} s")
                row_ok = False
            if seen != portal_log:
                problems.append(f"{what}: portal saw {seen}, expected {portal_log}")
                row_ok = False
        classes_ok += row_ok
    healthy_names = {f"{k}-healthy" for k in PORTALS.values()}
    base = ack_times(view, base_at, healthy_names)
    under = ack_times(view, load_at, healthy_names)
    faulted_base = ack_times(view, base_at, set(PORTALS.values()))
    if len(base) != 3 * healthy or len(under) != 3 * healthy:
        problems.append(f"healthy deliveries acknowledged: baseline {len(base)}, under faults {len(under)} of {3 * healthy}")
    # Not slowed: the median within 2 × the baseline's (+ 50 ms for a noisy machine), and no healthy
    # delivery waited as long as a faulty portal's timeout.
    if under and base and (p(under, 50) > 2 * p(base, 50) + 0.05 or under[-1] >= TIMEOUT):
        problems.append(f"healthy channels slowed: p50 {p(under, 50) * 1000:.0f} ms under faults vs "
                        f"{p(base, 50) * 1000:.0f} ms baseline (max {under[-1] * 1000:.0f} ms, timeout {TIMEOUT} s)")
    log(f"  faults: {classes_ok}/{len(ROWS)} fault classes as the policy says; healthy p50/p99 "
        f"{p(base, 50) * 1000:.0f}/{p(base, 99) * 1000:.0f} ms baseline, "
        f"{p(under, 50) * 1000:.0f}/{p(under, 99) * 1000:.0f} ms under faults")
    return {
        "part": "faults", "ok": not problems, "problems": problems, "seconds": time.time() - started,
        "figures": {
            "fault_classes": len(ROWS), "classes_as_policy_says": classes_ok, "channels_per_class": 3,
            "healthy_deliveries": len(base) + len(under),
            "healthy_ack_ms_baseline_p50_p99": f"{p(base, 50) * 1000:.0f}/{p(base, 99) * 1000:.0f}",
            "healthy_ack_ms_under_faults_p50_p99": f"{p(under, 50) * 1000:.0f}/{p(under, 99) * 1000:.0f}",
            "healthy_ack_ms_under_faults_max": f"{under[-1] * 1000:.0f}" if under else None,
            "healthy_p50_ratio": round(statistics.median(under) / statistics.median(base), 2) if base and under else None,
            "faulted_channels_ack_ms_baseline_p50": f"{p(faulted_base, 50) * 1000:.0f}",
            "lost": sum(1 for _, _, _, s in rows if s not in ("delivered", "dead")),
        },
    }


def wait_settled(view, ids, limit):
    deadline, want = time.time() + limit, set(ids)
    while time.time() < deadline:
        rows = [s for _, n, _, s in view.deliveries() if n in want]
        if rows and all(s in ("delivered", "dead", "cancelled") for s in rows):
            return True
        time.sleep(0.2)
    return False
