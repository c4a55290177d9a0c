"""Reading and writing 述职评议 rounds, their reporters, tallies and 整改 items."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from ..domain.duty_report import (AudienceTally, DutyRound, FixItem, Reporter, RoundStatus,
                                  RoundSummary, template_from_dict, template_to_dict)
from ..domain.errors import NotFound
from .duty_tables import DutyFixRow, DutyReporterRow, DutyRoundRow, DutyTallyRow
from .tables import new_uuid, utcnow

R = DutyRoundRow.__table__
P = DutyReporterRow.__table__
T = DutyTallyRow.__table__
F = DutyFixRow.__table__


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str | None, default: Any) -> Any:
    try:
        value = json.loads(text or "")
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def _new() -> dict:
    now = utcnow()
    return {"uuid": new_uuid(), "created_at": now, "modified_at": now}


# --- rounds ------------------------------------------------------------------------------

def _round_values(r: DutyRound) -> dict:
    return {"year": r.year, "title": r.title.strip(), "scope": _dumps(list(r.scope)),
            "template": _dumps(template_to_dict(r.template)), "up_date": r.up_date,
            "up_place": r.up_place.strip(), "down_date": r.down_date,
            "down_place": r.down_place.strip(), "status": r.status.value, "remarks": r.remarks}


def _round_from_row(row) -> DutyRound:
    try:
        status = RoundStatus(row.status)
    except ValueError:
        status = RoundStatus.OPEN
    return DutyRound(row.year, row.title, template_from_dict(_loads(row.template, {})),
                     [int(i) for i in _loads(row.scope, [])], row.up_date, row.up_place,
                     row.down_date, row.down_place, status, row.remarks, id=row.id, uuid=row.uuid)


def insert_round(conn: Connection, r: DutyRound) -> int:
    vals = _new() | ({"uuid": r.uuid} if r.uuid else {})
    rid = conn.execute(R.insert().values(**_round_values(r), **vals)).inserted_primary_key[0]
    set_reporters(conn, rid, r.reporters)
    return rid


def update_round(conn: Connection, r: DutyRound) -> None:
    conn.execute(R.update().where(R.c.id == r.id).values(**_round_values(r), modified_at=utcnow()))
    set_reporters(conn, r.id, r.reporters)


def set_status(conn: Connection, round_id: int, status: RoundStatus) -> None:
    conn.execute(R.update().where(R.c.id == round_id).values(status=status.value, modified_at=utcnow()))


def get_round(conn: Connection, round_id: int) -> DutyRound:
    row = conn.execute(select(R).where(R.c.id == round_id)).first()
    if row is None:
        raise NotFound(f"述职评议（编号{round_id}）不存在")
    r = _round_from_row(row)
    r.reporters = reporters(conn, round_id)
    return r


def summaries(conn: Connection) -> list[RoundSummary]:
    """Every round, newest year first."""
    counts: dict[int, int] = {}
    for rid in conn.execute(select(P.c.round_id)).scalars():
        counts[rid] = counts.get(rid, 0) + 1
    out = []
    for row in conn.execute(select(R.c.id, R.c.year, R.c.title, R.c.status)
                            .order_by(R.c.year.desc(), R.c.id.desc())):
        try:
            status = RoundStatus(row.status)
        except ValueError:
            status = RoundStatus.OPEN
        out.append(RoundSummary(row.id, row.year, row.title, status, counts.get(row.id, 0)))
    return out


def latest_template_source(conn: Connection, before_year: int | None = None) -> DutyRound | None:
    """The most recent round (of an earlier year if given), whose template a new round copies."""
    q = select(R)
    if before_year is not None:
        q = q.where(R.c.year <= before_year)
    row = conn.execute(q.order_by(R.c.year.desc(), R.c.id.desc()).limit(1)).first()
    return _round_from_row(row) if row is not None else None


def remove_round(conn: Connection, round_id: int) -> None:
    ids = list(conn.execute(select(P.c.id).where(P.c.round_id == round_id)).scalars())
    if ids:
        conn.execute(T.delete().where(T.c.reporter_id.in_(ids)))
        # carried 整改 items of later rounds keep their text; only the link goes
        conn.execute(F.update().where(F.c.reporter_id.in_(ids), F.c.round_id != round_id)
                     .values(reporter_id=None, modified_at=utcnow()))
    conn.execute(F.delete().where(F.c.round_id == round_id))
    conn.execute(P.delete().where(P.c.round_id == round_id))
    conn.execute(R.delete().where(R.c.id == round_id))


# --- reporters ---------------------------------------------------------------------------

def _reporter_from_row(row) -> Reporter:
    return Reporter(row.name, row.org_id, row.org_name, row.member_id, row.post, row.report_text,
                    row.report_file, row.report_file_name, id=row.id, uuid=row.uuid)


def reporters(conn: Connection, round_id: int) -> list[Reporter]:
    q = select(P).where(P.c.round_id == round_id).order_by(P.c.sort_order, P.c.id)
    return [_reporter_from_row(row) for row in conn.execute(q)]


def set_reporters(conn: Connection, round_id: int, people: list[Reporter]) -> None:
    """Keep the rows of reporters still listed (their tallies with them), insert new ones,
    and remove the others with their tallies; ids are written back into `people`."""
    existing = set(conn.execute(select(P.c.id).where(P.c.round_id == round_id)).scalars())
    kept = set()
    for order, p in enumerate(people):
        vals = {"round_id": round_id, "org_id": p.org_id, "member_id": p.member_id,
                "name": p.name.strip(), "org_name": p.org_name.strip(), "post": p.post.strip(),
                "report_text": p.report_text or "", "report_file": p.report_file or "",
                "report_file_name": p.report_file_name or "", "sort_order": order}
        if p.id in existing:
            conn.execute(P.update().where(P.c.id == p.id).values(**vals, modified_at=utcnow()))
            kept.add(p.id)
        else:
            new = _new() | ({"uuid": p.uuid} if p.uuid else {})
            p.id = conn.execute(P.insert().values(**vals, **new)).inserted_primary_key[0]
    gone = list(existing - kept)
    if gone:
        conn.execute(T.delete().where(T.c.reporter_id.in_(gone)))
        conn.execute(F.update().where(F.c.reporter_id.in_(gone)).values(reporter_id=None,
                                                                         modified_at=utcnow()))
        conn.execute(P.delete().where(P.c.id.in_(gone)))


def reporter(conn: Connection, reporter_id: int) -> tuple[int, Reporter]:
    row = conn.execute(select(P).where(P.c.id == reporter_id)).first()
    if row is None:
        raise NotFound(f"述职人（编号{reporter_id}）不存在")
    return row.round_id, _reporter_from_row(row)


# --- tallies -----------------------------------------------------------------------------

def _tally_from_row(row) -> AudienceTally:
    raw = _loads(row.counts, {})
    counts = {str(item): {str(k): int(v) for k, v in by.items()}
              for item, by in raw.items() if isinstance(by, dict)}
    return AudienceTally(row.reporter_id, row.audience, row.entitled, row.returned, counts,
                         id=row.id, uuid=row.uuid)


def tallies(conn: Connection, round_id: int) -> list[AudienceTally]:
    q = (select(T).join(P, P.c.id == T.c.reporter_id).where(P.c.round_id == round_id)
         .order_by(P.c.sort_order, T.c.id))
    return [_tally_from_row(row) for row in conn.execute(q)]


def put_tally(conn: Connection, t: AudienceTally) -> None:
    """Insert or replace the tally of (reporter, audience); zero counts are not kept."""
    counts = {item: {r: n for r, n in by.items() if n} for item, by in t.counts.items()}
    vals = {"entitled": t.entitled, "returned": t.returned,
            "counts": _dumps({k: v for k, v in counts.items() if v})}
    row = conn.execute(select(T.c.id).where(T.c.reporter_id == t.reporter_id,
                                            T.c.audience == t.audience)).first()
    if row is None:
        conn.execute(T.insert().values(reporter_id=t.reporter_id, audience=t.audience, **vals, **_new()))
    else:
        conn.execute(T.update().where(T.c.id == row.id).values(**vals, modified_at=utcnow()))


# --- 整改清单 ----------------------------------------------------------------------------

def _fix_from_row(row, year: int | None = None) -> FixItem:
    return FixItem(row.round_id, row.problem, row.measure, row.due, row.done_on, row.reporter_id,
                   row.org_id, row.name, round_year=year, id=row.id, uuid=row.uuid)


def fixes_for(conn: Connection, round_id: int, year: int) -> list[FixItem]:
    """Items raised in this round, and open items of earlier rounds (carried forward)."""
    q = (select(F, R.c.year.label("round_year")).join(R, R.c.id == F.c.round_id)
         .where((F.c.round_id == round_id) | ((R.c.year < year) & F.c.done_on.is_(None)))
         .order_by(R.c.year, F.c.sort_order, F.c.id))
    return [_fix_from_row(row, row.round_year) for row in conn.execute(q)]


def get_fix(conn: Connection, fix_id: int) -> FixItem:
    row = conn.execute(select(F).where(F.c.id == fix_id)).first()
    if row is None:
        raise NotFound(f"整改事项（编号{fix_id}）不存在")
    return _fix_from_row(row)


def save_fix(conn: Connection, f: FixItem) -> int:
    vals = {"round_id": f.round_id, "reporter_id": f.reporter_id, "org_id": f.org_id,
            "name": f.name.strip(), "problem": f.problem.strip(), "measure": f.measure.strip(),
            "due": f.due, "done_on": f.done_on}
    if f.id is None:
        n = len(list(conn.execute(select(F.c.id).where(F.c.round_id == f.round_id)).scalars()))
        return conn.execute(F.insert().values(**vals, sort_order=n, **_new())).inserted_primary_key[0]
    conn.execute(F.update().where(F.c.id == f.id).values(**vals, modified_at=utcnow()))
    return f.id


def remove_fix(conn: Connection, fix_id: int) -> None:
    conn.execute(F.delete().where(F.c.id == fix_id))
