"""The rolling set of backups: 7 daily, 4 weekly, 12 monthly, today's all, never the newest."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.backup_policy import DAILY, MONTHLY, WEEKLY, keep, to_delete

TODAY = date(2026, 11, 22)  # a Sunday


def at(d: date, hour: int = 8, minute: int = 30) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute)


def test_nothing_to_keep_or_delete_when_there_are_no_backups():
    assert keep([], TODAY) == set()
    assert to_delete([], TODAY) == []


def test_a_single_old_backup_is_never_deleted():
    items = [("only", at(TODAY - timedelta(days=900)))]
    assert to_delete(items, TODAY) == []


def test_every_backup_of_today_is_kept():
    items = [(f"t{h}", at(TODAY, h)) for h in range(8, 18)]
    assert to_delete(items, TODAY) == []


def test_a_year_of_daily_backups_keeps_7_daily_4_weekly_12_monthly():
    items = [(d, at(d)) for d in (TODAY - timedelta(days=i) for i in range(1, 400))]
    kept = keep(items, TODAY)
    days = sorted(kept, reverse=True)
    # the 7 days before today
    assert days[:7] == [TODAY - timedelta(days=i) for i in range(1, 8)]
    # the newest of each of the 4 most recent ISO weeks with backups: this week's
    # (yesterday) and the three Sundays before
    assert {date(2026, 11, 21), date(2026, 11, 15), date(2026, 11, 8), date(2026, 11, 1)} <= kept
    assert date(2026, 10, 25) not in kept
    # the newest (last day) of each of the 12 most recent months
    month_ends = {d for d in kept if (d + timedelta(days=1)).day == 1}
    assert len(month_ends) >= 11  # November's newest is 21 Nov (already a daily)
    assert date(2025, 12, 31) in kept and date(2025, 11, 30) not in kept
    assert len(kept) <= DAILY + WEEKLY + MONTHLY
    assert len(to_delete(items, TODAY)) == len(items) - len(kept)


def test_of_several_backups_on_an_old_day_only_the_newest_stays():
    day = TODAY - timedelta(days=2)
    items = [("morning", at(day, 8)), ("noon", at(day, 12)), ("evening", at(day, 18))]
    assert set(to_delete(items, TODAY)) == {"morning", "noon"}


def test_a_program_left_unused_still_keeps_seven_daily_copies():
    # Used on 10 days, two months ago: the calendar window would delete them all.
    start = TODAY - timedelta(days=70)
    items = [(i, at(start + timedelta(days=i))) for i in range(10)]
    kept = keep(items, TODAY)
    assert {3, 4, 5, 6, 7, 8, 9} <= kept


def test_backups_dated_after_today_are_kept():
    items = [("future", at(TODAY + timedelta(days=30))), ("old", at(TODAY - timedelta(days=1)))]
    assert to_delete(items, TODAY) == []


def test_to_delete_lists_oldest_first():
    items = [(i, at(TODAY - timedelta(days=i), 9)) for i in range(1, 500)]
    doomed = to_delete(items, TODAY)
    assert doomed == sorted(doomed, reverse=True)  # larger i = older


stamps = st.lists(
    st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)),
    min_size=0, max_size=60, unique=True)


@settings(max_examples=150, deadline=None)
@given(stamps, st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 1, 31)))
def test_rule_properties(whens, today):
    items = list(enumerate(whens))
    kept = keep(items, today)
    doomed = to_delete(items, today)
    assert kept.isdisjoint(doomed) and kept | set(doomed) == {k for k, _ in items}
    if items:
        newest = max(items, key=lambda kv: kv[1])[0]
        assert newest in kept
    # all of today's (and later) stay; of older ones at most 7 + 4 + 12
    assert {k for k, w in items if w.date() >= today} <= kept
    assert len({k for k in kept if whens[k].date() < today}) <= DAILY + WEEKLY + MONTHLY + 1
    # the newest of each of the last 7 earlier days with backups stays
    older_days = sorted({w.date() for w in whens if w.date() < today}, reverse=True)[:DAILY]
    for d in older_days:
        assert max((w, k) for k, w in items if w.date() == d)[1] in kept
    # pruning again deletes nothing more (the kept set is stable)
    assert to_delete([(k, whens[k]) for k in kept], today) == []
