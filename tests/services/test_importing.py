"""Importing messy rosters: exactly which rows land, which are refused and why, all or nothing."""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from desktop.domain.errors import Conflict
from desktop.domain.idcard import make_id_number
from desktop.domain.member import Category, PartyStanding, Status
from desktop.domain.member_event import EventKind
from desktop.domain.roster_view import STATUS_ALL, RosterFilter
from desktop.domain.tasks import CancelToken, Cancelled
from desktop.importing.xlsx_reader import WorkbookError
from desktop.services.import_plan import COMPARED_FIELDS, RowKind
from desktop.services.importing import ImportRefused, ImportService, UnknownBranch
from tests import messy_workbooks as mw
from tests.conftest import make_member

SHORT = ["姓名", "身份证号", "入党时间"]


@pytest.fixture
def svc(workspace):
    return ImportService(workspace.db)


def db_digest(workspace) -> str:
    """SHA-256 of the database file with its write-ahead log folded in (and of any -wal left)."""
    path = workspace.path
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


def all_members(workspace) -> dict[str, object]:
    ids = workspace.roster.ordered_ids(RosterFilter(status=STATUS_ALL))
    members = [workspace.roster.get(i) for i in ids]
    return {m.id_number: m for m in members}


def texts(problems) -> list[str]:
    return [str(p) for p in problems]


def x_id(birth: date = date(1985, 3, 3)) -> str:
    """A valid ID number whose check digit is X."""
    return next(n for seq in range(500) if (n := make_id_number("110105", birth, seq, "男")).endswith("X"))


# --- title rows, header names, trailing rows ---------------------------------------


def test_a_titled_roster_with_variant_headers_lands_field_for_field(workspace, street, svc):
    persons = mw.people(4)
    path = mw.titled_roster(workspace.path.parent / "一支部.xlsx", persons)
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    (sheet,) = plan.sheets
    assert sheet.header_row == 4 and sheet.data_rows == 4  # numbered empty rows and 填表人 line ignored
    assert {c.header: c.label for c in sheet.columns}["联系电话"] == "手机号码"
    c = plan.counts()
    assert (c.new, c.update, c.duplicate, c.invalid) == (4, 0, 0, 0)
    assert plan.problems() == [] and plan.warnings == []

    result = svc.apply_roster_import(plan)
    assert (result.created, result.updated) == (4, 0)
    got = all_members(workspace)
    assert set(got) == {p.id_number for p in persons}
    for p in persons:
        m = got[p.id_number]
        assert (m.name, m.org_id, m.sex, m.birth_date, m.ethnicity, m.education, m.category,
                m.joined, m.confirmed, m.mobile, m.address, m.status) == (
            p.name, street["b1"], p.sex, p.birth, "汉族", "大学本科", Category.FULL,
            p.joined, p.confirmed, "13800000000", "人民路1号", Status.ACTIVE)
        assert [e.kind for e in workspace.roster.events(m.id)] == [EventKind.JOINED]


# --- dates ---------------------------------------------------------------------------


def test_dates_in_every_form(workspace, street, svc):
    forms = [datetime(2019, 7, 1), "2019.07.01", "2019-7-1", "2019年7月1日", "201907", "19年7月",
             20190701, "２０１９．０７．０１", " 2019 / 7 / 1 ", "2019.13.01", "去年七月", 2019.1]
    persons = mw.people(len(forms))
    path = mw.custom_roster(workspace.path.parent / "dates.xlsx", SHORT,
                            [[p.name, p.id_number, f] for p, f in zip(persons, forms)])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert texts(plan.problems()) == [
        "工作表“花名册”第13行，入党时间：日期2019-13-01不存在",
        "工作表“花名册”第14行，入党时间：无法识别的日期“去年七月”，请写成 2019-07-01 或 2019年7月1日",
        "工作表“花名册”第15行，入党时间：“2019.1”以数字形式保存，无法区分1月和10月，请将该列设为文本后重新录入",
    ]
    assert [(p.column_letter, p.field) for p in plan.problems()] == [("C", "加入党组织日期")] * 3
    svc.apply_roster_import(plan, skip_invalid=True)
    got = all_members(workspace)
    assert len(got) == 9
    assert {m.joined for m in got.values()} == {date(2019, 7, 1)}
    # no 人员类别 column: joined long ago, so 正式党员 (a probation never lasts two years)
    assert {m.category for m in got.values()} == {Category.FULL}


# --- ID numbers ----------------------------------------------------------------------


def test_id_numbers_as_text_numbers_and_with_noise(workspace, street, svc):
    p = mw.people(12)
    lower_x = x_id()
    spaced = " ".join([p[0].id_number[:6], p[0].id_number[6:14], p[0].id_number[14:]])
    rows = [
        [p[0].name, f" {spaced} "],
        [p[1].name, p[1].id_number.translate(mw.FULLWIDTH_DIGITS)],
        [p[2].name, lower_x.lower()],
        [p[3].name, int(p[3].id_number)],
        [p[4].name, float(p[4].id_number)],
        [p[5].name, "1.10105198005171E+17"],
        [p[6].name, 110105800517001],
        [p[7].name, p[7].id_number[:17] + ("0" if p[7].id_number[17] != "0" else "1")],
        [p[8].name, None],
        [p[9].name, p[9].id_number[:6] + "********" + p[9].id_number[14:]],
        [p[10].name, "\u200b" + p[10].id_number + "\u3000"],
    ]
    for r in rows:
        r.append(date(2010, 7, 1))
    path = mw.custom_roster(workspace.path.parent / "ids.xlsx", SHORT, rows, sheet="幸福社区第一支部")
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    wrong = p[7].id_number[:17] + ("0" if p[7].id_number[17] != "0" else "1")
    lost = "以数字形式保存，超过15位的精度已丢失，请将该列设为文本后重新录入"
    assert texts(plan.problems()) == [
        f"工作表“幸福社区第一支部”第7行，身份证号：{lost}",
        f"工作表“幸福社区第一支部”第8行，身份证号：{lost}",
        f"工作表“幸福社区第一支部”第9行，身份证号：{lost}",
        "工作表“幸福社区第一支部”第10行，身份证号：应为18位，现为15位",
        f"工作表“幸福社区第一支部”第11行，身份证号：校验位应为{p[7].id_number[17]}，现为{wrong[17]}",
        "工作表“幸福社区第一支部”第12行，身份证号：不能为空",
        "工作表“幸福社区第一支部”第13行，身份证号：已部分隐藏（含“*”），不能用于导入，请使用未隐藏号码的花名册",
    ]
    svc.apply_roster_import(plan, skip_invalid=True)
    assert set(all_members(workspace)) == {p[0].id_number, p[1].id_number, lower_x, p[10].id_number}


# --- names ---------------------------------------------------------------------------


def test_names_with_full_width_letters_and_stray_spaces(workspace, street, svc):
    p = mw.people(5)
    names = ["张　三", "  李四  ", "买买提 • 艾力", "Ｊｏｈｎ　 Ｓｍｉｔｈ", "王五1"]
    path = mw.custom_roster(workspace.path.parent / "names.xlsx", SHORT,
                            [[n, q.id_number, q.joined] for n, q in zip(names, p)])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert texts(plan.problems()) == ["工作表“花名册”第8行，姓名：不能包含数字"]
    svc.apply_roster_import(plan, skip_invalid=True)
    got = all_members(workspace)
    assert [got[q.id_number].name for q in p[:4]] == ["张三", "李四", "买买提·艾力", "John Smith"]
    assert p[4].id_number not in got


# --- several sheets, branches that do not exist ------------------------------------------


def test_one_sheet_per_branch_and_branches_to_create(workspace, street, svc):
    first, third = mw.people(2), mw.people(2, start=20)
    path = mw.sheets_per_branch(workspace.path.parent / "sheets.xlsx",
                                {"第一网格党支部": first, "第三网格党支部": third},
                                extra_sheets={"说明": [["填表说明：每个党支部一个工作表"]]},
                                hidden={"旧名册": mw.people(1, start=40)})
    plan = svc.plan_roster_import(path, org_id=street["community"])
    assert [(s.name, s.note) for s in plan.sheets] == [
        ("第一网格党支部", ""), ("第三网格党支部", ""), ("说明", "未找到花名册表头，已跳过"),
        ("旧名册", "隐藏的工作表，已跳过")]
    assert plan.unknown_branches == [UnknownBranch("第三网格党支部", 2, ["第三网格党支部"])]
    c = plan.counts(create_branches=False)
    assert (c.new, c.invalid) == (2, 2)
    assert texts(plan.problems()) == [
        f"工作表“第三网格党支部”第{r}行，所在党支部：党支部“第三网格党支部”在“幸福社区党委”下尚不存在"
        "（可选择创建文件中新出现的党支部）" for r in (3, 4)]
    assert plan.counts(create_branches=True).new == 4 and plan.problems(True) == []

    before = db_digest(workspace)
    with pytest.raises(ImportRefused, match="有2行有问题，未导入任何数据"):
        svc.apply_roster_import(plan)
    assert db_digest(workspace) == before

    result = svc.apply_roster_import(plan, create_branches=True)
    assert result.created == 4 and result.branches_created == ["第三网格党支部"]
    new_branch = workspace.orgs.find("第三网格党支部")
    assert new_branch.parent_id == street["community"] and new_branch.kind.value == "党支部"
    got = all_members(workspace)
    assert {got[p.id_number].org_id for p in first} == {street["b1"]}
    assert {got[p.id_number].org_id for p in third} == {new_branch.id}


def test_skipping_rows_of_a_branch_not_created(workspace, street, svc):
    path = mw.sheets_per_branch(workspace.path.parent / "s.xlsx",
                                {"第一网格党支部": mw.people(1), "第三网格党支部": mw.people(1, start=9)})
    plan = svc.plan_roster_import(path, org_id=street["community"])
    result = svc.apply_roster_import(plan, skip_invalid=True)
    assert (result.created, len(result.refused), result.branches_created) == (1, 1, [])
    assert "已导入：新增1人，更新0人，跳过有问题的1行" == result.summary()


def test_a_branch_column_merged_down_and_party_groups(workspace, street, svc):
    a, b = mw.people(3), mw.people(2, start=10)
    path = mw.branch_column_merged(workspace.path.parent / "merged.xlsx",
                                   [("第一网格党支部", a), ("离退休 党支部", b)])
    plan = svc.plan_roster_import(path, org_id=street["community"])
    assert plan.problems() == []
    svc.apply_roster_import(plan)
    got = all_members(workspace)
    assert [got[p.id_number].org_id for p in a + b] == [street["b1"]] * 3 + [street["b2"]] * 2


def test_branch_and_group_columns_name_the_place_of_each_row(workspace, street, svc):
    p = mw.people(5)
    header = ["姓名", "身份证号", "入党时间", "所在党支部", "所在党小组"]
    rows = [[p[0].name, p[0].id_number, p[0].joined, "第一网格党支部", "第一党小组"],
            [p[1].name, p[1].id_number, p[1].joined, "离退休党支部", None],
            [p[2].name, p[2].id_number, p[2].joined, "第一网格党支部", "第九党小组"],
            [p[3].name, p[3].id_number, p[3].joined, "幸福社区党委", None],
            [p[4].name, p[4].id_number, p[4].joined, "测试街道党工委", None]]
    path = mw.custom_roster(workspace.path.parent / "place.xlsx", header, rows, title=None)
    plan = svc.plan_roster_import(path, org_id=street["community"])
    assert texts(plan.problems()) == [
        "工作表“花名册”第4行，所在党小组：“第一网格党支部”下没有党小组“第九党小组”",
        "工作表“花名册”第6行，所在党支部：党员不能直接隶属于街道党工委",
    ]
    svc.apply_roster_import(plan, skip_invalid=True)
    got = all_members(workspace)
    assert (got[p[0].id_number].org_id, got[p[0].id_number].group_id) == (street["b1"], street["group"])
    assert (got[p[1].id_number].org_id, got[p[1].id_number].group_id) == (street["b2"], None)
    assert got[p[3].id_number].org_id == street["community"]


def test_without_a_branch_anywhere_the_row_says_so(workspace, street, svc):
    p = mw.people(1)
    path = mw.custom_roster(workspace.path.parent / "nobranch.xlsx", SHORT, [[p[0].name, p[0].id_number, p[0].joined]])
    plan = svc.plan_roster_import(path, org_id=street["community"])
    assert texts(plan.problems()) == [
        "工作表“花名册”第4行，所在党支部：未填写，且不能从工作表名称或所选组织确定，"
        "请在文件中填写所在党支部，或选择一个党支部作为导入目标"]


# --- duplicates and updates ------------------------------------------------------------


def test_repeats_in_the_file_and_members_already_on_record(workspace, street, svc):
    a, b, c, d = mw.people(4)
    c_id = workspace.roster.add(make_member(street["b1"], c.name, c.seq, birth=c.birth, sex=c.sex,
                                            address="旧地址", education="大学本科"))
    d_member = make_member(street["b1"], d.name, d.seq, birth=d.birth, sex=d.sex, address="人民路1号",
                           extra_org_ids=[street["b2"]])
    d_id = workspace.roster.add(d_member)
    uuid_c = workspace.roster.get(c_id).uuid
    rows = [mw.variant_row(1, a), mw.variant_row(2, b), mw.variant_row(3, a),
            mw.variant_row(4, b, 联系电话="13900000000"), mw.variant_row(5, c), mw.variant_row(6, d)]
    path = mw.custom_roster(workspace.path.parent / "dups.xlsx", mw.VARIANT_HEADER, rows)
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert [r.kind for r in plan.rows] == [RowKind.NEW, RowKind.INVALID, RowKind.DUPLICATE,
                                           RowKind.INVALID, RowKind.UPDATE, RowKind.UPDATE]
    counts = plan.counts()
    assert (counts.new, counts.update, counts.unchanged, counts.duplicate, counts.invalid) == (1, 2, 1, 1, 2)
    assert texts(plan.problems()) == [
        "工作表“花名册”第5行，身份证号码：与第7行的公民身份号码相同，但内容不同（手机号码），请核对后只保留一行",
        "工作表“花名册”第7行，身份证号码：与第5行的公民身份号码相同，但内容不同（手机号码），请核对后只保留一行",
    ]
    assert [(d.sheet, d.row, d.message) for d in plan.duplicates()] == [("花名册", 6, "与第4行完全相同，将只导入一次")]
    assert plan.rows[4].changes == ("家庭住址",) and plan.rows[5].changes == ()

    result = svc.apply_roster_import(plan, skip_invalid=True)
    assert (result.created, result.updated, result.unchanged, result.duplicates) == (1, 1, 1, 1)
    got = all_members(workspace)
    assert set(got) == {a.id_number, c.id_number, d.id_number}
    assert got[c.id_number].id == c_id and got[c.id_number].uuid == uuid_c
    assert got[c.id_number].address == "人民路1号"
    assert [e.kind for e in workspace.roster.events(c_id)] == [EventKind.JOINED]  # history kept, nothing added
    assert workspace.roster.get(d_id).extra_org_ids == [street["b2"]]


def test_an_update_moving_a_member_records_the_move(workspace, street, svc):
    p = mw.people(1)[0]
    mid = workspace.roster.add(make_member(street["b1"], p.name, p.seq, birth=p.birth, sex=p.sex,
                                           joined=p.joined, confirmed=p.confirmed, group_id=street["group"]))
    path = mw.custom_roster(workspace.path.parent / "move.xlsx", SHORT + ["所在党支部"],
                            [[p.name, p.id_number, p.joined, "离退休党支部"]])
    plan = svc.plan_roster_import(path, org_id=street["community"])
    assert plan.rows[0].changes == ("所在党支部", "所在党小组")
    svc.apply_roster_import(plan)
    m = workspace.roster.get(mid)
    assert (m.org_id, m.group_id) == (street["b2"], None)
    moved = [e for e in workspace.roster.events(mid) if e.kind is EventKind.MOVED]
    assert [e.detail for e in moved] == ["由第一网格党支部调至离退休党支部"]


def test_a_member_who_left_is_not_brought_back_by_an_import(workspace, street, svc):
    p = mw.people(1)[0]
    mid = workspace.roster.add(make_member(street["b1"], p.name, p.seq, birth=p.birth, sex=p.sex))
    workspace.roster.transfer_out(mid, date(2024, 3, 1), "区机关工委")
    path = mw.custom_roster(workspace.path.parent / "left.xlsx", SHORT, [[p.name, p.id_number, p.joined]])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert texts(plan.problems()) == [
        f"工作表“花名册”第4行，身份证号：与已不在册的党员“{p.name}”（已转出）相同，导入不能恢复其记录，请在花名册中核对"]


# --- other columns -----------------------------------------------------------------------


def test_a_contact_column_holding_landlines_fills_the_landline(workspace, street, svc):
    p = mw.people(3)
    path = mw.custom_roster(workspace.path.parent / "phones.xlsx", SHORT + ["联系电话"],
                            [[p[0].name, p[0].id_number, p[0].joined, "010-65123456"],
                             [p[1].name, p[1].id_number, p[1].joined, "138 0013 8000"],
                             [p[2].name, p[2].id_number, p[2].joined, 13800138001]])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert plan.problems() == []
    svc.apply_roster_import(plan)
    got = all_members(workspace)
    assert [(got[q.id_number].mobile, got[q.id_number].phone) for q in p] == [
        ("", "010-65123456"), ("13800138000", ""), ("13800138001", "")]


def test_a_mobile_column_holding_a_landline_is_a_problem(workspace, street, svc):
    p = mw.people(1)
    path = mw.custom_roster(workspace.path.parent / "m.xlsx", SHORT + ["手机号码"],
                            [[p[0].name, p[0].id_number, p[0].joined, "010-65123456"]])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert texts(plan.problems()) == ["工作表“花名册”第4行，手机号码：应为以1开头的11位数字"]


def test_choices_written_as_people_write_them(workspace, street, svc):
    p = mw.people(2)
    header = SHORT + ["民族", "文化程度", "人员类别", "工作岗位", "是否流动党员", "外出流向", "党籍状态", "党员分类"]
    rows = [[p[0].name, p[0].id_number, p[0].joined, "回", "大专", "正式", "退休", "是", "广东深圳", "", "退休党员"],
            [p[1].name, p[1].id_number, date.today() - timedelta(days=100), "汉", "硕士", "预备党员",
             "私企", "否", "", "正常", "在职"]]
    path = mw.custom_roster(workspace.path.parent / "choices.xlsx", header, rows)
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert plan.problems() == []
    svc.apply_roster_import(plan)
    a, b = (all_members(workspace)[q.id_number] for q in p)
    assert (a.ethnicity, a.education, a.category, a.job, a.is_mobile, a.outflow, a.standing,
            a.classification) == ("回族", "大学专科", Category.FULL, "退休人员", True, "广东深圳",
                                  PartyStanding.NORMAL, "离退休党员")
    assert (b.ethnicity, b.education, b.category, b.job, b.is_mobile, b.classification) == (
        "汉族", "硕士研究生", Category.PROBATIONARY, "民营企业", False, "在职党员")


def test_a_recent_member_without_category_is_not_guessed(workspace, street, svc):
    p = mw.people(2)
    path = mw.custom_roster(workspace.path.parent / "cat.xlsx", SHORT + ["民族"],
                            [[p[0].name, p[0].id_number, date.today() - timedelta(days=200), "汉族"],
                             [p[1].name, p[1].id_number, p[1].joined, "火星族"]])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert texts(plan.problems()) == [
        "工作表“花名册”第4行，人员类别：未填写，且无法从入党、转正日期判断，请填写“正式党员”或“预备党员”",
        "工作表“花名册”第5行，民族：“火星族”不是GB/T 3304中的民族名称",
    ]


def test_rows_of_members_who_left_in_an_exported_file_are_refused(workspace, street, svc):
    p = mw.people(2)
    path = mw.custom_roster(workspace.path.parent / "left.xlsx", SHORT + ["在册状态"],
                            [[p[0].name, p[0].id_number, p[0].joined, "在册"],
                             [p[1].name, p[1].id_number, p[1].joined, "已转出"]])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert texts(plan.problems()) == [
        "工作表“花名册”第5行，在册状态：为“已转出”：导入只接收在册党员，已离开的党员请在花名册中办理"]


# --- column mapping ----------------------------------------------------------------------


def test_the_clerk_corrects_the_column_mapping(workspace, street, svc):
    p = mw.people(2)
    header = SHORT + ["联系电话", "工作单位"]
    rows = [[q.name, q.id_number, q.joined, f"6512345{i}", "区图书馆"] for i, q in enumerate(p)]
    path = mw.custom_roster(workspace.path.parent / "map.xlsx", header, rows)
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    cols = {c.header: c for c in plan.sheets[0].columns}
    assert (cols["联系电话"].key, cols["工作单位"].key, cols["工作单位"].note) == ("mobile", None, "未识别的列名，不导入")

    overrides = {("花名册", 3): "phone", ("花名册", 4): "remarks"}
    plan = svc.plan_roster_import(path, org_id=street["b1"], mapping_overrides=overrides)
    assert [c.label for c in plan.sheets[0].columns] == ["姓名", "公民身份号码", "加入党组织日期", "固定电话", "备注"]
    svc.apply_roster_import(plan)
    got = all_members(workspace)
    assert [(got[q.id_number].phone, got[q.id_number].remarks) for q in p] == [
        ("65123450", "区图书馆"), ("65123451", "区图书馆")]


def test_two_columns_for_one_field_keep_the_first(workspace, street, svc):
    p = mw.people(1)
    path = mw.custom_roster(workspace.path.parent / "two.xlsx", SHORT + ["手机", "联系电话"],
                            [[p[0].name, p[0].id_number, p[0].joined, "13800000001", "13800000002"]])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    cols = plan.sheets[0].columns
    assert (cols[3].key, cols[4].key, cols[4].note) == ("mobile", None, "与D列同为“手机号码”，未导入")
    svc.apply_roster_import(plan)
    assert all_members(workspace)[p[0].id_number].mobile == "13800000001"


# --- files that cannot be read, huge claims ------------------------------------------------


def test_a_damaged_xls_file_is_refused_with_a_request(workspace, street, svc):
    before = db_digest(workspace)
    path = mw.fake_xls(workspace.path.parent / "名册.xls")
    with pytest.raises(WorkbookError, match="无法读取“名册.xls”：文件已损坏，或设置了打开密码.*另存为"):
        svc.plan_roster_import(path, org_id=street["b1"])
    assert db_digest(workspace) == before


def test_an_old_xls_roster_imports_into_its_branches(workspace, street, svc):
    """An Excel 97–2003 file imports like an .xlsx; its one ID number saved as a number is
    refused with the row and column named, the others are written."""
    a, b = mw.people(3), mw.people(2, start=10)
    path = mw.old_format_roster(workspace.path.parent / "旧名册.xls",
                                [("第一网格党支部", a), ("离退休 党支部", b)], id_as_number=b[1])
    plan = svc.plan_roster_import(path, org_id=street["community"])
    [problem] = plan.problems()
    assert (problem.sheet, problem.row, problem.column_text) == ("全社区", 8, "D列 公民身份号码")
    assert "数字" in problem.message, problem.message
    svc.apply_roster_import(plan, skip_invalid=True)
    got = all_members(workspace)
    assert [got[p.id_number].org_id for p in a + b[:1]] == [street["b1"]] * 3 + [street["b2"]]
    assert [got[p.id_number].joined for p in a + b[:1]] == [p.joined for p in a + b[:1]]
    assert b[1].id_number not in got


def test_a_sheet_claiming_a_million_rows(workspace, street, svc):
    path = mw.claims_a_million_rows(workspace.path.parent / "big.xlsx", mw.people(3))
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert plan.counts().new == 3
    assert plan.warnings == ["工作表“Sheet”：第4行之后连续1000行为空，已停止读取"
                             "（文件声称有1000000行；如其后还有数据，请删去中间的空行）"]


def test_a_workbook_without_any_roster(workspace, street, svc):
    path = mw.custom_roster(workspace.path.parent / "none.xlsx", ["单位", "人数"], [["幸福社区", 3]])
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    assert plan.rows == [] and plan.warnings[0].startswith("未在任何工作表中找到花名册表头")


# --- all or nothing ------------------------------------------------------------------------


@pytest.fixture
def messy_plan(workspace, street, svc):
    """One good row, one refused row; the database already holds a member."""
    workspace.roster.add(make_member(street["b1"], "老党员", 450))
    p = mw.people(2)
    path = mw.custom_roster(workspace.path.parent / "mixed.xlsx", SHORT,
                            [[p[0].name, p[0].id_number, p[0].joined], [p[1].name, int(p[1].id_number), p[1].joined]])
    return svc.plan_roster_import(path, org_id=street["b1"])


def test_a_refused_import_leaves_the_database_byte_for_byte_unchanged(workspace, svc, messy_plan):
    before = db_digest(workspace)
    with pytest.raises(ImportRefused) as e:
        svc.apply_roster_import(messy_plan)
    assert e.value.problems == messy_plan.problems()
    assert db_digest(workspace) == before


def test_a_failure_while_writing_rolls_everything_back(workspace, svc, messy_plan, monkeypatch):
    from desktop.storage import members as repo

    before = db_digest(workspace)

    def broken(conn, events):
        raise RuntimeError("disk full")

    monkeypatch.setattr(repo, "add_events", broken)
    with pytest.raises(RuntimeError):
        svc.apply_roster_import(messy_plan, skip_invalid=True)
    assert db_digest(workspace) == before
    monkeypatch.undo()
    assert svc.apply_roster_import(messy_plan, skip_invalid=True).created == 1  # the plan is intact


def test_cancelling_while_writing_keeps_nothing(workspace, svc, messy_plan):
    before = db_digest(workspace)
    token = CancelToken()

    def progress(done, total, message):
        if "写入" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        svc.apply_roster_import(messy_plan, skip_invalid=True, progress=progress, cancel=token)
    assert db_digest(workspace) == before


def test_a_database_changed_since_the_preview_is_not_overwritten(workspace, street, svc, messy_plan):
    row = messy_plan.landing_rows()[0]
    workspace.roster.add(make_member(street["b2"], "抢先录入", 0, birth=row.member.birth_date,
                                     sex=row.member.sex, id_number=row.member.id_number))
    before = db_digest(workspace)
    with pytest.raises(Conflict, match="预览之后数据库已有变化"):
        svc.apply_roster_import(messy_plan, skip_invalid=True)
    assert db_digest(workspace) == before


# --- round trip ----------------------------------------------------------------------------


def test_an_exported_roster_imports_back_into_an_empty_database(workspace, street, tmp_path):
    exporting = pytest.importorskip("desktop.services.exporting")
    from desktop.domain.organization import BranchKind, Organization, OrgKind
    from desktop.services.workspace import open_workspace

    r = workspace.roster
    r.add(make_member(street["b1"], "张三", 1, phone="010-12345678", address="人民路1号 3单元",
                      classification="在职党员", party_post="支部书记", remarks="备注，含逗号",
                      job="党政机关", education="硕士研究生", ethnicity="回族"))
    r.add(make_member(street["group"], "李四", 2, birth=date(1975, 3, 2), sex="女", lost_contact=True,
                      lost_contact_date=date(2024, 1, 5), classification="社区直管党员"))
    r.add(make_member(street["b2"], "王五", 3, birth=date(1990, 1, 9), category=Category.PROBATIONARY,
                      joined=date.today() - timedelta(days=100), confirmed=None, is_mobile=True,
                      outflow="广东省深圳市", mobile=""))
    r.add(make_member(street["community"], "买买提·艾力", 4, birth=date(1966, 6, 6), sex="女",
                      standing=PartyStanding.SUSPENDED, education="", job="", ethnicity="维吾尔族"))
    out = tmp_path / "花名册.xlsx"
    exporting.ExportService(workspace.db).export_roster(
        out, exporting.RosterExportOptions(mask_ids=False))

    other = open_workspace(tmp_path / "empty.sqlite3")
    try:
        o = other.orgs
        s = o.create(Organization("测试街道党工委", OrgKind.STREET))
        c = o.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id))
        b1 = o.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c.id, branch_kind=BranchKind.GRID))
        o.create(Organization("离退休党支部", OrgKind.BRANCH, parent_id=c.id))
        o.create(Organization("第一党小组", OrgKind.GROUP, parent_id=b1.id))
        svc = ImportService(other.db)
        plan = svc.plan_roster_import(out, org_id=c.id)
        assert plan.problems() == [] and plan.counts().new == 4
        svc.apply_roster_import(plan)
        names = {x.id: x.name for x in workspace.orgs.all()}
        other_names = {x.id: x.name for x in other.orgs.all()}
        old, new = all_members(workspace), all_members(other)
        assert set(old) == set(new)
        for number, m in old.items():
            n = new[number]
            for f in COMPARED_FIELDS:
                if f in ("org_id", "group_id"):
                    assert other_names.get(getattr(n, f)) == names.get(getattr(m, f)), (m.name, f)
                else:
                    assert getattr(n, f) == getattr(m, f), (m.name, f)
    finally:
        other.close()


def test_a_copy_is_taken_just_before_the_rows_land(workspace, street, svc):
    """Issue #8: an import can be undone by restoring the 导入前 copy."""
    import sqlite3

    from desktop.storage.database import backups_dir

    path = mw.titled_roster(workspace.path.parent / "一支部.xlsx", mw.people(3))
    plan = svc.plan_roster_import(path, org_id=street["b1"])
    svc.apply_roster_import(plan)
    copies = sorted(backups_dir(workspace.path).glob("*导入前*.sqlite3"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as c:  # the copy holds the roster as it was before
        assert c.execute("SELECT count(*) FROM member").fetchone()[0] == 0
    assert len(all_members(workspace)) == 3
