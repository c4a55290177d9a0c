"""What a roster import would do, as the preview and the CLI report show it.

Plain data built by services/importing.py: how each sheet's columns were
matched, each row's fate, the problems with their place in the file, and the
branches the file names that do not exist yet.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.member import Member
from ..domain.roster_fields import FIELD_BY_KEY, header_key

# Member attributes an import may set; compared to tell an update that changes nothing.
COMPARED_FIELDS = ("name", "org_id", "group_id", "id_number", "sex", "ethnicity", "birth_date",
                   "education", "category", "joined", "confirmed", "job", "mobile", "phone",
                   "address", "standing", "lost_contact", "lost_contact_date", "is_mobile",
                   "outflow", "remarks", "classification", "party_post")
_LABELS = {"org_id": "所在党支部", "group_id": "所在党小组"}


def field_text(attr: str) -> str:
    """The Chinese name of a member attribute."""
    if attr in _LABELS:
        return _LABELS[attr]
    return FIELD_BY_KEY[attr].label if attr in FIELD_BY_KEY else attr


class RowKind(str, enum.Enum):
    NEW = "新增"
    UPDATE = "更新"
    DUPLICATE = "文件内重复"
    INVALID = "有问题"


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int
    column_label: str
    """The column's header as the file writes it, or the field's name when no column holds it."""
    message: str
    column_letter: str = ""
    field: str = ""
    """The field's national name (公民身份号码…), whatever the file calls the column."""

    @property
    def column_text(self) -> str:
        return f"{self.column_letter}列 {self.column_label}" if self.column_letter else self.column_label

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”第{self.row}行，{self.column_label}：{self.message}"


@dataclass
class ColumnMapping:
    sheet: str
    index: int
    """0-based column index."""
    letter: str
    header: str
    key: str | None
    """The field the column is imported as; None: not imported."""
    detected: str | None
    """What the header alone suggested."""
    note: str = ""

    @property
    def label(self) -> str:
        return FIELD_BY_KEY[self.key].label if self.key else "（不导入）"


@dataclass
class SheetPlan:
    name: str
    header_row: int | None
    columns: list[ColumnMapping] = field(default_factory=list)
    data_rows: int = 0
    branch_id: int | None = None
    """The existing branch the sheet's name names."""
    new_branch: str | None = None
    """The branch the sheet's name names that does not exist yet."""
    note: str = ""
    """Why the sheet is skipped."""
    status_column: ColumnMapping | None = None
    """在册状态, when the file lists members who left."""
    group_mapped: bool = False
    """Whether a column is imported as 所在党小组."""
    _places: dict = field(default_factory=dict, repr=False, compare=False)

    def mapped_keys(self) -> set[str]:
        return {c.key for c in self.columns if c.key}

    def problem(self, row: int, field_label: str, message: str) -> RowProblem:
        """A problem placed at the column holding `field_label` (a field's national name)."""
        place = self._places.get(field_label)
        if place is None:
            key = header_key(field_label)
            col = next((c for c in self.columns if key and c.key == key), None)
            place = self._places[field_label] = (col.header, col.letter) if col else (field_label, "")
        return RowProblem(self.name, row, place[0], message, place[1], field_label)

    def header_of(self, key: str) -> str | None:
        return next((c.header for c in self.columns if c.key == key), None)


@dataclass
class PlannedRow:
    sheet: str
    row: int
    kind: RowKind
    member: Member | None
    """The record as it would be written (for an update: the record on file with the file's values)."""
    problems: list[RowProblem] = field(default_factory=list)
    before: Member | None = None
    """For an update: the record as it stood when the plan was made."""
    changes: tuple[str, ...] = ()
    """For an update: names of the fields it changes (empty: the file says what is on record)."""
    new_branch: str | None = None
    """The branch, not yet existing, this row belongs to."""
    branch_problem: RowProblem | None = None
    """The refusal to give when that branch is not to be created."""
    duplicate_of: tuple[str, int] | None = None

    def signature(self) -> tuple:
        m = self.member
        return tuple(getattr(m, f) for f in COMPARED_FIELDS) + (self.new_branch,)

    def blocking(self, create_branches: bool) -> list[RowProblem]:
        """Why this row cannot land ([] when it can or is a skipped repeat)."""
        if self.kind is RowKind.INVALID:
            return self.problems
        if self.new_branch is not None and not create_branches and self.kind is not RowKind.DUPLICATE:
            return [self.branch_problem]
        return []


@dataclass
class UnknownBranch:
    name: str
    rows: int = 0
    sheets: list[str] = field(default_factory=list)


@dataclass
class ImportCounts:
    new: int = 0
    update: int = 0
    unchanged: int = 0
    """Of the updates, those that change nothing."""
    duplicate: int = 0
    invalid: int = 0


@dataclass
class ImportPlan:
    path: Path
    org_id: int | None
    org_name: str = ""
    new_branch_parent_id: int | None = None
    new_branch_parent_name: str = ""
    mapping_overrides: dict = field(default_factory=dict)
    sheets: list[SheetPlan] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    unknown_branches: list[UnknownBranch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def counts(self, create_branches: bool = False) -> ImportCounts:
        c = ImportCounts()
        for r in self.rows:
            if r.kind is RowKind.DUPLICATE:
                c.duplicate += 1
            elif r.blocking(create_branches):
                c.invalid += 1
            elif r.kind is RowKind.NEW:
                c.new += 1
            else:
                c.update += 1
                c.unchanged += not r.changes
        return c

    def problems(self, create_branches: bool = False) -> list[RowProblem]:
        """Every reason a row is refused, in file order."""
        return [p for r in self.rows for p in r.blocking(create_branches)]

    def problem_rows(self, create_branches: bool = False) -> list[PlannedRow]:
        return [r for r in self.rows if r.blocking(create_branches)]

    def duplicates(self) -> list[RowProblem]:
        """Exact repeats of an earlier row: skipped, not refused."""
        out = []
        for r in self.rows:
            if r.kind is RowKind.DUPLICATE:
                sheet, row = r.duplicate_of
                where = f"第{row}行" if sheet == r.sheet else f"工作表“{sheet}”第{row}行"
                out.append(RowProblem(r.sheet, r.row, "", f"与{where}完全相同，将只导入一次"))
        return out

    def landing_rows(self, create_branches: bool = False) -> list[PlannedRow]:
        """The rows an import writes (new and updated members), problems left out."""
        return [r for r in self.rows if r.kind in (RowKind.NEW, RowKind.UPDATE)
                and not r.blocking(create_branches)]

    def report_lines(self, create_branches: bool = False) -> list[str]:
        """The preview as text (the CLI prints it)."""
        target = f"（导入到：{self.org_name}）" if self.org_name else ""
        lines = [f"文件：{self.path}{target}"]
        for s in self.sheets:
            if s.header_row is None or s.note:
                lines.append(f"工作表“{s.name}”：{s.note}")
                continue
            lines.append(f"工作表“{s.name}”：表头在第{s.header_row}行，数据{s.data_rows}行")
            cols = "；".join(f"{c.letter} {c.header}→{c.label}" + (f"（{c.note}）" if c.note else "")
                            for c in s.columns)
            lines.append(f"  列对应：{cols}")
        lines.extend(f"注意：{w}" for w in self.warnings)
        c = self.counts(create_branches)
        unchanged = f"（其中{c.unchanged}人无变化）" if c.unchanged else ""
        lines.append(f"新增{c.new}人，更新{c.update}人{unchanged}，文件内重复{c.duplicate}行，有问题{c.invalid}行")
        if self.unknown_branches:
            names = "、".join(f"{u.name}（{u.rows}行）" for u in self.unknown_branches)
            verb = f"将在“{self.new_branch_parent_name}”下新建" if create_branches else "尚未建立"
            lines.append(f"文件中出现、{verb}的党支部：{names}")
        problems = self.problems(create_branches)
        if problems:
            lines.append(f"有问题的行（{len(problems)}处）：")
            lines.extend(f"  {p}" for p in problems)
        dups = self.duplicates()
        if dups:
            lines.append(f"文件内重复的行（{len(dups)}行，将跳过）：")
            lines.extend(f"  工作表“{d.sheet}”第{d.row}行：{d.message}" for d in dups)
        return lines


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    refused: list[RowProblem] = field(default_factory=list)
    branches_created: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"新增{self.created}人", f"更新{self.updated}人"]
        if self.unchanged:
            parts.append(f"{self.unchanged}人无变化")
        if self.duplicates:
            parts.append(f"跳过文件内重复{self.duplicates}行")
        if self.refused:
            parts.append(f"跳过有问题的{len({(p.sheet, p.row) for p in self.refused})}行")
        if self.branches_created:
            parts.append(f"新建党支部{len(self.branches_created)}个（{'、'.join(self.branches_created)}）")
        return "已导入：" + "，".join(parts)
