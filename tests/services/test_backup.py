"""BackupService: copies on start, daily and on request; the rolling set; restoring."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.domain.organization import OrgKind, Organization
from desktop.services.backup import BackupError, BackupService, check_backup, restore_database
from desktop.services.workspace import open_workspace
from desktop.storage import migrations
from desktop.storage.database import backups_dir

NOW = datetime(2026, 11, 22, 8, 30)


def org_names(ws) -> set[str]:
    names = set()

    def walk(nodes):
        for n in nodes:
            names.add(n.name)
            walk(n.children)

    walk(ws.orgs.tree())
    return names


def add_org(ws, name: str) -> None:
    ws.orgs.create(Organization(name, OrgKind.STREET))


def test_snapshot_is_named_by_time_and_reason(workspace, street):
    service = BackupService(workspace.db)
    p = service.snapshot("启动", NOW)
    assert p == backups_dir(workspace.path) / "test-20261122-0830-启动.sqlite3"
    again = service.snapshot("启动", NOW)
    assert again.name == "test-20261122-0830-启动-2.sqlite3"
    [newest, older] = service.list()
    assert (newest.path, older.path) == (again, p)
    assert (older.reason, older.org_count, older.member_count) == ("启动", 5, 0)
    assert older.taken_at.replace(microsecond=0) == NOW and older.size > 0


def test_an_empty_database_gets_no_start_backup(db_path):
    ws = open_workspace(db_path)
    ws.close()
    assert not backups_dir(db_path).exists()


def test_start_backup_at_most_once_a_day(workspace, street):
    path = workspace.path
    workspace.close()
    for _ in range(2):
        open_workspace(path).close()
    from desktop.storage.backup import list_backups

    listed = list_backups(path)
    assert [b.reason for b in listed] == ["启动"] and listed[0].org_count == 5


def test_start_backup_failure_does_not_stop_the_program(workspace, street, monkeypatch):
    path = workspace.path
    workspace.close()

    def broken(self, reason, now=None):
        raise BackupError("无法写入备份文件夹")

    monkeypatch.setattr(BackupService, "snapshot", broken)
    ws = open_workspace(path)
    ws.backups.wait()  # taken on a worker thread
    assert ws.startup_backup_error == "无法写入备份文件夹"
    assert "测试街道党工委" in org_names(ws)
    ws.close()


def test_daily_backup_only_when_none_today(workspace, street):
    service = BackupService(workspace.db)
    assert service.maybe_daily(NOW) is not None
    assert service.maybe_daily(NOW + timedelta(hours=3)) is None
    assert service.maybe_daily(NOW + timedelta(days=1)).name == "test-20261123-0830-每日.sqlite3"


def test_prune_applies_the_rolling_rule_to_real_files(workspace, street):
    service = BackupService(workspace.db)
    first = service.snapshot("每日", NOW)
    folder = first.parent
    today = date(2026, 11, 22)
    for days in range(1, 120):  # copies of the same file under older names
        when = NOW - timedelta(days=days)
        shutil.copyfile(first, folder / f"test-{when:%Y%m%d-%H%M}-每日.sqlite3")
    (folder / "test-20200101-0000-keep-me.txt").write_text("not ours")
    removed = service.prune(today)
    left = service.list()
    assert len(left) + len(removed) == 120
    assert len(left) <= 1 + 7 + 4 + 4  # today + dailies + weeks/months beyond them
    assert {b.taken_at.date() for b in left} >= {today - timedelta(days=i) for i in range(0, 8)}
    assert (folder / "test-20200101-0000-keep-me.txt").exists()
    assert service.prune(today) == []


def test_restore_round_trip(workspace, street):
    service = BackupService(workspace.db)
    copy = service.snapshot("手动")
    add_org(workspace, "后来新建的街道党工委")
    before = service.restore(copy)  # the workspace is spent now
    ws = open_workspace(workspace.path)
    workspace.close()
    try:
        assert "后来新建的街道党工委" not in org_names(ws)
        assert "测试街道党工委" in org_names(ws)
        assert "恢复前" in before.name
        # the copy taken before restoring holds what was replaced, so the restore can be undone
        assert check_backup(before).org_count == 6
        again = ws.backups.restore(before)
        ws2 = open_workspace(ws.path)
        ws.close()
        assert "后来新建的街道党工委" in org_names(ws2)
        assert again != before
        ws2.close()
    finally:
        ws.close()


def test_bad_backups_are_refused_and_nothing_changes(workspace, street, tmp_path):
    service = BackupService(workspace.db)
    good = service.snapshot("手动")
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(good, newer)
    with sqlite3.connect(newer) as c:
        c.execute("UPDATE app_meta SET value='99' WHERE key='schema_version'")
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE t (x)")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"PK\x03\x04")
    for bad, why in [(newer, "更新版本"), (foreign, "不是本程序的数据库"), (junk, "不是数据库文件"),
                     (workspace.path, "当前正在使用的数据库")]:
        with pytest.raises(BackupError, match=why):
            service.restore(bad)
    add_org(workspace, "仍可使用")  # the workspace was never closed
    assert "仍可使用" in org_names(workspace)
    assert [b.reason for b in service.list()] == ["手动"]


def test_restoring_an_older_version_upgrades_it_on_reopen(workspace, street, tmp_path):
    from desktop.storage.database import _set_meta, _sqlite_engine

    old = tmp_path / "v1.sqlite3"
    engine = _sqlite_engine(old)
    with engine.begin() as conn:
        migrations.steps()[0].upgrade(conn)
        _set_meta(conn, "schema_version", "1")
        _set_meta(conn, "app", "dangjian")
        conn.exec_driver_sql(
            "INSERT INTO organization (uuid, created_at, modified_at, name, kind, contact, remarks,"
            " sort_order) VALUES ('u1', '2020-01-01', '2020-01-01', '旧街道党工委', '街道党工委', '', '', 0)")
    engine.dispose()
    BackupService(workspace.db).restore(old)
    ws = open_workspace(workspace.path)
    workspace.close()
    assert ws.db.schema_version() == migrations.latest_version()
    assert org_names(ws) == {"旧街道党工委"}
    ws.close()


def test_restore_database_repairs_a_file_too_damaged_to_open(workspace, street):
    path = workspace.path
    copy = workspace.backups.snapshot("手动")
    workspace.close()
    damaged = b"SQLite format 3\x00" + b"\xee" * 8000
    path.write_bytes(damaged)
    from desktop.storage.database import DatabaseOpenError

    with pytest.raises(DatabaseOpenError):
        open_workspace(path)
    before = restore_database(path, copy)
    assert before.read_bytes() == damaged and "已损坏" in before.name
    ws = open_workspace(path)
    assert "测试街道党工委" in org_names(ws)
    ws.close()


def test_restore_database_never_overwrites_a_foreign_file(tmp_path, workspace, street):
    copy = workspace.backups.snapshot("手动")
    target = tmp_path / "somebody-else.db"
    target.write_text("重要的其他文件", encoding="utf-8")
    with pytest.raises(BackupError, match="不是本程序的数据库"):
        restore_database(target, copy)
    assert target.read_text(encoding="utf-8") == "重要的其他文件"


def test_restore_database_onto_a_new_place(tmp_path, workspace, street):
    copy = workspace.backups.snapshot("手动")
    fresh = tmp_path / "new" / "dangjian.sqlite3"
    assert restore_database(fresh, copy) is None
    ws = open_workspace(fresh)
    assert "测试街道党工委" in org_names(ws)
    ws.close()


def test_restore_waits_for_nobody_else(workspace, street, tmp_path):
    """While another program holds the database, a path restore is refused with its name."""
    import subprocess
    import sys
    import textwrap

    copy = workspace.backups.snapshot("手动")
    path = workspace.path
    workspace.close()
    root = Path(__file__).resolve().parents[2]
    code = textwrap.dedent("""
        import sys
        from desktop.storage import lock
        held = lock.acquire(sys.argv[1]); print("held", flush=True); sys.stdin.readline()
    """)
    p = subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=root, text=True,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert p.stdout.readline().strip() == "held"
        from desktop.storage.lock import DatabaseInUse

        with pytest.raises(DatabaseInUse, match="数据库正被"):
            restore_database(path, copy)
    finally:
        p.stdin.close()
        p.wait(10)


def test_start_sweeps_half_written_copies_left_by_a_crash(workspace, street):
    path = workspace.path
    copy = workspace.backups.snapshot("手动")
    folder = copy.parent
    leftovers = [folder / f".~{copy.name}.tmp-4242", folder / ".~test-升级前-v1-20261122-083000.sqlite3.tmp",
                 path.parent / f".~{path.name}.tmp-4242"]
    others = [folder / ".~other-20261122-0830-启动.sqlite3.tmp-1", folder / "notes.txt"]
    for p in leftovers + others:
        p.write_bytes(b"half")
    workspace.close()
    open_workspace(path).close()
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in others)  # another database's, or not ours at all
    assert copy.exists()
