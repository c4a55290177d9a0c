"""Events in a member's history: leaving is a dated event, never a delete."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from .errors import FieldError
from .member import Status


class EventKind(str, enum.Enum):
    JOINED = "入党"
    TRANSFER_IN = "转入"
    TRANSFER_OUT = "转出"
    CONFIRMED = "转正"
    PROBATION_EXTENDED = "延长预备期"
    MOVED = "组织内调动"
    SUSPENDED = "停止党籍"
    EXPELLED = "出党"
    DECEASED = "去世"


MOVED_ON = "调整日期"
"""The field naming the day a move to another branch or 党小组 takes effect."""


def move_date(when: date | None, today: date, joined: date | None) -> date:
    """The day a move takes effect: today when not given; never ahead of today, nor
    before the member joined the party."""
    if when is None:
        return today
    if when > today:
        raise FieldError(MOVED_ON, f"不能晚于今天（{today.isoformat()}）")
    if joined and when < joined:
        raise FieldError(MOVED_ON, "不能早于加入党组织日期")
    return when


# The roster status each leaving event puts a member in.
LEAVING_EVENTS: dict[EventKind, Status] = {
    EventKind.TRANSFER_OUT: Status.TRANSFERRED_OUT,
    EventKind.SUSPENDED: Status.SUSPENDED,
    EventKind.EXPELLED: Status.EXPELLED,
    EventKind.DECEASED: Status.DECEASED,
}


@dataclass
class MemberEvent:
    member_id: int
    kind: EventKind
    date: date
    detail: str = ""
    """From/to where (转入/转出), meeting (转正), reason (停止党籍…)."""
    org_id: int | None = None
    id: int | None = None
    uuid: str | None = None
