"""操作日志…: browse the audit log (filter by date, object, text) and export it to Excel.

Read-only by construction: the dialog only calls AuditService's reading methods and
its export; there is no edit or delete anywhere in the program. The clerk's name,
written beside the system user in every later entry, can be set here.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QStandardPaths, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QSplitter, QTableView, QVBoxLayout, QWidget)

from ...domain.audit import MAX_SHOWN, AuditEntry, AuditFilter
from ...domain.errors import DomainError
from .. import errors
from ..tasks import Task, run_task
from ..widgets.date_edit import DateEdit
from .base import RememberingDialog

COLUMNS = ["时间", "操作人", "对象", "记录", "操作", "修改内容"]
READ_ONLY_NOTE = ("操作日志自动记录每一次新增、修改和删除（谁、何时、哪条记录、原值和新值），"
                  "只能查看和导出，不能修改或删除。")


class AuditModel(QAbstractTableModel):
    """The entries of one query (at most MAX_SHOWN), newest first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[AuditEntry] = []

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.ToolTipRole):
            return None
        e = self.entries[index.row()]
        col = index.column()
        if col == 0:
            return e.at.strftime("%Y-%m-%d %H:%M:%S")
        if col == 1:
            return e.actor
        if col == 2:
            return e.table_label
        if col == 3:
            return e.record_text
        if col == 4:
            return e.action_label
        text = e.changes_text()
        return text if role == Qt.ItemDataRole.ToolTipRole or len(text) <= 200 else text[:200] + "…"


class AuditDialog(RememberingDialog):
    default_size = (980, 620)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent, "操作日志")
        self.service = workspace.audit
        self.task: Task | None = None
        self.last_export: Path | None = None

        note = QLabel(READ_ONLY_NOTE, self)
        note.setWordWrap(True)

        self.since = DateEdit(self, placeholder="不限")
        self.until = DateEdit(self, placeholder="不限")
        self.since.setDate(date.today() - timedelta(days=30))
        self.table_combo = QComboBox(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("姓名、身份证号、操作人、内容…")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.refresh)
        self.query_button = QPushButton("查询", self)
        self.query_button.setAutoDefault(False)
        self.query_button.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label, w in (("从", self.since), ("到", self.until), ("对象", self.table_combo),
                         ("包含", self.search)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(w, 2 if w is self.search else 1)
        filters.addWidget(self.query_button)

        self.model = AuditModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        for i, width in enumerate((140, 140, 80, 160, 50)):
            header.resizeSection(i, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选中一条记录查看全部原值和新值")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.status = QLabel(self)
        self.clerk_edit = QLineEdit(self)
        self.clerk_edit.setMaxLength(30)
        self.clerk_edit.setPlaceholderText(f"不填则记录系统用户“{self.service.system_user()}”")
        self.clerk_edit.setText(self.service.clerk_name())
        self.clerk_button = QPushButton("保存操作人", self)
        self.clerk_button.setAutoDefault(False)
        self.clerk_button.clicked.connect(self.save_clerk)
        clerk_row = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.clerk_edit, 1)
        row.addWidget(self.clerk_button)
        clerk_row.addRow("操作人姓名：", row)

        self.export_button = QPushButton("导出为 Excel…", self)
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton("关闭", self)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(clerk_row)
        layout.addLayout(bottom)

        self._fill_tables()
        self.refresh()

    # --- reading ---------------------------------------------------------------------
    def _fill_tables(self) -> None:
        current = self.table_combo.currentData()
        self.table_combo.clear()
        self.table_combo.addItem("全部", None)
        for name, label in self.service.tables():
            self.table_combo.addItem(label, name)
        at = self.table_combo.findData(current)
        self.table_combo.setCurrentIndex(max(at, 0))

    def current_filter(self) -> AuditFilter | None:
        for edit, label in ((self.since, "起始日期"), (self.until, "截止日期")):
            edit.commit()
            if edit.error():
                errors.warn(self, f"{label}：{edit.error()}")
                return None
        since, until = self.since.date(), self.until.date()
        if since and until and since > until:
            errors.warn(self, "起始日期不能晚于截止日期")
            return None
        return AuditFilter(since=since, until=until, table=self.table_combo.currentData(),
                           text=self.search.text())

    def filter_text(self, f: AuditFilter) -> str:
        parts = []
        if f.since or f.until:
            parts.append(f"{f.since or '最早'} 至 {f.until or '今天'}")
        if f.table:
            parts.append(self.table_combo.currentText())
        if f.text.strip():
            parts.append(f"包含“{f.text.strip()}”")
        return "，".join(parts)

    def refresh(self) -> None:
        f = self.current_filter()
        if f is None:
            return
        entries = self.service.entries(f)
        self.model.set_entries(entries)
        self.detail.clear()
        more = f"（只显示最近{MAX_SHOWN}条，请缩小范围）" if len(entries) >= f.limit else ""
        self.status.setText(f"共{len(entries)}条{more}")

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        e = self.model.entries[current.row()]
        lines = [f"{e.at:%Y-%m-%d %H:%M:%S}　{e.actor}　{e.action_label}{e.table_label}　{e.record_text}",
                 f"记录标识：{e.record_uuid}" if e.record_uuid else ""]
        if e.note:
            lines.append(f"备注：{e.note}")
        if e.old:
            lines.append("原值：" + e.old_text())
        if e.new:
            lines.append("新值：" + e.new_text())
        self.detail.setPlainText("\n".join(line for line in lines if line))

    # --- who signs ---------------------------------------------------------------------
    def save_clerk(self) -> None:
        try:
            self.service.set_clerk_name(self.clerk_edit.text())
        except DomainError as e:
            errors.show_error(self, e)
            return
        self.clerk_edit.setText(self.service.clerk_name())
        self.status.setText("已保存操作人，之后的修改将记录此姓名。")

    # --- export ------------------------------------------------------------------------
    def export(self) -> None:
        f = self.current_filter()
        if f is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"操作日志-{date.today():%Y%m%d}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "导出操作日志", str(Path(folder) / name),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(Path(path), f)

    def export_to(self, path: Path, f: AuditFilter | None = None) -> None:
        f = f or self.current_filter()
        if f is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        service, text = self.service, self.filter_text(f)

        def work(_progress, _cancel) -> Path:
            return service.export_xlsx(path, f, filter_text=text)

        self.export_button.setEnabled(False)
        self.status.setText("正在导出…")
        self.task = run_task(self, "正在导出操作日志", work, on_done=self._exported,
                             on_failed=self._failed)

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.export_button.setEnabled(True)
        self.status.setText(f"已导出：{path}")

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText("导出失败。")
        errors.show_error(self, error, "导出失败")
