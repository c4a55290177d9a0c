"""Run every benchmark at two sizes and print their tables one after another.

    python benchmarks/run_all.py            # the sizes the issues name (slow: minutes)
    python benchmarks/run_all.py --tiny     # a quick check that every benchmark runs

Each script prints rows of: operation, size, our time, the raw-library baseline
(sqlite3 / openpyxl / ReportLab doing the same work), the ratio and the goal.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# script, arguments per size (small, large), tiny arguments
SUITE = [
    ("bench_roster.py", [["--members", "20000"], ["--members", "100000"]], ["--members", "300"]),
    ("bench_import.py", [["--rows", "10000"], ["--rows", "20000"]], ["--rows", "200", "--repeat", "1"]),
    ("bench_export.py", [["--members", "10000", "20000"]], ["--members", "200", "400", "--repeat", "1"]),
    ("bench_meetings.py", [["--members", "2400", "--meetings", "300"]], ["--members", "300", "--meetings", "20"]),
    ("bench_exchange.py", [["--members", "10000"]], ["--members", "300"]),
    ("bench_startup.py", [["--members", "100000"]], ["--members", "300", "--runs", "1"]),
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tiny", action="store_true", help="smallest sizes: checks that all run")
    ap.add_argument("--only", help="run only benchmarks whose file name contains this")
    args = ap.parse_args()
    failed = []
    for script, sizes, tiny in SUITE:
        if args.only and args.only not in script:
            continue
        for extra in ([tiny] if args.tiny else sizes):
            print(f"\n=== {script} {' '.join(extra)}", flush=True)
            t = time.perf_counter()
            r = subprocess.run([sys.executable, str(HERE / script), *extra], cwd=HERE.parent)
            print(f"--- {script}: {'ok' if r.returncode == 0 else 'FAILED'} in {time.perf_counter() - t:.1f} s")
            if r.returncode:
                failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
