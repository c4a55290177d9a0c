"""Reading and writing meetings, their attendance and attachments; membership history.

Attachment files live in `<db stem>.files/meetings/<ab>/<sha256>.<ext>`: named by
content, written once (temporary name, then renamed) and never rewritten or removed
by the program, so a database restored from any backup still finds its files and
two meetings sharing a photo share one file.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import Connection, and_, delete, or_, select

from ..domain.errors import NotFound
from ..domain.meeting import (MULTI_ORG_ROLE, AbsenceReason, Attachment, AttachmentKind, Attendee,
                              Guest, Meeting, MeetingKind, MeetingStatus, Resolution, UnitDelegate)
from ..domain.meeting_calendar import MeetingSummary
from ..domain.meeting_rules import MemberHistory
from ..domain.member import Category, Status
from ..domain.member_event import EventKind, MemberEvent
from . import group_history
from .database import files_dir
from .meeting_tables import MeetingAttachmentRow, MeetingAttendanceRow, MeetingRow
from .tables import MemberEventRow, MemberExtraOrgRow, MemberRow, new_uuid, utcnow

T = MeetingRow.__table__
A = MeetingAttendanceRow.__table__
F = MeetingAttachmentRow.__table__
M = MemberRow.__table__
E = MemberEventRow.__table__
X = MemberExtraOrgRow.__table__

_CHUNK = 500


# --- meetings ------------------------------------------------------------------------

def _dumps(items: list[Any]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str | None) -> list[Any]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _values(m: Meeting) -> dict:
    if m.kind is MeetingKind.JOINT:
        expected, present = len(m.units), sum(1 for u in m.units if u.present)
    else:
        expected, present = len(m.attendees), sum(1 for a in m.attendees if a.present)
    return {
        "org_id": m.org_id, "kind": m.kind.value, "other_name": m.other_name.strip(),
        "status": m.status.value, "starts_at": m.start, "ends_at": m.end,
        "topics": _dumps([t.strip() for t in m.topics if t.strip()]), "place": m.place.strip(),
        "host_id": m.host_id, "host_name": m.host_name, "recorder_id": m.recorder_id,
        "recorder_name": m.recorder_name, "lecturer": m.lecturer.strip(),
        "lecture_title": m.lecture_title.strip(),
        "guests": _dumps([[g.name, g.role] for g in m.guests]),
        "content": m.content or "",
        "resolutions": _dumps([[r.text, r.yes, r.no, r.abstain, r.election] for r in m.resolutions]),
        "units": _dumps([[u.unit, u.representative, u.role, u.present] for u in m.units]),
        "remarks": m.remarks or "", "recorded_on": m.recorded_on, "late": m.late,
        "expected_count": expected, "present_count": present,
    }


def _from_row(r) -> Meeting:
    return Meeting(
        id=r.id, uuid=r.uuid, org_id=r.org_id, kind=MeetingKind(r.kind), other_name=r.other_name,
        status=MeetingStatus(r.status), start=r.starts_at, end=r.ends_at,
        topics=[str(t) for t in _loads(r.topics)], place=r.place, host_id=r.host_id,
        host_name=r.host_name, recorder_id=r.recorder_id, recorder_name=r.recorder_name,
        lecturer=r.lecturer, lecture_title=r.lecture_title,
        guests=[Guest(*g[:2]) for g in _loads(r.guests)], content=r.content,
        resolutions=[Resolution(x[0], int(x[1]), int(x[2]), int(x[3]), bool(x[4]))
                     for x in _loads(r.resolutions)],
        units=[UnitDelegate(u[0], u[1], u[2], bool(u[3])) for u in _loads(r.units)],
        remarks=r.remarks, recorded_on=r.recorded_on, late=bool(r.late),
        expected_count=r.expected_count, present_count=r.present_count)


def insert(conn: Connection, m: Meeting) -> int:
    now = utcnow()
    meeting_id = conn.execute(T.insert().values(
        **_values(m), uuid=m.uuid or new_uuid(), created_at=now, modified_at=now,
    )).inserted_primary_key[0]
    set_attendance(conn, meeting_id, m.attendees)
    return meeting_id


def update(conn: Connection, m: Meeting) -> None:
    conn.execute(T.update().where(T.c.id == m.id).values(**_values(m), modified_at=utcnow()))
    set_attendance(conn, m.id, m.attendees)


def get(conn: Connection, meeting_id: int) -> Meeting:
    r = conn.execute(select(T).where(T.c.id == meeting_id)).first()
    if r is None:
        raise NotFound(f"会议（编号{meeting_id}）不存在")
    m = _from_row(r)
    m.attendees = attendance(conn, meeting_id)
    m.attachments = attachments(conn, meeting_id)
    return m


def get_many(conn: Connection, meeting_ids: list[int]) -> list[Meeting]:
    """Full meetings in the order given (for batch printing)."""
    return [get(conn, i) for i in meeting_ids]


def remove(conn: Connection, meeting_id: int) -> None:
    conn.execute(A.delete().where(A.c.meeting_id == meeting_id))
    conn.execute(F.delete().where(F.c.meeting_id == meeting_id))
    conn.execute(T.delete().where(T.c.id == meeting_id))


def summaries(conn: Connection, *, org_ids: Iterable[int] | None = None,
              start: date | None = None, end: date | None = None) -> list[MeetingSummary]:
    """Meetings between `start` and `end` (inclusive), oldest first."""
    q = select(T.c.id, T.c.org_id, T.c.kind, T.c.other_name, T.c.starts_at, T.c.status, T.c.late,
               T.c.topics, T.c.lecture_title, T.c.expected_count, T.c.present_count)
    conds = []
    if org_ids is not None:
        conds.append(T.c.org_id.in_(list(org_ids)))
    if start is not None:
        conds.append(T.c.starts_at >= datetime.combine(start, datetime.min.time()))
    if end is not None:
        conds.append(T.c.starts_at <= datetime.combine(end, datetime.max.time()))
    if conds:
        q = q.where(and_(*conds))
    out = []
    for r in conn.execute(q.order_by(T.c.starts_at, T.c.id)):
        topics = _loads(r.topics)
        title = "；".join(str(t) for t in topics) or r.lecture_title
        out.append(MeetingSummary(r.id, r.org_id, MeetingKind(r.kind), r.starts_at.date(),
                                  MeetingStatus(r.status), bool(r.late), title,
                                  r.expected_count, r.present_count))
    return out


def ids_for(conn: Connection, org_id: int, year: int, held_only: bool = True) -> list[int]:
    q = select(T.c.id).where(T.c.org_id == org_id,
                             T.c.starts_at >= datetime(year, 1, 1),
                             T.c.starts_at < datetime(year + 1, 1, 1))
    if held_only:
        q = q.where(T.c.status == MeetingStatus.HELD.value)
    return list(conn.execute(q.order_by(T.c.starts_at, T.c.id)).scalars())


# --- attendance ------------------------------------------------------------------------

def attendance(conn: Connection, meeting_id: int) -> list[Attendee]:
    q = select(A).where(A.c.meeting_id == meeting_id).order_by(A.c.sort_order, A.c.id)
    return [Attendee(r.member_id, r.name, Category(r.category), bool(r.present),
                     AbsenceReason(r.reason) if r.reason else None, r.note, r.role)
            for r in conn.execute(q)]


def _attendance_values(a: Attendee, order: int) -> dict:
    return {"member_id": a.member_id, "name": a.name, "category": Category(a.category).value,
            "role": a.role or "", "present": a.present,
            "reason": a.reason.value if (a.reason and not a.present) else "",
            "note": (a.note or "") if not a.present else "", "sort_order": order}


def set_attendance(conn: Connection, meeting_id: int, attendees: list[Attendee]) -> None:
    """Rows keyed by member: kept rows keep their uuid (exchange sees an edit, not a swap)."""
    existing = {r.member_id: r for r in conn.execute(
        select(A.c.id, A.c.member_id).where(A.c.meeting_id == meeting_id))}
    now = utcnow()
    seen: set[int] = set()
    inserts = []
    for order, a in enumerate(attendees):
        if a.member_id in seen:
            continue
        seen.add(a.member_id)
        values = _attendance_values(a, order)
        old = existing.get(a.member_id)
        if old is not None:
            conn.execute(A.update().where(A.c.id == old.id).values(**values, modified_at=now))
        else:
            inserts.append(values | {"meeting_id": meeting_id, "uuid": new_uuid(),
                                     "created_at": now, "modified_at": now})
    if inserts:
        conn.execute(A.insert(), inserts)
    gone = [r.id for mid, r in existing.items() if mid not in seen]
    if gone:
        conn.execute(A.delete().where(A.c.id.in_(gone)))


def attendance_records(conn: Connection, org_ids: list[int], start: date, end: date
                       ) -> list[tuple]:
    """(meeting_id, day, kind, status, member_id, name, present, reason, note, org_id) of held
    meetings, in date order."""
    q = (select(T.c.id, T.c.starts_at, T.c.kind, T.c.status, A.c.member_id, A.c.name, A.c.present,
                A.c.reason, A.c.note, T.c.org_id)
         .join(A, A.c.meeting_id == T.c.id)
         .where(T.c.org_id.in_(org_ids), T.c.status == MeetingStatus.HELD.value,
                T.c.starts_at >= datetime.combine(start, datetime.min.time()),
                T.c.starts_at <= datetime.combine(end, datetime.max.time()))
         .order_by(T.c.starts_at, T.c.id, A.c.sort_order))
    return [(r[0], r[1].date(), MeetingKind(r[2]), r[3], r[4], r[5], bool(r[6]), r[7], r[8], r[9])
            for r in conn.execute(q)]


# --- membership history ------------------------------------------------------------------

def _histories(conn: Connection, member_filter) -> list[MemberHistory]:
    q = select(M.c.id, M.c.name, M.c.org_id, M.c.group_id, M.c.status, M.c.category, M.c.joined,
               M.c.confirmed, M.c.left_date)
    if member_filter is not None:
        q = q.where(member_filter)
    out = {r.id: MemberHistory(r.id, r.name, r.org_id, Status(r.status), Category(r.category),
                               r.joined, r.confirmed, r.left_date, r.group_id)
           for r in conn.execute(q)}
    ids = list(out)
    eq = select(E.c.id, E.c.member_id, E.c.kind, E.c.date, E.c.org_id)
    rows = []
    if member_filter is None:
        rows = conn.execute(eq).all()
    else:
        for i in range(0, len(ids), _CHUNK):
            rows.extend(conn.execute(eq.where(E.c.member_id.in_(ids[i:i + _CHUNK]))).all())
    for r in rows:
        h = out.get(r.member_id)
        if h is not None:
            h.events.append(MemberEvent(r.member_id, EventKind(r.kind), r.date, "", r.org_id, id=r.id))
    for member_id, spans in group_history.stretches(
            conn, None if member_filter is None else ids).items():
        if member_id in out:
            out[member_id].groups = spans
    return sorted(out.values(), key=lambda h: h.member_id)


def histories_for(conn: Connection, org_ids: list[int]) -> list[MemberHistory]:
    """Everyone who is, or ever was, in one of these organisations (or their groups)."""
    past = select(E.c.member_id).where(E.c.org_id.in_(org_ids))
    return _histories(conn, or_(M.c.org_id.in_(org_ids), M.c.group_id.in_(org_ids),
                                M.c.id.in_(past), M.c.id.in_(group_history.members_ever_in(org_ids))))


def multi_org_histories(conn: Connection, org_id: int) -> list[MemberHistory]:
    """Members linked to this organisation for 多重组织生活 (as the roster holds it now)."""
    return _histories(conn, M.c.id.in_(select(X.c.member_id).where(X.c.org_id == org_id)))


def all_histories(conn: Connection) -> list[MemberHistory]:
    return _histories(conn, None)


# --- attachments -------------------------------------------------------------------------

def store_file(db_path: Path, data: bytes, file_name: str) -> tuple[str, str]:
    """Put `data` into the files folder under its content hash; (relative path, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    ext = Path(file_name).suffix.lower()
    if not ext[1:].isalnum() or len(ext) > 6:
        ext = ""
    rel = f"meetings/{digest[:2]}/{digest}{ext}"
    target = files_dir(db_path) / rel
    if target.is_file() and target.stat().st_size == len(data):
        return rel, digest
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".~{target.name}.tmp-{secrets.token_hex(4)}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return rel, digest


def file_path(db_path: Path, rel: str) -> Path:
    return files_dir(db_path) / rel


def attachments(conn: Connection, meeting_id: int) -> list[Attachment]:
    q = select(F).where(F.c.meeting_id == meeting_id).order_by(F.c.sort_order, F.c.id)
    return [Attachment(AttachmentKind(r.kind), r.file_name, r.path, r.sha256, r.size, r.caption,
                       id=r.id, uuid=r.uuid) for r in conn.execute(q)]


def add_attachment(conn: Connection, meeting_id: int, a: Attachment) -> int:
    now = utcnow()
    last = conn.execute(select(F.c.sort_order).where(F.c.meeting_id == meeting_id)
                        .order_by(F.c.sort_order.desc())).scalar()
    return conn.execute(F.insert().values(
        uuid=a.uuid or new_uuid(), created_at=now, modified_at=now, meeting_id=meeting_id,
        kind=a.kind.value, file_name=a.file_name[:200], path=a.path, sha256=a.sha256,
        size=a.size, caption=a.caption[:200], sort_order=(last or 0) + 1,
    )).inserted_primary_key[0]


def update_attachment(conn: Connection, a: Attachment) -> None:
    conn.execute(F.update().where(F.c.id == a.id).values(
        kind=a.kind.value, caption=a.caption[:200], modified_at=utcnow()))


def remove_attachment(conn: Connection, attachment_id: int) -> None:
    """The row goes; the file stays (another meeting or an older backup may refer to it)."""
    conn.execute(delete(F).where(F.c.id == attachment_id))


def attachment(conn: Connection, attachment_id: int) -> tuple[int, Attachment]:
    r = conn.execute(select(F).where(F.c.id == attachment_id)).first()
    if r is None:
        raise NotFound(f"附件（编号{attachment_id}）不存在")
    return r.meeting_id, Attachment(AttachmentKind(r.kind), r.file_name, r.path, r.sha256,
                                    r.size, r.caption, id=r.id, uuid=r.uuid)


def insert_many(conn: Connection, meetings: list[Meeting]) -> int:
    """Bulk insert (demo data): ids assigned here (the write transaction holds the lock),
    then meetings and their attendance in executemany batches."""
    from sqlalchemy import func

    now = utcnow()
    next_id = (conn.execute(select(func.max(T.c.id))).scalar() or 0) + 1
    rows, people = [], []
    for m in meetings:
        m.id, next_id = next_id, next_id + 1
        rows.append(_values(m) | {"id": m.id, "uuid": m.uuid or new_uuid(), "created_at": now,
                                  "modified_at": now})
        people.extend(_attendance_values(a, i) | {"meeting_id": m.id, "uuid": new_uuid(),
                                                  "created_at": now, "modified_at": now}
                      for i, a in enumerate(m.attendees))
    for i in range(0, len(rows), 2000):
        conn.execute(T.insert(), rows[i:i + 2000])
    for i in range(0, len(people), 5000):
        conn.execute(A.insert(), people[i:i + 5000])
    return len(meetings)


# --- bulk reads for the calendar, the street-wide table and the ledger ---------------------

def committee_sizes(conn: Connection) -> dict[int, int]:
    from sqlalchemy import func

    from .tables import CommitteeSeatRow

    S = CommitteeSeatRow.__table__
    return dict(conn.execute(select(S.c.org_id, func.count()).where(S.c.ended_on.is_(None))
                             .group_by(S.c.org_id)).all())


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1), datetime(year + 1, 1, 1)


def year_meetings(conn: Connection, year: int) -> list[Meeting]:
    """Every meeting of the year as lists show it: no attendance, content, guests, votes."""
    lo, hi = _year_bounds(year)
    q = (select(T.c.id, T.c.org_id, T.c.kind, T.c.other_name, T.c.status, T.c.starts_at, T.c.ends_at,
                T.c.topics, T.c.place, T.c.host_name, T.c.recorder_name, T.c.lecture_title,
                T.c.recorded_on, T.c.late, T.c.expected_count, T.c.present_count)
         .where(T.c.starts_at >= lo, T.c.starts_at < hi).order_by(T.c.starts_at, T.c.id))
    kinds = {k.value: k for k in MeetingKind}
    statuses = {s.value: s for s in MeetingStatus}
    return [Meeting(r.org_id, kinds[r.kind], r.starts_at, r.ends_at, statuses[r.status], r.other_name,
                    [str(t) for t in _loads(r.topics)], r.place, host_name=r.host_name,
                    recorder_name=r.recorder_name, lecture_title=r.lecture_title,
                    recorded_on=r.recorded_on, late=bool(r.late), expected_count=r.expected_count,
                    present_count=r.present_count, id=r.id)
            for r in conn.execute(q)]


def year_vote_counts(conn: Connection, year: int) -> dict[int, tuple[int, int]]:
    """meeting id → (voters expected, voters present), counted in SQL."""
    from sqlalchemy import case, func

    lo, hi = _year_bounds(year)
    full = and_(A.c.category == Category.FULL.value, A.c.role != MULTI_ORG_ROLE)  # Attendee.has_vote
    q = (select(A.c.meeting_id, func.sum(case((full, 1), else_=0)),
                func.sum(case((and_(full, A.c.present), 1), else_=0)))
         .join(T, T.c.id == A.c.meeting_id)
         .where(T.c.starts_at >= lo, T.c.starts_at < hi).group_by(A.c.meeting_id))
    return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in conn.execute(q)}


def year_absences(conn: Connection, year: int) -> dict[int, list[tuple[str, str, str]]]:
    """meeting id → (name, reason, note) of the absent, in list order."""
    lo, hi = _year_bounds(year)
    ids = select(T.c.id).where(T.c.starts_at >= lo, T.c.starts_at < hi)
    q = (select(A.c.meeting_id, A.c.name, A.c.reason, A.c.note)
         .where(A.c.meeting_id.in_(ids), A.c.present.is_(False))
         .order_by(A.c.meeting_id, A.c.sort_order, A.c.id))
    out: dict[int, list[tuple[str, str, str]]] = {}
    for mid, name, reason, note in conn.execute(q).all():
        out.setdefault(mid, []).append((name, reason, note))
    return out
