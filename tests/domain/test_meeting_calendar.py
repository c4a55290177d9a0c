"""The yearly calendar: required / held / missing / planned per period."""
from __future__ import annotations

from datetime import date

from desktop.domain.meeting import MeetingKind, MeetingStatus
from desktop.domain.meeting_calendar import (DEFAULT_FREQUENCIES, CellState, Frequency,
                                             MeetingSummary, Period, build_calendar,
                                             compliance_row, compliance_rows, kinds_for,
                                             period_of, periods)
from desktop.domain.organization import OrgKind

K = MeetingKind
HELD, PLANNED = MeetingStatus.HELD, MeetingStatus.PLANNED


def s(i, kind, day, status=HELD, late=False, org=1):
    return MeetingSummary(i, org, kind, day, status, late)


def cal(meetings, today, **kw):
    return build_calendar(1, "第一支部", kw.pop("org_kind", OrgKind.BRANCH), 2026, meetings,
                          kw.pop("freqs", DEFAULT_FREQUENCIES), today, **kw)


def test_periods_and_labels():
    assert [p.label for p in periods(2026, Frequency.QUARTERLY)] == ["一季度", "二季度", "三季度", "四季度"]
    assert periods(2026, Frequency.YEARLY)[0].end == date(2026, 12, 31)
    assert Period(2024, 2, 1).end == date(2024, 2, 29)
    assert [p.label for p in periods(2026, Frequency.HALF_YEARLY)] == ["上半年", "下半年"]
    assert period_of(date(2026, 8, 15), Frequency.QUARTERLY) == Period(2026, 7, 3)
    assert Period(2026, 4, 1).quarter == 2 and Period(2026, 1, 6).quarter == 2


def test_kinds_by_organisation():
    assert kinds_for(OrgKind.GROUP) == (K.GROUP,)
    assert K.COMMITTEE in kinds_for(OrgKind.BRANCH, has_committee=True)
    assert K.COMMITTEE not in kinds_for(OrgKind.BRANCH, has_committee=False)
    assert kinds_for(OrgKind.COMMUNITY) == (K.JOINT,) == kinds_for(OrgKind.STREET)


def test_monthly_cells_held_missing_due_future():
    c = cal([s(1, K.THEME_DAY, date(2026, 1, 8)), s(2, K.THEME_DAY, date(2026, 2, 8)),
             s(3, K.THEME_DAY, date(2026, 2, 20))], today=date(2026, 4, 15))
    row = c.row(K.THEME_DAY)
    states = [cell.state for cell in row.cells]
    assert states[:5] == [CellState.HELD, CellState.HELD, CellState.MISSING, CellState.DUE,
                          CellState.FUTURE]
    assert row.cells[1].held == 2 and row.cells[1].meeting_ids == [2, 3]
    # Two meetings in February do not make up for March.
    assert (row.held, row.required, row.missing) == (3, 12, 1)


def test_quarterly_and_yearly_counts_across_a_whole_past_year():
    meetings = [s(1, K.ASSEMBLY, date(2026, 2, 1)), s(2, K.ASSEMBLY, date(2026, 9, 30)),
                s(3, K.LIFE, date(2026, 12, 20))]
    c = cal(meetings, today=date(2027, 1, 5))
    a = c.row(K.ASSEMBLY)
    assert [cell.state for cell in a.cells] == [CellState.HELD, CellState.MISSING, CellState.HELD,
                                                CellState.MISSING]
    assert (a.held, a.required, a.missing) == (2, 4, 2)
    assert (c.row(K.LIFE).required, c.row(K.LIFE).missing) == (1, 0)
    assert (c.row(K.APPRAISAL).required, c.row(K.APPRAISAL).missing) == (1, 1)
    assert (c.row(K.COMMITTEE).required, c.row(K.COMMITTEE).missing) == (12, 12)
    assert c.missing == 2 + 1 + 12 + 4 + 12  # + 党课 4 quarters + 主题党日 12 months


def test_planned_meeting_shows_and_is_not_missing_until_its_period_ends():
    c = cal([s(1, K.ASSEMBLY, date(2026, 6, 20), PLANNED)], today=date(2026, 6, 1))
    cell = c.row(K.ASSEMBLY).cells[1]
    assert cell.state is CellState.PLANNED and cell.planned == 1 and not cell.missing


def test_organisation_founded_or_dissolved_within_the_year():
    c = cal([], today=date(2027, 1, 5), founded=date(2026, 5, 10), dissolved=date(2026, 10, 1))
    row = c.row(K.THEME_DAY)
    required = [cell.period.first_month for cell in row.cells if cell.required]
    assert required == [5, 6, 7, 8, 9]
    assert row.cells[0].state is CellState.NOT_REQUIRED


def test_frequency_override_and_none():
    freqs = DEFAULT_FREQUENCIES | {K.LECTURE: Frequency.HALF_YEARLY, K.APPRAISAL: Frequency.NONE}
    c = cal([s(1, K.OTHER, date(2026, 3, 3))], today=date(2027, 1, 5), freqs=freqs)
    assert c.row(K.LECTURE).required == 2
    assert c.row(K.APPRAISAL) is None
    other = c.row(K.OTHER)  # not required, shown because one was held
    assert other.required == 0 and other.held == 1 and other.missing == 0


def test_late_counts_and_compliance_row_for_a_quarter():
    meetings = [s(1, K.THEME_DAY, date(2026, 4, 8), late=True), s(2, K.ASSEMBLY, date(2026, 5, 1)),
                s(3, K.THEME_DAY, date(2026, 6, 30), PLANNED)]
    c = cal(meetings, today=date(2026, 6, 10))
    row = compliance_row(c, "幸福社区党委", 2, meetings)
    theme = row.by_kind[K.THEME_DAY]
    assert (theme.held, theme.required, theme.missing, theme.due, theme.late, theme.planned) == \
        (1, 3, 1, 1, 1, 1)  # April held late, May missing, June planned
    assert row.by_kind[K.ASSEMBLY].held == 1 and row.by_kind[K.ASSEMBLY].missing == 0
    # 主题党日 May + 支委会 April and May; June's 支委会, Q2's 党课 are still due.
    assert row.missing == 3
    assert row.by_kind[K.COMMITTEE].due == 1 and row.by_kind[K.LECTURE].due == 1
    assert K.LIFE in row.by_kind and row.by_kind[K.LIFE].required == 0  # due in Q4


def test_the_four_quarters_in_one_pass_match_counting_each_quarter_from_its_cells():
    """compliance_rows counts all quarters in one pass (the ledger of a large street reads
    100k cells); every figure must equal the plain definition: held / late / planned
    meetings by the day held, required / missing / due periods by the quarter they end in."""
    import random

    rng = random.Random(20261205)
    kinds = list(K)
    statuses = list(MeetingStatus)
    for trial in range(40):
        meetings = [s(i, rng.choice(kinds), date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                      rng.choice(statuses), rng.random() < 0.3, org=rng.choice((1, 1, 2)))
                    for i in range(rng.randint(0, 40))]
        today = date(2026, rng.randint(1, 12), rng.randint(1, 28))
        c = cal(meetings, today, founded=rng.choice((None, date(2026, 3, 15))))
        rows = compliance_rows(c, "上级", meetings)
        for quarter, row in enumerate(rows, start=1):
            assert row == compliance_row(c, "上级", quarter, meetings)
            for r in c.rows:
                if r.frequency is Frequency.NONE:
                    assert r.kind not in row.by_kind
                    continue
                ending = [x for x in r.cells if x.period.quarter == quarter]
                held = [m for m in meetings if m.org_id == 1 and m.kind is r.kind and m.status is HELD
                        and (m.day.month - 1) // 3 + 1 == quarter]
                mine = [m for m in meetings if m.org_id == 1 and m.kind is r.kind
                        and (m.day.month - 1) // 3 + 1 == quarter]
                q = row.by_kind[r.kind]
                assert (q.required, q.missing, q.due) == (
                    sum(x.required for x in ending), sum(x.missing for x in ending),
                    sum(x.required and x.state in (CellState.DUE, CellState.PLANNED)
                        for x in ending)), (trial, quarter, r.kind)
                assert (q.held, q.late, q.planned) == (
                    len(held), sum(m.late for m in held), len(mine) - len(held)), (trial, r.kind)
        for r in c.rows:  # each cell lists its meetings by date
            for x in r.cells:
                days = [next(m.day for m in meetings if m.id == i) for i in x.meeting_ids]
                assert days == sorted(days)
