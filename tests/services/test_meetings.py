"""Recording meetings against a real database: attendance at the date, 补记, settings,
calendar and street-wide compliance, statistics, attachments, the ledger."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop.domain.errors import ValidationErrors
from desktop.domain.meeting import (AbsenceReason, AttachmentKind, MeetingKind, MeetingStatus,
                                    Resolution)
from desktop.domain.meeting_calendar import CellState, Frequency
from desktop.domain.meeting_rules import resolution_outcome, tally
from desktop.domain.member import Category
from desktop.domain.member_event import EventKind, MemberEvent
from desktop.domain.organization import CommitteeRole, CommitteeSeat
from desktop.storage import members as member_repo
from tests.conftest import make_member

K = MeetingKind


@pytest.fixture
def branch(workspace, street):
    """第一网格党支部 with five 正式党员, one 预备党员, a committee of three; others around."""
    r = workspace.roster
    ids = {}
    for i, name in enumerate(["张三", "李四", "王五", "赵六", "钱七"], start=1):
        ids[name] = r.add(make_member(street["b1"], name, i, joined=date(2005, 7, 1)))
    ids["孙八"] = r.add(make_member(street["b1"], "孙八", 6, category=Category.PROBATIONARY,
                                   joined=date(2025, 9, 1), confirmed=None))
    ids["周九"] = r.add(make_member(street["b2"], "周九", 7))
    workspace.orgs.set_committee(street["b1"], [
        CommitteeSeat(ids["张三"], CommitteeRole.SECRETARY),
        CommitteeSeat(ids["李四"], CommitteeRole.ORGANIZATION),
        CommitteeSeat(ids["王五"], CommitteeRole.PROPAGANDA)])
    return street | ids


def names(attendees):
    return [a.name for a in attendees]


def test_expected_attendance_is_the_roster_on_the_meeting_date(workspace, branch):
    ms = workspace.meetings
    r = workspace.roster
    late = r.add(make_member(branch["b1"], "吴十", 8, joined=date(2026, 3, 13),
                              category=Category.PROBATIONARY, confirmed=None))
    gone = r.add(make_member(branch["b1"], "郑一", 9))
    r.transfer_out(gone, date(2026, 3, 12), "区机关工委")
    left_after = r.add(make_member(branch["b1"], "冯二", 10))
    r.transfer_out(left_after, date(2026, 3, 13), "区机关工委")
    on_day = names(ms.expected_attendees(branch["b1"], K.ASSEMBLY, date(2026, 3, 12)))
    assert "吴十" not in on_day  # joined the day after
    assert "郑一" not in on_day  # left that very day
    assert "冯二" in on_day  # left the day after
    assert "周九" not in on_day  # another branch
    assert len(on_day) == 7
    assert "吴十" in names(ms.expected_attendees(branch["b1"], K.ASSEMBLY, date(2026, 3, 13)))
    del late


def test_multi_org_members_are_expected_at_theme_days_and_lectures_without_a_vote(workspace, branch):
    ms, r = workspace.meetings, workspace.roster
    guest = r.get(branch["周九"])  # of 离退休党支部, takes part in 第一网格党支部's life
    guest.extra_org_ids = [branch["b1"]]
    r.update(guest)
    gone = r.add(make_member(branch["b2"], "郑一", 9, extra_org_ids=[branch["b1"]]))
    r.transfer_out(gone, date(2026, 3, 1), "区机关工委")
    day = date(2026, 3, 12)
    theme = ms.expected_attendees(branch["b1"], K.THEME_DAY, day)
    assert names(theme)[-1] == "周九" and len(theme) == 7  # after the branch's own; 郑一 left
    assert theme[-1].role == "多重组织生活" and not theme[-1].has_vote
    assert "周九" in names(ms.expected_attendees(branch["b1"], K.LECTURE, day))
    for kind in (K.ASSEMBLY, K.LIFE, K.APPRAISAL):  # the branch's own business
        assert "周九" not in names(ms.expected_attendees(branch["b1"], kind, day))
    assert "周九" in names(ms.expected_attendees(branch["b2"], K.ASSEMBLY, day))  # home as usual
    assert "郑一" in names(ms.expected_attendees(branch["b1"], K.THEME_DAY, date(2026, 2, 1)))


def test_a_committee_meeting_expects_the_committee_of_its_day(workspace, branch):
    orgs, ms = workspace.orgs, workspace.meetings
    # 换届 on 2026-06-01: 王五 leaves, 赵六 joins (the first committee counts from before records)
    orgs.set_committee(branch["b1"], [CommitteeSeat(branch["张三"], CommitteeRole.SECRETARY),
                                      CommitteeSeat(branch["李四"], CommitteeRole.ORGANIZATION),
                                      CommitteeSeat(branch["赵六"], CommitteeRole.PROPAGANDA)],
                       when=date(2026, 6, 1))
    assert names(ms.expected_attendees(branch["b1"], K.COMMITTEE, date(2026, 5, 31))) == ["张三", "李四", "王五"]
    assert names(ms.expected_attendees(branch["b1"], K.COMMITTEE, date(2026, 6, 1))) == ["张三", "李四", "赵六"]
    assert [s.member_name for s in orgs.committee(branch["b1"])] == ["张三", "李四", "赵六"]
    # a correction the same day withdraws the seat instead of leaving a one-day history
    orgs.set_committee(branch["b1"], [CommitteeSeat(branch["张三"], CommitteeRole.SECRETARY),
                                      CommitteeSeat(branch["李四"], CommitteeRole.ORGANIZATION)],
                       when=date(2026, 6, 1))
    assert names(ms.expected_attendees(branch["b1"], K.COMMITTEE, date(2026, 6, 1))) == ["张三", "李四"]
    assert names(ms.expected_attendees(branch["b1"], K.COMMITTEE, date(2026, 1, 5))) == ["张三", "李四", "王五"]
    draft = ms.draft(branch["b1"], K.COMMITTEE, datetime(2026, 2, 3, 9, 0))
    assert draft.host_name == "张三"


def test_a_move_between_branches_counts_from_its_date(workspace, branch):
    m = workspace.roster.get(branch["周九"])
    m.org_id = branch["b1"]
    with workspace.db.transaction() as conn:
        member_repo.update(conn, m)
        member_repo.add_event(conn, MemberEvent(m.id, EventKind.MOVED, date(2026, 5, 1), "", branch["b1"]))
    ms = workspace.meetings
    assert "周九" in names(ms.expected_attendees(branch["b2"], K.ASSEMBLY, date(2026, 4, 30)))
    assert "周九" not in names(ms.expected_attendees(branch["b1"], K.ASSEMBLY, date(2026, 4, 30)))
    assert "周九" in names(ms.expected_attendees(branch["b1"], K.ASSEMBLY, date(2026, 5, 1)))
    assert "周九" not in names(ms.expected_attendees(branch["b2"], K.ASSEMBLY, date(2026, 5, 1)))


def test_probationer_and_committee_and_group(workspace, branch):
    ms = workspace.meetings
    people = {a.name: a for a in ms.expected_attendees(branch["b1"], K.ASSEMBLY, date(2026, 3, 1))}
    assert people["孙八"].category is Category.PROBATIONARY and not people["孙八"].has_vote
    committee = ms.expected_attendees(branch["b1"], K.COMMITTEE, date(2026, 3, 1))
    assert [(a.name, a.role) for a in committee] == [("张三", "书记"), ("李四", "组织委员"), ("王五", "宣传委员")]
    m = workspace.roster.get(branch["赵六"])
    m.group_id = branch["group"]
    workspace.roster.update(m, when=date(2026, 3, 1))  # into the group from that day
    assert names(ms.expected_attendees(branch["group"], K.GROUP, date(2026, 3, 1))) == ["赵六"]
    assert names(ms.expected_attendees(branch["group"], K.GROUP, date(2026, 2, 28))) == []


def record(ws, branch, kind=K.ASSEMBLY, when=datetime(2026, 3, 12, 14, 30), absent=(), **kw):
    m = ws.meetings.draft(branch["b1"], kind, when)
    m.end = when.replace(hour=16)
    m.topics = ["学习党章", "讨论发展党员"]
    m.place = "社区党群服务中心"
    for a in m.attendees:
        if a.name in absent:
            a.present, a.reason = False, AbsenceReason.SICK
    m.recorder_id = branch["李四"]
    for k, v in kw.items():
        setattr(m, k, v)
    return m


def test_draft_save_read_back(workspace, branch):
    m = record(workspace, branch, absent=("王五", "孙八"),
               resolutions=[Resolution("同意接收孙八为预备党员", 3, 0, 0)])
    assert m.host_name == "张三"  # the secretary chairs by default
    saved = workspace.meetings.save(m, today=date(2026, 3, 12))
    got = workspace.meetings.get(saved.id)
    assert got.topics == ["学习党章", "讨论发展党员"] and got.recorder_name == "李四"
    assert got.status is MeetingStatus.HELD and got.recorded_on == date(2026, 3, 12) and not got.late
    t = tally(got)
    assert (t.expected, t.present, t.voters_expected, t.voters_present, t.valid) == (6, 4, 5, 4, True)
    assert resolution_outcome(got, 0).passed is True  # 3 of 5 voters
    assert [a.absence_text() for a in got.absent] == ["孙八（病假）", "王五（病假）"]  # pinyin order
    assert (got.expected_count, got.present_count) == (6, 4)


def test_recorded_after_its_date_is_late(workspace, branch):
    saved = workspace.meetings.save(record(workspace, branch), today=date(2026, 3, 20))
    assert saved.late and saved.recorded_on == date(2026, 3, 20)
    workspace.meetings.set_late_grace_days(10)
    again = workspace.meetings.save(record(workspace, branch), today=date(2026, 3, 20))
    assert not again.late


def test_plan_then_complete(workspace, branch):
    ms = workspace.meetings
    plan = ms.draft(branch["b1"], K.LECTURE, datetime(2026, 6, 20, 9, 0), MeetingStatus.PLANNED)
    plan = ms.save(plan, today=date(2026, 6, 1))
    assert plan.status is MeetingStatus.PLANNED and plan.recorded_on is None
    done = ms.get(plan.id)
    done.status, done.lecturer, done.lecture_title = MeetingStatus.HELD, "街道党工委书记", "学习二十大精神"
    with pytest.raises(ValidationErrors, match="只能保存为计划"):
        ms.save(done, today=date(2026, 6, 19))
    done = ms.save(done, today=date(2026, 6, 20))
    assert done.status is MeetingStatus.HELD and not done.late and done.id == plan.id
    # Editing later keeps the day it was first recorded.
    done.remarks = "补充照片"
    assert ms.save(done, today=date(2026, 7, 1)).recorded_on == date(2026, 6, 20)


def test_refresh_keeps_ticks(workspace, branch):
    m = record(workspace, branch, absent=("王五",))
    m.start = datetime(2025, 8, 1, 9, 0)  # before 孙八 joined
    workspace.meetings.refresh_attendance(m)
    assert "孙八" not in names(m.attendees)
    assert [a.name for a in m.absent] == ["王五"]


def test_frequencies_are_settings(workspace, branch):
    ms = workspace.meetings
    assert ms.frequencies()[K.LECTURE] is Frequency.QUARTERLY
    ms.set_frequency(K.LECTURE, Frequency.MONTHLY)
    assert ms.frequencies()[K.LECTURE] is Frequency.MONTHLY
    assert ms.calendar(branch["b1"], 2026, today=date(2027, 1, 1)).row(K.LECTURE).required == 12
    ms.set_frequency(K.LECTURE, Frequency.QUARTERLY)  # back to the default: no override kept
    with workspace.db.reading() as conn:
        from desktop.storage import settings

        assert settings.get_prefixed(conn, "meeting.frequency.") == {}


def test_calendar_and_street_compliance(workspace, branch):
    ms = workspace.meetings
    ms.save(record(workspace, branch), today=date(2026, 3, 12))
    ms.save(record(workspace, branch, K.THEME_DAY, datetime(2026, 1, 10, 9, 0)), today=date(2026, 3, 1))
    cal = ms.calendar(branch["b1"], 2026, today=date(2026, 4, 2))
    a = cal.row(K.ASSEMBLY)
    assert a.cells[0].state is CellState.HELD and a.cells[1].state is CellState.DUE
    theme = cal.row(K.THEME_DAY)
    assert [c.state for c in theme.cells[:4]] == [CellState.HELD, CellState.MISSING,
                                                  CellState.MISSING, CellState.DUE]
    assert theme.cells[0].late == 1
    rows = ms.compliance(2026, 1, today=date(2026, 4, 2))
    by_name = {r.org_name: r for r in rows}
    # b2 has no committee (no seats): fewer kinds required, yet nothing held at all.
    assert K.COMMITTEE not in by_name["离退休党支部"].by_kind
    assert by_name["第一网格党支部"].by_kind[K.ASSEMBLY].held == 1
    keys = [(-r.missing, -r.due) for r in rows]
    assert keys == sorted(keys) and rows[0].missing > 0  # most missing first
    assert "第一党小组" not in by_name  # groups only on request
    assert "第一党小组" in {r.org_name for r in ms.compliance(2026, 1, date(2026, 4, 2), True)}


def test_member_statistics_flag_three_missed_assemblies_in_a_row(workspace, branch):
    ms = workspace.meetings
    for month in (1, 4, 7, 10):
        absent = ("王五",) if month > 1 else ()
        ms.save(record(workspace, branch, when=datetime(2026, month, 15, 9, 0), absent=absent),
                today=date(2026, 12, 1))
    ms.save(record(workspace, branch, K.THEME_DAY, datetime(2026, 5, 1, 9, 0), absent=("王五", "李四"),
                   recorder_id=branch["钱七"]), today=date(2026, 12, 1))
    stats = {s.name: s for s in ms.attendance_stats(branch["b1"], 2026)}
    w = stats["王五"]
    assert (w.expected, w.attended, w.absent) == (5, 1, 4)
    assert w.longest_assembly_streak == 3 and w.alert
    assert w.reasons_text() == "病假4次"
    assert not stats["李四"].alert and stats["李四"].absent == 1
    assert ms.attendance_stats(branch["b1"], 2026)[0].name == "王五"  # alerts first


def test_attachments_are_copied_into_the_files_folder_by_content(workspace, branch):
    ms = workspace.meetings
    saved = ms.save(record(workspace, branch), today=date(2026, 3, 12))
    photo = b"\x89PNG fake photo bytes"
    a = ms.attach(saved.id, "/home/clerk/照片 1.PNG", photo, AttachmentKind.PHOTO, "会议现场")
    b = ms.attach(saved.id, "签到表.png", photo, AttachmentKind.SIGNIN)
    path = ms.attachment_path(a)
    assert path.read_bytes() == photo and path.name.endswith(".png")
    assert path.parent.parent == workspace.path.with_name("test.files") / "meetings"
    assert a.path == b.path  # same content, one file
    got = ms.get(saved.id).attachments
    assert [(x.kind, x.file_name, x.caption) for x in got] == [
        (AttachmentKind.PHOTO, "照片 1.PNG", "会议现场"), (AttachmentKind.SIGNIN, "签到表.png", "")]
    ms.remove_attachment(b.id)
    assert len(ms.get(saved.id).attachments) == 1 and path.exists()


def test_delete_and_list(workspace, branch):
    ms = workspace.meetings
    a = ms.save(record(workspace, branch), today=date(2026, 3, 12))
    ms.save(record(workspace, branch, K.THEME_DAY, datetime(2026, 2, 1, 9, 0)), today=date(2026, 3, 12))
    assert [s.kind for s in ms.list(branch["b1"], 2026)] == [K.THEME_DAY, K.ASSEMBLY]
    ms.delete(a.id)
    assert [s.kind for s in ms.list(branch["b1"], 2026)] == [K.THEME_DAY]
    assert ms.list(branch["b1"], 2025) == []


def test_ledger_summary_and_sheets(workspace, branch):
    ms = workspace.meetings
    ms.save(record(workspace, branch, absent=("王五",)), today=date(2026, 3, 20))
    plan = ms.draft(branch["b1"], K.LECTURE, datetime(2026, 12, 20, 9, 0), MeetingStatus.PLANNED)
    ms.save(plan, today=date(2026, 6, 1))
    ledger = ms.ledger(2026, today=date(2026, 6, 1))
    assert ledger.title == "测试街道党工委"
    row = next(r for r in ledger.summary if r.org_name == "第一网格党支部" and r.kind is K.ASSEMBLY)
    assert [q.held for q in row.quarters] == [1, 0, 0, 0]
    assert [q.required for q in row.quarters] == [1, 1, 1, 1]
    assert row.missing == 0 and row.late == 1  # Q2 not over on 1 June
    assert (row.expected_people, row.present_people) == (6, 5)
    sheet = next(s for s in ledger.sheets if s.org_name == "第一网格党支部")
    first, second = sheet.meetings
    assert (first.kind_text, first.status_text, first.valid_text) == ("支部党员大会", "补记", "有效")
    assert first.absent_text == "王五（病假）" and (first.expected, first.present) == (6, 5)
    assert (second.kind_text, second.status_text) == ("党课", "计划")
    assert any(s.org_name == "测试街道党工委" for s in ledger.sheets)  # 联席会议 required
    alone = ms.ledger(2026, today=date(2026, 6, 1), sheets=False)  # the home page's counts
    assert alone.summary == ledger.summary and alone.sheets == []
