"""党员花名册 .xlsx: read back with openpyxl — values, order, types, sheets and print settings."""
from __future__ import annotations

import os
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from desktop.domain.roster_export import (RECORD_KEYS, RosterDocument, RosterSection)
from desktop.domain.roster_fields import ALL_FIELDS
from desktop.exports.xlsx.roster import (DATE_FORMAT, FIRST_DATA_ROW, HEADER_ROW, column_widths,
                                         sheet_title, text_width, write_roster_xlsx)
from desktop.services.exporting import ExportService, RosterExportOptions
from tests.roster_export_data import TODAY, fill_roster

HEADERS = [f.label for f in ALL_FIELDS]


@pytest.fixture
def roster(workspace, street):
    return street | fill_roster(workspace, street)


@pytest.fixture
def export(workspace, roster, tmp_path):
    """export(**options) → the loaded workbook of a roster export of the community."""
    out = tmp_path / "out"
    out.mkdir()

    def run(name="roster.xlsx", **options):
        options.setdefault("org_id", roster["community"])
        path = out / name
        ExportService(workspace.db).export_roster(path, RosterExportOptions(**options), today=TODAY)
        return load_workbook(path)

    return run


def data_rows(ws) -> list[dict]:
    header = [c.value for c in ws[HEADER_ROW]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)]


def test_one_sheet_per_branch_with_title_info_and_national_header(export):
    wb = export()
    assert wb.sheetnames == ["第一网格党支部", "离退休党支部"]
    ws = wb["第一网格党支部"]
    assert ws["A1"].value == "第一网格党支部党员花名册"
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14
    assert "A1:X1" in {str(r) for r in ws.merged_cells.ranges}
    info = ws["A2"].value
    assert "组织：第一网格党支部" in info and "在册党员：2人" in info and "导出日期：2026年11月22日" in info
    assert [c.value for c in ws[HEADER_ROW]] == HEADERS
    assert HEADERS[:21] == ["序号", "姓名", "所在党支部", "公民身份号码", "性别", "民族", "出生日期", "学历",
                            "人员类别", "加入党组织日期", "转为正式党员日期", "工作岗位", "手机号码", "固定电话",
                            "家庭住址", "党籍状态", "是否为失联党员", "失去联系日期", "是否为流动党员", "外出流向",
                            "备注"]
    assert HEADERS[21:] == ["社区党员分类", "党内职务", "所在党小组"]
    assert [r["姓名"] for r in data_rows(ws)] == ["李堃", "张三"]
    assert [r["序号"] for r in data_rows(wb["离退休党支部"])] == [1, 2]


def test_a_members_every_field(export, workspace, roster):
    ws = export(sheet_per_branch=False, mask_ids=False).active
    assert ws.title == "党员花名册"
    assert ws["A1"].value == "幸福社区党委党员花名册"
    rows = data_rows(ws)
    assert [r["序号"] for r in rows] == [1, 2, 3, 4]
    assert [r["姓名"] for r in rows] == ["李堃", "张三", "王五", "赵六"]
    m = workspace.roster.get(roster["张三"])
    z = rows[1]
    assert z == {
        "序号": 2, "姓名": "张三", "所在党支部": "第一网格党支部", "公民身份号码": m.id_number,
        "性别": "男", "民族": "回族", "出生日期": datetime(1980, 5, 17), "学历": "大学本科",
        "人员类别": "正式党员", "加入党组织日期": datetime(2005, 7, 1),
        "转为正式党员日期": datetime(2006, 7, 1), "工作岗位": "社区工作人员", "手机号码": "13800000000",
        "固定电话": "010-65001234", "家庭住址": "北京市朝阳区幸福路8号院3号楼2单元501室",
        "党籍状态": "正常", "是否为失联党员": "否", "失去联系日期": None, "是否为流动党员": "是",
        "外出流向": "广东省深圳市", "备注": "长期在外务工，每季度电话联系", "社区党员分类": "流动党员",
        "党内职务": "支部书记", "所在党小组": "第一党小组",
    }
    w = rows[2]  # 王五, 预备党员: no 转正 date, no group
    assert (w["人员类别"], w["转为正式党员日期"], w["所在党小组"]) == ("预备党员", None, None)
    zl = rows[3]
    assert (zl["是否为失联党员"], zl["失去联系日期"]) == ("是", datetime(2025, 6, 1))


def test_id_numbers_are_text_and_dates_are_dates(export):
    ws = export(sheet_per_branch=False).active
    header = [c.value for c in ws[HEADER_ROW]]
    id_col = header.index("公民身份号码") + 1
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        cell = ws.cell(r, id_col)
        assert cell.data_type == "s" and isinstance(cell.value, str) and len(cell.value) == 18
        assert cell.number_format == "@"
        assert ws.cell(r, header.index("手机号码") + 1).number_format == "@"
    for label in ("出生日期", "加入党组织日期"):
        cell = ws.cell(FIRST_DATA_ROW, header.index(label) + 1)
        assert cell.is_date and cell.number_format == DATE_FORMAT
    b = ws.cell(FIRST_DATA_ROW, 2).border
    assert b.left.style == b.right.style == b.top.style == b.bottom.style == "thin"


def test_print_settings(export):
    for ws in export().worksheets + export("one.xlsx", sheet_per_branch=False).worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape"
        assert str(ps.paperSize) == "9"  # A4
        assert (ps.fitToWidth, ps.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows in ("3:3", "$3:$3")
        assert ws.freeze_panes == "C4"
        assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"
        assert ws.print_options.horizontalCentered


def test_column_widths_fit_the_content(export):
    ws = export(sheet_per_branch=False).active
    width = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[HEADER_ROW]}
    assert width["公民身份号码"] >= 20
    assert width["手机号码"] >= 13
    assert width["出生日期"] >= 12
    assert width["所在党支部"] >= text_width("第一网格党支部") + 2
    # This address needs 40: the column stops at 28 + 6 and the cell wraps instead.
    assert text_width("北京市朝阳区幸福路8号院3号楼2单元501室") + 2 == 40
    assert width["家庭住址"] == 34 and ws.cell(FIRST_DATA_ROW, 15).alignment.wrap_text
    assert width["性别"] <= 8  # narrow where the content is narrow
    assert all(4 <= w <= 40 for w in width.values())


def test_masked_copy_says_so(export):
    ws = export(sheet_per_branch=False).active  # masked by default
    rows = data_rows(ws)
    ids = [r["公民身份号码"] for r in rows]
    assert all(re.fullmatch(r"110105\*{8}\d{3}[\dX]", v) for v in ids), ids
    phones = [r[k] for r in rows for k in ("手机号码", "固定电话") if r[k]]
    assert phones and all(re.fullmatch(r"[\d*-]+", p) and p.count("*") == 4 for p in phones), phones
    assert "身份证号、电话已隐去部分数字" in ws["A2"].value and "不能用于导入" in ws["A2"].value
    assert ws.oddFooter.right.text == "身份证号、电话已隐去部分数字"


def test_full_copy_says_keep_it_confidential(export):
    ws = export(sheet_per_branch=False, mask_ids=False).active
    assert all(re.fullmatch(r"\d{17}[\dX]", r["公民身份号码"]) for r in data_rows(ws))
    assert "含完整身份证号、电话，注意保密" in ws["A2"].value
    assert ws.oddFooter.right.text == ws.firstFooter.right.text == "含完整身份证号、电话，注意保密"


def test_members_who_left_get_status_columns(export):
    ws = export(sheet_per_branch=False, include_left=True).active
    assert [c.value for c in ws[HEADER_ROW]] == HEADERS + ["在册状态", "离开日期"]
    rows = {r["姓名"]: r for r in data_rows(ws)}
    assert (rows["钱七"]["在册状态"], rows["钱七"]["离开日期"]) == ("已转出", datetime(2026, 5, 1))
    assert (rows["张三"]["在册状态"], rows["张三"]["离开日期"]) == ("在册", None)
    assert "其中已离开1人" in ws["A2"].value


def test_sheet_titles_excel_accepts():
    used: set[str] = set()
    assert sheet_title("第一网格党支部", used) == "第一网格党支部"
    assert sheet_title("第一网格党支部", used) == "第一网格党支部(2)"
    assert sheet_title("第一网格党支部", used) == "第一网格党支部(3)"
    assert sheet_title("A/B:C*D?E[F]G\\H", used) == "A_B_C_D_E_F_G_H"
    long = "北京市朝阳区某某街道某某社区第二网格党支部流动党员联络组功能型党支部"
    t1, t2 = sheet_title(long, used), sheet_title(long, used)
    assert len(t1) == 31 and len(t2) == 31 and t1 != t2 and t2.endswith("(2)")
    assert sheet_title("'引号'", used) == "引号"
    assert sheet_title("History", used) == "History_"
    assert sheet_title("", used) == "党员花名册_"


def test_awkward_names_write_and_read_back(tmp_path):
    """Duplicate and over-long branch names, forbidden characters, a control character, an &."""
    row = dict.fromkeys(RECORD_KEYS, "")
    row.update(name="张三", id_number="110105198005170019", birth_date=date(1980, 5, 17),
               joined=None, confirmed=None, lost_contact=False, lost_contact_date=None,
               is_mobile=False, group_name=None, remarks="第一行\x0b第二行")
    values = tuple(row.values())
    names = ["A&B 党支部", "A&B 党支部", "x" * 40, "楼院[1]/2"]
    doc = RosterDocument("A&B 社区", TODAY, tuple(RosterSection(i, n, [values]) for i, n in enumerate(names)))
    path = tmp_path / "awkward.xlsx"
    write_roster_xlsx(path, doc)
    wb = load_workbook(path)
    assert wb.sheetnames == ["A&B 党支部", "A&B 党支部(2)", "x" * 31, "楼院_1__2"]
    for ws in wb.worksheets:
        assert ws.print_title_rows in ("3:3", "$3:$3")
        assert data_rows(ws)[0]["备注"] == "第一行第二行"
        assert data_rows(ws)[0]["姓名"] == "张三"
    assert wb.worksheets[0].oddHeader.left.text == "A&&B 党支部党员花名册"


def test_empty_roster_still_has_a_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_roster_xlsx(path, RosterDocument("幸福社区党委", TODAY, ()))
    ws = load_workbook(path).active
    assert [c.value for c in ws[HEADER_ROW]] == HEADERS
    assert ws.max_row == HEADER_ROW
    assert "在册党员：0人" in ws["A2"].value


def test_cancel_keeps_the_previous_file(tmp_path):
    from desktop.domain.tasks import CancelToken, Cancelled

    row = dict.fromkeys(RECORD_KEYS, "")
    row.update(birth_date=None, joined=None, confirmed=None, lost_contact=False,
               lost_contact_date=None, is_mobile=False, group_name=None)
    doc = RosterDocument("社区", TODAY, (RosterSection(1, "支部", [tuple(row.values())] * 2000),))
    target = tmp_path / "roster.xlsx"
    target.write_bytes(b"old")
    token = CancelToken()

    def progress(done, total, message):
        if done >= 1000:
            token.cancel()

    with pytest.raises(Cancelled):
        write_roster_xlsx(target, doc, progress=progress, cancel=token)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["roster.xlsx"]


def test_widths_without_rows_use_the_typical_width():
    widths = column_widths(ALL_FIELDS, ())
    assert len(widths) == len(ALL_FIELDS)
    assert widths[HEADERS.index("家庭住址")] >= 28
