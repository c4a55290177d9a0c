"""启动密码与自动锁定…: set, change or remove the start-up password; the idle-lock delay.

The dialog says plainly what the password does and does not do: it keeps a casual
visitor out of the program, it does not encrypt the database file.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ...domain.errors import DomainError, FieldError
from ...services.security import LIMITS_NOTE, MAX_IDLE_MINUTES
from .. import errors
from .base import RememberingDialog


class PasswordDialog(RememberingDialog):
    default_size = (480, 420)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent, "启动密码与自动锁定")
        self.security = workspace.security

        caution = QLabel("注意：" + LIMITS_NOTE, self)
        caution.setWordWrap(True)
        caution.setStyleSheet("color: #8a5a00;")
        self.state = QLabel(self)

        self.current = self._password_field("当前密码")
        self.new = self._password_field("至少4个字符")
        self.repeat = self._password_field("再次输入新密码")
        form = QFormLayout()
        form.addRow("当前密码：", self.current)
        form.addRow("新密码：", self.new)
        form.addRow("再次输入：", self.repeat)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.set_button = QPushButton(self)
        self.set_button.setAutoDefault(False)
        self.set_button.clicked.connect(self.save_password)
        self.remove_button = QPushButton("取消密码", self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_password)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        row.addWidget(self.set_button)
        pw_box = QGroupBox("启动密码", self)
        pw_layout = QVBoxLayout(pw_box)
        pw_layout.addWidget(self.state)
        pw_layout.addLayout(form)
        pw_layout.addWidget(self.error)
        pw_layout.addLayout(row)

        self.idle = QSpinBox(self)
        self.idle.setRange(0, MAX_IDLE_MINUTES)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("不自动锁定")
        self.idle.setValue(self.security.idle_minutes())
        self.idle_button = QPushButton("保存", self)
        self.idle_button.setAutoDefault(False)
        self.idle_button.clicked.connect(self.save_idle)
        idle_box = QGroupBox("自动锁定（设有启动密码时）", self)
        idle_row = QHBoxLayout(idle_box)
        idle_row.addWidget(QLabel("无操作", self))
        idle_row.addWidget(self.idle)
        idle_row.addWidget(QLabel("后锁定", self))
        idle_row.addStretch(1)
        idle_row.addWidget(self.idle_button)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(caution)
        layout.addWidget(pw_box)
        layout.addWidget(idle_box)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self._show_state()

    def _password_field(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(128)
        return edit

    def _show_state(self) -> None:
        has = self.security.has_password()
        self.state.setText("已设置启动密码：打开程序和自动锁定后需输入。" if has
                           else "未设置启动密码：任何能使用这台电脑的人都能打开本程序。")
        self.current.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.set_button.setText("修改密码" if has else "设置密码")
        for f in (self.current, self.new, self.repeat):
            f.clear()

    def _fail(self, e: DomainError) -> None:
        self.error.setText(str(e))
        self.error.show()
        field = e.field if isinstance(e, FieldError) else ""
        target = {"当前密码": self.current, "新密码": self.new, "再次输入": self.repeat}.get(field)
        if target is not None:
            target.setFocus()
            target.selectAll()

    def save_password(self) -> None:
        had = self.security.has_password()
        try:
            self.security.set_password(self.current.text(), self.new.text(), self.repeat.text())
        except DomainError as e:
            self._fail(e)
            return
        self.error.hide()
        self._show_state()
        self.status.setText("启动密码已修改。" if had else "启动密码已设置，下次打开程序时需输入。")

    def remove_password(self) -> None:
        if not errors.confirm(self, "取消启动密码后，任何能使用这台电脑的人都能打开本程序查看数据。确定取消吗？"):
            return
        try:
            self.security.remove_password(self.current.text())
        except DomainError as e:
            self._fail(e)
            return
        self.error.hide()
        self._show_state()
        self.status.setText("已取消启动密码。")

    def save_idle(self) -> None:
        try:
            self.security.set_idle_minutes(self.idle.value())
        except DomainError as e:
            errors.show_error(self, e)
            return
        minutes = self.idle.value()
        self.status.setText(f"已保存：无操作{minutes}分钟后自动锁定。" if minutes else "已保存：不自动锁定。")
