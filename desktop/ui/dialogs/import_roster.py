"""导入花名册…: read an .xlsx/.xls roster, show what it would do, then write it in one go.

The clerk picks the file and the organisation it goes to. The file is read on a
worker thread (ui/tasks.run_task) and the preview shows how the columns were
matched (each can be corrected, which reads the file again), how many rows are
new, update a member already on record, repeat an earlier row, or have a
problem, and every problem with its sheet, row, column and reason. 导入 writes
the good rows in one transaction; nothing is written before that.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialogButtonBox,
                               QFileDialog, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout,
                               QWidget)

from ...domain.errors import Conflict, DomainError
from ...domain.roster_fields import ALL_FIELDS
from ...services.importing import (ColumnMapping, ImportPlan, ImportResult, ImportService,
                                   RowProblem, write_problems_csv)
from .. import errors
from ..settings import settings
from ..tasks import Task, run_task
from .base import RememberingDialog

FOLDER_KEY = "import_roster/folder"
SKIP = "（不导入）"


class _MappingModel(QAbstractTableModel):
    """One row per column of each sheet; the last column holds a combo box (set by the view)."""

    HEADERS = ("工作表", "列", "文件中的列名", "导入为", "说明")

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.columns: list[ColumnMapping] = []

    def set_columns(self, columns: list[ColumnMapping]) -> None:
        self.beginResetModel()
        self.columns = columns
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        c = self.columns[index.row()]
        return (c.sheet, c.letter, c.header, c.label, c.note)[index.column()]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class _ProblemsModel(QAbstractTableModel):
    """Problem rows (and repeats to be skipped): 工作表, 行号, 列, 原因. Possibly thousands."""

    HEADERS = ("工作表", "行号", "列", "原因")

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.problems: list[RowProblem] = []

    def set_problems(self, problems: list[RowProblem]) -> None:
        self.beginResetModel()
        self.problems = problems
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        p = self.problems[index.row()]
        return (p.sheet, p.row, p.column_text, p.message)[index.column()]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def as_text(self) -> str:
        lines = ["\t".join(self.HEADERS)]
        lines += [f"{p.sheet}\t{p.row}\t{p.column_text}\t{p.message}" for p in self.problems]
        return "\n".join(lines)


class ImportRosterDialog(RememberingDialog):
    """Choose a file and a target, check the preview, import; accept() after a successful import."""

    default_size = (980, 720)

    def __init__(self, workspace, default_org_id: int | None, parent: QWidget | None = None):
        super().__init__(parent, "导入党员花名册")
        self.workspace = workspace
        self.service = ImportService(workspace.db)
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.task: Task | None = None
        self.overrides: dict[tuple[str, int], str | None] = {}
        self.mapping_combos: dict[tuple[str, int], QComboBox] = {}
        self._busy = False

        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("请选择要导入的花名册（.xlsx 或 .xls）")
        self.browse_button = QPushButton("选择文件…", self)
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        self.org_combo = QComboBox(self)
        self._fill_orgs(default_org_id)
        self.org_combo.currentIndexChanged.connect(lambda _i: self.replan())
        top = QVBoxLayout()
        row = QHBoxLayout()
        row.addWidget(QLabel("文件：", self))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        top.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel("导入到：", self))
        row.addWidget(self.org_combo, 1)
        hint = QLabel("文件中没有“所在党支部”列、工作表也不以党支部命名时，党员放入所选党支部；"
                      "新出现的党支部建在所选社区之下。", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666666;")
        top.addLayout(row)
        top.addWidget(hint)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.mapping_model = _MappingModel(self)
        self.mapping_view = self._table(self.mapping_model)
        mapping_box = QGroupBox("列对应（识别有误时可在“导入为”中改正）", self)
        QVBoxLayout(mapping_box).addWidget(self.mapping_view)

        self.counts_label = QLabel(self)
        self.counts_label.setStyleSheet("font-weight: bold;")
        self.branches_label = QLabel(self)
        self.branches_label.setWordWrap(True)
        self.create_branches = QCheckBox("创建文件中新出现的党支部", self)
        self.create_branches.toggled.connect(lambda _on: self._show_outcome())

        self.problems_model = _ProblemsModel(self)
        self.problems_view = self._table(self.problems_model)
        self.problems_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.copy_button = QPushButton("复制问题列表", self)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_problems)
        self.export_button = QPushButton("导出问题列表…", self)
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export_problems)
        problems_box = QGroupBox("有问题的行", self)
        pl = QVBoxLayout(problems_box)
        pl.addWidget(self.problems_view)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        pl.addLayout(row)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(mapping_box)
        summary = QWidget(self)
        sl = QVBoxLayout(summary)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.counts_label)
        sl.addWidget(self.branches_label)
        sl.addWidget(self.create_branches)
        sl.addWidget(problems_box, 1)
        splitter.addWidget(summary)

        self.skip_invalid = QCheckBox("跳过有问题的行（只导入没有问题的行）", self)
        self.skip_invalid.toggled.connect(lambda _on: self._update_buttons())
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.skip_invalid)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self._show_plan(None)

    # --- choices ------------------------------------------------------------
    def _table(self, model) -> QTableView:
        view = QTableView(self)
        view.setModel(model)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def _fill_orgs(self, default_org_id: int | None) -> None:
        def walk(nodes, depth: int) -> None:
            for n in nodes:
                self.org_combo.addItem(f"{'　' * depth}{n.name}（{n.label}）", n.id)
                walk(n.children, depth + 1)

        walk(self.workspace.orgs.tree(), 0)
        i = self.org_combo.findData(default_org_id) if default_org_id is not None else -1
        self.org_combo.setCurrentIndex(i if i >= 0 else 0)

    def org_id(self) -> int | None:
        return self.org_combo.currentData()

    def file_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    def browse(self) -> None:
        start = settings().value(FOLDER_KEY)
        if not start or not Path(str(start)).is_dir():
            start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getOpenFileName(self, "选择花名册", str(start or Path.home()),
                                              "Excel 工作簿 (*.xlsx *.xlsm *.xls);;所有文件 (*)")
        if path:
            self.set_file(path)

    def set_file(self, path: str | Path) -> None:
        """Choose the file (as the file dialog does) and read it."""
        path = Path(path)
        settings().setValue(FOLDER_KEY, str(path.parent))
        self.path_edit.setText(str(path))
        self.overrides = {}
        self.replan()

    def set_mapping(self, sheet: str, column: int, key: str | None) -> None:
        """Import the sheet's column (0-based) as field `key` (None: not at all), and read again."""
        self.overrides[(sheet, column)] = key
        self.replan()

    # --- preview ------------------------------------------------------------
    def replan(self) -> None:
        path = self.file_path()
        if path is None or (self.task is not None and self.task.running):
            return
        service, org_id, overrides = self.service, self.org_id(), dict(self.overrides)

        def work(progress, cancel) -> ImportPlan:
            return service.plan_roster_import(path, org_id=org_id, mapping_overrides=overrides,
                                              progress=progress, cancel=cancel)

        self._set_busy(True)
        self._say("正在读取和检查文件…")
        self.task = run_task(self, "正在读取花名册", work, on_done=self._planned,
                             on_failed=self._plan_failed, on_cancelled=self._plan_cancelled)

    def _planned(self, plan: ImportPlan) -> None:
        self._set_busy(False)
        self._show_plan(plan)

    def _plan_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_plan(None)
        if isinstance(error, DomainError):  # .xls, a missing file, a broken workbook…
            self._say(str(error), error=True)
        else:
            self._say("读取文件时出错。", error=True)
            errors.show_error(self, error, "无法读取文件")

    def _plan_cancelled(self) -> None:
        self._set_busy(False)
        self._show_plan(None)
        self._say("已取消读取。")

    def _show_plan(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        columns = [c for s in plan.sheets for c in s.columns] if plan else []
        self.mapping_model.set_columns(columns)
        self.mapping_combos = {}
        for row, c in enumerate(columns):
            combo = QComboBox(self.mapping_view)
            combo.addItem(SKIP, None)
            for f in ALL_FIELDS:
                combo.addItem(f.label, f.key)
            combo.setCurrentIndex(max(combo.findData(c.key), 0) if c.key else 0)
            combo.currentIndexChanged.connect(
                lambda _i, combo=combo, c=c: self.set_mapping(c.sheet, c.index, combo.currentData()))
            self.mapping_view.setIndexWidget(self.mapping_model.index(row, 3), combo)
            self.mapping_combos[(c.sheet, c.index)] = combo
        for col, width in enumerate((130, 40, 160, 150)):
            self.mapping_view.setColumnWidth(col, width)
        if plan is None:
            self._say("")
        else:
            notes = [f"工作表“{s.name}”：{s.note}" for s in plan.sheets if s.note] + plan.warnings
            self._say("\n".join(notes), error=bool(plan.warnings))
        self._show_outcome()

    def _show_outcome(self) -> None:
        plan, create = self.plan, self.create_branches.isChecked()
        if plan is None:
            self.counts_label.setText("")
            self.branches_label.hide()
            self.create_branches.hide()
            self.problems_model.set_problems([])
            self._update_buttons()
            return
        c = plan.counts(create)
        unchanged = f"（其中{c.unchanged}人无变化）" if c.unchanged else ""
        self.counts_label.setText(f"新增 {c.new} 人　　更新 {c.update} 人{unchanged}　　"
                                  f"文件内重复 {c.duplicate} 行　　有问题 {c.invalid} 行")
        if plan.unknown_branches:
            names = "、".join(f"{u.name}（{u.rows}行）" for u in plan.unknown_branches)
            self.branches_label.setText(f"文件中出现、尚未建立的党支部：{names}")
            self.create_branches.setText(f"创建文件中新出现的党支部（建在“{plan.new_branch_parent_name}”之下）")
        self.branches_label.setVisible(bool(plan.unknown_branches))
        self.create_branches.setVisible(bool(plan.unknown_branches))
        self.problems_model.set_problems(plan.problems(create) + plan.duplicates())
        for col, width in enumerate((130, 50, 150)):
            self.problems_view.setColumnWidth(col, width)
        self._update_buttons()

    def counts(self):
        return self.plan.counts(self.create_branches.isChecked()) if self.plan else None

    def _update_buttons(self) -> None:
        busy = self._busy
        c = self.counts()
        blocked = bool(c and c.invalid and not self.skip_invalid.isChecked())
        self.import_button.setEnabled(bool(c and c.new + c.update) and not blocked and not busy)
        self.import_button.setToolTip("有问题的行：请修改文件后重新选择，或勾选“跳过有问题的行”"
                                      if blocked else "")
        has_problems = bool(self.problems_model.problems)
        self.copy_button.setEnabled(has_problems)
        self.export_button.setEnabled(has_problems)
        self.skip_invalid.setEnabled(bool(c and c.invalid) and not busy)

    # --- problems out -------------------------------------------------------
    def copy_problems(self) -> None:
        QGuiApplication.clipboard().setText(self.problems_model.as_text())
        self._say(f"已复制{len(self.problems_model.problems)}条到剪贴板，可粘贴到 Excel 或 WPS。")

    def export_problems(self) -> None:
        source = self.file_path()
        start = source.with_name(f"{source.stem}-问题列表.csv") if source else Path.home() / "问题列表.csv"
        path, _ = QFileDialog.getSaveFileName(self, "导出问题列表", str(start), "CSV 文件 (*.csv)")
        if path:
            self.save_problems(path)

    def save_problems(self, path: str | Path) -> None:
        try:
            write_problems_csv(self.problems_model.problems, path)
        except OSError as e:
            errors.warn(self, f"无法保存“{path}”：{e.strerror or e}", "导出失败")
            return
        self._say(f"问题列表已保存到 {path}")

    # --- import -------------------------------------------------------------
    def start_import(self) -> None:
        if self.plan is None or (self.task is not None and self.task.running):
            return
        plan, service = self.plan, self.service
        skip, create = self.skip_invalid.isChecked(), self.create_branches.isChecked()

        def work(progress, cancel) -> ImportResult:
            return service.apply_roster_import(plan, skip_invalid=skip, create_branches=create,
                                               progress=progress, cancel=cancel)

        self._set_busy(True)
        self._say("正在导入…")
        self.task = run_task(self, "正在导入花名册", work, on_done=self._imported,
                             on_failed=self._import_failed, on_cancelled=self._import_cancelled)

    def _imported(self, result: ImportResult) -> None:
        self.import_result = result
        self._set_busy(False)
        self._say(result.summary())
        errors.inform(self, result.summary(), "导入完成")
        self.accept()

    def _import_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._say("导入失败，数据库未作任何修改。", error=True)
        errors.show_error(self, error, "导入失败")
        if isinstance(error, Conflict):  # the database changed since the preview: show it afresh
            self.replan()

    def _import_cancelled(self) -> None:
        self._set_busy(False)
        self._say("已取消导入，数据库未作任何修改。")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for w in (self.browse_button, self.org_combo, self.mapping_view, self.create_branches):
            w.setEnabled(not busy)
        self._update_buttons()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel_token.cancel()  # the dialog stays until the worker has stopped
            return
        super().reject()
