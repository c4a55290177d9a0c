"""Merging an exchange package (上报包) into a database: the decision for each record.

Every record is known by its uuid in every database. Both sides remember, per peer
database, the content hash of each record as they last received it from that peer
(the sync ledger). A package carries the sender's ledger entries about the receiver,
so the receiver knows two "bases": what it last got from the sender, and what the
sender last got from it. A side whose current hash equals a base has not changed the
record since that exchange. Only when both sides changed it is there a conflict.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Decision(str, enum.Enum):
    NEW = "新增"
    CHANGED = "修改"
    SAME = "相同"
    LOCAL_NEWER = "本库较新"
    """The package holds a version this database has already moved past: kept as is."""
    DELETED_HERE = "本库已删除"
    """Removed here after the last exchange; the package did not change it: not re-added."""
    REMOVED = "删除"
    """Removed on the other side and unchanged here since: removed here too."""
    CONFLICT = "冲突"
    BLOCKED = "无法导入"
    """A record it refers to is neither here nor importable."""


# Decisions that leave the database as it is.
UNCHANGED_DECISIONS = (Decision.SAME, Decision.LOCAL_NEWER, Decision.DELETED_HERE)


class Resolution(str, enum.Enum):
    """The clerk's choice for one conflict. Without a choice the conflict is kept local
    and reported again next time."""

    KEEP_LOCAL = "保留本库"
    TAKE_PACKAGE = "以上报包为准"


class ConflictKind(str, enum.Enum):
    BOTH_CHANGED = "双方都已修改"
    DELETED_HERE_CHANGED_THERE = "本库已删除，上报包中已修改"
    CHANGED_HERE_DELETED_THERE = "本库已修改，上报包中已删除"
    SAME_KEY = "关键信息相同但为不同记录"


def decide(local: str | None, incoming: str | None, bases: set[str], known: bool
           ) -> tuple[Decision, ConflictKind | None]:
    """The three-way rule for one record.

    local / incoming: the record's content hash here and in the package (None: absent).
    bases: hashes both sides are known to have agreed on at a former exchange.
    known: the sender and this database have exchanged this record before.
    """
    if incoming is None:  # the package says its owner's set no longer holds the record
        if local is None or not known:
            return Decision.SAME, None  # never exchanged: a local addition, kept
        if local in bases:
            return Decision.REMOVED, None
        return Decision.CONFLICT, ConflictKind.CHANGED_HERE_DELETED_THERE
    if local is None:
        if not known:
            return Decision.NEW, None
        if incoming in bases:
            return Decision.DELETED_HERE, None
        return Decision.CONFLICT, ConflictKind.DELETED_HERE_CHANGED_THERE
    if local == incoming:
        return Decision.SAME, None
    if incoming in bases:
        return Decision.LOCAL_NEWER, None
    if local in bases:
        return Decision.CHANGED, None
    return Decision.CONFLICT, ConflictKind.BOTH_CHANGED


@dataclass(slots=True)
class MergeItem:
    """One record of a package as the preview shows it (records that are the same are
    only counted, not listed)."""

    table: str
    table_label: str
    uuid: str
    title: str
    decision: Decision
    conflict: ConflictKind | None = None
    reason: str = ""
    fields: list[str] = field(default_factory=list)
    """Chinese labels of the fields that differ between here and the package."""
    moved_from: str | None = None
    moved_to: str | None = None
    local_modified: datetime | None = None
    package_modified: datetime | None = None
    resolvable: bool = True
    """False when 以上报包为准 cannot apply (e.g. the same ID number on another record)."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.table, self.uuid)

    @property
    def moved(self) -> bool:
        return self.moved_from is not None

    def describe(self) -> str:
        """One line for the clerk: 条目 and what happens to it."""
        text = f"{self.table_label}“{self.title}”：{self.decision.value}"
        if self.conflict:
            text += f"（{self.conflict.value}）"
        if self.moved:
            text += f"，调动（本库：{self.moved_from} → 上报包：{self.moved_to}）"
        if self.fields:
            text += f"，不同的字段：{'、'.join(self.fields)}"
        if self.reason:
            text += f"。{self.reason}"
        return text


@dataclass
class ExportSummary:
    path: str
    organization: str
    counts: dict[str, int]
    """Chinese table label → records in the package."""
    size: int
    package_id: str

    def describe(self) -> str:
        parts = "，".join(f"{label}{n}条" for label, n in self.counts.items() if n)
        return f"已导出上报包“{self.path}”（{self.organization}，{parts or '无记录'}，{self.size // 1024 + 1} KB）"


@dataclass
class MergeResult:
    counts: dict[Decision, int]
    conflicts_left: int
    applied: int

    def describe(self) -> str:
        c = self.counts
        text = (f"已导入：新增{c.get(Decision.NEW, 0)}条，修改{c.get(Decision.CHANGED, 0)}条，"
                f"删除{c.get(Decision.REMOVED, 0)}条")
        if self.conflicts_left:
            text += f"；{self.conflicts_left}条冲突保留本库的记录，未覆盖"
        if c.get(Decision.BLOCKED):
            text += f"；{c[Decision.BLOCKED]}条无法导入"
        if not self.applied:
            text = "没有需要导入的改动，记录未作修改" + (text[text.index("；"):] if "；" in text else "")
        return text
