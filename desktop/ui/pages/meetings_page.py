"""三会一课: the calendar of one organisation's year, its meetings, members' attendance,
and the street-wide table of what is missing this quarter.

The main window hosts it as a tab beside the roster: `MeetingsPage(workspace, parent)`,
and calls `set_org(org_id)` when the clerk picks an organisation in the tree.
"""
from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSpinBox, QTableView, QTabWidget, QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ...domain.meeting import MeetingKind
from ...domain.meeting_calendar import (BRANCH_KINDS, DEFAULT_FREQUENCIES, CalendarCell, CellState,
                                       Frequency, quarter_of)
from ...domain.organization import OrgKind, walk_tree
from ..errors import confirm, inform, show_error
from ..table_models.meeting_models import (CalendarModel, ComplianceModel, MeetingListModel,
                                           MemberStatsModel)
from ..tasks import run_task
from ..dialogs.base import RememberingDialog, ok_cancel
from ..widgets.field_form import TreeComboBox

COMPLIANCE_KINDS = list(BRANCH_KINDS) + [MeetingKind.JOINT]


class MeetingsPage(QWidget):
    meetingsChanged = Signal()
    """A meeting was saved or deleted here (the roster does not change)."""

    def __init__(self, workspace, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._today = today or date.today()
        self.org_id: int | None = None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._org_tab(), "组织生活日历")
        self.tabs.addTab(self._street_tab(), "全街道完成情况")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.reload_orgs()
        self.reload_compliance()

    # --- one organisation -------------------------------------------------------------------
    def _org_tab(self) -> QWidget:
        page = QWidget(self)
        self.org_box = TreeComboBox(page)
        self.org_box.currentIndexChanged.connect(self._org_picked)
        self.year = QSpinBox(page)
        self.year.setRange(2000, 2100)
        self.year.setValue(self._today.year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(lambda _: self.reload())
        self.new_button = QPushButton("登记会议…", page)
        self.new_button.clicked.connect(lambda: self.new_meeting())
        self.print_year_button = QPushButton("打印本年会议记录…", page)
        self.print_year_button.clicked.connect(self.export_year_minutes)
        self.ledger_button = QPushButton("导出台账…", page)
        self.ledger_button.clicked.connect(self.export_ledger)
        self.settings_button = QPushButton("频次设置…", page)
        self.settings_button.clicked.connect(self.edit_frequencies)
        top = QHBoxLayout()
        top.addWidget(QLabel("组织：", page))
        top.addWidget(self.org_box, 2)
        top.addWidget(self.year)
        top.addStretch(1)
        for b in (self.new_button, self.print_year_button, self.ledger_button, self.settings_button):
            top.addWidget(b)
        self.calendar = CalendarModel([], self)
        self.calendar_view = QTableView(page)
        self.calendar_view.setModel(self.calendar)
        self.calendar_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.calendar_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.calendar_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.calendar_view.doubleClicked.connect(self.open_cell)
        self.legend = QLabel("双击“缺”“待开”“未到”的格子登记该期会议，双击“已开”“计划”的格子打开会议。", page)
        self.legend.setWordWrap(True)
        self.lower = QTabWidget(page)
        self.meetings = MeetingListModel([], self)
        self.meetings_view = QTableView(page)
        self.meetings_view.setModel(self.meetings)
        self.meetings_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.meetings_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.meetings_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.meetings_view.doubleClicked.connect(lambda i: self.open_meeting(self.meetings.rows[i.row()].id))
        self.open_button = QPushButton("打开", page)
        self.delete_button = QPushButton("删除", page)
        self.print_button = QPushButton("预览/打印记录…", page)
        self.signin_button = QPushButton("打印签到表…", page)
        self.open_button.clicked.connect(lambda: self._with_selected(self.open_meeting))
        self.delete_button.clicked.connect(lambda: self._with_selected(self.delete_meeting))
        self.print_button.clicked.connect(lambda: self._with_selected(self.print_minutes))
        self.signin_button.clicked.connect(lambda: self._with_selected(self.print_signin))
        list_page = QWidget(page)
        lb = QHBoxLayout()
        for b in (self.open_button, self.print_button, self.signin_button, self.delete_button):
            lb.addWidget(b)
        lb.addStretch(1)
        ll = QVBoxLayout(list_page)
        ll.addWidget(self.meetings_view)
        ll.addLayout(lb)
        self.stats = MemberStatsModel([], self)
        self.stats_view = QTableView(page)
        self.stats_view.setModel(self.stats)
        self.stats_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stats_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.lower.addTab(list_page, "本年会议")
        self.lower.addTab(self.stats_view, "党员出席统计")
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.calendar_view, 2)
        layout.addWidget(self.legend)
        layout.addWidget(self.lower, 3)
        return page

    def reload_orgs(self) -> None:
        current = self.org_id
        self.org_box.blockSignals(True)
        self.org_box.clear()
        first_branch = None
        for node, depth, full in walk_tree(self._ws.orgs.tree()):
            self.org_box.add_node(node.name, node.id, depth, full)
            if first_branch is None and node.kind is OrgKind.BRANCH:
                first_branch = node.id
        self.org_box.blockSignals(False)
        if current is None and self.org_box.count():
            current = first_branch or self.org_box.itemData(0)
        self.set_org(current)

    @Slot(object)
    def set_org(self, org_id: int | None) -> None:
        """Show this organisation's year (None: keep the current one)."""
        if org_id is not None:
            self.org_id = org_id
            self.org_box.blockSignals(True)
            self.org_box.set_value(org_id)
            self.org_box.blockSignals(False)
        self.reload()

    def _org_picked(self) -> None:
        self.org_id = self.org_box.value()
        self.reload()

    def reload(self) -> None:
        if self.org_id is None:
            self.calendar.set_rows([])
            self.meetings.set_rows([])
            self.stats.set_rows([])
            return
        year = self.year.value()
        ms = self._ws.meetings
        cal = ms.calendar(self.org_id, year, self._today)
        self.calendar_view.clearSpans()
        self.calendar.set_rows(cal.rows)
        for row, col, width in self.calendar.spans():
            self.calendar_view.setSpan(row, col, 1, width)
        self.calendar_view.resizeRowsToContents()
        view = self.calendar_view
        height = view.horizontalHeader().height() + 2 * view.frameWidth() + sum(
            view.rowHeight(r) for r in range(self.calendar.rowCount()))
        view.setFixedHeight(max(height, 80))
        self.meetings.set_rows(list(reversed(ms.list(self.org_id, year))))
        self.stats.set_rows(ms.attendance_stats(self.org_id, year))

    # --- opening and recording ------------------------------------------------------------
    def open_cell(self, index: QModelIndex) -> None:
        cell: CalendarCell | None = self.calendar.cell(index.row(), index.column())
        if cell is None:
            return
        if cell.meeting_ids and cell.state in (CellState.HELD, CellState.PLANNED):
            self.open_meeting(cell.meeting_ids[0])
        elif cell.state in (CellState.MISSING, CellState.DUE, CellState.FUTURE):
            self.new_meeting(cell.kind, self._start_in(cell))

    def _start_in(self, cell: CalendarCell) -> datetime:
        """A sensible day in the period: today if within it, else the 15th of its first month."""
        p = cell.period
        day = self._today if p.contains(self._today) else date(p.year, p.first_month, 15)
        return datetime.combine(day, time(9, 0))

    def _dialog(self, **kw):
        from ..dialogs.meeting_dialog import MeetingDialog

        return MeetingDialog(self._ws, parent=self, today=self._today, **kw)

    def new_meeting(self, kind: MeetingKind | None = None, start: datetime | None = None) -> None:
        if self.org_id is None:
            inform(self, "请先选择组织")
            return
        try:
            org = self._ws.orgs.get(self.org_id)
            kind = kind or (MeetingKind.GROUP if org.kind is OrgKind.GROUP else
                            MeetingKind.JOINT if org.kind in (OrgKind.STREET, OrgKind.COMMUNITY)
                            else MeetingKind.ASSEMBLY)
            dlg = self._dialog(org_id=self.org_id, kind=kind, start=start)
        except DomainError as e:
            show_error(self, e)
            return
        self._run(dlg)

    def open_meeting(self, meeting_id: int) -> None:
        try:
            dlg = self._dialog(meeting_id=meeting_id)
        except DomainError as e:
            show_error(self, e)
            return
        self._run(dlg)

    def _run(self, dlg) -> None:
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.reload_compliance()
            self.meetingsChanged.emit()

    def _with_selected(self, action) -> None:
        rows = self.meetings_view.selectionModel().selectedRows()
        if not rows:
            inform(self, "请先在列表中选择一次会议")
            return
        action(self.meetings.rows[rows[0].row()].id)

    def delete_meeting(self, meeting_id: int) -> None:
        m = self._ws.meetings.get(meeting_id)
        if not confirm(self, f"删除{m.day.isoformat()}的{m.title_kind}记录？此操作不能撤销。"):
            return
        self._ws.meetings.delete(meeting_id)
        self.reload()
        self.reload_compliance()
        self.meetingsChanged.emit()

    # --- printing and exports (in the background) -----------------------------------------
    def _preview_after(self, title: str, target: Path, work) -> None:
        from ..dialogs.pdf_preview import preview_pdf

        run_task(self, title, work, on_done=lambda _: preview_pdf(self, target, title),
                 on_failed=lambda e: show_error(self, e))

    def _temp_pdf(self, name: str) -> Path:
        import tempfile

        return Path(tempfile.mkdtemp(prefix="dangjian-")) / f"{name}.pdf"

    def print_minutes(self, meeting_id: int) -> None:
        target = self._temp_pdf("会议记录")
        ms = self._ws.meetings
        self._preview_after("会议记录", target, lambda progress, cancel: ms.export_minutes(
            target, [meeting_id], with_photos=True, progress=progress, cancel=cancel))

    def print_signin(self, meeting_id: int) -> None:
        target = self._temp_pdf("签到表")
        ms = self._ws.meetings
        self._preview_after("签到表", target, lambda progress, cancel: ms.export_signin(target, meeting_id))

    def export_year_minutes(self) -> None:
        if self.org_id is None:
            return
        ms = self._ws.meetings
        ids = ms.meeting_ids(self.org_id, self.year.value())
        if not ids:
            inform(self, "本年度还没有已召开的会议")
            return
        org = self._ws.orgs.get(self.org_id)
        target = self._temp_pdf(f"{org.name}{self.year.value()}年会议记录")
        self._preview_after("会议记录", target, lambda progress, cancel: ms.export_minutes(
            target, ids, progress=progress, cancel=cancel))

    def export_ledger(self) -> None:
        year = self.year.value()
        path, _ = QFileDialog.getSaveFileName(self, "导出三会一课台账", f"{year}年三会一课台账.xlsx",
                                              "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)")
        if path:
            self.write_ledger(Path(path), year)

    def write_ledger(self, path: Path, year: int):
        ms = self._ws.meetings
        today = self._today
        return run_task(self, "导出台账", lambda progress, cancel: ms.export_ledger(
            path, year, today, progress, cancel),
            on_done=lambda p: inform(self, f"已导出{year}年三会一课台账：\n{p}"),
            on_failed=lambda e: show_error(self, e))

    def edit_frequencies(self) -> None:
        dlg = FrequencyDialog(self._ws, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.reload_compliance()

    # --- the whole street ------------------------------------------------------------------
    def _street_tab(self) -> QWidget:
        page = QWidget(self)
        self.c_year = QSpinBox(page)
        self.c_year.setRange(2000, 2100)
        self.c_year.setValue(self._today.year)
        self.c_year.setSuffix(" 年")
        self.c_quarter = QComboBox(page)
        for q in range(1, 5):
            self.c_quarter.addItem(f"第{'一二三四'[q - 1]}季度", q)
        self.c_quarter.setCurrentIndex(quarter_of(self._today) - 1)
        self.c_year.valueChanged.connect(lambda _: self.reload_compliance())
        self.c_quarter.currentIndexChanged.connect(lambda _: self.reload_compliance())
        self.compliance = ComplianceModel(COMPLIANCE_KINDS, self)
        self.compliance_proxy = QSortFilterProxyModel(self)
        self.compliance_proxy.setSourceModel(self.compliance)
        self.compliance_proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.compliance_view = QTableView(page)
        self.compliance_view.setModel(self.compliance_proxy)
        self.compliance_view.setSortingEnabled(True)
        self.compliance_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compliance_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.compliance_view.verticalHeader().hide()
        header = self.compliance_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.compliance_view.doubleClicked.connect(self._open_org_from_compliance)
        self.compliance_note = QLabel(page)
        top = QHBoxLayout()
        top.addWidget(self.c_year)
        top.addWidget(self.c_quarter)
        top.addWidget(self.compliance_note, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.compliance_view, 1)
        layout.addWidget(QLabel("各栏为“已开/应开”；“缺开”为已结束的周期中未召开的次数，“待开”为本季度尚未到期的。"
                                "点击列标题排序，双击一行查看该组织的日历。", page))
        return page

    def reload_compliance(self) -> None:
        rows = self._ws.meetings.compliance(self.c_year.value(), self.c_quarter.currentData(), self._today)
        self.compliance.set_rows(rows)
        n = len(self.compliance.headers)
        self.compliance_view.sortByColumn(n - 2, Qt.SortOrder.DescendingOrder)  # most missing first
        behind = sum(1 for r in rows if r.missing)
        self.compliance_note.setText(f"共{len(rows)}个组织，其中{behind}个有缺开")

    def _open_org_from_compliance(self, index: QModelIndex) -> None:
        row = self.compliance.rows[self.compliance_proxy.mapToSource(index).row()]
        self.year.setValue(self.c_year.value())
        self.set_org(row.org_id)
        self.tabs.setCurrentIndex(0)



class FrequencyDialog(RememberingDialog):
    """How often each meeting is required (defaults from domain.md), and the 补记 grace days.
    Saved in the database, so every clerk of this street counts the same way."""

    default_size = (420, 420)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent, "会议频次设置")
        self._ws = workspace
        current = workspace.meetings.frequencies()
        form = QFormLayout()
        self.boxes: dict[MeetingKind, QComboBox] = {}
        for kind in MeetingKind:
            if kind is MeetingKind.OTHER:
                continue
            box = QComboBox(self)
            for f in Frequency:
                box.addItem(f.value + ("（默认）" if DEFAULT_FREQUENCIES[kind] is f else ""), f.value)
            box.setCurrentIndex(box.findData(current[kind].value))
            self.boxes[kind] = box
            form.addRow(kind.value, box)
        self.grace = QSpinBox(self)
        self.grace.setRange(0, 60)
        self.grace.setSuffix(" 天")
        self.grace.setValue(workspace.meetings.late_grace_days())
        form.addRow("会后超过此天数记录为补记", self.grace)
        buttons = ok_cancel(self, self.save, "保存")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("设置保存在数据库中，日历、完成情况和台账都按此计算。", self))
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            for kind, box in self.boxes.items():
                self._ws.meetings.set_frequency(kind, Frequency(box.currentData()))
            self._ws.meetings.set_late_grace_days(self.grace.value())
        except DomainError as e:
            show_error(self, e)
            return
        self.accept()
