"""OrgDialog and MoveOrgDialog, driven as a clerk: type, choose, click 保存."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop.domain.organization import BranchKind, CommitteeRole, OrgKind
from desktop.ui.dialogs.org_dialog import MoveOrgDialog, OrgDialog


def open_dialog(qtbot, *args, **kw) -> OrgDialog:
    dlg = OrgDialog(*args, **kw)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def click_ok(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def choose(combo, value) -> None:
    i = combo.findData(getattr(value, "value", value))
    assert i >= 0, f"{value} is not offered"
    combo.setCurrentIndex(i)


def kinds(dlg) -> list:
    return [OrgKind(dlg.kind.itemData(i)) for i in range(dlg.kind.count())]


def test_create_community_then_branch(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace, parent_org_id=street["street"])
    assert dlg.kind.currentData() == OrgKind.COMMUNITY  # the usual child of a street
    assert not dlg.branch_kind.isEnabled()
    dlg.name.setText("和平社区党委")
    dlg.term_start.setText("2023年4月1日")
    dlg.contact.setText("王书记 13800000001")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    community = workspace.orgs.get(dlg.saved_id)
    assert (community.name, community.kind, community.parent_id) == (
        "和平社区党委", OrgKind.COMMUNITY, street["street"])
    assert (community.term_start, community.term_end) == (date(2023, 4, 1), date(2028, 4, 1))

    dlg = open_dialog(qtbot, workspace, parent_org_id=community.id)
    assert dlg.kind.currentData() == OrgKind.BRANCH
    dlg.name.setText("和平社区第一网格党支部")
    choose(dlg.branch_kind, BranchKind.GRID)
    click_ok(qtbot, dlg)
    branch = workspace.orgs.get(dlg.saved_id)
    assert (branch.kind, branch.branch_kind, branch.parent_id) == (
        OrgKind.BRANCH, BranchKind.GRID, community.id)


def test_only_kinds_that_fit_under_the_parent_are_offered(qtbot, workspace, street):
    assert kinds(open_dialog(qtbot, workspace, parent_org_id=street["b1"])) == [OrgKind.GROUP]
    assert OrgKind.COMMUNITY not in kinds(open_dialog(qtbot, workspace, parent_org_id=street["community"]))


def test_errors_show_under_their_fields_and_nothing_is_saved(qtbot, workspace, street):
    before = len(workspace.orgs.all())
    dlg = open_dialog(qtbot, workspace, parent_org_id=street["community"])
    dlg.name.setText("")
    dlg.founded.setText("2022-13-45")
    click_ok(qtbot, dlg)
    assert dlg.isVisible()
    assert set(dlg.errors()) == {"成立日期", "组织名称"}  # every mistake at once
    assert dlg.form.rows["成立日期"].error_label.isVisible()
    assert dlg.founded.text() == "2022-13-45"  # the typed text stays to be corrected

    dlg.founded.setText("2020-07-01")
    click_ok(qtbot, dlg)
    assert dlg.errors() == {"组织名称": "不能为空"}

    dlg.name.setText("第一网格党支部")  # a sibling has that name
    click_ok(qtbot, dlg)
    assert "已有" in dlg.errors()["组织名称"]
    assert dlg.name.text() == "第一网格党支部"
    assert len(workspace.orgs.all()) == before

    dlg.term_start.setText("2024-01-01")
    dlg.term_end.setText("2023-01-01")
    dlg.name.setText("第三网格党支部")
    click_ok(qtbot, dlg)
    assert "任期结束" in dlg.errors() and dlg.isVisible()
    assert len(workspace.orgs.all()) == before


def test_edit_name_and_choose_secretary_from_members(qtbot, workspace, street):
    from tests.conftest import make_member

    zhang = workspace.roster.add(make_member(street["b1"], "张三", 1))
    li = workspace.roster.add(make_member(street["b1"], "李四", 2))
    workspace.roster.add(make_member(street["b2"], "王五", 3))  # another branch: not offered
    dlg = open_dialog(qtbot, workspace, org_id=street["b1"])
    assert dlg.name.text() == "第一网格党支部"
    assert dlg.branch_kind.currentData() == BranchKind.GRID
    assert not dlg.kind.isEnabled()  # it has a 党小组 below it
    dlg.committee.add_row()
    role, person, _ = dlg.committee.rows()[0]
    assert role.currentData() == CommitteeRole.SECRETARY
    offered = [person.itemText(i) for i in range(1, person.count())]
    assert offered == ["李四", "张三"]
    choose(person, zhang)
    dlg.committee.add_row()
    role2, person2, _ = dlg.committee.rows()[1]
    assert role2.currentData() == CommitteeRole.DEPUTY
    choose(person2, li)
    dlg.name.setText("第一网格党支部（新）")
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert workspace.orgs.get(street["b1"]).name == "第一网格党支部（新）"
    seats = workspace.orgs.committee(street["b1"])
    assert [(s.member_name, s.role) for s in seats] == [
        ("张三", CommitteeRole.SECRETARY), ("李四", CommitteeRole.DEPUTY)]

    dlg = open_dialog(qtbot, workspace, org_id=street["b1"])  # the committee is shown again
    assert [p.currentText() for _, p, _ in dlg.committee.rows()] == ["张三", "李四"]


def test_move_dialog_offers_only_valid_parents(qtbot, workspace, street):
    from desktop.domain.organization import Organization

    c2 = workspace.orgs.create(Organization("和平社区党委", OrgKind.COMMUNITY, parent_id=street["street"]))
    dlg = MoveOrgDialog(workspace, street["b2"])
    qtbot.addWidget(dlg)
    dlg.show()
    model = dlg.model
    enabled = {n: bool(model.flags(model.index_of(i)) & Qt.ItemFlag.ItemIsEnabled)
               for n, i in (("street", street["street"]), ("community", street["community"]),
                            ("b1", street["b1"]), ("group", street["group"]), ("c2", c2.id))}
    assert enabled == {"street": True, "community": False, "b1": False, "group": False, "c2": True}
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "请在上面选择" in dlg.error.text()
    dlg.select(c2.id)
    click_ok(qtbot, dlg)
    assert dlg.moved and workspace.orgs.get(street["b2"]).parent_id == c2.id


def test_a_committee_change_is_dated_on_the_day_of_the_election(qtbot, workspace, street):
    from datetime import timedelta

    from desktop.domain.meeting import MeetingKind
    from desktop.domain.organization import CommitteeSeat
    from tests.conftest import make_member

    ids = {n: workspace.roster.add(make_member(street["b1"], n, i)) for i, n in enumerate(["张三", "李四", "王五"], 1)}
    workspace.orgs.set_committee(street["b1"], [CommitteeSeat(ids["张三"], CommitteeRole.SECRETARY),
                                                CommitteeSeat(ids["李四"], CommitteeRole.ORGANIZATION)])
    dlg = open_dialog(qtbot, workspace, org_id=street["b1"])
    assert dlg.committee_date.date() == date.today()  # by default the change happens today
    _, person, _ = dlg.committee.rows()[1]
    choose(person, ids["王五"])

    dlg.committee_date.setText((date.today() + timedelta(days=1)).isoformat())
    click_ok(qtbot, dlg)
    assert dlg.isVisible() and "不能晚于今天" in dlg.errors()["班子调整日期"]
    assert dlg.committee_form.rows["班子调整日期"].error_label.isVisible()
    assert [s.member_name for s in workspace.orgs.committee(street["b1"])] == ["张三", "李四"]

    dlg.committee_date.setText("2026年6月1日")  # the 换届 was held on that day
    click_ok(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted

    def committee(day):
        return [s.member_name for s in workspace.orgs.committee(street["b1"], on=day)]

    assert committee(date(2026, 5, 31)) == ["张三", "李四"]
    assert committee(date(2026, 6, 1)) == ["张三", "王五"] == committee(None)
    expected = workspace.meetings.expected_attendees(street["b1"], MeetingKind.COMMITTEE, date(2026, 5, 31))
    assert [a.name for a in expected] == ["张三", "李四"]


def test_a_new_term_start_dates_the_committee_change(qtbot, workspace, street):
    dlg = open_dialog(qtbot, workspace, org_id=street["community"])  # its term began 2022-03-01
    assert dlg.committee_date.date() == date.today()  # loading the term does not move it
    dlg.term_start.setText("2026-09-01")  # the clerk records the 换届 that began a new term
    assert dlg.committee_date.date() == date(2026, 9, 1)
    dlg.term_start.setText("2099-01-01")  # a future term start is not a committee change yet
    assert dlg.committee_date.date() == date(2026, 9, 1)
    new = open_dialog(qtbot, workspace, parent_org_id=street["b1"])  # nothing to date without a committee
    assert new.committee is None and not new.committee_date.isVisibleTo(new)
