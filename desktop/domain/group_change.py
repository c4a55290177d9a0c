"""A member's changes of 党小组, as the history tab lists them beside the other events.

They are read off the recorded stretches (storage/group_history): a stretch that ends on
the day another begins is one move; a start alone is joining, an end alone is leaving.
A stretch held "since before the records began" (no start) is no change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

from .interval import Interval

GROUP_CHANGE = "调整党小组"
"""The 事项 of a change of 党小组 in the member's history."""


@dataclass(frozen=True)
class GroupChange:
    date: date
    from_group: int | None
    to_group: int | None

    def detail(self, names: Mapping[int, str]) -> str:
        """由第一党小组调至第二党小组 / 加入第二党小组 / 离开第一党小组."""
        left, joined = names.get(self.from_group, ""), names.get(self.to_group, "")
        if self.from_group is not None and self.to_group is not None:
            return f"由{left}调至{joined}"
        return f"加入{joined}" if self.to_group is not None else f"离开{left}"


def group_changes(stretches: Iterable[Interval]) -> list[GroupChange]:
    """The dated changes these stretches (org_id = the group) record, oldest first."""
    ended: dict[date, int] = {}
    began: dict[date, int] = {}
    for iv in stretches:
        if iv.end is not None:
            ended[iv.end] = iv.org_id
        if iv.start is not None:
            began[iv.start] = iv.org_id
    return [GroupChange(day, ended.get(day), began.get(day)) for day in sorted(ended.keys() | began.keys())]
