"""Which tables travel in an exchange package (上报包), and the generic queries over them.

A table is carried by registering it here, nothing else: its scope rule says which rows
belong to an organisation's subtree, its foreign keys travel as the referenced row's
uuid (found from the table's own ForeignKey declarations), and its column types decide
how values become JSON and back. A new table of colleagues (meetings, attendance,
attachments) is one more `ExchangeTable(...)` line; tests fail until every tracked
table is either registered or listed in NOT_EXCHANGED.
"""
from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Iterator

from sqlalchemy import (Boolean, Connection, Date, DateTime, Integer, String, Table, TypeDecorator,
                        exc, func, select, type_coerce)
from sqlmodel import SQLModel

from ..domain.errors import Conflict, DomainError
from ..domain.meeting import AttachmentKind, MeetingKind, MeetingStatus
from ..domain.member import Category, PartyStanding, Status
from ..domain.member_event import EventKind
from ..domain.organization import BranchKind, CommitteeRole, OrgKind
from ..domain.roster_fields import FIELD_BY_KEY
from . import all_tables  # noqa: F401  (registers every table in SQLModel.metadata)

_CHUNK = 500
MISSING = object()

ORG_LABELS = {"name": "组织名称", "kind": "组织类型", "branch_kind": "支部类型",
              "parent_id": "上级组织", "founded": "成立日期", "term_start": "任期开始",
              "term_end": "任期结束", "contact": "联系方式", "remarks": "备注",
              "dissolved": "撤销日期", "sort_order": "排序"}
MEMBER_LABELS = {k: f.label for k, f in FIELD_BY_KEY.items()} | {
    "org_id": "所在党支部", "group_id": "所在党小组", "name_pinyin": "姓名拼音",
    "name_initials": "姓名首字母", "status": "在册状态", "left_date": "离开日期",
    "probation_extension_months": "延长预备期（月）"}
EVENT_LABELS = {"member_id": "党员", "kind": "事由", "date": "日期", "detail": "说明",
                "org_id": "当时所在组织"}
SEAT_LABELS = {"org_id": "组织", "member_id": "党员", "role": "职务", "sort_order": "排序",
               "started_on": "任职日期", "ended_on": "离任日期"}
EXTRA_LABELS = {"member_id": "党员", "org_id": "参加组织生活的组织"}
GROUP_LABELS = {"member_id": "党员", "group_id": "党小组", "started_on": "调入日期",
                "ended_on": "调出日期"}
MEETING_LABELS = {"org_id": "组织", "kind": "会议类型", "other_name": "会议名称", "status": "状态",
                  "starts_at": "开始时间", "ends_at": "结束时间", "topics": "主题", "place": "地点",
                  "host_id": "主持人", "host_name": "主持人姓名", "recorder_id": "记录人",
                  "recorder_name": "记录人姓名", "lecturer": "授课人", "lecture_title": "课题",
                  "guests": "列席人员", "content": "主要内容", "resolutions": "决议",
                  "units": "参会单位", "remarks": "备注", "recorded_on": "记录日期", "late": "补记",
                  "expected_count": "应到人数", "present_count": "实到人数"}
ATTENDANCE_LABELS = {"meeting_id": "会议", "member_id": "党员", "name": "姓名", "category": "人员类别",
                     "role": "职务", "present": "出席", "reason": "缺席原因", "note": "说明",
                     "sort_order": "排序"}
ATTACHMENT_LABELS = {"meeting_id": "会议", "kind": "附件类型", "file_name": "文件名", "path": "文件",
                     "sha256": "校验值", "size": "大小", "caption": "说明", "sort_order": "排序"}


@dataclass(frozen=True)
class ExchangeTable:
    name: str
    """SQL table name."""
    label: str
    """Chinese name of a record of this table (组织, 党员 …)."""
    scope: tuple[str, str]
    """(column, table): a row is in an organisation's subtree when `column` points at an
    in-scope row of `table`. The root table names itself with ("id", itself)."""
    title: tuple[str, ...]
    """Columns naming a row for the clerk; a reference shows the referenced row's title."""
    labels: dict[str, str] = field(default_factory=dict)
    natural_key: tuple[str, ...] = ()
    """Columns no two different records may share (checked before anything is written)."""
    natural_key_unless: str | None = None
    """Rows with a value in this column are exempt from the natural key (撤销的组织)."""
    move_column: str | None = None
    """A different value here between the two sides is shown as 调动."""
    owned: bool = False
    """Rows travel as the complete set of their scope owner: a removal there removes here."""
    context: bool = False
    """Rows outside the subtree that in-scope rows refer to travel too (ancestors, the
    organisation of an old event), so the receiver can place the subtree."""
    choices: dict[str, type[enum.Enum]] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    """Columns holding a path relative to the database's files folder (attachments)."""

    @property
    def table(self) -> Table:
        return SQLModel.metadata.tables[self.name]

    def label_of(self, column: str) -> str:
        return self.labels.get(column, column)


REGISTRY: tuple[ExchangeTable, ...] = (
    ExchangeTable("organization", "组织", ("id", "organization"), ("name",), ORG_LABELS,
                  natural_key=("parent_id", "name"), natural_key_unless="dissolved",
                  context=True, choices={"kind": OrgKind, "branch_kind": BranchKind}),
    ExchangeTable("member", "党员", ("org_id", "organization"), ("name",), MEMBER_LABELS,
                  natural_key=("id_number",), move_column="org_id",
                  choices={"category": Category, "standing": PartyStanding, "status": Status}),
    ExchangeTable("member_event", "党员事记", ("member_id", "member"), ("member_id", "kind", "date"),
                  EVENT_LABELS, choices={"kind": EventKind}),
    ExchangeTable("member_extra_org", "多重组织生活", ("member_id", "member"),
                  ("member_id", "org_id"), EXTRA_LABELS, owned=True),
    ExchangeTable("group_membership", "所在党小组记录", ("member_id", "member"),
                  ("member_id", "group_id", "started_on"), GROUP_LABELS, owned=True),
    ExchangeTable("committee_seat", "班子成员", ("org_id", "organization"),
                  ("org_id", "role", "member_id"), SEAT_LABELS, owned=True,
                  choices={"role": CommitteeRole}),
    ExchangeTable("meeting", "会议记录", ("org_id", "organization"), ("org_id", "kind", "starts_at"),
                  MEETING_LABELS, choices={"kind": MeetingKind, "status": MeetingStatus}),
    ExchangeTable("meeting_attendance", "会议出席", ("meeting_id", "meeting"),
                  ("meeting_id", "name"), ATTENDANCE_LABELS, owned=True,
                  choices={"category": Category}),
    ExchangeTable("meeting_attachment", "会议附件", ("meeting_id", "meeting"),
                  ("meeting_id", "file_name"), ATTACHMENT_LABELS, owned=True, files=("path",),
                  choices={"kind": AttachmentKind}),
)

NOT_EXCHANGED: dict[str, str] = {
    "app_meta": "程序标识与数据库版本，每个数据库各自维护",
    "setting": "本机设置与同步记录（exchange.*），每个数据库各自维护",
    "audit_log": "操作日志，每个数据库各自记录，不随上报包传递",
    # 述职评议 is organised by the street for the whole street (no organisation scope yet)
    "duty_round": "述职评议由街道党工委统一组织，不随上报包传递",
    "duty_reporter": "述职评议由街道党工委统一组织，不随上报包传递",
    "duty_tally": "述职评议由街道党工委统一组织，不随上报包传递",
    "duty_fix": "述职评议由街道党工委统一组织，不随上报包传递",
}


def registry() -> tuple[ExchangeTable, ...]:
    """The registered tables in dependency order (a table refers only to earlier ones or itself)."""
    from .registration_exchange import REGISTRATION_TABLES  # it builds on this module

    return REGISTRY + REGISTRATION_TABLES


def by_name() -> dict[str, ExchangeTable]:
    return {et.name: et for et in registry()}


def unregistered_tables() -> list[str]:
    """Tracked tables (with a uuid) that are neither registered nor deliberately left out."""
    known = {et.name for et in registry()} | set(NOT_EXCHANGED)
    return sorted(name for name, t in SQLModel.metadata.tables.items()
                  if name not in known and "uuid" in t.c)


# --- columns and values --------------------------------------------------------------

@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str
    """text | int | bool | date | datetime"""
    ref: str | None
    nullable: bool
    length: int | None
    default: Any = MISSING


def _kind(col) -> str:
    t = col.type
    if isinstance(t, TypeDecorator):  # SQLModel's AutoString
        t = t.impl_instance
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, String):
        return "text"
    raise RuntimeError(f"exchange: unsupported column type {t!r} of {col.table.name}.{col.name}")


_SPECS: dict[Table, tuple[ColumnSpec, ...]] = {}


def columns(et: ExchangeTable) -> tuple[ColumnSpec, ...]:
    """The travelling columns: the meta columns first, then the table's own (no local id)."""
    t = et.table
    if t not in _SPECS:
        _SPECS[t] = _columns(t)
    return _SPECS[t]


def _columns(t: Table) -> tuple[ColumnSpec, ...]:
    out = []
    order = ["uuid", "created_at", "modified_at"] + [
        c.name for c in t.columns if c.name not in ("id", "uuid", "created_at", "modified_at")]
    for name in order:
        c = t.c[name]
        refs = [fk.column.table.name for fk in c.foreign_keys]
        default = MISSING
        if c.default is not None and c.default.is_scalar:
            default = c.default.arg
        elif c.nullable:
            default = None
        out.append(ColumnSpec(name, _kind(c), refs[0] if refs else None, bool(c.nullable),
                              getattr(c.type, "length", None), default))
    return tuple(out)


def _converter(spec: ColumnSpec):
    if spec.kind in ("date", "datetime") and not spec.ref:
        return lambda v: None if v is None else v.isoformat()
    if spec.kind == "bool" and not spec.ref:
        return lambda v: None if v is None else bool(v)
    return None


def _json_rows(specs: Iterable[ColumnSpec], rows) -> Iterator[list[Any]]:
    """Result rows as lists of JSON values, converting only the columns that need it."""
    convert = [(i, f) for i, f in enumerate(map(_converter, specs)) if f is not None]
    for r in rows:
        row = list(r)
        for i, f in convert:
            row[i] = f(row[i])
        yield row


def _from_iso(parse):
    return lambda v: None if v is None else parse(v)


def python_converters(et: ExchangeTable, names: Iterable[str]) -> list:
    """Per column: None (the JSON value is the value) or a function JSON → Python.
    For values already checked with from_json (the package was validated on reading)."""
    specs = {s.name: s for s in columns(et)}
    out = []
    for name in names:
        spec = specs[name]
        if spec.ref or spec.kind in ("text", "int", "bool"):
            out.append(None)
        else:
            out.append(_from_iso(datetime.fromisoformat if spec.kind == "datetime"
                                 else date.fromisoformat))
    return out


def to_json(spec: ColumnSpec, value: Any) -> Any:
    if value is None:
        return None
    if spec.kind in ("date", "datetime"):
        return value.isoformat()
    if spec.kind == "bool":
        return bool(value)
    return value


_CHOICES: dict[type, frozenset[str]] = {}


def _choice_values(choices: type[enum.Enum]) -> frozenset[str]:
    if choices not in _CHOICES:
        _CHOICES[choices] = frozenset(c.value for c in choices)
    return _CHOICES[choices]


def from_json(et: ExchangeTable, spec: ColumnSpec, value: Any) -> Any:
    """A JSON value checked against the column; raises DomainError naming field and fault."""
    if value is None and spec.nullable:
        return None
    label = et.label_of(spec.name)
    if value is None:
        if not spec.nullable and spec.name != "id":
            raise DomainError(f"字段“{label}”不能为空")
        return None
    if spec.ref or spec.kind == "text":
        if not isinstance(value, str):
            raise DomainError(f"字段“{label}”应为文字")
        if spec.length and len(value) > spec.length and not spec.ref:
            raise DomainError(f"字段“{label}”超过{spec.length}个字")
        choices = et.choices.get(spec.name)
        if choices and value not in _choice_values(choices):
            raise DomainError(f"字段“{label}”的值“{value[:20]}”不是有效选项")
        return value
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise DomainError(f"字段“{label}”应为是/否")
        return value
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not -2 ** 63 <= value < 2 ** 63:
            raise DomainError(f"字段“{label}”应为整数")
        return value
    if not isinstance(value, str):
        raise DomainError(f"字段“{label}”应为日期")
    try:
        parsed = (datetime.fromisoformat(value) if spec.kind == "datetime"
                  else date.fromisoformat(value))
    except ValueError:
        raise DomainError(f"字段“{label}”的日期“{value[:30]}”无效") from None
    if spec.kind == "datetime" and parsed.tzinfo is not None:
        raise DomainError(f"字段“{label}”的时间不应带时区")
    return parsed


# --- reading -------------------------------------------------------------------------

def _select(et: ExchangeTable, specs: Iterable[ColumnSpec] | None = None):
    """SELECT of the travelling columns with every reference replaced by its uuid, and
    column name → the expression to compare (the referenced uuid for a reference)."""
    t = et.table
    joined, cols, exprs = t, [], {}
    for spec in specs or columns(et):
        if spec.ref:
            target = by_name()[spec.ref].table.alias(f"ref_{spec.name}")
            joined = joined.outerjoin(target, target.c.id == t.c[spec.name])
            exprs[spec.name] = target.c.uuid
        else:
            exprs[spec.name] = t.c[spec.name]
        cols.append(exprs[spec.name].label(spec.name))
    return select(*cols).select_from(joined), exprs


def _scope_ids(et: ExchangeTable, root_id: int):
    """SELECT of the local ids of `et` rows within the subtree of organisation `root_id`."""
    column, target = et.scope
    t = et.table
    if target == et.name:
        parent = next(s.name for s in columns(et) if s.ref == et.name)
        sub = select(t.c.id).where(t.c.id == root_id).cte(f"sub_{et.name}", recursive=True)
        sub = sub.union(select(t.c.id).where(t.c[parent] == sub.c.id))
        return select(sub.c.id)
    return select(t.c.id).where(t.c[column].in_(_scope_ids(by_name()[target], root_id)))


def scoped_rows(conn: Connection, et: ExchangeTable, root_id: int) -> list[list[Any]]:
    """The rows of `et` in the subtree, as JSON values in `columns(et)` order."""
    specs = columns(et)
    q = _select(et, specs)[0]
    q = q.where(et.table.c.id.in_(_scope_ids(et, root_id))).order_by(et.table.c.id)
    return list(_json_rows(specs, conn.execute(q).fetchall()))


def check_rows(et: ExchangeTable, names: list[str], rows: list[list[Any]]) -> None:
    """Every value of `rows` (in `names` order) checked against its column, a column at
    a time; on a fault, raises DomainError naming the record (第n条) and the field."""
    specs = {s.name: s for s in columns(et)}
    if not rows:
        return
    for pos, column in enumerate(zip(*rows)):
        spec = specs[names[pos]]
        if not _column_ok(et, spec, column):
            for n, value in enumerate(column, start=1):
                try:
                    from_json(et, spec, value)
                    if spec.ref and value is not None and not _UUID_TEXT.match(value):
                        raise DomainError(f"字段“{et.label_of(spec.name)}”的引用无效")
                except DomainError as e:
                    raise DomainError(f"第{n}条记录：{e}") from None
            raise DomainError(f"字段“{et.label_of(spec.name)}”含有无效的值")  # pragma: no cover


_UUID_TEXT = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_ALLOWED_TYPES = {"text": {str}, "int": {int}, "bool": {bool}, "date": {str}, "datetime": {str}}


def _column_ok(et: ExchangeTable, spec: ColumnSpec, column: tuple) -> bool:
    """The fast, all-or-nothing check of one column's values (C-level loops)."""
    allowed = set(_ALLOWED_TYPES["text" if spec.ref else spec.kind])
    if spec.nullable:
        allowed.add(type(None))
    if not set(map(type, column)) <= allowed:
        return False
    values = [v for v in column if v is not None] if spec.nullable else column
    if not values:
        return True
    if spec.ref:
        return all(map(_UUID_TEXT.match, values))
    if spec.kind == "text":
        choices = et.choices.get(spec.name)
        if choices and not set(values) <= _choice_values(choices):
            return False
        return not spec.length or max(map(len, values)) <= spec.length
    if spec.kind == "int":
        return -2 ** 63 <= min(values) and max(values) < 2 ** 63
    if spec.kind in ("date", "datetime"):
        try:
            parsed = list(map(datetime.fromisoformat if spec.kind == "datetime"
                              else date.fromisoformat, values))
        except ValueError:
            return False
        return spec.kind == "date" or set(map(_tz, parsed)) == {None}
    return True


def _tz(d: datetime):
    return d.tzinfo


def uuid_stamps(conn: Connection, et: ExchangeTable, uuids: Iterable[str]) -> dict[str, str]:
    """uuid → modified_at (as JSON text) for those of `uuids` present here: a light query
    reading the stored text (a stamp written some other way only costs a full read)."""
    t = et.table
    uuids = set(uuids)
    if not uuids:
        return {}
    q = select(t.c.uuid, type_coerce(t.c.modified_at, String))
    if _whole_table_is_cheaper(conn, et, len(uuids)):
        rows = [r for r in conn.execute(q).fetchall() if r[0] in uuids]
    else:
        rows = [r for chunk in _chunks(list(uuids))
                for r in conn.execute(q.where(t.c.uuid.in_(chunk))).fetchall()]
    return {u: _iso(m) for u, m in rows}


def _iso(stored: str | None) -> str | None:
    """SQLAlchemy's SQLite text "2026-05-01 09:00:00.000000" as datetime.isoformat() gives it."""
    if stored is None:
        return None
    text = stored.replace(" ", "T", 1)
    return text[:-7] if text.endswith(".000000") else text


def _local_ids(conn: Connection, et: ExchangeTable, column: str, uuids: set[str]) -> list[int]:
    """The local ids of the rows that `column` (a reference) would point at for `uuids`."""
    spec = next(s for s in columns(et) if s.name == column)
    return list(ids_by_uuid(conn, by_name()[spec.ref], uuids).values())


def owned_uuids(conn: Connection, et: ExchangeTable, column: str, owners: Iterable[str]) -> set[str]:
    """uuids of the rows whose `column` (a reference) points at one of `owners` (uuids);
    filtered on the indexed local column, not on the joined uuid."""
    t = et.table
    ids = _local_ids(conn, et, column, set(owners))
    out: set[str] = set()
    for chunk in _chunks(ids):
        out.update(conn.execute(select(t.c.uuid).where(t.c[column].in_(chunk))).scalars().all())
    return out


def column_names(et: ExchangeTable) -> list[str]:
    return [s.name for s in columns(et)]


def rows_by_uuid(conn: Connection, et: ExchangeTable, uuids: Iterable[str]) -> dict[str, list]:
    """uuid → row (JSON values in `columns(et)` order) for those of `uuids` present here."""
    return {r[0]: r for r in rows_where(conn, et, "uuid", uuids)}


def rows_where(conn: Connection, et: ExchangeTable, column: str,
               values: Iterable[Any]) -> list[list[Any]]:
    """Rows (JSON values in `columns(et)` order, uuid first) whose `column` is one of
    `values`; a reference column is compared by the referenced row's uuid."""
    specs = columns(et)
    q, exprs = _select(et, specs)
    values = set(values)
    if not values:
        return []
    if _whole_table_is_cheaper(conn, et, len(values)):
        pos = [s.name for s in specs].index(column)
        return list(_json_rows(specs, (r for r in conn.execute(q).fetchall() if r[pos] in values)))
    target = exprs[column]
    if specs[[s.name for s in specs].index(column)].ref:  # compare local ids: the index serves
        values, target = set(_local_ids(conn, et, column, values)), et.table.c[column]
    out: list[list[Any]] = []
    for chunk in _chunks(list(values)):
        out.extend(_json_rows(specs, conn.execute(q.where(target.in_(chunk))).fetchall()))
    return out


def _whole_table_is_cheaper(conn: Connection, et: ExchangeTable, wanted: int) -> bool:
    """For thousands of keys one scan beats many IN (...) queries."""
    if wanted < 2000:
        return False
    total = conn.execute(select(func.count()).select_from(et.table)).scalar_one()
    return wanted * 4 > total


def ids_by_uuid(conn: Connection, et: ExchangeTable, uuids: Iterable[str]) -> dict[str, int]:
    t, out = et.table, {}
    uuids = set(uuids)
    if _whole_table_is_cheaper(conn, et, len(uuids)):
        return {u: i for u, i in conn.execute(select(t.c.uuid, t.c.id)).fetchall() if u in uuids}
    for chunk in _chunks(list(uuids)):
        out.update(conn.execute(select(t.c.uuid, t.c.id).where(t.c.uuid.in_(chunk))).all())
    return out


def has_rows(conn: Connection, et: ExchangeTable) -> bool:
    return conn.execute(select(et.table.c.id).limit(1)).first() is not None


def all_uuids(conn: Connection, et: ExchangeTable) -> set[str]:
    return set(conn.execute(select(et.table.c.uuid)).scalars())


def id_of_root(conn: Connection, et: ExchangeTable, local_id: int) -> str | None:
    return conn.execute(select(et.table.c.uuid).where(et.table.c.id == local_id)).scalar()


# --- writing -------------------------------------------------------------------------

def _integrity(e: exc.IntegrityError, et: ExchangeTable) -> DomainError:
    text = str(e.orig)
    if "UNIQUE" in text and "id_number" in text:
        return Conflict(f"写入{et.label}记录时发现公民身份号码重复，导入已撤销，数据库未作修改。")
    return Conflict(f"写入{et.label}记录时违反数据库约束（{text[:80]}），导入已撤销，数据库未作修改。")


def insert_rows(conn: Connection, et: ExchangeTable, rows: list[dict[str, Any]]) -> None:
    """Rows as column → Python value, references already local ids."""
    try:
        for chunk in _chunks(rows):
            conn.execute(et.table.insert(), chunk)
    except exc.IntegrityError as e:
        raise _integrity(e, et) from None


def update_rows(conn: Connection, et: ExchangeTable, rows: list[dict[str, Any]]) -> None:
    """Update by uuid; each row holds the columns to set (all rows the same columns)."""
    from sqlalchemy import bindparam

    if not rows:
        return
    t = et.table
    names = [k for k in rows[0] if k != "uuid"]
    stmt = t.update().where(t.c.uuid == bindparam("b_uuid")).values(
        {k: bindparam(f"b_{k}") for k in names})
    params = [{f"b_{k}": v for k, v in r.items()} for r in rows]
    try:
        for chunk in _chunks(params):
            conn.execute(stmt, chunk)
    except exc.IntegrityError as e:
        raise _integrity(e, et) from None


def delete_rows(conn: Connection, et: ExchangeTable, uuids: Iterable[str]) -> None:
    try:
        for chunk in _chunks(list(uuids)):
            conn.execute(et.table.delete().where(et.table.c.uuid.in_(chunk)))
    except exc.IntegrityError as e:
        raise _integrity(e, et) from None


# --- the sync ledger, kept in the setting table --------------------------------------

def read_json_setting(conn: Connection, key: str) -> Any:
    from .tables import SettingRow

    s = SettingRow.__table__
    value = conn.execute(select(s.c.value).where(s.c.key == key)).scalar()
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def settings_with_prefix(conn: Connection, prefix: str) -> dict[str, Any]:
    from .tables import SettingRow

    s = SettingRow.__table__
    out = {}
    for key, value in conn.execute(select(s.c.key, s.c.value).where(s.c.key.startswith(prefix))):
        try:
            out[key] = json.loads(value)
        except ValueError:
            continue
    return out


def write_json_setting(conn: Connection, key: str, value: Any) -> None:
    from .tables import SettingRow, utcnow

    s = SettingRow.__table__
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    done = conn.execute(s.update().where(s.c.key == key).values(value=text, modified_at=utcnow()))
    if done.rowcount == 0:
        conn.execute(s.insert().values(key=key, value=text, modified_at=utcnow()))


def _chunks(items: list) -> Iterator[list]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]
