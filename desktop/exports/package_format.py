"""The exchange package file (上报包, *.djpkg): a zip of JSON files, every one checksummed.

Layout::

    manifest.json          what, from where, when; counts; SHA-256 and size of every entry
    data/<table>.json      {"table", "columns", "rows": [[...]], "hashes": [...]}
    sync/seen.json         {peer database id: {record uuid: content hash}} (the ledger excerpt)
    files/<sha256>         attachments, named by their content's SHA-256

Values are JSON scalars only (text, integers, true/false, null; dates as ISO text);
references between records are the referenced record's uuid.

Reading treats the file as hostile (it came on a USB stick or by e-mail): it is never
extracted by the names inside it, every entry's name is checked against the layout, the
number of entries, the bytes actually inflated and the compression ratio are bounded,
every checksum is verified, and any fault ends in a PackageError whose Chinese message
names the file and the entry. Nothing is written while reading.
"""
from __future__ import annotations

import hashlib
import json
from itertools import chain
import logging
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from ..domain.errors import DomainError
from ..domain.tasks import CancelToken, Cancelled, Progress, no_progress
from .atomic import atomic_write

log = logging.getLogger(__name__)

FORMAT = "dangjian-exchange-package"
FORMAT_VERSION = 1
APP_ID = "dangjian"
SUFFIX = ".djpkg"
MANIFEST = "manifest.json"
SEEN = "sync/seen.json"
META_COLUMNS = ("uuid", "created_at", "modified_at")
"""Columns every record carries that are not part of its content hash."""

KiB, MiB, GiB = 1024, 1024 ** 2, 1024 ** 3
_CHUNK = 256 * KiB
_ENTRY_NAME = re.compile(r"^(manifest\.json|sync/seen\.json|data/[a-z][a-z0-9_]{0,62}\.json"
                         r"|files/[0-9a-f]{64})$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_HASH = re.compile(r"^[0-9a-f]{16}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


class PackageError(DomainError):
    """The package cannot be used; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what a package may make the reader do (zip bombs, floods of entries)."""

    max_file_bytes: int = 2 * GiB
    max_entries: int = 20_000
    max_entry_bytes: int = 512 * MiB
    max_total_bytes: int = 2 * GiB
    max_manifest_bytes: int = 4 * MiB
    max_ratio: int = 200
    """Uncompressed/compressed above this (for entries over 1 MiB) is refused as a bomb."""


@dataclass
class TableData:
    name: str
    columns: list[str]
    rows: list[list[Any]]
    hashes: list[str]


@dataclass
class RawPackage:
    """A package whose every checksum has been verified (its content not yet judged)."""

    path: Path
    manifest: dict
    tables: dict[str, TableData]
    seen: dict[str, dict[str, str]]
    attachments: dict[str, str] = field(default_factory=dict)
    """relative path under the database's files folder → SHA-256 of its content."""
    size: int = 0


def row_hasher(columns: Iterable[str]) -> Callable[[list[Any]], str]:
    """hash(values) for rows of these columns: the non-meta columns in name order as
    canonical JSON (names first), SHA-256, 64 bits. Independent of column order."""
    columns = list(columns)
    order = sorted((c, i) for i, c in enumerate(columns) if c not in META_COLUMNS)
    prefix = json.dumps([c for c, _ in order], ensure_ascii=False, separators=(",", ":"))
    positions = [i for _, i in order]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def hash_row(values: list[Any]) -> str:
        text = prefix + dumps([values[i] for i in positions])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    return hash_row


def row_hash(columns: Iterable[str], values: Iterable[Any]) -> str:
    """The content hash of one record (see row_hasher)."""
    return row_hasher(columns)(list(values))


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- writing ---------------------------------------------------------------------------

def write_package(path: Path | str, manifest: dict, tables: list[TableData],
                  seen: dict[str, dict[str, str]], attachments: dict[str, Path] | None = None,
                  progress: Progress = no_progress, cancel: CancelToken | None = None) -> int:
    """Write the package through a temporary file; returns its size in bytes.

    `manifest` holds the caller's fields; this adds format, tables and entries.
    `attachments` maps a relative path (as stored in a record) to the file to carry.
    """
    cancel = cancel or CancelToken()
    attachments = attachments or {}
    path = Path(path)
    total = len(tables) + len(attachments) + 1
    entries: dict[str, dict] = {}
    table_info = []
    files_map: dict[str, str] = {}
    with atomic_write(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for i, t in enumerate(tables):
                cancel.check()
                progress(i, total, f"正在写入{t.name}…")
                name = f"data/{t.name}.json"
                data = _dumps({"table": t.name, "columns": t.columns, "rows": t.rows,
                               "hashes": t.hashes})
                zf.writestr(name, data)
                entries[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                table_info.append({"name": t.name, "file": name, "count": len(t.rows),
                                   "columns": t.columns})
            data = _dumps(seen)
            zf.writestr(SEEN, data)
            entries[SEEN] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for j, (rel, src) in enumerate(sorted(attachments.items())):
                cancel.check()
                progress(len(tables) + j, total, "正在写入附件…")
                digest, size = _file_sha256(src)
                name = f"files/{digest}"
                if name not in entries:
                    zf.write(src, name)
                    entries[name] = {"size": size, "sha256": digest}
                files_map[rel] = digest
            full = dict(manifest)
            full.update({"format": FORMAT, "format_version": FORMAT_VERSION, "app": APP_ID,
                         "tables": table_info, "attachments": files_map, "entries": entries})
            full.setdefault("created_at", datetime.now(timezone.utc).isoformat(timespec="seconds"))
            zf.writestr(MANIFEST, _dumps(full))
        cancel.check()
    progress(total, total, "上报包已写入")
    return path.stat().st_size


def file_sha256(p: Path) -> str:
    return _file_sha256(p)[0]


def _file_sha256(p: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(p, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


# --- reading ---------------------------------------------------------------------------

def read_package(path: Path | str, limits: Limits = Limits(), progress: Progress = no_progress,
                 cancel: CancelToken | None = None) -> RawPackage:
    """Open, bound, and verify a package; raises PackageError with a Chinese message."""
    path = Path(path)
    where = f"上报包文件“{path.name}”"
    try:
        return _read(path, limits, progress, cancel or CancelToken(), where)
    except (PackageError, Cancelled):
        raise
    except FileNotFoundError:
        raise PackageError(f"{where}不存在。") from None
    except PermissionError:
        raise PackageError(f"{where}无法读取（没有权限，或正被其他程序占用）。") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, struct.error):
        raise PackageError(f"{where}已损坏或不完整（压缩数据无法读取），未作任何修改。"
                           "请重新复制或让对方重新导出。") from None
    except (NotImplementedError, zipfile.LargeZipFile):
        raise PackageError(f"{where}使用了不支持的压缩方式，不是本程序导出的上报包。") from None
    except RecursionError:
        raise PackageError(f"{where}中的数据嵌套过深，不是本程序导出的上报包。") from None
    except MemoryError:
        raise PackageError(f"{where}过大，内存不足以读取。") from None
    except Exception as e:  # hostile input: whatever else breaks is still just a bad file
        log.warning("unreadable package %s", path, exc_info=True)
        raise PackageError(f"{where}无法读取（{type(e).__name__}），不是有效的上报包，未作任何修改。") from None


def _read(path: Path, limits: Limits, progress: Progress, cancel: CancelToken,
          where: str) -> RawPackage:
    if path.is_dir():
        raise PackageError(f"{where}是一个文件夹，请选择上报包文件。")
    size = path.stat().st_size
    if size == 0:
        raise PackageError(f"{where}是空文件，未作任何修改。")
    if size > limits.max_file_bytes:
        raise PackageError(f"{where}过大（{size // MiB} MB），超过上限 {limits.max_file_bytes // MiB} MB。")
    with open(path, "rb") as fh, zipfile.ZipFile(fh) as zf:
        infos = _check_listing(zf, limits, where)
        manifest_bytes = _read_entry(zf, infos[MANIFEST], limits.max_manifest_bytes, where)
        manifest = _loads(manifest_bytes, f"{where}的条目“{MANIFEST}”")
        _check_manifest(manifest, where)
        entries = manifest["entries"]
        listed = set(infos) - {MANIFEST}
        if set(entries) != listed:
            extra = sorted(listed - set(entries))
            missing = sorted(set(entries) - listed)
            detail = f"多出条目“{extra[0]}”" if extra else f"缺少条目“{missing[0]}”"
            raise PackageError(f"{where}与其清单不符（{detail}），可能已损坏或被改动，未作任何修改。")
        contents: dict[str, bytes] = {}
        total = 0
        names = sorted(entries)
        for i, name in enumerate(names):
            cancel.check()
            progress(i, len(names), "正在校验上报包…")
            spec = entries[name]
            total += spec["size"]
            if total > limits.max_total_bytes:
                raise PackageError(f"{where}解压后过大（超过 {limits.max_total_bytes // MiB} MB），未作任何修改。")
            keep = not name.startswith("files/")
            data, digest, n = _stream(zf, infos[name], min(spec["size"], limits.max_entry_bytes),
                                      where, keep)
            if digest != spec["sha256"] or n != spec["size"]:
                raise PackageError(f"{where}的条目“{name}”校验和不符，文件已损坏或被改动，未作任何修改。")
            if keep:
                contents[name] = data
        progress(len(names), len(names), "上报包校验完成")
    tables = _parse_tables(manifest, contents, where)
    seen = _parse_seen(contents.get(SEEN), where)
    attachments = _parse_attachments(manifest, entries, where)
    return RawPackage(path, manifest, tables, seen, attachments, size)


def check_entry_name(name: str) -> str | None:
    """Why an entry name is unacceptable (None when it is fine)."""
    if not name or len(name) > 200:
        return "名称为空或过长"
    if any(ord(ch) < 32 or ch in '\\:*?"<>|' for ch in name):
        return "含有不允许的字符"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "是绝对路径"
    parts = name.split("/")
    if ".." in parts or "." in parts or "" in parts:
        return "含有“..”（指向包外的路径）"
    if not _ENTRY_NAME.match(name):
        return "不属于上报包的格式"
    return None


def _check_listing(zf: zipfile.ZipFile, limits: Limits, where: str) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise PackageError(f"{where}含有过多条目（{len(infos)}个，上限{limits.max_entries}个），未作任何修改。")
    out: dict[str, zipfile.ZipInfo] = {}
    declared = 0
    for info in infos:
        name = info.filename
        why = check_entry_name(name)
        if why:
            raise PackageError(f"{where}中的条目“{name[:80]}”{why}，已拒绝读取，未作任何修改。")
        if name in out:
            raise PackageError(f"{where}中的条目“{name}”重复出现，文件可能被改动，未作任何修改。")
        if info.flag_bits & 0x1:
            raise PackageError(f"{where}中的条目“{name}”已加密，不是本程序导出的上报包。")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(f"{where}中的条目“{name}”使用了不支持的压缩方式。")
        if info.file_size > limits.max_entry_bytes:
            raise PackageError(f"{where}中的条目“{name}”解压后过大，已拒绝读取，未作任何修改。")
        if info.file_size > MiB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise PackageError(f"{where}中的条目“{name}”压缩比异常（疑似压缩炸弹），已拒绝读取，未作任何修改。")
        declared += info.file_size
        if declared > limits.max_total_bytes:
            raise PackageError(f"{where}解压后过大（超过 {limits.max_total_bytes // MiB} MB），未作任何修改。")
        out[name] = info
    if MANIFEST not in out:
        raise PackageError(f"{where}中没有清单（{MANIFEST}），不是本程序导出的上报包，未作任何修改。")
    return out


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, where: str,
            keep: bool) -> tuple[bytes, str, int]:
    """Inflate one entry counting the bytes really produced (a header may lie)."""
    h, parts, n = hashlib.sha256(), [], 0
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            n += len(chunk)
            if n > limit:
                raise PackageError(f"{where}中的条目“{info.filename}”解压后超出应有大小（疑似压缩炸弹），"
                                   "已拒绝读取，未作任何修改。")
            h.update(chunk)
            if keep:
                parts.append(chunk)
    return b"".join(parts), h.hexdigest(), n


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, where: str) -> bytes:
    return _stream(zf, info, limit, where, True)[0]


def _reject_constant(name: str):
    raise ValueError(f"非法数值 {name}")


def _loads(data: bytes, place: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise PackageError(f"{place}不是UTF-8文本，文件已损坏。") from None
    except ValueError as e:
        raise PackageError(f"{place}不是有效的JSON（{str(e)[:80]}），文件已损坏。") from None


def _check_manifest(m: Any, where: str) -> None:
    if not isinstance(m, dict) or m.get("format") != FORMAT or m.get("app") != APP_ID:
        raise PackageError(f"{where}不是“街道党建工作台”导出的上报包（清单标识不符），未作任何修改。")
    fv = m.get("format_version")
    if not isinstance(fv, int) or isinstance(fv, bool):
        raise PackageError(f"{where}的清单缺少格式版本，文件已损坏。")
    if fv > FORMAT_VERSION:
        raise PackageError(f"{where}由更新版本的程序导出（格式版本{fv}，本程序支持到{FORMAT_VERSION}），"
                           "未作任何修改。请升级程序后再导入。")
    entries = m.get("entries")
    if not isinstance(entries, dict):
        raise PackageError(f"{where}的清单缺少条目校验和，文件已损坏。")
    for name, spec in entries.items():
        if (not isinstance(spec, dict) or not isinstance(spec.get("size"), int)
                or isinstance(spec.get("size"), bool) or spec["size"] < 0
                or not isinstance(spec.get("sha256"), str) or not _SHA256.match(spec["sha256"])):
            raise PackageError(f"{where}的清单中条目“{str(name)[:80]}”的校验信息无效，文件已损坏。")
        if name.startswith("files/") and name != f"files/{spec['sha256']}":
            raise PackageError(f"{where}的清单中附件“{name}”与其校验和不符，文件已损坏。")
    if not isinstance(m.get("tables"), list):
        raise PackageError(f"{where}的清单缺少数据表列表，文件已损坏。")
    for key in ("schema_version",):
        if not isinstance(m.get(key), int) or isinstance(m.get(key), bool):
            raise PackageError(f"{where}的清单缺少数据版本，文件已损坏。")
    for key in ("package_id", "created_at"):
        if not isinstance(m.get(key), str):
            raise PackageError(f"{where}的清单缺少“{key}”，文件已损坏。")
    src, org = m.get("source"), m.get("organization")
    if not isinstance(src, dict) or not isinstance(src.get("db_id"), str) or not _UUID.match(src["db_id"]):
        raise PackageError(f"{where}的清单缺少来源数据库标识，文件已损坏。")
    if not isinstance(org, dict) or not isinstance(org.get("uuid"), str) or \
            not isinstance(org.get("name"), str):
        raise PackageError(f"{where}的清单缺少所属组织，文件已损坏。")


def _parse_tables(m: dict, contents: dict[str, bytes], where: str) -> dict[str, TableData]:
    out: dict[str, TableData] = {}
    for info in m["tables"]:
        if not isinstance(info, dict) or not isinstance(info.get("name"), str):
            raise PackageError(f"{where}的清单中数据表信息无效，文件已损坏。")
        name = info["name"]
        file = f"data/{name}.json"
        if info.get("file") != file or file not in contents or name in out:
            raise PackageError(f"{where}的清单中数据表“{name[:40]}”与条目不符，文件已损坏。")
        place = f"{where}的条目“{file}”"
        doc = _loads(contents[file], place)
        if not isinstance(doc, dict) or doc.get("table") != name:
            raise PackageError(f"{place}内容无效，文件已损坏。")
        cols, rows, hashes = doc.get("columns"), doc.get("rows"), doc.get("hashes")
        if (not isinstance(cols, list) or not all(isinstance(c, str) for c in cols)
                or len(set(cols)) != len(cols) or not set(META_COLUMNS) <= set(cols)
                or cols != info.get("columns")):
            raise PackageError(f"{place}的字段列表无效，文件已损坏。")
        if not isinstance(rows, list) or not isinstance(hashes, list) or len(rows) != len(hashes) \
                or info.get("count") != len(rows):
            raise PackageError(f"{place}的记录数与清单不符，文件已损坏。")
        _check_rows(place, cols, rows, hashes)
        out[name] = TableData(name, cols, rows, hashes)
    if set(contents) - {SEEN} != {f"data/{n}.json" for n in out}:
        raise PackageError(f"{where}含有清单未列出的数据表，文件已损坏。")
    return out


_SCALARS = {str, int, bool, type(None)}


def _check_rows(place: str, cols: list[str], rows: list, hashes: list) -> None:
    """Shape, scalar values, unique well-formed uuids and each record's hash; whole
    columns at a time, then row by row only to name the first faulty record."""
    ncol = len(cols)
    shape_ok = set(map(type, rows)) <= {list} and set(map(len, rows)) <= {ncol}
    if shape_ok and rows:
        shape_ok = set(map(type, chain.from_iterable(rows))) <= _SCALARS
    ui = cols.index("uuid")
    uuids = [r[ui] for r in rows] if shape_ok else []
    ids_ok = shape_ok and all(map(is_uuid, uuids)) and len(set(uuids)) == len(uuids)
    hasher = row_hasher(cols)
    if ids_ok and set(map(type, hashes)) <= {str} and list(map(hasher, rows)) == hashes:
        return
    seen_uuids: set[str] = set()
    for n, (row, h) in enumerate(zip(rows, hashes), start=1):
        if not isinstance(row, list) or len(row) != ncol:
            raise PackageError(f"{place}的第{n}条记录字段数不符，文件已损坏。")
        if any(type(v) not in _SCALARS for v in row):
            raise PackageError(f"{place}的第{n}条记录含有无效的值，文件已损坏。")
        u = row[ui]
        if not is_uuid(u) or u in seen_uuids:
            raise PackageError(f"{place}的第{n}条记录标识无效或重复，文件已损坏。")
        seen_uuids.add(u)
        if not isinstance(h, str) or hasher(row) != h:
            raise PackageError(f"{place}的第{n}条记录内容与其校验值不符，文件已损坏或被改动。")
    raise PackageError(f"{place}的记录无效，文件已损坏。")  # pragma: no cover


def _parse_seen(data: bytes | None, where: str) -> dict[str, dict[str, str]]:
    if data is None:
        raise PackageError(f"{where}缺少同步记录（{SEEN}），文件已损坏。")
    seen = _loads(data, f"{where}的条目“{SEEN}”")
    ok = isinstance(seen, dict) and all(
        isinstance(peer, str) and _UUID.match(peer) and isinstance(m, dict)
        and all(isinstance(u, str) and isinstance(h, str) and _HASH.match(h) for u, h in m.items())
        for peer, m in seen.items())
    if not ok:
        raise PackageError(f"{where}的同步记录无效，文件已损坏。")
    return seen


def _parse_attachments(m: dict, entries: dict, where: str) -> dict[str, str]:
    files = m.get("attachments", {})
    if not isinstance(files, dict):
        raise PackageError(f"{where}的清单中附件列表无效，文件已损坏。")
    for rel, digest in files.items():
        if not isinstance(digest, str) or f"files/{digest}" not in entries or check_relative_path(rel):
            raise PackageError(f"{where}的清单中附件“{str(rel)[:80]}”无效或不安全，未作任何修改。")
    return dict(files)


def check_relative_path(rel: Any) -> str | None:
    """Why `rel` is not a safe path below a folder (None when it is)."""
    if not isinstance(rel, str) or not rel or len(rel) > 260:
        return "路径为空或过长"
    if any(ord(ch) < 32 or ch in ':*?"<>|' for ch in rel) or "\\" in rel:
        return "含有不允许的字符"
    if rel.startswith("/") or ".." in rel.split("/") or "." in rel.split("/") or "" in rel.split("/"):
        return "不是包内的相对路径"
    return None


def extract_attachment(path: Path | str, digest: str, target: Path,
                       limits: Limits = Limits()) -> None:
    """Copy the attachment with this SHA-256 to `target` (atomically), verifying it again."""
    path = Path(path)
    where = f"上报包文件“{path.name}”"
    name = f"files/{digest}"
    try:
        with open(path, "rb") as fh, zipfile.ZipFile(fh) as zf:
            info = zf.getinfo(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            h, n = hashlib.sha256(), 0
            with atomic_write(target) as tmp, zf.open(info) as src, open(tmp, "wb") as out:
                while chunk := src.read(_CHUNK):
                    n += len(chunk)
                    if n > limits.max_entry_bytes:
                        raise PackageError(f"{where}中的附件“{name}”过大，已拒绝。")
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                if h.hexdigest() != digest:
                    raise PackageError(f"{where}中的附件“{name}”校验和不符，文件已被改动。")
    except PackageError:
        raise
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise PackageError(f"{where}中的附件“{name}”无法读取（{type(e).__name__}），"
                           "请确认上报包在导入过程中未被移动或修改。") from None


def fresh_package_name(org_name: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", org_name).strip("_") or "上报包"
    return f"{safe}-上报包-{when:%Y%m%d-%H%M}{SUFFIX}"

