"""Reading and writing member records and their history."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from sqlalchemy import Connection, bindparam, select

from ..domain.errors import NotFound
from ..domain.member import Category, Member, PartyStanding, Status
from ..domain.member_event import EventKind, MemberEvent
from ..domain.names import pinyin_initials, pinyin_key
from . import audit, group_history
from .tables import MemberEventRow, MemberExtraOrgRow, MemberRow, new_uuid, utcnow

T = MemberRow.__table__
E = MemberEventRow.__table__
X = MemberExtraOrgRow.__table__

# Member attributes stored one to one in a column of the same name.
PLAIN_FIELDS = ("name", "org_id", "group_id", "id_number", "sex", "ethnicity", "birth_date",
                "education", "joined", "confirmed", "job", "mobile", "phone", "address",
                "lost_contact", "lost_contact_date", "is_mobile", "outflow", "remarks",
                "classification", "party_post", "probation_extension_months", "left_date")


def _values(m: Member) -> dict:
    v = {f: getattr(m, f) for f in PLAIN_FIELDS}
    for f in ("sex", "ethnicity", "education", "job", "mobile", "phone", "address", "outflow",
              "remarks", "classification", "party_post"):
        v[f] = v[f] or ""
    v["category"] = Category(m.category).value
    v["standing"] = PartyStanding(m.standing).value
    v["status"] = Status(m.status).value
    v["name_pinyin"] = pinyin_key(m.name)  # syllables spaced: 李勇 (li yong) sorts before 林 (lin)
    v["name_initials"] = search_key(m.name)
    return v


def search_key(name: str) -> str:
    """What the search box matches by prefix: initials, then flat pinyin ("zs zhangsan")."""
    return f"{pinyin_initials(name)} {pinyin_key(name).replace(' ', '')}"


def _from_row(r) -> Member:
    m = Member(**{f: getattr(r, f) for f in PLAIN_FIELDS})
    m.category = Category(r.category)
    m.standing = PartyStanding(r.standing)
    m.status = Status(r.status)
    m.id, m.uuid = r.id, r.uuid
    return m


def insert(conn: Connection, m: Member) -> int:
    now = utcnow()
    values = _values(m) | {"uuid": m.uuid or new_uuid(), "created_at": now, "modified_at": now}
    member_id = conn.execute(T.insert().values(**values)).inserted_primary_key[0]
    set_extra_orgs(conn, member_id, m.extra_org_ids)
    return member_id


def insert_many(conn: Connection, members: Iterable[Member]) -> int:
    """Bulk insert (demo data, imports); extra organisations are not handled here."""
    now = utcnow()
    rows = [_values(m) | {"uuid": m.uuid or new_uuid(), "created_at": now, "modified_at": now}
            for m in members]
    audit.bulk_insert(conn, T, rows)
    return len(rows)


def update(conn: Connection, m: Member, when: date | None = None) -> None:
    """Save the record; a change of 党小组 is recorded as of `when` (default today)."""
    old_groups = group_history.current_groups(conn, [m.id])
    conn.execute(T.update().where(T.c.id == m.id).values(**_values(m), modified_at=utcnow()))
    set_extra_orgs(conn, m.id, m.extra_org_ids)
    group_history.record_changes(conn, [(m.id, old_groups.get(m.id), m.group_id)],
                                 when or date.today())


def get(conn: Connection, member_id: int) -> Member:
    r = conn.execute(select(T).where(T.c.id == member_id)).first()
    if r is None:
        raise NotFound(f"党员（编号{member_id}）不存在")
    m = _from_row(r)
    m.extra_org_ids = list(conn.execute(
        select(X.c.org_id).where(X.c.member_id == member_id).order_by(X.c.id)).scalars())
    return m


def find_by_id_number(conn: Connection, id_number: str) -> tuple[int, str, str] | None:
    """(id, name, status) of the record holding this ID number, if any."""
    r = conn.execute(select(T.c.id, T.c.name, T.c.status).where(T.c.id_number == id_number)).first()
    return tuple(r) if r else None


def ids_by_id_number(conn: Connection, id_numbers: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(id_numbers), 500):
        chunk = id_numbers[i:i + 500]
        out.update(conn.execute(select(T.c.id_number, T.c.id).where(T.c.id_number.in_(chunk))).all())
    return out


def holders_by_id_number(conn: Connection, id_numbers: list[str]) -> dict[str, tuple[int, str, str]]:
    """id number → (id, name, status) for each number already on record (bulk imports)."""
    out: dict[str, tuple[int, str, str]] = {}
    for i in range(0, len(id_numbers), 500):
        chunk = id_numbers[i:i + 500]
        for r in conn.execute(select(T.c.id_number, T.c.id, T.c.name, T.c.status)
                              .where(T.c.id_number.in_(chunk))):
            out[r.id_number] = (r.id, r.name, r.status)
    return out


def get_many(conn: Connection, member_ids: list[int]) -> dict[int, Member]:
    """Several members by id, with their extra organisations; missing ids are left out."""
    out: dict[int, Member] = {}
    for i in range(0, len(member_ids), 500):
        chunk = member_ids[i:i + 500]
        for r in conn.execute(select(T).where(T.c.id.in_(chunk))):
            out[r.id] = _from_row(r)
        for member_id, org_id in conn.execute(
                select(X.c.member_id, X.c.org_id).where(X.c.member_id.in_(chunk)).order_by(X.c.id)):
            out[member_id].extra_org_ids.append(org_id)
    return out


def update_many(conn: Connection, members: list[Member], when: date | None = None) -> None:
    """Bulk update of the stored fields (imports); extra organisations are not touched.
    Changes of 党小组 are recorded as of `when` (default today)."""
    now = utcnow()
    old_groups = group_history.current_groups(conn, [m.id for m in members])
    rows = [_values(m) | {"b_id": m.id, "modified_at": now} for m in members]
    if rows:
        conn.execute(T.update().where(T.c.id == bindparam("b_id")), rows)
    group_history.record_changes(conn, [(m.id, old_groups.get(m.id), m.group_id) for m in members],
                                 when or date.today())


def set_extra_orgs(conn: Connection, member_id: int, org_ids: list[int]) -> None:
    current = list(conn.execute(select(X.c.org_id).where(X.c.member_id == member_id)).scalars())
    if sorted(current) == sorted(set(org_ids)):
        return
    conn.execute(X.delete().where(X.c.member_id == member_id))
    now = utcnow()
    for org_id in dict.fromkeys(org_ids):
        conn.execute(X.insert().values(uuid=new_uuid(), created_at=now, modified_at=now,
                                       member_id=member_id, org_id=org_id))


def add_event(conn: Connection, ev: MemberEvent) -> int:
    now = utcnow()
    return conn.execute(E.insert().values(
        uuid=ev.uuid or new_uuid(), created_at=now, modified_at=now, member_id=ev.member_id,
        kind=ev.kind.value, date=ev.date, detail=ev.detail or "", org_id=ev.org_id,
    )).inserted_primary_key[0]


def add_events(conn: Connection, events: Iterable[MemberEvent]) -> None:
    now = utcnow()
    rows = [dict(uuid=new_uuid(), created_at=now, modified_at=now, member_id=e.member_id,
                 kind=e.kind.value, date=e.date, detail=e.detail or "", org_id=e.org_id)
            for e in events]
    audit.bulk_insert(conn, E, rows)


def events(conn: Connection, member_id: int) -> list[MemberEvent]:
    q = select(E).where(E.c.member_id == member_id).order_by(E.c.date, E.c.id)
    return [MemberEvent(id=r.id, uuid=r.uuid, member_id=r.member_id, kind=EventKind(r.kind),
                        date=r.date, detail=r.detail, org_id=r.org_id) for r in conn.execute(q)]


def set_status(conn: Connection, member_id: int, status: Status, left_date) -> None:
    conn.execute(T.update().where(T.c.id == member_id).values(
        status=status.value, left_date=left_date, modified_at=utcnow()))


def demo_index(conn: Connection) -> list[tuple]:
    """(id, org_id, joined, category, birth_date) of every active member, for generators."""
    q = select(T.c.id, T.c.org_id, T.c.joined, T.c.category, T.c.birth_date).where(
        T.c.status == Status.ACTIVE.value).order_by(T.c.id)
    return [tuple(r) for r in conn.execute(q)]


def set_party_posts(conn: Connection, posts: list[tuple[int, str]]) -> None:
    for member_id, post in posts:
        conn.execute(T.update().where(T.c.id == member_id).values(party_post=post))
