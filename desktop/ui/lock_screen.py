"""The start-up password prompt, the idle lock, and the privacy menu items (issue #8).

* ask_password(): before the main window shows any data, when a password is set.
* IdleLock: after the configured idle minutes (no key or mouse input anywhere in
  the program) every visible window — the main window and any open dialog — is
  covered by an opaque panel and a modal prompt asks for the password again.
  Nothing is closed or hidden (hiding a running dialog would end it), so text
  typed into open dialogs is all still there after unlocking.
* install_privacy(): 文件 → 操作日志… / 启动密码与自动锁定… and the idle lock,
  called once from the main window.
"""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit,
                               QMainWindow, QVBoxLayout, QWidget)

from ..services.security import LIMITS_NOTE

CHECK_EVERY_MS = 5000


def _activity_types() -> frozenset:
    # Built on first use: the first touch of QEvent.Type makes PySide build a Python enum
    # of ~180 members (tens of ms), which start-up without a password need not pay.
    return frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                      QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod})


class PasswordPrompt(QDialog):
    """Asks until the password is right (accept) or the clerk gives up (reject; start-up only)."""

    def __init__(self, workspace, parent: QWidget | None = None, *, locked: bool = False):
        super().__init__(parent)
        self.workspace = workspace
        self.locked = locked
        self.setWindowTitle("已锁定" if locked else "输入启动密码")
        self.setModal(True)
        if locked:
            self.setWindowModality(Qt.WindowModality.ApplicationModal)
        text = ("程序因长时间无操作已锁定，请输入启动密码继续。已打开的窗口和输入的内容都保留着。"
                if locked else f"数据库“{workspace.path.name}”设有启动密码，请输入后继续。")
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("启动密码")
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        note = QLabel(LIMITS_NOTE, self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #666666;")
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton("解锁" if locked else "确定",
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.try_password)
        if not locked:
            buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(
                self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.adjustSize()

    def try_password(self) -> None:
        if self.workspace.security.verify(self.password.text()):
            self.password.clear()
            self.accept()
            return
        self.password.clear()
        self.error.setText("密码不正确，请重新输入。")
        self.error.show()
        self.password.setFocus()

    def reject(self) -> None:
        if not self.locked:  # the lock screen cannot be dismissed without the password
            super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self.locked:
            event.ignore()
        else:
            super().closeEvent(event)


def ask_password(workspace, parent: QWidget | None = None) -> bool:
    """True when no password is set or the right one was typed; False when the clerk quit."""
    if not workspace.security.has_password():
        return True
    return PasswordPrompt(workspace, parent).exec() == QDialog.DialogCode.Accepted


class _Cover(QWidget):
    """An opaque panel over one window while the program is locked."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setAutoFillBackground(True)
        self.setStyleSheet("background-color: #3c4a5c; color: white;")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        label = QLabel("已锁定", self)
        label.setStyleSheet("font-size: 20px; color: white; background: transparent;")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        window.installEventFilter(self)
        self._fit()
        self.show()
        self.raise_()

    def _fit(self) -> None:
        self.setGeometry(self.parentWidget().rect())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False


class IdleLock(QObject):
    """Locks every window after `workspace.security.idle_minutes()` without input.

    Input is watched (an application-wide event filter, which every event of the program
    then passes through) only while a password and idle minutes are set; each check,
    every few seconds, starts or stops watching as the settings now say.
    """

    def __init__(self, window: QWidget, workspace: Callable[[], object]):
        super().__init__(window)
        self.window = window
        self._workspace = workspace
        self._last = time.monotonic()
        self._activity: frozenset | None = None  # event types counted as input, while watching
        self.covers: list[_Cover] = []
        self.prompt: PasswordPrompt | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        self.check()  # watch from the start when a password is set

    @property
    def locked(self) -> bool:
        return self.prompt is not None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if self._activity is not None and event.type() in self._activity and not self.locked:
            self._last = time.monotonic()
        return False

    @property
    def watching(self) -> bool:
        return self._activity is not None

    def _watch(self, on: bool) -> None:
        if on and self._activity is None:
            self._activity = _activity_types()
            self._last = time.monotonic()  # input before now was not seen: count from here
            QApplication.instance().installEventFilter(self)
        elif not on and self._activity is not None:
            QApplication.instance().removeEventFilter(self)
            self._activity = None

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last

    def check(self) -> None:
        if self.locked:
            return
        try:
            security = self._workspace().security
            minutes = security.idle_minutes()
            active = minutes > 0 and security.has_password()
        except Exception:  # noqa: BLE001 - a database being switched: try again next tick
            return
        was_watching = self.watching
        self._watch(active)
        if active and was_watching and self.idle_seconds() >= minutes * 60:
            self.lock()

    def lock(self) -> None:
        if self.locked:
            return
        windows = [w for w in QApplication.topLevelWidgets()
                   if w.isVisible() and isinstance(w, (QMainWindow, QDialog))]
        self.covers = [_Cover(w) for w in windows]
        self.prompt = PasswordPrompt(self._workspace(), self.window, locked=True)
        self.prompt.accepted.connect(self.unlock)
        self.prompt.show()
        self.prompt.raise_()
        self.prompt.activateWindow()

    def unlock(self) -> None:
        for c in self.covers:
            c.parentWidget().removeEventFilter(c)
            c.hide()
            c.deleteLater()
        self.covers = []
        if self.prompt is not None:
            self.prompt.deleteLater()
        self.prompt = None
        self._last = time.monotonic()

    def stop(self) -> None:
        self.timer.stop()
        self._watch(False)


class Privacy(QObject):
    """The menu items and the idle lock of one main window."""

    def __init__(self, window: QMainWindow):
        super().__init__(window)
        self.window = window
        self.audit_action = QAction("操作日志…", window)
        self.audit_action.setStatusTip("查看和导出每一次新增、修改、删除的记录")
        self.audit_action.triggered.connect(self.show_audit)
        self.password_action = QAction("启动密码与自动锁定…", window)
        self.password_action.setStatusTip("设置、修改或取消启动密码；设置无操作多久后自动锁定")
        self.password_action.triggered.connect(self.show_password)
        self.lock_action = QAction("立即锁定", window)
        self.lock_action.setShortcut("Ctrl+L")
        self.lock_action.triggered.connect(self.lock_now)
        window.addAction(self.lock_action)
        self._add_to_file_menu()
        self.idle = IdleLock(window, lambda: window.workspace)

    def _add_to_file_menu(self) -> None:
        menu = next((a.menu() for a in self.window.menuBar().actions()
                     if a.menu() is not None and a.text().startswith("文件")), None)
        if menu is None:
            return
        before = getattr(self.window, "quit_action", None)
        actions = [self.audit_action, self.password_action, self.lock_action]
        if before is not None and before in menu.actions():
            for a in actions:
                menu.insertAction(before, a)
            menu.insertSeparator(before)
        else:
            menu.addSeparator()
            menu.addActions(actions)

    def show_audit(self) -> None:
        from .dialogs.audit_dialog import AuditDialog

        AuditDialog(self.window.workspace, self.window).exec()

    def show_password(self) -> None:
        from .dialogs.password_dialog import PasswordDialog

        PasswordDialog(self.window.workspace, self.window).exec()

    def lock_now(self) -> None:
        if self.window.workspace.security.has_password():
            self.idle.lock()
        else:
            from . import errors

            errors.inform(self.window, "尚未设置启动密码，无法锁定。请先在“文件 → 启动密码与自动锁定…”中设置。")


def install_privacy(window: QMainWindow) -> Privacy:
    return Privacy(window)
