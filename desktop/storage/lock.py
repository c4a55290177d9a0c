"""One program at a time per database file.

Beside ``dangjian.sqlite3`` lies ``dangjian.sqlite3.lock`` while a program has the
database open. It holds who: ``{"host", "user", "pid", "started"}``, so a second
program (on this computer or another one sharing the folder) can say who to ask.

Two guards, because each alone has holes:

- the file itself, created with O_CREAT|O_EXCL: visible across computers on a
  shared folder;
- an OS lock on it (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on a byte far
  past the text on Windows), held while the program runs and dropped by the
  system when the process dies, so two processes on one computer cannot both win
  a race, and a lock left by a crash is recognised as stale (on this computer:
  nobody holds the OS lock → take it over).

A lock written by another computer is never broken automatically: the message
names the holder and the lock file.

Plain standard library on purpose (no SQLAlchemy): cheap to import, and usable
before anything else is opened.

Within one process the lock is re-entrant (counted): opening the same file twice,
as tests and the restore-then-reopen sequence do, works; the file is released
when the last holder lets go, and at exit.
"""
from __future__ import annotations

import atexit
import getpass
import json
import logging
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain.errors import DomainError

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
_RECORD_SIZE = 1024  # the holder record is padded to this size (no truncation on Windows)
_READ_LIMIT = 4096
_WIN_LOCK_OFFSET = 1 << 20  # the byte Windows locks: far past the record, so others can read it
_UNREADABLE_GRACE_S = 10.0  # an empty lock file younger than this may be a racing creator


@dataclass(frozen=True)
class Holder:
    """Who holds a database: computer, user, process id, and since when (ISO, local time)."""

    host: str
    user: str
    pid: int
    started: str

    @property
    def started_text(self) -> str:
        try:
            return datetime.fromisoformat(self.started).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.started or "未知时间"

    def on_this_host(self) -> bool:
        return self.host.casefold() == _hostname().casefold()


class DatabaseInUse(DomainError):
    """Another program has the database open; the message names who. Nothing was changed."""

    def __init__(self, holder: Holder | None, lock_path: Path):
        self.holder = holder
        self.lock_path = lock_path
        super().__init__(self._message())

    def _message(self) -> str:
        h = self.holder
        if h is None:
            return ("数据库正被另一个程序使用（无法读取使用者信息）。同一个数据库文件同时只能由一个程序打开，"
                    "以免数据互相覆盖。请稍后再试；如果确定没有程序在使用它，"
                    f"可删除锁文件“{self.lock_path}”后重试。")
        head = (f"数据库正被 {h.user} 在计算机 {h.host} 上使用（自 {h.started_text} 起）。"
                "同一个数据库文件同时只能由一个程序打开，以免数据互相覆盖。")
        if h.on_this_host():
            return head + f"请切换到已经打开的窗口（进程号 {h.pid}），或先关闭它再试。"
        return (head + "请等对方关闭程序后再试。如果确定那台计算机上的程序已经关闭"
                f"（例如已关机或程序异常退出），可删除锁文件“{self.lock_path}”后重试。")


class LockFileError(DomainError):
    """The lock file cannot be written (a read-only folder, no permission). Nothing was changed."""

    def __init__(self, lock_path: Path, error: OSError):
        self.lock_path = lock_path
        super().__init__(f"无法在“{lock_path.parent}”中建立锁文件（{error.strerror or error}）。"
                         "程序需要在数据库所在的文件夹中写入文件，请确认该文件夹存在且可以写入。")


def lock_path_for(db_path: Path | str) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + LOCK_SUFFIX)


# --------------------------------------------------------------------------- OS locks

if sys.platform == "win32":  # pragma: no cover - exercised on Windows CI only
    import msvcrt

    def _os_lock(fd: int) -> bool | None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _os_unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        fcntl = None  # type: ignore[assignment]

    def _os_lock(fd: int) -> bool | None:
        """True: ours; False: another process holds it; None: the file system has no locks."""
        if fcntl is None:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as e:  # ENOLCK and friends: a file system without locks
            log.warning("no OS lock on this file system: %s", e)
            return None
        return True

    def _os_unlock(fd: int) -> None:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            except OSError:
                pass


def _hostname() -> str:
    return socket.gethostname() or "未知计算机"


def _username() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, containers)
        return "未知用户"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - os.kill(pid, 0) would terminate it there
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _me() -> Holder:
    return Holder(_hostname(), _username(), os.getpid(), datetime.now().isoformat(timespec="seconds"))


def _read_holder(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, _READ_LIMIT).decode("utf-8", "replace").strip()
        obj, _ = json.JSONDecoder().raw_decode(data)
        return Holder(str(obj["host"]), str(obj["user"]), int(obj["pid"]), str(obj["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_holder(fd: int, me: Holder) -> None:
    text = json.dumps({"host": me.host, "user": me.user, "pid": me.pid, "started": me.started},
                      ensure_ascii=False)
    data = text.encode("utf-8")
    data += b" " * max(0, _RECORD_SIZE - len(data) - 1) + b"\n"
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    if sys.platform != "win32":
        os.ftruncate(fd, len(data))
    os.fsync(fd)


def _same_file(fd: int, path: Path) -> bool:
    """Is `fd` still the file at `path` (not one released and deleted meanwhile)?"""
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _is_stale(holder: Holder | None, os_locked: bool | None, fd: int) -> bool:
    """May we take over a lock file whose OS lock we now hold (True) or cannot have (None)?"""
    if holder is None:
        if os_locked:  # its writer died before writing, or lost the race to us
            return True
        try:
            age = time.time() - os.fstat(fd).st_mtime
        except OSError:
            return False
        return age > _UNREADABLE_GRACE_S
    if not holder.on_this_host():
        return False  # a program on another computer: never guessed dead
    if os_locked:
        return True  # on this computer a live holder would hold the OS lock
    return holder.pid != os.getpid() and not _pid_alive(holder.pid)


def _take(lock_path: Path) -> int:
    """Create or take over the lock file; return its descriptor, holding the OS lock."""
    flags = os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LockFileError(lock_path, e) from e
    for _ in range(20):
        try:
            fd = os.open(lock_path, flags | os.O_CREAT | os.O_EXCL, 0o644)
            created = True
        except FileExistsError:
            try:
                fd = os.open(lock_path, flags)
            except FileNotFoundError:  # released just now
                continue
            except OSError as e:
                raise LockFileError(lock_path, e) from e
            created = False
        except OSError as e:
            raise LockFileError(lock_path, e) from e
        try:
            got = _os_lock(fd)
            if got is False:
                raise DatabaseInUse(_read_holder(fd), lock_path)
            if not _same_file(fd, lock_path):  # released and deleted while we opened it
                os.close(fd)
                continue
            if not created:
                holder = _read_holder(fd)
                if not _is_stale(holder, got, fd):
                    raise DatabaseInUse(holder, lock_path)
                log.warning("taking over a stale lock %s left by %s", lock_path, holder)
            _write_holder(fd, _me())
            return fd
        except BaseException:
            os.close(fd)
            raise
    raise DatabaseInUse(None, lock_path)


# --------------------------------------------------------------------------- per-process registry


@dataclass
class _Entry:
    lock_path: Path
    fd: int
    count: int
    pid: int


_held: dict[str, _Entry] = {}
_mutex = threading.Lock()


def _key(db_path: Path) -> str:
    return os.path.normcase(os.path.realpath(db_path))


class DatabaseLock:
    """One hold on a database's lock; release() (or leaving the with-block) lets go once."""

    def __init__(self, db_path: Path, key: str, lock_path: Path):
        self.db_path = db_path
        self.lock_path = lock_path
        self._key = key
        self._released = False

    def release(self) -> None:
        with _mutex:
            if self._released:
                return
            self._released = True
            entry = _held.get(self._key)
            if entry is None:
                return
            entry.count -= 1
            if entry.count <= 0:
                del _held[self._key]
                _let_go(entry)

    @property
    def released(self) -> bool:
        return self._released

    def __enter__(self) -> "DatabaseLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _let_go(entry: _Entry) -> None:
    if entry.pid != os.getpid():  # a forked child must not delete its parent's lock
        return
    if sys.platform == "win32":  # pragma: no cover - an open file cannot be deleted there
        _os_unlock(entry.fd)
        os.close(entry.fd)
        try:
            entry.lock_path.unlink(missing_ok=True)
        except OSError:  # someone is reading it right now; they will find it stale
            pass
        return
    # POSIX: delete while still holding the OS lock, so nobody takes over a file about to vanish.
    try:
        if _same_file(entry.fd, entry.lock_path):
            entry.lock_path.unlink(missing_ok=True)
    except OSError:
        pass
    _os_unlock(entry.fd)
    os.close(entry.fd)


def acquire(db_path: Path | str) -> DatabaseLock:
    """Hold the database at `db_path` for this process, or raise DatabaseInUse naming the holder."""
    db_path = Path(db_path)
    key = _key(db_path)
    with _mutex:
        entry = _held.get(key)
        if entry is None or entry.pid != os.getpid():
            lock_path = lock_path_for(db_path)
            entry = _Entry(lock_path, _take(lock_path), 0, os.getpid())
            _held[key] = entry
        entry.count += 1
        return DatabaseLock(db_path, key, entry.lock_path)


def holder_of(db_path: Path | str) -> Holder | None:
    """Who the lock file names (None when there is none or it is unreadable). For messages."""
    try:
        fd = os.open(lock_path_for(db_path), os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        return _read_holder(fd)
    finally:
        os.close(fd)


def is_held_here(db_path: Path | str) -> bool:
    with _mutex:
        e = _held.get(_key(Path(db_path)))
        return e is not None and e.pid == os.getpid()


@atexit.register
def _release_all() -> None:
    with _mutex:
        entries = list(_held.values())
        _held.clear()
    for e in entries:
        try:
            _let_go(e)
        except OSError:
            pass
