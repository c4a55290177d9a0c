"""Run long work off the GUI thread with a cancellable progress dialog.

The work is a plain function `work(progress, cancel)` from services/; it gets a
snapshot of what it needs, never a live widget. Results come back by signal.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..domain.tasks import CancelToken, Cancelled


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[..., Any], cancel: CancelToken):
        super().__init__()
        self._work, self._cancel = work, cancel

    def run(self) -> None:
        try:
            result = self._work(lambda d, t, m="": self.progressed.emit(d, t, m), self._cancel)
        except BaseException as e:  # handed to the GUI thread, shown there
            self.failed.emit(e)
        else:
            self.finished.emit(result)


class Task(QObject):
    """One background job. Emits done(result), failed(exception) or cancelled()."""

    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget, title: str, work: Callable[..., Any],
                 show_after_ms: int = 500):
        super().__init__(parent)
        self.cancel_token = CancelToken()
        self._thread = QThread(self)
        self._worker = _Worker(work, self.cancel_token)
        self._worker.moveToThread(self._thread)
        self._dialog = QProgressDialog(title, "取消", 0, 0, parent)
        self._dialog.setWindowTitle(title)
        self._dialog.setMinimumDuration(show_after_ms)
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.canceled.connect(self.cancel_token.cancel)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = False

    def start(self) -> "Task":
        self.running = True
        self._dialog.setValue(0)
        self._thread.start()
        return self

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))
        if message:
            self._dialog.setLabelText(message)

    def _finish(self) -> None:
        self.running = False
        self._dialog.reset()
        self._dialog.hide()
        self._thread.quit()
        self._thread.wait()

    def _on_finished(self, result: Any) -> None:
        self.result = result
        self._finish()
        self.done.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.error = error
        self._finish()
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(error)


def run_task(parent: QWidget, title: str, work: Callable[..., Any], *,
             on_done: Callable[[Any], None] | None = None,
             on_failed: Callable[[BaseException], None] | None = None,
             on_cancelled: Callable[[], None] | None = None) -> Task:
    """Start `work(progress, cancel)` in the background; callbacks run on the GUI thread."""
    task = Task(parent, title, work)
    if on_done:
        task.done.connect(on_done)
    if on_failed:
        task.failed.connect(on_failed)
    if on_cancelled:
        task.cancelled.connect(on_cancelled)
    QTimer.singleShot(0, task.start)
    return task
