"""Opening, refusing, creating and upgrading the database file."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, inspect

from desktop.storage import migrations
from desktop.storage.database import DatabaseOpenError, backups_dir, open_database
from sqlmodel import SQLModel

from desktop.storage import all_tables  # noqa: F401  (the whole schema in SQLModel.metadata)


def test_first_start_creates_database_at_latest_version(db_path):
    db = open_database(db_path)
    assert db_path.exists()
    assert db.schema_version() == migrations.latest_version() >= 2
    with sqlite3.connect(db_path) as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_migrated_schema_matches_the_tables_the_program_uses(db_path):
    open_database(db_path).close()
    insp = inspect(create_engine(f"sqlite:///{db_path}"))
    for table in SQLModel.metadata.sorted_tables:
        cols = {c["name"]: str(c["type"]) for c in insp.get_columns(table.name)}
        expected = {c.name: str(c.type.compile(dialect=create_engine("sqlite://").dialect))
                    for c in table.columns}
        assert cols == expected, table.name
        idx = {(i["name"], tuple(i["column_names"])) for i in insp.get_indexes(table.name)}
        expected_idx = {(i.name, tuple(c.name for c in i.columns)) for i in table.indexes}
        assert idx == expected_idx, table.name


def test_database_made_by_first_schema_is_upgraded_after_a_backup(db_path):
    steps = migrations.steps()
    # Build the v1 database exactly as the first release did.
    from desktop.storage.database import _set_meta, _sqlite_engine

    engine = _sqlite_engine(db_path)
    with engine.begin() as conn:
        steps[0].upgrade(conn)
        _set_meta(conn, "schema_version", "1")
        _set_meta(conn, "app", "dangjian")
        conn.exec_driver_sql(
            "INSERT INTO organization (uuid, created_at, modified_at, name, kind, contact, remarks,"
            " sort_order) VALUES ('u1', '2020-01-01', '2020-01-01', '旧街道党工委', '街道党工委', '', '', 0)")
    engine.dispose()
    db = open_database(db_path)
    assert db.schema_version() == migrations.latest_version()
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT name FROM organization").scalar() == "旧街道党工委"
        assert conn.exec_driver_sql("SELECT count(*) FROM setting").scalar() == 0
    backups = list(backups_dir(db_path).glob("*升级前-v1-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as c:
        assert c.execute("SELECT value FROM app_meta WHERE key='schema_version'").fetchone()[0] == "1"
    db.close()


def test_newer_database_is_refused_and_left_unchanged(db_path):
    open_database(db_path).close()
    with sqlite3.connect(db_path) as c:
        c.execute("UPDATE app_meta SET value='99' WHERE key='schema_version'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="更新版本"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_foreign_sqlite_file_is_refused_and_left_unchanged(db_path):
    with sqlite3.connect(db_path) as c:
        c.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="不是本程序的数据库"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_non_database_file_is_refused(db_path):
    db_path.write_text("姓名,身份证号\n", encoding="utf-8")
    with pytest.raises(DatabaseOpenError, match="不是数据库文件"):
        open_database(db_path)
    assert db_path.read_text(encoding="utf-8") == "姓名,身份证号\n"


def test_failed_step_rolls_back_everything(db_path, monkeypatch):
    steps = migrations.steps()

    def broken(conn):
        conn.exec_driver_sql("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(steps[1], "upgrade", broken)
    monkeypatch.setattr(migrations, "steps", lambda: steps)
    with pytest.raises(RuntimeError):
        open_database(db_path)
    with sqlite3.connect(db_path) as c:
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in names and "organization" not in names


def test_backup_copy_is_a_complete_database(workspace, street, tmp_path):
    target = workspace.db.backup_to(tmp_path / "copy.sqlite3")
    with sqlite3.connect(target) as c:
        assert c.execute("SELECT count(*) FROM organization").fetchone()[0] == 5
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _damage_the_end(path) -> None:
    """Our database with a damaged tail: it opens and reads its version, quick_check fails."""
    import sqlite3

    with sqlite3.connect(path) as c:
        c.execute("PRAGMA journal_mode=DELETE")
        c.execute("CREATE TABLE filler (x BLOB)")
        c.executemany("INSERT INTO filler VALUES (?)", [(b"\x01" * 300,)] * 400)
    c.close()
    data = bytearray(path.read_bytes())
    for start in range(len(data) - 8 * 4096, len(data), 4096):
        data[start: start + 12] = b"\x0d\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
    path.write_bytes(bytes(data))


def test_the_integrity_check_can_wait_until_after_opening(db_path):
    from desktop.domain.errors import DomainError
    from desktop.storage.database import integrity_problem

    open_database(db_path).close()
    assert integrity_problem(db_path) is None
    _damage_the_end(db_path)
    with pytest.raises(DomainError, match="从备份恢复"):
        open_database(db_path)
    db = open_database(db_path, check=False)  # start-up: the window first, the check beside it
    db.close()
    assert "从备份恢复" in integrity_problem(db_path)


def test_a_damaged_file_is_checked_before_an_upgrade_even_when_checks_wait(db_path):
    import sqlite3

    from desktop.domain.errors import DomainError

    open_database(db_path).close()
    _damage_the_end(db_path)
    with sqlite3.connect(db_path) as c:
        c.execute("UPDATE app_meta SET value = '3' WHERE key = 'schema_version'")
    c.close()
    with pytest.raises(DomainError, match="从备份恢复"):
        open_database(db_path, check=False)
