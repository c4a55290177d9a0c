"""`dangjian demo` also fills two years of organisational life."""
from __future__ import annotations

from datetime import date

from desktop.domain.meeting import MeetingKind, MeetingStatus
from desktop.domain.meeting_calendar import CellState
from desktop.domain.meeting_rules import tally
from desktop.services.demo import DemoGenerator

TODAY = date(2026, 11, 22)


def test_demo_meetings_look_like_a_real_street(workspace):
    DemoGenerator(workspace.db, seed=7, today=TODAY).run(400)
    ms = workspace.meetings
    this_year = ms.list(None, 2026)
    last_year = ms.list(None, 2025)
    assert len(last_year) > 100 and len(this_year) > 100
    statuses = {m.status for m in this_year}
    assert statuses == {MeetingStatus.HELD, MeetingStatus.PLANNED}
    assert all(m.day >= TODAY for m in this_year if m.status is MeetingStatus.PLANNED)
    assert all(m.day <= TODAY for m in this_year + last_year if m.status is MeetingStatus.HELD)
    held = [m for m in last_year if m.status is MeetingStatus.HELD]
    assert 0.03 < sum(m.late for m in held) / len(held) < 0.3  # some 补记
    kinds = {m.kind for m in last_year}
    assert {MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE,
            MeetingKind.THEME_DAY, MeetingKind.LIFE, MeetingKind.APPRAISAL, MeetingKind.JOINT} <= kinds
    # Some periods are missing, and the street-wide table shows who is behind.
    rows = ms.compliance(2026, 3, today=TODAY)
    assert any(r.missing for r in rows)
    branch = next(n for n in workspace.orgs.nodes() if n.kind.value == "党支部")
    cal = ms.calendar(branch.id, 2025, today=TODAY)
    states = {c.state for r in cal.rows for c in r.cells}
    assert CellState.HELD in states
    # Attendance follows the roster; meetings are valid or not by the rules.
    a = next(m for m in held if m.kind is MeetingKind.ASSEMBLY)
    full = ms.get(a.id)
    assert full.attendees and full.host_name and full.content and full.topics
    assert tally(full).expected == a.expected
    stats = ms.attendance_stats(branch.id, 2025)
    assert stats and stats[0].longest_assembly_streak >= stats[-1].longest_assembly_streak
