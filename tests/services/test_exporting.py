"""ExportService: which members, in which order, with which values; atomic files; round trip."""
from __future__ import annotations

import os
import re
from datetime import date

import pytest

from desktop.domain.errors import NotFound
from desktop.domain.member import Status
from desktop.domain.roster_export import RECORD_KEYS, default_file_name
from desktop.domain.tasks import CancelToken, Cancelled
from desktop.services.exporting import (ExportService, RosterExportOptions, UnsupportedFormat,
                                        export_format)
from desktop.storage import members as repo
from tests.conftest import make_member
from tests.roster_export_data import TODAY, fill_roster


@pytest.fixture
def roster(workspace, street):
    return street | fill_roster(workspace, street)


@pytest.fixture
def out(tmp_path):
    """An empty folder for the exports (tmp_path holds the database)."""
    d = tmp_path / "out"
    d.mkdir()
    return d


@pytest.fixture
def service(workspace):
    return ExportService(workspace.db)


def names(doc) -> list[list[str]]:
    return [[r[RECORD_KEYS.index("name")] for r in s.rows] for s in doc.sections]


def test_members_by_branch_in_tree_order_then_pinyin(service, roster):
    doc = service.roster_document(RosterExportOptions(org_id=roster["community"]), today=TODAY)
    assert doc.title == "幸福社区党委党员花名册"
    assert doc.exported_on == TODAY
    assert [s.name for s in doc.sections] == ["第一网格党支部", "离退休党支部"]
    assert [s.org_id for s in doc.sections] == [roster["b1"], roster["b2"]]
    # li kun < zhang san; wang wu < zhao liu; 钱七 left and is not listed.
    assert names(doc) == [["李堃", "张三"], ["王五", "赵六"]]
    assert doc.member_count == 4 and not doc.include_left and doc.masked  # masked by default
    assert doc.count_text() == "在册党员：4人"


def test_every_field_comes_from_the_member(service, workspace, roster):
    doc = service.roster_document(RosterExportOptions(mask_ids=False))
    rows = {r[0]: r for s in doc.sections for r in s.rows}
    assert all(len(r) == len(RECORD_KEYS) for r in rows.values())
    m = workspace.roster.get(roster["张三"])
    row = dict(zip(RECORD_KEYS, rows["张三"]))
    assert row.pop("org_name") == "第一网格党支部"
    assert row.pop("group_name") == "第一党小组"
    for key, value in row.items():
        expected = getattr(m, key)
        expected = getattr(expected, "value", expected)  # enums are stored by their Chinese value
        assert value == expected, key
    assert row["is_mobile"] is True and row["lost_contact"] is False
    assert isinstance(row["birth_date"], date)
    assert dict(zip(RECORD_KEYS, rows["王五"]))["group_name"] is None


def test_scope_is_the_subtree(service, roster):
    def listed(org_id):
        return sum(names(service.roster_document(RosterExportOptions(org_id=org_id))), [])

    assert listed(roster["b2"]) == ["王五", "赵六"]
    assert listed(roster["group"]) == ["张三"]
    assert listed(roster["street"]) == listed(None) == ["李堃", "张三", "王五", "赵六"]
    doc = service.roster_document(RosterExportOptions(org_id=roster["b2"]))
    assert doc.title == "离退休党支部党员花名册"
    assert service.roster_document().org_name == "测试街道党工委"
    with pytest.raises(NotFound):
        service.roster_document(RosterExportOptions(org_id=99999))


def test_members_who_left_only_when_asked(service, roster):
    doc = service.roster_document(RosterExportOptions(include_left=True))
    assert names(doc) == [["李堃", "钱七", "张三"], ["王五", "赵六"]]
    row = doc.sections[0].rows[1]
    assert row[len(RECORD_KEYS):] == (Status.TRANSFERRED_OUT.value, date(2026, 5, 1))
    assert doc.sections[0].rows[0][len(RECORD_KEYS)] == Status.ACTIVE.value
    assert doc.count_text() == "共5人（其中已离开1人）"
    assert doc.headers[-2:] == ["在册状态", "离开日期"]


def test_masked_by_default_id_numbers_and_phones(service, workspace, roster):
    doc = service.roster_document(RosterExportOptions())
    zs = workspace.roster.get(roster["张三"])
    assert len(zs.id_number) == 18 and len(zs.mobile) == 11
    at = {k: RECORD_KEYS.index(k) for k in ("id_number", "mobile", "phone")}
    rows = {r[0]: r for s in doc.sections for r in s.rows}
    assert rows["张三"][at["id_number"]] == zs.id_number[:6] + "*" * 8 + zs.id_number[-4:]
    assert rows["张三"][at["mobile"]] == zs.mobile[:3] + "****" + zs.mobile[-4:]
    assert all(re.fullmatch(r"110105\*{8}\d{3}[\dX]", r[at["id_number"]]) for r in rows.values())
    for r in rows.values():
        for key in ("mobile", "phone"):
            assert not re.search(r"\d{5}", r[at[key]] or "")  # no full number survives
    assert doc.masked


def test_full_numbers_only_when_asked(service, workspace, roster):
    doc = service.roster_document(RosterExportOptions(mask_ids=False))
    zs = workspace.roster.get(roster["张三"])
    row = next(r for s in doc.sections for r in s.rows if r[0] == "张三")
    assert row[RECORD_KEYS.index("id_number")] == zs.id_number
    assert row[RECORD_KEYS.index("mobile")] == zs.mobile
    assert not doc.masked


def test_format_from_extension_and_missing_folder(service, roster, tmp_path):
    assert export_format("a.XLSX") == "xlsx" and export_format("b.pdf") == "pdf"
    with pytest.raises(UnsupportedFormat, match="xls"):
        service.export_roster(tmp_path / "roster.xls")
    with pytest.raises(NotFound, match="不存在"):
        service.export_roster(tmp_path / "missing" / "roster.xlsx")
    assert default_file_name("幸福社区党委", date(2026, 11, 22), ".xlsx") == "幸福社区党委党员花名册-20261122.xlsx"
    assert default_file_name('a/b:c*"d"', date(2026, 1, 2), ".pdf") == "a_b_c_d_党员花名册-20260102.pdf"


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_export_reports_progress_and_writes_one_file(service, roster, out, suffix):
    seen = []
    result = service.export_roster(out / f"花名册{suffix}", RosterExportOptions(),
                                   progress=lambda d, t, m: seen.append((d, t, m)))
    assert result.members == 4 and result.sections == 2
    assert result.format == suffix[1:]
    assert (result.pages is not None) == (suffix == ".pdf")
    assert os.listdir(out) == [f"花名册{suffix}"]
    assert seen[0][2] == "正在读取党员信息…" and seen[-1] == (4, 4, "导出完成")


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_cancel_leaves_no_file_and_keeps_the_old_one(service, workspace, street, out, suffix):
    members = [make_member(street["b1"], f"党员{chr(0x4e00 + i)}", i % 500,
                           birth=date(1950 + i // 500, 1, 1 + i % 28), sex="男" if i % 2 else "女")
               for i in range(600)]
    with workspace.db.transaction() as conn:
        repo.insert_many(conn, members)

    target = out / f"roster{suffix}"
    target.write_bytes(b"the export of last month")
    token = CancelToken()

    def progress(done, total, message):
        if done >= 300:
            token.cancel()

    with pytest.raises(Cancelled):
        service.export_roster(target, RosterExportOptions(sheet_per_branch=False),
                              progress=progress, cancel=token)
    assert target.read_bytes() == b"the export of last month"
    assert os.listdir(out) == [target.name]

    fresh = out / f"fresh{suffix}"
    token = CancelToken()
    with pytest.raises(Cancelled):
        service.export_roster(fresh, progress=progress, cancel=token)
    assert not fresh.exists() and os.listdir(out) == [target.name]


def test_round_trip_through_the_importer(service, workspace, roster, tmp_path):
    """Export to .xlsx, import into an empty database: the same members, field for field."""
    from desktop.domain.organization import BranchKind, OrgKind, Organization
    from desktop.services.importing import ImportService
    from desktop.services.workspace import open_workspace

    path = tmp_path / "roster.xlsx"
    service.export_roster(path, RosterExportOptions(mask_ids=False))

    other = open_workspace(tmp_path / "empty.sqlite3")
    try:
        o = other.orgs
        s = o.create(Organization("测试街道党工委", OrgKind.STREET))
        c = o.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id))
        b1 = o.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c.id,
                                   branch_kind=BranchKind.GRID))
        o.create(Organization("离退休党支部", OrgKind.BRANCH, parent_id=c.id,
                              branch_kind=BranchKind.COURTYARD))
        o.create(Organization("第一党小组", OrgKind.GROUP, parent_id=b1.id))
        importer = ImportService(other.db)
        plan = importer.plan_roster_import(path)
        assert not plan.problems(False), plan.problems(False)
        result = importer.apply_roster_import(plan)
        assert result.created == 4

        before = ExportService(workspace.db).roster_document()
        after = ExportService(other.db).roster_document()
        assert [s.name for s in after.sections] == [s.name for s in before.sections]
        for b, a in zip(before.sections, after.sections):
            assert a.rows == b.rows  # every field, in order

        # And the member records themselves, beyond what the roster shows.
        with workspace.db.reading() as conn:
            old = {m.id_number: m for m in (repo.get(conn, i) for i in
                                            (roster["张三"], roster["赵六"], roster["王五"]))}
        with other.db.reading() as conn:
            for number, m in old.items():
                new = repo.get(conn, repo.find_by_id_number(conn, number)[0])
                for key in RECORD_KEYS:
                    if key not in ("org_name", "group_name"):
                        assert getattr(new, key) == getattr(m, key), key
    finally:
        other.close()
