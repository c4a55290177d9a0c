"""Planning and applying the merge of a verified package (the rule is domain/exchange.py).

The plan is computed from a read snapshot for the preview and computed again inside
the one write transaction; if any decision differs the import stops before writing.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone

from ..domain.errors import Conflict
from ..domain.exchange import (UNCHANGED_DECISIONS, ConflictKind, Decision, MergeItem,
                               MergeResult, Resolution, decide)
from ..domain.tasks import CancelToken, Progress
from ..exports import package_format as fmt
from ..storage import exchange_tables as xt
from ..storage.database import Database
from .exchange import Package, _ensure_db_id, files_dir, read_peer, write_peer

_WRITE = (Decision.NEW, Decision.CHANGED)


@dataclass
class MergePlan:
    """What importing the package would do. Records that are the same are only counted."""

    package: Package
    items: list[MergeItem]
    counts: dict[Decision, int]
    fingerprint: str
    already_imported: str | None = None
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def _by_decision(self) -> dict[Decision, list[MergeItem]]:
        out: dict[Decision, list[MergeItem]] = {}
        for i in self.items:
            out.setdefault(i.decision, []).append(i)
        return out

    def _of(self, decision: Decision) -> list[MergeItem]:
        return self._by_decision.get(decision, [])

    @property
    def new(self) -> list[MergeItem]:
        return self._of(Decision.NEW)

    @property
    def changed(self) -> list[MergeItem]:
        return self._of(Decision.CHANGED)

    @property
    def conflicts(self) -> list[MergeItem]:
        return self._of(Decision.CONFLICT)

    @property
    def removed(self) -> list[MergeItem]:
        return self._of(Decision.REMOVED)

    @property
    def blocked(self) -> list[MergeItem]:
        return self._of(Decision.BLOCKED)

    @cached_property
    def moved(self) -> list[MergeItem]:
        return [i for i in self.items if i.moved]

    @property
    def unchanged(self) -> int:
        return sum(self.counts.get(d, 0) for d in UNCHANGED_DECISIONS)

    @property
    def has_changes(self) -> bool:
        return any(self.counts.get(d, 0) for d in (*_WRITE, Decision.REMOVED))

    def describe(self) -> str:
        c = self.counts
        text = (f"新增{c.get(Decision.NEW, 0)}条，修改{c.get(Decision.CHANGED, 0)}条，"
                f"删除{c.get(Decision.REMOVED, 0)}条，冲突{c.get(Decision.CONFLICT, 0)}条，"
                f"调动{len(self.moved)}人，无法导入{c.get(Decision.BLOCKED, 0)}条，"
                f"无变化{self.unchanged}条")
        if self.already_imported:
            text = f"此上报包已于{self.already_imported}导入过。" + text
        return "\n".join([text, *self.warnings])


class _Record:
    """One record that is not simply the same on both sides. `row` (the package's) and
    `local` (this database's, projected onto the package's columns) are lists in the
    order of `columns`; `idx` maps a column to its position."""

    __slots__ = ("et", "uuid", "columns", "idx", "row", "incoming_hash", "local", "decision",
                 "conflict", "reason", "resolvable", "write", "delete", "remember", "effective")

    def __init__(self, et, uuid, columns, idx, row, incoming_hash, local, decision, conflict):
        self.et, self.uuid, self.columns, self.idx = et, uuid, columns, idx
        self.row, self.incoming_hash, self.local = row, incoming_hash, local
        self.decision, self.conflict = decision, conflict
        self.reason, self.resolvable = "", True
        self.write = self.delete = self.remember = False
        self.effective: Decision | None = None
        """What apply does, after the clerk's choices."""

    def inc(self, column: str):
        i = self.idx.get(column)
        return None if self.row is None or i is None else self.row[i]

    def loc(self, column: str):
        i = self.idx.get(column)
        return None if self.local is None or i is None else self.local[i]

    @property
    def incoming(self) -> dict | None:
        return None if self.row is None else dict(zip(self.columns, self.row))

    @property
    def local_dict(self) -> dict | None:
        return None if self.local is None else dict(zip(self.columns, self.local))


@dataclass
class _Work:
    records: list[_Record] = field(default_factory=list)
    same: int = 0
    """Records identical on both sides: only counted."""
    ledger: dict[str, str] = field(default_factory=dict)
    """uuid → hash to remember for the sender."""


def compute_plan(conn, package: Package, my_db_id: str | None,
                 resolutions: dict[tuple[str, str], Resolution],
                 take_all: Resolution | None = None,
                 with_items: bool = True) -> tuple[MergePlan, _Work]:
    """Decide every record. The decisions (and so the fingerprint) do not depend on the
    clerk's choices; `resolutions` only shape what apply does (_Work)."""
    where = f"上报包“{package.path.name}”"
    if my_db_id is not None and package.source_db == my_db_id:
        raise Conflict(f"{where}是由本数据库（或其复制件）导出的，不能导入到自身，未作任何修改。")
    state = read_peer(conn, package.source_db)
    _check_order(package, state, where)
    mine, theirs = state["seen"], package.seen.get(my_db_id, {}) if my_db_id else {}
    work = _Work()
    for pt in package.tables.values():
        _decide_table(conn, package, pt, mine, theirs, work)
    titles = _Titles(conn, package)
    _check_natural_keys(conn, work, titles)
    _check_references(conn, work, titles)
    items, counts = [], Counter({Decision.SAME: work.same} if work.same else {})
    digest = hashlib.sha256()
    for r in work.records:
        counts[r.decision] += 1
        if r.decision is not Decision.SAME:
            digest.update(f"{r.et.name}|{r.uuid}|{r.decision.value}|{r.conflict}|{r.resolvable}\n"
                          .encode())
            if with_items:
                items.append(_item(r, titles))
    digest.update(repr(sorted((d.value, n) for d, n in counts.items())).encode())
    previous = next((p for p in state["packages"] if isinstance(p, dict)
                     and p.get("id") == package.package_id), None)
    plan = MergePlan(package, items, dict(counts), digest.hexdigest(),
                     previous.get("imported_at") if previous else None, _new_roots(conn, work))
    _effective(work, resolutions, take_all, mine)
    return plan, work


def _check_order(package: Package, state: dict, where: str) -> None:
    """An older package from the same database would undo what a newer one brought."""
    newest = max((p.get("created_at", "") for p in state["packages"] if isinstance(p, dict)
                  and isinstance(p.get("created_at"), str)), key=_instant, default=None)
    if newest and _instant(package.created_at) < _instant(newest):
        raise Conflict(f"{where}导出于{_shown(package.created_at)}，早于已从同一数据库导入的上报包"
                       f"（导出于{_shown(newest)}）。导入旧包会覆盖较新的数据，已拒绝，未作任何修改。"
                       "请导入对方最新导出的上报包。")


def _instant(iso: str) -> datetime:
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return datetime.min.replace(tzinfo=timezone.utc)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _shown(iso: str) -> str:
    t = _instant(iso)
    return t.astimezone().strftime("%Y-%m-%d %H:%M:%S") if t.year > 1 else iso


def _new_roots(conn, work: _Work) -> list[str]:
    """A new top organisation means the sender's tree does not hang under ours."""
    root_table = xt.registry()[0]
    parent = next(s.name for s in xt.columns(root_table) if s.ref == root_table.name)
    new = [r for r in work.records if r.et is root_table and r.decision is Decision.NEW
           and r.inc(parent) is None]
    if not new or not xt.has_rows(conn, root_table):
        return []
    names = "、".join(f"“{r.inc('name') or ''}”" for r in new)
    return [f"注意：上报包带来新的最上级组织{names}，与本库已有的组织树不相连。"
            "若对方是自行建立的组织树，请先由街道下发上报包，再在其中录入。"]


def _decide_table(conn, package: Package, pt, mine: dict, theirs: dict, work: _Work) -> None:
    """Decide each packaged record of one table (and, for an owned table, the local rows
    of the packaged owners that the package no longer holds).

    A light (uuid, modified_at) query comes first. When the incoming hash is one both
    sides agreed on, every possible decision (same, 本库较新, 本库已删除) leaves the
    record as it is, so an unchanged time stamp settles it without reading the row;
    full rows are read only for the records that may change."""
    et, cols = pt.et, pt.columns
    idx = {c: i for i, c in enumerate(cols)}
    names = xt.column_names(et)
    proj = [names.index(c) for c in cols]
    hasher = fmt.row_hasher(cols)
    stamps = xt.uuid_stamps(conn, et, pt.index)
    owners: set[str] = set()
    gone: set[str] = set()
    if et.owned:
        column, owner_table = et.scope
        owner = package.tables.get(owner_table)
        if owner is not None:
            owners = set(owner.index) - package.context.get(owner_table, set())
            gone = xt.owned_uuids(conn, et, column, owners) - set(pt.index)
    ui, mi = idx["uuid"], idx["modified_at"]
    full: list[tuple[list, str, set[str]]] = []
    for row, h in zip(pt.rows, pt.hashes):
        u = row[ui]
        bases = {b for b in (mine.get(u), theirs.get(u)) if b}
        stamp = stamps.get(u)
        if stamp is None:
            d, kind = decide(None, h, bases, bool(bases))
            _note(work, et, u, cols, idx, row, h, None, d, kind, mine)
        elif h in bases and stamp == row[mi]:
            _note(work, et, u, cols, idx, row, h, None, Decision.SAME, None, mine)
        else:
            full.append((row, h, bases))
    local = xt.rows_by_uuid(conn, et, [r[ui] for r, _, _ in full] + list(gone))
    for row, h, bases in full:
        u = row[ui]
        lp = [local[u][i] for i in proj]
        lh = h if lp == row else hasher(lp)
        d, kind = decide(lh, h, bases, bool(bases))
        _note(work, et, u, cols, idx, row, h, lp, d, kind, mine)
    for u in gone:
        lp = [local[u][i] for i in proj]
        bases = {b for b in (mine.get(u), theirs.get(u)) if b}
        d, kind = decide(hasher(lp), None, bases, bool(bases))
        if d is not Decision.SAME:
            work.records.append(_Record(et, u, cols, idx, None, None, lp, d, kind))


def _note(work: _Work, et, u, cols, idx, row, h, lp, d: Decision, kind, mine: dict) -> None:
    if d is Decision.SAME:  # only counted; remembered if the ledger did not know it yet
        work.same += 1
        if mine.get(u) != h:
            work.ledger[u] = h
    else:
        work.records.append(_Record(et, u, cols, idx, row, h, lp, d, kind))


class _Titles:
    """How the clerk names a record: its title columns, references by their own title."""

    def __init__(self, conn, package: Package):
        self.conn, self.package, self.cache, self.refs = conn, package, {}, {}
        self.tables = xt.by_name()

    def of(self, table: str, uuid: str | None, prefer_local: bool = False) -> str:
        if uuid is None:
            return ""
        key = (table, uuid, prefer_local)
        if key not in self.cache:
            et = self.tables[table]
            pt = self.package.tables.get(table)
            row = None if prefer_local or pt is None else pt.get(uuid)
            if row is None:
                found = xt.rows_by_uuid(self.conn, et, [uuid]).get(uuid)
                row = dict(zip(xt.column_names(et), found)) if found else None
            if row is None and pt is not None:
                row = pt.get(uuid)
            self.cache[key] = self.row(et, row) if row else f"（未知{et.label}）"
        return self.cache[key]

    def row(self, et: xt.ExchangeTable, row: dict) -> str:
        refs = self.refs.get(et.name)
        if refs is None:
            refs = self.refs[et.name] = {s.name: s.ref for s in xt.columns(et)}
        parts = []
        for c in et.title:
            v = row.get(c)
            if refs[c]:
                parts.append(self.of(refs[c], v))
            elif v not in (None, ""):
                parts.append(str(v))
        return " ".join(p for p in parts if p) or et.label


def _writes_incoming(r: _Record) -> bool:
    return r.row is not None and r.decision in (*_WRITE, Decision.CONFLICT)


def _check_natural_keys(conn, work: _Work, titles: _Titles) -> None:
    """Two different records may not share a natural key (the same ID number typed in
    two communities): such a record is a conflict that 以上报包为准 cannot resolve."""
    by_table: dict[str, list[_Record]] = {}
    for r in work.records:
        if _writes_incoming(r) and r.et.natural_key:
            by_table.setdefault(r.et.name, []).append(r)
    for name, records in by_table.items():
        et = records[0].et
        nk, unless = et.natural_key, et.natural_key_unless
        specs = {s.name: s for s in xt.columns(et)}
        lookup = next((c for c in nk if not specs[c].ref), nk[0])

        def key(row: dict) -> tuple | None:
            if unless and row.get(unless) is not None:
                return None
            return tuple(row.get(c) for c in nk)

        names = xt.column_names(et)
        holders: dict[tuple, dict] = {}
        for found in xt.rows_where(conn, et, lookup, {r.inc(lookup) for r in records}):
            loc = dict(zip(names, found))
            k = key(loc)
            if k is not None:
                holders.setdefault(k, loc)
        moving_away = {r.uuid for r in records if r.local and key(r.local_dict) != key(r.incoming)}
        claimed: dict[tuple, str] = {}
        for r in records:
            k = key(r.incoming)
            if k is None:
                continue
            holder = holders.get(k)
            clash = None
            if holder and holder["uuid"] != r.uuid and holder["uuid"] not in moving_away:
                clash = f"本库{et.label}“{titles.row(et, holder)}”"
            elif claimed.get(k, r.uuid) != r.uuid:
                clash = f"上报包中的另一条{et.label}记录"
            claimed.setdefault(k, r.uuid)
            if clash is None:
                continue
            labels = "、".join(et.label_of(c) for c in nk)
            r.reason = (f"{labels}与{clash}相同，但为不同记录（可能双方各自录入了同一对象）。"
                        "请核实后在一方修改，再重新导入")
            if et.name == "organization":
                r.reason += "；若社区是自行建立的组织树，请先由街道下发上报包，再在其中录入"
            r.resolvable = False
            if r.decision is not Decision.CONFLICT:
                r.decision, r.conflict = Decision.CONFLICT, ConflictKind.SAME_KEY


def _check_references(conn, work: _Work, titles: _Titles) -> None:
    """A record is written only if every record it refers to will exist here. A record
    here deleted but changed there (a conflict) counts as absent: if the clerk takes it,
    records referring to it follow at the next import."""
    tables = xt.by_name()
    writers = [r for r in work.records if _writes_incoming(r)]
    refs: dict[str, list[tuple[int, str, str]]] = {}  # table → (position, column, target)
    for r in writers:
        if r.et.name not in refs:
            refs[r.et.name] = [(r.idx[s.name], s.name, s.ref) for s in xt.columns(r.et)
                               if s.ref and s.name in r.idx]
    wanted: dict[str, set[str]] = {}
    for r in writers:
        for i, _, target in refs[r.et.name]:
            if r.row[i] is not None:
                wanted.setdefault(target, set()).add(r.row[i])
    removed = {(r.et.name, r.uuid) for r in work.records if r.decision is Decision.REMOVED}
    available = {t: set(xt.ids_by_uuid(conn, tables[t], us)) for t, us in wanted.items()}
    for t, u in removed:
        available.get(t, set()).discard(u)
    for r in work.records:
        if r.decision is Decision.NEW:
            available.setdefault(r.et.name, set()).add(r.uuid)
    pending = [r for r in writers if r.resolvable]
    changed = True
    while changed:  # a blocked record blocks those that refer to it, and so on
        changed = False
        still = []
        for r in pending:
            missing = next(((name, target, r.row[i]) for i, name, target in refs[r.et.name]
                            if r.row[i] is not None and r.row[i] not in available.get(target, ())),
                           None)
            if missing is None:
                still.append(r)
                continue
            name, target, v = missing
            in_package = target in titles.package.tables and v in titles.package.tables[target].index
            r.reason = (f"{r.et.label_of(name)}所引用的{tables[target].label}“{titles.of(target, v)}”"
                        + ("未能导入（见其冲突或无法导入的原因）" if in_package
                           else "不在本库中，也不在上报包中"))
            if r.decision is Decision.CONFLICT:
                r.resolvable = False
            else:
                r.decision, r.conflict = Decision.BLOCKED, None
            if r.local is None:
                available.get(r.et.name, set()).discard(r.uuid)
            changed = True
        pending = still


def _item(r: _Record, titles: _Titles) -> MergeItem:
    et = r.et
    shown = r.incoming or r.local_dict
    item = MergeItem(et.name, et.label, r.uuid, titles.row(et, shown), r.decision, r.conflict,
                     r.reason, resolvable=r.resolvable)
    if r.local is not None and r.row is not None:
        item.fields = [et.label_of(c) for c, a, b in zip(r.columns, r.local, r.row)
                       if c not in fmt.META_COLUMNS and a != b]
        mc = et.move_column
        if mc and r.loc(mc) != r.inc(mc):
            ref = next(s.ref for s in xt.columns(et) if s.name == mc)
            item.moved_from = titles.of(ref, r.loc(mc), prefer_local=True)
            item.moved_to = titles.of(ref, r.inc(mc))
    if r.local is not None:
        item.local_modified = datetime.fromisoformat(r.loc("modified_at"))
    if r.row is not None:
        item.package_modified = datetime.fromisoformat(r.inc("modified_at"))
    return item


def _effective(work: _Work, resolutions, take_all, mine: dict) -> None:
    """What apply does with each record, after the clerk's choices."""
    for r in work.records:
        d = r.decision
        if d is Decision.CONFLICT:
            choice = resolutions.get((r.et.name, r.uuid), take_all)
            if choice is Resolution.TAKE_PACKAGE and r.resolvable:
                if r.row is None:
                    r.delete, r.effective = True, Decision.REMOVED
                else:
                    r.write = True
                    r.effective = Decision.NEW if r.local is None else Decision.CHANGED
                r.remember = True
            else:
                r.effective = Decision.CONFLICT
                r.remember = choice is Resolution.KEEP_LOCAL and r.resolvable
        else:
            r.effective = d
            r.write = d in _WRITE
            r.delete = d is Decision.REMOVED
            r.remember = d is not Decision.BLOCKED
        if r.remember and r.incoming_hash and mine.get(r.uuid) != r.incoming_hash:
            work.ledger[r.uuid] = r.incoming_hash


# --- applying ------------------------------------------------------------------------

def apply_plan(db: Database, plan: MergePlan, resolutions, take_all: Resolution | None,
               progress: Progress, cancel: CancelToken) -> MergeResult:
    package = plan.package
    with db.transaction() as conn:
        my_db_id = _ensure_db_id(conn)
        check, work = compute_plan(conn, package, my_db_id, resolutions, take_all,
                                   with_items=False)
        if check.fingerprint != plan.fingerprint:
            raise Conflict("数据库在预览之后有了改动，导入已停止，未作任何修改。请重新预览后再导入。")
        todo = [r for r in work.records if r.write or r.delete]
        progress(0, max(len(todo), 1), "正在导入…")
        done = 0
        for et in reversed(xt.registry()):
            gone = [r.uuid for r in todo if r.delete and r.et.name == et.name]
            if gone:
                xt.delete_rows(conn, et, gone)
                done += len(gone)
        for et in xt.registry():
            cancel.check()
            records = [r for r in todo if r.write and r.et.name == et.name]
            if records:
                _write_table(conn, et, records, cancel)
                done += len(records)
                progress(done, len(todo), f"正在导入{et.label}…")
        _copy_attachments(db, package, todo)
        state = read_peer(conn, package.source_db)
        changed_state = bool(work.ledger)
        state["seen"].update(work.ledger)
        if not any(isinstance(p, dict) and p.get("id") == package.package_id
                   for p in state["packages"]):
            state["packages"].append({
                "id": package.package_id, "created_at": package.created_at,
                "organization": package.organization,
                "imported_at": datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")})
            changed_state = True
        if state.get("label") != package.organization:
            state["label"] = package.organization
            changed_state = True
        if changed_state:
            write_peer(conn, package.source_db, state)
        cancel.check()
    counts = Counter(r.effective for r in work.records if r.effective is not None)
    counts[Decision.SAME] += work.same
    return MergeResult(dict(counts), counts.get(Decision.CONFLICT, 0), len(todo))


def _copy_attachments(db: Database, package: Package, records: list[_Record]) -> None:
    """Files of written records into `<db stem>.files/`, each written then renamed; done
    before the commit, so a failure here undoes the import (a file already copied stays,
    harmless, as an unreferenced copy)."""
    folder = files_dir(db.path)
    for r in records:
        if not r.write or not r.et.files:
            continue
        for column in r.et.files:
            rel = r.inc(column)
            if not rel:
                continue
            digest = package.attachments.get(rel)
            target = folder / rel
            if digest is None:
                if target.is_file():
                    continue  # already here
                raise Conflict(f"{r.et.label}“{r.uuid}”的附件“{rel}”不在上报包中，导入已撤销，未作任何修改。")
            if target.is_file() and fmt.file_sha256(target) == digest:
                continue
            fmt.extract_attachment(package.path, digest, target)


def _write_table(conn, et: xt.ExchangeTable, records: list[_Record], cancel: CancelToken) -> None:
    specs = {s.name: s for s in xt.columns(et)}
    inserts = [r for r in records if r.local is None]
    updates = [r for r in records if r.local is not None]
    self_refs = [s.name for s in specs.values() if s.ref == et.name]
    pending = {r.uuid: r for r in inserts}
    while pending:  # parents before children when the table refers to itself
        ready = [r for r in pending.values()
                 if not any(r.inc(c) in pending for c in self_refs)]
        if not ready:
            raise Conflict(f"上报包中的{et.label}记录互相引用成环，无法导入，未作任何修改。")
        rows = _to_local(conn, et, specs, ready, full=True)
        xt.insert_rows(conn, et, rows)
        for r in ready:
            del pending[r.uuid]
        cancel.check()
    if updates:
        xt.update_rows(conn, et, _to_local(conn, et, specs, updates, full=False))


def _to_local(conn, et, specs, records: list[_Record], full: bool) -> list[dict]:
    """Incoming JSON rows → column values for this database (references as local ids)."""
    tables = xt.by_name()
    cols = records[0].columns  # one package table: the same columns for all
    convert = xt.python_converters(et, cols)
    refs = [(i, specs[c].ref) for i, c in enumerate(cols) if specs[c].ref]
    wanted: dict[str, set[str]] = {}
    for r in records:
        for i, ref in refs:
            if r.row[i] is not None:
                wanted.setdefault(ref, set()).add(r.row[i])
    ids = {t: xt.ids_by_uuid(conn, tables[t], us) for t, us in wanted.items()}
    defaults = {n: s.default for n, s in specs.items() if n not in cols} if full else {}
    out = []
    for r in records:
        values = [v if f is None else f(v) for f, v in zip(convert, r.row)]
        for i, ref in refs:
            v = values[i]
            if v is not None:
                values[i] = ids[ref].get(v)
                if values[i] is None:
                    raise Conflict(f"{et.label}“{r.uuid}”所引用的记录不存在，导入已撤销，未作任何修改。")
        row = dict(zip(cols, values))
        if defaults:
            row.update(defaults)
        out.append(row)
    return out
