"""Backup copies at the storage level: names, the online copy, reading and replacing files."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from desktop.storage import backup as store
from desktop.storage import migrations
from desktop.storage.backup import BackupError
from desktop.storage.database import backups_dir, open_database

WHEN = datetime(2026, 11, 22, 8, 30)


def test_names_round_trip():
    db = Path("/data/dangjian.sqlite3")
    name = store.backup_name(db, WHEN, "启动")
    assert name == "dangjian-20261122-0830-启动.sqlite3"
    assert store.parse_backup_name(db, name) == (WHEN.replace(microsecond=1), "启动")
    second = store.backup_name(db, WHEN, "导入前", 2)
    assert second == "dangjian-20261122-0830-导入前-2.sqlite3"
    when, reason = store.parse_backup_name(db, second)
    assert reason == "导入前" and when > WHEN.replace(microsecond=1)
    # unsafe characters in a reason never make a path
    assert "/" not in store.backup_name(db, WHEN, "a/b:c-d")
    assert store.parse_backup_name(db, store.backup_name(db, WHEN, "a/b:c-d"))[1] == "a_b_c_d"


def test_names_of_other_files_are_not_backups():
    db = Path("dangjian.sqlite3")
    for name in ["other-20261122-0830-启动.sqlite3", "dangjian-2026-启动.sqlite3",
                 ".~dangjian-20261122-0830-启动.sqlite3.tmp-12", "dangjian-20261122-0830-启动.sqlite3-wal",
                 "dangjian-20261399-0830-启动.sqlite3", "notes.txt"]:
        assert store.parse_backup_name(db, name) is None, name


def test_migration_backups_are_recognised():
    db = Path("dangjian.sqlite3")
    when, reason = store.parse_backup_name(db, "dangjian-升级前-v1-20261122-083015.sqlite3")
    assert when == datetime(2026, 11, 22, 8, 30, 15) and reason == "升级前-v1"


def test_copy_is_a_sound_single_file_with_counts(workspace, street):
    target = backups_dir(workspace.path) / "copy.sqlite3"
    store.backup_database(workspace.db, target)
    assert not Path(f"{target}-wal").exists()
    with sqlite3.connect(target) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    facts = store.read_facts(target, check=True)
    assert (facts.version, facts.org_count, facts.member_count) == (migrations.latest_version(), 5, 0)
    assert [p.name for p in target.parent.iterdir()] == ["copy.sqlite3"]  # no temporary left


def test_copy_onto_the_database_itself_is_refused(workspace):
    with pytest.raises(BackupError, match="不能与数据库文件相同"):
        store.backup_database(workspace.db, workspace.path)


def test_list_ignores_temporary_and_foreign_files(workspace, street):
    folder = backups_dir(workspace.path)
    good = store.free_backup_path(workspace.path, WHEN, "手动")
    store.backup_database(workspace.db, good)
    (folder / f".~{good.name}.tmp-99").write_bytes(b"half")
    (folder / "readme.txt").write_text("x")
    broken = folder / store.backup_name(workspace.path, WHEN, "每日")
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    listed = store.list_backups(workspace.path)
    assert [b.path for b in listed] == [broken, good]  # newest first: 每日 has no -n, sorts equal+
    assert listed[1].org_count == 5 and listed[1].member_count == 0 and listed[1].readable
    assert listed[0].org_count is None and not listed[0].readable


def test_free_path_never_overwrites(workspace):
    a = store.free_backup_path(workspace.path, WHEN, "手动")
    a.parent.mkdir(parents=True)
    a.write_bytes(b"")
    b = store.free_backup_path(workspace.path, WHEN, "手动")
    assert a != b and b.name.endswith("-手动-2.sqlite3")


@pytest.fixture
def copy(workspace, street) -> Path:
    return store.backup_database(workspace.db, workspace.path.parent / "elsewhere" / "c.sqlite3")


def test_verify_refuses_newer_copy(copy):
    with sqlite3.connect(copy) as c:
        c.execute("UPDATE app_meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(BackupError, match="更新版本"):
        store.verify_restorable(copy)


def test_verify_refuses_foreign_database(tmp_path):
    p = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(p) as c:
        c.execute("CREATE TABLE orders (id INTEGER)")
    with pytest.raises(BackupError, match="不是本程序的数据库"):
        store.verify_restorable(p)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 an xlsx", b"SQLite format 3\x00" + b"\xff" * 4000])
def test_verify_refuses_non_database_or_broken_files(tmp_path, content):
    p = tmp_path / "bad.sqlite3"
    p.write_bytes(content)
    with pytest.raises(BackupError, match="bad.sqlite3"):
        store.verify_restorable(p)


def test_verify_refuses_damaged_copy(copy):
    data = bytearray(copy.read_bytes())
    for start in range(4096, len(data), 4096):  # every page's b-tree header after the schema
        data[start: start + 12] = b"\x0d\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    copy.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        store.verify_restorable(copy)


def test_replace_refuses_while_another_connection_reads(workspace, copy):
    other = sqlite3.connect(workspace.path)
    try:
        other.execute("SELECT count(*) FROM organization").fetchone()
        with pytest.raises(BackupError, match="仍在使用"):
            workspace.db.close()
            store.replace_database_file(workspace.path, copy)
    finally:
        other.close()


def test_replace_puts_the_copy_in_place_and_leaves_no_wal(workspace, street, copy):
    with workspace.db.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM organization WHERE parent_id IS NOT NULL AND id NOT IN "
                             "(SELECT parent_id FROM organization WHERE parent_id IS NOT NULL)")
    workspace.db.close()
    store.replace_database_file(workspace.path, copy)
    assert not Path(f"{workspace.path}-wal").exists()
    assert store.read_facts(workspace.path, check=True).org_count == 5
    db = open_database(workspace.path)
    with db.reading() as conn:  # the program's own connection switches it back to WAL
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.close()


def test_live_file_states(tmp_path, workspace, copy):
    assert store.live_file_state(tmp_path / "none.sqlite3") == "missing"
    workspace.db.close()
    assert store.live_file_state(workspace.path) == "ours"
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE orders (id INTEGER)")
    assert store.live_file_state(foreign) == "foreign"
    text = tmp_path / "x.sqlite3"
    text.write_text("姓名,身份证号")
    assert store.live_file_state(text) == "foreign"
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert store.live_file_state(broken) == "damaged"


def test_damaged_closed_file_is_preserved_byte_for_byte(tmp_path):
    broken = tmp_path / "broken.sqlite3"
    raw = b"SQLite format 3\x00" + b"\xff" * 4000
    broken.write_bytes(raw)
    Path(f"{broken}-wal").write_bytes(b"wal bytes")
    ok, bad = tmp_path / "b" / "ok.sqlite3", tmp_path / "b" / "bad.sqlite3"
    state, copy = store.preserve_closed_database(broken, ok, bad)
    assert (state, copy) == ("damaged", bad)
    assert bad.read_bytes() == raw
    assert Path(f"{bad}-wal").read_bytes() == b"wal bytes"
    assert sorted(p.name for p in bad.parent.iterdir()) == ["bad.sqlite3", "bad.sqlite3-wal"]


def test_sound_closed_file_is_preserved_through_sqlite(workspace, street, tmp_path):
    workspace.db.close()
    ok, bad = tmp_path / "b" / "ok.sqlite3", tmp_path / "b" / "bad.sqlite3"
    state, copy = store.preserve_closed_database(workspace.path, ok, bad)
    assert (state, copy) == ("ours", ok)
    assert store.read_facts(ok, check=True).org_count == 5
    assert [p.name for p in ok.parent.iterdir()] == ["ok.sqlite3"]


def test_foreign_closed_file_is_not_copied(tmp_path):
    text = tmp_path / "x.sqlite3"
    text.write_text("姓名,身份证号")
    ok, bad = tmp_path / "b" / "ok.sqlite3", tmp_path / "b" / "bad.sqlite3"
    assert store.preserve_closed_database(text, ok, bad) == ("foreign", None)
    assert not ok.parent.exists() or not any(ok.parent.iterdir())
