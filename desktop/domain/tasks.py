"""Progress reporting and cancellation for long work, free of any GUI."""
from __future__ import annotations

from typing import Callable

Progress = Callable[[int, int, str], None]
"""progress(done, total, message): called now and then by long work."""


class Cancelled(Exception):
    """Raised inside long work when the clerk cancelled it; nothing is kept."""

    def __str__(self) -> str:
        return "操作已取消"


class CancelToken:
    """A flag the GUI sets and the worker checks between steps."""

    def __init__(self) -> None:
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def check(self) -> None:
        if self._cancelled:
            raise Cancelled()


def no_progress(done: int, total: int, message: str = "") -> None:
    """The default progress callback: ignore."""
