"""Background tasks: outcome and progress reach the GUI thread by polling, never by a
signal crossing threads (which PySide6 6.12.0 miscounts and eventually crashes on)."""
from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QWidget

from desktop.domain.tasks import Cancelled
from desktop.ui.tasks import run_task


@pytest.fixture
def parent(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    return w


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, parent):
    gate = threading.Event()
    seen = []

    def work(progress, cancel):
        progress(3, 10, "正在处理第3项")
        assert gate.wait(10)
        return threading.current_thread().name

    task = run_task(parent, "处理", work, on_done=lambda r: seen.append(
        (r, threading.current_thread() is threading.main_thread())))
    qtbot.waitUntil(lambda: task._dialog.labelText() == "正在处理第3项", timeout=5000)
    assert task.running and task._dialog.value() == 3 and task._dialog.maximum() == 10
    gate.set()
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert seen == [("task", True)] and task.result == "task"


def test_failure_and_cancellation_are_told_apart(qtbot, parent):
    failed, cancelled = [], []

    def boom(progress, cancel):
        raise ValueError("坏数据")

    def patient(progress, cancel):
        while True:
            cancel.check()
            time.sleep(0.002)

    t1 = run_task(parent, "失败", boom, on_failed=failed.append)
    t2 = run_task(parent, "取消", patient, on_cancelled=lambda: cancelled.append(True))
    t2._dialog.canceled.emit()  # what the 取消 button does
    qtbot.waitUntil(lambda: not t1.running and not t2.running, timeout=5000)
    assert [str(e) for e in failed] == ["坏数据"] and cancelled == [True]
    assert isinstance(t2.error, Cancelled)


def test_hundreds_of_tasks_in_a_row_stay_sound(qtbot, parent):
    """Each delivered None/True through a cross-thread signal once; enough to crash 6.12.0."""
    results = []
    for i in range(400):
        task = run_task(parent, "批量", lambda p, c, i=i: None if i % 2 else True,
                        on_done=results.append)
        task.wait()
    assert results == [True, None] * 200
