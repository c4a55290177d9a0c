"""Backup copies of the database file: taking, naming, reading and restoring them.

Copies are made with SQLite's online backup API (a consistent copy even while the
program is using the file), written under a temporary name, flushed and renamed,
and switched to the rollback journal so that each copy is one self-contained file.
Copies live in ``backups/`` beside the database and are named after the file they
copy, the time and the reason: ``dangjian-20261122-0830-启动.sqlite3``.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..domain.backup_policy import BackupInfo
from ..durable import fsync_dir, fsync_file
from ..domain.errors import DomainError
from . import migrations
from .database import (APP_ID, SQLITE_HEADER, Database, DatabaseOpenError, _read_version, backups_dir,
                       files_dir)

log = logging.getLogger(__name__)

BACKUP_SUFFIX = ".sqlite3"
_STAMP = "%Y%m%d-%H%M"
# dangjian-20261122-0830-启动.sqlite3, dangjian-20261122-0830-导入前-2.sqlite3
_OURS = re.compile(r"^(?P<stamp>\d{8}-\d{4})-(?P<reason>.+?)(?:-(?P<n>\d+))?$")
# dangjian-升级前-v1-20261122-083015.sqlite3 (written by database._migrate)
_MIGRATION = re.compile(r"^(?P<reason>.+?)-(?P<stamp>\d{8}-\d{6})$")


class BackupError(DomainError):
    """A backup cannot be taken, read or restored; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class DatabaseFacts:
    """What a database file holds, read without changing it."""

    version: int
    org_count: int
    member_count: int


# --------------------------------------------------------------------------- names


def backup_name(db_path: Path, taken_at: datetime, reason: str, n: int = 1) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s-]+', "_", reason.strip()) or "备份"
    tail = f"-{n}" if n > 1 else ""
    return f"{db_path.stem}-{taken_at.strftime(_STAMP)}-{safe}{tail}{BACKUP_SUFFIX}"


def parse_backup_name(db_path: Path, name: str) -> tuple[datetime, str] | None:
    """(taken_at, reason) for a copy of `db_path` named by us; None for anything else."""
    prefix = f"{db_path.stem}-"
    if not name.startswith(prefix) or not name.endswith(BACKUP_SUFFIX):
        return None
    rest = name[len(prefix):-len(BACKUP_SUFFIX)]
    m = _OURS.match(rest)
    if m:
        try:
            when = datetime.strptime(m["stamp"], _STAMP)
        except ValueError:
            return None
        # Copies taken in the same minute: the later one sorts after (invisible to the clerk).
        return when + timedelta(microseconds=int(m["n"] or 1)), m["reason"]
    m = _MIGRATION.match(rest)
    if m:
        try:
            return datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S"), m["reason"]
        except ValueError:
            return None
    return None


def free_backup_path(db_path: Path, taken_at: datetime, reason: str) -> Path:
    folder = backups_dir(db_path)
    n = 1
    while (p := folder / backup_name(db_path, taken_at, reason, n)).exists():
        n += 1
    return p


# --------------------------------------------------------------------------- writing


def _temp_beside(target: Path) -> Path:
    return target.with_name(f".~{target.name}.tmp-{os.getpid()}")


def _copy_into(src: sqlite3.Connection, target: Path) -> Path:
    """Online-backup `src` into `target`: temporary name, rollback journal, fsync, rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(target)
    tmp.unlink(missing_ok=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


def backup_database(db: Database, target: Path) -> Path:
    """A consistent copy of the open database at `target` (replaced if it exists),
    then of its attachment folder (see :func:`files_backup_dir`)."""
    if target.resolve() == db.path.resolve():
        raise BackupError("备份文件不能与数据库文件相同，请另选位置。")
    raw = db.engine.raw_connection()
    try:
        try:
            _copy_into(raw.driver_connection, target)
        except sqlite3.Error as e:
            raise BackupError(f"备份失败：{e}。数据库未受影响。") from e
    finally:
        raw.close()
    source = files_dir(db.path)
    if source.is_dir():
        try:
            copy_files(source, files_backup_dir(db.path, target))
        except OSError as e:
            raise BackupError(f"数据库已备份到“{target.name}”，但附件文件夹复制失败："
                              f"{e.strerror or e}。请检查磁盘空间后重新备份。") from e
    return target


# --------------------------------------------------------------------------- attachments
#
# Attachment files (`<db stem>.files/`, see storage/meetings.py) are named by their
# content and never rewritten or removed, so one mirror folder serves every copy in
# backups/ and each backup only adds the files that are new since the last one. A copy
# elsewhere (`backup --out FILE`) gets its own `<FILE stem>.files/` beside it, so that
# FILE opened directly finds its attachments.


def _log_restore(live: Path, source: Path) -> None:
    """Note the restore in the restored file's own audit log (when its schema has one)."""
    from sqlalchemy import create_engine, inspect, select

    from .audit import AUDIT, CLERK_SETTING, os_user, restore_entry
    from .tables import SettingRow

    engine = create_engine(f"sqlite:///{live}")
    try:
        with engine.begin() as conn:
            if not inspect(conn).has_table(AUDIT.name):
                return  # an older copy: its upgrade on opening creates the log
            s = SettingRow.__table__
            clerk = conn.execute(select(s.c.value).where(s.c.key == CLERK_SETTING)).scalar()
            actor = f"{clerk}（{os_user()}）" if clerk else os_user()
            conn.execute(AUDIT.insert(), [restore_entry(actor, source.name)])
    except Exception as e:  # noqa: BLE001 - the restore itself succeeded; say so in the log only
        log.warning("could not note the restore in the audit log of %s: %s", live, e)
    finally:
        engine.dispose()


def files_backup_dir(db_path: Path, target: Path) -> Path:
    if target.parent.resolve() == backups_dir(db_path).resolve():
        return backups_dir(db_path) / files_dir(db_path).name
    return files_dir(target)


def copy_files(source: Path, dest: Path) -> int:
    """Copy every file under `source` missing (or of another size) under `dest`; how many."""
    copied = 0
    for src in sorted(source.rglob("*")):
        if not src.is_file() or src.name.startswith(".~"):
            continue
        dst = dest / src.relative_to(source)
        try:
            if dst.is_file() and dst.stat().st_size == src.stat().st_size:
                continue
        except OSError:
            pass
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_beside(dst)
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        copied += 1
    return copied


def restore_files(live: Path, source: Path) -> int:
    """After `live` was replaced by the copy `source`: bring back attachment files it names
    that the live folder lacks, from the backups mirror or the folder beside `source`."""
    restored = 0
    for folder in (files_backup_dir(live, source), files_dir(source)):
        if folder.is_dir() and folder.resolve() != files_dir(live).resolve():
            restored += copy_files(folder, files_dir(live))
    return restored


# --------------------------------------------------------------------------- reading


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def read_facts(path: Path, *, check: bool = False) -> DatabaseFacts:
    """Version and counts of a database file, opened read-only; with `check`, a quick_check too.

    Raises BackupError (Chinese) if the file is not ours, damaged or unreadable.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as e:
        raise BackupError(f"无法读取备份文件“{path.name}”：{e.strerror or e}。") from e
    if head != SQLITE_HEADER:
        raise BackupError(f"文件“{path.name}”不是数据库文件。")
    try:
        conn = _open_read_only(path)
    except sqlite3.Error as e:
        raise BackupError(f"无法打开备份文件“{path.name}”：{e}。") from e
    try:
        version = _read_version(conn)
        if version is None:
            raise BackupError(f"备份文件“{path.name}”是空的数据库，不能用于恢复。")
        if check:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise BackupError(f"备份文件“{path.name}”已损坏（{ok}），不能用于恢复。请选择另一个备份。")
        orgs = conn.execute("SELECT count(*) FROM organization WHERE dissolved IS NULL").fetchone()[0]
        members = conn.execute("SELECT count(*) FROM member WHERE status = '在册'").fetchone()[0]
        return DatabaseFacts(version, orgs, members)
    except DatabaseOpenError as e:
        raise BackupError(f"备份文件“{path.name}”：{e}") from e
    except sqlite3.Error as e:
        raise BackupError(f"备份文件“{path.name}”无法读取（{e}），可能已损坏。") from e
    finally:
        conn.close()


def verify_restorable(path: Path) -> DatabaseFacts:
    """Sound, ours, and not from a newer program — or BackupError saying which it is not."""
    facts = read_facts(path, check=True)
    latest = migrations.latest_version()
    if facts.version > latest:
        raise BackupError(
            f"备份文件“{path.name}”由更新版本的程序创建（数据库版本 {facts.version}，"
            f"本程序支持到 {latest}），不能恢复。请升级程序后再试。")
    return facts


def has_data(db: Database) -> bool:
    """Does the open database hold any organisation or member? (Instant on any size.)"""
    with db.reading() as conn:
        return bool(conn.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM organization) OR EXISTS (SELECT 1 FROM member)").scalar())


def backup_files(db_path: Path) -> list[tuple[Path, datetime, str]]:
    """(path, taken_at, reason) of every copy of `db_path` in its backups folder, newest first.

    Only names we write count; temporary files of an unfinished copy never do.
    """
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        parsed = parse_backup_name(db_path, p.name)
        if parsed is None:
            continue
        try:
            st = p.stat()
        except OSError:
            continue
        if p.is_file():
            found.append((parsed[0], st.st_mtime_ns, p, parsed[1]))
    found.sort(key=lambda t: (t[0], t[1]), reverse=True)  # same minute: the later file first
    return [(p, when, reason) for when, _, p, reason in found]


def sweep_temporaries(db_path: Path) -> list[Path]:
    """Delete half-written copies a crash left behind (call only while holding the lock).

    They carry our temporary names, never a backup's: ``.~<name>….tmp-…`` in the
    backups folder, ``.~<file name>.tmp-…`` beside the database.
    """
    removed = []
    candidates = []
    folder = backups_dir(db_path)
    if folder.is_dir():
        candidates += [p for p in folder.iterdir()
                       if p.name.startswith(f".~{db_path.stem}-") and ".tmp" in p.name]
    if db_path.parent.is_dir():
        candidates += [p for p in db_path.parent.iterdir()
                       if p.name.startswith(f".~{db_path.name}.tmp-")]
    for p in candidates:
        try:
            if p.is_file():
                p.unlink()
                removed.append(p)
        except OSError:
            pass
    return removed


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every copy of `db_path` in its backups folder, newest first, with counts where readable."""
    out = []
    for p, taken_at, reason in backup_files(db_path):
        try:
            size = p.stat().st_size
        except OSError:  # deleted meanwhile
            continue
        try:
            facts: DatabaseFacts | None = read_facts(p)
        except BackupError:
            facts = None
        out.append(BackupInfo(
            path=p, taken_at=taken_at, reason=reason, size=size,
            member_count=facts.member_count if facts else None,
            org_count=facts.org_count if facts else None))
    return out


# --------------------------------------------------------------------------- restoring


def live_file_state(path: Path) -> str:
    """What the database file at `path` is, read-only: missing, ours, foreign or damaged.

    "foreign": not a SQLite file at all, or a sound SQLite file of another program —
    never to be overwritten by a restore.
    """
    by_bytes = live_file_state_by_bytes(path)
    if by_bytes != "sqlite":
        return by_bytes
    try:
        conn = sqlite3.connect(path, timeout=2)
    except sqlite3.Error:
        return "damaged"
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not names:
            return "missing"
        if "app_meta" not in names:
            return "foreign"
        app = conn.execute("SELECT value FROM app_meta WHERE key='app'").fetchone()
        if app is None or app[0] != APP_ID:
            return "foreign"
        return "ours" if conn.execute("PRAGMA quick_check").fetchone()[0] == "ok" else "damaged"
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise BackupError("数据库仍在使用中，无法恢复。请关闭使用它的程序后重试。") from e
        return "damaged"
    except sqlite3.Error:
        return "damaged"
    finally:
        conn.close()


def preserve_closed_database(path: Path, target: Path, damaged_target: Path) -> tuple[str, Path | None]:
    """Copy a database nobody has open before it is replaced; returns (state, copy).

    The bytes of the file (and of its write-ahead log) are copied first, before
    SQLite touches it. Then, if it is a sound database of ours, a clean copy is
    made through SQLite at `target` and the byte copy dropped; if it is damaged,
    the byte copy is kept at `damaged_target` (its log beside it) so that nothing
    the clerk had is thrown away. A missing or foreign file is not copied.
    """
    if live_file_state_by_bytes(path) in ("missing", "foreign"):
        return live_file_state_by_bytes(path), None
    damaged_target.parent.mkdir(parents=True, exist_ok=True)
    raw: list[tuple[Path, Path]] = []
    try:
        for extra in ("", "-wal"):
            src_file = Path(f"{path}{extra}")
            if src_file.exists():
                final = Path(f"{damaged_target}{extra}")
                tmp = _temp_beside(final)
                shutil.copyfile(src_file, tmp)
                fsync_file(tmp)
                raw.append((tmp, final))
        state = live_file_state(path)
        if state == "ours":
            try:
                src = sqlite3.connect(path, timeout=2)
                try:
                    return state, _copy_into(src, target)
                finally:
                    src.close()
            except sqlite3.Error:
                state = "damaged"
        if state != "damaged":
            return state, None
        for tmp, final in raw:
            os.replace(tmp, final)
        raw = []
        fsync_dir(damaged_target.parent)
        return state, damaged_target
    finally:
        for tmp, _ in raw:
            tmp.unlink(missing_ok=True)


def live_file_state_by_bytes(path: Path) -> str:
    """missing / foreign (not a SQLite file) / sqlite, without opening it with SQLite."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return "missing"
        with open(path, "rb") as fh:
            return "sqlite" if fh.read(16) == SQLITE_HEADER else "foreign"
    except OSError:
        return "sqlite"


def replace_database_file(live: Path, source: Path, *, damaged: bool = False) -> None:
    """Put a copy of `source` in place of the closed database `live`, atomically.

    First the live file's write-ahead log is folded in and the file switched to
    the rollback journal, which SQLite allows only when no other connection has
    it open: the proof that nobody is using it. (A `damaged` live file, already
    copied byte for byte, skips this.) Then the copy is written under a temporary
    name and renamed over the live file. A crash at any point leaves either the
    old file or the new one, whole.
    """
    if live.exists() and not damaged:
        try:
            conn = sqlite3.connect(live, timeout=2)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as e:
            raise BackupError(f"数据库仍在使用中，无法恢复（{e}）。请关闭其他窗口后重试。") from e
        if str(mode).lower() != "delete":
            raise BackupError("数据库仍在使用中，无法恢复。请关闭其他窗口后重试。")
    for extra in ("-wal", "-shm"):  # gone after the switch; a leftover must not meet the new file
        Path(f"{live}{extra}").unlink(missing_ok=True)
    try:
        src = _open_read_only(source)
    except sqlite3.Error as e:
        raise BackupError(f"无法打开备份文件“{source.name}”：{e}。") from e
    try:
        _copy_into(src, live)
    except sqlite3.Error as e:
        raise BackupError(f"恢复失败：{e}。当前数据库未被替换。") from e
    finally:
        src.close()
    _log_restore(live, source)
    try:
        restore_files(live, source)
    except OSError as e:
        raise BackupError(f"数据库已恢复，但附件文件复制失败：{e.strerror or e}。"
                          "请检查磁盘空间后再恢复一次。") from e
