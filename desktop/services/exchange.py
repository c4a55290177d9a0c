"""Handing data upward (and downward): exchange packages (上报包) between databases.

A community exports its organisation and everything below it; the street imports it,
sees what is new, changed and conflicting, and merges it in one transaction. The
street can send a package down the same way. Records are matched by uuid, never by
local id, so nothing is duplicated and importing a package twice changes nothing.

Sync state lives in the `setting` table of each database (one transaction with the
data it describes): `exchange.db_id` (this database's own id) and, per peer database,
`exchange.peer.<id>` = {"label", "packages": [...], "seen": {record uuid: hash}}, the
content hash of each record as last received from that peer. See domain/exchange.py
for how the two sides' ledgers decide new/changed/conflict.
"""
from __future__ import annotations

import uuid as _uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..domain.errors import DomainError, NotFound
from ..domain.exchange import Decision, ExportSummary, MergeResult, Resolution
from ..domain.tasks import CancelToken, Progress, no_progress
from ..exports import package_format as fmt
from ..storage import exchange_tables as xt
from ..storage import migrations
from ..storage.database import files_dir
from ..storage.database import Database

DB_ID_KEY = "exchange.db_id"
PEER_PREFIX = "exchange.peer."
PACKAGES_KEPT = 200


@dataclass
class PackageTable:
    et: xt.ExchangeTable
    columns: list[str]
    rows: list[list]
    hashes: list[str]
    index: dict[str, int] = field(default_factory=dict)
    """uuid → position in rows."""

    def get(self, uuid: str) -> dict | None:
        i = self.index.get(uuid)
        return None if i is None else dict(zip(self.columns, self.rows[i]))


@dataclass
class Package:
    """A verified package: every checksum, the schema version and every value checked."""

    path: Path
    package_id: str
    created_at: str
    schema_version: int
    source_db: str
    source_file: str
    organization: str
    organization_uuid: str
    tables: dict[str, PackageTable]
    """In registry (dependency) order."""
    seen: dict[str, dict[str, str]]
    context: dict[str, set[str]]
    attachments: dict[str, str]
    size: int

    @property
    def counts(self) -> dict[str, int]:
        return {t.et.label: len(t.rows) for t in self.tables.values()}

    def describe(self) -> str:
        parts = "，".join(f"{label}{n}条" for label, n in self.counts.items() if n)
        return (f"上报包“{self.path.name}”：{self.organization}，导出于{_local_time(self.created_at)}，"
                f"来自数据库“{self.source_file}”；{parts or '无记录'}")


def _local_time(iso: str) -> str:
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%Y-%m-%d %H:%M")


class ExchangeService:
    def __init__(self, db: Database):
        self.db = db

    # --- export ----------------------------------------------------------------------
    def export_package(self, org_id: int, path: Path | str, progress: Progress = no_progress,
                       cancel: CancelToken | None = None) -> ExportSummary:
        """Write the organisation `org_id`, everything below it and what they refer to."""
        cancel = cancel or CancelToken()
        path = Path(path)
        if not path.parent.is_dir():
            raise NotFound(f"文件夹“{path.parent}”不存在，无法导出上报包。")
        with self.db.transaction() as conn:
            db_id = _ensure_db_id(conn)
        registry = xt.registry()
        org_table = registry[0]
        with self.db.reading() as conn:
            root_uuid = xt.id_of_root(conn, org_table, org_id)
            if root_uuid is None:
                raise NotFound(f"组织（编号{org_id}）不存在，无法导出上报包。")
            tables: dict[str, fmt.TableData] = {}
            specs = {et.name: xt.columns(et) for et in registry}
            for i, et in enumerate(registry):
                cancel.check()
                progress(i, len(registry) + 2, f"正在读取{et.label}…")
                rows = xt.scoped_rows(conn, et, org_id)
                cols = [s.name for s in specs[et.name]]
                tables[et.name] = fmt.TableData(et.name, cols, rows, [])
            context = _add_context(conn, registry, specs, tables)
            root_row = next(r for r in tables[org_table.name].rows if r[0] == root_uuid)
            cols = tables[org_table.name].columns
            root = dict(zip(cols, root_row))
            seen = _seen_excerpt(conn, registry, tables)
        for t in tables.values():
            hasher = fmt.row_hasher(t.columns)
            t.hashes = [hasher(r) for r in t.rows]
        attachments = _attachments(files_dir(self.db.path), registry, tables)
        manifest = {
            "package_id": str(_uuid.uuid4()),
            "created_at": datetime.now(timezone.utc).isoformat(),
            "schema_version": migrations.latest_version(),
            "source": {"db_id": db_id, "file": self.db.path.name},
            "organization": {"uuid": root_uuid, "name": root["name"], "kind": root["kind"]},
            "context": {k: sorted(v) for k, v in context.items()},
            "counts": {et.name: len(tables[et.name].rows) for et in registry},
        }
        cancel.check()
        step = len(registry)
        size = fmt.write_package(
            path, manifest, list(tables.values()), seen, attachments,
            lambda d, t, m="": progress(step + (1 if d >= t else 0), len(registry) + 2, m), cancel)
        return ExportSummary(str(path), root["name"],
                             {et.label: len(tables[et.name].rows) for et in registry},
                             size, manifest["package_id"])

    # --- import ----------------------------------------------------------------------
    def read_package(self, path: Path | str, progress: Progress = no_progress,
                     cancel: CancelToken | None = None,
                     limits: fmt.Limits = fmt.Limits()) -> Package:
        """Open and verify a package; raises PackageError (nothing is written)."""
        raw = fmt.read_package(path, limits, progress, cancel)
        return _validate(raw)

    def plan_merge(self, package: Package):
        from .exchange_merge import compute_plan

        with self.db.reading() as conn:
            return compute_plan(conn, package, _db_id(conn), {})[0]

    def apply_merge(self, plan, resolutions: dict[tuple[str, str], Resolution] | None = None,
                    progress: Progress = no_progress, cancel: CancelToken | None = None,
                    take_all: Resolution | None = None) -> MergeResult:
        """Merge in ONE transaction; raises (and writes nothing) if the database changed
        since the preview in a way that alters any decision."""
        from .backup import REASON_EXCHANGE, BackupService
        from .exchange_merge import apply_plan

        writes = (Decision.NEW, Decision.CHANGED, Decision.REMOVED, Decision.CONFLICT)
        if any(plan.counts.get(d) for d in writes):  # a copy to go back to (issue #8)
            progress(0, 1, "正在备份数据库…")
            BackupService(self.db).snapshot(REASON_EXCHANGE)
        return apply_plan(self.db, plan, resolutions or {}, take_all, progress,
                          cancel or CancelToken())

    def peers(self) -> dict[str, dict]:
        """Peer database id → {"label", "packages": [...]} (without the ledger itself)."""
        with self.db.reading() as conn:
            state = xt.settings_with_prefix(conn, PEER_PREFIX)
        return {k[len(PEER_PREFIX):]: {"label": v.get("label", ""), "packages": v.get("packages", [])}
                for k, v in state.items() if isinstance(v, dict)}


# --- helpers shared with exchange_merge -------------------------------------------------

def _attachments(folder: Path, registry, tables: dict[str, fmt.TableData]) -> dict[str, Path]:
    """relative path → file, for every file column value of a packaged row whose file exists."""
    out: dict[str, Path] = {}
    for et in registry:
        t = tables[et.name]
        for column in et.files:
            pos = t.columns.index(column)
            for row in t.rows:
                rel = row[pos]
                if rel and not fmt.check_relative_path(rel) and (folder / rel).is_file():
                    out[rel] = folder / rel
    return out


def _db_id(conn) -> str | None:
    value = xt.read_json_setting(conn, DB_ID_KEY)
    return value if isinstance(value, str) else None


def _ensure_db_id(conn) -> str:
    value = _db_id(conn)
    if value is None:
        value = str(_uuid.uuid4())
        xt.write_json_setting(conn, DB_ID_KEY, value)
    return value


def read_peer(conn, peer: str) -> dict:
    state = xt.read_json_setting(conn, PEER_PREFIX + peer)
    if not isinstance(state, dict):
        state = {}
    seen = state.get("seen")
    state["seen"] = seen if isinstance(seen, dict) else {}
    packages = state.get("packages")
    state["packages"] = packages if isinstance(packages, list) else []
    return state


def write_peer(conn, peer: str, state: dict) -> None:
    state["packages"] = state["packages"][-PACKAGES_KEPT:]
    xt.write_json_setting(conn, PEER_PREFIX + peer, state)


def _add_context(conn, registry, specs, tables: dict[str, fmt.TableData]) -> dict[str, set[str]]:
    """Rows outside the subtree that packaged rows refer to, for tables that allow it
    (the organisation's ancestors, the organisation of an old event)."""
    context: dict[str, set[str]] = {}
    for et in registry:
        if not et.context:
            continue
        have = {r[0] for r in tables[et.name].rows}
        added: set[str] = set()
        missing: set[str] = set()
        cols = tables[et.name].columns
        while True:
            wanted: set[str] = set()
            for other in registry:
                t = tables[other.name]
                for pos, spec in enumerate(specs[other.name]):
                    if spec.ref == et.name:
                        wanted.update(r[pos] for r in t.rows if r[pos] is not None)
            wanted -= have | missing
            if not wanted:
                break
            found = xt.rows_by_uuid(conn, et, wanted)
            missing |= wanted - set(found)
            for u, row in found.items():  # rows come in `cols` order
                tables[et.name].rows.append(row)
                have.add(u)
                added.add(u)
        context[et.name] = added
    return context


def _seen_excerpt(conn, registry, tables: dict[str, fmt.TableData]) -> dict[str, dict[str, str]]:
    """For each peer: what I last received from it about the packaged records, and about
    records I have since removed (so the receiver can tell a removal from an addition)."""
    peers = xt.settings_with_prefix(conn, PEER_PREFIX)
    if not peers:
        return {}
    packaged = {r[0] for t in tables.values() for r in t.rows}
    existing: set[str] | None = None
    out: dict[str, dict[str, str]] = {}
    for key, state in peers.items():
        seen = state.get("seen") if isinstance(state, dict) else None
        if not isinstance(seen, dict):
            continue
        excerpt = {u: h for u, h in seen.items() if u in packaged}
        rest = [u for u in seen if u not in packaged]
        if rest:
            if existing is None:
                existing = set().union(*(xt.all_uuids(conn, et) for et in registry))
            excerpt.update({u: seen[u] for u in rest if u not in existing})
        if excerpt:
            out[key[len(PEER_PREFIX):]] = excerpt
    return out


def _validate(raw: fmt.RawPackage) -> Package:
    """Check the package against this program's schema and every value against its column."""
    where = f"上报包文件“{raw.path.name}”"
    m = raw.manifest
    latest = migrations.latest_version()
    if m["schema_version"] > latest:
        raise fmt.PackageError(
            f"{where}由更新版本的程序导出（数据版本{m['schema_version']}，本程序支持到{latest}），"
            "未作任何修改。请升级程序后再导入。")
    if m["schema_version"] < 1:
        raise fmt.PackageError(f"{where}的数据版本无效，文件已损坏。")
    known = xt.by_name()
    for name in raw.tables:
        if name not in known:
            raise fmt.PackageError(f"{where}含有本程序不认识的数据“{name}”，无法导入，未作任何修改。")
    tables: dict[str, PackageTable] = {}
    for et in xt.registry():
        data = raw.tables.get(et.name)
        if data is None:
            continue
        specs = {s.name: s for s in xt.columns(et)}
        unknown = [c for c in data.columns if c not in specs]
        if unknown:
            raise fmt.PackageError(f"{where}的{et.label}数据含有本程序不认识的字段“{unknown[0]}”，"
                                   "无法导入，未作任何修改。")
        lacking = [s for s in specs.values() if s.name not in data.columns and s.default is xt.MISSING]
        if lacking:
            raise fmt.PackageError(
                f"{where}由较旧版本的程序导出，{et.label}数据缺少字段“{et.label_of(lacking[0].name)}”，"
                "无法导入，未作任何修改。请对方升级程序后重新导出。")
        place = f"{where}的条目“data/{et.name}.json”"
        try:
            xt.check_rows(et, data.columns, data.rows)
        except DomainError as e:
            raise fmt.PackageError(f"{place}{e}，无法导入，未作任何修改。") from None
        for column in et.files:
            if column not in data.columns:
                continue
            pos = data.columns.index(column)
            for n, row in enumerate(data.rows, start=1):
                if row[pos] is not None and fmt.check_relative_path(row[pos]):
                    raise fmt.PackageError(f"{place}第{n}条记录：附件路径“{str(row[pos])[:60]}”不安全，"
                                           "已拒绝，未作任何修改。")
        ui = data.columns.index("uuid")
        tables[et.name] = PackageTable(et, data.columns, data.rows, data.hashes,
                                       {r[ui]: i for i, r in enumerate(data.rows)})
    org = m["organization"]
    root_table = xt.registry()[0].name
    if root_table not in tables or org["uuid"] not in tables[root_table].index:
        raise fmt.PackageError(f"{where}中没有其所属组织“{org['name'][:40]}”的记录，文件已损坏。")
    context = m.get("context", {})
    if not isinstance(context, dict) or not all(
            isinstance(v, list) and all(isinstance(u, str) for u in v) for v in context.values()):
        raise fmt.PackageError(f"{where}的清单中上下文记录无效，文件已损坏。")
    src = m["source"]
    return Package(raw.path, m["package_id"], m["created_at"], m["schema_version"], src["db_id"],
                   str(src.get("file", ""))[:200], org["name"][:200], org["uuid"], tables, raw.seen,
                   {k: set(v) for k, v in context.items()}, raw.attachments, raw.size)
