"""The reminder rules on a frozen "today": exactly which items appear."""
from datetime import date, datetime

from desktop.domain import reminders as r
from desktop.domain.meeting import MeetingKind
from desktop.domain.meeting_calendar import ComplianceRow, QuarterCount
from desktop.domain.organization import OrgKind, Organization

TODAY = date(2026, 11, 22)


def _titles(items):
    return [i.title for i in items]


def test_probation_within_60_days_or_overdue():
    rows = [
        r.ProbationRow(1, "到期前60天", 10, "一支部", date(2026, 1, 21)),   # ends 2027-01-21: 60 days
        r.ProbationRow(2, "还差61天", 10, "一支部", date(2026, 1, 22)),     # ends 2027-01-22: 61 days
        r.ProbationRow(3, "已超期", 10, "一支部", date(2025, 11, 1)),       # ended 2026-11-01
        r.ProbationRow(4, "今天届满", 10, "一支部", date(2025, 11, 22)),
        r.ProbationRow(5, "延长后未到", 10, "一支部", date(2025, 6, 1), 6),  # ends 2026-12-01
        r.ProbationRow(6, "延长后尚远", 10, "一支部", date(2025, 11, 1), 12),  # ends 2027-11-01
        r.ProbationRow(7, "无入党日期", 10, "一支部", None),
    ]
    got = r.probation_reminders(rows, TODAY)
    assert sorted(_titles(got)) == sorted(["到期前60天", "已超期", "今天届满", "延长后未到"])
    by = {i.title: i for i in got}
    assert by["已超期"].overdue and by["已超期"].due == date(2026, 11, 1)
    assert "已超过21天" in by["已超期"].detail
    assert not by["今天届满"].overdue and "今天到期" in by["今天届满"].detail
    assert by["延长后未到"].due == date(2026, 12, 1) and "已延长6个月" in by["延长后未到"].detail
    assert by["到期前60天"].member_id == 1 and by["到期前60天"].org_id == 10
    assert all(i.kind == r.PROBATION for i in got)


def test_term_within_six_months_or_ended():
    orgs = [
        Organization("已届满社区", OrgKind.COMMUNITY, id=1, term_end=date(2026, 10, 1)),
        Organization("五个月后", OrgKind.BRANCH, id=2, term_end=date(2027, 4, 22)),
        Organization("六个月零一天", OrgKind.BRANCH, id=3, term_end=date(2027, 5, 23)),
        Organization("未设任期", OrgKind.BRANCH, id=4),
        Organization("已撤销", OrgKind.BRANCH, id=5, term_end=date(2026, 1, 1),
                     dissolved=date(2026, 3, 1)),
        Organization("党小组", OrgKind.GROUP, id=6, term_end=date(2026, 1, 1)),
        Organization("正好六个月", OrgKind.BRANCH, id=7, term_end=date(2027, 5, 22)),
    ]
    got = r.term_reminders(orgs, TODAY)
    assert _titles(got) == ["已届满社区", "五个月后", "正好六个月"]
    assert got[0].overdue and "已于2026-10-01届满" in got[0].detail
    assert not got[1].overdue and got[1].org_id == 2 and got[1].member_id is None


def _row(org_id, name, **by_kind):
    return ComplianceRow(org_id, name, "社区", {MeetingKind[k]: q for k, q in by_kind.items()})


def test_meetings_missing_or_due_this_quarter_per_organisation():
    rows = [
        _row(1, "全部已开", ASSEMBLY=QuarterCount(held=1, required=1),
             THEME_DAY=QuarterCount(held=2, required=3)),
        _row(2, "缺与待开", COMMITTEE=QuarterCount(held=1, required=3, missing=1, due=1),
             ASSEMBLY=QuarterCount(required=1, due=1)),
        _row(3, "只待开", THEME_DAY=QuarterCount(held=2, required=3, due=1)),
    ]
    got = r.meeting_reminders(rows, TODAY)
    assert _titles(got) == ["缺与待开", "只待开"]
    assert got[0].detail == "四季度未记录：支委会缺1次、待开1次；党员大会待开1次"
    assert got[0].overdue and not got[1].overdue
    assert got[0].page == r.MEETINGS_PAGE and got[0].org_id == 2


def _contact(mid, name, **kw):
    return r.ContactRow(mid, name, 10, "一支部", **kw)


def test_lost_contact_six_months_or_more():
    rows = [
        _contact(1, "正好六个月", lost_contact=True, lost_contact_date=date(2026, 5, 22)),
        _contact(2, "五个月", lost_contact=True, lost_contact_date=date(2026, 6, 23)),
        _contact(3, "两年", lost_contact=True, lost_contact_date=date(2024, 11, 23)),
        _contact(4, "未标记", lost_contact=False, lost_contact_date=None),
    ]
    got = r.lost_contact_reminders(rows, TODAY)
    assert _titles(got) == ["正好六个月", "两年"]
    assert "已6个月" in got[0].detail and "已23个月" in got[1].detail


def test_mobile_members_not_checked_this_half_year():
    rows = [
        _contact(1, "上半年更新", is_mobile=True, outflow="广东省深圳市",
                 last_update=datetime(2026, 6, 30, 23, 0)),
        _contact(2, "下半年更新", is_mobile=True, last_update=datetime(2026, 7, 1, 8, 0)),
        _contact(3, "按分类流动", classification="流动党员", last_update=date(2025, 12, 1)),
        _contact(4, "不是流动", last_update=date(2020, 1, 1)),
    ]
    got = r.mobile_check_reminders(rows, TODAY)
    assert _titles(got) == ["上半年更新", "按分类流动"]
    assert "2026年下半年尚未核实" in got[0].detail and "广东省深圳市" in got[0].detail
    # In the first half-year the cut is 1 January.
    spring = r.mobile_check_reminders(rows, date(2026, 3, 1))
    assert _titles(spring) == ["按分类流动"]


def test_other_features_items_become_reminders():
    class Round:
        org_id, name, detail = 7, "2026年度述职评议", "尚有3个支部未提交"

    class Short:
        def __init__(self):
            self.org_id, self.title = 8, "某单位"

    class Own:
        def to_reminder(self):
            return r.Reminder("双报到", "自带", "说明", 9)

    got = r.as_reminders([Round(), Short(), Own()], r.DUTY, "duty_page", "未结束")
    assert [(g.title, g.detail, g.org_id, g.page) for g in got[:2]] == [
        ("2026年度述职评议", "尚有3个支部未提交", 7, "duty_page"), ("某单位", "未结束", 8, "duty_page")]
    assert got[2].title == "自带" and got[2].kind == "双报到"


def test_sorting_and_scope():
    items = [
        r.Reminder("新功能", "x", "", 1),
        r.Reminder(r.TERM, "b", "", 2, due=date(2027, 1, 1)),
        r.Reminder(r.PROBATION, "late", "", 3, due=date(2026, 12, 30)),
        r.Reminder(r.PROBATION, "overdue", "", 3, due=date(2027, 1, 1), overdue=True),
        r.Reminder(r.DUTY, "street-wide", "", None),
    ]
    assert _titles(r.sort_reminders(items)) == ["overdue", "late", "b", "street-wide", "x"]
    assert _titles(r.in_scope(items, {3})) == ["late", "overdue", "street-wide"]
    assert list(r.group_by_kind(items)) == [r.PROBATION, r.TERM, r.DUTY, "新功能"]


def test_registration_shortfall_report():
    from desktop.domain.registration_quota import Shortfall, ShortfallReport

    class C:
        name, year, content = "区人民医院党委", 2026, "结对帮扶困难家庭5户"

    rep = ShortfallReport(TODAY, "2026年第四季度", "2026年度",
                          [Shortfall(None, "王某", "区税务局", "2026年第四季度", 1, 2)], [], [C()])
    got = r.shortfall_reminders(rep, "registrations_page")
    assert [(g.title, g.detail) for g in got] == [
        ("王某（区税务局）", "2026年第四季度已联系1次，应至少2次"),
        ("区人民医院党委", "2026年承诺尚未践诺：结对帮扶困难家庭5户")]
    assert all(g.kind == r.REGISTRATION and g.org_id is None for g in got)
