"""Prints `make bench`'s one markdown table from the rows the benchmark scripts wrote to SUMMARY_JSON
(bench/lib/ggbench.py `write_summary`): measure, compared with, figure (median, min–max), anchor in
the same run, ratio, target, met? Exits 0 (a missed target is a finding, not a failure); 1 when a
script wrote no row for a measure the issue asks for."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from ggbench import machine  # noqa: E402

EXPECTED = ["QR PNG", "A4 poster", "durable deliveries/s", "approve → all channels acknowledged",
            "claim cost", "GET parcel page", "peak RSS"]


def main(path, started, seconds):
    rows = json.load(open(path)) if os.path.exists(path) else []
    print(f"\n## Benchmarks — {started}, {machine()}; whole run {seconds} s\n")
    print("| measure | compared with (same run) | figure, median (min–max) | anchor, median (min–max) | ratio | "
          "target | met? |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = "—" if r.get("ratio") is None else f"{r['ratio']:.2f}"
        met = {True: "✅", False: "❌ miss", None: "—"}[r.get("met")]
        print(f"| {r['measure']} | {r['compared_with']} | {r['figure']} | {r.get('anchor') or '—'} | {ratio} | "
              f"{r['target']} | {met} |")
    notes = [f"- {r['measure']}: {r['note']}" for r in rows if r.get("note")]
    if notes:
        print("\n" + "\n".join(notes))
    missing = [m for m in EXPECTED if not any(r["measure"].startswith(m) for r in rows)]
    if missing:
        print(f"\nmissing rows (their script failed): {', '.join(missing)}")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
