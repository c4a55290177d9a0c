"""What an exported 党员花名册 holds, before any file format is chosen.

The services gather a :class:`RosterDocument` from the database; the .xlsx and
PDF writers in exports/ turn it into a file. Rows are plain tuples in the order
of :data:`RECORD_FIELDS` (the roster columns of roster_fields.py without 序号,
which each writer numbers itself), so 10,000 members cost 10,000 tuples, not
10,000 objects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .member import Status
from .roster_fields import ALL_FIELDS, RosterField

RECORD_FIELDS: tuple[RosterField, ...] = tuple(f for f in ALL_FIELDS if f.key != "seq")
"""The fields of one exported row, in column order after 序号."""
RECORD_KEYS: tuple[str, ...] = tuple(f.key for f in RECORD_FIELDS)
RECORD_INDEX: dict[str, int] = {k: i for i, k in enumerate(RECORD_KEYS)}

LEFT_FIELDS: tuple[RosterField, ...] = (
    RosterField("status", "在册状态", (), "choice", 8),
    RosterField("left_date", "离开日期", (), "date", 11),
)
"""Appended after the national and extra columns only when members who left are included."""

LEFT_NOTE = "含已离开（转出、停止党籍、出党、去世）的党员"
ROSTER_TITLE_SUFFIX = "党员花名册"

_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\r\n\t]+')


@dataclass(frozen=True)
class RosterSection:
    """The members of one branch (or of a community that holds members itself)."""

    org_id: int | None
    name: str
    rows: list[tuple] = field(default_factory=list)
    """Tuples in RECORD_KEYS order (+ status, left_date when members who left are included)."""


@dataclass(frozen=True)
class RosterDocument:
    org_name: str
    """The organisation the clerk exported (its whole subtree)."""
    exported_on: date
    sections: tuple[RosterSection, ...]
    include_left: bool = False
    masked: bool = False

    @property
    def title(self) -> str:
        return roster_title(self.org_name)

    @property
    def member_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    def count_text(self, sections: tuple[RosterSection, ...] | None = None) -> str:
        """在册党员：171人; with members who left listed, 共180人（其中已离开9人）."""
        sections = self.sections if sections is None else sections
        total = sum(len(s.rows) for s in sections)
        if not self.include_left:
            return f"在册党员：{total}人"
        at = len(RECORD_KEYS)  # status follows the record
        left = sum(1 for s in sections for r in s.rows if r[at] != Status.ACTIVE.value)
        return f"共{total}人（其中已离开{left}人）" if left else f"共{total}人"

    @property
    def fields(self) -> tuple[RosterField, ...]:
        """Every column in order, 序号 first."""
        return ALL_FIELDS + (LEFT_FIELDS if self.include_left else ())

    @property
    def headers(self) -> list[str]:
        return [f.label for f in self.fields]


def roster_title(org_name: str) -> str:
    """幸福社区党委 → 幸福社区党委党员花名册."""
    return f"{org_name}{ROSTER_TITLE_SUFFIX}" if org_name else ROSTER_TITLE_SUFFIX


def default_file_name(org_name: str, day: date, suffix: str) -> str:
    """幸福社区党委党员花名册-20261122.xlsx, safe on Windows and Linux."""
    base = _FILENAME_FORBIDDEN.sub("_", roster_title(org_name)).strip(" .") or ROSTER_TITLE_SUFFIX
    return f"{base}-{day:%Y%m%d}{suffix}"
