"""The yearly 三会一课台账 and members' attendance statistics, as plain data for exports."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from .meeting import MeetingKind
from .meeting_calendar import QuarterCount
from .meeting_rules import absence_streaks

# Absences from 支部党员大会 in a row that a secretary must be shown.
ASSEMBLY_STREAK_ALERT = 3


@dataclass
class LedgerMeeting:
    """One line of an organisation's sheet."""

    day: date
    time_text: str
    kind_text: str
    topic: str
    place: str
    host: str
    recorder: str
    expected: int
    present: int
    absent_text: str
    valid_text: str
    status_text: str
    """已召开 / 补记 / 计划."""

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None


@dataclass
class LedgerSheet:
    org_id: int
    org_name: str
    meetings: list[LedgerMeeting]


@dataclass
class LedgerSummaryRow:
    """Branch × kind: held and required per quarter, attendance over the year."""

    org_id: int
    org_name: str
    parent_name: str
    kind: MeetingKind
    quarters: list[QuarterCount]
    expected_people: int = 0
    present_people: int = 0

    @property
    def held(self) -> int:
        return sum(q.held for q in self.quarters)

    @property
    def required(self) -> int:
        return sum(q.required for q in self.quarters)

    @property
    def missing(self) -> int:
        return sum(q.missing for q in self.quarters)

    @property
    def late(self) -> int:
        return sum(q.late for q in self.quarters)

    @property
    def rate(self) -> float | None:
        return self.present_people / self.expected_people if self.expected_people else None


@dataclass
class Ledger:
    year: int
    title: str
    """The street's name (the root organisation)."""
    generated: date
    summary: list[LedgerSummaryRow]
    sheets: list[LedgerSheet]


def rate_text(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


# --- members' attendance -----------------------------------------------------------------

@dataclass
class MemberAttendance:
    member_id: int
    name: str
    expected: int = 0
    attended: int = 0
    reasons: Counter = field(default_factory=Counter)
    assembly_expected: int = 0
    assembly_absent: int = 0
    longest_assembly_streak: int = 0
    current_assembly_streak: int = 0
    absences: list[tuple[date, str, str]] = field(default_factory=list)
    """(day, meeting kind, reason) of every absence."""

    @property
    def absent(self) -> int:
        return self.expected - self.attended

    @property
    def rate(self) -> float | None:
        return self.attended / self.expected if self.expected else None

    @property
    def alert(self) -> bool:
        """Missed ASSEMBLY_STREAK_ALERT or more 支部党员大会 in a row."""
        return self.longest_assembly_streak >= ASSEMBLY_STREAK_ALERT

    def reasons_text(self) -> str:
        return "，".join(f"{k}{v}次" for k, v in sorted(self.reasons.items(), key=lambda kv: -kv[1]))


def attendance_stats(records: list[tuple]) -> list[MemberAttendance]:
    """From (meeting_id, day, kind, status, member_id, name, present, reason, note, org_id) in
    date order: per member expected / attended / absent with reasons and 党员大会 streaks."""
    by_member: dict[int, MemberAttendance] = {}
    assembly: dict[int, list[bool]] = {}
    for _mid, day, kind, _status, member_id, name, present, reason, note, _org in records:
        s = by_member.get(member_id)
        if s is None:
            s = by_member[member_id] = MemberAttendance(member_id, name)
        s.expected += 1
        if present:
            s.attended += 1
        else:
            why = reason or "未说明"
            s.reasons[why] += 1
            s.absences.append((day, kind.value, f"{why}：{note}" if note else why))
        if kind is MeetingKind.ASSEMBLY:
            s.assembly_expected += 1
            s.assembly_absent += 0 if present else 1
            assembly.setdefault(member_id, []).append(present)
    for member_id, seq in assembly.items():
        s = by_member[member_id]
        s.longest_assembly_streak, s.current_assembly_streak = absence_streaks(seq)
    return sorted(by_member.values(),
                  key=lambda s: (-s.longest_assembly_streak, -s.absent, s.name))
