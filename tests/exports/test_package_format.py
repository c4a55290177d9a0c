"""The exchange package file: written atomically, read as hostile input."""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from desktop.domain.tasks import CancelToken, Cancelled
from desktop.exports import package_format as fmt
from desktop.exports.package_format import Limits, PackageError, TableData

U1 = "11111111-1111-4111-8111-111111111111"
U2 = "22222222-2222-4222-8222-222222222222"
DB = "33333333-3333-4333-8333-333333333333"
COLS = ["uuid", "created_at", "modified_at", "name", "parent_id"]


def table(rows=None) -> TableData:
    rows = rows or [[U1, "2026-01-01T00:00:00", "2026-01-01T00:00:00", "长青街道党工委", None],
                    [U2, "2026-01-01T00:00:00", "2026-01-02T00:00:00", "幸福社区党委", U1]]
    return TableData("organization", COLS, rows, [fmt.row_hash(COLS, r) for r in rows])


def manifest() -> dict:
    return {"package_id": "p1", "created_at": "2026-01-01T00:00:00+00:00", "schema_version": 2,
            "source": {"db_id": DB, "file": "a.sqlite3"},
            "organization": {"uuid": U2, "name": "幸福社区党委", "kind": "社区党委"}}


@pytest.fixture
def good(tmp_path) -> Path:
    path = tmp_path / "good.djpkg"
    fmt.write_package(path, manifest(), [table()], {DB: {U1: "0123456789abcdef"}})
    return path


def test_round_trip(good):
    raw = fmt.read_package(good)
    assert raw.manifest["format"] == fmt.FORMAT and raw.manifest["organization"]["name"] == "幸福社区党委"
    t = raw.tables["organization"]
    assert t.columns == COLS and len(t.rows) == 2 and t.rows[1][3] == "幸福社区党委"
    assert raw.seen == {DB: {U1: "0123456789abcdef"}}
    entries = raw.manifest["entries"]
    assert set(entries) == {"data/organization.json", "sync/seen.json"}
    with zipfile.ZipFile(good) as zf:
        data = zf.read("data/organization.json")
    assert entries["data/organization.json"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_hash_ignores_meta_columns():
    a = [U1, "2026-01-01T00:00:00", "2026-01-01T00:00:00", "x", None]
    b = [U2, "2020-01-01T00:00:00", "2021-01-01T00:00:00", "x", None]
    assert fmt.row_hash(COLS, a) == fmt.row_hash(COLS, b)
    assert fmt.row_hash(COLS, a) != fmt.row_hash(COLS, a[:3] + ["y", None])


def test_cancelled_write_leaves_nothing(tmp_path):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        fmt.write_package(tmp_path / "x.djpkg", manifest(), [table()], {}, cancel=token)
    assert list(tmp_path.iterdir()) == []


def _zip(path: Path, entries: dict[str, bytes], manifest_entries: dict | None = None,
         with_manifest: bool = True) -> Path:
    """A zip holding `entries` and a manifest whose checksums match them."""
    m = manifest() | {"format": fmt.FORMAT, "format_version": 1, "app": "dangjian", "tables": [],
                      "entries": manifest_entries if manifest_entries is not None else {
                          n: {"size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                          for n, d in entries.items()}}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        if with_manifest:
            zf.writestr("manifest.json", json.dumps(m))
    return path


@pytest.mark.parametrize("name, why", [
    ("../evil.txt", "“..”"),
    ("data/../../evil.json", "“..”"),
    ("/etc/passwd", "绝对路径"),
    ("C:/Windows/evil.dll", "不允许的字符"),
    ("data\\..\\evil.json", "不允许的字符"),
    ("files/not-a-hash", "不属于上报包"),
    ("data/evil.exe", "不属于上报包"),
    ("data/", "“..”"),
])
def test_path_traversal_and_foreign_names_are_refused(tmp_path, name, why):
    bad = _zip(tmp_path / "bad.djpkg", {name: b"x"})
    with pytest.raises(PackageError) as e:
        fmt.read_package(bad)
    assert why in str(e.value) and "未作任何修改" in str(e.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.djpkg"]
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_by_ratio(tmp_path):
    bomb = _zip(tmp_path / "bomb.djpkg", {"files/" + "0" * 64: b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(PackageError, match="压缩炸弹"):
        fmt.read_package(bomb)


def test_zip_bomb_over_the_size_limit(tmp_path):
    import random

    noise = random.Random(7).randbytes(3 * 1024 * 1024)  # not compressible: no ratio alarm
    big = _zip(tmp_path / "big.djpkg", {"files/" + "0" * 64: noise})
    with pytest.raises(PackageError, match="过大"):
        fmt.read_package(big, Limits(max_entry_bytes=1024 * 1024))
    with pytest.raises(PackageError, match="过大"):
        fmt.read_package(big, Limits(max_total_bytes=1024 * 1024))


def test_entry_larger_than_its_manifest_says_is_stopped(tmp_path):
    data = bytes(range(256)) * 4096  # 1 MiB, incompressible enough
    name = "files/" + hashlib.sha256(data).hexdigest()
    liar = _zip(tmp_path / "liar.djpkg", {name: data},
                {name: {"size": 10, "sha256": hashlib.sha256(data).hexdigest()}})
    with pytest.raises(PackageError, match="超出应有大小"):
        fmt.read_package(liar)


def test_too_many_entries(tmp_path):
    entries = {f"files/{i:064x}": b"" for i in range(30)}
    with pytest.raises(PackageError, match="过多条目"):
        fmt.read_package(_zip(tmp_path / "many.djpkg", entries), Limits(max_entries=20))


def test_duplicate_entry(tmp_path, good):
    dup = tmp_path / "dup.djpkg"
    dup.write_bytes(good.read_bytes())
    with pytest.warns(UserWarning), zipfile.ZipFile(dup, "a") as zf:
        zf.writestr("sync/seen.json", b"{}")
    with pytest.raises(PackageError, match="重复"):
        fmt.read_package(dup)


def test_entry_not_in_manifest(tmp_path, good):
    extra = tmp_path / "extra.djpkg"
    extra.write_bytes(good.read_bytes())
    with zipfile.ZipFile(extra, "a") as zf:
        zf.writestr("files/" + "a" * 64, b"x")
    with pytest.raises(PackageError, match="多出条目"):
        fmt.read_package(extra)


@pytest.mark.parametrize("content, message", [
    (b"", "空文件"),
    (b"PK\x03\x04garbage", "已损坏或不完整"),
    ("这不是压缩文件".encode(), "已损坏或不完整"),
])
def test_not_a_package(tmp_path, content, message):
    p = tmp_path / "x.djpkg"
    p.write_bytes(content)
    with pytest.raises(PackageError, match=message):
        fmt.read_package(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(PackageError, match="不存在"):
        fmt.read_package(tmp_path / "none.djpkg")
    with pytest.raises(PackageError, match="文件夹"):
        fmt.read_package(tmp_path)


def test_no_manifest(tmp_path):
    with pytest.raises(PackageError, match="没有清单"):
        fmt.read_package(_zip(tmp_path / "m.djpkg", {"sync/seen.json": b"{}"}, with_manifest=False))


def test_foreign_manifest_and_deep_json(tmp_path):
    p = tmp_path / "f.djpkg"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "other"}))
    with pytest.raises(PackageError, match="不是“街道党建工作台”导出的上报包"):
        fmt.read_package(p)
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("manifest.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(PackageError):
        fmt.read_package(p)


def test_encrypted_entry(tmp_path):
    p = tmp_path / "enc.djpkg"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("manifest.json", b"{}")
    data = bytearray(p.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the "encrypted" flag
        at = data.index(sig) + offset
        data[at] |= 0x1
    p.write_bytes(bytes(data))
    with pytest.raises(PackageError, match="加密"):
        fmt.read_package(p)


def test_rows_are_checked_against_their_hashes(tmp_path):
    t = table()
    t.hashes[0] = "0" * 16
    p = tmp_path / "h.djpkg"
    fmt.write_package(p, manifest(), [t], {})
    with pytest.raises(PackageError, match="第1条记录内容与其校验值不符"):
        fmt.read_package(p)


def test_attachments_round_trip(tmp_path):
    src = tmp_path / "scan.pdf"
    src.write_bytes(b"%PDF-1.4 fake")
    p = tmp_path / "a.djpkg"
    fmt.write_package(p, manifest(), [table()], {}, {"meetings/2026/scan.pdf": src})
    raw = fmt.read_package(p)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    assert raw.attachments == {"meetings/2026/scan.pdf": digest}
    out = tmp_path / "out" / "scan.pdf"
    fmt.extract_attachment(p, digest, out)
    assert out.read_bytes() == src.read_bytes()


@pytest.mark.parametrize("rel", ["../x", "/abs", "a/../../b", "a\\b", "", "a//b"])
def test_unsafe_attachment_paths(rel):
    assert fmt.check_relative_path(rel)


def test_package_name():
    from datetime import datetime

    assert fmt.fresh_package_name("幸福/社区 党委", datetime(2026, 5, 1, 9, 30)) == \
        "幸福_社区_党委-上报包-20260501-0930.djpkg"
