"""操作日志: browse and export the audit log, and name the clerk who signs the changes.

Changes are logged by storage/audit.py as they are written (same transaction); this
service only reads the log. Nothing here, or anywhere in the program, edits it.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from ..domain.audit import AuditEntry, AuditFilter
from ..domain.errors import FieldError, NotFound
from ..storage import audit as audit_repo
from ..storage import audit_query
from ..storage import settings as settings_repo
from ..storage.database import Database

CLERK_MAX = 30
EXPORT_LIMIT = 1_000_000


class AuditService:
    def __init__(self, db: Database):
        self.db = db

    @property
    def enabled(self) -> bool:
        return self.db.auditor is not None

    def entries(self, f: AuditFilter = AuditFilter()) -> list[AuditEntry]:
        with self.db.reading() as conn:
            return audit_query.entries(conn, f)

    def count(self) -> int:
        with self.db.reading() as conn:
            return audit_query.count(conn)

    def tables(self) -> list[tuple[str, str]]:
        """(table, Chinese name) of every table that has logged changes."""
        labels = audit_query.table_labels()
        with self.db.reading() as conn:
            names = audit_query.tables_logged(conn)
        return [(n, labels.get(n, (n, {}))[0]) for n in names]

    def export_xlsx(self, path: str | os.PathLike[str], f: AuditFilter = AuditFilter(), *,
                    filter_text: str = "", today: date | None = None) -> Path:
        target = Path(path)
        if not target.parent.is_dir():
            raise NotFound(f"文件夹“{target.parent}”不存在，请重新选择保存位置")
        from ..exports.xlsx.audit import write_audit_xlsx  # openpyxl only when exporting

        entries = self.entries(AuditFilter(f.since, f.until, f.table, f.text, EXPORT_LIMIT))
        return write_audit_xlsx(target, entries, database=str(self.db.path),
                                filter_text=filter_text, today=today)

    # --- who signs -------------------------------------------------------------------
    def clerk_name(self) -> str:
        with self.db.reading() as conn:
            return settings_repo.get(conn, audit_repo.CLERK_SETTING, "") or ""

    def set_clerk_name(self, name: str) -> None:
        """The name written beside the system user in every later entry ("" : system user only)."""
        name = " ".join((name or "").split())
        if len(name) > CLERK_MAX:
            raise FieldError("操作人姓名", f"不能超过{CLERK_MAX}个字")
        with self.db.transaction() as conn:
            if name:
                settings_repo.put(conn, audit_repo.CLERK_SETTING, name)
            else:
                settings_repo.delete(conn, audit_repo.CLERK_SETTING)

    @staticmethod
    def system_user() -> str:
        return audit_repo.os_user()
