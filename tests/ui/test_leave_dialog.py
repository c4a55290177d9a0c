"""LeaveDialog: 转出/停止党籍/出党/去世 recorded as a dated event, never a delete."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop.domain.member import Status
from desktop.domain.member_event import EventKind
from desktop.ui.dialogs.leave_dialog import LeaveDialog


def open_dialog(qtbot, workspace, member_id) -> LeaveDialog:
    dlg = LeaveDialog(workspace, member_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def click_ok(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def choose(dlg, kind: EventKind) -> None:
    dlg.kind.setCurrentIndex(dlg.kind.findData(kind.value))


def test_transfer_out_needs_a_destination_then_is_recorded(qtbot, workspace, populated):
    mid = populated["zhangsan"]
    dlg = open_dialog(qtbot, workspace, mid)
    assert dlg.date.date() == date.today()
    assert dlg.kind.currentData() == EventKind.TRANSFER_OUT
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "转往" in dlg.errors()
    assert dlg.form.rows["转往"].error_label.isVisible()
    assert workspace.roster.get(mid).status is Status.ACTIVE

    dlg.date.setText("2026年3月15日")
    dlg.detail.setText("区机关工委第二党支部")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    m = workspace.roster.get(mid)
    assert (m.status, m.left_date) == (Status.TRANSFERRED_OUT, date(2026, 3, 15))
    last = workspace.roster.events(mid)[-1]
    assert (last.kind, last.date, last.detail) == (EventKind.TRANSFER_OUT, date(2026, 3, 15),
                                                   "区机关工委第二党支部")


def test_bad_or_early_date_is_shown_under_the_date(qtbot, workspace, populated):
    mid = populated["lisi"]
    dlg = open_dialog(qtbot, workspace, mid)
    choose(dlg, EventKind.DECEASED)
    assert "*" not in dlg.form.rows["转往"].label.text()  # no destination needed
    dlg.date.setText("2026-02-30")
    click_ok(qtbot, dlg)
    assert "不存在" in dlg.errors()["日期"] and dlg.date.text() == "2026-02-30"
    dlg.date.setText("2001-01-01")  # before joining (2005-07-01)
    click_ok(qtbot, dlg)
    assert "加入党组织日期" in dlg.errors()["日期"]
    assert workspace.roster.get(mid).status is Status.ACTIVE
    dlg.date.setText("2026-01-05")
    click_ok(qtbot, dlg)
    assert dlg.recorded_kind is EventKind.DECEASED
    assert workspace.roster.get(mid).status is Status.DECEASED


def test_member_already_gone_is_told_and_nothing_changes(qtbot, workspace, populated):
    mid = populated["wangwu"]
    workspace.roster.leave(mid, EventKind.SUSPENDED, date(2026, 6, 1), "长期不参加组织生活")
    dlg = open_dialog(qtbot, workspace, mid)
    assert "已不在册" in dlg.errors()[""]
    choose(dlg, EventKind.EXPELLED)
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "已不在册" in dlg.errors()[""]
    assert workspace.roster.get(mid).status is Status.SUSPENDED
