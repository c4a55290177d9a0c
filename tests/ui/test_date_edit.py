"""DateEdit: every form parse_date reads, normalised on leaving the field; errors kept as typed."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop.ui.widgets.date_edit import DateEdit


@pytest.fixture
def edit(qtbot):
    w = DateEdit()
    qtbot.addWidget(w)
    return w


def type_and_leave(qtbot, edit: DateEdit, text: str) -> None:
    edit.lineEdit().clear()
    qtbot.keyClicks(edit.lineEdit(), text)
    qtbot.keyClick(edit.lineEdit(), Qt.Key.Key_Return)  # finishes editing like Tab would


@pytest.mark.parametrize("typed, expected", [
    ("2019.7.1", date(2019, 7, 1)),
    ("2019-07-01", date(2019, 7, 1)),
    ("2019/7/1", date(2019, 7, 1)),
    ("20190701", date(2019, 7, 1)),
    ("201907", date(2019, 7, 1)),
    ("2019-7", date(2019, 7, 1)),
    (" 2019.07.01 ", date(2019, 7, 1)),
])
def test_typed_ascii_forms_are_read_and_normalised(qtbot, edit, typed, expected):
    with qtbot.waitSignal(edit.dateChanged) as sig:
        type_and_leave(qtbot, edit, typed)
    assert sig.args == [expected]
    assert edit.date() == expected
    assert edit.text() == expected.isoformat()
    assert edit.error() is None


@pytest.mark.parametrize("typed, expected", [
    ("2019年7月1日", date(2019, 7, 1)),
    ("2019年7月", date(2019, 7, 1)),
    ("２０１９．７．１", date(2019, 7, 1)),  # full-width digits from a Chinese input method
])
def test_chinese_forms_are_read(edit, typed, expected):
    # Chinese text cannot be typed with keyClicks offscreen; setText behaves as typing + leaving.
    edit.setText(typed)
    assert edit.date() == expected
    assert edit.text() == "2019-07-01"


def test_empty_is_allowed_and_means_no_date(qtbot, edit):
    edit.setDate(date(2020, 1, 2))
    with qtbot.waitSignal(edit.dateChanged) as sig:
        type_and_leave(qtbot, edit, "   ")
    assert sig.args == [None]
    assert edit.date() is None and edit.error() is None and edit.text() == ""


@pytest.mark.parametrize("typed, message", [
    ("2019-02-30", "日期2019-02-30不存在"),
    ("abc", "无法识别的日期“abc”，请写成 2019-07-01 或 2019年7月1日"),
])
def test_unreadable_text_is_kept_and_explained(qtbot, edit, typed, message):
    with qtbot.waitSignal(edit.errorChanged) as sig:
        type_and_leave(qtbot, edit, typed)
    assert sig.args == [message]
    assert edit.text() == typed
    assert edit.date() is None
    assert edit.error() == message
    # Correcting it clears the message.
    with qtbot.waitSignal(edit.errorChanged) as sig:
        type_and_leave(qtbot, edit, "2019.7.1")
    assert sig.args == [None]
    assert edit.error() is None


def test_date_reads_current_text_before_leaving(qtbot, edit):
    qtbot.keyClicks(edit.lineEdit(), "2019.7.1")
    assert edit.date() == date(2019, 7, 1)
    assert edit.text() == "2019.7.1"  # shown as typed until the clerk leaves the field


def test_set_date_and_no_signal_without_change(qtbot, edit):
    with qtbot.waitSignal(edit.dateChanged):
        edit.setDate(date(2021, 3, 4))
    assert edit.text() == "2021-03-04"
    with qtbot.assertNotEmitted(edit.dateChanged):
        edit.setText("2021年3月4日")
    edit.setDate(None)
    assert edit.text() == "" and edit.date() is None


def test_ctrl_semicolon_fills_today(qtbot, edit):
    edit.show()
    qtbot.waitExposed(edit)
    edit.lineEdit().setFocus()
    qtbot.keyClick(edit.lineEdit(), Qt.Key.Key_Semicolon, Qt.KeyboardModifier.ControlModifier)
    assert edit.date() == date.today()


def test_calendar_pick_sets_the_date(qtbot, edit):
    edit.show()
    edit.setDate(date(2019, 7, 1))
    edit.showCalendar()
    popup = edit._popup
    assert popup.isVisible()
    assert popup.calendar.selectedDate().toPython() == date(2019, 7, 1)
    with qtbot.waitSignal(edit.dateChanged) as sig:
        popup.calendar.clicked.emit(popup.calendar.selectedDate().addDays(2))
    assert sig.args == [date(2019, 7, 3)]
    assert edit.text() == "2019-07-03"
    assert not popup.isVisible()


def test_read_only(qtbot, edit):
    edit.setDate(date(2019, 7, 1))
    edit.setReadOnly(True)
    edit.setToday()
    edit.showCalendar()
    assert edit.date() == date(2019, 7, 1)
    assert edit._popup is None
