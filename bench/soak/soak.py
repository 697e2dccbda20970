"""`make soak` (run by bench/soak/soak.sh; see bench/README.md, section Soak): the real `gonggao`
binary under SIGKILLs, injected faults, API fuzzing, restart storms and several nodes. Prints every
figure and one summary table; exits 1 on any loss or failed check.

Parts (PARTS=kill,faults,fuzz,storms,multinode) and sizes are set by environment variables:
SEED (the kill moments and the fuzzer), KILLS=100, KILL_NOTICES=3334 (× 3 portals ≥ 10,000
deliveries), FAULT_HEALTHY=40, FUZZ_EXAMPLES=25, FUZZ_SECONDS=150, FUZZ_USER=soak.officer (drafter, approver and admin),
STORM_NOTICES=400, MULTI_NOTICES=2000."""
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(__file__))
from world import env_int, log  # noqa: E402

BINARY = os.environ["GONGGAO_BIN"]
PARTS = os.environ.get("PARTS", "kill,faults,fuzz,storms,multinode").split(",")


def part(name, tmp, seed):
    folder = os.path.join(tmp, name)
    os.makedirs(folder)
    if name == "kill":
        import kill
        return kill.run(BINARY, folder, seed, env_int("KILL_NOTICES", 3334), env_int("KILLS", 100))
    if name == "faults":
        import faults
        return faults.run(BINARY, folder, env_int("FAULT_HEALTHY", 40))
    if name == "fuzz":
        import fuzz
        return fuzz.run(BINARY, folder, os.environ["SCHEMATHESIS"], env_int("FUZZ_EXAMPLES", 25), seed,
                        env_int("FUZZ_SECONDS", 150), os.environ.get("FUZZ_USER", "soak.officer"))
    if name == "storms":
        import storms
        return storms.run(BINARY, folder, env_int("STORM_NOTICES", 400))
    if name == "multinode":
        import multinode
        return multinode.run(BINARY, folder, env_int("MULTI_NOTICES", 2000))
    raise SystemExit(f"unknown soak part {name!r}; use kill, faults, fuzz, storms, multinode")


def main():
    seed = int(os.environ.get("SEED") or random.randrange(1, 2**31))
    log(f"soak: seed {seed} (replay with SEED={seed}); parts {', '.join(PARTS)}")
    t0 = time.time()
    results = []
    tmp = tempfile.mkdtemp(prefix="gg-soak-")
    for name in PARTS:
        log(f"{name}…")
        try:
            r = part(name, tmp, seed)
        except Exception as e:  # noqa: BLE001 — a part that could not run is a failed check
            traceback.print_exc()
            r = {"part": name, "ok": False, "problems": [f"{type(e).__name__}: {e}"], "seconds": 0, "figures": {}}
        results.append(r)
        print(f"\n## {name}: {'ok' if r['ok'] else 'FAILED'} ({r['seconds']:.0f} s)")
        for k, v in r["figures"].items():
            print(f"- {k}: {v}")
        for p in r["problems"]:
            print(f"- PROBLEM: {p}")
        sys.stdout.flush()
    total = time.time() - t0
    print(f"\n## Soak summary — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, seed {seed}, {total:.0f} s\n")
    print("| part | result | lost | key figures | time (s) |")
    print("|---|---|---|---|---|")
    keys = {"kill": ["kills", "kills_that_caught_sends_in_flight", "deliveries", "delivered", "repeats_same_webhook_id"],
            "faults": ["classes_as_policy_says", "fault_classes", "healthy_ack_ms_baseline_p50_p99",
                       "healthy_ack_ms_under_faults_p50_p99"],
            "fuzz": ["operations", "test_cases", "summary"],
            "storms": ["deliveries", "delivered", "postgres_restarts", "portal_restarts", "repeats_same_webhook_id"],
            "multinode": ["deliveries", "delivered", "leases_held_at_kill", "unrecorded_sends_before_kill",
                          "repeats_same_webhook_id"]}
    for r in results:
        f = r["figures"]
        shown = ", ".join(f"{k} {f[k]}" for k in keys.get(r["part"], []) if k in f)
        print(f"| {r['part']} | {'✅ ok' if r['ok'] else '❌ FAILED'} | {f.get('lost', '–')} | {shown} | "
              f"{r['seconds']:.0f} |")
    out = os.environ.get("SOAK_JSON")
    if out:
        with open(out, "w") as fh:
            json.dump({"seed": seed, "seconds": total, "results": results}, fh, ensure_ascii=False, indent=1)
    if all(r["ok"] for r in results) and not os.environ.get("KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        log(f"soak: logs kept in {tmp}")
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
