"""Backups the clerk never has to think about, and a way back when something went wrong.

Copies are taken on start (at most once a day), daily while the program is open,
before every schema upgrade and import, and on request; they live in ``backups/``
beside the database. A rolling set is kept (see domain/backup_policy.py).

Restoring replaces the database file, so the open workspace is spent afterwards.
The GUI and CLI do::

    before = BackupService(ws.db).restore(chosen)   # checks, copies the current file, replaces it
    new_ws = open_workspace(path)                    # reopen (upgrades an older copy)
    ws.close()                                       # then let the old one go

Opening the new workspace before closing the old one keeps the lock on the file
held throughout (the lock is counted per process), so no other program can slip in.
"""
from __future__ import annotations

import logging
import os
import threading
from datetime import date, datetime
from pathlib import Path

from ..domain import backup_policy
from ..domain.backup_policy import BackupInfo
from ..domain.errors import DomainError
from ..storage import backup as store
from ..storage import lock
from ..storage.backup import BackupError, DatabaseFacts
from ..storage.database import Database, backups_dir

log = logging.getLogger(__name__)

REASON_START = "启动"
REASON_DAILY = "每日"
REASON_MANUAL = "手动"
REASON_IMPORT = "导入前"
REASON_EXCHANGE = "导入上报包前"
REASON_RESTORE = "恢复前"
REASON_RESTORE_DAMAGED = "恢复前_已损坏"

__all__ = ["BackupError", "BackupInfo", "BackupService", "DatabaseFacts", "check_backup",
           "restore_database", "REASON_DAILY", "REASON_EXCHANGE", "REASON_IMPORT", "REASON_MANUAL",
           "REASON_RESTORE", "REASON_START"]


_file_locks: dict[str, threading.RLock] = {}
_file_locks_guard = threading.Lock()


def _busy(db_path: Path) -> threading.RLock:
    """One lock per database file in this process: a copy being taken (by any thread,
    through any BackupService) and a restore never overlap."""
    key = os.path.normcase(os.path.realpath(db_path))
    with _file_locks_guard:
        return _file_locks.setdefault(key, threading.RLock())


class BackupService:
    def __init__(self, db: Database):
        self.db = db
        self._startup: threading.Thread | None = None
        self.startup_error: str | None = None  # why the start-up copy failed, if it did

    @property
    def folder(self) -> Path:
        return backups_dir(self.db.path)

    # ------------------------------------------------------------------ taking

    def snapshot(self, reason: str, now: datetime | None = None) -> Path:
        """A copy of the database now, named ``<name>-YYYYMMDD-HHMM-<reason>.sqlite3``."""
        with _busy(self.db.path):
            return self._snapshot(reason, now)

    def _snapshot(self, reason: str, now: datetime | None) -> Path:
        target = store.free_backup_path(self.db.path, now or datetime.now(), reason)
        try:
            store.backup_database(self.db, target)
        except OSError as e:
            raise BackupError(f"无法写入备份文件夹“{self.folder}”：{e.strerror or e}。"
                              "请检查磁盘空间和写入权限。数据库未受影响。") from e
        log.info("backup (%s): %s", reason, target)
        return target

    def snapshot_to(self, target: Path | str) -> Path:
        """A copy of the database at a place of the clerk's choosing (replaced if it exists)."""
        target = Path(target)
        try:
            with _busy(self.db.path):
                return store.backup_database(self.db, target)
        except OSError as e:
            raise BackupError(f"无法写入备份文件“{target}”：{e.strerror or e}。数据库未受影响。") from e

    def has_backup_on(self, day: date) -> bool:
        return any(when.date() == day for _, when, _ in store.backup_files(self.db.path))

    def _has_data(self) -> bool:
        return store.has_data(self.db)

    def on_start(self, now: datetime | None = None, *, sweep: bool = True) -> Path | None:
        """The start-up copy: at most one a day, none of an empty database; then prune.

        With `sweep` (only while holding the database's lock) half-written copies
        left by a crash are deleted first.
        """
        now = now or datetime.now()
        with _busy(self.db.path):
            if sweep:
                for p in store.sweep_temporaries(self.db.path):
                    log.info("removed a temporary file left by a crash: %s", p)
            taken = None
            if self._has_data() and not self.has_backup_on(now.date()):
                taken = self.snapshot(REASON_START, now)
            self.prune(now.date())
        return taken

    def start_on_start(self, now: datetime | None = None, *, sweep: bool = True) -> None:
        """on_start(), with the copy (if one is due) on a worker thread, so the main window
        need not wait for it.

        Whether a copy is due is decided here and now (cheap), so an empty database
        never starts a thread. wait() joins it; restore() and Workspace.close() do so
        first. A failure is logged and kept in `startup_error` (a missed copy must not
        stop the program).
        """
        now = now or datetime.now()

        def attempt(work) -> None:
            try:
                work()
            except (DomainError, OSError) as e:
                log.warning("start-up backup failed: %s", e)
                self.startup_error = str(e)
            except Exception:  # noqa: BLE001 - logged; a missed copy must not stop the program
                log.exception("start-up backup failed")
                self.startup_error = "启动时的自动备份失败，详情见日志文件。"

        due = []
        attempt(lambda: due.append(self._has_data() and not self.has_backup_on(now.date())))
        if not due or not due[0]:
            if due:
                attempt(lambda: self.on_start(now, sweep=sweep))  # sweeping and pruning only: quick
            return
        self._startup = threading.Thread(target=attempt, args=(lambda: self.on_start(now, sweep=sweep),),
                                         name="startup-backup")
        self._startup.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the start-up copy (if one is being taken) is done."""
        if self._startup is not None:
            self._startup.join(timeout)

    def maybe_daily(self, now: datetime | None = None) -> Path | None:
        """Called now and then while the program is open: a copy if none was taken today."""
        now = now or datetime.now()
        with _busy(self.db.path):
            if not self._has_data() or self.has_backup_on(now.date()):
                return None
            taken = self.snapshot(REASON_DAILY, now)
            self.prune(now.date())
        return taken

    def prune(self, today: date | None = None) -> list[Path]:
        """Delete the copies the rolling rule lets go; returns them."""
        today = today or date.today()
        files = store.backup_files(self.db.path)
        doomed = backup_policy.to_delete([(p, when) for p, when, _ in files], today)
        removed = []
        for p in doomed:
            try:
                p.unlink()
                removed.append(p)
            except OSError as e:  # open elsewhere (Windows); next time
                log.warning("cannot delete old backup %s: %s", p, e)
        if removed:
            log.info("pruned %d old backups", len(removed))
        return removed

    # ------------------------------------------------------------------ looking

    def list(self) -> list[BackupInfo]:
        """Every copy, newest first, with its date, reason, size and counts."""
        return store.list_backups(self.db.path)

    def check(self, path: Path | str) -> DatabaseFacts:
        """Raise BackupError unless `path` is a sound copy this program can restore."""
        path = Path(path)
        if _same(path, self.db.path):
            raise BackupError("所选文件就是当前正在使用的数据库，不能用它恢复。")
        return store.verify_restorable(path)

    # ------------------------------------------------------------------ restoring

    def restore(self, path: Path | str) -> Path:
        """Replace the database with the copy at `path`; returns the copy taken just before.

        Checks the copy first (sound, ours, not from a newer program): if it fails,
        nothing changes and the workspace stays usable. Otherwise the current file is
        copied (reason 恢复前), the database closed and the file replaced. From then
        on this service's Database, and the Workspace holding it, must not be used:
        reopen the workspace, then close the old one.
        """
        path = Path(path)
        self.check(path)
        self.wait()
        # Keep the file ours between close and reopen; no copy may run meanwhile.
        with lock.acquire(self.db.path), _busy(self.db.path):
            before = self.snapshot(REASON_RESTORE)
            self.db.close()
            store.replace_database_file(self.db.path, path)
        log.info("restored %s from %s (previous state in %s)", self.db.path, path, before)
        return before


def check_backup(path: Path | str, db_path: Path | str | None = None) -> DatabaseFacts:
    """Version and counts of a backup copy, or BackupError if it cannot be restored (onto `db_path`)."""
    if db_path is not None and _same(Path(path), Path(db_path)):
        raise BackupError("所选文件就是要恢复的数据库本身，不能用它恢复。")
    return store.verify_restorable(Path(path))


def restore_database(db_path: Path | str, backup: Path | str,
                     now: datetime | None = None) -> Path | None:
    """Restore a database that is not open — also one too damaged to open.

    For the start-up error path and the command line. Checks the copy, refuses to
    overwrite a file that is not this program's, copies the current file first
    (byte for byte if SQLite cannot read it; reason 恢复前), then replaces it.
    Returns the copy of the previous file (None if there was none).
    """
    db_path, backup = Path(db_path), Path(backup)
    if _same(backup, db_path):
        raise BackupError("所选文件就是要恢复的数据库本身，不能用它恢复。")
    store.verify_restorable(backup)
    now = now or datetime.now()
    with lock.acquire(db_path), _busy(db_path):
        state, before = store.preserve_closed_database(
            db_path, store.free_backup_path(db_path, now, REASON_RESTORE),
            store.free_backup_path(db_path, now, REASON_RESTORE_DAMAGED))
        if state == "foreign":
            raise BackupError(f"文件“{db_path}”不是本程序的数据库，不会用备份覆盖它。"
                              "如需恢复到这里，请先将该文件移走或改名。")
        store.replace_database_file(db_path, backup, damaged=state == "damaged")
    log.info("restored %s from %s (previous file in %s)", db_path, backup, before)
    return before


def damaged_database(db_path: Path | str) -> bool:
    """Is the file this program's own database but failing SQLite's check? (Start-up error path.)"""
    try:
        return store.live_file_state(Path(db_path)) == "damaged"
    except BackupError:  # in use elsewhere: not ours to judge now
        return False


def backups_of(db_path: Path | str) -> list[BackupInfo]:
    """The copies of a database that is not open (start-up error path), newest first."""
    return store.list_backups(Path(db_path))


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
