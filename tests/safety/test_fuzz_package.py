"""Fuzzing the exchange-package reader (issue #8): random bytes, damaged packages, hostile
zips (path traversal, bombs, floods) and hostile JSON behind valid checksums.

Every case must end either in a verified package or in a PackageError/DomainError with a
Chinese message, and must write nothing: neither beside the package nor in the database.
Bounded by max_examples; each test prints how many cases it ran.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.errors import DomainError
from desktop.exports import package_format as fmt
from desktop.exports.package_format import Limits, PackageError

SETTINGS = dict(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SMALL = Limits(max_entries=50, max_entry_bytes=256 * 1024, max_total_bytes=512 * 1024,
               max_manifest_bytes=64 * 1024)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A street database with a few members, and a real package exported from it."""
    from desktop.domain.organization import BranchKind, OrgKind, Organization
    from desktop.services.exchange import ExchangeService
    from desktop.services.workspace import open_workspace
    from tests.conftest import make_member

    root = tmp_path_factory.mktemp("fuzz")
    src = open_workspace(root / "src.sqlite3")
    s = src.orgs.create(Organization("长青街道党工委", OrgKind.STREET))
    c = src.orgs.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id))
    b = src.orgs.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c.id,
                                     branch_kind=BranchKind.GRID))
    for i, name in enumerate(("张三", "李四", "王五")):
        src.roster.add(make_member(b.id, name, i + 1, birth=date(1970 + i, 3, 3)))
    package = root / "good.djpkg"
    ExchangeService(src.db).export_package(s.id, package)
    src.close()
    target = open_workspace(root / "target.sqlite3")
    yield {"package": package, "target": target, "service": ExchangeService(target.db)}
    target.close()


def snapshot(folder: Path) -> dict:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def db_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


class Runner:
    """Reads one candidate file and checks the outcome; counts the cases."""

    def __init__(self, folder: Path, world=None, limits: Limits = SMALL):
        self.folder, self.world, self.limits = folder, world, limits
        self.cases = self.refused = 0

    def check(self, data: bytes) -> None:
        self.cases += 1
        path = self.folder / "candidate.djpkg"
        path.write_bytes(data)
        before = snapshot(self.folder)
        db = self.world["target"].path if self.world else None
        digest = db_digest(db) if db else None
        try:
            if self.world:
                x = self.world["service"]
                x.plan_merge(x.read_package(path, limits=self.limits))
            else:
                fmt.read_package(path, self.limits)
        except DomainError as e:  # PackageError, or Conflict from the plan
            self.refused += 1
            assert CHINESE.search(str(e)), str(e)
            if isinstance(e, PackageError):
                assert "上报包" in str(e), str(e)
        assert snapshot(self.folder) == before, "the reader wrote a file"
        assert not (self.folder.parent / "evil.txt").exists()
        if db:
            assert db_digest(db) == digest, "the database changed"

    def report(self, capsys, name: str) -> None:
        with capsys.disabled():
            print(f"\n[fuzz] {name}: {self.cases} cases ran, {self.refused} refused with a Chinese message")
        assert self.cases > 0


def zip_bytes(entries: list[tuple[str, bytes, int]]) -> bytes:
    import io
    import warnings

    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are part of the attack
        for name, data, method in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            zf.writestr(info, data)
    return buf.getvalue()


def test_random_bytes(tmp_path, capsys):
    runner = Runner(tmp_path)

    @settings(max_examples=300, **SETTINGS)
    @given(st.one_of(st.binary(max_size=2048),
                     st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
                     st.binary(max_size=2048).map(lambda b: b + b"PK\x05\x06" + bytes(18))))
    def run(data):
        runner.check(data)
        assert runner.refused == runner.cases  # random bytes are never a package

    run()
    runner.report(capsys, "random bytes")


def test_damaged_real_package(world, tmp_path, capsys):
    good = world["package"].read_bytes()
    runner = Runner(tmp_path, world)

    mutation = st.one_of(
        st.tuples(st.just("flip"), st.lists(st.tuples(st.integers(0, len(good) - 1),
                                                       st.integers(1, 255)), min_size=1, max_size=8)),
        st.tuples(st.just("truncate"), st.integers(0, len(good) - 1)),
        st.tuples(st.just("insert"), st.tuples(st.integers(0, len(good)), st.binary(min_size=1, max_size=64))),
        st.tuples(st.just("cut"), st.tuples(st.integers(0, len(good) - 1), st.integers(1, 512))),
    )

    @settings(max_examples=400, **SETTINGS)
    @given(mutation)
    def run(m):
        kind, arg = m
        data = bytearray(good)
        if kind == "flip":
            for pos, x in arg:
                data[pos] ^= x
        elif kind == "truncate":
            data = data[:arg]
        elif kind == "insert":
            pos, extra = arg
            data[pos:pos] = extra
        else:
            pos, n = arg
            del data[pos:pos + n]
        runner.check(bytes(data))

    run()
    runner.report(capsys, "damaged real package")


NAMES = st.one_of(
    st.sampled_from(["manifest.json", "sync/seen.json", "data/organization.json", "data/member.json",
                     "../evil.txt", "../../evil.txt", "/tmp/evil.txt", "C:\\evil.txt", "..\\evil.txt",
                     "data/../../evil.txt", "files/" + "a" * 64, "files/../evil.txt", "data/",
                     "./manifest.json", "数据/组织.json", "manifest.json\x00.txt"]),
    st.text(min_size=0, max_size=40),
)
CONTENT = st.one_of(
    st.binary(max_size=512),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                 max_leaves=20).map(lambda v: json.dumps(v).encode()),
    st.integers(300_000, 2_000_000).map(lambda n: b"\0" * n),  # bombs against SMALL limits
)


def test_hostile_zips(tmp_path, capsys):
    runner = Runner(tmp_path)

    @settings(max_examples=300, **SETTINGS)
    @given(st.lists(st.tuples(NAMES, CONTENT, st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])),
                    max_size=6),
           st.booleans())
    def run(entries, with_manifest):
        if with_manifest:  # a manifest whose checksums match, so reading goes deeper
            listed = {n: {"size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                      for n, d, _ in entries if n != "manifest.json"}
            m = {"format": fmt.FORMAT, "format_version": 1, "app": "dangjian", "schema_version": 1,
                 "package_id": "x", "created_at": "2026-01-01",
                 "source": {"db_id": "33333333-3333-4333-8333-333333333333"},
                 "organization": {"uuid": "11111111-1111-4111-8111-111111111111", "name": "x"},
                 "tables": [], "entries": listed}
            entries = [e for e in entries if e[0] != "manifest.json"]
            entries.append(("manifest.json", json.dumps(m).encode(), zipfile.ZIP_DEFLATED))
        try:
            data = zip_bytes(entries)
        except (ValueError, UnicodeEncodeError):  # names zipfile itself will not write
            return
        runner.check(data)

    run()
    runner.report(capsys, "hostile zips")


JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70), st.text(max_size=30),
                       st.sampled_from(["2026-01-01", "2026-13-45", "2026-01-01T00:00:00+08:00",
                                        "11111111-1111-4111-8111-111111111111", "正式党员", "x" * 5000]),
                       st.floats(allow_nan=False), st.lists(st.integers(), max_size=2))


def test_hostile_json_behind_valid_checksums(world, tmp_path, capsys):
    """A package whose every checksum is right but whose records are nonsense: the
    service must refuse it (or plan it) without writing anything."""
    from desktop.storage import exchange_tables as xt

    runner = Runner(tmp_path, world)
    tables = [(et.name, [s.name for s in xt.columns(et)]) for et in xt.registry()]
    org_uuid = "11111111-1111-4111-8111-111111111111"

    @settings(max_examples=300, **SETTINGS)
    @given(st.sampled_from(tables), st.data())
    def run(table, data):
        name, cols = table
        n = data.draw(st.integers(0, 3))
        rows = [[data.draw(JSON_VALUE) for _ in cols] for _ in range(n)]
        for r in rows:  # mostly well-formed identities, so the checks go deeper
            if data.draw(st.booleans()):
                r[0] = f"{data.draw(st.integers(0, 99999999)):08d}-1111-4111-8111-111111111111"
                r[1] = r[2] = "2026-01-01T00:00:00"
        hashes = [fmt.row_hash(cols, r) if all(isinstance(v, (str, int, type(None))) for v in r) else "x"
                  for r in rows]
        if data.draw(st.booleans()):
            cols = data.draw(st.permutations(cols))
        org_row = [org_uuid, "2026-01-01T00:00:00", "2026-01-01T00:00:00", "幸福社区党委", "社区党委",
                   None, None, None, None, None, "", "", None, 0]
        ocols = tables[0][1]
        docs = {"organization": {"table": "organization", "columns": ocols, "rows": [org_row],
                                 "hashes": [fmt.row_hash(ocols, org_row)]}}
        if name != "organization" or data.draw(st.booleans()):
            docs[name] = {"table": name, "columns": cols, "rows": rows, "hashes": hashes}
        files = {f"data/{k}.json": json.dumps(v, ensure_ascii=False).encode() for k, v in docs.items()}
        files["sync/seen.json"] = json.dumps(data.draw(st.sampled_from(
            [{}, {"bad": 1}, {"33333333-3333-4333-8333-333333333333": {"u": "0123456789abcdef"}}]))).encode()
        m = {"format": fmt.FORMAT, "format_version": 1, "app": "dangjian",
             "schema_version": data.draw(st.sampled_from([1, 2, 99, -1])),
             "package_id": "p", "created_at": "2026-01-01T00:00:00+00:00",
             "source": {"db_id": "44444444-4444-4444-8444-444444444444", "file": "x"},
             "organization": {"uuid": org_uuid, "name": "幸福社区党委"},
             "context": data.draw(st.sampled_from([{}, {"organization": []}, {"organization": 5}])),
             "tables": [{"name": k, "file": f"data/{k}.json", "count": len(v["rows"]),
                         "columns": v["columns"]} for k, v in docs.items()],
             "entries": {k: {"size": len(v), "sha256": hashlib.sha256(v).hexdigest()}
                         for k, v in files.items()}}
        files["manifest.json"] = json.dumps(m, ensure_ascii=False).encode()
        runner.check(zip_bytes([(k, v, zipfile.ZIP_DEFLATED) for k, v in files.items()]))

    run()
    runner.report(capsys, "hostile JSON behind valid checksums")
