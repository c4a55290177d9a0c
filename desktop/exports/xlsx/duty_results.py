"""述职评议结果汇总表 as .xlsx: a summary sheet and a sheet per secretary.

汇总 (first sheet)::

    row 1   <round title>结果汇总表                         (merged, 16 pt bold)
    row 2   统计日期 … 计分办法 …                           (merged, wrapped)
    row 3   the column groups: 上级评议（50%）, 党员群众评议（50%）, 综合 (merged)
    row 4   序号 姓名 组织及职务 | 应参评 实参评 参评率 好 好% … 得分 | … | 加权得分 等次 排名
    row 5…  one row per secretary

Then per secretary: the item detail per audience (counts, % of ballots returned,
score), a line per audience (participation, score), and the 整改清单. A round has
tens of secretaries, so the normal (not write-only) workbook is used.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.config import APP_TITLE
from desktop.domain.dates import format_date_cn
from desktop.domain.duty_report_results import (FIX_HEADER, Column, RoundResults, SecretaryResult,
                                                audience_line, detail_columns, detail_rows,
                                                method_note, secretary_line, summary_columns,
                                                summary_row)
from desktop.domain.tasks import CancelToken
from desktop.exports.atomic import atomic_write
from desktop.exports.xlsx.page import a4_landscape
from desktop.exports.xlsx.roster import sheet_title

FONT_NAME = "宋体"
SUMMARY_TITLE = "汇总"
PERCENT = "0.0%"
SCORE = "0.00"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY = Font(name=FONT_NAME, size=10)
BOLD = Font(name=FONT_NAME, size=10, bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
WIDTHS = {"int": 6, "pct": 7, "score": 7, "text": 10}


def write_duty_results_xlsx(path: str | os.PathLike[str], results: RoundResults, today: date, *,
                            cancel: CancelToken | None = None) -> Path:
    cancel = cancel or CancelToken()
    wb = Workbook()
    wb.properties.title = results.title
    wb.properties.creator = APP_TITLE
    _summary(wb.active, results, today)
    used = {SUMMARY_TITLE.lower()}
    for i, s in enumerate(results.secretaries):
        if i % 10 == 0:
            cancel.check()
        _secretary(wb.create_sheet(sheet_title(s.reporter.name, used)), results, s, today)
    cancel.check()
    with atomic_write(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return Path(path)


def _page_setup(ws, header_rows: str) -> None:
    a4_landscape(ws, header_rows)


def _title(ws, row: int, ncols: int, text: str, *, size: int = 16, height: float = 28) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    c = ws.cell(row, 1, text)
    c.font = Font(name=FONT_NAME, size=size, bold=True)
    c.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[row].height = height


def _info(ws, row: int, ncols: int, text: str, height: float = 30) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    c = ws.cell(row, 1, text)
    c.font, c.alignment = BODY, LEFT
    ws.row_dimensions[row].height = height


def _header(ws, row: int, labels: list[str]) -> None:
    for i, h in enumerate(labels, start=1):
        c = ws.cell(row, i, h)
        c.font, c.alignment, c.border, c.fill = BOLD, CENTRE, BORDER, HEADER_FILL


def _values(ws, row: int, cols: list[Column], values: list) -> None:
    for i, (col, v) in enumerate(zip(cols, values), start=1):
        c = ws.cell(row, i, v)
        c.font, c.border = BODY, BORDER
        c.alignment = LEFT if col.kind == "text" and i > 1 else CENTRE
        if col.kind == "pct":
            c.number_format = PERCENT
        elif col.kind == "score":
            c.number_format = SCORE


def _summary(ws, results: RoundResults, today: date) -> None:
    ws.title = SUMMARY_TITLE
    cols = summary_columns(results.template)
    n = len(cols)
    _title(ws, 1, n, results.title)
    _info(ws, 2, n, f"统计日期：{format_date_cn(today)}　　{method_note(results.template)}", 44)
    # row 3: the column groups, merged over their columns
    start = 1
    for i in range(1, n + 1):
        group = cols[i - 1].group
        last = i == n or cols[i].group != group
        if last:
            if group:
                if i > start:
                    ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=i)
                c = ws.cell(3, start, group)
                c.font, c.alignment, c.fill = BOLD, CENTRE, HEADER_FILL
            for k in range(start, i + 1):
                ws.cell(3, k).border = BORDER
            start = i + 1
    _header(ws, 4, [c.label for c in cols])
    for i, s in enumerate(results.secretaries, start=1):
        _values(ws, 4 + i, cols, summary_row(i, s))
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS[c.kind]
    ws.column_dimensions["B"].width = 9
    ws.column_dimensions["C"].width = 22
    ws.freeze_panes = "D5"
    _page_setup(ws, "3:4")


def _secretary(ws, results: RoundResults, s: SecretaryResult, today: date) -> None:
    cols = detail_columns(results.template)
    n = len(cols)
    _title(ws, 1, n, f"{s.reporter.label}述职评议测评明细", size=14)
    _info(ws, 2, n, f"{results.round.title}　　{secretary_line(s)}　　统计日期：{format_date_cn(today)}", 22)
    _header(ws, 3, [c.label for c in cols])
    row = 4
    for values in detail_rows(s):
        _values(ws, row, cols, values)
        row += 1
    for a in s.audiences:
        _info(ws, row, n, audience_line(a), 18)
        row += 1
    row += 1
    _title(ws, row, n, "整改清单", size=12, height=20)
    row += 1
    _header(ws, row, FIX_HEADER)
    row += 1
    fix_cols = [Column("", "", k) for k in ("int", "text", "text", "text", "int", "text")]
    for i, f in enumerate(s.fixes, start=1):
        _values(ws, row, fix_cols, [i, f.problem, f.measure or None, f.due, f.round_year,
                                    f.state_text])
        if f.due:
            ws.cell(row, 4).number_format = "yyyy-mm-dd"
        row += 1
    if not s.fixes:
        _info(ws, row, n, "（无）", 18)
    widths = [14, 14, 26] + [6, 7] * len(results.template.ratings) + [7]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.column_dimensions["B"].width = max(14, ws.column_dimensions["B"].width)
    ws.freeze_panes = "A4"
    _page_setup(ws, "3:3")
