"""Showing errors to the clerk: domain errors as their Chinese message, everything else
as a short notice pointing at the log file. No traceback ever reaches the user.

Every message box in ui/ goes through `_show`, so tests can record messages and
answer questions without a modal loop.
"""
from __future__ import annotations

import importlib
import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ..domain.errors import DomainError, FieldError, ValidationErrors

log = logging.getLogger(__name__)

INFO, WARNING, CRITICAL, QUESTION = "info", "warning", "critical", "question"

_log_file: Path | None = None


def _show(kind: str, parent: QWidget | None, title: str, text: str) -> bool:
    """The one place a message box is opened; returns True for “是/确定”."""
    if kind == QUESTION:
        answer = QMessageBox.question(parent, title, text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
    box = {INFO: QMessageBox.information, WARNING: QMessageBox.warning,
           CRITICAL: QMessageBox.critical}[kind]
    box(parent, title, text)
    return True


def inform(parent: QWidget | None, text: str, title: str = "提示") -> None:
    _show(INFO, parent, title, text)


def warn(parent: QWidget | None, text: str, title: str = "无法完成") -> None:
    _show(WARNING, parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = "请确认") -> bool:
    return _show(QUESTION, parent, title, text)


def show_error(parent: QWidget | None, error: BaseException, title: str = "无法完成") -> None:
    """A broken rule shows its own message; anything else is logged and summarised."""
    if isinstance(error, DomainError):
        _show(WARNING, parent, title, str(error))
    else:
        show_unexpected(parent, type(error), error, error.__traceback__)


def set_log_file(path: Path | None) -> None:
    global _log_file
    _log_file = path


def unexpected_message() -> str:
    where = f"\n\n详细情况已记录在日志文件中：\n{_log_file}" if _log_file else ""
    return ("程序遇到了意外错误，刚才的操作可能没有完成。已保存的数据不受影响。"
            f"{where}\n\n如果问题反复出现，请把该日志文件交给技术支持人员。")


def show_unexpected(parent: QWidget | None, exc_type, exc, tb) -> None:
    log.error("unexpected error", exc_info=(exc_type, exc, tb))
    _show(CRITICAL, parent, "意外错误", unexpected_message())


_in_hook = False


def excepthook(exc_type, exc, tb) -> None:
    """sys.excepthook: log the traceback, show a short Chinese notice (never the traceback)."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if _in_hook or QApplication.instance() is None:
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        return
    _in_hook = True
    try:
        if isinstance(exc, DomainError):  # a service refused something a slot forgot to catch
            _show(WARNING, QApplication.activeWindow(), "无法完成", str(exc))
        else:
            show_unexpected(QApplication.activeWindow(), exc_type, exc, tb)
    finally:
        _in_hook = False


def errors_by_field(error: DomainError) -> dict[str, str]:
    """Field label → message for any domain error ("" for one that names no field)."""
    if isinstance(error, ValidationErrors):
        return error.by_field()
    if isinstance(error, FieldError):
        return {error.field: error.message}
    return {"": str(error)}


def load_optional(parent: QWidget | None, module: str, name: str):
    """desktop.ui.dialogs.<module>.<name>, or None (and a notice) when not installed."""
    full = f"{__package__}.dialogs.{module}"
    try:
        mod = importlib.import_module(full)
    except ModuleNotFoundError as e:
        if e.name != full:
            raise
        inform(parent, "该功能尚未安装。", "尚未安装")
        return None
    return getattr(mod, name)
