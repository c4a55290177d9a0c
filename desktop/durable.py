"""Making a written file and its rename survive a power cut: shared by storage/ (backups,
attachments) and exports/ (every exported file), which may not import each other."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def fsync_file(p: Path) -> None:
    with open(p, "rb+") as f:  # Windows' fsync needs a writable handle
        os.fsync(f.fileno())


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable (POSIX only; best effort)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
