"""Write a file under a temporary name and rename it into place.

Every export goes through :func:`atomic_write`, so a failed or cancelled export
never leaves a half-written file behind and never damages the file it was
meant to replace::

    with atomic_write(target, suffix=".pdf") as tmp:
        write_the_pdf(tmp)          # may raise Cancelled or anything else
    # here target is complete; on an exception it is exactly as before
"""
from __future__ import annotations

import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..durable import fsync_dir, fsync_file

_TEMP_NAME = re.compile(r"^\.~.+\.tmp-[0-9a-f]{8}(\.[A-Za-z0-9]{1,6})?$")
STALE_AFTER_SECONDS = 24 * 3600
_REPLACE_RETRIES = 5  # Windows: a virus scanner or indexer may hold the new file briefly


@contextmanager
def atomic_write(path: str | os.PathLike[str], *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a fresh temporary path beside `path`; on success move it onto `path`.

    The temporary file is created empty (so nobody else takes the name) in the
    same directory as the target, named like ``.~名册.pdf.tmp-1a2b3c4d`` plus
    `suffix` if given (some writers insist on an extension). The writer may
    overwrite or reopen it. On normal exit the file is flushed to disk
    (fsync) and atomically renamed onto `path` with :func:`os.replace`. On any
    exception, including :class:`~desktop.domain.tasks.Cancelled` and
    KeyboardInterrupt, the temporary file is deleted, `path` is left as it was,
    and the exception propagates.

    Temporary files of ours older than a day in that directory (left by an export
    that was killed) are deleted first.

    The directory must exist. If the target is open in another program on
    Windows (WPS, Acrobat), the final rename raises PermissionError after a
    few retries; the target is then untouched and the temporary file removed.
    """
    target = Path(path)
    sweep_stale_temporaries(target.parent)
    tmp = _create_temp(target, suffix or "")
    try:
        yield tmp
        fsync_file(tmp)
        _replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # still open on Windows: nothing more we can do
            pass
        raise
    fsync_dir(target.parent)


def sweep_stale_temporaries(folder: Path, *, older_than: float = STALE_AFTER_SECONDS,
                            now: float | None = None) -> list[Path]:
    """Delete our temporary files (``.~<name>.tmp-<8 hex>…``) left in `folder` by an export
    that was killed, once they are older than a day (a running export's file is young)."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for e in entries:
        if not _TEMP_NAME.match(e.name):
            continue
        try:
            if e.is_file(follow_symlinks=False) and now - e.stat().st_mtime > older_than:
                os.unlink(e.path)
                removed.append(Path(e.path))
        except OSError:  # in use, gone meanwhile, no permission: leave it
            continue
    return removed


def _create_temp(target: Path, suffix: str) -> Path:
    # os.open with mode 0o666 lets the process umask decide the permissions,
    # as for any ordinary file (tempfile.mkstemp would force 0600).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.with_name(f".~{target.name}.tmp-{secrets.token_hex(4)}{suffix}")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"无法在 {target.parent} 中创建临时文件")


def _replace(tmp: Path, target: Path) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == _REPLACE_RETRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
