"""What every soak part shares: a config for the real `gonggao` binary (SQLite or PostgreSQL store,
the three portal channels at a `gonggao sandbox`), the sandbox's admin endpoints, the store read from
outside (sqlite3 / psql), notices approved over the HTTP API in parallel, and the portal-side checks
(each (notice, version, channel) published once, repeats only under the same webhook-id, no
delivery's attempts overlapping). Standard library only."""
import json
import os
import sqlite3
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from ggbench import API, NOTICE, PROJECT, Gonggao, free_port, log, write_config  # noqa: E402,F401

PORTALS = {"provincial": "provincial-portal", "county": "county-column", "mobile": "mobile-platform"}
APPLE_EPOCH = 978307200.0  # Foundation's reference date in Unix seconds (attempt times)


def env_int(name, default):
    return int(os.environ.get(name, str(default)))


def soak_config(folder, sandbox_port, *, timeout=3, delivery=None, lane=None, pg_head=None):
    """A config in `folder`: the three portal channels at the sandbox (each `timeout` s, `lane`
    settings per channel), fast retries unless `delivery` says otherwise; a PostgreSQL store (URL from
    GONGGAO_DATABASE_URL) with its audit head at `pg_head`, else SQLite in the folder."""
    settings = {"concurrency": 8, "ratePerSecond": 10000, "pollMilliseconds": 50, "breakerThreshold": 1000,
                "retryScheduleSeconds": [0.2, 0.5, 1, 2, 2, 2, 2, 2, 2, 2], "retryJitter": 0, "graceSeconds": 2}
    settings.update(delivery or {})
    path = write_config(folder, sandbox_port, list(PORTALS.values()), delivery=settings)
    with open(path) as f:
        config = json.load(f)
    for ch in config["channels"]:
        ch["timeoutSeconds"] = timeout
        if lane:
            ch["delivery"] = dict(lane)
    if pg_head:
        config["store"] = {"postgres": {"auditHead": pg_head}}
    with open(path, "w") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)
    return path


# ---- the sandbox portals ------------------------------------------------------------------------

def sandbox_call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=data,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def inject(port, portal, fault):
    return sandbox_call(port, "POST", f"/_sandbox/{portal}/faults", fault)


def portal_books(port):
    """{portal: {"items": [...], "log": [...]}} as the sandbox holds them now."""
    return {p: {"items": sandbox_call(port, "GET", f"/_sandbox/{p}/items")["items"],
                "log": sandbox_call(port, "GET", f"/_sandbox/{p}/log")["entries"]} for p in PORTALS}


def slow_portals(port, ms=60):
    """Every portal answers `ms` after publishing, like a real one: a kill or restart then catches
    sends the portal has taken and the sender has not recorded."""
    for p in PORTALS:
        inject(port, p, {"mode": "slow", "delayMs": ms, "count": 1_000_000})


# ---- the store, read from outside ----------------------------------------------------------------

class StoreView:
    """Reads the store's tables: SQLite through Python's sqlite3 (read-only), PostgreSQL through psql."""

    def __init__(self, sqlite_path=None, pg=None, db=None):
        self.sqlite_path, self.pg, self.db = sqlite_path, pg, db

    def rows(self, columns, rest=""):
        if self.pg:
            out = self.pg.psql(f"SELECT json_build_array({columns}) {rest}", self.db)
            return [tuple(json.loads(line)) for line in out.splitlines() if line]
        db = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=30)
        try:
            return db.execute(f"SELECT {columns} {rest}").fetchall()
        finally:
            db.close()

    def count(self, condition="1=1"):
        return self.rows("count(*)", f"FROM deliveries WHERE {condition}")[0][0]

    def states(self):
        return dict(self.rows("state, count(*)", "FROM deliveries GROUP BY state"))

    def deliveries(self):
        """[(id, notice_id, channel, state)]."""
        return self.rows("id, notice_id, channel, state", "FROM deliveries")

    def attempts(self):
        """{delivery id: [attempt, …] in order} (attempt = the stored JSON, times in Unix seconds)."""
        out = {}
        for (body,) in self.rows("body", "FROM attempts"):
            a = json.loads(body) if isinstance(body, str) else body
            a["start"] = a["startedAt"] + APPLE_EPOCH
            a["end"] = a["finishedAt"] + APPLE_EPOCH
            out.setdefault(a["deliveryID"], []).append(a)
        for v in out.values():
            v.sort(key=lambda a: a["number"])
        return out


def wait_all_final(view, total, limit, step=0.2):
    """Waits until `total` deliveries exist and none is waiting or in flight; True when so."""
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            if view.count() == total and view.count("state IN ('pending','retrying','in-flight')") == 0:
                return True
        except Exception:  # noqa: BLE001 — psql while PostgreSQL restarts
            pass
        time.sleep(step)
    return False


# ---- notices over the HTTP API -------------------------------------------------------------------

def approve_notices(api_port, tokens, count, lanes=4, number_base=1000, approve=True):
    """Drafts, submits (and approves) `count` copies of the sample pre-announcement over the API,
    `lanes` clients at once, each with its own document number; returns the notice ids."""
    template = json.load(open(NOTICE))
    ids, errors, lock = [], [], threading.Lock()

    def lane(k):
        zhang, li = API(api_port, tokens["zhang.wei"]), API(api_port, tokens["li.na"])
        for n in range(k, count, lanes):
            try:
                content = dict(template, documentNumber=f"安政征预〔2026〕{number_base + n}号")
                nid = zhang.call("POST", "/api/notices", content)["id"]
                zhang.call("POST", f"/api/notices/{nid}/submit")
                if approve:
                    li.call("POST", f"/api/notices/{nid}/approve")
                with lock:
                    ids.append(nid)
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(str(e))
    threads = [threading.Thread(target=lane, args=(k,)) for k in range(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} notices failed over the API; first: {errors[0]}")
    return ids


def import_project(api_port, tokens):
    API(api_port, tokens["zhang.wei"]).call("POST", "/api/projects", open(PROJECT, "rb").read())


# ---- the portal-side checks ----------------------------------------------------------------------

def check_portals(deliveries, books_list, notice_ids, faults_seen=False, attempts=None):
    """Each portal published each notice's version 1 exactly once, under that delivery's id; every
    request for a notice came under its delivery's webhook-id and was `created` or `duplicate` (or
    an injected fault, with `faults_seen`). `books_list`: the portal books of each sandbox
    incarnation. A restarted sandbox starts empty, so it cannot answer a repeat as a duplicate: with
    `attempts`, a publication repeated in a later incarnation is allowed (and counted) only where
    the earlier send was never recorded (its sender lost it, e.g. to a store restart) — the repeat
    a real portal would have answered from its record. Returns (problems, counts)."""
    problems, counts = [], {"published": 0, "duplicates": 0, "republished_by_a_fresh_sandbox": 0}
    want = set(notice_ids)
    for portal, kind in PORTALS.items():
        mine = {n: d for d, n, c, _ in deliveries if c == kind}
        if set(mine) != want:
            problems.append(f"{portal}: {len(mine)} deliveries for {len(want)} notices")
        created = {}
        for k, books in enumerate(books_list):
            for entry in books[portal]["log"]:
                notice, outcome = entry.get("noticeId"), str(entry.get("outcome"))
                if entry.get("webhookId") != mine.get(notice):
                    problems.append(f"{portal}: a request under another webhook-id: {entry}")
                if outcome == "created":
                    created.setdefault(notice, []).append((k, entry.get("atMs", 0) / 1000))
                elif outcome == "duplicate":
                    counts["duplicates"] += 1
                elif not (faults_seen and outcome.startswith("fault:")):
                    problems.append(f"{portal}: unexpected outcome {outcome}: {entry}")
            for item in books[portal]["items"]:
                hist = item.get("history", [])
                if [h.get("effect") for h in hist] != ["created"] or any(
                        h.get("webhookId") != mine.get(item["noticeId"]) or h.get("version") != 1 for h in hist):
                    problems.append(f"{portal} {item['noticeId']}: history {hist}")
        for notice in want:
            times = created.get(notice, [])
            earlier = times[:-1]
            recorded = (attempts or {}).get(mine.get(notice), [])
            lost_sends = all(not any(a["start"] - 0.002 <= at <= a["end"] + 0.002 for a in recorded)
                             for _, at in earlier)
            if len(times) == 1:
                pass
            elif attempts is not None and len({k for k, _ in times}) == len(times) and lost_sends and times:
                counts["republished_by_a_fresh_sandbox"] += len(earlier)
            else:
                problems.append(f"{portal} {notice}: published {len(times)} times")
        counts["published"] += sum(len(v) for v in created.values())
    return problems[:20] + ([f"… {len(problems) - 20} more"] if len(problems) > 20 else []), counts


def check_one_at_a_time(attempts):
    """No delivery in flight twice: a delivery's recorded attempts never overlap. Returns problems."""
    problems = []
    for delivery, items in attempts.items():
        for a, b in zip(items, items[1:]):
            if a["end"] > b["start"]:
                problems.append(f"{delivery}: attempts {a['number']} and {b['number']} overlap")
    return problems


def request_outside_attempts(attempts, books_list):
    """Portal requests of a delivery outside every recorded attempt of it (sends whose sender died
    before recording them); with their times, for the caller to judge."""
    out = []
    for books in books_list:
        for portal in PORTALS:
            for entry in books[portal]["log"]:
                at = entry.get("atMs", 0) / 1000
                mine = attempts.get(entry.get("webhookId"), [])
                if not any(a["start"] - 0.002 <= at <= a["end"] + 0.002 for a in mine):
                    out.append((entry.get("webhookId"), at))
    return out


def wait_http(port, path="/_sandbox/health", limit=20):
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port}{path}")
