"""Small table models of the meeting dialog and the meetings page (tens of rows each).

They hold domain objects (Attendee, Resolution, UnitDelegate, CalendarRow …) and
edit them in place; the dialog reads them back when it saves.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from ...domain.meeting import AbsenceReason, Attendee, Resolution, UnitDelegate
from ...domain.meeting_calendar import CalendarRow, CellState, ComplianceRow, MeetingSummary
from ...domain.meeting_ledger import MemberAttendance, rate_text

from .list_model import CHECK, DISPLAY, EDIT, Index, ListModel
ALIGN, FG, BG = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole
CENTER = int(Qt.AlignmentFlag.AlignCenter)
NO_REASON = "（请选择）"
REASONS = [r.value for r in AbsenceReason]

STATE_COLORS = {
    CellState.HELD: ("#1e7b34", "#e3f4e6"),
    CellState.MISSING: ("#b02a1f", "#fbe3e0"),
    CellState.PLANNED: ("#1f4fa0", "#e2ebfa"),
    CellState.DUE: ("#8a5a00", "#fff4d6"),
    CellState.FUTURE: ("#888888", "#f6f6f6"),
    CellState.NOT_REQUIRED: ("#aaaaaa", "#ffffff"),
}


class AttendanceModel(ListModel):
    """应到 as rows: tick 出席, choose a reason for each absentee."""

    headers = ["姓名", "人员类别", "职务", "出席", "缺席原因", "说明"]
    NAME, CATEGORY, ROLE, PRESENT, REASON, NOTE = range(6)

    def __init__(self, rows: list[Attendee] | None = None, parent=None, on_change: Callable[[], None] | None = None):
        super().__init__(rows, parent)
        self.on_change = on_change

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        a: Attendee = self.rows[index.row()]
        c = index.column()
        if role == CHECK and c == self.PRESENT:
            return Qt.CheckState.Checked if a.present else Qt.CheckState.Unchecked
        if role in (DISPLAY, EDIT):
            if c == self.NAME:
                return a.name
            if c == self.CATEGORY:
                return a.category.value
            if c == self.ROLE:
                return a.role
            if c == self.PRESENT:
                return None if role == DISPLAY else a.present
            if c == self.REASON:
                if a.present:
                    return ""
                return a.reason.value if a.reason else (NO_REASON if role == DISPLAY else "")
            if c == self.NOTE:
                return "" if a.present else a.note
        if role == FG and c == self.REASON and not a.present and a.reason is None:
            return QBrush(QColor("#b02a1f"))
        if role == ALIGN and c in (self.CATEGORY, self.PRESENT, self.REASON):
            return CENTER
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if not index.isValid():
            return f
        a = self.rows[index.row()]
        if index.column() == self.PRESENT:
            return f | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (self.REASON, self.NOTE) and not a.present:
            return f | Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        a: Attendee = self.rows[index.row()]
        c = index.column()
        if c == self.PRESENT and role == CHECK:
            a.present = Qt.CheckState(value) == Qt.CheckState.Checked
            if a.present:
                a.reason, a.note = None, ""
        elif c == self.REASON and role == EDIT:
            a.reason = AbsenceReason(value) if value in REASONS else None
        elif c == self.NOTE and role == EDIT:
            a.note = str(value or "").strip()[:200]
        else:
            return False
        row = index.row()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))
        if self.on_change:
            self.on_change()
        return True

    def set_all_present(self, present: bool = True) -> None:
        for a in self.rows:
            a.present = present
            if present:
                a.reason, a.note = None, ""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.headers) - 1))
        if self.on_change:
            self.on_change()


class ResolutionModel(ListModel):
    headers = ["决议内容", "赞成", "反对", "弃权", "选举", "表决结果"]
    TEXT, YES, NO, ABSTAIN, ELECTION, RESULT = range(6)

    def __init__(self, rows: list[Resolution] | None = None, parent=None,
                 outcome: Callable[[int], str] | None = None, on_change: Callable[[], None] | None = None):
        super().__init__(rows, parent)
        self.outcome = outcome or (lambda i: "")
        self.on_change = on_change

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        r: Resolution = self.rows[index.row()]
        c = index.column()
        if role == CHECK and c == self.ELECTION:
            return Qt.CheckState.Checked if r.election else Qt.CheckState.Unchecked
        if role in (DISPLAY, EDIT):
            return {self.TEXT: r.text, self.YES: r.yes, self.NO: r.no, self.ABSTAIN: r.abstain,
                    self.ELECTION: None, self.RESULT: self.outcome(index.row()) if role == DISPLAY else None}[c]
        if role == ALIGN and c != self.TEXT:
            return CENTER
        if role == FG and c == self.RESULT:
            text = self.outcome(index.row())
            return QBrush(QColor("#1e7b34" if text == "通过" else "#b02a1f")) if text else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if not index.isValid():
            return f
        if index.column() == self.ELECTION:
            return f | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() != self.RESULT:
            return f | Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        r: Resolution = self.rows[index.row()]
        c = index.column()
        if c == self.ELECTION and role == CHECK:
            r.election = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == EDIT and c == self.TEXT:
            r.text = str(value or "").strip()
        elif role == EDIT and c in (self.YES, self.NO, self.ABSTAIN):
            try:
                n = max(0, int(value))
            except (TypeError, ValueError):
                return False
            setattr(r, {self.YES: "yes", self.NO: "no", self.ABSTAIN: "abstain"}[c], n)
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.RESULT))
        if self.on_change:
            self.on_change()
        return True

    def refresh(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, self.RESULT), self.index(len(self.rows) - 1, self.RESULT))


class UnitModel(ListModel):
    """党建联席会议: resident units and their representatives."""

    headers = ["单位（党组织）", "代表", "职务", "出席"]
    UNIT, REP, ROLE, PRESENT = range(4)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        u: UnitDelegate = self.rows[index.row()]
        c = index.column()
        if role == CHECK and c == self.PRESENT:
            return Qt.CheckState.Checked if u.present else Qt.CheckState.Unchecked
        if role in (DISPLAY, EDIT) and c != self.PRESENT:
            return (u.unit, u.representative, u.role)[c]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if not index.isValid():
            return f
        if index.column() == self.PRESENT:
            return f | Qt.ItemFlag.ItemIsUserCheckable
        return f | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        u: UnitDelegate = self.rows[index.row()]
        c = index.column()
        if c == self.PRESENT and role == CHECK:
            u.present = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == EDIT and c != self.PRESENT:
            setattr(u, ("unit", "representative", "role")[c], str(value or "").strip()[:100])
        else:
            return False
        self.dataChanged.emit(index, index)
        return True


class CalendarModel(ListModel):
    """A row per meeting kind, a column per month (quarterly/yearly cells span months)."""

    headers = [f"{m}月" for m in range(1, 13)] + ["全年"]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row: CalendarRow = self.rows[index.row()]
        c = index.column()
        if c == 12:
            if role == DISPLAY:
                return f"{row.held}/{row.required}" + (f" 缺{row.missing}" if row.missing else "")
            if role == ALIGN:
                return CENTER
            return None
        cell = self.cell(index.row(), c)
        if cell is None:
            return None
        if role == DISPLAY:
            if cell.state is CellState.HELD:
                text = "已开" if cell.held == 1 else f"已开{cell.held}次"
                return text + ("(补)" if cell.late else "")
            return cell.state.value
        if role == ALIGN:
            return CENTER
        if role == FG:
            return QBrush(QColor(STATE_COLORS[cell.state][0]))
        if role == BG:
            return QBrush(QColor(STATE_COLORS[cell.state][1]))
        if role == Qt.ItemDataRole.ToolTipRole:
            p = cell.period
            tip = f"{row.kind.value} {p.year}年{p.label}：{cell.state.value}"
            if cell.held:
                tip += f"，已召开{cell.held}次" + (f"（补记{cell.late}次）" if cell.late else "")
            if cell.planned:
                tip += f"，计划{cell.planned}次"
            if cell.state in (CellState.MISSING, CellState.DUE, CellState.FUTURE):
                tip += "\n双击登记这次会议"
            elif cell.meeting_ids:
                tip += "\n双击打开会议记录"
            return tip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if role == DISPLAY and orientation == Qt.Orientation.Vertical and section < len(self.rows):
            row = self.rows[section]
            return f"{row.kind.value}（{row.frequency.value}）"
        return super().headerData(section, orientation, role)

    def cell(self, row: int, column: int):
        """The cell covering month `column + 1` of this row."""
        if not 0 <= row < len(self.rows) or not 0 <= column < 12:
            return None
        for cell in self.rows[row].cells:
            if cell.period.first_month <= column + 1 < cell.period.first_month + cell.period.months:
                return cell
        return None

    def spans(self) -> list[tuple[int, int, int]]:
        """(row, first column, width) of cells wider than a month."""
        return [(r, cell.period.first_month - 1, cell.period.months)
                for r, row in enumerate(self.rows) for cell in row.cells if cell.period.months > 1]


class MeetingListModel(ListModel):
    headers = ["日期", "会议类型", "主题", "应到", "实到", "状态"]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        m: MeetingSummary = self.rows[index.row()]
        c = index.column()
        if role == DISPLAY:
            status = "补记" if m.late else m.status.value
            return [m.day.isoformat(), m.kind.value, m.title, m.expected or "",
                    m.present if m.status.value == "已召开" else "", status][c]
        if role == ALIGN and c in (0, 3, 4, 5):
            return CENTER
        return None


class ComplianceModel(ListModel):
    """The street-wide table for one quarter: held/required per kind, missing, due."""

    def __init__(self, kinds: list, parent=None):
        super().__init__([], parent)
        self.kinds = kinds
        self.headers = ["组织", "所属组织"] + [k.short for k in kinds] + ["缺开", "待开"]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        r: ComplianceRow = self.rows[index.row()]
        c = index.column()
        n = len(self.kinds)
        if role in (DISPLAY, Qt.ItemDataRole.UserRole):
            if c == 0:
                return r.org_name
            if c == 1:
                return r.parent_name
            if c < 2 + n:
                q = r.by_kind.get(self.kinds[c - 2])
                if q is None:
                    return "" if role == DISPLAY else -1
                return f"{q.held}/{q.required}" if role == DISPLAY else q.missing
            return r.missing if c == 2 + n else r.due
        if role == ALIGN and c >= 2:
            return CENTER
        if role == FG and 2 <= c < 2 + n:
            q = r.by_kind.get(self.kinds[c - 2])
            if q is not None and q.missing:
                return QBrush(QColor("#b02a1f"))
        if role == FG and c == 2 + n and r.missing:
            return QBrush(QColor("#b02a1f"))
        return None


class MemberStatsModel(ListModel):
    headers = ["姓名", "应到", "出席", "缺席", "缺席原因", "党员大会连续缺席", "出席率"]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        s: MemberAttendance = self.rows[index.row()]
        c = index.column()
        if role == DISPLAY:
            return [s.name, s.expected, s.attended, s.absent, s.reasons_text(),
                    s.longest_assembly_streak or "", rate_text(s.rate)][c]
        if role == ALIGN and c not in (0, 4):
            return CENTER
        if role == FG and s.alert:
            return QBrush(QColor("#b02a1f"))
        if role == Qt.ItemDataRole.ToolTipRole and s.absences:
            return "\n".join(f"{d.isoformat()} {k}：{r}" for d, k, r in s.absences)
        return None
