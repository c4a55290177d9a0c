"""党员统计表 as an .xlsx sheet that prints on one A4 landscape page width.

Layout::

    row 1   长青街道党工委党员统计表（截至2026年11月22日）   (merged, 16 pt bold)
    row 2   统计范围 …　说明                                (merged)
    row 3   组织 | 党员总数 | 人员类别 … | 性别 … | 年龄 … | 学历 … | 民族 …  (headings merged)
    row 4          |          | 正式党员 预备党员 | 男 女 | 30岁及以下 …        (column labels)
    row 5…  one organisation per row, in tree order, indented by depth; each row counts
            the organisation's own members and all below it (the first row is the total)

Numbers are real numbers; rows 3–4 repeat on every printed page.
"""
from __future__ import annotations

import os
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.config import APP_TITLE
from desktop.domain.dates import format_date_cn
from desktop.domain.stats import TOTAL_KEY, StatsTable
from desktop.domain.tasks import CancelToken
from desktop.exports.atomic import atomic_write
from desktop.exports.xlsx.page import PAGE_NUMBERS, a4_landscape, narrow_margins
from desktop.exports.xlsx.roster import BODY_SIZE, FONT_NAME, text_width

SHEET_TITLE = "党员统计表"
TITLE_ROW, INFO_ROW, GROUP_ROW, LABEL_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = LABEL_ROW + 1
NOTE = "人数为在册党员，各组织含其下级组织；年龄按统计日期计算；民族一栏只列汉族和少数民族。"


def info_line(table: StatsTable) -> str:
    return f"统计范围：{table.scope_name}　　统计日期：{format_date_cn(table.day)}　　{NOTE}"


def write_stats_xlsx(path: str | os.PathLike[str], table: StatsTable, *,
                     cancel: CancelToken | None = None) -> Path:
    """Write the table to `path` atomically (Cancelled leaves `path` as it was)."""
    cancel = cancel or CancelToken()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    wb.properties.title = table.title
    wb.properties.creator = APP_TITLE
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT_NAME, size=BODY_SIZE)
    bold = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
    grey = PatternFill("solid", fgColor="D9D9D9")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ncols = 2 + len(table.columns)
    last = get_column_letter(ncols)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.merge_cells(f"A{INFO_ROW}:{last}{INFO_ROW}")
    title = ws.cell(TITLE_ROW, 1, table.title)
    title.font = Font(name=FONT_NAME, size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    info = ws.cell(INFO_ROW, 1, info_line(table))
    info.font = body
    info.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.row_dimensions[INFO_ROW].height = 30
    ws.row_dimensions[LABEL_ROW].height = 30

    def head(row: int, col: int, text: str) -> None:
        c = ws.cell(row, col, text)
        c.font, c.alignment, c.fill, c.border = bold, centre, grey, border

    for col, text in ((1, "组织"), (2, "党员总数")):
        head(GROUP_ROW, col, text)
        head(LABEL_ROW, col, None)
        ws.merge_cells(start_row=GROUP_ROW, start_column=col, end_row=LABEL_ROW, end_column=col)
    col = 3
    for group, cols in table.groups():
        for i, c in enumerate(cols):
            head(GROUP_ROW, col + i, group if i == 0 else None)
            head(LABEL_ROW, col + i, c.label)
        if len(cols) > 1:
            ws.merge_cells(start_row=GROUP_ROW, start_column=col, end_row=GROUP_ROW,
                           end_column=col + len(cols) - 1)
        col += len(cols)

    keys = [TOTAL_KEY] + [c.key for c in table.columns]
    number = Alignment(horizontal="center", vertical="center")
    # Styles are copied from one template cell per kind (assigning font, border and
    # alignment to each of 50,000 cells would hash the style objects every time).
    templates: dict[tuple[str, int], object] = {}

    def style(kind: str, depth: int):
        key = (kind, depth)
        if key not in templates:
            t = ws.cell(ws.max_row + 10, 1)  # a scratch cell, removed below
            t.font, t.border = (bold if depth <= 1 else body), border
            t.alignment = (number if kind == "n" else
                           Alignment(horizontal="left", vertical="center", wrap_text=True, indent=depth))
            templates[key] = t._style
            del ws._cells[(t.row, t.column)]
        return templates[key]

    for n, row in enumerate(table.rows):
        r = FIRST_DATA_ROW + n
        name_style, number_style = style("s", row.depth), style("n", row.depth)
        ws.cell(r, 1, row.org_name)._style = copy(name_style)
        for j, key in enumerate(keys, start=2):
            ws.cell(r, j, row.counts[key])._style = copy(number_style)
        if n % 200 == 0:
            cancel.check()

    name_width = max([text_width(r.org_name) + 2 * r.depth for r in table.rows] + [12])
    ws.column_dimensions["A"].width = min(name_width + 2, 40)
    ws.column_dimensions["B"].width = 8
    for j, c in enumerate(table.columns, start=3):
        ws.column_dimensions[get_column_letter(j)].width = max(6, min(text_width(c.label) // 2 + 3, 9))
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    _print_setup(ws, table)
    cancel.check()
    with atomic_write(path, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return Path(path)


def _print_setup(ws, table: StatsTable) -> None:
    a4_landscape(ws, f"{GROUP_ROW}:{LABEL_ROW}")
    narrow_margins(ws)
    footer = ws.oddFooter
    footer.center.text = PAGE_NUMBERS
    footer.left.text = f"统计日期：{format_date_cn(table.day)}"
    for part in (footer.left, footer.center):
        part.size = 9
