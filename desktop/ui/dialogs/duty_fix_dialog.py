"""One 整改 item: whose, the problem raised, the fix promised, the due date, done or not."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QPlainTextEdit, QVBoxLayout, QWidget

from ...domain.duty_report import FixItem, Reporter
from ...domain.errors import DomainError
from ..errors import show_error
from ..widgets.date_edit import DateEdit
from .base import RememberingDialog, ok_cancel


class DutyFixDialog(RememberingDialog):
    default_size = (560, 420)

    def __init__(self, workspace, fix: FixItem, reporters: list[Reporter], parent: QWidget | None = None):
        super().__init__(parent, "整改事项")
        self._ws = workspace
        self.fix = replace(fix)
        self.saved: FixItem | None = None
        self.who = QComboBox(self)
        for p in reporters:
            self.who.addItem(p.label, p.id)
        if fix.id is not None:  # the person stays; an item carried from last year keeps its owner
            self.who.clear()
            self.who.addItem(fix.name + (f"（{fix.org_name}）" if fix.org_name else ""), fix.reporter_id)
            self.who.setEnabled(False)
        elif fix.reporter_id is not None:
            self.who.setCurrentIndex(max(0, self.who.findData(fix.reporter_id)))
        self.problem = QPlainTextEdit(fix.problem, self)
        self.measure = QPlainTextEdit(fix.measure, self)
        self.due, self.done_on = DateEdit(self), DateEdit(self, placeholder="未完成则留空")
        self.due.setDate(fix.due)
        self.done_on.setDate(fix.done_on)
        form = QFormLayout()
        form.addRow("述职人：", self.who)
        form.addRow("存在问题：", self.problem)
        form.addRow("整改措施：", self.measure)
        form.addRow("完成时限：", self.due)
        form.addRow("完成日期：", self.done_on)
        buttons = ok_cancel(self, self.save, "保存")
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def save(self) -> None:
        for d, label in ((self.due, "完成时限"), (self.done_on, "完成日期")):
            if d.error():
                show_error(self, DomainError(f"{label}：{d.error()}"))
                return
        f = self.fix
        if f.id is None:
            f.reporter_id = self.who.currentData()
        f.problem, f.measure = self.problem.toPlainText(), self.measure.toPlainText()
        f.due, f.done_on = self.due.date(), self.done_on.date()
        try:
            self.saved = self._ws.duty.save_fix(f)
        except DomainError as e:
            show_error(self, e)
            return
        self.accept()
