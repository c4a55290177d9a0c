"""The one base class every dialog shares: it remembers its size and place."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ..settings import settings


class RememberingDialog(QDialog):
    """Restores geometry saved under its class name; saves it when closed."""

    default_size = (640, 480)

    def __init__(self, parent: QWidget | None = None, title: str = ""):
        super().__init__(parent)
        if title:
            self.setWindowTitle(title)
        self.resize(*self.default_size)
        saved = settings().value(self._key())
        if saved is not None:
            self.restoreGeometry(saved)

    def _key(self) -> str:
        return f"geometry/{type(self).__name__}"

    def done(self, result: int) -> None:
        settings().setValue(self._key(), self.saveGeometry())
        super().done(result)


def ok_cancel(dialog: QDialog, on_ok, ok_text: str = "确定") -> QDialogButtonBox:
    """The button row of a dialog: OK (named `ok_text`) wired to `on_ok`, 取消 to reject."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons
