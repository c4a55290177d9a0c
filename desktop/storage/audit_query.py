"""Reading the audit log (操作日志) for the clerk: filtered, newest first. Never written here."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import Connection, func, or_, select
from sqlmodel import SQLModel

from ..domain.audit import ACTION_LABELS, AuditEntry, AuditFilter
from .audit import AUDIT, CLERK_SETTING, DATABASE, IDLE_SETTING, PASSWORD_SETTING
from .exchange_tables import registry

OTHER_LABELS = {"setting": ("设置", {"key": "项目", "value": "内容"}),
                DATABASE: ("数据库", {"backup": "备份文件"})}
SETTING_TITLES = {CLERK_SETTING: "操作人姓名", PASSWORD_SETTING: "启动密码",
                  IDLE_SETTING: "自动锁定时间（分钟）"}


def table_labels() -> dict[str, tuple[str, dict[str, str]]]:
    """table → (Chinese record name, column → Chinese field name)."""
    out = {et.name: (et.label, dict(et.labels)) for et in registry()}
    return out | OTHER_LABELS


def _utc(local: datetime) -> datetime:
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _local(utc: datetime) -> datetime:
    return utc.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)


def tables_logged(conn: Connection) -> list[str]:
    return list(conn.execute(select(AUDIT.c.table_name).distinct().order_by(AUDIT.c.table_name))
                .scalars())


def count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(AUDIT)).scalar() or 0


def entries(conn: Connection, f: AuditFilter) -> list[AuditEntry]:
    q = select(AUDIT).order_by(AUDIT.c.created_at.desc(), AUDIT.c.id.desc()).limit(f.limit)
    if f.since is not None:
        q = q.where(AUDIT.c.created_at >= _utc(datetime.combine(f.since, time.min)))
    if f.until is not None:
        q = q.where(AUDIT.c.created_at < _utc(datetime.combine(f.until + timedelta(days=1), time.min)))
    if f.table:
        q = q.where(AUDIT.c.table_name == f.table)
    text = f.text.strip()
    if text:
        # JSON keeps Chinese as is (ensure_ascii=False), so a plain substring search works.
        cols = (AUDIT.c.actor, AUDIT.c.record_id, AUDIT.c.record_uuid, AUDIT.c.old_values,
                AUDIT.c.new_values, AUDIT.c.note)
        actions = [k for k, v in ACTION_LABELS.items() if text in v]
        q = q.where(or_(*(c.contains(text, autoescape=True) for c in cols),
                        AUDIT.c.action.in_(actions)))
    labels = table_labels()
    rows = list(conn.execute(q))
    titles = _titles(conn, rows)
    out = []
    for r in rows:
        label, fields = labels.get(r.table_name, (r.table_name, {}))
        out.append(AuditEntry(
            id=r.id, at=_local(r.created_at), actor=r.actor, table=r.table_name,
            table_label=label, record_id=r.record_id, record_uuid=r.record_uuid,
            action=r.action, old=_loads(r.old_values), new=_loads(r.new_values), note=r.note,
            labels=fields, title=titles.get((r.table_name, r.record_id), "")))
    return out


def _titles(conn: Connection, rows) -> dict[tuple[str, str], str]:
    """(table, record id) → current name, for entries whose values do not name the record."""
    wanted: dict[str, set[int]] = {}
    for r in rows:
        if r.action == "update" and r.record_id.isdigit():
            wanted.setdefault(r.table_name, set()).add(int(r.record_id))
    out = {("setting", r.record_id): SETTING_TITLES[r.record_id]
           for r in rows if r.table_name == "setting" and r.record_id in SETTING_TITLES}
    for name, ids in wanted.items():
        t = SQLModel.metadata.tables.get(name)
        if t is None or "name" not in t.c or "id" not in t.c:
            continue
        ids_list = sorted(ids)
        for i in range(0, len(ids_list), 500):
            for rid, title in conn.execute(select(t.c.id, t.c.name)
                                           .where(t.c.id.in_(ids_list[i:i + 500]))):
                out[(name, str(rid))] = title
    return out


def _loads(text: str) -> dict | list:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"?": text}
    if isinstance(value, list):  # a bulk insert
        return [v for v in value if isinstance(v, dict)]
    return value if isinstance(value, dict) else {"?": value}
