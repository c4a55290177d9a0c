"""Run long work off the GUI thread with a cancellable progress dialog.

The work is a plain function `work(progress, cancel)` from services/; it gets a
snapshot of what it needs, never a live widget.

The work runs on a plain Python thread that only writes its latest progress and its
outcome into attributes; a timer on the GUI thread reads them and emits the Task's
signals there. No Qt signal crosses threads: PySide6 6.12.0 miscounts references on
queued/cross-thread deliveries to Python callables and, after a few hundred, crashes
(the roster model works the same way).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..domain.tasks import CancelToken, Cancelled

POLL_MS = 15


class Task(QObject):
    """One background job. Emits done(result), failed(exception) or cancelled()."""

    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget, title: str, work: Callable[..., Any],
                 show_after_ms: int = 500):
        super().__init__(parent)
        self.cancel_token = CancelToken()
        self._work = work
        self._dialog = QProgressDialog(title, "取消", 0, 0, parent)
        self._dialog.setWindowTitle(title)
        self._dialog.setMinimumDuration(show_after_ms)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.canceled.connect(self.cancel_token.cancel)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check)
        self._thread: threading.Thread | None = None
        # Written by the worker thread (one tuple assignment each), read by _check.
        self._progress: tuple[int, int, str] | None = None
        self._outcome: tuple[bool, Any] | None = None
        self._shown_progress: tuple[int, int, str] | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = False

    def start(self) -> "Task":
        self.running = True
        self._dialog.setValue(0)
        self._thread = threading.Thread(target=self._run, name="task", daemon=False)
        self._thread.start()
        self._poll.start()
        return self

    def _run(self) -> None:  # the worker thread
        def progress(done: int, total: int, message: str = "") -> None:
            self._progress = (done, total, message)

        try:
            result = self._work(progress, self.cancel_token)
        except BaseException as e:  # handed to the GUI thread, shown there
            self._outcome = (False, e)
        else:
            self._outcome = (True, result)

    def _check(self) -> None:  # the GUI thread
        progress = self._progress
        if progress is not None and progress != self._shown_progress:
            self._shown_progress = progress
            done, total, message = progress
            if total > 0:
                self._dialog.setMaximum(total)
                self._dialog.setValue(min(done, total))
            if message:
                self._dialog.setLabelText(message)
        outcome = self._outcome
        if outcome is None:
            return
        self._finish()
        ok, value = outcome
        if ok:
            self.result = value
            self.done.emit(value)
            return
        self.error = value
        if isinstance(value, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(value)

    def _finish(self) -> None:
        self._poll.stop()
        self.running = False
        self._dialog.reset()
        self._dialog.hide()
        if self._thread is not None:
            self._thread.join()

    def wait(self, timeout_s: float = 60.0) -> None:
        """Block until the work has ended and its outcome was delivered (tests, tools)."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        if self.running:
            self._check()


def run_task(parent: QWidget, title: str, work: Callable[..., Any], *,
             on_done: Callable[[Any], None] | None = None,
             on_failed: Callable[[BaseException], None] | None = None,
             on_cancelled: Callable[[], None] | None = None) -> Task:
    """Start `work(progress, cancel)` in the background; callbacks run on the GUI thread,
    from the event loop (never before run_task has returned)."""
    task = Task(parent, title, work)
    if on_done:
        task.done.connect(on_done)
    if on_failed:
        task.failed.connect(on_failed)
    if on_cancelled:
        task.cancelled.connect(on_cancelled)
    return task.start()
