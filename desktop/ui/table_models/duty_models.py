"""Small table models of the 述职评议 page and its dialogs (tens of rows each)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...domain.duty_report import (AppraisalTemplate, AudienceTally, FixItem, RoundStatus, RoundSummary,
                                   cell_problem)
from ...domain.duty_report_results import SecretaryResult, percent_text, score_text
from .list_model import DISPLAY, EDIT, Index, ListModel

ALIGN, FG, TIP = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole
CENTER = int(Qt.AlignmentFlag.AlignCenter)
RED = "#b02a1f"


@dataclass
class FieldColumn:
    header: str
    attr: str
    kind: str = "text"  # text | number
    editable: bool = True


class FieldTableModel(ListModel):
    """Rows are objects; each column reads and writes one attribute (small edited lists)."""

    def __init__(self, columns: list[FieldColumn], rows: list | None = None, parent=None,
                 make_row: Callable[[], Any] | None = None):
        super().__init__(rows, parent)
        self.columns = columns
        self.headers = [c.header for c in columns]
        self.make_row = make_row

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        value = getattr(self.rows[index.row()], col.attr)
        if role in (DISPLAY, EDIT):
            if col.kind == "number":
                return value if role == EDIT else f"{value:g}"
            return value
        if role == ALIGN and col.kind == "number":
            return CENTER
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if not index.isValid() or role != EDIT:
            return False
        col = self.columns[index.column()]
        if col.kind == "number":
            try:
                value = float(value)
            except (TypeError, ValueError):
                return False
        else:
            value = str(value or "").strip()
        setattr(self.rows[index.row()], col.attr, value)
        self.dataChanged.emit(index, index)
        return True

    def add_row(self, row: Any = None) -> int:
        row = row if row is not None else self.make_row()
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(row)
        self.endInsertRows()
        return n

    def remove_row(self, i: int) -> None:
        if 0 <= i < len(self.rows):
            self.beginRemoveRows(QModelIndex(), i, i)
            del self.rows[i]
            self.endRemoveRows()


class RoundListModel(ListModel):
    headers = ["编号", "年度", "名称", "状态", "述职人"]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        r: RoundSummary = self.rows[index.row()]
        c = index.column()
        if role == DISPLAY:
            return [r.id, f"{r.year}年", r.title, r.status.value, f"{r.reporters}人"][c]
        if role == ALIGN and c != 2:
            return CENTER
        if role == FG and c == 3 and r.status is RoundStatus.OPEN:
            return QBrush(QColor("#1e7b34"))
        return None


class TallyModel(ListModel):
    """Items × ratings of one secretary and audience; a cell refuses a count that would
    make the item's total exceed the ballots returned (the domain's cell rule)."""

    def __init__(self, parent=None, on_refused: Callable[[str], None] | None = None):
        super().__init__([], parent)
        self.template: AppraisalTemplate | None = None
        self.tally: AudienceTally | None = None
        self.place = ""
        self.on_refused = on_refused
        self.read_only = False

    def load(self, template: AppraisalTemplate, tally: AudienceTally, place: str, read_only: bool = False) -> None:
        self.beginResetModel()
        self.template, self.tally, self.place, self.read_only = template, tally, place, read_only
        self.rows = template.items
        self.headers = ["类别", "测评项目"] + template.rating_labels + ["合计"]
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.template = self.tally = None
        self.rows, self.headers = [], []
        self.endResetModel()

    def _rating(self, column: int) -> str | None:
        labels = self.template.rating_labels if self.template else []
        k = column - 2
        return labels[k] if 0 <= k < len(labels) else None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or self.tally is None:
            return None
        group, item = self.rows[index.row()]
        c = index.column()
        rating = self._rating(c)
        if role in (DISPLAY, EDIT):
            if c == 0:
                return group
            if c == 1:
                return item
            if rating is not None:
                return self.tally.count(item, rating)
            return self.tally.item_total(item)
        if role == ALIGN and c >= 2:
            return CENTER
        if role == FG and c == len(self.headers) - 1 and self.tally.item_total(item) < self.tally.returned:
            return QBrush(QColor("#8a5a00"))  # some raters left this item blank
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if index.isValid() and not self.read_only and self._rating(index.column()) is not None:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def set_count(self, row: int, rating: str, value: int) -> str | None:
        """Set one count; returns why it was refused (None when accepted)."""
        _group, item = self.rows[row]
        trial = dict(self.tally.counts.get(item, {}))
        trial[rating] = value
        problem = cell_problem(trial, self.tally.returned)
        if problem:
            return f"{self.place}·“{item}”：{problem}"
        self.tally.counts[item] = trial
        self.dataChanged.emit(self.index(row, 2), self.index(row, len(self.headers) - 1))
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        rating = self._rating(index.column()) if index.isValid() else None
        if role != EDIT or rating is None or self.tally is None or self.read_only:
            return False
        try:
            n = int(str(value).strip() or 0)
        except ValueError:
            if self.on_refused:
                self.on_refused(f"{self.place}：票数应为整数")
            return False
        why = self.set_count(index.row(), rating, n)
        if why:
            if self.on_refused:
                self.on_refused(why)
            return False
        return True


class ResultModel(ListModel):
    """One row per secretary: participation and score per audience, weighted score, grade, rank."""

    def __init__(self, parent=None):
        super().__init__([], parent)
        self.audiences: list[str] = []

    def load(self, results: list[SecretaryResult], audiences: list[str]) -> None:
        self.beginResetModel()
        self.audiences = audiences
        self.headers = ["姓名", "组织及职务"]
        for a in audiences:
            self.headers += [f"{a}参评", f"{a}得分"]
        self.headers += ["加权得分", "等次", "排名"]
        self.rows = list(results)
        self.endResetModel()

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        s: SecretaryResult = self.rows[index.row()]
        c = index.column()
        if role == DISPLAY:
            values: list = [s.reporter.name, f"{s.reporter.org_name}{s.reporter.post}"]
            for a in s.audiences:
                part = percent_text(a.participation)
                values += [f"{a.returned}/{a.entitled}" + (f" {part}" if part else ""), score_text(a.score)]
            values += [score_text(s.score), s.grade, s.rank or ""]
            return values[c]
        if role == ALIGN and c >= 2:
            return CENTER
        return None


class FixModel(ListModel):
    headers = ["述职人", "组织", "存在问题", "整改措施", "完成时限", "提出年度", "状态"]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        f: FixItem = self.rows[index.row()]
        c = index.column()
        if role == DISPLAY:
            return [f.name, f.org_name, f.problem, f.measure, f.due.isoformat() if f.due else "",
                    f"{f.round_year}年" if f.round_year else "", f.state_text][c]
        if role == TIP and c in (2, 3):
            return [f.problem, f.measure][c - 2]
        if role == FG and c == 6 and f.open:
            return QBrush(QColor(RED))
        if role == ALIGN and c in (4, 5, 6):
            return CENTER
        return None
