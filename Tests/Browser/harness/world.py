"""A private Gonggao for the browser tests: a temporary folder with its own config and SQLite store,
the sample project imported, tokens for a drafter, an approver, a printer and an admin, and
`gonggao sandbox` plus `gonggao serve` (with its delivery workers) on free loopback ports, every
process on one fixed clock. Builds nothing: it runs the `gonggao` that `make test` built
(`$GONGGAO_BIN`, else `.build/debug/gonggao`). Processes are stopped by their pid."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SAMPLES = os.path.join(ROOT, "Config", "samples")
PROJECT_FILE = os.path.join(SAMPLES, "anji-meixi-2026-37.project.json")
NOTICE_FILE = os.path.join(SAMPLES, "anji-meixi-2026-37.pre-announcement.json")
SECRETS = os.path.join(ROOT, "Config", "sandbox-secrets")

PROJECT = "330523-2026-37"
PARCELS = ["330523-2026-37-1", "330523-2026-37-2"]
# Every process starts its clock here (never today's date).
CLOCK = "2026-12-01T10:00:00+08:00"
# The config's users: name → (display name, roles).
USERS = {
    "zhang.wei": ("张伟", ["drafter"]),
    "li.na": ("李娜", ["approver"]),
    "wang.fang": ("王芳", ["drafter", "approver"]),
    "zhao.min": ("赵敏", ["printer"]),
    "admin": ("系统管理员", ["admin"]),
}
PORTALS = ["provincial-portal", "county-column", "mobile-platform"]
CHANNELS = ["print"] + PORTALS
START_SECONDS = 30


def binary():
    """The built `gonggao`; a clear error when there is none."""
    path = os.environ.get("GONGGAO_BIN") or os.path.join(ROOT, ".build", "debug", "gonggao")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"no gonggao binary at {path}: build it first (make browser-test does)")
    return path


def free_port():
    """A loopback port the OS has just handed out (closed again for the daemon to bind)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CommandFailed(RuntimeError):
    pass


class World:
    """One temporary Gonggao: `start()` brings it up, `stop()` ends what it started and removes the folder."""

    def __init__(self, log_folder):
        self.binary = binary()
        self.log_folder = log_folder
        self.folder = tempfile.mkdtemp(prefix="gonggao-browser-")
        self.config = os.path.join(self.folder, "config.json")
        self.daemons = []
        self.tokens = {}
        self.base_url = None
        self.sandbox_url = None

    # -- bringing it up -------------------------------------------------------------------------

    def start(self):
        sandbox_port, serve_port = free_port(), free_port()
        self.sandbox_url = f"http://127.0.0.1:{sandbox_port}"
        self.write_config(sandbox_port, serve_port)
        self.run("init")
        self.tokens["admin"] = self.run("token", "create", "--user", "admin")
        for user in USERS:
            if user != "admin":
                self.tokens[user] = self.run("token", "create", "--user", user, token=self.tokens["admin"])
        self.run("project", "import", PROJECT_FILE, token=self.tokens["zhang.wei"])
        self.start_daemon("sandbox", ["sandbox", "--port", str(sandbox_port)], r"sandbox portals on (http://\S+)")
        match = self.start_daemon("serve", ["serve", "--port", str(serve_port)], r"serving on (http://\S+)")
        self.base_url = match.group(1)
        self.wait_ready()
        return self

    def write_config(self, sandbox_port, serve_port):
        def secret(name):
            return {"file": os.path.join(SECRETS, name)}
        portal = f"http://127.0.0.1:{sandbox_port}"
        config = {
            "store": {"sqlite": os.path.join(self.folder, "gonggao.sqlite")},
            "publicBaseURL": f"http://127.0.0.1:{serve_port}",
            "templates": os.path.join(ROOT, "Templates"),
            "users": [{"name": n, "displayName": d, "roles": r} for n, (d, r) in USERS.items()],
            "channels": [
                {"name": "print", "type": "print", "spool": os.path.join(self.folder, "spool")},
                {"name": "provincial-portal", "type": "provincial-portal", "url": f"{portal}/provincial",
                 "signing": {"secrets": [secret("provincial.whsec")]}},
                {"name": "county-column", "type": "county-column", "url": f"{portal}/county",
                 "signing": {"secrets": [secret("county.whsec")]}, "credential": secret("county.token"),
                 "county": {"orgCode": "002567901", "topic": "征地拆迁", "siteId": "3305230001"}},
                {"name": "mobile-platform", "type": "mobile-platform", "url": f"{portal}/mobile",
                 "signing": {"secrets": [secret("mobile.whsec")]}, "credential": secret("mobile.appkey")},
            ],
            "http": {"host": "127.0.0.1", "port": serve_port, "trustLocalOperators": False},
            "delivery": {"pollMilliseconds": 50},
        }
        with open(self.config, "w") as f:
            json.dump(config, f, ensure_ascii=False, indent=1)

    def environment(self, token=None):
        env = {k: v for k, v in os.environ.items() if k not in ("GONGGAO_CONFIG", "GONGGAO_TOKEN")}
        env["GONGGAO_CLOCK"] = CLOCK
        if token:
            env["GONGGAO_TOKEN"] = token
        return env

    def run(self, *args, token=None):
        """Runs `gonggao ARGS --config …` to its end; returns its trimmed stdout."""
        argv = [self.binary, *args, "--config", self.config]
        out = subprocess.run(argv, env=self.environment(token), cwd=self.folder, capture_output=True, text=True,
                             timeout=120)
        if out.returncode != 0:
            raise CommandFailed(f"gonggao {' '.join(args)} exited {out.returncode}: {out.stderr.strip()}")
        return out.stdout.strip()

    def start_daemon(self, name, args, ready):
        """Starts `gonggao ARGS` with stdout/stderr in files; waits for a stdout line matching `ready`."""
        out_path = os.path.join(self.folder, f"{name}.out")
        err_path = os.path.join(self.folder, f"{name}.err")
        with open(out_path, "w") as out, open(err_path, "w") as err:
            proc = subprocess.Popen([self.binary, *args, "--config", self.config], env=self.environment(),
                                    cwd=self.folder, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        self.daemons.append((name, proc))
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            with open(out_path) as f:
                match = re.search(ready, f.read())
            if match:
                return match
            if proc.poll() is not None:
                raise RuntimeError(f"gonggao {name} exited {proc.returncode} before it was ready: {self.tail(err_path)}")
            time.sleep(0.05)
        raise RuntimeError(f"gonggao {name} printed no '{ready}' within {START_SECONDS} s: {self.tail(err_path)}")

    def wait_ready(self):
        """Waits until `/readyz` answers 200 (store reachable, workers running)."""
        deadline = time.monotonic() + START_SECONDS
        last = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/readyz", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError) as error:
                last = error
            time.sleep(0.1)
        raise RuntimeError(f"{self.base_url}/readyz not 200 within {START_SECONDS} s (last: {last})")

    @staticmethod
    def tail(path, lines=5):
        try:
            with open(path) as f:
                return " | ".join(f.read().strip().splitlines()[-lines:])
        except OSError:
            return ""

    # -- acting through the API (setup only; the tests act through the browser) ---------------

    def api(self, method, path, user, body=None):
        """Calls the officer API as `user`; returns (status, parsed JSON or raw bytes)."""
        data = None
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw

    def sample_notice(self, drafter="zhang.wei", submit=False, approve=False):
        """Drafts the sample pre-announcement through the API as `drafter` (then submits it, and has
        li.na approve it, when asked); returns its id."""
        with open(NOTICE_FILE, "rb") as f:
            status, created = self.api("POST", "/api/notices", drafter, f.read())
        assert status in (200, 201), f"draft: HTTP {status}: {created}"
        nid = created["id"]
        steps = ([(drafter, "submit")] if submit or approve else []) + ([("li.na", "approve")] if approve else [])
        for user, action in steps:
            status, answer = self.api("POST", f"/api/notices/{nid}/{action}", user)
            assert status == 200, f"{action}: HTTP {status}: {answer}"
        return nid

    def publish_sample(self):
        """The sample pre-announcement drafted, submitted and approved through the API; returns its id."""
        return self.sample_notice(approve=True)

    def state(self, nid):
        """The latest version's state of a notice, read through the API as the approver."""
        status, notice = self.api("GET", f"/api/notices/{nid}", "li.na")
        assert status == 200, f"GET /api/notices/{nid}: HTTP {status}: {notice}"
        return notice.get("state") or notice["versions"][-1]["state"]

    # -- taking it down -----------------------------------------------------------------------

    def stop(self):
        """Stops every daemon this world started (SIGTERM by pid, SIGKILL after 20 s), keeps their
        logs in the log folder, removes the temporary folder."""
        for name, proc in reversed(self.daemons):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait()
        self.daemons = []
        if self.log_folder:
            os.makedirs(self.log_folder, exist_ok=True)
            for name in os.listdir(self.folder):
                if name.endswith((".out", ".err")):
                    shutil.copy(os.path.join(self.folder, name), os.path.join(self.log_folder, name))
        shutil.rmtree(self.folder, ignore_errors=True)
