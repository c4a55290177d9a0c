"""记录离开: 转出 / 停止党籍 / 出党 / 去世, with a date and where to or why.

Leaving is a dated event on the member's history; the record is never deleted and
stays visible under 状态 “已离开”.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from ...domain.errors import DomainError
from ...domain.member import Status
from ...domain.member_event import LEAVING_EVENTS, EventKind
from ..errors import errors_by_field
from ..widgets.date_edit import DateEdit
from ..widgets.field_form import FieldForm, show_errors
from .base import RememberingDialog, ok_cancel
from .org_dialog import enum_choice, general_error_label

MEMBER, KIND, DATE, DETAIL = "党员", "事由", "日期", "转往"

_DETAIL_LABEL = {
    EventKind.TRANSFER_OUT: ("转往党组织", "如 区机关工委某某党支部"),
    EventKind.SUSPENDED: ("原因", "如 连续六个月不参加组织生活"),
    EventKind.EXPELLED: ("原因", "如 处分决定文号"),
    EventKind.DECEASED: ("说明", "可不填"),
}


class LeaveDialog(RememberingDialog):
    """Exec returns Accepted after the event was recorded; `recorded_kind` says which."""

    default_size = (460, 340)

    def __init__(self, workspace, member_id: int, parent: QWidget | None = None):
        super().__init__(parent, "记录离开")
        self._ws = workspace
        self.member_id = member_id
        self.recorded_kind: EventKind | None = None
        member = workspace.roster.get(member_id)
        org_name = workspace.orgs.get(member.org_id).name if member.org_id else ""

        self.form = FieldForm(self)
        who = QLabel(f"{member.name}（{org_name}）" if org_name else member.name, self)
        self.kind = QComboBox(self)
        for k in LEAVING_EVENTS:
            self.kind.addItem(k.value, k.value)
        self.date = DateEdit(self)
        self.date.setDate(date.today())
        self.detail = QLineEdit(self)
        self.detail.setMaxLength(200)
        self.form.add_row(MEMBER, who)
        self.form.add_row(KIND, self.kind, required=True)
        self.form.add_row(DATE, self.date, required=True)
        self._detail_row = self.form.add_row(DETAIL, self.detail)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

        note = QLabel("离开只记录一条带日期的事件，党员档案不会删除；"
                      "在状态“已离开”中仍可查看。", self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #666666;")
        self.general_error = general_error_label(self)
        self.buttons = ok_cancel(self, self._save, "记录离开")
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(note)
        layout.addStretch(1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        if member.status is not Status.ACTIVE:
            self.general_error.setText(f"{member.name}已不在册（{member.status.value}）。")
            self.general_error.show()
        self.kind.setFocus()

    def _kind_changed(self) -> None:
        kind = enum_choice(self.kind, EventKind)
        label, hint = _DETAIL_LABEL.get(kind, ("说明", ""))
        required = kind is EventKind.TRANSFER_OUT
        self._detail_row.label.setTextFormat(Qt.TextFormat.RichText)
        self._detail_row.label.setText(
            f"{label}<span style='color:#c0392b'>*</span>" if required else label)
        self.detail.setPlaceholderText(hint)

    def errors(self) -> dict[str, str]:
        out = {k: r.error() for k, r in self.form.rows.items() if r.error()}
        if self.general_error.text() and not self.general_error.isHidden():
            out[""] = self.general_error.text()
        return out

    def _show_errors(self, errors: dict[str, str]) -> None:
        left = show_errors(self.form.rows, errors, aliases={"原因": DETAIL, "说明": DETAIL})
        self.general_error.setText("\n".join(f"{k}：{v}" if k else v for k, v in left.items()))
        self.general_error.setVisible(bool(left))

    def _save(self) -> None:
        self.date.commit()
        if self.date.error():
            self._show_errors({DATE: self.date.error()})
            return
        when = self.date.date()
        if when is None:
            self._show_errors({DATE: "请填写离开的日期"})
            return
        kind = enum_choice(self.kind, EventKind)
        try:
            self._ws.roster.leave(self.member_id, kind, when, self.detail.text())
        except DomainError as e:
            self._show_errors(errors_by_field(e))
            return
        self.recorded_kind = kind
        self.accept()
