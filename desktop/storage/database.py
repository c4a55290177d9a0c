"""Opening, checking, migrating and backing up the database file.

The only module that knows it is talking to SQLite: PRAGMAs, the file header,
the online backup API. Everything else uses portable SQLAlchemy Core.
"""
from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.dialects import sqlite as _dialect  # noqa: F401
from sqlalchemy.engine import Engine

from ..domain.errors import DomainError
from . import audit, migrations
from .tables import AppMeta

log = logging.getLogger(__name__)

APP_ID = "dangjian"
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseOpenError(DomainError):
    """The file cannot be used; the message says why and what to do. Nothing was changed."""


def _sqlite_engine(path: Path) -> Engine:
    # create_engine() would import the SQLite dialect now; it is imported with this module
    # instead, so that the GUI start loads it before PySide6 (see app.main).
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
        # Let SQLAlchemy, not the driver, decide where transactions begin, so DDL is
        # transactional too (the pysqlite recipe in SQLAlchemy's docs).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA cache_size=-32000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - trivial
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))

    return engine


class Database:
    """One open database file: a write transaction per user action, reads outside it."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self.auditor: audit.Auditor | None = None

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[Connection]:
        """One user action: commit on success, roll back everything on any exception."""
        conn = self.engine.connect()
        if exclusive:
            conn = conn.execution_options(sqlite_begin="BEGIN EXCLUSIVE")
        else:
            conn = conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        try:
            with conn.begin():
                yield conn
        finally:
            conn.close()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent snapshot for queries."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def schema_version(self) -> int:
        raw = self.engine.raw_connection()
        try:
            return _read_version(raw.driver_connection) or 0
        finally:
            raw.close()

    def backup_to(self, target: Path) -> Path:
        """A consistent copy through SQLite's online backup API, written then renamed."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".~{target.name}.tmp")
        tmp.unlink(missing_ok=True)
        raw = self.engine.raw_connection()
        try:
            dst = sqlite3.connect(tmp)
            try:
                raw.driver_connection.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            raw.close()
        tmp.replace(target)
        return target

    def close(self) -> None:
        self.engine.dispose()


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def files_dir(db_path: Path) -> Path:
    """Attachments (meeting photos and the like) live beside the database in
    `<db stem>.files/`, so that backups and the 上报包 carry them."""
    return db_path.with_name(db_path.stem + ".files")


def _read_version(conn) -> int | None:
    """The schema version of an open DB-API connection; None for an empty file."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not names:
        return None
    if "app_meta" not in names:
        raise DatabaseOpenError("该文件不是本程序的数据库（缺少程序标识），未作任何修改。请选择“街道党建工作台”创建的数据库文件。")
    meta = dict(conn.execute("SELECT key, value FROM app_meta").fetchall())
    if meta.get("app") != APP_ID:
        raise DatabaseOpenError("该文件不是本程序的数据库（程序标识不符），未作任何修改。")
    try:
        return int(meta.get("schema_version", "0"))
    except ValueError:
        raise DatabaseOpenError("数据库版本信息已损坏，未作任何修改。请从备份恢复。") from None


def _probe(path: Path, check: bool = True) -> int | None:
    """Look at an existing file read-only: is it ours, (with `check`) sound, which version?"""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head != SQLITE_HEADER:
        raise DatabaseOpenError(f"文件“{path}”不是数据库文件，未作任何修改。请确认选择的文件。")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = _read_version(conn)
        if check:
            _raise_if_damaged(conn)
        return version
    except sqlite3.DatabaseError as e:
        raise DatabaseOpenError(f"无法读取数据库文件“{path}”：{e}。请从备份恢复。") from e
    finally:
        conn.close()


def _raise_if_damaged(conn: sqlite3.Connection) -> None:
    ok = conn.execute("PRAGMA quick_check").fetchone()[0]
    if ok != "ok":
        raise DatabaseOpenError(f"数据库文件已损坏（{ok}）。请通过“文件 → 备份/恢复”从最近的备份恢复。")


def integrity_problem(path: Path | str) -> str | None:
    """SQLite's quick_check on a read-only connection of its own (any thread): None when the
    file is sound, else why not, in Chinese. It reads every page: about 0.5 s for 100,000
    members, which is why start-up runs it beside the window rather than before it."""
    path = Path(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            _raise_if_damaged(conn)
        finally:
            conn.close()
    except DatabaseOpenError as e:
        return str(e)
    except sqlite3.DatabaseError as e:
        return f"无法读取数据库文件“{path}”：{e}。请从备份恢复。"
    return None


def open_database(path: Path | str, *, create: bool = True, migrate: bool = True,
                  check: bool = True) -> Database:
    """Open (or create) the file, refuse foreign or newer ones, upgrade older ones.

    Without `check` the caller runs integrity_problem() itself later (start-up does, on
    a worker thread); a file that needs an upgrade is still checked before it is changed.
    """
    path = Path(path)
    if not path.exists() and not create:
        raise DatabaseOpenError(f"数据库文件“{path}”不存在。")
    latest = migrations.latest_version()
    version = _probe(path, check)
    if not check and version is not None and version < latest and migrate:
        _probe(path, check=True)
    if version is not None and version > latest:
        raise DatabaseOpenError(
            f"该数据库由更新版本的程序创建（数据库版本 {version}，本程序支持到 {latest}），"
            "未作任何修改。请升级程序后再打开。")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path, _sqlite_engine(path))
    try:
        if migrate and (version or 0) < latest:
            _migrate(db, version or 0, latest)
        db.auditor = audit.install(db.engine)  # every later change is logged (storage/audit.py)
    except Exception:
        db.close()
        raise
    return db


def _migrate(db: Database, current: int, latest: int) -> None:
    if current > 0:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = backups_dir(db.path) / f"{db.path.stem}-升级前-v{current}-{stamp}.sqlite3"
        db.backup_to(target)
        log.info("backup before migration: %s", target)
    with db.transaction(exclusive=True) as conn:
        for step in migrations.steps()[current:latest]:
            log.info("migrating to v%s", step.VERSION)
            step.upgrade(conn)
            _set_meta(conn, "schema_version", str(step.VERSION))
        _set_meta(conn, "app", APP_ID)


def _set_meta(conn: Connection, key: str, value: str) -> None:
    updated = conn.execute(
        AppMeta.__table__.update().where(AppMeta.__table__.c.key == key).values(value=value))
    if updated.rowcount == 0:
        conn.execute(AppMeta.__table__.insert().values(key=key, value=value))


def sqlite_version_info() -> str:
    return sqlite3.sqlite_version


def analyze(db: Database) -> None:
    """Refresh the planner's statistics after bulk loads."""
    with db.transaction() as conn:
        conn.execute(text("ANALYZE"))
