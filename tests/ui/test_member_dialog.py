"""MemberDialog driven as a clerk would: type, click, and check what the database holds."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from desktop.domain.idcard import make_id_number
from desktop.domain.member import Category, Status
from desktop.domain.member_event import EventKind
from desktop.domain.roster_view import STATUS_ALL, RosterFilter
from desktop.ui.dialogs.member_dialog import MemberDialog
from tests.conftest import make_member

WOMAN_ID = make_id_number("110105", date(1990, 3, 7), 12, "女")
MAN_ID = make_id_number("320102", date(1985, 11, 30), 3, "男")


def all_ids(ws) -> list[int]:
    return ws.roster.ordered_ids(RosterFilter(status=STATUS_ALL))


def open_dialog(qtbot, workspace, *args, **kw) -> MemberDialog:
    dlg = MemberDialog(workspace, *args, **kw)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.windowHandle().requestActivate()  # shortcuts (Ctrl+S) and focus need an active window
    qtbot.waitUntil(dlg.isActiveWindow)
    return dlg


def enter_text(edit: QLineEdit, text: str) -> None:
    """Chinese cannot be typed with keyClicks offscreen: set it and finish editing as the clerk would."""
    edit.setFocus()
    edit.setText(text)
    edit.textEdited.emit(text)
    edit.editingFinished.emit()


def type_ascii(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, text)
    edit.editingFinished.emit()  # leaving the field


def choose(combo, text: str) -> None:
    i = combo.findText(text)
    assert i >= 0, f"{text!r} not offered"
    combo.setCurrentIndex(i)


def error_under(dlg: MemberDialog, field: str) -> str | None:
    row = dlg.rows[field]
    return row.error_label.text() if row.error_label.isVisibleTo(dlg) else None


def fill_new_member(qtbot, dlg: MemberDialog, id_number: str = WOMAN_ID) -> None:
    enter_text(dlg.name_edit, "王  芳")
    type_ascii(qtbot, dlg.id_edit, id_number)
    type_ascii(qtbot, dlg.joined_edit.lineEdit(), "2012.7.1")
    type_ascii(qtbot, dlg.confirmed_edit.lineEdit(), "2013-07-01")
    type_ascii(qtbot, dlg.mobile_edit, "13912345678")


def test_add_a_new_member(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    assert dlg.org_combo.value() == street["b1"]
    fill_new_member(qtbot, dlg)
    choose(dlg.education_combo, "大学本科")
    dlg.ethnicity_combo.setCurrentText("回")  # a short form is read as 回族
    choose(dlg.class_combo, "在职党员")
    dlg.job_combo.set_value("民营企业")
    enter_text(dlg.address_edit, "人民路1号")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    assert dlg.result() == QDialog.DialogCode.Accepted
    m = workspace.roster.get(dlg.saved_id)
    assert (m.name, m.id_number, m.org_id) == ("王芳", WOMAN_ID, street["b1"])
    assert (m.sex, m.birth_date) == ("女", date(1990, 3, 7))
    assert (m.joined, m.confirmed, m.category) == (date(2012, 7, 1), date(2013, 7, 1), Category.FULL)
    assert (m.education, m.ethnicity, m.classification, m.job) == ("大学本科", "回族", "在职党员", "民营企业")
    assert (m.mobile, m.address, m.status) == ("13912345678", "人民路1号", Status.ACTIVE)
    assert [e.kind for e in workspace.roster.events(m.id)] == [EventKind.JOINED]


def test_sex_and_birth_date_are_filled_from_the_id_number(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace)
    assert dlg.sex_combo.currentText() == "" and dlg.birth_edit.text() == ""
    type_ascii(qtbot, dlg.id_edit, "110105 19900307 024" + WOMAN_ID[-1].lower())
    assert dlg.id_edit.text() == WOMAN_ID  # spaces gone, x upper-cased
    assert dlg.sex_combo.currentText() == "女"
    assert dlg.birth_edit.text() == "1990-03-07"
    assert error_under(dlg, "公民身份号码") is None


def test_id_number_does_not_overwrite_what_was_typed(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace)
    choose(dlg.sex_combo, "男")
    type_ascii(qtbot, dlg.birth_edit.lineEdit(), "1990-03-08")
    type_ascii(qtbot, dlg.id_edit, WOMAN_ID)
    assert dlg.sex_combo.currentText() == "男" and dlg.birth_edit.text() == "1990-03-08"
    # The disagreement is the roster rule's to report, next to each field, on saving.
    enter_text(dlg.name_edit, "王芳")
    type_ascii(qtbot, dlg.joined_edit.lineEdit(), "2012-07-01")
    dlg.org_combo.set_value(street["b1"])
    assert not dlg.save()
    assert "不一致" in error_under(dlg, "性别")
    assert "1990-03-07" in error_under(dlg, "出生日期")


def test_wrong_check_digit_is_shown_next_to_the_id_and_nothing_is_saved(qtbot, workspace, street):
    wrong = WOMAN_ID[:-1] + ("0" if WOMAN_ID[-1] != "0" else "1")
    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    fill_new_member(qtbot, dlg, wrong)
    assert error_under(dlg, "公民身份号码") == f"校验位应为{WOMAN_ID[-1]}，现为{wrong[-1]}"
    assert dlg.sex_combo.currentText() == ""  # nothing filled from a wrong number

    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and dlg.saved_id is None
    assert all_ids(workspace) == []
    assert error_under(dlg, "公民身份号码") == f"校验位应为{WOMAN_ID[-1]}，现为{wrong[-1]}"
    # Everything typed is still there.
    assert (dlg.name_edit.text(), dlg.id_edit.text(), dlg.joined_edit.text()) == ("王  芳", wrong, "2012-07-01")
    assert QApplication.focusWidget() is dlg.id_edit  # the clerk is taken to the first mistake

    type_ascii(qtbot, dlg.id_edit, WOMAN_ID)
    assert error_under(dlg, "公民身份号码") is None
    assert dlg.save()
    assert len(all_ids(workspace)) == 1


def test_duplicate_id_number_names_the_existing_member(qtbot, workspace, street):
    workspace.roster.add(make_member(street["b2"], "李秀英", 5, birth=date(1990, 3, 7), sex="女",
                                     joined=date(2012, 7, 1), confirmed=date(2013, 7, 1)))
    existing = make_id_number("110105", date(1990, 3, 7), 5, "女")
    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    fill_new_member(qtbot, dlg, existing)
    assert "李秀英" in error_under(dlg, "公民身份号码")  # told as soon as the number is typed

    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert "李秀英" in error_under(dlg, "公民身份号码")
    assert len(all_ids(workspace)) == 1


def test_every_mistake_is_shown_at_once_next_to_its_field(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace)
    type_ascii(qtbot, dlg.joined_edit.lineEdit(), "2019-02-30")
    assert error_under(dlg, "加入党组织日期") == "日期2019-02-30不存在"  # live, on leaving the field
    type_ascii(qtbot, dlg.mobile_edit, "12345")
    qtbot.keyClick(dlg, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dlg.isVisible()
    assert error_under(dlg, "姓名") == "不能为空"
    assert error_under(dlg, "公民身份号码") == "不能为空"
    assert error_under(dlg, "所在党支部") == "请选择所在党组织"
    assert error_under(dlg, "加入党组织日期") == "日期2019-02-30不存在"
    assert error_under(dlg, "手机号码") == "应为以1开头的11位数字"
    assert "需要修改" in dlg.general_error.text()
    assert dlg.joined_edit.text() == "2019-02-30"
    assert all_ids(workspace) == []


def test_editing_changes_only_that_field(qtbot, workspace, street):
    mid = workspace.roster.add(make_member(
        street["b1"], "张三", 1, group_id=street["group"], phone="010-12345678", address="人民路1号",
        classification="在职党员", party_post="支部书记", job="事业单位", remarks="老党员",
        extra_org_ids=[street["b2"]], is_mobile=True, outflow="上海市"))
    before = asdict(workspace.roster.get(mid))
    dlg = open_dialog(qtbot, workspace, mid)
    assert dlg.group_combo.currentData() == street["group"]
    assert not dlg.is_dirty()
    type_ascii(qtbot, dlg.mobile_edit, "13700001111")
    assert dlg.is_dirty()
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.saved_id == mid
    after = asdict(workspace.roster.get(mid))
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"mobile"}
    assert after["mobile"] == "13700001111"
    assert [e.kind for e in workspace.roster.events(mid)] == [EventKind.JOINED]  # no 调动 event


def test_typed_chinese_date_becomes_iso(qtbot, workspace, street):
    mid = workspace.roster.add(make_member(street["b1"]))
    dlg = open_dialog(qtbot, workspace, mid)
    edit = dlg.joined_edit.lineEdit()
    enter_text(edit, "2019年7月1日")
    assert dlg.joined_edit.text() == "2019-07-01"
    type_ascii(qtbot, dlg.confirmed_edit.lineEdit(), "2020.7.1")
    assert dlg.confirmed_edit.text() == "2020-07-01"
    qtbot.keyClick(dlg.name_edit, Qt.Key.Key_Return)  # Enter saves
    assert dlg.result() == QDialog.DialogCode.Accepted
    m = workspace.roster.get(mid)
    assert (m.joined, m.confirmed) == (date(2019, 7, 1), date(2020, 7, 1))


def test_probationer_has_no_confirmation_date(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    fill_new_member(qtbot, dlg, MAN_ID)
    type_ascii(qtbot, dlg.joined_edit.lineEdit(), (date.today() - timedelta(days=100)).isoformat())
    assert dlg.confirmed_edit.isEnabled()
    choose(dlg.category_combo, "预备党员")
    assert not dlg.confirmed_edit.isEnabled()
    assert not dlg.rows["预备期"].label.isVisibleTo(dlg)  # 转正 is for saved probationers
    assert dlg.save()
    m = workspace.roster.get(dlg.saved_id)
    assert m.category is Category.PROBATIONARY and m.confirmed is None
    choose(dlg.category_combo, "正式党员")
    assert dlg.confirmed_edit.isEnabled()


def test_a_group_chosen_as_organisation_means_its_branch_and_group(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace)
    texts = [dlg.org_combo.itemText(i) for i in range(dlg.org_combo.count())]
    assert "测试街道党工委" not in "".join(texts)  # the street holds no members itself
    assert texts.index("\u3000\u3000第一党小组") == texts.index("\u3000第一网格党支部") + 1
    assert not dlg.group_combo.isEnabled()
    dlg.org_combo.set_value(street["group"])
    assert dlg.org_combo.value() == street["b1"]
    assert dlg.org_combo.current_path() == "幸福社区党委 / 第一网格党支部"
    assert dlg.group_combo.isEnabled() and dlg.group_combo.currentData() == street["group"]
    dlg.extra_picker.set_values([street["b2"]])
    fill_new_member(qtbot, dlg)
    assert dlg.save()
    m = workspace.roster.get(dlg.saved_id)
    assert (m.org_id, m.group_id, m.extra_org_ids) == (street["b1"], street["group"], [street["b2"]])


def test_opened_from_a_group_or_the_street(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace, default_org_id=street["group"])
    assert (dlg.org_combo.value(), dlg.group_combo.currentData()) == (street["b1"], street["group"])
    dlg = open_dialog(qtbot, workspace, default_org_id=street["street"])
    assert dlg.org_combo.value() is None  # the clerk must choose; the street holds no members


def test_other_organisations_are_picked_from_a_filterable_list(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    dlg.extra_picker.pick()
    picker = dlg.extra_picker.dialog
    assert picker is not None and picker.isVisible()
    picker._filter.setText("离退休")
    shown = [picker.list.item(i) for i in range(picker.list.count()) if not picker.list.item(i).isHidden()]
    assert [i.text().strip() for i in shown] == ["离退休党支部"]
    shown[0].setCheckState(Qt.CheckState.Checked)
    picker.accept()
    assert dlg.extra_picker.values() == [street["b2"]]
    assert "离退休党支部" in dlg.extra_picker._summary.text()


def test_history_of_a_member_who_left_is_read_only(qtbot, workspace, street):
    mid = workspace.roster.add(make_member(street["b1"], "赵刚", 2))
    workspace.roster.transfer_out(mid, date(2026, 3, 1), "区机关工委")
    dlg = open_dialog(qtbot, workspace, mid)
    assert dlg.banner.isVisible()
    assert dlg.banner.text() == "该党员已于2026-03-01转出（区机关工委）"
    assert dlg.name_edit.isReadOnly() and dlg.joined_edit.isReadOnly()
    assert not dlg.org_combo.isEnabled() and not dlg.save_button.isVisible()
    assert dlg.cancel_button.text() == "关闭"
    dlg.tabs.setCurrentIndex(1)
    assert dlg.tabs.tabText(1) == "历史"
    rows = [[dlg.history.topLevelItem(i).text(c) for c in range(4)]
            for i in range(dlg.history.topLevelItemCount())]
    assert rows == [["2005-07-01", "入党", "", "第一网格党支部"],
                    ["2026-03-01", "转出", "区机关工委", "第一网格党支部"]]
    assert not dlg.save()
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)  # nothing to discard: closes at once
    assert dlg.result() == QDialog.DialogCode.Rejected and not dlg.isVisible()


def test_history_lists_changes_of_group_among_the_events(qtbot, workspace, street):
    from desktop.domain.organization import OrgKind, Organization

    g2 = workspace.orgs.create(Organization("第二党小组", OrgKind.GROUP, parent_id=street["b1"])).id
    mid = workspace.roster.add(make_member(street["b1"], "钱七", 5, group_id=street["group"]))
    m = workspace.roster.get(mid)
    m.group_id = g2
    workspace.roster.update(m, when=date(2024, 4, 15))
    m.org_id, m.group_id = street["b2"], None  # a move to a branch without groups
    workspace.roster.update(m, when=date(2025, 9, 1))
    dlg = open_dialog(qtbot, workspace, mid)
    dlg.tabs.setCurrentIndex(1)
    rows = [[dlg.history.topLevelItem(i).text(c) for c in range(4)]
            for i in range(dlg.history.topLevelItemCount())]
    assert rows == [["2005-07-01", "入党", "", "第一网格党支部"],
                    ["2024-04-15", "调整党小组", "由第一党小组调至第二党小组", "第一网格党支部"],
                    ["2025-09-01", "组织内调动", "由第一网格党支部调至离退休党支部", "离退休党支部"],
                    ["2025-09-01", "调整党小组", "离开第二党小组", "第一网格党支部"]]


def probationer(workspace, street) -> int:
    joined = date.today() - timedelta(days=400)
    return workspace.roster.add(make_member(street["b1"], "孙丽", 7, birth=date(1998, 2, 3), sex="女",
                                            category=Category.PROBATIONARY, joined=joined, confirmed=None))


def test_confirm_a_probationer_through_the_button(qtbot, workspace, street):
    mid = probationer(workspace, street)
    dlg = open_dialog(qtbot, workspace, mid)
    assert not dlg.confirmed_edit.isEnabled()
    assert dlg.confirm_button.isVisible() and dlg.extend_button.isVisible()
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    action = dlg.action_dialog
    assert action.isVisible() and action.windowTitle() == "转正"
    when = action.form.rows["转正日期"].widget
    type_ascii(qtbot, when.lineEdit(), "1999-01-01")  # before admission: the rule says so, dialog stays
    qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    assert action.isVisible()
    assert action.form.rows["转正日期"].error_label.text() == "应晚于加入党组织日期"
    confirmed_on = date.today() - timedelta(days=30)
    enter_text(when.lineEdit(), f"{confirmed_on.year}年{confirmed_on.month}月{confirmed_on.day}日")
    qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    assert not action.isVisible()

    m = workspace.roster.get(mid)
    assert m.category is Category.FULL and m.confirmed == confirmed_on
    assert dlg.category_combo.currentText() == "正式党员"
    assert dlg.confirmed_edit.isEnabled() and dlg.confirmed_edit.date() == confirmed_on
    assert not dlg.confirm_button.isVisible()
    kinds = [dlg.history.topLevelItem(i).text(1) for i in range(dlg.history.topLevelItemCount())]
    assert kinds == ["入党", "转正"]
    assert not dlg.is_dirty()
    type_ascii(qtbot, dlg.phone_edit, "010-88886666")  # a later save keeps the 转正
    assert dlg.save()
    m = workspace.roster.get(mid)
    assert m.category is Category.FULL and m.confirmed == confirmed_on and m.phone == "010-88886666"


def test_extend_probation_through_the_button(qtbot, workspace, street):
    mid = probationer(workspace, street)
    dlg = open_dialog(qtbot, workspace, mid)
    enter_text(dlg.remarks_edit, "尚未保存的备注")
    dlg.extend_button.click()
    action = dlg.action_dialog
    action.form.rows["延长预备期"].widget.setValue(3)
    action.ok_button.click()
    assert action.isVisible()
    assert action.form.rows["延长预备期"].error_label.text() == "只能延长6至12个月"
    action.form.rows["延长预备期"].widget.setValue(6)
    action.ok_button.click()
    assert not action.isVisible()
    assert workspace.roster.get(mid).probation_extension_months == 6
    assert "已延长6个月" in dlg.probation_label.text()
    assert dlg.remarks_edit.text() == "尚未保存的备注" and dlg.is_dirty()
    assert dlg.save()
    m = workspace.roster.get(mid)
    assert m.probation_extension_months == 6 and m.remarks == "尚未保存的备注"


def test_escape_asks_before_discarding_changes(qtbot, workspace, street, messages):
    # `messages` (tests/ui/conftest.py) records message boxes and answers questions.
    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    qtbot.keyClick(dlg.name_edit, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not dlg.isVisible() and messages.shown == []

    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    enter_text(dlg.name_edit, "王芳")
    messages.answer = False  # 否: keep editing
    qtbot.keyClick(dlg.name_edit, Qt.Key.Key_Escape)
    assert messages.texts("question") == ["填写的内容尚未保存，确定放弃吗？"]
    assert dlg.isVisible() and dlg.name_edit.text() == "王芳"
    messages.answer = True
    dlg.close()  # the window's close button asks the same
    assert len(messages.texts("question")) == 2
    assert not dlg.isVisible() and dlg.result() == QDialog.DialogCode.Rejected
    assert all_ids(workspace) == []


def test_closing_after_confirming_reports_a_change(qtbot, workspace, street):
    mid = probationer(workspace, street)
    dlg = open_dialog(qtbot, workspace, mid)
    dlg.confirm_button.click()
    dlg.action_dialog.ok_button.click()
    qtbot.keyClick(dlg.name_edit, Qt.Key.Key_Escape)
    # Accepted tells the roster to refresh: the 转正 is already in the database.
    assert dlg.result() == QDialog.DialogCode.Accepted and dlg.saved_id == mid


def test_tab_order_follows_the_visual_order(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace, default_org_id=street["b1"])
    expected = [dlg.name_edit, dlg.id_edit, dlg.sex_combo, dlg.ethnicity_combo, dlg.birth_edit,
                dlg.education_combo, dlg.mobile_edit, dlg.phone_edit, dlg.address_edit,
                dlg.org_combo, dlg.group_combo, dlg.category_combo, dlg.joined_edit, dlg.confirmed_edit,
                dlg.post_edit, dlg.class_combo, dlg.job_combo, dlg.extra_picker, dlg.standing_combo,
                dlg.lost_check, dlg.mobile_check, dlg.remarks_edit,  # dates/flow off until ticked
                dlg.save_button, dlg.cancel_button]
    dlg.name_edit.setFocus()
    seen = []
    for _ in expected:
        w = QApplication.focusWidget()
        seen.append(next((e for e in expected if w is e or e.isAncestorOf(w)), w))
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    assert seen == expected


def test_changing_the_group_records_the_day_of_the_change(qtbot, workspace, street):
    from desktop.domain.meeting import MeetingKind
    from desktop.domain.organization import OrgKind, Organization

    g2 = workspace.orgs.create(Organization("第二党小组", OrgKind.GROUP, parent_id=street["b1"])).id
    mid = workspace.roster.add(make_member(street["b1"], "张三", 1, group_id=street["group"]))
    dlg = open_dialog(qtbot, workspace, mid)
    assert not dlg.moved_edit.isVisible()  # nothing moved: no date asked
    dlg.group_combo.setCurrentIndex(dlg.group_combo.findData(g2))
    assert dlg.moved_edit.isVisible() and dlg.moved_edit.date() == date.today()
    type_ascii(qtbot, dlg.moved_edit.lineEdit(), (date.today() + timedelta(days=1)).isoformat())
    assert not dlg.save()  # a move cannot take effect tomorrow
    assert "不能晚于今天" in error_under(dlg, "调整日期")
    assert workspace.roster.get(mid).group_id == street["group"]
    type_ascii(qtbot, dlg.moved_edit.lineEdit(), "2026-03-01")  # moved at the start of March
    assert dlg.save()
    assert workspace.roster.get(mid).group_id == g2

    def expected(group_id, day):
        return [a.name for a in workspace.meetings.expected_attendees(group_id, MeetingKind.GROUP, day)]

    assert expected(street["group"], date(2026, 2, 28)) == ["张三"]
    assert expected(g2, date(2026, 2, 28)) == []
    assert (expected(street["group"], date(2026, 3, 1)), expected(g2, date(2026, 3, 1))) == ([], ["张三"])


def test_putting_the_group_back_asks_no_date(qtbot, workspace, street):
    mid = workspace.roster.add(make_member(street["b1"], "李四", 2, group_id=street["group"]))
    dlg = open_dialog(qtbot, workspace, mid)
    dlg.group_combo.setCurrentIndex(dlg.group_combo.findData(None))
    assert dlg.moved_edit.isVisible()
    dlg.group_combo.setCurrentIndex(dlg.group_combo.findData(street["group"]))
    assert not dlg.moved_edit.isVisible()
    type_ascii(qtbot, dlg.address_edit, "xingfu road 1")
    assert dlg.save() and workspace.roster.group_changes(mid) == []
