"""One open database with the services over it: what the GUI and the CLI both hold."""
from __future__ import annotations

from pathlib import Path

from ..storage.database import Database, open_database
from .organizations import OrganizationService
from .roster import RosterService


class Workspace:
    def __init__(self, db: Database):
        self.db = db
        self.orgs = OrganizationService(db)
        self.roster = RosterService(db)

    @property
    def path(self) -> Path:
        return self.db.path

    def close(self) -> None:
        self.db.close()


def open_workspace(path: Path | str, *, create: bool = True) -> Workspace:
    """Open or create the database at `path` (raises DatabaseOpenError with a Chinese reason)."""
    return Workspace(open_database(path, create=create))
