"""Processes on one PostgreSQL database (a throwaway server, bench/lib/ggpg.py): node folders each with
its own config and audit head, the environment that names the database, the sandbox portals (which
can be restarted on their port), and `gonggao worker` processes started and stopped by pid."""
import os
import re
import signal
import subprocess
import time

from ggpg import PGServer  # noqa: F401 — re-exported for the parts
from world import (Gonggao, StoreView, free_port, import_project, inject, portal_books, sandbox_call, slow_portals,
                   soak_config, wait_http)

LANE = {"leaseSeconds": 10}  # the least the config allows: timeout (2 s) + 7 s, and a little


class PGWorld:
    def __init__(self, binary, tmp, pg, db, nodes):
        self.binary, self.tmp, self.pg, self.db = binary, tmp, pg, db
        pg.psql(f"CREATE DATABASE {db}")
        self.env = {k: v for k, v in os.environ.items() if k != "GONGGAO_CLOCK"}
        self.env["GONGGAO_DATABASE_URL"] = pg.url(db)
        self.configs = []
        self.sandbox_port = free_port()
        for i in range(nodes):
            folder = os.path.join(tmp, f"node-{i}")
            os.makedirs(folder)
            self.configs.append(soak_config(folder, self.sandbox_port, timeout=2, lane=LANE,
                                            pg_head=os.path.join(folder, "audit-head")))
        self.view = StoreView(pg=pg, db=db)
        self.node0 = Gonggao(binary, self.configs[0])
        os.environ["GONGGAO_DATABASE_URL"] = self.env["GONGGAO_DATABASE_URL"]  # for Gonggao.run / start
        self.node0.run("init")
        self.tokens = self.node0.tokens()
        self.sandbox = None
        self.books = []  # the portal books of each sandbox incarnation that was stopped
        self.workers = []

    def start_serve(self):
        """`gonggao serve --no-workers` on node 0 with the sample project imported: (daemon, port)."""
        port = free_port()
        serve = self.node0.start("serve", "--no-workers", "--port", str(port), ready=r"serving on", name="serve")
        try:
            import_project(port, self.tokens)
        except Exception:
            serve.stop()
            raise
        return serve, port

    def start_sandbox(self):
        self.sandbox = self.node0.start("sandbox", "--port", str(self.sandbox_port), ready=r"sandbox portals on",
                                        name=f"sandbox-{len(self.books)}")
        slow_portals(self.sandbox_port)

    def restart_sandbox(self):
        """Freezes the portals (every request from now on reset, so nothing is published unseen; the
        answers being written finish), keeps what they published, stops them and starts fresh ones
        on the same port (empty: a real portal would remember, and so every publication is checked
        across incarnations)."""
        for p in ("provincial", "county", "mobile"):
            sandbox_call(self.sandbox_port, "DELETE", f"/_sandbox/{p}/faults")
            inject(self.sandbox_port, p, {"mode": "reset", "count": 1_000_000})
        time.sleep(0.3)  # answers already being written finish
        self.books.append(portal_books(self.sandbox_port))
        self.sandbox.stop()
        self.start_sandbox()
        wait_http(self.sandbox_port)

    def all_books(self):
        return self.books + [portal_books(self.sandbox_port)]

    def start_worker(self, node):
        err = open(os.path.join(self.tmp, f"worker-{node}.err"), "w")
        proc = subprocess.Popen([self.binary, "--config", self.configs[node], "worker"], env=self.env,
                                stdout=subprocess.DEVNULL, stderr=err)
        self.workers.append((proc, err))
        return proc

    def worker_id(self, node, limit=20):
        deadline = time.time() + limit
        path = os.path.join(self.tmp, f"worker-{node}.err")
        while time.time() < deadline:
            m = re.search(r'"worker\.id":"([^"]+)"', open(path).read())
            if m:
                return m.group(1)
            time.sleep(0.05)
        raise RuntimeError(f"worker {node} never logged its id; see {path}")

    def stop(self):
        for proc, err in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            err.close()
        if self.sandbox:
            self.sandbox.stop()
        os.environ.pop("GONGGAO_DATABASE_URL", None)
