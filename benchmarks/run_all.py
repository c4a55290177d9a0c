"""Run every benchmark at two sizes and print their tables one after another.

    python benchmarks/run_all.py            # the sizes the issues name (slow: minutes)
    python benchmarks/run_all.py --tiny     # a quick check that every benchmark runs

Each script prints its own table, and one line per operation (report.py) that this
runner gathers into one table at the end: operation, size, our time, the raw-library
baseline (sqlite3 / openpyxl / ReportLab / bare Qt doing the same work), ratio, goal.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402

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
    failed, rows = [], []
    for script, sizes, tiny in SUITE:
        if args.only and args.only not in script:
            continue
        for extra in ([tiny] if args.tiny else sizes):
            print(f"\n=== {script} {' '.join(extra)}", flush=True)
            t = time.perf_counter()
            proc = subprocess.Popen([sys.executable, str(HERE / script), *extra], cwd=HERE.parent,
                                    stdout=subprocess.PIPE, text=True, encoding="utf-8")
            for line in proc.stdout:
                row = report.parse(line)
                if row is None:
                    print(line, end="", flush=True)
                else:
                    rows.append(row)
            code = proc.wait()
            print(f"--- {script}: {'ok' if code == 0 else 'FAILED'} in {time.perf_counter() - t:.1f} s")
            if code:
                failed.append(script)
    print("\n=== every benchmark, one table (ratio = ours / baseline)")
    print(report.table(rows))
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
