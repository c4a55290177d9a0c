"""Paths and settings that are not Qt's: where the database, backups and logs live."""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "dangjian"
APP_AUTHOR = "dangjian"
APP_TITLE = "街道党建工作台"
DB_FILENAME = "dangjian.sqlite3"
ENV_DB = "DANGJIAN_DB"
ENV_DATA_DIR = "DANGJIAN_DATA_DIR"


def resources_dir() -> Path:
    """resources/ beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's data directory; DANGJIAN_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    """The database the GUI and CLI open unless told otherwise."""
    override = os.environ.get(ENV_DB)
    if override:
        return Path(override)
    return data_dir() / DB_FILENAME


def log_dir() -> Path:
    return data_dir() / "logs"
