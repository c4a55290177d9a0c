"""导入报到名单: a unit's spreadsheet of in-service members, previewed, then all rows or none."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ..errors import show_error
from ..tasks import run_task
from .base import RememberingDialog


class RegistrationImportDialog(RememberingDialog):
    default_size = (680, 520)

    def __init__(self, workspace, communities: list[tuple[int, str]], parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(parent, "导入报到名单")
        self._ws = workspace
        self._today = today or date.today()
        self.plan = None
        self.imported = 0
        self.community = QComboBox(self)
        for cid, name in communities:
            self.community.addItem(name, cid)
        self.file = QLineEdit(self)
        self.file.setReadOnly(True)
        choose = QPushButton("选择文件…", self)
        choose.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(choose)
        form = QFormLayout()
        form.addRow("报到社区：", self.community)
        form.addRow("名单文件：", row)
        self.summary = QLabel("请选择单位报来的报到名单（.xlsx 或 .xls）。表头可为“姓名、性别、手机、身份证号、"
                              "工作单位、所在党组织、服务岗位、报到日期”等常见写法。", self)
        self.summary.setWordWrap(True)
        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("全部导入")
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        self.buttons.accepted.connect(self.commit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择报到名单", "", "Excel 工作簿 (*.xlsx *.xlsm *.xls)")
        if path:
            self.preview(Path(path))

    def preview(self, path: Path):
        self.file.setText(str(path))
        self.ok.setEnabled(False)
        self.summary.setText("正在检查…")
        self._task = run_task(self, "检查报到名单", _Preview(self._ws, path, self.community.currentData(),
                                                         self._today),
                              on_done=self.show_plan, on_failed=self._failed)
        return self._task

    def show_plan(self, plan) -> None:
        self.plan = plan
        self.summary.setText(plan.summary)
        self.problems.setPlainText("\n".join(str(p) for p in plan.problems) or "没有发现问题。")
        self.ok.setEnabled(plan.ok)

    def _failed(self, e: BaseException) -> None:
        self.summary.setText("无法读取该文件。")
        show_error(self, e)

    def commit(self) -> None:
        try:
            self.imported = self._ws.registrations.importer.commit(self.plan)
        except DomainError as e:
            show_error(self, e)
            return
        self.accept()


class _Preview:
    def __init__(self, ws, path: Path, community_id: int, today: date):
        self.args = (ws, path, community_id, today)

    def __call__(self, progress, cancel):
        ws, path, community_id, today = self.args
        return ws.registrations.importer.preview(path, community_id, today, progress, cancel)
