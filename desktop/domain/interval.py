"""A dated stretch of membership (of an organisation, a 党小组 or a seat)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Interval:
    """Membership of one organisation from `start` (inclusive) to `end` (exclusive)."""

    org_id: int
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)
