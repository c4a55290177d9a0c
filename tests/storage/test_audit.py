"""The audit log: every write path leaves one row per changed record, in the same transaction."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from desktop.domain.meeting import MeetingKind
from desktop.domain.member_event import EventKind
from desktop.domain.organization import OrgKind, Organization
from desktop.services.exchange import ExchangeService
from desktop.services.exporting import ExportService, RosterExportOptions
from desktop.services.importing import ImportService
from desktop.services.workspace import open_workspace
from desktop.storage import members as member_repo
from desktop.storage import settings as settings_repo
from desktop.storage.audit import AUDIT, CLERK_SETTING, OMITTED, REDACTED, os_user
from tests.conftest import make_member
from tests.roster_export_data import fill_roster


def log(ws, table=None) -> list[dict]:
    q = select(AUDIT).order_by(AUDIT.c.id)
    if table:
        q = q.where(AUDIT.c.table_name == table)
    with ws.db.reading() as conn:
        rows = [dict(r._mapping) for r in conn.execute(q)]
    for r in rows:
        r["old"], r["new"] = json.loads(r["old_values"]), json.loads(r["new_values"])
    return rows


def test_org_create_rename_move(workspace, street):
    orgs = log(workspace, "organization")
    assert [(r["action"], r["new"]["name"]) for r in orgs] == [
        ("insert", "测试街道党工委"), ("insert", "幸福社区党委"), ("insert", "第一网格党支部"),
        ("insert", "离退休党支部"), ("insert", "第一党小组")]
    c = workspace.orgs.get(street["community"])
    assert orgs[1]["record_id"] == str(c.id) and orgs[1]["record_uuid"] == c.uuid
    assert orgs[1]["actor"] == os_user()
    assert orgs[1]["new"]["term_start"] == "2022-03-01" and "dissolved" not in orgs[1]["new"]

    workspace.orgs.rename(street["b2"], "老干部党支部")
    other = workspace.orgs.create(Organization("和平社区党委", OrgKind.COMMUNITY,
                                               parent_id=street["street"]))
    workspace.orgs.move(street["b2"], other.id)
    rename, _insert, move = log(workspace, "organization")[-3:]
    assert rename["action"] == "update" and rename["record_id"] == str(street["b2"])
    assert (rename["old"], rename["new"]) == ({"name": "离退休党支部"}, {"name": "老干部党支部"})
    assert (move["old"], move["new"]) == ({"parent_id": street["community"]}, {"parent_id": other.id})


def test_member_create_edit_leave(workspace, street):
    mid = workspace.roster.add(make_member(street["b1"], "张三", 1))
    m = workspace.roster.get(mid)
    m.mobile = "13912345678"
    workspace.roster.update(m)
    workspace.roster.leave(mid, EventKind.DECEASED, date(2026, 5, 1), "病故")
    rows = log(workspace, "member")
    assert [r["action"] for r in rows] == ["insert", "update", "update"]
    assert rows[0]["new"]["name"] == "张三" and rows[0]["new"]["id_number"] == m.id_number
    assert "name_pinyin" not in rows[0]["new"] and "modified_at" not in rows[0]["new"]
    assert (rows[1]["old"], rows[1]["new"]) == ({"mobile": "13800000000"}, {"mobile": "13912345678"})
    assert rows[2]["new"] == {"status": "去世", "left_date": "2026-05-01"}
    assert all(r["record_uuid"] == m.uuid for r in rows)
    events = log(workspace, "member_event")
    assert [e["new"]["kind"] for e in events] == ["入党", "去世"]


def test_nothing_logged_when_the_change_rolls_back(workspace, street):
    before = len(log(workspace))
    with pytest.raises(RuntimeError):
        with workspace.db.transaction() as conn:
            member_repo.insert(conn, make_member(street["b1"], "李四", 2))
            raise RuntimeError("boom")
    assert len(log(workspace)) == before


def test_bulk_paths_insert_many_and_update_many(workspace, street):
    people = [make_member(street["b1"], f"党员{i}", i) for i in range(1, 4)]
    with workspace.db.transaction() as conn:
        member_repo.insert_many(conn, people)
    [bulk] = log(workspace, "member")  # one entry for one bulk statement, listing each record
    assert bulk["action"] == "insert" and bulk["note"] == "批量新增3条"
    assert [r["name"] for r in bulk["new"]] == ["党员1", "党员2", "党员3"]
    with workspace.db.reading() as conn:
        uuids = [m.uuid for m in member_repo.get_many(conn, [1, 2, 3]).values()]
    assert [r["uuid"] for r in bulk["new"]] == uuids
    with workspace.db.reading() as conn:
        stored = list(member_repo.get_many(conn, [1, 2, 3]).values())
    stored[0].address = "幸福路1号"
    with workspace.db.transaction() as conn:
        member_repo.update_many(conn, stored)  # only one of the three really changes
    [upd] = [r for r in log(workspace, "member") if r["action"] == "update"]
    assert (upd["record_id"], upd["old"], upd["new"]) == ("1", {"address": ""}, {"address": "幸福路1号"})


def test_roster_import_logs_each_member(workspace, street, tmp_path):
    fill_roster(workspace, street)
    path = tmp_path / "roster.xlsx"
    ExportService(workspace.db).export_roster(path, RosterExportOptions(mask_ids=False))
    other = open_workspace(tmp_path / "other.sqlite3", backup=False)
    try:
        s = other.orgs.create(Organization("测试街道党工委", OrgKind.STREET))
        c = other.orgs.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id))
        imp = ImportService(other.db)
        plan = imp.plan_roster_import(path, org_id=c.id)
        result = imp.apply_roster_import(plan, create_branches=True, skip_invalid=True)
        assert result.created >= 3
        listed = [r for e in log(other, "member") if e["action"] == "insert"
                  for r in (e["new"] if isinstance(e["new"], list) else [e["new"] | {"uuid": e["record_uuid"]}])]
        with other.db.reading() as conn:
            stored = {m.uuid: m.name for m in member_repo.get_many(conn, list(range(1, 10))).values()}
        assert {r["uuid"]: r["name"] for r in listed} == stored
        assert len(stored) == result.created
        events = [r for e in log(other, "member_event") for r in e["new"]]
        assert sorted(r["member_id"] for r in events) == sorted(m for m in range(1, 10)
                                                               if m <= result.created)
        assert {r["org_id"] for r in listed} <= {o.id for o in other.orgs.all()}
    finally:
        other.close()


def test_meeting_save_and_delete(workspace, street):
    mid = workspace.roster.add(make_member(street["b1"], "张三", 1))
    m = workspace.meetings.draft(street["b1"], MeetingKind.ASSEMBLY, datetime(2026, 3, 12, 14, 30))
    m.topics, m.place = ["学习党章"], "社区党群服务中心"
    m = workspace.meetings.save(m, today=date(2026, 3, 12))
    m.place = "会议室"
    workspace.meetings.save(m, today=date(2026, 3, 12))
    workspace.meetings.delete(m.id)
    rows = log(workspace, "meeting")
    assert [r["action"] for r in rows] == ["insert", "update", "delete"]
    assert (rows[1]["old"], rows[1]["new"]) == ({"place": "社区党群服务中心"}, {"place": "会议室"})
    assert rows[2]["old"]["place"] == "会议室"
    att = log(workspace, "meeting_attendance")
    assert [a["action"] for a in att] == ["insert", "delete"]
    assert att[0]["new"]["member_id"] == mid


def test_exchange_merge_is_logged(workspace, street, tmp_path):
    workspace.roster.add(make_member(street["b1"], "张三", 1))
    path = tmp_path / "all.djpkg"
    ExchangeService(workspace.db).export_package(street["street"], path)
    copy = open_workspace(tmp_path / "copy.sqlite3", backup=False)
    try:
        x = ExchangeService(copy.db)
        x.apply_merge(x.plan_merge(x.read_package(path)))
        names = [r["new"]["name"] for r in log(copy, "member")]
        assert names == ["张三"]
        orgs = [r for e in log(copy, "organization") for r in
                (e["new"] if isinstance(e["new"], list) else [e["new"]])]
        assert sorted(o["name"] for o in orgs) == sorted(
            ["测试街道党工委", "幸福社区党委", "第一网格党支部", "离退休党支部", "第一党小组"])
        ledger = [r for r in log(copy, "setting") if r["record_id"].startswith("exchange.")]
        assert ledger and all(r["new"]["value"] == OMITTED for r in ledger)  # not the 1 MB ledger
    finally:
        copy.close()


def test_clerk_name_signs_later_changes_and_secrets_stay_out(workspace, street):
    workspace.audit.set_clerk_name("  王 文书 ")
    assert workspace.audit.clerk_name() == "王 文书"
    workspace.orgs.rename(street["b1"], "一网格党支部")
    last = log(workspace)[-1]
    assert last["actor"] == f"王 文书（{os_user()}）"
    with workspace.db.transaction() as conn:
        settings_repo.put(conn, "security.password", "scrypt$secret-hash")
        settings_repo.put(conn, "security.password", "scrypt$other-hash")
        settings_repo.delete(conn, "security.password")
    rows = [r for r in log(workspace, "setting") if r["record_id"] == "security.password"]
    assert [r["action"] for r in rows] == ["insert", "update", "delete"]
    assert "hash" not in json.dumps([r["old_values"] + r["new_values"] for r in rows])
    assert rows[0]["new"]["value"] == REDACTED
    workspace.audit.set_clerk_name("")
    with workspace.db.reading() as conn:
        assert settings_repo.get(conn, CLERK_SETTING) is None
    workspace.orgs.rename(street["b1"], "第一网格党支部")
    assert log(workspace)[-1]["actor"] == os_user()
