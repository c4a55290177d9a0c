"""The audit log (操作日志): every insert, update and delete of a record, written by the
same connection, in the same transaction, as the change itself.

One mechanism covers every write path. The storage modules write through SQLAlchemy
Core (`conn.execute(table.insert() / .update() / .delete(), params)`, single or
executemany); Core's `before_execute` / `after_execute` engine events see each such
statement. Rows an UPDATE or DELETE will touch are read just before it runs, the same
rows just after, and one audit row per changed record (old and new values of the
changed columns, as JSON) is inserted right behind it. A bulk INSERT of many rows in
one statement (an import, a merge) gets one row listing every record with its uuid and
values, so that logging costs a 10,000-row import well under a second. A change
that rolls back takes its audit rows with it; a committed change always has them.
Migrations run before the hook is installed (they change the schema, not records) and
the audit table itself is never logged. Nothing in the program updates or deletes audit rows.
"""
from __future__ import annotations

import getpass
import json
import os
import weakref
from datetime import date, datetime
from typing import Any, Optional

from pydantic import NaiveDatetime

from sqlalchemy import Connection, Index, Table, Text, bindparam, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import BinaryExpression, BindParameter
from sqlalchemy.sql.schema import Column
from sqlmodel import Field

from .tables import Tracked, new_uuid, utcnow

INSERT, UPDATE, DELETE, RESTORE = "insert", "update", "delete", "restore"
DATABASE = "database"
"""table_name of entries about the whole file (a restore from a backup)."""
SKIPPED_TABLES = frozenset({"audit_log", "app_meta"})
NOISE_COLUMNS = frozenset({"created_at", "modified_at", "name_pinyin", "name_initials"})
"""Bookkeeping and derived columns: never worth a line in the log."""
SECRET_SETTINGS = ("security.",)
"""Setting keys whose values (password hashes) never enter the log."""
REDACTED = "（已隐去）"
BOOKKEEPING_SETTINGS = ("exchange.",)
"""Setting keys holding the program's own sync ledger (large): logged without their values."""
OMITTED = "（同步记录，内容略）"
CLERK_SETTING = "audit.clerk_name"
PASSWORD_SETTING = "security.password"
IDLE_SETTING = "security.idle_minutes"
NOTE_OPTION = "audit_note"
"""Execution option: `conn.execution_options(audit_note="合并上报包")` stores that short note
with every audit row written through that Connection object."""
_CHUNK = 500


class AuditLogRow(Tracked, table=True):
    __tablename__ = "audit_log"
    # Few indexes: every logged change pays for each one. Rows are never modified, so
    # modified_at (kept for the shape every table shares) needs none.
    __table_args__ = (Index("ix_audit_log_created_at", "created_at"),)
    modified_at: NaiveDatetime = Field(default_factory=utcnow, nullable=False)
    id: Optional[int] = Field(default=None, primary_key=True)
    actor: str = Field(max_length=100)
    table_name: str = Field(max_length=40)
    record_id: str = Field(default="", max_length=80)
    record_uuid: str = Field(default="", max_length=36)
    action: str = Field(max_length=10)
    old_values: str = Field(default="{}", sa_type=Text)
    new_values: str = Field(default="{}", sa_type=Text)
    note: str = Field(default="", max_length=200)


AUDIT: Table = AuditLogRow.__table__  # type: ignore[assignment]


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account, a container)
        return os.environ.get("USERNAME") or os.environ.get("USER") or "未知用户"


class Auditor:
    """The hook of one engine; knows who is working (clerk name setting, else the OS user)."""

    def __init__(self) -> None:
        self._clerk: str | None = None
        self._clerk_known = False

    # --- who -----------------------------------------------------------------
    def actor(self, conn: Connection) -> str:
        if not self._clerk_known:
            from .tables import SettingRow

            s = SettingRow.__table__
            self._clerk = (conn.execute(select(s.c.value).where(s.c.key == CLERK_SETTING))
                           .scalar() or "").strip() or None
            self._clerk_known = True
        user = os_user()
        return f"{self._clerk}（{user}）" if self._clerk else user

    # --- the events ------------------------------------------------------------
    def before(self, conn, stmt, multiparams, params, execution_options) -> None:
        if not isinstance(stmt, (Insert, Update, Delete)):
            return
        table = stmt.table
        if not isinstance(table, Table) or table.name in SKIPPED_TABLES:
            return
        sets = _param_sets(multiparams, params)
        old = None if isinstance(stmt, Insert) else _rows_touched(conn, table, stmt, sets)
        conn.info["audit_pending"] = (stmt, old)

    def after(self, conn, stmt, multiparams, params, execution_options, result) -> None:
        pending = conn.info.get("audit_pending")
        if pending is None or pending[0] is not stmt:
            return
        del conn.info["audit_pending"]
        table: Table = stmt.table
        old = pending[1]
        if isinstance(stmt, Insert):
            entries = _inserted(conn, table, stmt, _param_sets(multiparams, params), result)
        elif isinstance(stmt, Delete):
            entries = [(DELETE, r, None) for r in old]
        else:
            entries = _updated(conn, table, old)
        if entries:
            self._write(conn, table, entries)

    def _write(self, conn: Connection, table: Table, entries: list) -> None:
        pk = _pk(table)
        pk_name = pk.name if pk is not None else ""
        now = _db_time(conn)
        actor = self.actor(conn)
        note = str(conn.get_execution_options().get(NOTE_OPTION, ""))[:200]
        # Identity columns name the record in their own columns; an inserted or deleted
        # record lists only the fields that hold something, an update only what changed.
        hidden = NOISE_COLUMNS | {pk_name, "uuid"}
        rows = []
        for action, old, new in entries:
            if isinstance(new, list):  # one bulk INSERT (import, merge): one entry for all
                listed = [{k: v for k, v in r.items() if v is not None and v != ""
                           and k not in NOISE_COLUMNS} for r in new]
                bulk = f"批量新增{len(listed)}条" + (f"；{note}" if note else "")
                rows.append((new_uuid(), now, now, actor, table.name, "", "", INSERT, "{}",
                             _dumps(listed), bulk[:200]))
                continue
            either = new if new is not None else old
            if table.name == "setting":
                old, new = self._setting(either, old, new)
                either = new if new is not None else old
            rid = either.get(pk_name)
            if action == UPDATE:
                old_text = _dumps({k: v for k, v in old.items() if k not in hidden and k != "key"})
                new_text = _dumps({k: v for k, v in new.items() if k not in hidden and k != "key"})
            else:
                shown = {k: v for k, v in either.items()
                         if v is not None and v != "" and k not in hidden}
                old_text, new_text = ("{}", _dumps(shown)) if action == INSERT else (_dumps(shown), "{}")
            rows.append((new_uuid(), now, now, actor, table.name, "" if rid is None else str(rid),
                         str(either.get("uuid") or ""), action, old_text, new_text, note))
        _insert_rows(conn, rows)

    def _setting(self, either: dict, old: dict | None, new: dict | None):
        key = str(either.get("key", ""))
        if key == CLERK_SETTING:
            self._clerk_known = False  # the next change is signed with the new name
        mark = (REDACTED if key.startswith(SECRET_SETTINGS)
                else OMITTED if key.startswith(BOOKKEEPING_SETTINGS) else None)
        if mark is not None:
            old = old and {k: (mark if k == "value" else v) for k, v in old.items()}
            new = new and {k: (mark if k == "value" else v) for k, v in new.items()}
        return old, new


_COLUMNS = ("uuid", "created_at", "modified_at", "actor", "table_name", "record_id",
            "record_uuid", "action", "old_values", "new_values", "note")
_compiled: dict[tuple, tuple[str, list[int] | None, list]] = {}


def _driver_insert(conn: Connection, table: Table, keys: tuple[str, ...], rows: list[tuple],
                   convert: bool) -> None:
    """Rows (values in `keys` order) straight to the driver: one INSERT compiled once per
    table, columns and dialect (its own paramstyle, so nothing SQLite-specific), without
    Core's per-row parameter processing. With `convert`, each value goes through its
    column type's own bind processor, so dates and times are stored exactly as Core
    stores them."""
    cache_key = (conn.dialect.name, table.name, keys)
    if cache_key not in _compiled:
        c = table.insert().values({k: bindparam(k) for k in keys}).compile(dialect=conn.dialect)
        order = [keys.index(k) for k in c.positiontup] if c.positional else None
        procs = [_bind_processor(table.c[k], conn.dialect) for k in keys]
        _compiled[cache_key] = (str(c), order, procs)
    sql, order, procs = _compiled[cache_key]
    if convert and any(procs):
        pairs = [(i, p) for i, p in enumerate(procs) if p is not None]
        converted = []
        for r in rows:
            r = list(r)
            for i, p in pairs:
                if r[i] is not None:
                    r[i] = p(r[i])
            converted.append(tuple(r))
        rows = converted
    if order is None:
        params: list = [dict(zip(keys, r)) for r in rows]
    elif order == list(range(len(keys))):
        params = rows
    else:
        params = [tuple(r[i] for i in order) for r in rows]
    conn.exec_driver_sql(sql, params)


def _bind_processor(column: Column, dialect):
    """How Core turns a Python value into this column's stored form on `dialect` (the
    dialect's own implementation of the type: SQLite's DATETIME keeps microseconds)."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _insert_rows(conn: Connection, rows: list[tuple]) -> None:
    """Audit rows (already in their stored form) straight to the driver."""
    _driver_insert(conn, AUDIT, _COLUMNS, rows, convert=False)


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Many new records (same keys in each) at driver speed, logged as one entry listing
    every record, as a Core bulk INSERT is. For 10,000 members 0.35 s against Core's
    0.40-0.60 s; for tables of few dates and flags Core's compiled processors are as
    fast (the 上报包 merge keeps Core). Nothing bypasses the log this way."""
    if len(rows) < 2:  # one record: Core's own path logs it with its new id
        if rows:
            conn.execute(table.insert(), rows[0])
        return
    keys = tuple(rows[0])
    # Columns left out get their Core defaults, as Core's own INSERT would give them.
    fill = [(c.key, c.default) for c in table.c if c.key not in keys and c.default is not None]
    values = [tuple(r[k] for k in keys)
              + tuple(d.arg if d.is_scalar else d.arg(None) for _k, d in fill) for r in rows]
    _driver_insert(conn, table, keys + tuple(k for k, _d in fill), values, convert=True)
    auditor = _AUDITORS.get(conn.engine)
    if auditor is not None and table.name not in SKIPPED_TABLES:
        auditor._write(conn, table, [(INSERT, None, rows)])


def _db_time(conn: Connection):
    """Now (UTC), as the DateTime column stores it for this dialect."""
    process = _bind_processor(AUDIT.c.created_at, conn.dialect)
    now = utcnow()
    return process(now) if process else now


_AUDITORS: "weakref.WeakKeyDictionary[Engine, Auditor]" = weakref.WeakKeyDictionary()
"""The hook of each engine, for writes that go past Core's events (bulk_insert)."""


def install(engine: Engine) -> Auditor | None:
    """Log every later change made through `engine`; None when the schema has no audit table."""
    if not inspect(engine).has_table(AUDIT.name):
        return None
    auditor = Auditor()
    _AUDITORS[engine] = auditor
    event.listen(engine, "before_execute", auditor.before)
    event.listen(engine, "after_execute", auditor.after)
    return auditor


# --------------------------------------------------------------------------- reading rows


def restore_entry(actor: str, backup_name: str) -> dict:
    """The entry a restored file gets: which backup it came from, who, when (UTC)."""
    now = utcnow()
    return {"uuid": new_uuid(), "created_at": now, "modified_at": now, "actor": actor,
            "table_name": DATABASE, "record_id": "", "record_uuid": "", "action": RESTORE,
            "old_values": "{}", "new_values": _dumps({"backup": backup_name}),
            "note": f"从备份“{backup_name}”恢复"[:200]}


def _param_sets(multiparams, params) -> list[dict]:
    """Core passes one parameter set as `params`, several (executemany) as `multiparams`."""
    return list(multiparams) if multiparams else ([params] if params else [])


def _pk(table: Table) -> Column | None:
    cols = list(table.primary_key.columns)
    return cols[0] if len(cols) == 1 else None


def _plain(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_plain).encode


def _dumps(values: dict | None) -> str:
    return _encode(values) if values else "{}"


def _keyed(where) -> tuple[Column, str] | None:
    """`column == bindparam("key")` (an executemany by key): (column, "key")."""
    if (isinstance(where, BinaryExpression) and isinstance(where.left, Column)
            and isinstance(where.right, BindParameter) and where.operator.__name__ == "eq"
            and where.right.required):
        return where.left, where.right.key
    return None


def _needs_params(where) -> bool:
    return any(isinstance(e, BindParameter) and e.required for e in visitors.iterate(where))


def _fetch(conn: Connection, q, params=None) -> list[dict]:
    result = conn.execute(q, params) if params else conn.execute(q)
    return [dict(r) for r in result.mappings()]


def _rows_touched(conn: Connection, table: Table, stmt, multiparams) -> list[dict]:
    """The rows an UPDATE or DELETE is about to change, read before it runs."""
    q = select(table)
    where = stmt.whereclause
    if where is None:
        return _fetch(conn, q)
    keyed = _keyed(where)
    if keyed and multiparams and all(keyed[1] in p for p in multiparams):
        col, key = keyed
        keys = list(dict.fromkeys(p[key] for p in multiparams))
        rows: list[dict] = []
        for i in range(0, len(keys), _CHUNK):
            rows += _fetch(conn, q.where(col.in_(keys[i:i + _CHUNK])))
        return rows
    if not _needs_params(where):
        return _fetch(conn, q.where(where))
    seen: dict[Any, dict] = {}
    pk = _pk(table)
    for p in multiparams or [{}]:
        for r in _fetch(conn, q.where(where), p):
            seen[r[pk.name] if pk is not None else id(r)] = r
    return list(seen.values())


def _inserted(conn: Connection, table: Table, stmt, multiparams, result) -> list:
    pk = _pk(table)
    if len(multiparams) <= 1 and pk is not None:
        try:
            key = result.inserted_primary_key
        except Exception:  # noqa: BLE001 - no key reported: fall back to the parameters
            key = None
        if key and key[0] is not None:
            return [(INSERT, None, r) for r in _fetch(conn, select(table).where(pk == key[0]))]
    static = {c.key if isinstance(c, Column) else str(c): v.value
              for c, v in (stmt._values or {}).items() if isinstance(v, BindParameter)}
    rows = [static | dict(p) for p in (multiparams or [{}])]
    if len(rows) > 1:
        # Many rows in one statement: a single entry listing every record (with its uuid)
        # keeps a 10,000-row import about as fast as without the log.
        return [(INSERT, None, rows)]
    return [(INSERT, None, r) for r in rows]


def _updated(conn: Connection, table: Table, old: list[dict]) -> list:
    pk = _pk(table)
    if not old or pk is None:
        return []
    ids = [r[pk.name] for r in old]
    now: dict[Any, dict] = {}
    for i in range(0, len(ids), _CHUNK):
        for r in _fetch(conn, select(table).where(pk.in_(ids[i:i + _CHUNK]))):
            now[r[pk.name]] = r
    entries = []
    for before in old:
        after = now.get(before[pk.name])
        if after is None:
            continue
        changed = [k for k, v in after.items() if before.get(k) != v and k not in NOISE_COLUMNS]
        if not changed:
            continue
        keep = [pk.name, "uuid", "key"]
        entries.append((UPDATE,
                        {k: before[k] for k in keep + changed if k in before},
                        {k: after[k] for k in keep + changed if k in after}))
    return entries
