"""操作日志 as an .xlsx workbook: one sheet, one row per logged change, newest first.

    row 1   操作日志                                   (merged, 16 pt bold)
    row 2   数据库 …　导出日期 …　共N条　筛选条件 …     (merged)
    row 3   序号 时间 操作人 对象 记录 操作 修改内容 原值 新值 备注
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from desktop.config import APP_TITLE
from desktop.domain.audit import AuditEntry
from desktop.domain.dates import format_date_cn
from desktop.domain.tasks import CancelToken
from desktop.exports.atomic import atomic_write

TITLE = "操作日志"
HEADER = ["序号", "时间", "操作人", "对象", "记录", "操作", "修改内容", "原值", "新值", "备注"]
WIDTHS = [6, 19, 18, 12, 22, 6, 60, 40, 40, 16]
FONT_NAME = "宋体"
_CELL_MAX = 32000  # Excel's limit is 32,767 characters per cell


def write_audit_xlsx(path: str | os.PathLike[str], entries: Sequence[AuditEntry], *,
                     database: str = "", filter_text: str = "", today: date | None = None,
                     cancel: CancelToken | None = None) -> Path:
    """Write `entries` to `path` atomically (Cancelled leaves `path` as it was)."""
    cancel = cancel or CancelToken()
    today = today or date.today()
    with atomic_write(path, suffix=".xlsx") as tmp:
        wb = Workbook(write_only=True)
        wb.properties.title = TITLE
        wb.properties.creator = APP_TITLE
        ws = wb.create_sheet(TITLE)
        ws.freeze_panes = "A4"
        for i, w in enumerate(WIDTHS):
            ws.column_dimensions[chr(ord("A") + i)].width = w
        last = chr(ord("A") + len(HEADER) - 1)
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"A2:{last}2")
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body = Font(name=FONT_NAME, size=10.5)
        wrap = Alignment(vertical="top", wrap_text=True)

        def cell(value, *, font=body, fill=None, align=wrap, framed=True):
            c = WriteOnlyCell(ws, value=_clean(value))
            c.font, c.alignment = font, align
            if framed:
                c.border = border
            if fill is not None:
                c.fill = fill
            return c

        ws.append([cell(TITLE, font=Font(name=FONT_NAME, size=16, bold=True),
                        align=Alignment(horizontal="center"), framed=False)])
        info = [f"数据库：{database}" if database else "", f"导出日期：{format_date_cn(today)}",
                f"共{len(entries)}条", f"筛选：{filter_text}" if filter_text else ""]
        ws.append([cell("　　".join(p for p in info if p), framed=False,
                        align=Alignment(vertical="center"))])
        grey = PatternFill("solid", fgColor="D9D9D9")
        bold = Font(name=FONT_NAME, size=10.5, bold=True)
        ws.append([cell(h, font=bold, fill=grey, align=Alignment(horizontal="center"))
                   for h in HEADER])
        for n, e in enumerate(entries, start=1):
            ws.append([cell(n), cell(e.at.strftime("%Y-%m-%d %H:%M:%S")), cell(e.actor),
                       cell(e.table_label), cell(e.record_text), cell(e.action_label),
                       cell(e.changes_text()), cell(e.old_text()), cell(e.new_text()),
                       cell(e.note)])
            if n % 1000 == 0:
                cancel.check()
        wb.save(tmp)
    return Path(path)


def _clean(v):
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)
        return v[:_CELL_MAX] if v else None
    return v
