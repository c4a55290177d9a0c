"""工作台 over a real database on a frozen "today": exactly which reminders appear, and
the counts at a glance (SQL) agree with the members put in."""
from datetime import date, datetime

import pytest

from desktop.domain import reminders as r
from desktop.domain.meeting import MeetingKind
from desktop.domain.meeting_calendar import Frequency
from desktop.domain.member import Category
from tests.conftest import make_member

TODAY = date(2026, 11, 22)


@pytest.fixture
def home(workspace, street):
    """The fixture street with: two probationers, one lost-contact and one mobile member,
    only 支部党员大会 required (quarterly) and held by 离退休党支部 this quarter."""
    ws, s = workspace, street
    add = ws.roster.add
    ids = {
        "预备甲": add(make_member(s["b1"], "预备甲", 1, category=Category.PROBATIONARY,
                                  joined=date(2026, 1, 10), confirmed=None, group_id=s["group"])),
        "预备乙": add(make_member(s["b2"], "预备乙", 2, category=Category.PROBATIONARY,
                                  joined=date(2026, 3, 1), confirmed=None, sex="女",
                                  birth=date(1990, 2, 3), education="大学专科")),
        "失联丙": add(make_member(s["b1"], "失联丙", 3, lost_contact=True,
                                  lost_contact_date=date(2026, 1, 1), ethnicity="回族")),
        "流动丁": add(make_member(s["b2"], "流动丁", 4, is_mobile=True, outflow="浙江省杭州市",
                                  classification="流动党员", birth=date(1950, 1, 1),
                                  education="初中")),
        "正式戊": add(make_member(s["b2"], "正式戊", 5, sex="女", birth=date(1996, 11, 23),
                                  education="硕士研究生", classification="在职党员",
                                  joined=date(2018, 7, 1), confirmed=date(2019, 7, 1))),
    }
    ms = ws.meetings
    for kind in MeetingKind:
        if kind is not MeetingKind.ASSEMBLY:
            ms.set_frequency(kind, Frequency.NONE)
    m = ms.draft(s["b2"], MeetingKind.ASSEMBLY, datetime(2026, 10, 15, 14, 30))
    m.topics = ["学习党章"]
    ms.save(m, today=TODAY)
    return ws, s, ids


def _seen(items):
    return sorted((i.kind, i.title) for i in items)


def test_whole_street_reminders_exactly(home):
    ws, s, ids = home
    items = ws.home.reminders(TODAY)
    assert _seen(items) == sorted([
        (r.PROBATION, "预备甲"),            # ends 2027-01-10, within 60 days
        (r.TERM, "幸福社区党委"),            # term 2022-03-01 + 5 years = 2027-03-01
        (r.MEETING, "第一网格党支部"),        # no 党员大会 this quarter; 离退休党支部 held one
        (r.LOST_CONTACT, "失联丙"),          # since 2026-01-01
    ])
    by = {i.title: i for i in items}
    assert by["预备甲"].member_id == ids["预备甲"] and by["预备甲"].org_id == s["b1"]
    assert by["预备甲"].org_name == "第一网格党支部"
    assert by["幸福社区党委"].org_id == s["community"] and by["幸福社区党委"].due == date(2027, 3, 1)
    assert by["第一网格党支部"].detail == "四季度未记录：党员大会待开1次"
    assert by["第一网格党支部"].page == r.MEETINGS_PAGE
    # Ordered by kind as the page shows them.
    assert [i.kind for i in items] == [r.PROBATION, r.TERM, r.MEETING, r.LOST_CONTACT]


def test_scope_and_later_dates(home):
    ws, s, ids = home
    assert ws.home.reminders(TODAY, s["b2"]) == []
    assert _seen(ws.home.reminders(TODAY, s["b1"])) == sorted([
        (r.PROBATION, "预备甲"), (r.MEETING, "第一网格党支部"), (r.LOST_CONTACT, "失联丙")])
    # A 党小组 chosen: its members only.
    assert _seen(ws.home.reminders(TODAY, s["group"])) == [(r.PROBATION, "预备甲")]
    # Early next year the record of the mobile member (saved this year) is not checked yet;
    # 预备乙 (ends 2027-03-01) comes within 60 days on 2027-01-01.
    later = date(date.today().year + 1, 1, 10)
    got = ws.home.reminders(later, s["b2"])
    mobile = [i for i in got if i.kind == r.MOBILE_CHECK]
    assert [i.title for i in mobile] == ["流动丁"] and "浙江省杭州市" in mobile[0].detail
    assert mobile[0].member_id == ids["流动丁"]


def test_other_features_sources_and_a_failing_one(home):
    ws, s, _ids = home

    class Round:
        def __init__(self, org_id):
            self.org_id, self.name, self.detail = org_id, "2026年度书记述职评议", "测评表尚未收齐"

    class Duty:
        def open_rounds(self):
            return [Round(s["b1"])]

    class Registrations:
        def shortfalls(self, today):
            assert today == TODAY
            raise RuntimeError("数据库表尚未建立")

    ws.duty, ws.registrations = Duty(), Registrations()
    data = ws.home.load(None, TODAY)
    duty = [i for i in data.reminders if i.kind == r.DUTY]
    assert [(i.title, i.detail, i.org_id) for i in duty] == [
        ("2026年度书记述职评议", "测评表尚未收齐", s["b1"])]
    assert data.failures == ["双报到：数据库表尚未建立"]
    assert len(data.reminders) == 5  # the built-in four are still there
    # A source added by another feature.
    ws.home.add_source("测试", lambda home, today, scope: [r.Reminder("测试", "甲", "乙", None)])
    assert ws.home.reminders(TODAY)[-1].title == "甲"


def test_counts_at_a_glance(home):
    ws, s, _ids = home
    st = ws.home.stats(None, TODAY)
    groups = dict(st.groups())
    assert st.counts.total == 5 and st.scope_name == "测试街道党工委"
    assert dict(groups["人员类别"]) == {"正式党员": 3, "预备党员": 2}
    assert dict(groups["性别"]) == {"男": 3, "女": 2, "未填": 0}
    assert dict(groups["社区党员分类"]) == {"社区直管党员": 0, "在职党员": 1, "离退休党员": 0,
                                            "流动党员": 1, "未分类": 3}
    # Ages on 2026-11-22: 1980-05-17 → 46 (×2), 1990-02-03 → 36, 1950 → 76,
    # 1996-11-23 → 29 (30 only tomorrow).
    assert dict(groups["年龄"]) == {"30岁及以下": 1, "31—40岁": 1, "41—50岁": 2, "51—60岁": 0,
                                    "61—70岁": 0, "71岁及以上": 1}
    assert dict(groups["学历"]) == {"研究生": 1, "大学本科": 2, "大学专科": 1, "中专": 0,
                                    "高中": 0, "初中及以下": 1, "其他": 0}
    b2 = ws.home.stats(s["b2"], TODAY)
    assert b2.counts.total == 3 and b2.scope_name == "离退休党支部"
    # This year's meetings: 党员大会 required each quarter in both branches.
    mc = st.meetings
    assert [(k.short, q.held, q.required, q.missing, q.due) for k, q in mc.kinds.items()] == [
        ("党员大会", 1, 8, 6, 1)]
    assert mc.rate == pytest.approx(2 / 8)
    assert ws.home.stats(s["b2"], TODAY).meetings.missing == 3


def test_left_members_are_not_counted(home):
    ws, s, ids = home
    from desktop.domain.member_event import EventKind

    ws.roster.leave(ids["失联丙"], EventKind.TRANSFER_OUT, date(2026, 6, 1), "外省某社区党委")
    assert ws.home.stats(None, TODAY).counts.total == 4
    assert r.LOST_CONTACT not in {i.kind for i in ws.home.reminders(TODAY)}
