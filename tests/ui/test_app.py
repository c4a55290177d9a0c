"""Composition root details: Qt's own dialogs speak Chinese; the quit hook for smoke tests."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def test_qt_standard_buttons_are_chinese(qapp):
    from desktop.app import _install_qt_translations

    _install_qt_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_quit_hook_waits_for_the_rosters_rows_then_quits(qapp, monkeypatch, capsys):
    """The start-up benchmark's "window up" is a usable window: the roster's rows are in it."""
    import time
    from types import SimpleNamespace

    from PySide6.QtCore import QTimer

    from desktop.app import _quit_after_env

    model = SimpleNamespace(rows_shown=False)
    window = SimpleNamespace(roster=SimpleNamespace(model=model))
    shown_at = []

    def rows_arrive() -> None:
        model.rows_shown = True
        shown_at.append(time.time())

    later = QTimer()
    later.setSingleShot(True)
    later.timeout.connect(rows_arrive)
    later.start(60)
    monkeypatch.setenv("DANGJIAN_QUIT_AFTER_MS", "0")
    _quit_after_env(qapp, window)
    assert qapp.exec() == 0
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("dangjian: window up at ")]
    assert shown_at and float(line.rsplit(" ", 1)[1]) >= shown_at[0]
