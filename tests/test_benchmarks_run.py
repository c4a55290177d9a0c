"""The benchmark suite is not a test, but it must keep running: a smoke run at a tiny size."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_benchmark_runs_at_a_tiny_size(tmp_path):
    r = subprocess.run([sys.executable, "benchmarks/run_all.py", "--tiny"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600,
                       env={**__import__("os").environ, "TMPDIR": str(tmp_path),
                            "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
    assert r.stdout.count(": ok in") == 6, r.stdout[-4000:]
    table = r.stdout.split("one table (ratio = ours / baseline)", 1)[1]
    for operation in ("roster: click street root (all members), first page",
                      "import roster .xlsx", "export roster .xlsx", "export roster .pdf",
                      "minutes PDF", "ledger .xlsx", "上报包: merge", "start-up to main window"):
        assert operation in table, table
