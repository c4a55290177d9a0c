"""Composition root details: Qt's own dialogs speak Chinese; the quit hook for smoke tests."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def test_qt_standard_buttons_are_chinese(qapp):
    from desktop.app import _install_qt_translations

    _install_qt_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_quit_hook_quits_the_event_loop(qapp, monkeypatch):
    from desktop.app import _quit_after_env

    monkeypatch.setenv("DANGJIAN_QUIT_AFTER_MS", "0")
    _quit_after_env(qapp)
    assert qapp.exec() == 0
