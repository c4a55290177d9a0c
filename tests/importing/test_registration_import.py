"""Importing a 在职党员报到 list from .xlsx: header spellings, row-level reasons, all or nothing,
roster members linked by ID number."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from desktop.domain.errors import FieldError
from desktop.domain.idcard import make_id_number
from desktop.domain.registration import ServicePost
from tests.conftest import make_member

TODAY = date(2026, 11, 22)
ID_1 = make_id_number("120101", date(1985, 6, 1), 1, "男")
ID_2 = make_id_number("120101", date(1990, 2, 3), 2, "女")


def _book(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "报到名单"
    ws.append(["市供电公司在职党员到社区报到名单"])  # a title row above the header
    ws.append(["序号", "*姓名", "性别", "手机", "身份证号", "工作单位", "所在党支部", "服务岗位",
               "报到时间（年月日）", "家庭住址"])
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=3, min_col=5, max_col=5):
        for c in row:
            c.number_format = "@"
    wb.save(path)
    return path


def test_preview_reports_each_bad_row_and_imports_nothing(workspace, street, tmp_path):
    path = _book(tmp_path / "list.xlsx", [
        [1, "孙一", "男", "139 0000 1111", ID_1, "市供电公司", "市供电公司党委", "安全巡逻、法律援助", "2026-03-01", "幸福路1号"],
        [2, "周二", "女", "13900002222", "120101199002030000", "市供电公司", "市供电公司党委", "唱歌", "2026/3/1", ""],
        [3, "吴三", "男", "13900003333", ID_1, "市供电公司", "", "", "", ""],
    ])
    imp = workspace.registrations.importer
    plan = imp.preview(path, street["community"], TODAY)
    texts = [str(p) for p in plan.problems]
    assert any("第4行" in t and "E列 身份证号" in t and "校验位" in t for t in texts)
    assert any("第4行" in t and "H列 服务岗位" in t and "“唱歌”不是服务岗位" in t for t in texts)
    assert any("第5行" in t and "与工作表“报到名单”第3行重复" in t for t in texts)
    assert not plan.ok
    with pytest.raises(FieldError, match="未导入任何记录"):
        imp.commit(plan)
    assert workspace.registrations.members() == []


def test_clean_list_imports_all_and_links_roster_members(workspace, street, tmp_path):
    lisi = workspace.roster.get(workspace.roster.add(make_member(street["b1"], "李四", 2)))
    path = _book(tmp_path / "list.xlsx", [
        [1, "孙一", "男", "139 0000 1111", ID_1, "市供电公司", "市供电公司党委", "安全巡逻、法律援助", "2026-03-01", "幸福路1号"],
        [2, "周二", "女", "13900002222", ID_2, "市供电公司", "市供电公司党委", "", None, ""],
        [3, "随便", "", "", lisi.id_number, "区税务局", "区税务局机关党委", "其他", "2026-04-01", ""],
    ])
    imp = workspace.registrations.importer
    plan = imp.preview(path, street["community"], TODAY)
    assert plan.ok, [str(p) for p in plan.problems]
    assert plan.linked == 1 and "共3人，其中1人已在花名册中" in plan.summary
    assert imp.commit(plan) == 3
    regs = {r.name: r for r in workspace.registrations.members()}
    assert set(regs) == {"孙一", "周二", "李四"}
    assert regs["孙一"].phone == "13900001111" and regs["孙一"].posts == [ServicePost.PATROL, ServicePost.LEGAL]
    assert regs["周二"].reported_on == TODAY  # no date in the file: the day of the import
    assert regs["李四"].member_id == lisi.id and regs["李四"].phone == lisi.mobile
    # The same file again: every row is already registered, nothing is added.
    again = imp.preview(path, street["community"], TODAY)
    assert len(again.problems) == 3 and all("已经报到登记" in p.message for p in again.problems)


def test_an_old_xls_list_imports_like_an_xlsx(workspace, street, tmp_path):
    """Units often still send Excel 97–2003 files: the same list as .xls gives the same plan."""
    import xlwt

    rows = [[1, "孙一", "男", "13900001111", ID_1, "市供电公司", "市供电公司党委", "安全巡逻", "2026-03-01", ""],
            [2, "周二", "女", "13900002222", ID_2, "市供电公司", "市供电公司党委", "", None, ""]]
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("报到名单")
    ws.write(0, 0, "市供电公司在职党员到社区报到名单")
    for c, h in enumerate(["序号", "*姓名", "性别", "手机", "身份证号", "工作单位", "所在党支部", "服务岗位",
                           "报到时间（年月日）", "家庭住址"]):
        ws.write(1, c, h)
    for r, values in enumerate(rows, 2):
        for c, v in enumerate(values):
            if v is not None:
                ws.write(r, c, v)
    path = tmp_path / "list.xls"
    book.save(str(path))
    imp = workspace.registrations.importer
    plan = imp.preview(path, street["community"], TODAY)
    assert plan.ok, [str(p) for p in plan.problems]
    assert imp.commit(plan) == 2
    assert {r.name for r in workspace.registrations.members()} == {"孙一", "周二"}
