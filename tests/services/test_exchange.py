"""Exchange packages between three real databases: a street and two communities.

The street creates itself and its communities, sends each community a package down,
the communities add their branches and members and send packages up.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.domain.errors import Conflict, DomainError
from desktop.domain.idcard import make_id_number
from desktop.domain.exchange import ConflictKind, Decision, Resolution
from desktop.domain.organization import (BranchKind, CommitteeRole, CommitteeSeat, OrgKind,
                                         Organization)
from desktop.domain.tasks import CancelToken, Cancelled
from desktop.exports.package_format import PackageError
from desktop.services.exchange import ExchangeService
from desktop.services.workspace import open_workspace
from desktop.storage import exchange_tables as xt
from tests.conftest import make_member

MEMBERS_PER_BRANCH = 6


# --- a world of three databases ---------------------------------------------------------

class World:
    def __init__(self, root: Path):
        self.root = root
        self.open: list = []
        self.street = self.ws("street")
        o = self.street.orgs
        self.street_org = o.create(Organization("长青街道党工委", OrgKind.STREET))
        self.c1 = o.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=self.street_org.id))
        self.c2 = o.create(Organization("和平社区党委", OrgKind.COMMUNITY, parent_id=self.street_org.id))
        self.comm = {}
        for key, org, region in (("c1", self.c1, "110105"), ("c2", self.c2, "320102")):
            ws = self.ws(key)
            self.transfer(self.street, org.id, ws, f"down-{key}")
            comm = ws.orgs.find(org.name)
            short = org.name[:2]
            b1 = ws.orgs.create(Organization(f"{short}第一网格党支部", OrgKind.BRANCH, parent_id=comm.id,
                                             branch_kind=BranchKind.GRID))
            b2 = ws.orgs.create(Organization(f"{short}离退休党支部", OrgKind.BRANCH, parent_id=comm.id,
                                             branch_kind=BranchKind.COURTYARD))
            ids = []
            for bi, branch in enumerate((b1, b2)):
                for i in range(MEMBERS_PER_BRANCH):
                    seq = bi * 50 + i
                    birth = date(1970 + i, 1 + bi, 5)
                    ids.append(ws.roster.add(make_member(
                        branch.id, f"{short}{'甲乙'[bi]}{'一二三四五六'[i]}", seq, birth=birth,
                        id_number=make_id_number(region, birth, seq, "男"))))
            ws.orgs.set_committee(b1.id, [CommitteeSeat(ids[0], CommitteeRole.SECRETARY),
                                          CommitteeSeat(ids[1], CommitteeRole.ORGANIZATION)])
            self.comm[key] = {"ws": ws, "org": comm, "b1": b1, "b2": b2, "members": ids}
        for key in ("c1", "c2"):
            self.send_up(key)

    def ws(self, name: str):
        w = open_workspace(self.root / f"{name}.sqlite3")
        self.open.append(w)
        return w

    def close(self):
        for w in self.open:
            w.close()

    def export(self, ws, org_id: int, name: str) -> Path:
        path = self.root / f"{name}.djpkg"
        ExchangeService(ws.db).export_package(org_id, path)
        return path

    def plan(self, ws, path: Path):
        x = ExchangeService(ws.db)
        return x, x.plan_merge(x.read_package(path))

    def transfer(self, src, org_id: int, dst, name: str, **kw):
        path = self.export(src, org_id, name)
        x, plan = self.plan(dst, path)
        result = x.apply_merge(plan, **kw)
        return plan, result

    def send_up(self, key: str, name: str | None = None, **kw):
        c = self.comm[key]
        return self.transfer(c["ws"], c["org"].id, self.street, name or f"up-{key}", **kw)

    def send_down(self, key: str, name: str | None = None, **kw):
        c = self.comm[key]
        org = self.street.orgs.find(c["org"].name)
        return self.transfer(self.street, org.id, c["ws"], name or f"down2-{key}", **kw)


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


def member_by_name(ws, name: str):
    from desktop.domain.roster_view import RosterFilter

    for mid in ws.roster.ordered_ids(RosterFilter()):
        m = ws.roster.get(mid)
        if m.name == name:
            return m
    raise AssertionError(f"no member {name}")


def counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {et.name: con.execute(f"SELECT count(*) FROM {et.name}").fetchone()[0]
                for et in xt.registry()}
    finally:
        con.close()


def dump(path: Path) -> str:
    """The database's content, independent of WAL checkpoints."""
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


# --- the merge ---------------------------------------------------------------------------

def test_two_communities_merge_into_the_street(world):
    street = world.root / "street.sqlite3"
    n = counts(street)
    per_comm = 2 * MEMBERS_PER_BRANCH
    assert n["organization"] == 1 + 2 + 4
    assert n["member"] == 2 * per_comm
    assert n["member_event"] == 2 * per_comm  # one 入党 each
    assert n["committee_seat"] == 4
    # the tree is whole: each community's branches hang under the street's own community
    tree = {r.name: r for r in world.street.orgs.tree()}
    (root,) = tree.values()
    assert root.name == "长青街道党工委" and root.total_members == 2 * per_comm
    assert sorted(c.name for c in root.children) == ["和平社区党委", "幸福社区党委"]
    assert all(c.total_members == per_comm for c in root.children)
    m = member_by_name(world.street, "幸福甲一")
    assert world.street.orgs.get(m.org_id).name == "幸福第一网格党支部"
    assert world.street.orgs.secretaries()[m.org_id] == "幸福甲一"
    # records keep their identity: the same uuid in both databases
    assert m.uuid == member_by_name(world.comm["c1"]["ws"], "幸福甲一").uuid


def test_reimport_changes_nothing(world):
    street = world.root / "street.sqlite3"
    path = world.root / "up-c1.djpkg"
    before = dump(street)
    x, plan = world.plan(world.street, path)
    assert plan.already_imported
    assert not plan.has_changes and not plan.conflicts and not plan.blocked
    assert plan.unchanged == sum(plan.package.counts.values())
    result = x.apply_merge(plan)
    assert result.applied == 0
    assert "未作修改" in result.describe()
    assert dump(street) == before
    peers = x.peers()
    assert sorted(p["label"] for p in peers.values()) == ["和平社区党委", "幸福社区党委"]
    assert all(len(p["packages"]) == 1 for p in peers.values())


def test_a_merge_that_writes_takes_a_backup_first_and_a_no_op_does_not(world):
    def exchange_copies():
        return [b for b in world.street.backups.list() if b.reason == "导入上报包前"]

    assert len(exchange_copies()) == 2  # each community's first package wrote
    x, plan = world.plan(world.street, world.root / "up-c1.djpkg")
    x.apply_merge(plan)
    assert len(exchange_copies()) == 2


def test_street_sends_a_correction_down_without_conflict(world):
    s = world.street
    m = member_by_name(s, "幸福甲二")
    m.phone = "010-88886666"
    s.roster.update(m)
    plan, result = world.send_down("c1")
    assert [i.title for i in plan.changed] == ["幸福甲二"]
    assert plan.changed[0].fields == ["固定电话"]
    assert not plan.conflicts
    c1 = world.comm["c1"]["ws"]
    assert member_by_name(c1, "幸福甲二").phone == "010-88886666"
    # and back up: the street sees nothing new
    plan, _ = world.send_up("c1", "up-c1-again")
    assert not plan.has_changes and not plan.conflicts


def test_edit_on_both_sides_is_a_conflict_and_not_overwritten(world):
    s, c1 = world.street, world.comm["c1"]["ws"]
    m = member_by_name(s, "幸福甲三")
    m.mobile = "13911112222"
    s.roster.update(m)
    mc = member_by_name(c1, "幸福甲三")
    mc.address = "幸福路1号"
    c1.roster.update(mc)
    path = world.export(c1, world.comm["c1"]["org"].id, "up-conflict")
    x, plan = world.plan(s, path)
    (item,) = plan.conflicts
    assert item.title == "幸福甲三" and item.conflict is ConflictKind.BOTH_CHANGED
    assert set(item.fields) == {"手机号码", "家庭住址"}
    assert item.resolvable
    result = x.apply_merge(plan)
    assert result.conflicts_left == 1
    kept = member_by_name(s, "幸福甲三")
    assert (kept.mobile, kept.address) == ("13911112222", m.address)
    # reported again next time, still not applied
    x, plan = world.plan(s, path)
    assert [i.title for i in plan.conflicts] == ["幸福甲三"]
    # the clerk decides: 以上报包为准
    x.apply_merge(plan, {item.key: Resolution.TAKE_PACKAGE})
    taken = member_by_name(s, "幸福甲三")
    assert (taken.mobile, taken.address) == (mc.mobile, "幸福路1号")
    x, plan = world.plan(s, path)
    assert not plan.conflicts and not plan.has_changes


def test_keep_local_is_remembered(world):
    s, c1 = world.street, world.comm["c1"]["ws"]
    for ws, phone in ((s, "1"), (c1, "2")):
        m = member_by_name(ws, "幸福甲四")
        m.phone = phone
        ws.roster.update(m)
    path = world.export(c1, world.comm["c1"]["org"].id, "up-keep")
    x, plan = world.plan(s, path)
    x.apply_merge(plan, take_all=Resolution.KEEP_LOCAL)
    x, plan = world.plan(s, path)
    assert not plan.conflicts
    assert member_by_name(s, "幸福甲四").phone == "1"


def test_an_old_package_does_not_undo_newer_changes(world):
    s = world.street
    old = world.root / "up-c1.djpkg"
    m = member_by_name(s, "幸福甲五")
    m.remarks = "街道核实"
    s.roster.update(m)
    x, plan = world.plan(s, old)
    assert not plan.conflicts and not plan.has_changes
    assert [i.decision for i in plan.items] == [Decision.LOCAL_NEWER]
    x.apply_merge(plan)
    assert member_by_name(s, "幸福甲五").remarks == "街道核实"


def test_member_moved_between_communities_shows_as_transfer(world):
    s, c1 = world.street, world.comm["c1"]["ws"]
    m = member_by_name(s, "幸福甲六")
    m.org_id = s.orgs.find("和平第一网格党支部").id
    s.roster.update(m)
    mc = member_by_name(c1, "幸福甲六")
    mc.mobile = "13700000000"
    c1.roster.update(mc)
    path = world.export(c1, world.comm["c1"]["org"].id, "up-moved")
    x, plan = world.plan(s, path)
    (moved,) = plan.moved
    assert moved.title == "幸福甲六"
    assert moved.moved_from == "和平第一网格党支部" and moved.moved_to == "幸福第一网格党支部"
    assert moved.decision is Decision.CONFLICT
    assert "调动" in moved.describe()
    x.apply_merge(plan)
    assert s.orgs.get(member_by_name(s, "幸福甲六").org_id).name == "和平第一网格党支部"


def test_move_within_a_community_is_applied_and_shown(world):
    c = world.comm["c1"]
    ws = c["ws"]
    m = member_by_name(ws, "幸福乙一")
    m.org_id = c["b1"].id
    ws.roster.update(m)  # also records a 组织内调动 event
    plan, result = world.send_up("c1", "up-inner-move")
    (moved,) = plan.moved
    assert moved.decision is Decision.CHANGED
    assert (moved.moved_from, moved.moved_to) == ("幸福离退休党支部", "幸福第一网格党支部")
    assert [i.table for i in plan.new] == ["member_event"]
    s_member = member_by_name(world.street, "幸福乙一")
    assert world.street.orgs.get(s_member.org_id).name == "幸福第一网格党支部"


def test_same_person_typed_in_two_communities(world):
    c1, c2 = world.comm["c1"], world.comm["c2"]
    twin = member_by_name(c1["ws"], "幸福甲一")
    dup = make_member(c2["b1"].id, "幸福甲一", 0, id_number=twin.id_number)
    c2["ws"].roster.add(dup)
    before = counts(world.root / "street.sqlite3")
    path = world.export(c2["ws"], c2["org"].id, "up-twin")
    x, plan = world.plan(world.street, path)
    (item,) = plan.conflicts
    assert item.conflict is ConflictKind.SAME_KEY and not item.resolvable
    assert "公民身份号码" in item.reason and "不同记录" in item.reason
    assert [b.table for b in plan.blocked] == ["member_event"]
    x.apply_merge(plan, take_all=Resolution.TAKE_PACKAGE)
    assert counts(world.root / "street.sqlite3") == before


def test_replaced_committee_travels_with_removals(world):
    c = world.comm["c1"]
    ws, ids = c["ws"], c["members"]
    ws.orgs.set_committee(c["b1"].id, [CommitteeSeat(ids[2], CommitteeRole.SECRETARY)])
    plan, _ = world.send_up("c1", "up-committee")
    assert len(plan.changed) == 2 and len(plan.new) == 1  # the old seats end, kept as history
    b1 = world.street.orgs.find("幸福第一网格党支部")
    assert [s.member_name for s in world.street.orgs.committee(b1.id)] == ["幸福甲三"]
    before = date.today() - timedelta(days=1)
    assert [s.member_name for s in world.street.orgs.committee(b1.id, on=before)] == ["幸福甲一", "幸福甲二"]
    # and down again: nothing to do
    plan, _ = world.send_down("c1")
    assert not plan.has_changes and not plan.conflicts
    # the street replaces it; the community follows
    world.street.orgs.set_committee(b1.id, [CommitteeSeat(member_by_name(world.street, "幸福甲四").id,
                                                          CommitteeRole.SECRETARY)])
    plan, _ = world.send_down("c1", "down-committee")
    assert len(plan.removed) == 1 and len(plan.new) == 1 and not plan.conflicts
    assert [s.member_name for s in ws.orgs.committee(c["b1"].id)] == ["幸福甲四"]


def test_whole_street_into_an_empty_database(world, tmp_path):
    path = world.export(world.street, world.street_org.id, "all")
    copy = open_workspace(tmp_path / "copy.sqlite3")
    try:
        x = ExchangeService(copy.db)
        x.apply_merge(x.plan_merge(x.read_package(path)))
        assert counts(tmp_path / "copy.sqlite3") == counts(world.root / "street.sqlite3")
    finally:
        copy.close()


# --- refusals: nothing is written ---------------------------------------------------------

def _damaged(src: Path, dst: Path, how: str) -> Path:
    data = bytearray(src.read_bytes())
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "flipped":  # inside the members' compressed data (a header byte may be inert)
        with zipfile.ZipFile(src) as z:
            info = z.getinfo("data/member.json")
        local_header = 30 + len(info.filename.encode()) + len(info.extra)
        data[info.header_offset + local_header + info.compress_size // 2] ^= 0x5A
    elif how == "tail":
        data = data[:-10]
    dst.write_bytes(bytes(data))
    return dst


@pytest.mark.parametrize("how", ["truncated", "flipped", "tail"])
def test_damaged_package_is_refused_and_nothing_written(world, how):
    c1 = world.comm["c1"]["ws"]
    m = member_by_name(c1, "幸福甲二")
    m.remarks = "新备注"
    c1.roster.update(m)
    good = world.export(c1, world.comm["c1"]["org"].id, "good")
    bad = _damaged(good, world.root / f"bad-{how}.djpkg", how)
    street = world.root / "street.sqlite3"
    before = file_digest(street)
    x = ExchangeService(world.street.db)
    with pytest.raises(PackageError) as e:
        x.read_package(bad)
    assert "上报包文件“bad-" in str(e.value) and "未作任何修改" in str(e.value)
    assert file_digest(street) == before


def _rewrite(src: Path, dst: Path, change) -> Path:
    """Copy a package, letting `change(name, bytes)` alter entries (checksums left as they were)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return dst


def _manifest_change(edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        m = json.loads(data)
        edit(m)
        return json.dumps(m, ensure_ascii=False).encode()
    return change


def test_package_from_a_newer_program_is_refused(world):
    good = world.root / "up-c1.djpkg"
    newer = _rewrite(good, world.root / "newer.djpkg",
                     _manifest_change(lambda m: m.update(schema_version=m["schema_version"] + 1)))
    with pytest.raises(PackageError, match="更新版本的程序"):
        ExchangeService(world.street.db).read_package(newer)
    newer_format = _rewrite(good, world.root / "newer-format.djpkg",
                            _manifest_change(lambda m: m.update(format_version=99)))
    with pytest.raises(PackageError, match="格式版本99"):
        ExchangeService(world.street.db).read_package(newer_format)


def test_tampered_record_is_refused(world):
    good = world.root / "up-c1.djpkg"

    def change(name, data):
        return data.replace("幸福甲一".encode(), "幸福丙九".encode()) if name == "data/member.json" else data

    with pytest.raises(PackageError, match="校验和不符"):
        ExchangeService(world.street.db).read_package(_rewrite(good, world.root / "t.djpkg", change))


def test_unknown_column_is_refused(world):
    good = world.root / "up-c1.djpkg"

    def edit(m):
        m["tables"][1]["columns"].append("x")

    with pytest.raises(PackageError):
        ExchangeService(world.street.db).read_package(
            _rewrite(good, world.root / "u.djpkg", _manifest_change(edit)))


def test_own_package_is_refused(world):
    path = world.export(world.street, world.c1.id, "own")
    x = ExchangeService(world.street.db)
    with pytest.raises(Conflict, match="本数据库"):
        x.plan_merge(x.read_package(path))


def test_apply_stops_if_the_database_changed_after_the_preview(world):
    s, c1 = world.street, world.comm["c1"]["ws"]
    mc = member_by_name(c1, "幸福甲四")
    mc.phone = "123"
    c1.roster.update(mc)
    path = world.export(c1, world.comm["c1"]["org"].id, "up-race")
    x, plan = world.plan(s, path)
    assert [i.title for i in plan.changed] == ["幸福甲四"]
    m = member_by_name(s, "幸福甲四")
    m.phone = "456"
    s.roster.update(m)
    before = dump(world.root / "street.sqlite3")
    with pytest.raises(Conflict, match="重新预览"):
        x.apply_merge(plan)
    assert dump(world.root / "street.sqlite3") == before


def test_cancelled_import_keeps_nothing(world, tmp_path):
    path = world.export(world.street, world.street_org.id, "all-cancel")
    target = open_workspace(tmp_path / "t.sqlite3")
    try:
        x = ExchangeService(target.db)
        plan = x.plan_merge(x.read_package(path))
        token = CancelToken()
        token.cancel()
        with pytest.raises(Cancelled):
            x.apply_merge(plan, cancel=token)
        assert sum(counts(tmp_path / "t.sqlite3").values()) == 0
    finally:
        target.close()


def test_cancelled_export_leaves_no_file(world):
    token = CancelToken()
    calls = []

    def progress(done, total, message):
        calls.append(message)
        if len(calls) == 3:
            token.cancel()

    out = world.root / "cancelled.djpkg"
    with pytest.raises(Cancelled):
        ExchangeService(world.street.db).export_package(world.street_org.id, out, progress, token)
    assert not out.exists()
    assert not [p for p in world.root.iterdir() if p.name.startswith(".~cancelled")]


def test_export_of_a_missing_organisation(world):
    with pytest.raises(DomainError, match="不存在"):
        ExchangeService(world.street.db).export_package(9999, world.root / "x.djpkg")


def test_every_tracked_table_is_registered_or_deliberately_left_out():
    assert xt.unregistered_tables() == [], (
        "register these tables in desktop/storage/exchange_tables.py (REGISTRY) "
        "or list them in NOT_EXCHANGED")
    for et in xt.registry():
        assert et.scope[1] in {e.name for e in xt.registry()}
        for spec in xt.columns(et):
            if spec.ref:
                assert spec.ref in {e.name for e in xt.registry()}, (et.name, spec.name)


# --- a colleague's new table travels by registering it, nothing else --------------------

@pytest.fixture
def meeting_table(world, monkeypatch):
    """A meeting-like table with an attachment column, registered the way a colleague would."""
    from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table
    from sqlmodel import SQLModel

    t = Table("meeting_note", SQLModel.metadata,
              Column("id", Integer, primary_key=True),
              Column("uuid", String(36), nullable=False, unique=True),
              Column("created_at", DateTime, nullable=False),
              Column("modified_at", DateTime, nullable=False),
              Column("org_id", Integer, ForeignKey("organization.id"), nullable=False),
              Column("recorder_id", Integer, ForeignKey("member.id")),
              Column("topic", String(100), nullable=False),
              Column("scan", String(260)))
    for ws in world.open:
        with ws.db.transaction() as conn:
            t.create(conn)
    entry = xt.ExchangeTable("meeting_note", "会议记录", ("org_id", "organization"),
                             ("org_id", "topic"), {"topic": "议题", "scan": "扫描件"}, files=("scan",))
    monkeypatch.setattr(xt, "REGISTRY", xt.REGISTRY + (entry,))
    yield t
    SQLModel.metadata.remove(t)


def test_a_new_table_and_its_attachments_travel(world, meeting_table):
    from datetime import datetime

    from desktop.services.exchange import files_dir

    c = world.comm["c1"]
    ws = c["ws"]
    scan = files_dir(ws.path) / "meetings" / "2026" / "三会一课.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.4 scanned minutes")
    recorder = member_by_name(ws, "幸福甲一")
    now = datetime(2026, 5, 1, 9, 0)
    with ws.db.transaction() as conn:
        conn.execute(meeting_table.insert().values(
            uuid="aaaaaaaa-0000-4000-8000-000000000001", created_at=now, modified_at=now,
            org_id=c["b1"].id, recorder_id=recorder.id, topic="学习党章",
            scan="meetings/2026/三会一课.pdf"))
    plan, result = world.send_up("c1", "up-meeting")
    (item,) = [i for i in plan.new if i.table == "meeting_note"]
    assert item.table_label == "会议记录" and item.title == "幸福第一网格党支部 学习党章"
    street = world.street
    with street.db.reading() as conn:
        row = conn.execute(meeting_table.select()).one()
    assert row.topic == "学习党章"
    assert row.org_id == street.orgs.find("幸福第一网格党支部").id
    assert row.recorder_id == member_by_name(street, "幸福甲一").id
    copied = files_dir(street.path) / "meetings" / "2026" / "三会一课.pdf"
    assert copied.read_bytes() == scan.read_bytes()
    plan, _ = world.send_up("c1", "up-meeting-again")
    assert not plan.has_changes


def test_an_older_package_after_a_newer_one_is_refused(world):
    c = world.comm["c1"]
    ws = c["ws"]
    old = world.export(ws, c["org"].id, "up-old")
    m = member_by_name(ws, "幸福甲四")
    m.remarks = "第二次上报"
    ws.roster.update(m)
    world.send_up("c1", "up-new")
    before = dump(world.root / "street.sqlite3")
    with pytest.raises(Conflict, match="早于已从同一数据库导入的上报包"):
        world.plan(world.street, old)
    assert dump(world.root / "street.sqlite3") == before
    assert member_by_name(world.street, "幸福甲四").remarks == "第二次上报"


def test_a_tree_built_apart_is_flagged(world, tmp_path):
    lone = open_workspace(tmp_path / "lone.sqlite3")
    try:
        s = lone.orgs.create(Organization("长青街道党工委", OrgKind.STREET))
        lone.orgs.create(Organization("新建社区党委", OrgKind.COMMUNITY, parent_id=s.id))
        path = world.export(lone, s.id, "lone")
        x, plan = world.plan(world.street, path)
        (root,) = plan.conflicts
        assert root.conflict is ConflictKind.SAME_KEY and "先由街道下发上报包" in root.reason
        assert [b.title for b in plan.blocked] == ["新建社区党委"]
        lone.orgs.rename(s.id, "另一个街道党工委")
        x, plan = world.plan(world.street, world.export(lone, s.id, "lone2"))
        assert "新的最上级组织“另一个街道党工委”" in plan.describe()
    finally:
        lone.close()


def _rebuild(src: Path, dst: Path, edit) -> Path:
    """Re-write a package after `edit(manifest, tables)`, with fresh checksums."""
    from desktop.exports import package_format as fmt

    raw = fmt.read_package(src)
    manifest = {k: v for k, v in raw.manifest.items()
                if k not in ("format", "format_version", "app", "tables", "attachments", "entries")}
    tables = list(raw.tables.values())
    edit(manifest, tables)
    for t in tables:
        t.hashes = [fmt.row_hash(t.columns, r) for r in t.rows]
    fmt.write_package(dst, manifest, tables, raw.seen)
    return dst


def _drop_column(tables, table: str, column: str) -> None:
    t = next(t for t in tables if t.name == table)
    i = t.columns.index(column)
    t.columns.pop(i)
    for r in t.rows:
        r.pop(i)


def test_older_package_without_a_defaulted_column_is_accepted(world):
    c = world.comm["c2"]
    new_branch = c["ws"].orgs.create(Organization("和平新建党支部", OrgKind.BRANCH, parent_id=c["org"].id))
    assert new_branch.id
    path = world.export(c["ws"], c["org"].id, "up-v1")

    def edit(manifest, tables):
        manifest["schema_version"] = 1
        _drop_column(tables, "organization", "sort_order")
        tables[:] = [t for t in tables if t.name != "committee_seat"]  # as if it did not exist yet

    older = _rebuild(path, world.root / "older.djpkg", edit)
    x, plan = world.plan(world.street, older)
    assert [i.title for i in plan.new] == ["和平新建党支部"] and not plan.conflicts
    assert not plan.removed  # a table the package does not carry removes nothing
    x.apply_merge(plan)
    assert world.street.orgs.find("和平新建党支部")
    assert len(world.street.orgs.committee(world.street.orgs.find("和平第一网格党支部").id)) == 2


def test_older_package_without_a_required_column_is_refused(world):
    def edit(manifest, tables):
        manifest["schema_version"] = 1
        _drop_column(tables, "member", "id_number")

    older = _rebuild(world.root / "up-c1.djpkg", world.root / "older2.djpkg", edit)
    with pytest.raises(PackageError, match="较旧版本.*缺少字段“公民身份号码”"):
        ExchangeService(world.street.db).read_package(older)


# --- meetings (migration 3), registered by their owner: carried with their files -----------

def test_meetings_with_attendance_and_attachments_travel(world):
    from datetime import datetime

    from desktop.domain.meeting import AbsenceReason, AttachmentKind, MeetingKind
    from desktop.services.exchange import files_dir
    from desktop.services.meetings import MeetingService

    c = world.comm["c1"]
    ms = MeetingService(c["ws"].db)
    m = ms.draft(c["b1"].id, MeetingKind.ASSEMBLY, datetime(2026, 5, 10, 9, 0))
    m.topics = ["学习党章"]
    absent = next(a for a in m.attendees if a.member_id != m.host_id)
    absent.present, absent.reason = False, AbsenceReason.SICK
    m = ms.save(m, today=date(2026, 5, 10))
    photo = ms.attach(m.id, "合影.jpg", b"\xff\xd8 jpeg bytes", AttachmentKind.PHOTO)
    plan, _ = world.send_up("c1", "up-meeting")
    labels = sorted({i.table_label for i in plan.new})
    assert labels == ["会议出席", "会议记录", "会议附件"]
    street_ms = MeetingService(world.street.db)
    b1 = world.street.orgs.find("幸福第一网格党支部")
    (summary,) = street_ms.list(b1.id, 2026)
    got = street_ms.get(summary.id)
    assert got.topics == ["学习党章"] and len(got.attendees) == len(m.attendees)
    assert [a.present for a in got.attendees] == [a.present for a in m.attendees]
    (att,) = got.attachments
    copied = street_ms.attachment_path(att)
    assert copied.read_bytes() == b"\xff\xd8 jpeg bytes"
    assert copied.is_relative_to(files_dir(world.street.path))
    assert photo.sha256 == att.sha256
    # the same package again: nothing; then an edit that rewrites attendance travels whole
    plan, _ = world.send_up("c1", "up-meeting-2")
    assert not plan.has_changes
    m = ms.get(m.id)
    for a in m.attendees:
        a.present, a.reason = True, None
    ms.save(m, today=date(2026, 5, 10))
    plan, _ = world.send_up("c1", "up-meeting-3")
    assert not plan.conflicts and not plan.blocked
    got = street_ms.get(summary.id)
    assert all(a.present for a in got.attendees)
    assert len(got.attendees) == len(m.attendees)
