"""操作日志: what the clerk sees of one logged change (storage/audit.py writes them)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除", "restore": "从备份恢复"}
BULK_NAMES = 30
"""Names listed in the one-line summary of a bulk insert."""
MAX_SHOWN = 5000
"""Entries listed at most at once (newest first); narrow the filter to see older ones."""


@dataclass(frozen=True)
class AuditFilter:
    since: date | None = None
    """First day shown (local time), inclusive."""
    until: date | None = None
    """Last day shown (local time), inclusive."""
    table: str | None = None
    """SQL table name; None: every table."""
    text: str = ""
    """Found in who, the record or its old/new values."""
    limit: int = MAX_SHOWN


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    """Local time of the change."""
    actor: str
    table: str
    table_label: str
    record_id: str
    record_uuid: str
    action: str
    """insert / update / delete."""
    old: dict = field(default_factory=dict)
    new: dict | list = field(default_factory=dict)
    """A list (of value dicts, each with its uuid) for a bulk insert: one entry for all."""
    note: str = ""
    labels: dict = field(default_factory=dict, compare=False, repr=False)
    """column → Chinese field name, for the texts below."""
    title: str = ""
    """The record's name now, when the logged values do not carry it (a 修改 of other fields)."""

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def _label(self, key: str) -> str:
        return self.labels.get(key, key)

    @property
    def bulk(self) -> bool:
        return isinstance(self.new, list)

    @property
    def record_text(self) -> str:
        """Who or what the record is: its name where the values carry one, else its number."""
        if isinstance(self.new, list):
            return f"{len(self.new)}条记录"
        values = self.new or self.old
        if self.action == "restore":
            return str(values.get("backup", ""))
        name = values.get("name") or self.title
        if self.record_id and not self.record_id.isdigit():  # a setting: its key is its name
            return name or self.record_id
        number = f"编号{self.record_id}" if self.record_id else self.record_uuid[:8]
        return f"{name}（{number}）" if name else number

    def old_text(self) -> str:
        return _values_text(self.old, self._label)

    def new_text(self) -> str:
        if isinstance(self.new, list):
            return "\n".join(_values_text(r, self._label) for r in self.new)
        return _values_text(self.new, self._label)

    def changes_text(self) -> str:
        """修改: 姓名：张三 → 张叁；新增/删除: the fields it held; bulk: the names."""
        if isinstance(self.new, list):
            names = [str(r.get("name") or r.get("uuid", "")[:8]) for r in self.new[:BULK_NAMES]]
            more = f"等{len(self.new)}条" if len(self.new) > BULK_NAMES else ""
            return "批量新增：" + "、".join(names) + more
        if self.action == "update":
            keys = list(dict.fromkeys([*self.old, *self.new]))
            return "；".join(f"{self._label(k)}：{_shown(self.old.get(k))} → {_shown(self.new.get(k))}"
                            for k in keys)
        return self.new_text() if self.action == "insert" else self.old_text()


def _shown(v: object) -> str:
    if v is None or v == "":
        return "（空）"
    if v is True:
        return "是"
    if v is False:
        return "否"
    return str(v)


def _values_text(values: dict, label) -> str:
    return "；".join(f"{label(k)}：{_shown(v)}" for k, v in values.items())
