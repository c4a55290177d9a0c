"""三会一课台账 as an .xlsx workbook: a summary sheet and a sheet per organisation.

汇总 (first sheet)::

    row 1   长青街道党工委2026年三会一课台账            (merged, 16 pt bold)
    row 2   统计日期 …　说明                            (merged)
    row 3   所属组织 组织 会议类型 一季度已开 一季度应开 … 全年已开 全年应开 缺开 补记
            应到人次 实到人次 出席率
    row 4…  one row per organisation × required meeting kind

Then one sheet per organisation listing every meeting of the year:
序号 日期 时间 会议类型 主题/议题 地点 主持人 记录人 应到 实到 出席率 缺席人员及原因 会议有效 状态.

Written in openpyxl's write-only mode with template style arrays (as the roster
export does), so 60 branches take little more than writing the bare cells.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from desktop.config import APP_TITLE
from desktop.domain.dates import format_date_cn
from desktop.domain.meeting_ledger import Ledger, LedgerSheet
from desktop.domain.tasks import CancelToken
from desktop.exports.atomic import atomic_write
from desktop.exports.xlsx.page import a4_landscape
from desktop.exports.xlsx.roster import sheet_title

FONT_NAME = "宋体"
SUMMARY_TITLE = "汇总"
QUARTERS = ("一季度", "二季度", "三季度", "四季度")
SUMMARY_HEADER = (["所属组织", "组织", "会议类型"]
                  + [f"{q}{w}" for q in QUARTERS for w in ("已开", "应开")]
                  + ["全年已开", "全年应开", "缺开", "补记", "应到人次", "实到人次", "出席率"])
SUMMARY_WIDTHS = [16, 24, 12] + [7] * 8 + [8, 8, 6, 6, 8, 8, 8]
SHEET_HEADER = ["序号", "日期", "时间", "会议类型", "主题/议题", "地点", "主持人", "记录人",
                "应到", "实到", "出席率", "缺席人员及原因", "会议有效", "状态"]
SHEET_WIDTHS = [5, 11, 12, 12, 36, 18, 8, 8, 6, 6, 8, 30, 8, 8]
PERCENT = "0.0%"


def write_ledger_xlsx(path: str | os.PathLike[str], ledger: Ledger, *,
                      cancel: CancelToken | None = None) -> Path:
    """Write the ledger to `path` atomically (Cancelled leaves `path` as it was)."""
    cancel = cancel or CancelToken()
    with atomic_write(path, suffix=".xlsx") as tmp:
        wb = Workbook(write_only=True)
        try:
            wb.properties.title = f"{ledger.year}年三会一课台账"
            wb.properties.creator = APP_TITLE
            st = _Styles(wb)
            _summary(wb, st, ledger)
            used = {SUMMARY_TITLE.lower()}
            for i, sheet in enumerate(ledger.sheets):
                if i % 10 == 0:
                    cancel.check()
                _org_sheet(wb, st, ledger, sheet, sheet_title(sheet.org_name, used))
            cancel.check()
            wb.save(tmp)
        except BaseException:
            _discard(wb)
            raise
    return Path(path)


def _frame(ws, widths: list[int], title: str, info: str, header: list[str], st: "_Styles") -> None:
    last = get_column_letter(len(widths))
    ws.freeze_panes = "A4"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.row_dimensions[1].height = 28
    ws.row_dimensions[3].height = 30
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    a4_landscape(ws, "3:3")
    ws.print_options.gridLines = True  # the table's lines on paper, without a border per cell
    ws.append([Cell(ws, 1, 1, title, st.title)])
    ws.append([Cell(ws, 2, 1, info, st.info)])
    ws.append([Cell(ws, 3, i, h, st.header) for i, h in enumerate(header, start=1)])


def _summary(wb: Workbook, st: "_Styles", ledger: Ledger) -> None:
    ws = wb.create_sheet(SUMMARY_TITLE)
    info = (f"统计日期：{format_date_cn(ledger.generated)}　　“应开”按会议频次计算，"
            "“缺开”为已结束的周期中未召开的次数，“补记”为会后补录的记录")
    _frame(ws, SUMMARY_WIDTHS, f"{ledger.title}{ledger.year}年三会一课台账", info,
           SUMMARY_HEADER, st)
    for r in ledger.summary:
        values: list = [r.parent_name or None, r.org_name, r.kind.value]
        for q in r.quarters:
            values += [q.held, q.required]
        values += [r.held, r.required, Cell(ws, 1, 1, r.missing, st.alert) if r.missing else 0,
                   r.late, r.expected_people, r.present_people,
                   Cell(ws, 1, 1, r.rate, st.percent) if r.rate is not None else None]
        ws.append(values)


def _clean(v: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", v) if v else v


def _org_sheet(wb: Workbook, st: "_Styles", ledger: Ledger, sheet: LedgerSheet, title: str) -> None:
    """Plain cells except where a style carries meaning (wrapping text, %, 补记): openpyxl's
    write-only mode writes unstyled cells several times faster, and the printout's lines
    come from print gridlines."""
    ws = wb.create_sheet(title)
    held = sum(1 for m in sheet.meetings if m.status_text != "计划")
    info = f"共{len(sheet.meetings)}次（已召开{held}次）　　统计日期：{format_date_cn(ledger.generated)}"
    _frame(ws, SHEET_WIDTHS, f"{sheet.org_name}{ledger.year}年三会一课台账", info, SHEET_HEADER, st)
    t, p = st.text, st.percent
    for i, m in enumerate(sheet.meetings, start=1):
        planned = m.status_text == "计划"
        ws.append([
            i, m.day, m.time_text.split(" ", 1)[-1], m.kind_text,
            Cell(ws, 1, 1, _clean(m.topic), t) if m.topic else None, _clean(m.place) or None,
            m.host or None, m.recorder or None,
            None if planned else m.expected, None if planned else m.present,
            None if planned or m.rate is None else Cell(ws, 1, 1, m.rate, p),
            Cell(ws, 1, 1, _clean(m.absent_text), t) if m.absent_text else None,
            m.valid_text or None,
            Cell(ws, 1, 1, "补记", st.alert) if m.status_text == "补记" else m.status_text,
        ])


class _Styles:
    """Template style arrays registered once with the workbook."""

    def __init__(self, wb: Workbook) -> None:
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body = Font(name=FONT_NAME, size=10)
        probe = wb.create_sheet("_styles")

        def make(font: Font, *, align: Alignment, border: Border | None = border,
                 number_format: str | None = None, fill: PatternFill | None = None):
            cell = Cell(probe)
            cell.font, cell.alignment = font, align
            if border is not None:
                cell.border = border
            if fill is not None:
                cell.fill = fill
            if number_format:
                cell.number_format = number_format
            return cell._style

        left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.title = make(Font(name=FONT_NAME, size=16, bold=True), border=None,
                          align=Alignment(horizontal="center", vertical="center"))
        self.info = make(body, border=None, align=Alignment(horizontal="left", vertical="center"))
        self.header = make(Font(name=FONT_NAME, size=10, bold=True), align=centre,
                           fill=PatternFill("solid", fgColor="D9D9D9"))
        self.text = make(body, align=left, border=None)
        self.alert = make(Font(name=FONT_NAME, size=10, color="C00000", bold=True), border=None,
                          align=Alignment(horizontal="center", vertical="center"))
        self.percent = make(body, align=Alignment(horizontal="center", vertical="center"),
                            number_format=PERCENT, border=None)
        wb.remove(probe)


def _discard(wb: Workbook) -> None:
    """openpyxl streams write-only sheets to temporary files; drop them after a failure."""
    for ws in wb.worksheets:
        try:
            if not ws.closed:
                ws.close()
            if ws._writer is not None:
                ws._writer.cleanup()
        except Exception:  # best effort
            pass
