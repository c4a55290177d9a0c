"""A date field that reads dates the way clerks type them, with a calendar button.

QDateEdit forces one format and cannot be empty; clerks type 2019.7.1,
2019年7月1日, 201907 … and many dates on the roster are optional. This field
accepts whatever desktop.domain.dates.parse_date accepts, shows 2019-07-01 once
the clerk leaves it, and keeps unreadable text as typed so it can be corrected.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QCalendarWidget, QFrame, QHBoxLayout, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ...domain.dates import format_date, parse_date
from ...domain.errors import FieldError

_CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)


class DateEdit(QWidget):
    """Line edit + calendar button. Empty text means no date (None)."""

    dateChanged = Signal(object)
    """The date (or None) after the clerk finished typing, picked one, or setDate."""
    errorChanged = Signal(object)
    """The Chinese message (or None) after the text was checked."""
    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "如 2019-07-01"):
        super().__init__(parent)
        self._edit = QLineEdit(self)
        self._edit.setPlaceholderText(placeholder)
        self._edit.setToolTip("可输入 2019-07-01、2019.7.1、2019年7月1日、20190701 等；Ctrl+; 填入今天，Alt+↓ 打开日历")
        self._edit.setMaxLength(40)
        self._button = self._edit.addAction(_calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        self._button.setToolTip("从日历中选择（Alt+↓）")
        self._button.triggered.connect(self.showCalendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._edit)
        self.setFocusProxy(self._edit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._last: date | None = None
        self._last_error: str | None = None
        self._popup: _CalendarPopup | None = None
        self._edit.editingFinished.connect(self._finish)
        self._edit.installEventFilter(self)

    # --- value ------------------------------------------------------------
    def date(self) -> date | None:
        """The date the text stands for now; None when empty or unreadable (see error())."""
        try:
            return parse_date(self._edit.text())
        except FieldError:
            return None

    def error(self) -> str | None:
        """Why the text is not a date (Chinese, from parse_date); None when it is fine or empty."""
        try:
            parse_date(self._edit.text())
        except FieldError as e:
            return e.message
        return None

    def setDate(self, d: date | None) -> None:
        self._edit.setText(format_date(d))
        self._publish()

    def setToday(self) -> None:
        if not self._edit.isReadOnly():
            self.setDate(date.today())
            self.editingFinished.emit()

    def text(self) -> str:
        return self._edit.text()

    def setText(self, text: str) -> None:
        """Set raw text as if typed; it is checked and normalised at once."""
        self._edit.setText(text)
        self._finish()

    def commit(self) -> None:
        """Normalise the display and publish, as leaving the field does."""
        self._finish()

    def lineEdit(self) -> QLineEdit:
        return self._edit

    def setReadOnly(self, read_only: bool) -> None:
        self._edit.setReadOnly(read_only)
        self._button.setVisible(not read_only)

    def isReadOnly(self) -> bool:
        return self._edit.isReadOnly()

    def setPlaceholderText(self, text: str) -> None:
        self._edit.setPlaceholderText(text)

    # --- calendar ---------------------------------------------------------
    def showCalendar(self) -> None:
        if self._edit.isReadOnly() or not self.isEnabled():
            return
        if self._popup is None:
            self._popup = _CalendarPopup(self)
            self._popup.picked.connect(self._picked)
        self._popup.open_at(self.mapToGlobal(QPoint(0, self.height())), self.date())

    def _picked(self, d: date | None) -> None:
        self.setDate(d)
        self._edit.setFocus()
        self.editingFinished.emit()

    # --- internals --------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+; fills in today, as in a spreadsheet; Alt+Down opens the calendar."""
        if watched is self._edit and event.type() == QEvent.Type.KeyPress:
            mods = event.modifiers()
            if event.key() == Qt.Key.Key_Semicolon and mods & Qt.KeyboardModifier.ControlModifier:
                self.setToday()
                return True
            if event.key() == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier:
                self.showCalendar()
                return True
        return super().eventFilter(watched, event)

    def _finish(self) -> None:
        d = self.date()
        if d is not None:
            shown = format_date(d)
            if shown != self._edit.text():
                self._edit.setText(shown)
        elif not self._edit.text().strip():
            self._edit.clear()
        self._publish()
        self.editingFinished.emit()

    def _publish(self) -> None:
        err = self.error()
        if err != self._last_error:
            self._last_error = err
            self.errorChanged.emit(err)
        d = self.date()
        if err is None and d != self._last:
            self._last = d
            self.dateChanged.emit(d)


def _calendar_icon() -> QIcon:
    """A small calendar drawn at run time, so the widget needs no icon file."""
    icon = QIcon()
    for size, color in ((16, "#5f6b7a"), (32, "#5f6b7a")):
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        u = size / 16
        ink = QColor(color)
        p.setPen(ink)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(1.5 * u, 2.5 * u, 13 * u, 12 * u, 1.5 * u, 1.5 * u)
        p.fillRect(int(2 * u), int(3 * u), int(12 * u), int(3 * u), ink)
        for row in range(2):
            for col in range(3):
                p.fillRect(int((4 + col * 3.2) * u), int((8 + row * 3) * u), int(2 * u), int(2 * u), ink)
        p.end()
        icon.addPixmap(pm)
    return icon


class _CalendarPopup(QFrame):
    """A calendar under the field, with 今天 and 清除."""

    picked = Signal(object)

    def __init__(self, parent: QWidget):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setLocale(_CHINESE)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setMinimumDate(QDate(1900, 1, 1))
        self.calendar.clicked.connect(lambda qd: self._pick(qd.toPython()))
        self.calendar.activated.connect(lambda qd: self._pick(qd.toPython()))
        today = QPushButton("今天", self)
        today.setAutoDefault(False)
        today.clicked.connect(lambda: self._pick(date.today()))
        clear = QPushButton("清除", self)
        clear.setAutoDefault(False)
        clear.clicked.connect(lambda: self._pick(None))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(today)
        buttons.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)
        layout.addLayout(buttons)

    def open_at(self, pos: QPoint, current: date | None) -> None:
        shown = QDate(current) if current else QDate.currentDate()
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())
        self.adjustSize()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            pos.setX(max(screen.left(), min(pos.x(), screen.right() - self.width())))
            if pos.y() + self.height() > screen.bottom():
                pos.setY(pos.y() - self.height() - self.parentWidget().height())
        self.move(pos)
        self.show()
        self.calendar.setFocus()

    def _pick(self, d: date | None) -> None:
        self.hide()
        self.picked.emit(d)
