"""工作台: what is due (each item a click away from its record) and the counts at a glance
for the organisation chosen in the tree, with charts that also print.

Everything is read off the GUI thread (ui/tasks.py): `HomeService.load` returns the
reminders and the counts in one object. A click on a reminder asks the main window
to go to the record (`open_record(org_id, member_id, page)`).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from ...domain.meeting_ledger import rate_text
from ...domain.reminders import Reminder, group_by_kind
from ...services.home import HomeData
from ..errors import inform, show_error
from ..fonts import choose_family, load_shipped_fonts
from ..tasks import run_task
from ..widgets.charts import BarChart, Chart, GroupedBarChart, PieChart, paint_grid

MAX_PER_KIND = 300  # items listed under one heading; the rest are counted
OVERDUE = QColor("#b02a1f")
ITEM = Qt.ItemDataRole.UserRole


class _Load:
    """The background work of one load (a snapshot of what it needs, no widget)."""

    def __init__(self, home, org_id: int | None, today: date):
        self.home, self.org_id, self.today = home, org_id, today

    def __call__(self, progress, cancel) -> HomeData:
        return self.home.load(self.org_id, self.today, progress, cancel)


class _Export:
    def __init__(self, home, path: Path, org_id: int | None, today: date):
        self.home, self.path, self.org_id, self.today = home, path, org_id, today

    def __call__(self, progress, cancel):
        return self.home.export_stats(self.path, self.org_id, self.today, progress, cancel)


class HomePage(QWidget):
    record_requested = Signal(object)
    """A reminder was clicked (the Reminder); the main window goes to its record."""
    loaded = Signal()

    def __init__(self, workspace, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._fixed_today = today
        self.org_id: int | None = None
        self.data: HomeData | None = None
        self.task = None
        self._pending = False
        self._started = False
        self.reminder_items: list[Reminder] = []

        self.heading = QLabel("工作台", self)
        f = QFont(self.heading.font())
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.heading.setFont(f)
        self.status = QLabel("", self)
        self.status.setStyleSheet("color:#666666;")
        self.refresh_button = QPushButton("刷新", self)
        self.refresh_button.clicked.connect(self.reload)
        self.export_button = QPushButton("导出党员统计表…", self)
        self.export_button.setToolTip("按组织统计人员类别、性别、年龄、学历、民族，导出为 Excel 或 PDF")
        self.export_button.clicked.connect(self.ask_export_stats)
        self.print_button = QPushButton("打印统计图…", self)
        self.print_button.setToolTip("把右侧的统计图保存为 A4 横向 PDF，便于打印")
        self.print_button.clicked.connect(self.ask_print_charts)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.status, 1)
        for b in (self.refresh_button, self.export_button, self.print_button):
            top.addWidget(b)

        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["待办事项", "所在组织"])
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().resizeSection(1, 150)
        self.tree.setToolTip("点击一项，转到对应的党员、组织或三会一课")
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)

        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.category_chart = PieChart("人员类别")
        self.class_chart = PieChart("社区党员分类")
        self.sex_chart = PieChart("性别")
        self.age_chart = BarChart("年龄")
        self.education_chart = BarChart("学历")
        self.meeting_chart = GroupedBarChart("本年三会一课")
        self.charts: list[Chart] = [self.category_chart, self.class_chart, self.sex_chart,
                                    self.age_chart, self.education_chart, self.meeting_chart]
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, chart in enumerate(self.charts):
            chart.setParent(grid_host)
            grid.addWidget(chart, i // 2, i % 2)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.summary)
        rl.addWidget(grid_host, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([640, 560])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    @property
    def today(self) -> date:
        return self._fixed_today or date.today()

    # --- loading ----------------------------------------------------------------------------
    def set_org(self, org_id: int | None) -> None:
        if self._started and org_id == self.org_id:
            return
        self._started = True
        self.org_id = org_id
        self.reload()

    def reload(self) -> None:
        if self.task is not None and self.task.running:
            self._pending = True  # the result would be stale: load again when it is in
            return
        self._pending = False
        self.status.setText("正在读取…")
        self.refresh_button.setEnabled(False)
        self.task = run_task(self, "正在读取工作台…", _Load(self._ws.home, self.org_id, self.today),
                             on_done=self._loaded, on_failed=self._failed,
                             on_cancelled=self._cancelled)

    def _settle(self) -> bool:
        """After a load: True when another one was asked for meanwhile (and is started)."""
        self.refresh_button.setEnabled(True)
        if self._pending:
            self.task = None
            self.reload()
            return True
        return False

    def _loaded(self, data: HomeData) -> None:
        if self._settle():
            return
        self.data = data
        self._show_reminders(data)
        self._show_stats(data)
        failed = f"　（{len(data.failures)}项未能读取：{'；'.join(data.failures)}）" if data.failures else ""
        self.status.setText(f"统计日期：{data.today.isoformat()}{failed}")
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self._settle()
        self.status.setText("读取失败，请点击“刷新”重试")
        show_error(self, error, "无法读取工作台")

    def _cancelled(self) -> None:
        self._settle()
        self.status.setText("已取消。点击“刷新”重新读取")

    # --- reminders ----------------------------------------------------------------------------
    def _show_reminders(self, data: HomeData) -> None:
        self.tree.clear()
        self.reminder_items = []
        groups = group_by_kind(data.reminders)
        if not groups:
            QTreeWidgetItem(self.tree, ["目前没有需要提醒的事项", ""])
            return
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for kind, items in groups.items():
            overdue = sum(1 for r in items if r.overdue)
            head = QTreeWidgetItem(self.tree, [f"{kind}（{len(items)}）"
                                               + (f"，其中{overdue}项已逾期" if overdue else ""), ""])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for r in items[:MAX_PER_KIND]:
                # An organisation's own item: what is due, then whose (the name is long).
                own = r.org_name == r.title
                child = QTreeWidgetItem(head, [r.detail if own else f"{r.title}：{r.detail}",
                                               r.org_name])
                child.setData(0, ITEM, len(self.reminder_items))
                child.setToolTip(0, f"{r.title}：{r.detail}\n点击转到记录")
                if r.overdue:
                    child.setForeground(0, QBrush(OVERDUE))
                self.reminder_items.append(r)
            if len(items) > MAX_PER_KIND:
                more = QTreeWidgetItem(head, [f"……另有{len(items) - MAX_PER_KIND}项，"
                                              "请在左侧选择下级组织分别查看", ""])
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setExpanded(len(groups) <= 4 or len(items) <= 20)

    def reminder_item(self, title: str) -> QTreeWidgetItem | None:
        """The list entry of a reminder with this title (for tests and keyboard users)."""
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            for j in range(head.childCount()):
                child = head.child(j)
                index = child.data(0, ITEM)
                if index is not None and self.reminder_items[index].title == title:
                    return child
        return None

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        index = item.data(0, ITEM)
        if index is None:
            return
        reminder = self.reminder_items[index]
        self.record_requested.emit(reminder)
        window = self.window()
        if hasattr(window, "open_record"):
            window.open_record(reminder.org_id, reminder.member_id, reminder.page)

    # --- counts -------------------------------------------------------------------------------
    def _show_stats(self, data: HomeData) -> None:
        st = data.stats
        groups = dict(st.groups())
        c = st.counts
        self.heading.setText(f"工作台 — {st.scope_name}")
        self.category_chart.set_items(groups["人员类别"])
        self.class_chart.set_items([(k, v) for k, v in groups["社区党员分类"] if v])
        self.sex_chart.set_items([(k, v) for k, v in groups["性别"] if v])
        self.age_chart.set_items(groups["年龄"])
        self.education_chart.set_items([(k, v) for k, v in groups["学历"] if v or k != "其他"])
        m = st.meetings
        text = (f"在册党员 <b>{c.total}</b> 人：正式党员 {c['category:正式党员']} 人，"
                f"预备党员 {c['category:预备党员']} 人，女党员 {c['sex:女']} 人。")
        if m is not None and m.kinds:
            self.meeting_chart.title = f"{m.year}年三会一课（截至{'一二三四'[m.through_quarter - 1]}季度）"
            self.meeting_chart.set_groups(
                ["应开", "缺开"], [(kind.short, [q.required, q.missing]) for kind, q in m.kinds.items()],
                f"按期完成率 {rate_text(m.rate)}，待开 {m.due}")
            text += (f"<br>本年三会一课：应开 {m.required} 次，已开 {m.held} 次，缺开 "
                     f"<b>{m.missing}</b> 次，按期完成率 {rate_text(m.rate)}。")
        else:
            self.meeting_chart.set_groups([], [], "")
        self.summary.setText(text)

    # --- export and print -------------------------------------------------------------------------
    def ask_export_stats(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出党员统计表", "党员统计表.xlsx",
                                              "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)")
        if path:
            self.export_stats(Path(path))

    def export_stats(self, path: Path) -> None:
        if path.suffix.lower() not in (".xlsx", ".pdf"):
            path = path.with_suffix(".xlsx")
        self._export_path = path
        self.export_task = run_task(self, "正在导出党员统计表…",
                                    _Export(self._ws.home, path, self.org_id, self.today),
                                    on_done=self._exported, on_failed=self._export_failed)

    def _exported(self, table) -> None:
        self.status.setText(f"已导出党员统计表（{len(table.rows)}个组织）：{self._export_path}")

    def _export_failed(self, error: BaseException) -> None:
        show_error(self, error, "无法导出党员统计表")

    def ask_print_charts(self) -> None:
        if self.data is None:
            inform(self, "统计尚未读取完成，请稍候。")
            return
        path, _ = QFileDialog.getSaveFileName(self, "打印统计图", "党员统计图.pdf", "PDF 文件 (*.pdf)")
        if path:
            self.print_charts(Path(path))
            self.status.setText(f"已保存统计图：{path}")

    def print_charts(self, path: Path) -> Path:
        """The charts on one A4 landscape page, as a PDF to print (written, then renamed)."""
        tmp = path.with_name(f".~{path.name}.tmp")
        writer = QPdfWriter(str(tmp))
        writer.setResolution(150)
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                         QPageLayout.Orientation.Landscape, QMarginsF(12, 12, 12, 12),
                                         QPageLayout.Unit.Millimeter))
        writer.setTitle(self.heading.text())
        p = QPainter(writer)
        try:
            # The shipped Chinese font first: the PDF reads the same on any machine.
            shipped = load_shipped_fonts()
            font = QFont(p.font())
            font.setFamilies([choose_family((), shipped), *font.families()])
            p.setFont(font)
            area = QRectF(0, 0, writer.width(), writer.height())
            font.setPointSizeF(14)
            font.setBold(True)
            p.setFont(font)
            head_h = area.height() * 0.07
            title = f"{self.heading.text().replace('工作台 — ', '')}党员统计图（{self.data.today.isoformat()}）"
            p.drawText(QRectF(area.left(), area.top(), area.width(), head_h),
                       Qt.AlignmentFlag.AlignCenter, title)
            font.setBold(False)
            font.setPointSizeF(10)
            p.setFont(font)
            text_h = area.height() * 0.08
            p.drawText(QRectF(area.left(), area.top() + head_h, area.width(), text_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                       | Qt.TextFlag.TextWordWrap,
                       self.summary.text().replace("<br>", "\n").replace("<b>", "").replace("</b>", ""))
            paint_grid(p, QRectF(area.left(), area.top() + head_h + text_h, area.width(),
                                 area.height() - head_h - text_h), self.charts, columns=3)
        finally:
            p.end()
        tmp.replace(path)
        return path
