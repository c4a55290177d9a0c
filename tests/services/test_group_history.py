"""党小组 membership over time: a past 党小组会 expects the members of the group on its day."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.domain.group_change import GroupChange
from desktop.domain.meeting import MeetingKind
from desktop.domain.meeting_rules import Interval
from desktop.domain.member_event import EventKind
from desktop.domain.organization import OrgKind, Organization
from desktop.services.exchange import ExchangeService
from desktop.services.importing import ImportService
from desktop.services.workspace import open_workspace
from desktop.storage import group_history
from tests import messy_workbooks as mw
from tests.conftest import make_member

MOVE = date(2026, 5, 1)
BEFORE = MOVE - timedelta(days=1)


@pytest.fixture
def groups(workspace, street):
    """第一网格党支部: 第一党小组 (张三, 李四), 第二党小组 (王五), 赵六 in no group;
    离退休党支部: 第三党小组 (empty)."""
    o, r = workspace.orgs, workspace.roster
    g2 = o.create(Organization("第二党小组", OrgKind.GROUP, parent_id=street["b1"])).id
    g3 = o.create(Organization("第三党小组", OrgKind.GROUP, parent_id=street["b2"])).id
    ids = {"张三": r.add(make_member(street["b1"], "张三", 1, group_id=street["group"])),
           "李四": r.add(make_member(street["b1"], "李四", 2, group_id=street["group"])),
           "王五": r.add(make_member(street["b1"], "王五", 3, group_id=g2)),
           "赵六": r.add(make_member(street["b1"], "赵六", 4))}
    return street | ids | {"g1": street["group"], "g2": g2, "g3": g3}


def expected(ws, group_id: int, day: date) -> list[str]:
    return [a.name for a in ws.meetings.expected_attendees(group_id, MeetingKind.GROUP, day)]


def change(ws, member_id: int, when: date = MOVE, **fields) -> None:
    m = ws.roster.get(member_id)
    for k, v in fields.items():
        setattr(m, k, v)
    ws.roster.update(m, when=when)


def stretches(ws, member_id: int) -> list[Interval]:
    with ws.db.reading() as conn:
        return group_history.stretches(conn, [member_id]).get(member_id, [])


def test_without_a_recorded_change_the_group_holds_on_every_date(workspace, groups):
    assert expected(workspace, groups["g1"], date(2010, 1, 1)) == ["李四", "张三"]
    assert expected(workspace, groups["g1"], MOVE) == ["李四", "张三"]
    assert stretches(workspace, groups["张三"]) == []  # nothing written until a change
    change(workspace, groups["张三"], mobile="13900000000")  # an edit that keeps the group
    assert stretches(workspace, groups["张三"]) == []


def test_a_move_between_groups_counts_from_its_day(workspace, groups):
    change(workspace, groups["张三"], group_id=groups["g2"])
    assert expected(workspace, groups["g1"], BEFORE) == ["李四", "张三"]  # the day before
    assert expected(workspace, groups["g2"], BEFORE) == ["王五"]
    assert expected(workspace, groups["g1"], MOVE) == ["李四"]  # the day of the move
    assert expected(workspace, groups["g2"], MOVE) == ["王五", "张三"]
    assert expected(workspace, groups["g1"], date(2010, 1, 1)) == ["李四", "张三"]  # since before records
    assert stretches(workspace, groups["张三"]) == [Interval(groups["g1"], None, MOVE),
                                                    Interval(groups["g2"], MOVE, None)]


def test_joining_later_is_not_expected_before_and_leaving_is_expected_before(workspace, groups):
    change(workspace, groups["赵六"], group_id=groups["g1"])
    change(workspace, groups["李四"], group_id=None)
    assert expected(workspace, groups["g1"], BEFORE) == ["李四", "张三"]
    assert expected(workspace, groups["g1"], MOVE) == ["张三", "赵六"]
    assert expected(workspace, groups["g1"], date(2010, 1, 1)) == ["李四", "张三"]


def test_a_correction_the_same_day_leaves_no_one_day_history(workspace, groups):
    change(workspace, groups["张三"], group_id=groups["g2"])
    change(workspace, groups["张三"], group_id=groups["g1"])
    assert expected(workspace, groups["g2"], MOVE) == ["王五"]
    assert expected(workspace, groups["g1"], MOVE) == ["李四", "张三"]
    assert stretches(workspace, groups["张三"]) == [Interval(groups["g1"], None, None)]
    # and two real moves keep both steps
    change(workspace, groups["王五"], group_id=groups["g1"])
    change(workspace, groups["王五"], MOVE + timedelta(days=30), group_id=None)
    assert "王五" in expected(workspace, groups["g2"], BEFORE)
    assert "王五" in expected(workspace, groups["g1"], MOVE + timedelta(days=29))
    assert "王五" not in expected(workspace, groups["g1"], MOVE + timedelta(days=30))


def test_a_move_to_another_branch_leaves_the_old_group_on_its_day(workspace, groups):
    change(workspace, groups["张三"], org_id=groups["b2"], group_id=groups["g3"])
    assert expected(workspace, groups["g1"], BEFORE) == ["李四", "张三"]
    assert expected(workspace, groups["g1"], MOVE) == ["李四"]
    assert expected(workspace, groups["g3"], BEFORE) == []
    assert expected(workspace, groups["g3"], MOVE) == ["张三"]
    moved = [e.date for e in workspace.roster.events(groups["张三"]) if e.kind is EventKind.MOVED]
    assert moved == [MOVE]  # the move and the group change share their day


def test_the_roster_lists_a_members_changes_of_group_with_their_days(workspace, groups):
    later = MOVE + timedelta(days=30)
    change(workspace, groups["张三"], group_id=groups["g2"])
    change(workspace, groups["张三"], later, group_id=None)
    change(workspace, groups["赵六"], group_id=groups["g1"])
    assert workspace.roster.group_changes(groups["张三"]) == [
        GroupChange(MOVE, groups["g1"], groups["g2"]), GroupChange(later, groups["g2"], None)]
    assert workspace.roster.group_changes(groups["赵六"]) == [GroupChange(MOVE, None, groups["g1"])]
    assert workspace.roster.group_changes(groups["李四"]) == []


def test_a_member_who_left_the_branch_is_expected_until_the_day_they_left(workspace, groups):
    workspace.roster.transfer_out(groups["李四"], MOVE, "区机关工委")
    assert expected(workspace, groups["g1"], BEFORE) == ["李四", "张三"]
    assert expected(workspace, groups["g1"], MOVE) == ["张三"]
    change(workspace, groups["张三"], group_id=groups["g2"])
    workspace.roster.transfer_out(groups["张三"], MOVE + timedelta(days=30), "区机关工委")
    assert "张三" in expected(workspace, groups["g2"], MOVE + timedelta(days=29))
    assert "张三" not in expected(workspace, groups["g2"], MOVE + timedelta(days=30))
    assert expected(workspace, groups["g1"], BEFORE) == ["李四", "张三"]


def test_a_roster_import_changing_the_group_records_its_day(workspace, groups):
    p = mw.people(1)[0]
    mid = workspace.roster.add(make_member(groups["b1"], p.name, p.seq, birth=p.birth, sex=p.sex,
                                           joined=p.joined, confirmed=p.confirmed,
                                           group_id=groups["g1"]))
    path = mw.custom_roster(workspace.path.parent / "groups.xlsx",
                            ["姓名", "身份证号", "入党时间", "所在党支部", "所在党小组"],
                            [[p.name, p.id_number, p.joined, "第一网格党支部", "第二党小组"]])
    svc = ImportService(workspace.db)
    plan = svc.plan_roster_import(path, org_id=groups["community"])
    assert plan.rows[0].changes == ("所在党小组",)
    svc.apply_roster_import(plan)
    assert workspace.roster.get(mid).group_id == groups["g2"]
    today = date.today()  # the import records the day it ran
    yesterday = today - timedelta(days=1)
    assert p.name in expected(workspace, groups["g1"], yesterday)
    assert p.name not in expected(workspace, groups["g2"], yesterday)
    assert p.name in expected(workspace, groups["g2"], today)
    assert p.name not in expected(workspace, groups["g1"], today)


def test_the_history_travels_in_an_exchange_package(workspace, groups, tmp_path):
    change(workspace, groups["张三"], group_id=groups["g2"])
    path = tmp_path / "all.djpkg"
    ExchangeService(workspace.db).export_package(groups["street"], path)
    other = open_workspace(tmp_path / "other.sqlite3")
    try:
        x = ExchangeService(other.db)
        x.apply_merge(x.plan_merge(x.read_package(path)))
        g1, g2 = other.orgs.find("第一党小组").id, other.orgs.find("第二党小组").id
        assert expected(other, g1, BEFORE) == ["李四", "张三"]
        assert expected(other, g2, MOVE) == ["王五", "张三"]
    finally:
        other.close()


def test_a_move_cannot_be_dated_in_the_future_or_before_joining(workspace, groups):
    from desktop.domain.errors import FieldError

    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(FieldError, match="不能晚于今天"):
        change(workspace, groups["张三"], when=tomorrow, group_id=groups["g2"])
    with pytest.raises(FieldError, match="不能早于加入党组织日期"):  # joined 2005-07-01
        change(workspace, groups["张三"], when=date(2005, 6, 30), group_id=groups["g2"])
    assert workspace.roster.get(groups["张三"]).group_id == groups["g1"]  # nothing saved
    assert stretches(workspace, groups["张三"]) == []
    change(workspace, groups["张三"], when=tomorrow, mobile="13900000000")  # no move: no date to check
