"""Meetings, their attendance and attachment files travel up in an exchange package."""
from __future__ import annotations

from datetime import date, datetime

from desktop.domain.meeting import AbsenceReason, AttachmentKind, MeetingKind, Resolution
from tests.services.test_exchange import world  # noqa: F401  (fixture)


def test_a_meeting_with_a_photo_travels_up_and_again_changes_nothing(world):  # noqa: F811
    c = world.comm["c1"]
    ws = c["ws"]
    ms = ws.meetings
    m = ms.draft(c["b1"].id, MeetingKind.ASSEMBLY, datetime(2026, 3, 12, 14, 30))
    m.topics, m.place = ["学习党章"], "党群服务中心"
    m.attendees[0].present, m.attendees[0].reason = False, AbsenceReason.SICK
    m.recorder_id = m.attendees[1].member_id
    m.resolutions = [Resolution("同意", 3, 0, 0)]
    saved = ms.save(m, today=date(2026, 3, 12))
    photo = b"\xff\xd8\xff fake jpeg of the meeting"
    ms.attach(saved.id, "现场.jpg", photo, AttachmentKind.PHOTO, "会议现场")

    plan, _ = world.send_up("c1", "up-meeting")
    assert {i.table for i in plan.new} >= {"meeting", "meeting_attendance", "meeting_attachment"}
    street = world.street
    b1 = street.orgs.find(c["b1"].name)
    (summary,) = street.meetings.list(b1.id, 2026)
    got = street.meetings.get(summary.id)
    assert got.topics == ["学习党章"] and got.resolutions == m.resolutions
    assert [a.name for a in got.absent] == [m.attendees[0].name]
    assert got.host_name == saved.host_name and got.recorder_name == saved.recorder_name
    (a,) = got.attachments
    assert street.meetings.attachment_path(a).read_bytes() == photo
    plan, _ = world.send_up("c1", "up-meeting-again")
    assert not plan.has_changes
