"""Quotas of 双报到 and who falls short of them.

Local quotas differ (domain.md: e.g. 2 contacts a quarter, 4 activities or 50
hours a year), so they are settings of the database. A contact (联系社区) is
one service activity taken part in; the yearly quota is met by enough
activities OR enough hours (a quota of 0 is switched off).

A member is due from the first full quarter after reporting: whoever reports on
the first day of a quarter owes that quarter; whoever reports later owes it
from the next one. The yearly quota shrinks with the quarters owed (rounded up).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .errors import FieldError, ValidationErrors
from .registration import Commitment, Ref, hours_text

QUARTER_CONTACTS_KEY = "registration.quota.quarter_contacts"
YEAR_ACTIVITIES_KEY = "registration.quota.year_activities"
YEAR_HOURS_KEY = "registration.quota.year_hours"


@dataclass(frozen=True)
class Quotas:
    quarter_contacts: int = 2
    year_activities: int = 4
    year_hours: float = 50.0

    def validate(self) -> None:
        errors = []
        if not 0 <= self.quarter_contacts <= 50:
            errors.append(FieldError("每季度联系次数", "应为0至50次"))
        if not 0 <= self.year_activities <= 200:
            errors.append(FieldError("每年参加活动次数", "应为0至200次"))
        if not 0 <= self.year_hours <= 2000:
            errors.append(FieldError("每年服务时长", "应为0至2000小时"))
        if errors:
            raise ValidationErrors(errors)

    def as_settings(self) -> dict[str, str]:
        return {QUARTER_CONTACTS_KEY: str(self.quarter_contacts),
                YEAR_ACTIVITIES_KEY: str(self.year_activities),
                YEAR_HOURS_KEY: hours_text(self.year_hours)}

    @classmethod
    def from_settings(cls, values: dict[str, str]) -> "Quotas":
        """Read the stored settings; a missing or unreadable one keeps its default."""
        d = cls()

        def num(key: str, default, kind):
            try:
                v = kind(values[key])
                return v if v >= 0 else default
            except (KeyError, ValueError):
                return default
        return cls(num(QUARTER_CONTACTS_KEY, d.quarter_contacts, int),
                   num(YEAR_ACTIVITIES_KEY, d.year_activities, int),
                   num(YEAR_HOURS_KEY, d.year_hours, float))

    @property
    def text(self) -> str:
        parts = []
        if self.quarter_contacts:
            parts.append(f"每季度至少联系社区{self.quarter_contacts}次")
        year = [f"{self.year_activities}次活动" if self.year_activities else "",
                f"{hours_text(self.year_hours)}小时服务" if self.year_hours else ""]
        year = [y for y in year if y]
        if year:
            parts.append("每年至少参加" + "或".join(year))
        return "，".join(parts) or "未设定指标"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise FieldError("季度", "应为1至4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def period_bounds(year: int, quarter: int | None) -> tuple[date, date]:
    """The first and last day of a quarter, or of the year when quarter is None/0."""
    if not quarter:
        return date(year, 1, 1), date(year, 12, 31)
    return quarter_bounds(year, quarter)


def period_text(year: int, quarter: int | None) -> str:
    return f"{year}年第{'一二三四'[quarter - 1]}季度" if quarter else f"{year}年度"


def first_due_quarter(reported_on: date) -> tuple[int, int]:
    """(year, quarter) of the first quarter a member owes contacts for."""
    q = quarter_of(reported_on)
    if reported_on == quarter_bounds(reported_on.year, q)[0]:
        return reported_on.year, q
    return (reported_on.year + 1, 1) if q == 4 else (reported_on.year, q + 1)


def quarters_due(reported_on: date, year: int) -> int:
    """How many quarters of `year` the member owes (0-4)."""
    y, q = first_due_quarter(reported_on)
    if y < year:
        return 4
    if y > year:
        return 0
    return 5 - q


@dataclass(frozen=True)
class Activity:
    """One participation: who, when, how long (what the quota rules count)."""

    ref: Ref
    day: date
    hours: float


@dataclass(frozen=True)
class Person:
    ref: Ref
    name: str
    employer: str
    reported_on: date


@dataclass(frozen=True)
class Shortfall:
    ref: Ref
    name: str
    employer: str
    period: str
    have_count: int
    need_count: int
    have_hours: float = 0.0
    need_hours: float = 0.0

    @property
    def text(self) -> str:
        if self.need_hours:
            return (f"已参加{self.have_count}次、{hours_text(self.have_hours)}小时，"
                    f"应参加{self.need_count}次或服务{hours_text(self.need_hours)}小时")
        return f"已联系{self.have_count}次，应至少{self.need_count}次"


@dataclass(frozen=True)
class ShortfallReport:
    today: date
    quarter_label: str
    year_label: str
    quarter: list[Shortfall]
    year: list[Shortfall]
    open_commitments: list[Commitment]

    @property
    def empty(self) -> bool:
        return not (self.quarter or self.year or self.open_commitments)


def quarter_shortfalls(people: list[Person], activities: list[Activity], quotas: Quotas,
                       year: int, quarter: int) -> list[Shortfall]:
    """Members owing this quarter with fewer contacts than the quota."""
    if not quotas.quarter_contacts:
        return []
    start, end = quarter_bounds(year, quarter)
    counts: dict[Ref, int] = {}
    for a in activities:
        if start <= a.day <= end:
            counts[a.ref] = counts.get(a.ref, 0) + 1
    out = []
    for p in people:
        if first_due_quarter(p.reported_on) > (year, quarter):
            continue
        have = counts.get(p.ref, 0)
        if have < quotas.quarter_contacts:
            out.append(Shortfall(p.ref, p.name, p.employer, period_text(year, quarter),
                                 have, quotas.quarter_contacts))
    return out


def year_need(quotas: Quotas, due: int) -> tuple[int, float]:
    """(activities, hours) owed for `due` quarters of a year, rounded up."""
    return (math.ceil(quotas.year_activities * due / 4),
            math.ceil(quotas.year_hours * due / 4 * 2) / 2)


def year_shortfalls(people: list[Person], activities: list[Activity], quotas: Quotas,
                    year: int) -> list[Shortfall]:
    """Members with neither enough activities nor enough hours for the year."""
    if not quotas.year_activities and not quotas.year_hours:
        return []
    counts: dict[Ref, int] = {}
    hours: dict[Ref, float] = {}
    for a in activities:
        if a.day.year == year:
            counts[a.ref] = counts.get(a.ref, 0) + 1
            hours[a.ref] = hours.get(a.ref, 0.0) + a.hours
    out = []
    for p in people:
        due = quarters_due(p.reported_on, year)
        if not due:
            continue
        need_n, need_h = year_need(quotas, due)
        have_n, have_h = counts.get(p.ref, 0), hours.get(p.ref, 0.0)
        met = ((quotas.year_activities and have_n >= need_n)
               or (quotas.year_hours and have_h >= need_h))
        if not met:
            out.append(Shortfall(p.ref, p.name, p.employer, period_text(year, None), have_n,
                                 need_n if quotas.year_activities else 0, have_h,
                                 need_h if quotas.year_hours else 0.0))
    return out
