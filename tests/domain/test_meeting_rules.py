"""Quorum, resolutions, membership on a date, 补记 — at their edges."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.domain.errors import ValidationErrors
from desktop.domain.meeting import (AbsenceReason, Attendee, Meeting, MeetingKind, MeetingStatus,
                                    Resolution, UnitDelegate, time_range_text)
from desktop.domain.meeting_rules import (Interval, MemberHistory, absence_streaks, category_on,
                                          group_on, is_late, members_on, membership_intervals, org_on,
                                          resolution_outcome, tally, validate_meeting, vote_line)
from desktop.domain.member import Category, Status
from desktop.domain.member_event import EventKind, MemberEvent

FULL, PROB = Category.FULL, Category.PROBATIONARY


def meeting(kind=MeetingKind.ASSEMBLY, full=0, full_present=0, prob=0, prob_present=0,
            resolutions=()) -> Meeting:
    people = []
    for i in range(full):
        people.append(Attendee(i + 1, f"正{i}", FULL, present=i < full_present,
                               reason=None if i < full_present else AbsenceReason.SICK))
    for i in range(prob):
        people.append(Attendee(100 + i, f"预{i}", PROB, present=i < prob_present,
                               reason=None if i < prob_present else AbsenceReason.PERSONAL))
    return Meeting(1, kind, datetime(2026, 3, 12, 14, 30), datetime(2026, 3, 12, 16, 0),
                   topics=["议题"], attendees=people, resolutions=list(resolutions))


# --- quorum -------------------------------------------------------------------------------

def test_exactly_half_of_voters_present_is_not_a_quorum():
    t = tally(meeting(full=10, full_present=5))
    assert (t.voters_expected, t.voters_present, t.needed, t.valid) == (10, 5, 6, False)
    assert "未超过半数" in t.verdict() and "至少需6人" in t.verdict()


def test_one_more_than_half_is_a_quorum():
    t = tally(meeting(full=10, full_present=6))
    assert t.valid is True
    assert t.verdict() == "有表决权的应到10人，实到6人，超过半数，会议有效"


def test_odd_number_of_voters():
    assert tally(meeting(full=7, full_present=3)).valid is False
    assert tally(meeting(full=7, full_present=4)).valid is True


def test_probationers_attend_without_a_vote_and_do_not_make_a_quorum():
    # 4 正式党员 (2 present) + 3 预备党员 (all present): 5 of 7 came, but only 2 of 4 voters.
    t = tally(meeting(full=4, full_present=2, prob=3, prob_present=3))
    assert (t.expected, t.present, t.absent) == (7, 5, 2)
    assert (t.voters_expected, t.voters_present, t.nonvoters_present) == (4, 2, 3)
    assert t.valid is False


def test_absent_probationers_do_not_spoil_a_quorum():
    t = tally(meeting(full=4, full_present=3, prob=3, prob_present=0))
    assert t.valid is True and t.absent == 4


def test_no_voters_at_all_is_never_valid():
    t = tally(meeting(full=0, prob=2, prob_present=2))
    assert t.valid is False
    assert "没有有表决权" in t.verdict()


def test_committee_needs_more_than_half_of_its_members():
    assert tally(meeting(MeetingKind.COMMITTEE, full=5, full_present=2)).valid is False
    assert tally(meeting(MeetingKind.COMMITTEE, full=5, full_present=3)).valid is True
    assert tally(meeting(MeetingKind.COMMITTEE, full=4, full_present=2)).valid is False


def test_kinds_without_a_quorum_only_count():
    t = tally(meeting(MeetingKind.THEME_DAY, full=10, full_present=2))
    assert t.valid is None and t.verdict() == "" and t.summary() == "应到10人，实到2人，缺席8人"


def test_joint_meeting_counts_units_not_members():
    m = Meeting(1, MeetingKind.JOINT, datetime(2026, 3, 1, 9, 0),
                units=[UnitDelegate("区医院党委", "张院长"), UnitDelegate("某某中学党支部", "李书记", present=False)])
    t = tally(m)
    assert (t.expected, t.present, t.absent, t.valid) == (2, 1, 1, None)


# --- resolutions --------------------------------------------------------------------------

def test_yes_votes_must_exceed_half_of_voters_who_should_attend_not_of_those_present():
    # 10 voters expected, 6 present; 5 yes is a majority of those present but not of 10.
    m = meeting(full=10, full_present=6, resolutions=[Resolution("接收张三为预备党员", 5, 1, 0)])
    out = resolution_outcome(m, 0)
    assert out.passed is False and out.needed == 6 and "须达6票" in out.text
    m.resolutions[0].yes, m.resolutions[0].no = 6, 0
    assert resolution_outcome(m, 0).passed is True
    assert vote_line(m, 0) == "赞成6票，反对0票，弃权0票，通过"


def test_exactly_half_yes_fails():
    m = meeting(full=8, full_present=8, resolutions=[Resolution("决议", 4, 4, 0)])
    assert resolution_outcome(m, 0).passed is False
    m.resolutions[0].yes, m.resolutions[0].no = 5, 3
    assert resolution_outcome(m, 0).passed is True


def test_probationers_present_do_not_add_votes():
    # 5 voters expected (3 present) + 4 probationers present: the needed count stays 3.
    m = meeting(full=5, full_present=3, prob=4, prob_present=4, resolutions=[Resolution("决议", 3, 0, 0)])
    assert resolution_outcome(m, 0).passed is True
    m.resolutions[0].yes = 4  # more votes than voters present
    with pytest.raises(ValidationErrors) as e:
        validate_meeting(m)
    assert "多于实到的有表决权党员3人" in e.value.by_field()["决议"]


def test_nothing_passes_at_an_invalid_meeting():
    m = meeting(full=10, full_present=5, resolutions=[Resolution("决议", 5, 0, 0)])
    assert resolution_outcome(m, 0) .text == "未通过（会议无效）"


def test_election_needs_four_fifths_present():
    m = meeting(full=10, full_present=8, resolutions=[Resolution("选举支部委员会", 8, 0, 0, election=True)])
    assert resolution_outcome(m, 0).passed is False  # 8 of 10 is exactly 4/5, not more
    m = meeting(full=10, full_present=9, resolutions=[Resolution("选举支部委员会", 9, 0, 0, election=True)])
    assert resolution_outcome(m, 0).passed is True


def test_non_voting_kinds_have_no_outcome():
    m = meeting(MeetingKind.LECTURE, full=3, full_present=3, resolutions=[Resolution("学习", 3, 0, 0)])
    assert resolution_outcome(m, 0).passed is None
    assert vote_line(m, 0) == "赞成3票，反对0票，弃权0票"


# --- validation ---------------------------------------------------------------------------

def test_every_absentee_needs_a_reason_and_the_chair_must_be_present():
    m = meeting(full=3, full_present=1)
    m.attendees[1].reason = None
    m.host_id = 3
    with pytest.raises(ValidationErrors) as e:
        validate_meeting(m)
    fields = e.value.by_field()
    assert "正1" in fields["缺席原因"]
    assert "不能担任主持人" in fields["主持人"]


def test_a_planned_meeting_needs_no_topic_or_reasons():
    m = meeting(full=3, full_present=0)
    m.topics, m.status = [], MeetingStatus.PLANNED
    for a in m.attendees:
        a.reason = None
    validate_meeting(m)


def test_held_meeting_checks():
    m = Meeting(1, MeetingKind.LECTURE, datetime(2026, 3, 1, 9, 0), datetime(2026, 3, 1, 8, 0))
    with pytest.raises(ValidationErrors) as e:
        validate_meeting(m)
    assert set(e.value.by_field()) >= {"结束时间", "主题", "授课人"}
    other = Meeting(1, MeetingKind.OTHER, datetime(2026, 3, 1, 9, 0), topics=["x"])
    with pytest.raises(ValidationErrors, match="会议名称"):
        validate_meeting(other)


def test_time_range_text():
    assert time_range_text(datetime(2026, 3, 12, 14, 30), datetime(2026, 3, 12, 16, 5)) == \
        "2026年3月12日 14:30—16:05"
    assert time_range_text(datetime(2026, 3, 12, 9, 0), None) == "2026年3月12日 09:00"


# --- membership on a date -----------------------------------------------------------------

def ev(kind, day, org, i=0):
    return MemberEvent(1, kind, day, "", org, id=i)


def test_joined_on_the_day_is_expected_joined_the_day_after_is_not():
    h = MemberHistory(1, "张三", 10, joined=date(2026, 3, 12),
                      events=[ev(EventKind.JOINED, date(2026, 3, 12), 10)])
    assert org_on(h, date(2026, 3, 12)) == 10
    assert org_on(h, date(2026, 3, 11)) is None


def test_left_on_the_day_is_not_expected_left_the_day_after_is():
    h = MemberHistory(1, "张三", 10, status=Status.TRANSFERRED_OUT, joined=date(2010, 1, 1),
                      left_date=date(2026, 3, 13),
                      events=[ev(EventKind.JOINED, date(2010, 1, 1), 10, 1),
                              ev(EventKind.TRANSFER_OUT, date(2026, 3, 13), 10, 2)])
    assert org_on(h, date(2026, 3, 12)) == 10
    assert org_on(h, date(2026, 3, 13)) is None


def test_moved_between_branches():
    h = MemberHistory(1, "张三", 20, joined=date(2010, 1, 1),
                      events=[ev(EventKind.JOINED, date(2010, 1, 1), 10, 1),
                              ev(EventKind.MOVED, date(2026, 5, 1), 20, 2)])
    assert [(i.org_id, i.start, i.end) for i in membership_intervals(h)] == [
        (10, date(2010, 1, 1), date(2026, 5, 1)), (20, date(2026, 5, 1), None)]
    assert org_on(h, date(2026, 4, 30)) == 10 and org_on(h, date(2026, 5, 1)) == 20


def test_joined_elsewhere_then_transferred_in():
    h = MemberHistory(1, "张三", 10, joined=date(2000, 1, 1),
                      events=[ev(EventKind.JOINED, date(2000, 1, 1), 10, 1),
                              ev(EventKind.TRANSFER_IN, date(2025, 6, 1), 10, 2)])
    assert org_on(h, date(2025, 5, 31)) is None and org_on(h, date(2025, 6, 1)) == 10


def test_left_and_came_back():
    h = MemberHistory(1, "张三", 10, joined=date(2000, 1, 1),
                      events=[ev(EventKind.JOINED, date(2000, 1, 1), 10, 1),
                              ev(EventKind.TRANSFER_OUT, date(2020, 1, 1), 10, 2),
                              ev(EventKind.TRANSFER_IN, date(2024, 1, 1), 10, 3)])
    assert org_on(h, date(2022, 1, 1)) is None and org_on(h, date(2024, 1, 1)) == 10


def test_record_without_events_falls_back_to_its_dates():
    h = MemberHistory(1, "张三", 10, joined=date(2020, 1, 1))
    assert org_on(h, date(2019, 12, 31)) is None and org_on(h, date(2026, 1, 1)) == 10
    gone = MemberHistory(1, "李四", 10, status=Status.DECEASED, joined=date(2020, 1, 1),
                         left_date=date(2025, 1, 1))
    assert org_on(gone, date(2024, 12, 31)) == 10 and org_on(gone, date(2025, 1, 1)) is None
    no_date = MemberHistory(1, "王五", 10, status=Status.DECEASED)
    assert org_on(no_date, date(2000, 1, 1)) is None


def test_probationer_confirmed_after_the_meeting_had_no_vote_then():
    h = MemberHistory(1, "张三", 10, category=FULL, joined=date(2025, 1, 10),
                      confirmed=date(2026, 1, 10))
    assert category_on(h, date(2026, 1, 9)) is PROB
    assert category_on(h, date(2026, 1, 10)) is FULL
    legacy = MemberHistory(2, "李四", 10, category=FULL, joined=date(1990, 1, 1))
    assert category_on(legacy, date(2000, 1, 1)) is FULL


def test_members_on_a_date_and_of_a_group():
    a = MemberHistory(1, "甲", 10, joined=date(2020, 1, 1), group_id=11)
    b = MemberHistory(2, "乙", 10, joined=date(2026, 6, 1), group_id=11)
    c = MemberHistory(3, "丙", 20, joined=date(2020, 1, 1))
    got = members_on([a, b, c], 10, date(2026, 3, 1))
    assert [(h.name, cat) for h, cat in got] == [("甲", FULL)]
    assert [h.name for h, _ in members_on([a, b, c], 11, date(2026, 7, 1), group_of=10)] == ["甲", "乙"]


# --- 补记 and streaks -----------------------------------------------------------------------

def test_late_is_after_the_meeting_day_plus_grace():
    assert not is_late(date(2026, 3, 12), date(2026, 3, 12))
    assert is_late(date(2026, 3, 12), date(2026, 3, 13))
    assert not is_late(date(2026, 3, 12), date(2026, 3, 15), grace_days=3)
    assert is_late(date(2026, 3, 12), date(2026, 3, 16), grace_days=3)


def test_absence_streaks():
    assert absence_streaks([]) == (0, 0)
    assert absence_streaks([True, False, False, False, True, False]) == (3, 1)
    assert absence_streaks([False, True, False, False]) == (2, 2)


def test_guest_lines_round_trip():
    from desktop.domain.meeting import Guest, guest_lines, parse_guest_lines

    text = "刘芳 街道党工委组织委员\n黄涛，社区居委会主任\n王敏（区委组织部）\n\n李四"
    guests = parse_guest_lines(text)
    assert guests == [Guest("刘芳", "街道党工委组织委员"), Guest("黄涛", "社区居委会主任"),
                      Guest("王敏", "区委组织部"), Guest("李四", "")]
    assert parse_guest_lines(guest_lines(guests)) == guests


def test_group_on_a_date_from_recorded_stretches_then_the_roster():
    d1, d2 = date(2026, 3, 1), date(2026, 6, 1)
    none = MemberHistory(1, "甲", org_id=10, group_id=21)
    assert group_on(none, date(1990, 1, 1)) == 21  # no change on record: the roster's group always
    h = MemberHistory(2, "乙", org_id=10, group_id=None,  # no group before d1, 21 until d2, then none
                      groups=[Interval(21, d1, d2)])
    assert [group_on(h, d) for d in (date(2026, 2, 28), d1, date(2026, 5, 31), d2)] == [None, 21, 21, None]
    moved = MemberHistory(3, "丙", org_id=10, group_id=22,
                          groups=[Interval(21, None, d1), Interval(22, d1, None)])
    assert [group_on(moved, d) for d in (date(2000, 1, 1), date(2026, 2, 28), d1)] == [21, 21, 22]
    moved.group_id = 23  # changed later without a record: the roster is the truth from the last change
    assert group_on(moved, d2) == 23 and group_on(moved, date(2026, 2, 28)) == 21
    members = [none, h, moved]
    assert [x.name for x, _ in members_on(members, 21, date(2026, 4, 1), group_of=10)] == ["甲", "乙"]
    assert [x.name for x, _ in members_on(members, 21, date(2026, 2, 1), group_of=10)] == ["甲", "丙"]
