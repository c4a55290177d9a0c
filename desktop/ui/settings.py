"""QSettings in one place: window geometry, column layouts, last folders."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from .. import config


def settings() -> QSettings:
    """Per-user settings, kept under the data directory so tests stay isolated."""
    path = config.data_dir() / "settings.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)
