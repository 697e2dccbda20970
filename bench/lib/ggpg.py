"""A throwaway PostgreSQL server for the benchmarks (as Tests/TestSupport/PostgresTestServer.swift):
initdb in a temporary folder, a free loopback port, trust authentication, run as user `postgres`
through `runuser` when root; stopped by pg_ctl and removed by `stop()`. Standard library only."""
import glob
import os
import shutil
import subprocess
import tempfile

from ggbench import free_port, log


def bin_dir():
    """The newest /usr/lib/postgresql/<version>/bin with initdb, pg_ctl and psql."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        v = d.split("/")[-2]
        if v.isdigit() and all(os.access(os.path.join(d, t), os.X_OK) for t in ("initdb", "pg_ctl", "psql")):
            found.append((int(v), d))
    if not found:
        raise SystemExit("PostgreSQL server binaries missing: apt-get install postgresql")
    return max(found)[1]


class PGServer:
    def __init__(self, fsync=True):
        self.bin = bin_dir()
        self.version = self.bin.split("/")[-2]
        self.dir = tempfile.mkdtemp(prefix="gg-bench-pg-")
        self.port = free_port()
        self.started = False
        root = os.getuid() == 0
        if root:
            subprocess.run(["chown", "-R", "postgres:postgres", self.dir], check=True)
        try:
            self._as_server(["initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres", "-N",
                             "-E", "UTF8", "--locale=C"])
            self.opts = opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100 "
                    f"-c shared_buffers=256MB -c fsync={'on' if fsync else 'off'}")
            self._as_server(["pg_ctl", "-D", f"{self.dir}/data", "-o", opts, "-l", f"{self.dir}/server.log",
                             "-w", "-t", "30", "start"])
            self.started = True
        except Exception:
            self.stop()
            raise
        log(f"  PostgreSQL {self.version} on 127.0.0.1:{self.port} (fsync {'on' if fsync else 'off'})")

    def restart(self):
        """Stops the server (fast: open connections are cut) and starts it again on the same port."""
        self._as_server(["pg_ctl", "-D", f"{self.dir}/data", "-o", self.opts, "-l", f"{self.dir}/server.log",
                         "-m", "fast", "-w", "-t", "30", "restart"])

    def _as_server(self, argv):
        argv = [os.path.join(self.bin, argv[0])] + argv[1:]
        if os.getuid() == 0:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        subprocess.run(argv, check=True, capture_output=True, text=True)

    def url(self, db):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def psql(self, sql, db="postgres", file=None):
        argv = [os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                "-p", str(self.port), "-U", "postgres", "-d", db]
        argv += ["-f", file] if file else ["-c", sql]
        return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()

    def stop(self):
        if self.started or os.path.exists(f"{self.dir}/data/postmaster.pid"):
            try:
                self._as_server(["pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "-t", "30", "stop"])
            except subprocess.CalledProcessError:
                self._as_server(["pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w", "stop"])
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)
