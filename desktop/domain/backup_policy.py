"""Which backup copies to keep: a rolling set of daily, weekly and monthly copies.

The rule, applied to the copies that exist (not to calendar slots, so a
program left unused for a month still keeps seven daily copies):

- every copy taken today (or dated after today: a wrong clock is never a reason
  to delete) is kept, so the clerk can always go back to this morning;
- of the older copies, the newest of each of the last `daily` days that have a
  copy is kept, then the newest of each of the last `weekly` ISO weeks, then the
  newest of each of the last `monthly` months (a copy may count for all three);
- the newest copy of all is never deleted.

Everything else may go. Plain Python, no file system: the service applies it.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

DAILY, WEEKLY, MONTHLY = 7, 4, 12

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class BackupInfo:
    """One backup copy as the clerk sees it in 文件 → 备份/恢复.

    The counts are read from the copy itself; None when it cannot be read.
    """

    path: Path
    taken_at: datetime
    reason: str
    size: int
    member_count: int | None = None
    org_count: int | None = None

    @property
    def readable(self) -> bool:
        return self.member_count is not None


def _newest_per(items: list[tuple[K, datetime]], period: Callable[[datetime], Hashable],
                how_many: int) -> set[K]:
    """The newest item of each of the `how_many` most recent periods that have one."""
    kept: set[K] = set()
    seen: set[Hashable] = set()
    for key, when in items:  # newest first
        p = period(when)
        if p in seen:
            continue
        if len(seen) >= how_many:
            break
        seen.add(p)
        kept.add(key)
    return kept


def keep(items: Iterable[tuple[K, datetime]], today: date, *, daily: int = DAILY,
         weekly: int = WEEKLY, monthly: int = MONTHLY) -> set[K]:
    """The keys of the copies to keep, given (key, taken_at) for every copy."""
    ordered = sorted(items, key=lambda kv: kv[1], reverse=True)
    if not ordered:
        return set()
    kept = {ordered[0][0]}  # the newest, whatever its date
    kept |= {k for k, when in ordered if when.date() >= today}
    older = [(k, when) for k, when in ordered if when.date() < today]
    kept |= _newest_per(older, lambda d: d.date(), daily)
    kept |= _newest_per(older, lambda d: d.isocalendar()[:2], weekly)
    kept |= _newest_per(older, lambda d: (d.year, d.month), monthly)
    return kept


def to_delete(items: Iterable[tuple[K, datetime]], today: date, **limits: int) -> list[K]:
    """The keys of the copies the rule lets go, oldest first."""
    ordered = sorted(items, key=lambda kv: kv[1])
    kept = keep(ordered, today, **limits)
    return [k for k, _ in ordered if k not in kept]
