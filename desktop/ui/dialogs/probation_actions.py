"""转正 and 延长预备期 from the member dialog: each a small form over one service call."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from ...domain.errors import DomainError, FieldError
from ...domain.member import Member
from ..errors import errors_by_field
from ..widgets.date_edit import DateEdit
from ..widgets.field_form import ERROR_COLOR, FieldForm, line_edit, show_errors
from .base import RememberingDialog, ok_cancel


class ActionDialog(RememberingDialog):
    """A small form that runs one service call; its errors stay shown and it stays open."""

    default_size = (380, 200)

    def __init__(self, parent: QWidget, title: str, done: Callable[[], None]):
        super().__init__(parent, title)
        self.form = FieldForm()
        self.apply = lambda: None
        self._done = done
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = ok_cancel(self, self._run)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def add(self, key: str, widget: QWidget, *, label: str | None = None) -> QWidget:
        self.form.add_row(key, widget, label=label)
        return widget

    def _run(self) -> None:
        try:
            self.apply()
        except DomainError as e:
            left = show_errors(self.form.rows, errors_by_field(e))
            self.error.setText("；".join(f"{f}：{m}" if f else m for f, m in left.items()))
            self.error.setVisible(bool(left))
            return
        self.accept()
        self._done()


def confirm_dialog(parent: QWidget, roster, member: Member, done: Callable[[], None]) -> ActionDialog:
    """转正: on the day the probation ends (or today, if that is still ahead), by a meeting."""
    end = member.probation_end
    dlg = ActionDialog(parent, "转正", done)
    when = dlg.add("转正日期", DateEdit())
    when.setDate(end if end and end <= date.today() else date.today())
    meeting = dlg.add("会议", line_edit(100))
    meeting.setText("支部党员大会")
    dlg.apply = lambda: roster.confirm(member.id, _required(when, "转正日期"), meeting.text())
    return dlg


def extend_dialog(parent: QWidget, roster, member: Member, done: Callable[[], None]) -> ActionDialog:
    """延长预备期: by how many months, decided on which day, and why."""
    dlg = ActionDialog(parent, "延长预备期", done)
    months = dlg.add("延长预备期", QSpinBox(), label="延长")
    months.setRange(1, 24)
    months.setValue(6)
    months.setSuffix(" 个月")
    when = dlg.add("决定日期", DateEdit())
    when.setDate(date.today())
    reason = dlg.add("原因", line_edit(200))
    dlg.apply = lambda: roster.extend_probation(
        member.id, months.value(), _required(when, "决定日期"), reason.text().strip())
    return dlg


def _required(edit: DateEdit, field: str) -> date:
    if edit.error():
        raise FieldError(field, edit.error())
    if edit.date() is None:
        raise FieldError(field, "不能为空")
    return edit.date()
