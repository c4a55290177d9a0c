"""Reading and writing 双报到: registrations, units, lists and claims, commitments,
service records with their participants, appraisals.

A registrant is a `Ref` (在职党员 or 驻区单位 + its registration id); in the tables
it is the pair of columns reg_member_id / reg_unit_id, exactly one set. Hours are
stored as whole minutes. Files (agreement scans, photos) go into the database's
files folder through storage/meetings.py's content-addressed store.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Iterable

from sqlalchemy import Connection, and_, func, select

from ..domain.errors import NotFound
from ..domain.registration import (Claim, Commitment, ItemStatus, ListItem, ListKind, Participant,
                                   Ref, RegisteredMember, RegistrantKind, ResidentUnit, ScanFile,
                                   ServicePost, ServiceRecord)
from ..domain.registration_feedback import Appraisal, AppraisalRecord
from ..domain.registration_quota import Activity
from .meetings import file_path, store_file  # noqa: F401  (re-exported for the service)
from .registration_tables import (RegistrationAppraisalRow, RegistrationClaimRow,
                                  RegistrationCommitmentRow, RegistrationItemRow,
                                  RegistrationMemberRow, RegistrationParticipantRow,
                                  RegistrationServiceRow, RegistrationUnitRow)
from .tables import MemberRow, new_uuid, utcnow

RM = RegistrationMemberRow.__table__
RU = RegistrationUnitRow.__table__
IT = RegistrationItemRow.__table__
CL = RegistrationClaimRow.__table__
CM = RegistrationCommitmentRow.__table__
SV = RegistrationServiceRow.__table__
PT = RegistrationParticipantRow.__table__
AP = RegistrationAppraisalRow.__table__
M = MemberRow.__table__


def _minutes(hours: float | None) -> int | None:
    return None if hours is None else int(round(hours * 60))


def _hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def _new(values: dict, uuid: str | None) -> dict:
    now = utcnow()
    return {**values, "uuid": uuid or new_uuid(), "created_at": now, "modified_at": now}


def _who(ref: Ref) -> dict:
    if ref.kind is RegistrantKind.MEMBER:
        return {"reg_member_id": ref.id, "reg_unit_id": None}
    return {"reg_member_id": None, "reg_unit_id": ref.id}


def _ref(r) -> Ref:
    if r.reg_member_id is not None:
        return Ref(RegistrantKind.MEMBER, r.reg_member_id)
    return Ref(RegistrantKind.UNIT, r.reg_unit_id)


def _where_ref(table, ref: Ref):
    if ref.kind is RegistrantKind.MEMBER:
        return table.c.reg_member_id == ref.id
    return table.c.reg_unit_id == ref.id


def _scan(r, prefix: str) -> ScanFile | None:
    path = getattr(r, f"{prefix}_path")
    if not path:
        return None
    return ScanFile(getattr(r, f"{prefix}_file_name"), path, getattr(r, f"{prefix}_sha256"),
                    getattr(r, f"{prefix}_size"))


def _scan_values(prefix: str, f: ScanFile | None) -> dict:
    f = f or ScanFile("", "", "", 0)
    return {f"{prefix}_file_name": f.file_name[:200], f"{prefix}_path": f.path or None,
            f"{prefix}_sha256": f.sha256, f"{prefix}_size": f.size}


# --- registered members ------------------------------------------------------------------

def _member_values(r: RegisteredMember) -> dict:
    return {"community_id": r.community_id, "member_id": r.member_id, "name": r.name,
            "sex": r.sex, "phone": r.phone, "id_number": r.id_number, "employer": r.employer.strip(),
            "employer_org": r.employer_org.strip(), "employer_contact": r.employer_contact.strip(),
            "address": r.address.strip(), "grid": r.grid.strip(), "skills": r.skills.strip(),
            "posts": json.dumps([p.value for p in r.posts], ensure_ascii=False),
            "reported_on": r.reported_on, "remarks": r.remarks}


def _posts(text: str) -> list[ServicePost]:
    try:
        values = json.loads(text or "[]")
    except ValueError:
        return []
    out = []
    for v in values if isinstance(values, list) else []:
        try:
            out.append(ServicePost(v))
        except ValueError:
            continue
    return out


def _member(r) -> RegisteredMember:
    return RegisteredMember(
        r.community_id, r.name, r.employer, r.employer_org, r.employer_contact, r.sex, r.phone,
        r.id_number, r.address, r.grid, r.skills, _posts(r.posts), r.reported_on, r.member_id,
        r.remarks, id=r.id, uuid=r.uuid)


def insert_member(conn: Connection, r: RegisteredMember) -> int:
    return conn.execute(RM.insert().values(_new(_member_values(r), r.uuid))).inserted_primary_key[0]


def insert_members(conn: Connection, regs: Iterable[RegisteredMember]) -> int:
    rows = [_new(_member_values(r), r.uuid) for r in regs]
    if rows:
        conn.execute(RM.insert(), rows)
    return len(rows)


def update_member(conn: Connection, r: RegisteredMember) -> None:
    conn.execute(RM.update().where(RM.c.id == r.id).values(**_member_values(r),
                                                           modified_at=utcnow()))


def get_member(conn: Connection, reg_id: int) -> RegisteredMember:
    r = conn.execute(select(RM).where(RM.c.id == reg_id)).first()
    if r is None:
        raise NotFound(f"报到党员（编号{reg_id}）不存在")
    return _member(r)


def members(conn: Connection, community_ids: list[int] | None = None) -> list[RegisteredMember]:
    q = select(RM).order_by(RM.c.reported_on, RM.c.id)
    if community_ids is not None:
        q = q.where(RM.c.community_id.in_(community_ids))
    return [_member(r) for r in conn.execute(q)]


def member_by_id_number(conn: Connection, id_number: str) -> RegisteredMember | None:
    r = conn.execute(select(RM).where(RM.c.id_number == id_number)).first()
    return _member(r) if r else None


def member_by_roster_id(conn: Connection, member_id: int) -> RegisteredMember | None:
    r = conn.execute(select(RM).where(RM.c.member_id == member_id)).first()
    return _member(r) if r else None


def id_numbers(conn: Connection) -> dict[str, int]:
    """Every non-empty ID number registered → registration id (bulk imports)."""
    return dict(conn.execute(select(RM.c.id_number, RM.c.id).where(RM.c.id_number != "")).all())


def roster_person(conn: Connection, member_id: int):
    """The roster row a registration links to (name, sex, id number, mobile, address)."""
    r = conn.execute(select(M.c.id, M.c.name, M.c.sex, M.c.id_number, M.c.mobile, M.c.phone,
                            M.c.address, M.c.status).where(M.c.id == member_id)).first()
    if r is None:
        raise NotFound(f"党员（编号{member_id}）不存在")
    return r


def roster_id_by_number(conn: Connection, id_number: str) -> int | None:
    return conn.execute(select(M.c.id).where(M.c.id_number == id_number)).scalar()


# --- resident units ----------------------------------------------------------------------

def _unit_values(u: ResidentUnit) -> dict:
    return {"community_id": u.community_id, "name": u.name, "party_org": u.party_org.strip(),
            "secretary": u.secretary.strip(), "liaison": u.liaison.strip(),
            "liaison_phone": u.liaison_phone.strip(), "members_count": u.members_count,
            "reported_on": u.reported_on, "agreement_parties": u.agreement_parties.strip(),
            "agreement_start": u.agreement_start, "agreement_end": u.agreement_end,
            "agreement_commitments": u.agreement_commitments.strip(),
            **_scan_values("scan", u.scan), "remarks": u.remarks}


def _unit(r) -> ResidentUnit:
    return ResidentUnit(
        r.community_id, r.name, r.party_org, r.secretary, r.liaison, r.liaison_phone,
        r.members_count, r.reported_on, r.agreement_parties, r.agreement_start, r.agreement_end,
        r.agreement_commitments, _scan(r, "scan"), r.remarks, id=r.id, uuid=r.uuid)


def insert_unit(conn: Connection, u: ResidentUnit) -> int:
    return conn.execute(RU.insert().values(_new(_unit_values(u), u.uuid))).inserted_primary_key[0]


def update_unit(conn: Connection, u: ResidentUnit) -> None:
    conn.execute(RU.update().where(RU.c.id == u.id).values(**_unit_values(u), modified_at=utcnow()))


def get_unit(conn: Connection, unit_id: int) -> ResidentUnit:
    r = conn.execute(select(RU).where(RU.c.id == unit_id)).first()
    if r is None:
        raise NotFound(f"驻区单位（编号{unit_id}）不存在")
    return _unit(r)


def units(conn: Connection, community_ids: list[int] | None = None) -> list[ResidentUnit]:
    q = select(RU).order_by(RU.c.reported_on, RU.c.id)
    if community_ids is not None:
        q = q.where(RU.c.community_id.in_(community_ids))
    return [_unit(r) for r in conn.execute(q)]


# --- either ----------------------------------------------------------------------------

def community_of(conn: Connection, ref: Ref) -> int:
    t = RM if ref.kind is RegistrantKind.MEMBER else RU
    cid = conn.execute(select(t.c.community_id).where(t.c.id == ref.id)).scalar()
    if cid is None:
        what = "报到党员" if ref.kind is RegistrantKind.MEMBER else "驻区单位"
        raise NotFound(f"{what}（编号{ref.id}）不存在")
    return cid


def names(conn: Connection) -> dict[Ref, str]:
    out = {Ref(RegistrantKind.MEMBER, i): n for i, n in conn.execute(select(RM.c.id, RM.c.name))}
    out.update({Ref(RegistrantKind.UNIT, i): n for i, n in conn.execute(select(RU.c.id, RU.c.name))})
    return out


def remove(conn: Connection, ref: Ref) -> None:
    """The registration and everything that hangs on it."""
    for t in (CL, CM, PT, AP):
        conn.execute(t.delete().where(_where_ref(t, ref)))
    t = RM if ref.kind is RegistrantKind.MEMBER else RU
    conn.execute(t.delete().where(t.c.id == ref.id))


# --- lists and claims ------------------------------------------------------------------

def _item_values(item: ListItem) -> dict:
    return {"community_id": item.community_id, "kind": item.kind.value, "title": item.title,
            "detail": item.detail.strip(), "owner": item.owner.strip(),
            "status": item.status.value, "created_on": item.created_on}


def insert_item(conn: Connection, item: ListItem) -> int:
    return conn.execute(IT.insert().values(_new(_item_values(item), item.uuid))).inserted_primary_key[0]


def update_item(conn: Connection, item: ListItem) -> None:
    conn.execute(IT.update().where(IT.c.id == item.id).values(**_item_values(item),
                                                             modified_at=utcnow()))


def items(conn: Connection, community_ids: list[int] | None = None,
          kind: ListKind | None = None, item_id: int | None = None) -> list[ListItem]:
    q = select(IT).order_by(IT.c.kind, IT.c.id)
    if community_ids is not None:
        q = q.where(IT.c.community_id.in_(community_ids))
    if kind is not None:
        q = q.where(IT.c.kind == kind.value)
    if item_id is not None:
        q = q.where(IT.c.id == item_id)
    out = {r.id: ListItem(r.community_id, ListKind(r.kind), r.title, r.detail, r.owner,
                          ItemStatus(r.status), r.created_on, [], id=r.id, uuid=r.uuid)
           for r in conn.execute(q)}
    if out:
        who = names(conn)
        for r in conn.execute(select(CL).where(CL.c.item_id.in_(list(out))).order_by(CL.c.id)):
            ref = _ref(r)
            out[r.item_id].claims.append(Claim(ref, who.get(ref, ""), r.claimed_on))
    return list(out.values())


def get_item(conn: Connection, item_id: int) -> ListItem:
    found = items(conn, item_id=item_id)
    if not found:
        raise NotFound(f"清单事项（编号{item_id}）不存在")
    return found[0]


def add_claim(conn: Connection, item: ListItem, ref: Ref, day: date | None) -> None:
    conn.execute(CL.insert().values(_new({"item_id": item.id, "community_id": item.community_id,
                                          **_who(ref), "claimed_on": day}, None)))


def remove_item(conn: Connection, item_id: int) -> None:
    conn.execute(CL.delete().where(CL.c.item_id == item_id))
    conn.execute(IT.delete().where(IT.c.id == item_id))


# --- commitments ------------------------------------------------------------------------

def _commitment_values(c: Commitment, community_id: int) -> dict:
    return {"community_id": community_id, **_who(c.ref), "year": c.year, "content": c.content,
            "kept_on": c.kept_on, "evidence": c.evidence.strip()}


def insert_commitment(conn: Connection, c: Commitment) -> int:
    values = _commitment_values(c, community_of(conn, c.ref))
    return conn.execute(CM.insert().values(_new(values, c.uuid))).inserted_primary_key[0]


def update_commitment(conn: Connection, c: Commitment) -> None:
    values = _commitment_values(c, community_of(conn, c.ref))
    conn.execute(CM.update().where(CM.c.id == c.id).values(**values, modified_at=utcnow()))


def commitments(conn: Connection, year: int | None = None, ref: Ref | None = None,
                commitment_id: int | None = None) -> list[Commitment]:
    q = select(CM).order_by(CM.c.year, CM.c.id)
    if year is not None:
        q = q.where(CM.c.year == year)
    if ref is not None:
        q = q.where(_where_ref(CM, ref))
    if commitment_id is not None:
        q = q.where(CM.c.id == commitment_id)
    who = names(conn)
    out = []
    for r in conn.execute(q):
        ref_ = _ref(r)
        out.append(Commitment(ref_, r.year, r.content, r.kept_on, r.evidence, who.get(ref_, ""),
                              id=r.id, uuid=r.uuid))
    return out


def get_commitment(conn: Connection, commitment_id: int) -> Commitment:
    found = commitments(conn, commitment_id=commitment_id)
    if not found:
        raise NotFound(f"承诺（编号{commitment_id}）不存在")
    return found[0]


def remove_commitment(conn: Connection, commitment_id: int) -> None:
    conn.execute(CM.delete().where(CM.c.id == commitment_id))


# --- service records --------------------------------------------------------------------

def _service_values(s: ServiceRecord) -> dict:
    return {"community_id": s.community_id, "day": s.day, "activity": s.activity,
            "minutes": _minutes(s.hours), "place": s.place.strip(), "post": s.post.value,
            "confirmed_by": s.confirmed_by.strip(), **_scan_values("photo", s.photo)}


def insert_service(conn: Connection, s: ServiceRecord) -> int:
    sid = conn.execute(SV.insert().values(_new(_service_values(s), s.uuid))).inserted_primary_key[0]
    _set_participants(conn, sid, s)
    return sid


def update_service(conn: Connection, s: ServiceRecord, participants: bool = True) -> None:
    """The activity's row; and its participants replaced, unless `participants` is False."""
    conn.execute(SV.update().where(SV.c.id == s.id).values(**_service_values(s),
                                                           modified_at=utcnow()))
    if participants:
        conn.execute(PT.delete().where(PT.c.service_id == s.id))
        _set_participants(conn, s.id, s)


def _set_participants(conn: Connection, service_id: int, s: ServiceRecord) -> None:
    rows = [_new({"service_id": service_id, "community_id": s.community_id, **_who(p.ref),
                  "name": p.name[:100], "minutes": _minutes(p.hours)}, None)
            for p in s.participants]
    if rows:
        conn.execute(PT.insert(), rows)


def services(conn: Connection, start: date | None = None, end: date | None = None,
             community_ids: list[int] | None = None, service_id: int | None = None
             ) -> list[ServiceRecord]:
    q = select(SV).order_by(SV.c.day.desc(), SV.c.id.desc())
    if start is not None:
        q = q.where(SV.c.day >= start)
    if end is not None:
        q = q.where(SV.c.day <= end)
    if community_ids is not None:
        q = q.where(SV.c.community_id.in_(community_ids))
    if service_id is not None:
        q = q.where(SV.c.id == service_id)
    out = {r.id: ServiceRecord(r.community_id, r.day, r.activity, _hours(r.minutes), r.place,
                               ServicePost(r.post) if r.post in ServicePost._value2member_map_
                               else ServicePost.OTHER, r.confirmed_by, _scan(r, "photo"), [],
                               id=r.id, uuid=r.uuid)
           for r in conn.execute(q)}
    ids = list(out)
    for i in range(0, len(ids), 500):
        q = select(PT).where(PT.c.service_id.in_(ids[i:i + 500])).order_by(PT.c.id)
        for r in conn.execute(q):
            out[r.service_id].participants.append(Participant(_ref(r), r.name, _hours(r.minutes)))
    return list(out.values())


def get_service(conn: Connection, service_id: int) -> ServiceRecord:
    found = services(conn, service_id=service_id)
    if not found:
        raise NotFound(f"服务记录（编号{service_id}）不存在")
    return found[0]


def remove_service(conn: Connection, service_id: int) -> None:
    conn.execute(PT.delete().where(PT.c.service_id == service_id))
    conn.execute(SV.delete().where(SV.c.id == service_id))


def activities(conn: Connection, start: date, end: date) -> list[Activity]:
    """Every participation between start and end (what quotas count), in one query."""
    q = (select(PT.c.reg_member_id, PT.c.reg_unit_id, PT.c.minutes, SV.c.day,
                SV.c.minutes.label("service_minutes"))
         .join(SV, SV.c.id == PT.c.service_id)
         .where(and_(SV.c.day >= start, SV.c.day <= end)))
    return [Activity(_ref(r), r.day, _hours(r.service_minutes if r.minutes is None else r.minutes))
            for r in conn.execute(q)]


def insert_services(conn: Connection, records: list[ServiceRecord]) -> int:
    """Bulk insert (demo data): one insert per activity, participants batched."""
    for s in records:
        s.id = conn.execute(SV.insert().values(_new(_service_values(s), s.uuid))).inserted_primary_key[0]
    rows = [_new({"service_id": s.id, "community_id": s.community_id, **_who(p.ref),
                  "name": p.name[:100], "minutes": _minutes(p.hours)}, None)
            for s in records for p in s.participants]
    if rows:
        conn.execute(PT.insert(), rows)
    return len(records)


# --- appraisals ---------------------------------------------------------------------------

def put_appraisal(conn: Connection, a: AppraisalRecord) -> None:
    where = and_(_where_ref(AP, a.ref), AP.c.year == a.year, AP.c.quarter == a.quarter)
    values = {"grade": a.grade.value, "comment": a.comment.strip()}
    done = conn.execute(AP.update().where(where).values(**values, modified_at=utcnow()))
    if done.rowcount == 0:
        conn.execute(AP.insert().values(_new({"community_id": community_of(conn, a.ref),
                                              **_who(a.ref), "year": a.year,
                                              "quarter": a.quarter, **values}, None)))


def appraisals(conn: Connection, year: int, quarter: int) -> dict[Ref, AppraisalRecord]:
    q = select(AP).where(and_(AP.c.year == year, AP.c.quarter == quarter))
    out = {}
    for r in conn.execute(q):
        try:
            grade = Appraisal(r.grade)
        except ValueError:
            continue
        out[_ref(r)] = AppraisalRecord(_ref(r), r.year, r.quarter, grade, r.comment)
    return out


def counts(conn: Connection) -> dict[str, int]:
    return {name: conn.execute(select(func.count()).select_from(t)).scalar()
            for name, t in (("members", RM), ("units", RU), ("items", IT), ("services", SV),
                            ("commitments", CM))}

