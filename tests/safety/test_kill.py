"""Crash safety, proven: the process is SIGKILLed at random moments during a migration, an
import, a PDF export and a restore, many times, and after every kill

- the database passes PRAGMA integrity_check and holds all of the work or none of it,
- the schema version is the old one or the new one,
- the next start is not blocked (the dead program's lock is recognised as stale),
- every file under a backup's name is a whole database,
- the export's target is the previous file or the complete new one, never a part.

Kills per scenario: DANGJIAN_KILLS (default 30); seed: DANGJIAN_KILL_SEED. The first
run of each scenario is not killed: it shows what "all" looks like and how long the
work takes, and the kills are spread over that time (and a little beyond).
"""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.storage import lock
from desktop.storage.backup import parse_backup_name, read_facts, sweep_temporaries
from desktop.storage.database import backups_dir
from tests.safety.report import record

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork and SIGKILL: POSIX only")

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("DANGJIAN_KILLS", "30"))
SEED = int(os.environ.get("DANGJIAN_KILL_SEED", "20261122"))


class Zygote:
    """The helper process (tests/safety/kill_zygote.py) for one scenario."""

    def __init__(self, scenario: str, work: Path, size: int):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.safety.kill_zygote", scenario, str(work), str(size)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            self.proc.kill()
            raise AssertionError(f"kill zygote for {scenario} did not start (see stderr above)")

    def go(self, delay: float) -> tuple[int, bool, float]:
        self.proc.stdin.write(f"go {delay:.4f}\n")
        self.proc.stdin.flush()
        kind, code, killed, seconds = self.proc.stdout.readline().split()
        assert kind == "ran"
        return int(code), killed == "1", float(seconds)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)


@dataclass
class Tally:
    name: str
    runs: int = 0
    mid_work: int = 0
    whole: int = 0
    none: int = 0
    temp_left: int = 0

    def line(self) -> str:
        return (f"{self.name}: kills survived: {self.runs} ({self.mid_work} mid-work; "
                f"after them {self.whole} all, {self.none} none; data lost: 0"
                + (f"; {self.temp_left} temporary files left, never under a real name"
                   if self.temp_left else "")
                + ")")


def kill_many(scenario: str, work: Path, size: int, verify) -> Tally:
    """Run once whole, then KILLS times killed after a random delay; verify after each."""
    rng = random.Random(f"{SEED}-{scenario}")
    tally = Tally(scenario)
    z = Zygote(scenario, work, size)
    try:
        code, killed, duration = z.go(-1)
        assert code == 0 and not killed, f"{scenario}: the uninterrupted run failed (exit {code})"
        assert verify(tally) == "all"
        for _ in range(KILLS):
            delay = rng.uniform(0, duration * 1.15)
            code, killed, _ = z.go(delay)
            assert code in (0, -9), f"{scenario}: the child failed on its own (exit {code})"
            tally.runs += 1
            tally.mid_work += killed
            if not killed:  # the work is quicker than the first run said: aim earlier
                duration = min(duration, delay)
            outcome = verify(tally)
            tally.whole += outcome == "all"
            tally.none += outcome == "none"
    finally:
        z.close()
    record(tally.line())
    # the kills must actually land inside the work, not only before or after it
    assert tally.mid_work >= KILLS // 3, tally.line()
    return tally


def open_checked(path: Path) -> sqlite3.Connection:
    """Open as the next start would (recovering the write-ahead log) and check every page."""
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], path
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    return con


def check_start_not_blocked(path: Path) -> None:
    lock.acquire(path).release()  # a stale lock of the killed child is taken over


def check_backups_whole(db: Path, tally: Tally) -> None:
    folder = backups_dir(db)
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        if parse_backup_name(db, p.name):
            read_facts(p, check=True)  # a name of ours always holds a whole, sound database
        else:
            assert p.name.startswith(".~"), p  # only our temporary names otherwise
            tally.temp_left += 1
    for p in db.parent.iterdir():
        if p.name.startswith(f".~{db.name}.tmp-"):
            tally.temp_left += 1
    sweep_temporaries(db)  # what the next start does
    assert not [p for p in [*db.parent.iterdir(), *(folder.iterdir() if folder.is_dir() else [])]
                if p.name.startswith(".~")]


def scalar(con: sqlite3.Connection, sql: str):
    return con.execute(sql).fetchone()[0]


def tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master")}


def test_kill_during_migration(tmp_path):
    from desktop.storage import migrations

    size = 20_000
    new = migrations.latest_version() + 1  # the real steps, then the zygote's heavy one

    def verify(tally: Tally) -> str:
        db = tmp_path / "live" / "db.sqlite3"
        con = open_checked(db)
        try:
            version = int(scalar(con, "SELECT value FROM app_meta WHERE key='schema_version'"))
            migrated = scalar(con, "SELECT count(*) FROM member WHERE remarks LIKE 'migrated-%'")
            assert scalar(con, "SELECT count(*) FROM member") == size
            names = tables(con)
        finally:
            con.close()
        check_start_not_blocked(db)
        check_backups_whole(db, tally)
        if version == 1:
            assert migrated == 0 and "setting" not in names and "ix_member_remarks" not in names
            return "none"
        assert version == new, version
        assert migrated == size and "setting" in names and "ix_member_remarks" in names
        return "all"

    kill_many("migration", tmp_path, size, verify)


def test_kill_during_import(tmp_path):
    size = 2000

    def verify(tally: Tally) -> str:
        db = tmp_path / "live" / "db.sqlite3"
        con = open_checked(db)
        try:
            members = scalar(con, "SELECT count(*) FROM member")
            events = scalar(con, "SELECT count(*) FROM member_event")
            orgs = scalar(con, "SELECT count(*) FROM organization")
        finally:
            con.close()
        check_start_not_blocked(db)
        check_backups_whole(db, tally)
        assert orgs == 3
        assert (members, events) in ((0, 0), (size, size)), (members, events)
        return "all" if members else "none"

    kill_many("import", tmp_path, size, verify)


def test_kill_during_pdf_export(tmp_path):
    reference: dict[str, bytes] = {}

    def verify(tally: Tally) -> str:
        out = tmp_path / "out"
        target = out / "党员名册.pdf"
        data = target.read_bytes()
        for p in out.iterdir():
            if p != target:
                assert p.name.startswith(f".~{target.name}.tmp-"), p
                tally.temp_left += 1
        if "pdf" not in reference:  # the uninterrupted run
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and len(data) > 20_000
            reference["pdf"] = data
            return "all"
        if data == reference["pdf"]:
            return "all"
        assert data == b"%PDF-1.4\n% the previous export, complete\n%%EOF\n", "a part-written PDF"
        return "none"

    kill_many("export", tmp_path, 1200, verify)


def test_kill_during_restore(tmp_path):
    size = 3000

    def verify(tally: Tally) -> str:
        db = tmp_path / "live" / "db.sqlite3"
        con = open_checked(db)
        try:
            members = scalar(con, "SELECT count(*) FROM member")
        finally:
            con.close()
        check_start_not_blocked(db)
        check_backups_whole(db, tally)
        assert members in (size, size // 2), members
        return "all" if members == size // 2 else "none"

    kill_many("restore", tmp_path, size, verify)
