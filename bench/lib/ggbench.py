"""Shared helpers of the service benchmarks (bench/delivery.py, bench/page.py): free ports, a
temporary config and store, processes started and stopped by pid, a keep-alive API client, and
the wrk runner. Standard library only."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLES = os.path.join(ROOT, "Config", "samples")
PROJECT = os.path.join(SAMPLES, "anji-meixi-2026-37.project.json")
NOTICE = os.path.join(SAMPLES, "anji-meixi-2026-37.pre-announcement.json")
SECRETS = os.path.join(ROOT, "Config", "sandbox-secrets")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def write_config(folder, sandbox_port, portals, print_channel=False, channel_delivery=None, delivery=None):
    """A config in `folder`: store `folder/gonggao.sqlite`, the portal channels named in `portals`
    (kinds) pointing at the sandbox on `sandbox_port` with the demo secrets, the print channel when
    asked (spool in `folder/spool`), tokens required (no trusted local operators)."""
    def secret(name):
        return {"file": os.path.join(SECRETS, name)}
    every = {
        "provincial-portal": {"url": f"http://127.0.0.1:{sandbox_port}/provincial",
                              "signing": {"secrets": [secret("provincial.whsec")]}},
        "county-column": {"url": f"http://127.0.0.1:{sandbox_port}/county",
                          "signing": {"secrets": [secret("county.whsec")]}, "credential": secret("county.token"),
                          "county": {"orgCode": "002567901", "topic": "征地拆迁", "siteId": "3305230001"}},
        "mobile-platform": {"url": f"http://127.0.0.1:{sandbox_port}/mobile",
                            "signing": {"secrets": [secret("mobile.whsec")]}, "credential": secret("mobile.appkey")},
    }
    channels = []
    if print_channel:
        channels.append({"name": "print", "type": "print", "spool": os.path.join(folder, "spool")})
    for kind in portals:
        ch = {"name": kind, "type": kind, **every[kind]}
        if channel_delivery:
            ch["delivery"] = channel_delivery
        channels.append(ch)
    config = {
        "store": {"sqlite": os.path.join(folder, "gonggao.sqlite")},
        "publicBaseURL": "http://127.0.0.1:8080",
        "templates": os.path.join(ROOT, "Templates"),
        "users": [
            {"name": "zhang.wei", "roles": ["drafter"]},
            {"name": "li.na", "roles": ["approver"]},
            {"name": "admin", "roles": ["admin"]},
        ],
        "channels": channels,
        "http": {"host": "127.0.0.1", "port": 8080},
    }
    if delivery:
        config["delivery"] = delivery
    path = os.path.join(folder, "config.json")
    with open(path, "w") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)
    return path


class Gonggao:
    """The release binary with one config."""

    def __init__(self, binary, config):
        self.binary, self.config = binary, config
        self.folder = os.path.dirname(config)

    def run(self, *args, token=None):
        env = dict(os.environ)
        env.pop("GONGGAO_CLOCK", None)
        if token:
            env["GONGGAO_TOKEN"] = token
        out = subprocess.run([self.binary, "--config", self.config, *args], env=env, check=True,
                             capture_output=True, text=True)
        return out.stdout.strip()

    def tokens(self):
        """Tokens for admin, zhang.wei (drafter) and li.na (approver)."""
        admin = self.run("token", "create", "--user", "admin")
        return {"admin": admin,
                "zhang.wei": self.run("token", "create", "--user", "zhang.wei", token=admin),
                "li.na": self.run("token", "create", "--user", "li.na", token=admin)}

    def start(self, *args, ready, name):
        return Daemon([self.binary, "--config", self.config, *args], ready, os.path.join(self.folder, name))


class Daemon:
    """A process started here, waited for until a stdout line matches `ready`, stopped by its pid."""

    def __init__(self, argv, ready, logbase):
        self.err = open(logbase + ".err", "w")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.err, text=True)
        deadline = time.time() + 30
        while True:
            line = self.proc.stdout.readline()
            if not line or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"{argv[0]} did not start; see {logbase}.err")
            m = re.search(ready, line)
            if m:
                self.match = m
                break

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.err.close()


class API:
    """A keep-alive JSON client of one host:port."""

    def __init__(self, port, token=None):
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, token=None, raw=False):
        headers = {}
        token = token or self.token
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body, ensure_ascii=False)
            if isinstance(body, str):
                body = body.encode()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        if r.status >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {r.status}: {data[:300]!r}")
        return data if raw else (json.loads(data) if data else None)


def prepare_notices(api_port, tokens, count, approve):
    """Imports the sample project and drafts and submits `count` copies of the sample
    pre-announcement through the API (and approves them when `approve`); returns their ids."""
    zhang = API(api_port, tokens["zhang.wei"])
    li = API(api_port, tokens["li.na"])
    zhang.call("POST", "/api/projects", open(PROJECT, "rb").read())
    notice = open(NOTICE, "rb").read()
    ids = []
    for _ in range(count):
        nid = zhang.call("POST", "/api/notices", notice)["id"]
        zhang.call("POST", f"/api/notices/{nid}/submit")
        if approve:
            li.call("POST", f"/api/notices/{nid}/approve")
        ids.append(nid)
    return ids


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_LAT = re.compile(r"Latency\s+([\d.]+)(us|ms|s)\s")
WRK_ERR = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
WRK_SOCK = re.compile(r"Socket errors: (.*)")
WRK_REQS = re.compile(r"(\d+) requests in")


def wrk(url, threads=2, connections=16, seconds=5, script=None, script_args=(), headers=()):
    """Runs wrk; returns {"rps", "requests", "non2xx", "socket_errors", "latency_ms", "statuses"}."""
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        argv += ["-H", h]
    if script:
        argv += ["-s", script]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    lat = WRK_LAT.search(out)
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    statuses = re.search(r"STATUSES (.*)", out)
    return {
        "rps": float(WRK_RPS.search(out).group(1)),
        "requests": int(WRK_REQS.search(out).group(1)),
        "non2xx": int(WRK_ERR.search(out).group(1)) if WRK_ERR.search(out) else 0,
        "socket_errors": WRK_SOCK.search(out).group(1) if WRK_SOCK.search(out) else "",
        "latency_ms": float(lat.group(1)) * scale[lat.group(2)] if lat else None,
        "statuses": statuses.group(1).strip() if statuses else "",
        "raw": out,
    }


def cell(values, fmt="{:.0f}"):
    """'median (min–max)'."""
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def machine():
    mem = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    load = open("/proc/loadavg").read().split()[:3]
    return f"{os.cpu_count()} cores, {mem} RAM, load {' '.join(load)} at start"


def write_summary(rows):
    """Appends `rows` (dicts: measure, compared_with, figure, unit, runs [values], anchor_runs [values] or
    None, ratio, ratio_runs, target, met, note) to the JSON file named by SUMMARY_JSON, if set: the
    input of bench/summary.py, which prints `make bench`'s one table."""
    path = os.environ.get("SUMMARY_JSON")
    if not path:
        return
    old = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else []
    with open(path, "w") as f:
        json.dump(old + rows, f, ensure_ascii=False, indent=1)
