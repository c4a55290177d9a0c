"""Numbered schema steps. Each module `mNNNN_name.py` has VERSION and upgrade(conn).

Steps are frozen once released: they describe the schema as it was at that version,
never import tables.py, and run inside the one exclusive transaction that
database.migrate() opens after taking a backup copy.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def steps() -> list[ModuleType]:
    mods = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            mods.append(importlib.import_module(f"{__name__}.{info.name}"))
    mods.sort(key=lambda m: m.VERSION)
    versions = [m.VERSION for m in mods]
    if versions != list(range(1, len(mods) + 1)):
        raise RuntimeError(f"migration versions must be 1..N without gaps: {versions}")
    return mods


def latest_version() -> int:
    return len(steps())
