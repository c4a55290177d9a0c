"""Qt fixtures: message boxes recorded instead of shown, modal dialogs driven by a callback."""
from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_member


class Messages:
    """Every message box the UI would have shown; questions answered with `answer`."""

    def __init__(self):
        self.shown: list[tuple[str, str, str]] = []
        self.answer = True

    def __call__(self, kind, parent, title, text) -> bool:
        self.shown.append((kind, title, text))
        return self.answer if kind == "question" else True

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, _, t in self.shown if kind is None or k == kind]


@pytest.fixture(autouse=True)
def messages(monkeypatch) -> Messages:
    from desktop.ui import errors

    recorder = Messages()
    monkeypatch.setattr(errors, "_show", recorder)
    return recorder


@pytest.fixture
def modal(qtbot):
    """run(trigger, handler): call trigger(), which opens a modal dialog; handler(dialog)
    drives it. A dialog the handler leaves open is rejected, so a test never hangs."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    def run(trigger, handler, timeout_ms: int = 5000):
        state = {"seen": None, "error": None, "left_open": False, "waited": 0}
        # A timer object, not QTimer.singleShot(ms, callable): the latter corrupts
        # reference counts in PySide6 6.12.0.
        timer = QTimer()
        timer.setInterval(10)

        def poll():
            w = QApplication.activeModalWidget()
            if not isinstance(w, QDialog) or not w.isVisible():
                state["waited"] += 10
                if state["waited"] >= timeout_ms:
                    timer.stop()
                return
            timer.stop()
            state["seen"] = w
            try:
                handler(w)
            except BaseException as e:  # reported after the modal loop ends
                state["error"] = e
            if w.isVisible():
                state["left_open"] = True
                w.reject()

        timer.timeout.connect(poll)
        timer.start()
        trigger()
        timer.stop()
        if state["error"] is not None:
            raise state["error"]
        assert state["seen"] is not None, "no dialog was opened"
        return state

    return run


@pytest.fixture
def populated(workspace, street):
    """The small street with members: 张三 and 李四 in 第一网格, 王五 (预备) in 离退休."""
    from desktop.domain.member import Category

    r = workspace.roster
    ids = {
        "zhangsan": r.add(make_member(street["b1"], "张三", 1, birth=date(1980, 5, 17))),
        "lisi": r.add(make_member(street["b1"], "李四", 2, birth=date(1975, 3, 2), sex="女",
                                  classification="在职党员")),
        "wangwu": r.add(make_member(street["b2"], "王五", 3, birth=date(1990, 1, 9),
                                    category=Category.PROBATIONARY, joined=date(2026, 3, 1),
                                    confirmed=None)),
        "zhaoliu": r.add(make_member(street["group"], "赵六", 4, birth=date(1960, 8, 8))),
    }
    return street | ids


def wait_roster(qtbot, window) -> None:
    """Wait until the roster's background query has been applied."""
    model = window.roster.model
    qtbot.waitUntil(lambda: not model.loading and not window.roster._search_timer.isActive(),
                    timeout=5000)


@pytest.fixture
def window(qtbot, workspace, populated):
    from desktop.ui.main_window import MainWindow

    w = MainWindow(workspace)
    qtbot.addWidget(w)
    w.show()
    wait_roster(qtbot, w)
    yield w
    w.close()
    w.roster.model.shutdown()
