"""HTTP service benchmark (run by bench/page.sh; see bench/README.md): requests/s of `gonggao serve`
for the sample parcel page and for one notice through the officer API, beside nginx serving saved
copies of the same bytes on loopback, interleaved run by run with the same wrk settings."""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ggbench import (API, Gonggao, cell, free_port, log, machine, prepare_notices, wrk, write_config,  # noqa: E402
                     write_summary)

BINARY = os.environ["GONGGAO_BIN"]
RUNS = int(os.environ.get("RUNS", "5"))
SECONDS = int(os.environ.get("WRK_SECONDS", "4"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
PARCEL = os.environ.get("PARCEL", "330523-2026-37-1")

NGINX_CONF = """
worker_processes 2;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        location = /p/{parcel} {{ default_type "text/html; charset=utf-8"; try_files /page.html =404; }}
        location = /api/notices/{notice} {{ default_type application/json; try_files /notice.json =404; }}
    }}
}}
"""


def main():
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    host = machine()
    tmp = tempfile.mkdtemp(prefix="gg-bench-page-")
    os.chmod(tmp, 0o755)  # nginx's workers run as nobody and read www/ from here
    nginx = serve = None
    try:
        config = write_config(tmp, free_port(), ["provincial-portal"])
        g = Gonggao(BINARY, config)
        g.run("init")
        tokens = g.tokens()
        port = free_port()
        serve = g.start("serve", "--no-workers", "--port", str(port), ready=r"serving on", name="serve")
        notice = prepare_notices(port, tokens, 1, approve=True)[0]
        li = API(port, tokens["li.na"])
        page_path, notice_path = f"/p/{PARCEL}", f"/api/notices/{notice}"
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        page = API(port).call("GET", page_path, raw=True)
        body = li.call("GET", notice_path, raw=True)
        assert notice.encode() in body and "公告".encode() in page, "unexpected page or notice body"
        with open(os.path.join(www, "page.html"), "wb") as f:
            f.write(page)
        with open(os.path.join(www, "notice.json"), "wb") as f:
            f.write(body)
        os.chmod(www, 0o755)
        nport = free_port()
        with open(os.path.join(tmp, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=nport, parcel=PARCEL, notice=notice))
        nginx = subprocess.Popen(["nginx", "-c", os.path.join(tmp, "nginx.conf"), "-p", tmp],
                                 stderr=open(os.path.join(tmp, "nginx.err"), "w"))
        for _ in range(100):
            try:
                if API(nport).call("GET", page_path, raw=True) == page:
                    break
            except Exception:  # noqa: BLE001
                time.sleep(0.05)
        else:
            raise RuntimeError("nginx did not start")
        assert API(nport).call("GET", notice_path, raw=True) == body

        bearer = f"Authorization: Bearer {tokens['li.na']}"
        cases = [
            ("parcel page", page_path, (), len(page)),
            ("notice (officer API, bearer token)", notice_path, (bearer,), len(body)),
        ]
        results = {(c[0], who): [] for c in cases for who in ("gonggao", "nginx")}
        log(f"page: {RUNS} interleaved runs of wrk -t2 -c{CONNECTIONS} -d{SECONDS}s…")
        for run in range(RUNS):
            for label, path, headers, _ in cases:
                for who, p in (("gonggao", port), ("nginx", nport)):
                    r = wrk(f"http://127.0.0.1:{p}{path}", threads=2, connections=CONNECTIONS, seconds=SECONDS,
                            headers=headers)
                    results[(label, who)].append(r)
            log(f"  run {run + 1}/{RUNS}: " + ", ".join(
                f"{label} {results[(label, 'gonggao')][-1]['rps']:.0f} vs {results[(label, 'nginx')][-1]['rps']:.0f}"
                for label, *_ in cases))
    finally:
        if serve:
            serve.stop()
        if nginx and nginx.poll() is None:
            nginx.terminate()
            nginx.wait(timeout=20)
        if os.environ.get("KEEP"):
            shutil.copytree(tmp, os.environ["KEEP"], dirs_exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"HTTP service benchmark — {started}, {host}, {RUNS} interleaved runs, "
          f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s each\n")
    print("| case | bytes | gonggao serve req/s, median (min–max) | nginx req/s, median (min–max) | × nginx "
          "(per-run median) | target | errors (non-2xx / socket) |")
    print("|---|---|---|---|---|---|---|")
    for label, path, _, size in cases:
        gg, ng = results[(label, "gonggao")], results[(label, "nginx")]
        g_rps, n_rps = [r["rps"] for r in gg], [r["rps"] for r in ng]
        ratio = statistics.median(g_rps) / statistics.median(n_rps)
        per_run = statistics.median(a / b for a, b in zip(g_rps, n_rps))
        errs = sum(r["non2xx"] for r in gg + ng)
        sock = sorted({r["socket_errors"] for r in gg + ng if r["socket_errors"]})
        print(f"| GET `{path.replace(notice, '{id}')}` — {label} | {size} | {cell(g_rps)} | {cell(n_rps)} | "
              f"{ratio:.2f} ({per_run:.2f}) | ≥ 0.30 {'✅' if ratio >= 0.3 else '❌ miss'} | {errs} / "
              f"{'; '.join(sock) if sock else '0'} |")
    rows = []
    for label, measure in (("parcel page", "GET parcel page (`/p/{key}`)"),
                           ("notice (officer API, bearer token)", "GET a notice (`/api/notices/{id}`, bearer token)")):
        gg, ng = results[(label, "gonggao")], results[(label, "nginx")]
        g_rps, n_rps = [r["rps"] for r in gg], [r["rps"] for r in ng]
        ratio = statistics.median(g_rps) / statistics.median(n_rps)
        rows.append({
            "measure": measure, "compared_with": "nginx-light serving a saved copy",
            "figure": cell(g_rps) + " req/s", "anchor": cell(n_rps) + " req/s", "ratio": ratio,
            "target": "≥ 0.3 × nginx", "met": ratio >= 0.3,
            "note": f"{RUNS} interleaved runs of wrk -t2 -c{CONNECTIONS} -d{SECONDS}s each side"})
    write_summary(rows)
    print("\n`gonggao serve --no-workers` (libmicrohttpd, 2 threads, a JSON log line per request to a file); "
          "nginx-light 1.22, 2 workers, the same bytes saved from gonggao, access log on. "
          "No compression either side (wrk sends no Accept-Encoding).")


if __name__ == "__main__":
    main()
