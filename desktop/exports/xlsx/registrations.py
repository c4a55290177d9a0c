"""双报到 overview for the street as .xlsx: who registered where, and what they did.

Two sheets, 在职党员 and 驻区单位::

    row 1   2026年度双报到情况汇总（在职党员）            (merged, 16 pt bold)
    row 2   统计日期 …　身份证号、电话已隐去部分数字        (merged; also in the page footer)
    row 3   header
    row 4…  one row per registration with the period's services, hours,
            commitments kept and the appraisal

ID and telephone numbers are text cells (never numbers that lose digits) and
come masked unless the caller built the overview with full numbers.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.config import APP_TITLE
from desktop.domain.dates import format_date_cn
from desktop.domain.masking import privacy_note
from desktop.domain.registration_feedback import OverviewRow, RegistrationOverview
from desktop.exports.atomic import atomic_write
from desktop.exports.xlsx.page import a4_landscape

FONT_NAME = "宋体"
MEMBER_SHEET = "在职党员"
UNIT_SHEET = "驻区单位"
MEMBER_HEADER = ["序号", "姓名", "性别", "联系电话", "公民身份号码", "工作单位", "所在党组织",
                 "报到社区", "所在网格", "服务岗位意向", "报到日期", "服务次数", "服务时长（小时）",
                 "承诺数", "已践诺", "社区评价", "备注"]
MEMBER_WIDTHS = [5, 9, 5, 14, 20, 22, 22, 16, 10, 22, 11, 8, 10, 7, 7, 9, 14]
UNIT_HEADER = ["序号", "单位名称", "单位党组织", "联络电话", "报到社区", "报到日期", "服务次数",
               "服务时长（小时）", "承诺数", "已践诺", "社区评价", "备注"]
UNIT_WIDTHS = [5, 24, 24, 14, 16, 11, 8, 10, 7, 7, 9, 30]
_TEXT_COLUMNS = {"联系电话", "公民身份号码", "联络电话"}


def write_registrations_xlsx(path: str | os.PathLike[str], ov: RegistrationOverview) -> Path:
    with atomic_write(path, suffix=".xlsx") as tmp:
        wb = Workbook()
        wb.remove(wb.active)
        wb.properties.title = f"{ov.period}双报到情况汇总"
        wb.properties.creator = APP_TITLE
        members = [r for r in ov.rows if not r.sheet.is_unit]
        units = [r for r in ov.rows if r.sheet.is_unit]
        _sheet(wb, ov, MEMBER_SHEET, MEMBER_HEADER, MEMBER_WIDTHS, [_member(i, r) for i, r in
                                                                   enumerate(members, start=1)])
        _sheet(wb, ov, UNIT_SHEET, UNIT_HEADER, UNIT_WIDTHS, [_unit(i, r) for i, r in
                                                             enumerate(units, start=1)])
        wb.save(tmp)
    return Path(path)


def _clean(v):
    return ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v


def _member(i: int, r: OverviewRow) -> list:
    s = r.sheet
    return [i, s.name, r.sex, s.phone, s.id_number, s.employer, s.employer_org,
            r.community, s.grid, r.posts, s.reported_on, s.service_count, s.total_hours,
            len(s.commitments), s.kept_count, _grade(s), r.note]


def _unit(i: int, r: OverviewRow) -> list:
    s = r.sheet
    return [i, s.name, s.employer_org, s.phone, r.community, s.reported_on, s.service_count,
            s.total_hours, len(s.commitments), s.kept_count, _grade(s), r.note]


def _grade(s) -> str:
    if s.appraisal is None:
        return ""
    return f"{s.appraisal.value}（建议）" if s.appraisal_suggested else s.appraisal.value


def _sheet(wb: Workbook, ov: RegistrationOverview, name: str, header: list[str],
           widths: list[int], rows: list[list]) -> None:
    ws = wb.create_sheet(name)
    last = get_column_letter(len(header))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT_NAME, size=10)
    note = privacy_note(ov.masked)
    ws.append([f"{ov.period}双报到情况汇总（{name}）"])
    ws.append([f"统计日期：{format_date_cn(ov.issued_on)}　　共{len(rows)}{'人' if name == MEMBER_SHEET else '个'}"
               f"　　{note}"])
    ws.append(header)
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"].font = Font(name=FONT_NAME, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws["A2"].font = body
    ws.row_dimensions[1].height = 28
    text_cols = {i for i, h in enumerate(header, start=1) if h in _TEXT_COLUMNS}
    date_col = header.index("报到日期") + 1
    for c in range(1, len(header) + 1):
        cell = ws.cell(3, c)
        cell.font = Font(name=FONT_NAME, size=10, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    for r, values in enumerate(rows, start=4):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c, _clean(v) if v != "" else None)
            cell.font, cell.border = body, border
            if c in text_cols:
                cell.number_format = "@"
            elif c == date_col:
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "C4"
    a4_landscape(ws, "3:3")
    ws.HeaderFooter.oddFooter.left.text = note
