"""One open database with the services over it: what the GUI and the CLI both hold."""
from __future__ import annotations

import functools
import threading
from pathlib import Path

from ..domain.errors import DomainError
from ..storage import lock as db_lock
from ..storage import migrations
from ..storage.database import Database, integrity_problem, open_database
from .backup import BackupService
from .organizations import OrganizationService
from .roster import RosterService
from .security import SecurityService


class IntegrityCheck:
    """SQLite's quick_check of the open file on a worker thread: start-up shows the window
    first and then starts it (`start()`, from the window's first timer tick), so the check's
    read of every page does not compete with the first screen's queries. `done` turns True
    once finished; `problem` then says what is wrong, if anything (the GUI polls both; no Qt
    object is involved)."""

    def __init__(self, path: Path):
        self.done = False
        self.problem: str | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="integrity-check")

    @property
    def started(self) -> bool:
        return self._thread.ident is not None

    def start(self) -> None:
        if not self.started:
            self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            self.problem = integrity_problem(path)
        except Exception as e:  # noqa: BLE001 - reported, never raised on a worker thread
            self.problem = f"无法检查数据库文件：{e}"
        finally:
            self.done = True

    def wait(self, timeout_s: float | None = None) -> None:
        if self.started:
            self._thread.join(timeout_s)


class Workspace:
    def __init__(self, db: Database, lock: db_lock.DatabaseLock | None = None):
        self.db = db
        self.orgs = OrganizationService(db)
        self.roster = RosterService(db)
        self.backups = BackupService(db)
        self.security = SecurityService(db)
        self._lock = lock
        self.read_only = False  # opened beside another program that holds the lock
        self.integrity: IntegrityCheck | None = None  # set when the check runs beside start-up

    # The services of the other tabs load on first use: start-up shows the roster only.
    @functools.cached_property
    def meetings(self):
        from .meetings import MeetingService

        return MeetingService(self.db)

    @functools.cached_property
    def registrations(self):
        from .registrations import RegistrationService

        return RegistrationService(self.db)

    @functools.cached_property
    def duty(self):
        from .duty_reports import DutyReportService

        return DutyReportService(self.db)

    @functools.cached_property
    def audit(self):
        from .audit import AuditService

        return AuditService(self.db)

    @functools.cached_property
    def home(self):
        from .home import HomeService

        return HomeService(self)

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def startup_backup_error(self) -> str | None:
        """Why the start-up copy failed (None if it did not, or is still being taken)."""
        return self.backups.startup_error

    def close(self) -> None:
        """Close the database and let go of its lock (safe to call twice)."""
        self.backups.wait()  # a start-up copy still being taken finishes first
        if self.integrity is not None:
            self.integrity.wait()
        self.db.close()
        if self._lock is not None:
            self._lock.release()


def open_workspace(path: Path | str, *, create: bool = True, lock: bool = True,
                   backup: bool = True, read_only: bool = False,
                   check_later: bool = False) -> Workspace:
    """Open or create the database at `path` (raises DatabaseOpenError with a Chinese reason).

    With `lock`, the file is held for this process (DatabaseInUse names whoever else
    holds it); with `backup`, a start-up copy is taken (at most one a day) and old
    copies pruned, on a worker thread so that start-up does not wait for it (close()
    does) — a failure there is logged and kept in `startup_backup_error`.

    `check_later` leaves SQLite's integrity check to a worker thread (`ws.integrity`, which
    the caller starts) instead of running it before opening, unless the file needs an
    upgrade (start-up: the window shows first).

    `read_only` is the caller's promise to only read (an export, a backup copy): if
    another program holds the file (or its folder cannot be written), it is opened
    without the lock, never created, upgraded or backed up — SQLite lets readers run
    beside one writer.
    """
    path = Path(path)
    held = None
    if lock and (create or path.exists()):
        try:
            held = db_lock.acquire(path)
        except (db_lock.DatabaseInUse, db_lock.LockFileError) as refused:
            if not read_only:
                raise
            return _open_without_lock(path, refused)
    try:
        ws = Workspace(open_database(path, create=create, check=not check_later), held)
    except BaseException:
        if held is not None:
            held.release()
        raise
    if check_later:
        ws.integrity = IntegrityCheck(ws.path)
    if backup:
        ws.backups.start_on_start(sweep=held is not None)
    return ws


def _open_without_lock(path: Path, refused: DomainError) -> Workspace:
    """Read a database another program holds (or in a folder we cannot write), without
    changing it — or, if it would need an upgrade first, give the reason it is not ours."""
    db = open_database(path, create=False, migrate=False)
    if db.schema_version() < migrations.latest_version():  # e.g. the holder runs an older program
        db.close()
        raise refused
    ws = Workspace(db)
    ws.read_only = True
    return ws
