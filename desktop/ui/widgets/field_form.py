"""Form building blocks shared by the record dialogs.

- FieldForm: rows of "label | widget" with a red message under the widget,
  keyed by the Chinese field label the domain's FieldError uses, so a dialog
  can show ValidationErrors.by_field() next to the right fields.
- TreeComboBox: a choice from a tree (organisations, 工作岗位), indented in
  the list, showing the item's full path when closed.
- CheckListPicker: several choices from a long list (多重组织生活), picked in
  a small filterable dialog and summarised on one line.
- line_edit, combo_box, hbox, small_button, select_text: one-line builders.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (QComboBox, QDialog, QGridLayout, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QStyle, QStyleOptionComboBox, QStylePainter, QVBoxLayout, QWidget)

from ..dialogs.base import ok_cancel

ERROR_COLOR = "#c0392b"
_INDENT = "\u3000"  # one ideographic space per level lines up under Han text
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class FieldRow:
    """One labelled field and the red message under it."""

    def __init__(self, key: str, label: QLabel, widget: QWidget, error_label: QLabel):
        self.key, self.label, self.widget, self.error_label = key, label, widget, error_label

    def set_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        self.widget.setToolTip(message or "")

    def error(self) -> str | None:
        return self.error_label.text() or None


class FieldForm(QWidget):
    """A two-column grid: label on the left, field and its message on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(1, 1)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(6)
        self._next_row = 0
        self.rows: dict[str, FieldRow] = {}

    def add_row(self, key: str, widget: QWidget, *, label: str | None = None,
                required: bool = False) -> FieldRow:
        """Add "label | widget"; `key` is the Chinese field label errors are reported under."""
        text = label or key
        caption = QLabel(f"{text}<span style='color:{ERROR_COLOR}'>*</span>" if required else text, self)
        caption.setTextFormat(Qt.TextFormat.RichText if required else Qt.TextFormat.PlainText)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        caption.setBuddy(widget.focusProxy() or widget)
        error = QLabel(self)
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {ERROR_COLOR};")
        error.setVisible(False)
        r = self._next_row
        self._grid.addWidget(caption, r, 0)
        self._grid.addWidget(widget, r, 1)
        self._grid.addWidget(error, r + 1, 1)
        self._next_row += 2
        row = FieldRow(key, caption, widget, error)
        self.rows[key] = row
        return row

    def add_widget(self, widget: QWidget) -> None:
        """A full-width line (a note, a button row)."""
        self._grid.addWidget(widget, self._next_row, 0, 1, 2)
        self._next_row += 1

    def add_stretch(self) -> None:
        self._grid.setRowStretch(self._next_row, 1)
        self._next_row += 1


def show_errors(rows: Mapping[str, FieldRow], errors: Mapping[str, str],
                aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Put each message under its field and clear the rest; return the ones no field took."""
    aliases = aliases or {}
    placed: dict[str, str] = {}
    left: dict[str, str] = {}
    for field, message in errors.items():
        key = aliases.get(field, field)
        if key in rows:
            placed.setdefault(key, message)
        else:
            left[field] = message
    for key, row in rows.items():
        row.set_error(placed.get(key))
    return left


class TreeComboBox(QComboBox):
    """Pick one node of a tree; the list is indented, the closed box shows the full path."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.setMaxVisibleItems(20)

    def add_node(self, name: str, value: Any, depth: int = 0, path: str | None = None,
                 selectable: bool = True) -> None:
        self.addItem(_INDENT * depth + name, value)
        i = self.count() - 1
        self.setItemData(i, path or name, PATH_ROLE)
        self.setItemData(i, path or name, Qt.ItemDataRole.ToolTipRole)
        if not selectable:
            item = self.model().item(i)  # QStandardItemModel behind every QComboBox
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable & ~Qt.ItemFlag.ItemIsEnabled)

    def value(self) -> Any:
        return self.currentData() if self.currentIndex() >= 0 else None

    def set_value(self, value: Any) -> bool:
        """Select the item holding `value`; False (and nothing selected) when there is none."""
        i = self.findData(value) if value is not None else -1
        self.setCurrentIndex(i)
        return i >= 0

    def current_path(self) -> str:
        if self.currentIndex() < 0:
            return ""
        return self.itemData(self.currentIndex(), PATH_ROLE) or ""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        if self.currentIndex() >= 0:
            opt.currentText = self.current_path()
        elif self.placeholderText():
            opt.currentText = self.placeholderText()
            opt.palette.setBrush(QPalette.ColorRole.ButtonText,
                                 opt.palette.brush(QPalette.ColorRole.PlaceholderText))
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        text_rect = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                                QStyle.SubControl.SC_ComboBoxEditField, self)
        opt.currentText = self.fontMetrics().elidedText(opt.currentText, Qt.TextElideMode.ElideLeft,
                                                        text_rect.width())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)


class CheckListPicker(QWidget):
    """A one-line summary of checked choices and a 选择… button opening a filterable list."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, title: str = "选择", empty_text: str = "无"):
        super().__init__(parent)
        self._title, self._empty_text = title, empty_text
        self._choices: list[tuple[Any, str, int, str]] = []  # value, name, depth, path
        self._checked: list[Any] = []
        self.dialog: QDialog | None = None  # the open list, for tests and callers
        self._summary = QLineEdit(self)
        self._summary.setReadOnly(True)
        self._summary.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._button = QPushButton("选择…", self)
        self._button.setAutoDefault(False)
        self._button.clicked.connect(self.pick)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._summary, 1)
        layout.addWidget(self._button)
        self.setFocusProxy(self._button)
        self._refresh()

    def set_choices(self, choices: Iterable[tuple[Any, str, int, str]]) -> None:
        """(value, name, depth, full path) in display order."""
        self._choices = list(choices)
        self._refresh()

    def values(self) -> list[Any]:
        return list(self._checked)

    def set_values(self, values: Iterable[Any]) -> None:
        new = list(dict.fromkeys(values))
        if new != self._checked:
            self._checked = new
            self._refresh()
            self.changed.emit()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt style
        self._button.setEnabled(not read_only)

    def pick(self) -> None:
        """Open the list (window-modal, without blocking); 确定 takes the checked choices."""
        dlg = _CheckListDialog(self, self._title, self._choices, self._checked)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.set_values(dlg.checked()))
        self.dialog = dlg
        dlg.open()

    def _refresh(self) -> None:
        names = {v: (n, p) for v, n, _, p in self._choices}
        self._summary.setText("、".join(names.get(v, (str(v),))[0] for v in self._checked))
        self._summary.setPlaceholderText(self._empty_text)
        self._summary.setToolTip("\n".join(names.get(v, ("", str(v)))[1] for v in self._checked))
        self._summary.setCursorPosition(0)


class _CheckListDialog(QDialog):
    def __init__(self, parent: QWidget, title: str, choices, checked: list[Any]):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(420, 460)
        self._filter = QLineEdit(self)
        self._filter.setPlaceholderText("输入名称筛选")
        self._filter.setClearButtonEnabled(True)
        self._filter.textChanged.connect(self._apply_filter)
        self.list = QListWidget(self)
        for value, name, depth, path in choices:
            item = QListWidgetItem(_INDENT * depth + name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setData(PATH_ROLE, path)
            item.setToolTip(path)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value in checked else Qt.CheckState.Unchecked)
        buttons = ok_cancel(self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self._filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _apply_filter(self, text: str) -> None:
        text = text.strip()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(text) and text not in item.data(PATH_ROLE))

    def checked(self) -> list[Any]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


# --- small builders for form dialogs -----------------------------------------------
def line_edit(max_length: int = 200, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_length)
    edit.setPlaceholderText(placeholder)
    return edit


def combo_box(items: Iterable[str]) -> QComboBox:
    combo = QComboBox()
    combo.addItems(list(items))
    return combo


def hbox(*parts: QWidget | int) -> QWidget:
    """Widgets in a row without margins; an int is a stretch factor."""
    w = QWidget()
    layout = QHBoxLayout(w)
    layout.setContentsMargins(0, 0, 0, 0)
    for p in parts:
        if isinstance(p, int):
            layout.addStretch(p)
        else:
            layout.addWidget(p)
    return w


def small_button(text: str, slot) -> QPushButton:
    """A button that Enter never presses by accident (the dialog's default button keeps Enter)."""
    b = QPushButton(text)
    b.setAutoDefault(False)
    b.clicked.connect(slot)
    return b


def select_text(combo: QComboBox, text: str) -> None:
    """Select `text`, adding it when an old or imported value is not among the choices."""
    text = text or ""
    i = combo.findText(text)
    if i < 0:
        combo.addItem(text)
        i = combo.count() - 1
    combo.setCurrentIndex(i)
