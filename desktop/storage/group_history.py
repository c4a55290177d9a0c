"""党小组 membership over time (schema step m0008_group_membership).

A member's group now is `member.group_id`. Each change of group closes the stretch in
the old group and opens one in the new group on the day of the change, so a past
党小组会 expects the group of its day. A member with no row here has had the roster's
group on every date (the records began before); see domain/meeting_rules.group_on.
members.update / update_many call record_changes, so every way of changing a member's
group (the member dialog, a move, a roster import) leaves its date here.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Optional

from sqlalchemy import Connection, select
from sqlmodel import Field

from ..domain.interval import Interval
from .tables import MemberRow, Tracked, new_uuid, utcnow

_CHUNK = 500


class GroupMembershipRow(Tracked, table=True):
    __tablename__ = "group_membership"
    id: Optional[int] = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    group_id: int = Field(foreign_key="organization.id", index=True)
    started_on: Optional[date] = None
    """None: in the group since before the records began."""
    ended_on: Optional[date] = None
    """None: still in the group."""


G = GroupMembershipRow.__table__


def stretches(conn: Connection, member_ids: list[int] | None) -> dict[int, list[Interval]]:
    """member id → its recorded stretches (org_id = the group), oldest first (None: all)."""
    out: dict[int, list[Interval]] = {}
    q = select(G.c.member_id, G.c.group_id, G.c.started_on, G.c.ended_on)
    rows = conn.execute(q).all() if member_ids is None else []
    for i in range(0, len(member_ids or []), _CHUNK):
        rows.extend(conn.execute(q.where(G.c.member_id.in_(member_ids[i:i + _CHUNK]))).all())
    for r in rows:
        out.setdefault(r.member_id, []).append(Interval(r.group_id, r.started_on, r.ended_on))
    for spans in out.values():
        spans.sort(key=lambda iv: (iv.start or date.min, iv.end or date.max))
    return out


def members_ever_in(org_ids: list[int]):
    """A subquery of the members with a recorded stretch in one of these groups."""
    return select(G.c.member_id).where(G.c.group_id.in_(org_ids))


def current_groups(conn: Connection, member_ids: list[int]) -> dict[int, int | None]:
    """member id → its group as the roster holds it (read before an update)."""
    M = MemberRow.__table__
    out: dict[int, int | None] = {}
    for i in range(0, len(member_ids), _CHUNK):
        out.update(conn.execute(select(M.c.id, M.c.group_id)
                                .where(M.c.id.in_(member_ids[i:i + _CHUNK]))).all())
    return out


def record_changes(conn: Connection, changes: Iterable[tuple[int, int | None, int | None]],
                   when: date) -> None:
    """Each (member id, old group, new group) with old != new: the new group from `when` on.

    Stretches begun on or after `when` are superseded (a correction the same day leaves
    no one-day history), open ones end on `when`, and the first change of a member
    keeps the old group as held since before the records began.
    """
    changes = [(m, old, new) for m, old, new in changes if old != new]
    if not changes:
        return
    now = utcnow()
    member_ids = [m for m, _, _ in changes]
    have: dict[int, list] = {}
    for i in range(0, len(member_ids), _CHUNK):
        for r in conn.execute(select(G.c.id, G.c.member_id, G.c.group_id, G.c.started_on, G.c.ended_on)
                              .where(G.c.member_id.in_(member_ids[i:i + _CHUNK]))):
            have.setdefault(r.member_id, []).append(r)
    inserts = []

    def row(member_id: int, group_id: int, start: date | None, end: date | None) -> dict:
        return dict(uuid=new_uuid(), created_at=now, modified_at=now, member_id=member_id,
                    group_id=group_id, started_on=start, ended_on=end)

    for member_id, old, new in changes:
        rows = have.get(member_id, [])
        if not rows and old is not None:
            inserts.append(row(member_id, old, None, when))
        gone = [r.id for r in rows if r.started_on is not None and r.started_on >= when]
        if gone:
            conn.execute(G.delete().where(G.c.id.in_(gone)))
        kept = [r for r in rows if r.id not in gone]
        cut = [r.id for r in kept if r.ended_on is None or r.ended_on > when]
        if cut:
            conn.execute(G.update().where(G.c.id.in_(cut)).values(ended_on=when, modified_at=now))
        if new is None:
            continue
        # Back to the group left on this same day: that stretch simply goes on.
        resumed = next((r for r in kept if r.group_id == new and
                        (r.ended_on == when or r.id in cut)), None)
        if resumed is not None:
            conn.execute(G.update().where(G.c.id == resumed.id).values(ended_on=None, modified_at=now))
        else:
            inserts.append(row(member_id, new, when, None))
    if inserts:
        conn.execute(G.insert(), inserts)

