"""How often each meeting is required, and the yearly calendar of held / required / missing.

Frequencies are defaults (domain.md); a database may override each in its settings.
A period is required when the organisation existed during it; it is missing once it
has ended without a held meeting. Two meetings in March do not make up for none in
April: compliance is counted per period.
"""
from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from .meeting import MeetingKind, MeetingStatus
from .organization import OrgKind


class Frequency(str, enum.Enum):
    MONTHLY = "每月"
    QUARTERLY = "每季度"
    HALF_YEARLY = "每半年"
    YEARLY = "每年"
    NONE = "不要求"

    @property
    def months(self) -> int:
        """Months per period (0: no period)."""
        return {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6,
                Frequency.YEARLY: 12, Frequency.NONE: 0}[self]


DEFAULT_FREQUENCIES: dict[MeetingKind, Frequency] = {
    MeetingKind.ASSEMBLY: Frequency.QUARTERLY,
    MeetingKind.COMMITTEE: Frequency.MONTHLY,
    MeetingKind.GROUP: Frequency.MONTHLY,
    MeetingKind.LECTURE: Frequency.QUARTERLY,
    MeetingKind.THEME_DAY: Frequency.MONTHLY,
    MeetingKind.LIFE: Frequency.YEARLY,
    MeetingKind.APPRAISAL: Frequency.YEARLY,
    MeetingKind.JOINT: Frequency.QUARTERLY,
    MeetingKind.OTHER: Frequency.NONE,
}

BRANCH_KINDS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.LECTURE,
                MeetingKind.THEME_DAY, MeetingKind.LIFE, MeetingKind.APPRAISAL)

# A branch elects a 支部委员会 with 7 or more 正式党员; with fewer it has only a secretary.
COMMITTEE_MIN_SEATS = 3


def kinds_for(org_kind: OrgKind, has_committee: bool = True) -> tuple[MeetingKind, ...]:
    """The meetings an organisation of this kind is expected to hold."""
    if org_kind is OrgKind.GROUP:
        return (MeetingKind.GROUP,)
    if org_kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH):
        return tuple(k for k in BRANCH_KINDS if has_committee or k is not MeetingKind.COMMITTEE)
    return (MeetingKind.JOINT,)  # 街道党工委 and 社区党委: 党建联席会议 with resident units


def meeting_kinds_allowed(org_kind: OrgKind) -> tuple[MeetingKind, ...]:
    """What the clerk may record for this organisation (required ones first, then 其他)."""
    if org_kind is OrgKind.GROUP:
        return (MeetingKind.GROUP, MeetingKind.LECTURE, MeetingKind.THEME_DAY, MeetingKind.OTHER)
    if org_kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH):
        return BRANCH_KINDS + (MeetingKind.OTHER,)
    return (MeetingKind.JOINT, MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.LECTURE,
            MeetingKind.THEME_DAY, MeetingKind.LIFE, MeetingKind.OTHER)


@dataclass(frozen=True)
class Period:
    year: int
    first_month: int
    months: int

    # Cached: a street's calendars read them for every cell (100k+ on a large street).
    @cached_property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @cached_property
    def end(self) -> date:
        """The last day of the period."""
        last = self.first_month + self.months - 1
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @cached_property
    def quarter(self) -> int:
        """The quarter the period ends in (1–4)."""
        return (self.first_month + self.months - 2) // 3 + 1

    @property
    def label(self) -> str:
        if self.months == 1:
            return f"{self.first_month}月"
        if self.months == 3:
            return f"{'一二三四'[self.first_month // 3]}季度"
        if self.months == 6:
            return "上半年" if self.first_month == 1 else "下半年"
        return "全年"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@lru_cache(maxsize=64)
def periods(year: int, frequency: Frequency) -> tuple[Period, ...]:
    """The periods of a year at this frequency; months singly when none is required."""
    step = frequency.months or 1
    return tuple(Period(year, m, step) for m in range(1, 13, step))


def period_of(day: date, frequency: Frequency) -> Period:
    step = frequency.months or 1
    return Period(day.year, (day.month - 1) // step * step + 1, step)


class CellState(str, enum.Enum):
    HELD = "已开"
    PLANNED = "计划"
    MISSING = "缺"
    DUE = "待开"
    FUTURE = "未到"
    NOT_REQUIRED = "—"


@dataclass
class MeetingSummary:
    """One meeting as lists, calendars and the ledger show it."""

    id: int
    org_id: int
    kind: MeetingKind
    day: date
    status: MeetingStatus
    late: bool = False
    title: str = ""
    expected: int = 0
    present: int = 0


@dataclass
class CalendarCell:
    kind: MeetingKind
    period: Period
    required: bool
    state: CellState
    held: int = 0
    planned: int = 0
    late: int = 0
    meeting_ids: list[int] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return self.state is CellState.MISSING


@dataclass
class CalendarRow:
    kind: MeetingKind
    frequency: Frequency
    cells: list[CalendarCell]

    @property
    def held(self) -> int:
        return sum(c.held for c in self.cells)

    @property
    def required(self) -> int:
        return sum(1 for c in self.cells if c.required)

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c.missing)

    @property
    def planned(self) -> int:
        return sum(c.planned for c in self.cells)


@dataclass
class OrgCalendar:
    org_id: int
    org_name: str
    year: int
    rows: list[CalendarRow]

    @property
    def missing(self) -> int:
        return sum(r.missing for r in self.rows)

    def row(self, kind: MeetingKind) -> CalendarRow | None:
        return next((r for r in self.rows if r.kind is kind), None)


def _day(m: MeetingSummary) -> date:
    return m.day


def build_calendar(org_id: int, org_name: str, org_kind: OrgKind, year: int,
                   meetings: list[MeetingSummary], frequencies: dict[MeetingKind, Frequency],
                   today: date, *, has_committee: bool = True, founded: date | None = None,
                   dissolved: date | None = None) -> OrgCalendar:
    """A row per required kind (and per other kind that was held), a cell per period."""
    # In date order once, so that each cell lists its meetings by date without a sort.
    mine = sorted((m for m in meetings if m.org_id == org_id and m.day.year == year),
                  key=_day)
    required_kinds = [k for k in kinds_for(org_kind, has_committee)
                      if frequencies.get(k, Frequency.NONE) is not Frequency.NONE]
    by_kind: dict[MeetingKind, list[MeetingSummary]] = {}
    for m in mine:
        by_kind.setdefault(m.kind, []).append(m)
    kinds = required_kinds + [k for k in MeetingKind if k in by_kind and k not in required_kinds]
    rows = []
    for kind in kinds:
        freq = frequencies.get(kind, Frequency.NONE) if kind in required_kinds else Frequency.NONE
        step = freq.months or 1
        buckets: list[list[MeetingSummary]] = [[] for _ in range(0, 12, step)]
        for m in by_kind.get(kind, ()):
            buckets[(m.day.month - 1) // step].append(m)
        cells = []
        for p, inside in zip(periods(year, freq), buckets):
            start, end = p.start, p.end
            required = freq is not Frequency.NONE and (founded is None or founded <= end) and (
                dissolved is None or dissolved > start)
            held = late = 0
            for m in inside:  # most cells have none
                if m.status is MeetingStatus.HELD:
                    held += 1
                    late += bool(m.late)
            planned = len(inside) - held
            if held:
                state = CellState.HELD
            elif planned:
                state = CellState.PLANNED
            elif not required:
                state = CellState.NOT_REQUIRED
            elif end < today:
                state = CellState.MISSING
            elif start <= today:
                state = CellState.DUE
            else:
                state = CellState.FUTURE
            cells.append(CalendarCell(kind, p, required, state, held, planned, late,
                                      [m.id for m in inside]))
        rows.append(CalendarRow(kind, freq, cells))
    return OrgCalendar(org_id, org_name, year, rows)


# --- street-wide compliance and the yearly ledger ------------------------------------

@dataclass
class QuarterCount:
    held: int = 0
    required: int = 0
    missing: int = 0
    due: int = 0
    late: int = 0
    planned: int = 0

    def add(self, other: QuarterCount) -> None:
        self.held += other.held
        self.required += other.required
        self.missing += other.missing
        self.due += other.due
        self.late += other.late
        self.planned += other.planned


@dataclass
class ComplianceRow:
    """One organisation in the street-wide table for one quarter."""

    org_id: int
    org_name: str
    parent_name: str
    by_kind: dict[MeetingKind, QuarterCount]

    @property
    def missing(self) -> int:
        return sum(c.missing for c in self.by_kind.values())

    @property
    def required(self) -> int:
        return sum(c.required for c in self.by_kind.values())

    @property
    def held(self) -> int:
        return sum(c.held for c in self.by_kind.values())

    @property
    def due(self) -> int:
        return sum(c.due for c in self.by_kind.values())


def compliance_rows(cal: OrgCalendar, parent_name: str,
                    meetings: list[MeetingSummary]) -> list[ComplianceRow]:
    """The organisation's quarters 1–4, in one pass over its cells and meetings: held
    meetings by the day they were held; required/missing periods by the quarter they end in."""
    rows = [ComplianceRow(cal.org_id, cal.org_name, parent_name, {}) for _ in range(4)]
    mine = [m for m in meetings if m.org_id == cal.org_id and m.day.year == cal.year]
    for row in cal.rows:
        if row.frequency is Frequency.NONE:
            continue
        counts = [QuarterCount() for _ in range(4)]
        for c in row.cells:
            q = counts[c.period.quarter - 1]
            if c.required:
                q.required += 1
                q.missing += c.state is CellState.MISSING
                q.due += c.state in (CellState.DUE, CellState.PLANNED)
        for m in mine:
            if m.kind is row.kind:
                q = counts[(m.day.month - 1) // 3]
                if m.status is MeetingStatus.HELD:
                    q.held += 1
                    q.late += bool(m.late)
                else:
                    q.planned += 1
        for r, q in zip(rows, counts):
            r.by_kind[row.kind] = q
    return rows


def compliance_row(cal: OrgCalendar, parent_name: str, quarter: int,
                   meetings: list[MeetingSummary]) -> ComplianceRow:
    return compliance_rows(cal, parent_name, meetings)[quarter - 1]


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1
