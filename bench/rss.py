"""Peak RSS of a 1,000-poster batch (run by bench/rss.sh; see bench/README.md): BATCH copies of the
sample pre-announcement approved through the API (`serve --no-workers`, SQLite, the print channel
only), then one `gonggao worker --until-idle` drains them — every poster rendered (PDF, then its PNG
previews) into the spool — and its peak resident set (the kernel's ru_maxrss of that one child, as
`/usr/bin/time -v` reports it) is the figure. Target ≤ 200 MiB. Checks: every delivery delivered,
one PDF per notice in the spool."""
import glob
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ggbench import Gonggao, free_port, log, machine, prepare_notices, write_config, write_summary  # noqa: E402

BINARY = os.environ["GONGGAO_BIN"]
BATCH = int(os.environ.get("BATCH", "1000"))
TARGET_MIB = 200


def main():
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    host = machine()
    with tempfile.TemporaryDirectory(prefix="gg-bench-rss-") as tmp:
        config = write_config(tmp, free_port(), [], print_channel=True,
                              delivery={"concurrency": 2, "ratePerSecond": 100000, "pollMilliseconds": 50})
        g = Gonggao(BINARY, config)
        g.run("init")
        tokens = g.tokens()
        port = free_port()
        serve = g.start("serve", "--no-workers", "--port", str(port), ready=r"serving on", name="serve")
        t0 = time.time()
        try:
            prepare_notices(port, tokens, BATCH, approve=True)
        finally:
            serve.stop()
        log(f"rss: {BATCH} approved notices queued in {time.time() - t0:.0f} s; draining with one worker…")
        env = {k: v for k, v in os.environ.items() if k != "GONGGAO_CLOCK"}
        t0 = time.time()
        with open(os.path.join(tmp, "worker.err"), "w") as err:
            proc = subprocess.Popen([BINARY, "--config", config, "worker", "--until-idle"], env=env,
                                    stdout=subprocess.DEVNULL, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.time() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"bench/rss.py: the worker failed; see {tmp}/worker.err")
        peak_mib = usage.ru_maxrss / 1024
        db = sqlite3.connect(os.path.join(tmp, "gonggao.sqlite"))
        delivered, = db.execute("SELECT count(*) FROM deliveries WHERE state = 'delivered'").fetchone()
        db.close()
        pdfs = len(glob.glob(os.path.join(tmp, "spool", "**", "*.pdf"), recursive=True))
        pngs = len(glob.glob(os.path.join(tmp, "spool", "**", "*.png"), recursive=True))
    ok = peak_mib <= TARGET_MIB
    print(f"Peak RSS of a {BATCH:,}-poster batch — {started}, {host}\n")
    print("| case | peak RSS (MiB) | target | time (s) | checks |")
    print("|---|---|---|---|---|")
    print(f"| `gonggao worker --until-idle`, print channel, {BATCH:,} approved notices | {peak_mib:.0f} | "
          f"≤ {TARGET_MIB} {'✅' if ok else '❌ miss'} | {seconds:.0f} | {delivered} delivered, {pdfs} PDFs, {pngs} PNGs |")
    write_summary([{
        "measure": f"peak RSS of a {BATCH:,}-poster batch", "compared_with": "—",
        "figure": f"{peak_mib:.0f} MiB (one batch of {BATCH:,}: {seconds:.0f} s)", "anchor": None, "ratio": None,
        "target": f"≤ {TARGET_MIB} MiB", "met": ok and delivered == BATCH,
        "note": f"one `gonggao worker --until-idle` draining {BATCH:,} approved notices on the print channel "
                f"(ru_maxrss of that process); {delivered} delivered, {pdfs} PDFs — one batch, not 5: "
                "the peak is a high-water mark, not a time",
    }])


if __name__ == "__main__":
    main()
