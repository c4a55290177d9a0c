"""导出花名册…: the roster of the selected organisation to .xlsx or PDF, in the background.

The dialog only collects choices; ExportService does the work on a worker
thread (ui/tasks.run_task) with a cancellable progress dialog, and the file
appears only when it is complete.
"""
from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialogButtonBox, QFileDialog, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QRadioButton, QVBoxLayout, QWidget)

from ...domain.masking import privacy_note
from ...domain.roster_export import default_file_name
from ...services.exporting import ExportResult, ExportService, RosterExportOptions
from .. import errors
from ..settings import settings
from ..tasks import Task, run_task
from .base import RememberingDialog

FOLDER_KEY = "export_roster/folder"
FORMAT_KEY = "export_roster/format"
SHEETS_KEY = "export_roster/sheet_per_branch"

SUFFIX = {"xlsx": ".xlsx", "pdf": ".pdf"}
FILTER = {"xlsx": "Excel 工作簿 (*.xlsx)", "pdf": "PDF 文件 (*.pdf)"}

FULL_IDS_HINT = ("默认不勾选：导出的文件中身份证号只显示前6位和后4位，电话隐去中间数字，"
                 "文件页脚注明“身份证号、电话已隐去部分数字”。\n"
                 "注意：勾选后文件含完整身份证号和电话，页脚注明“注意保密”，只宜在本办公室存档"
                 "或准备重新导入时使用，不要交给其他单位或个人；隐去部分数字的表格不能再导入。")


def open_containing_folder(path: Path) -> None:
    """Show the file in the system's file manager (selected, on Windows)."""
    if sys.platform == "win32":
        subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603,S607
    else:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class ExportRosterDialog(RememberingDialog):
    """Choose format and options, then export; closes after the success message."""

    default_size = (580, 460)

    def __init__(self, workspace, org_id: int | None, parent: QWidget | None = None):
        super().__init__(parent, "导出党员花名册")
        self._service = ExportService(workspace.db)
        self.org_id = org_id
        self.org_name = _org_name(workspace, org_id)
        self.task: Task | None = None
        self.result_box: QMessageBox | None = None
        self.last_result: ExportResult | None = None
        self._confirmed_path: str | None = None  # already confirmed in the file dialog
        s = settings()

        scope = QLabel(f"导出范围：<b>{self.org_name or '全部组织'}</b>及其下级组织的党员", self)

        self.xlsx = QRadioButton("Excel 表格（.xlsx）：全部24列，可打印，也可再导入本程序", self)
        self.pdf = QRadioButton("PDF 文件（.pdf）：主要信息，A4横向，便于打印和上报", self)
        self._formats = QButtonGroup(self)
        self._formats.addButton(self.xlsx)
        self._formats.addButton(self.pdf)
        (self.pdf if s.value(FORMAT_KEY, "xlsx") == "pdf" else self.xlsx).setChecked(True)
        fmt_box = QGroupBox("文件格式", self)
        fmt_layout = QVBoxLayout(fmt_box)
        fmt_layout.addWidget(self.xlsx)
        fmt_layout.addWidget(self.pdf)

        self.per_branch = QRadioButton("每个党支部一个工作表", self)
        self.one_sheet = QRadioButton("全部党员放在一个工作表", self)
        per_branch = str(s.value(SHEETS_KEY, "true")).lower() != "false"
        (self.per_branch if per_branch else self.one_sheet).setChecked(True)
        self.sheets_box = QGroupBox("工作表（仅 Excel）", self)
        sheets_layout = QHBoxLayout(self.sheets_box)
        sheets_layout.addWidget(self.per_branch)
        sheets_layout.addWidget(self.one_sheet)
        sheets_layout.addStretch(1)

        self.include_left = QCheckBox("同时列出已离开的党员（转出、停止党籍、出党、去世）", self)
        self.full_ids = QCheckBox("包含完整身份证号和电话", self)
        self.full_ids.setChecked(False)
        mask_hint = QLabel(FULL_IDS_HINT, self)
        mask_hint.setWordWrap(True)
        mask_hint.setStyleSheet("color: #8a5a00;")

        self.path_edit = QLineEdit(self)
        self.path_edit.setText(str(self._default_folder(s) / self._default_name()))
        self.browse_button = QPushButton("浏览…", self)
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(QLabel("保存到：", self))
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.hide()
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("导出", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(scope)
        layout.addWidget(fmt_box)
        layout.addWidget(self.sheets_box)
        layout.addWidget(self.include_left)
        layout.addWidget(self.full_ids)
        layout.addWidget(mask_hint)
        layout.addLayout(path_row)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.xlsx.toggled.connect(self._format_changed)
        self._format_changed()

    # --- choices ------------------------------------------------------------
    def format(self) -> str:
        return "pdf" if self.pdf.isChecked() else "xlsx"

    def options(self) -> RosterExportOptions:
        return RosterExportOptions(org_id=self.org_id, include_left=self.include_left.isChecked(),
                                   mask_ids=not self.full_ids.isChecked(),
                                   sheet_per_branch=self.per_branch.isChecked())

    def target(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        suffix = SUFFIX[self.format()]
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix) if path.suffix.lower() not in (".xlsx", ".pdf") \
                else path.with_suffix(suffix)
        return path

    def _default_name(self) -> str:
        return default_file_name(self.org_name, date.today(), SUFFIX[self.format()])

    @staticmethod
    def _default_folder(s) -> Path:
        saved = s.value(FOLDER_KEY)
        if saved and Path(str(saved)).is_dir():
            return Path(str(saved))
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs and Path(docs).is_dir() else Path.home()

    def _format_changed(self) -> None:
        self.sheets_box.setEnabled(self.format() == "xlsx")
        target = self.target()
        if target is not None:
            self.path_edit.setText(str(target))

    def browse(self) -> None:
        fmt = self.format()
        start = self.target() or (self._default_folder(settings()) / self._default_name())
        path, _ = QFileDialog.getSaveFileName(self, "导出到", str(start), FILTER[fmt])
        if path:
            self.path_edit.setText(path)
            target = self.target()
            # The file dialog asked about replacing this very name already.
            self._confirmed_path = str(target) if target and str(target) == path else None

    # --- running ------------------------------------------------------------
    def start_export(self) -> None:
        if self.task is not None and self.task.running:
            return
        target = self.target()
        if target is None:
            self._say("请选择保存位置和文件名。", error=True)
            return
        if not target.parent.is_dir():
            self._say(f"文件夹“{target.parent}”不存在，请重新选择保存位置。", error=True)
            return
        if target.exists() and str(target) != self._confirmed_path and not errors.confirm(
                self, f"文件“{target.name}”已存在，要替换它吗？", "替换文件"):
            return
        self.path_edit.setText(str(target))
        options, service = self.options(), self._service

        def work(progress, cancel) -> ExportResult:
            return service.export_roster(target, options, progress=progress, cancel=cancel)

        self._set_busy(True)
        self._say("正在导出…")
        self.task = run_task(self, "正在导出党员花名册", work, on_done=self._done,
                             on_failed=self._failed, on_cancelled=self._cancelled)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.export_button, self.browse_button, self.path_edit, self.xlsx, self.pdf,
                  self.include_left, self.full_ids):
            w.setEnabled(not busy)
        self.sheets_box.setEnabled(not busy and self.format() == "xlsx")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)
        self.status.show()

    def _remember(self, target: Path) -> None:
        s = settings()
        s.setValue(FOLDER_KEY, str(target.parent))
        s.setValue(FORMAT_KEY, self.format())
        s.setValue(SHEETS_KEY, "true" if self.per_branch.isChecked() else "false")

    def _done(self, result: ExportResult) -> None:
        self.last_result = result
        self._set_busy(False)
        self._remember(result.path)
        self._say(f"已导出{result.members}名党员。")
        pages = f"（共{result.pages}页）" if result.pages else ""
        masked = "\n" + privacy_note(not self.full_ids.isChecked()) + "。"
        box = QMessageBox(QMessageBox.Icon.Information, "导出完成",
                          f"已导出{result.members}名党员{pages}。{masked}\n\n文件：{result.path}",
                          QMessageBox.StandardButton.NoButton, self)
        open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)

        def finished(_code: int) -> None:
            if box.clickedButton() is open_folder:
                open_containing_folder(result.path)
            self.accept()

        box.finished.connect(finished)
        self.result_box = box
        box.open()  # not exec(): the GUI (and a test) keeps running

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._say("导出失败，没有生成文件。", error=True)
        errors.show_error(self, error, "导出失败")

    def _cancelled(self) -> None:
        self._set_busy(False)
        self._say("已取消导出，没有生成文件。")

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel_token.cancel()  # the dialog stays until the worker has stopped
            return
        super().reject()


def _org_name(workspace, org_id: int | None) -> str:
    if org_id is not None:
        return workspace.orgs.get(org_id).name
    roots = workspace.orgs.tree()
    return roots[0].name if len(roots) == 1 else ""
