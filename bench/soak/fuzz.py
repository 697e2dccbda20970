"""API fuzzing: schemathesis (from PyPI, in the soak's virtual environment) against `/openapi.json` of
`gonggao serve` (workers on, the sample project and a few notices in the store, the sandbox portals
up), with a valid officer token. Checks: no 5xx, status codes, content types, headers and bodies as
the spec says. The service must still answer afterwards (no crash)."""
import json
import os
import re
import subprocess
import time
import urllib.request

from world import Gonggao, approve_notices, free_port, import_project, log, soak_config

OFFICER = "soak.officer"
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_headers_conformance,response_schema_conformance")


def run(binary, tmp, schemathesis, examples, seed, max_time, user):
    started = time.time()
    sandbox_port = free_port()
    config = soak_config(tmp, sandbox_port)
    with open(config) as f:
        c = json.load(f)
    # An officer who may call every operation (drafter, approver and admin at once).
    c["users"].append({"name": OFFICER, "roles": ["drafter", "approver", "admin"]})
    with open(config, "w") as f:
        json.dump(c, f, ensure_ascii=False, indent=1)
    g = Gonggao(binary, config)
    g.run("init")
    tokens = g.tokens()
    tokens[OFFICER] = g.run("token", "create", "--user", OFFICER, token=tokens["admin"])
    sandbox = g.start("sandbox", "--port", str(sandbox_port), ready=r"sandbox portals on", name="sandbox")
    serve = None
    problems, out = [], ""
    try:
        api_port = free_port()
        serve = g.start("serve", "--port", str(api_port), ready=r"serving on", name="serve")
        import_project(api_port, tokens)
        approve_notices(api_port, tokens, 3, number_base=5000)
        approve_notices(api_port, tokens, 2, approve=False, number_base=5100)
        report = os.path.join(tmp, "schemathesis")
        argv = [schemathesis, "run", f"http://127.0.0.1:{api_port}/openapi.json",
                "-H", f"Authorization: Bearer {tokens[user]}", "--checks", CHECKS,
                "--max-examples", str(examples), "--seed", str(seed), "--workers", "2",
                "--phases", "examples,coverage,fuzzing", "--request-timeout", "20", "--max-time", str(max_time),
                "--suppress-health-check", "all", "--report", "junit", "--report-dir", report,
                # Revoking the fuzzer's own token would turn the rest of the run into 401s.
                "--exclude-path-regex", r"^/api/tokens/\{[^}]+\}$", "--exclude-method", "DELETE"]
        env = dict(os.environ, NO_COLOR="1", SCHEMATHESIS_HOOKS="")
        r = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=max_time + 300, cwd=tmp)  # its cache too
        out = r.stdout + r.stderr
        with open(os.path.join(tmp, "schemathesis.out"), "w") as f:
            f.write(out)
        if r.returncode != 0:
            problems.append(f"schemathesis exited {r.returncode}: {summary(out)}")
        alive = serve.proc.poll() is None
        if not alive:
            problems.append(f"gonggao serve died during the fuzzing (exit {serve.proc.returncode})")
        else:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{api_port}/openapi.json", timeout=10).read()
            except Exception as e:  # noqa: BLE001
                problems.append(f"gonggao serve no longer answers: {e}")
    finally:
        if serve:
            serve.stop()
        sandbox.stop()
    cases = re.search(r"(\d+) generated", out)
    ops = re.search(r"API Operations:\s*(\d+) selected / (\d+) total", out) or re.search(r"(\d+) selected", out)
    log(f"  fuzz: {summary(out)}")
    return {
        "part": "fuzz", "ok": not problems, "problems": problems, "seconds": time.time() - started,
        "figures": {
            "operations": ops.group(1) if ops else "?", "test_cases": cases.group(1) if cases else "?",
            "failures": len(re.findall(r"^_+ .* _+$", out, re.M)), "seed": seed, "token_of": user,
            "summary": summary(out), "log": os.path.join(tmp, "schemathesis.out"),
        },
    }


def summary(out):
    lines = [line.strip() for line in out.splitlines() if re.search(r"\b(passed|failed|error)\b", line)]
    return lines[-1] if lines else out.strip().splitlines()[-1] if out.strip() else "no output"
