"""Start-up: from launching the program to its main window shown, on a large database.

    python benchmarks/bench_startup.py [--members 100000] [--db PATH] [--runs 5]

Runs `python -m desktop --db DB` with DANGJIAN_QUIT_AFTER_MS=0 (the app prints the time
and quits as soon as its event loop runs, i.e. once the main window is shown) and, as
the baseline, a bare PySide6 script that imports our database library (SQLModel, which
brings SQLAlchemy and pydantic) and shows an empty QMainWindow; both are timed from
launch to that printed moment. A second baseline imports SQLAlchemy Core only. Prints
best-of-N wall times and the ratios; goals (issue #9): < 1 s, ratio <= 1.3.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys, time
import {library}  # the database library our program also loads
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show()
def up():
    print(f"dangjian: window up at {time.time():.6f}", file=sys.stderr, flush=True)
    app.quit()
t = QTimer(); t.setSingleShot(True); t.timeout.connect(up); t.start(0)
sys.exit(app.exec())
"""


def traced(cmd: list[str], env: dict) -> tuple[float, list[tuple[str, float]]]:
    """Launch to window up: the time the program prints once its event loop runs, or (the
    bare baseline) the process's whole run; with the phases it printed on the way
    (DANGJIAN_STARTUP_TRACE), each as (label, seconds since launch)."""
    t0, t = time.time(), time.perf_counter()
    r = subprocess.run(cmd, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    whole = time.perf_counter() - t
    phases = []
    for line in r.stderr.splitlines():
        if line.startswith("dangjian: phase "):
            label, at = line[len("dangjian: phase "):].rsplit(" at ", 1)
            phases.append((label, float(at) - t0))
        elif line.startswith("dangjian: window up at "):
            return float(line.rsplit(" ", 1)[1]) - t0, phases
    return whole, phases


def timed(cmd: list[str], env: dict) -> float:
    return traced(cmd, env)[0]


def ensure_db(path: Path, members: int) -> None:
    if not path.exists():
        print(f"generating {members} demo members into {path} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "desktop", "--db", str(path), "demo",
                        "--members", str(members)], check=True, cwd=ROOT)


sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402


def measure(db: Path, runs: int) -> tuple[float, float, float, list[tuple[str, float]]]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               DANGJIAN_QUIT_AFTER_MS="0", DANGJIAN_DATA_DIR=tempfile.mkdtemp(),
               DANGJIAN_STARTUP_TRACE="1")
    # The installed program carries compiled bytecode (PyInstaller's archive); a machine
    # that sets PYTHONDONTWRITEBYTECODE would otherwise time compiling our sources instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    timed([sys.executable, "-m", "desktop", "--db", str(db)], env)  # warm-up: writes the .pyc
    ours, phases = min(traced([sys.executable, "-m", "desktop", "--db", str(db)], env)
                       for _ in range(runs))
    bare = min(timed([sys.executable, "-c", BARE.replace("{library}", "sqlmodel")], env)
               for _ in range(runs))
    core = min(timed([sys.executable, "-c", BARE.replace("{library}", "sqlalchemy")], env)
               for _ in range(runs))
    return ours, bare, core, phases


def print_phases(phases: list[tuple[str, float]], up: float) -> None:
    """Where the best run's time went, phase by phase."""
    print("  where the time went (best run):")
    before = 0.0
    for label, at in [*phases, ("roster's first rows shown (window up)", up)]:
        print(f"    {(at - before) * 1000:6.0f} ms  {label}")
        before = at


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"dangjian-bench-{args.members}.sqlite3"
    ensure_db(db, args.members)
    ours, bare, core, phases = measure(db, args.runs)
    print(f"{'operation':34} {'ours ms':>9} {'bare Qt ms':>11} {'ratio':>6}  goal")
    print(f"{'start-up to main window':34} {ours * 1000:>9.0f} {bare * 1000:>11.0f} "
          f"{ours / bare:>6.2f}  < 1000 ms, ratio <= 1.3 (bare: Qt window + import sqlmodel)")
    print(f"{'  (bare with SQLAlchemy Core only)':34} {'':>9} {core * 1000:>11.0f} "
          f"{ours / core:>6.2f}")
    print_phases(phases, ours)
    report.row("start-up to main window (wall)", f"{args.members} members", ours, bare,
               "< 1 s, ≤ 1.3×", "bare PySide6 window + import sqlmodel")
    report.row("  same, baseline SQLAlchemy Core only", f"{args.members} members", ours, core,
               "", "bare PySide6 window + import sqlalchemy")


if __name__ == "__main__":
    main()
