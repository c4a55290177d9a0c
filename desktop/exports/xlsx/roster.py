"""党员花名册 as an .xlsx workbook that prints on A4 and reads back into the importer.

Layout of every sheet::

    row 1   幸福社区党委党员花名册                  (merged across, 16 pt bold)
    row 2   组织：…　人数：…人　导出日期：…  [notes] (merged across)
    row 3   序号 姓名 所在党支部 公民身份号码 …      (the header; printed on every page)
    row 4…  one member per row

Columns are roster_fields.ALL_FIELDS in order (the 21 national columns, then
社区党员分类, 党内职务, 所在党小组), plus 在册状态 and 离开日期 when members who
left are included. ID numbers, mobile and landline numbers are text cells
(format "@"), dates are real dates shown as yyyy-mm-dd, yes/no fields are 是/否.

Speed: openpyxl's write-only mode streams rows to disk. Every styled cell is
made from one of a few template cells' style arrays (``Cell(..., style_array=)``)
instead of assigning font/border/alignment to each cell, which would hash the
style objects 240,000 times for 10,000 members.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from desktop.config import APP_TITLE
from desktop.domain.dates import format_date_cn
from desktop.domain.masking import privacy_note
from desktop.domain.roster_export import (LEFT_NOTE, RosterDocument, RosterSection,
                                          roster_title)
from desktop.domain.roster_fields import NO, YES, RosterField
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.exports.atomic import atomic_write
from desktop.exports.xlsx.page import PAGE_NUMBERS, a4_landscape, narrow_margins

TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
FREEZE_AT = f"C{FIRST_DATA_ROW}"  # title, info and header stay; so do 序号 and 姓名
FONT_NAME = "宋体"
BODY_SIZE = 10
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
SINGLE_SHEET_TITLE = "党员花名册"

# Columns shown centred; the rest are left-aligned text.
_CENTRED_KINDS = ("seq", "bool", "date")
_CENTRED_KEYS = frozenset({"sex", "ethnicity", "category", "standing", "status"})
# Kept as text so Excel/WPS never turn them into numbers (precision, leading zeros).
_TEXT_KEYS = frozenset({"id_number", "mobile", "phone"})
# Column width limits in Excel character units; longer content wraps in the cell.
_MIN_WIDTH = 4
_PADDING = 2
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_TITLE_MAX = 31
_PROGRESS_EVERY = 250  # rows


@dataclass(frozen=True)
class _SheetPlan:
    title: str  # the worksheet tab
    heading: str  # row 1
    org_name: str
    sections: tuple[RosterSection, ...]

    @property
    def count(self) -> int:
        return sum(len(s.rows) for s in self.sections)

    def rows(self) -> Iterable[tuple]:
        for s in self.sections:
            yield from s.rows


def write_roster_xlsx(path: str | os.PathLike[str], doc: RosterDocument, *,
                      sheet_per_branch: bool = True, progress: Progress = no_progress,
                      cancel: CancelToken | None = None) -> Path:
    """Write `doc` to `path` atomically; one sheet per branch, or one for everything.

    Raises Cancelled (leaving `path` as it was) when `cancel` is set.
    progress(rows_written, rows_total, message) is called every few hundred rows.
    """
    cancel = cancel or CancelToken()
    plans = _plan(doc, sheet_per_branch)
    total = doc.member_count
    done = 0
    with atomic_write(path, suffix=".xlsx") as tmp:
        wb = Workbook(write_only=True)
        try:
            wb.properties.title = doc.title
            wb.properties.creator = APP_TITLE
            styles = _Styles(wb)
            for plan in plans:
                cancel.check()
                done = _write_sheet(wb, styles, doc, plan, done, total, progress, cancel)
            progress(total, total, "正在保存文件…")
            cancel.check()
            wb.save(tmp)
        except BaseException:
            _discard_temp_files(wb)
            raise
    return Path(path)


# --------------------------------------------------------------------------- sheets


def _plan(doc: RosterDocument, sheet_per_branch: bool) -> list[_SheetPlan]:
    if not sheet_per_branch or not doc.sections:
        return [_SheetPlan(SINGLE_SHEET_TITLE, doc.title, doc.org_name, doc.sections)]
    used: set[str] = set()
    return [_SheetPlan(sheet_title(s.name, used), roster_title(s.name), s.name, (s,))
            for s in doc.sections]


def sheet_title(name: str, used: set[str]) -> str:
    """A worksheet name Excel and WPS accept: ≤ 31 characters, none of []:*?/\\, unique.

    `used` holds the lower-cased names already taken (Excel compares without case)
    and receives the new one.
    """
    title = _SHEET_FORBIDDEN.sub("_", name).strip().strip("'").strip()
    if not title or title.lower() == "history":  # "History" is reserved by Excel
        title = f"{title or SINGLE_SHEET_TITLE}_"
    title = title[:_SHEET_TITLE_MAX]
    base, n = title, 2
    while title.lower() in used:
        suffix = f"({n})"
        title = base[:_SHEET_TITLE_MAX - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _info_line(doc: RosterDocument, plan: _SheetPlan) -> str:
    parts = [f"组织：{plan.org_name}" if plan.org_name else "", doc.count_text(plan.sections),
             f"导出日期：{format_date_cn(doc.exported_on)}"]
    parts.append(f"{privacy_note(True)}，本表不能用于导入" if doc.masked
                 else privacy_note(False))
    if doc.include_left:
        parts.append(f"{LEFT_NOTE}，见“在册状态”列")
    return "　　".join(p for p in parts if p)


def _write_sheet(wb: Workbook, st: "_Styles", doc: RosterDocument, plan: _SheetPlan,
                 done: int, total: int, progress: Progress, cancel: CancelToken) -> int:
    ws = wb.create_sheet(plan.title)
    fields = doc.fields
    ncols = len(fields)
    last = get_column_letter(ncols)
    widths = column_widths(fields, plan.sections)

    # Everything written before the rows: views, columns. The rest (merges,
    # print setup) goes after the rows but is simplest to set now.
    ws.freeze_panes = FREEZE_AT
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.row_dimensions[INFO_ROW].height = 18
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.merged_cells.add(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.merged_cells.add(f"A{INFO_ROW}:{last}{INFO_ROW}")
    _print_setup(ws, doc, plan)

    ws.append([Cell(ws, TITLE_ROW, 1, plan.heading, st.title)])
    ws.append([Cell(ws, INFO_ROW, 1, _info_line(doc, plan), st.info)])
    ws.append([Cell(ws, HEADER_ROW, i, f.label, st.header) for i, f in enumerate(fields, 1)])

    col_styles = [st.for_field(f) for f in fields[1:]]
    bools = [i for i, f in enumerate(fields[1:]) if f.kind == "bool"]
    seq_style = st.for_field(fields[0])
    message = f"正在写入“{plan.title}”…"
    for seq, row in enumerate(plan.rows(), start=1):
        values = list(row)
        for i in bools:
            values[i] = YES if values[i] else NO
        try:
            cells = [Cell(ws, 1, 1, seq, seq_style)]
            cells += [Cell(ws, 1, 1, v if v != "" else None, s) for v, s in zip(values, col_styles)]
        except IllegalCharacterError:  # a control character pasted into a remark
            cells = [Cell(ws, 1, 1, seq, seq_style)]
            cells += [Cell(ws, 1, 1, _clean(v), s) for v, s in zip(values, col_styles)]
        ws.append(cells)
        done += 1
        if seq % _PROGRESS_EVERY == 0:
            cancel.check()
            progress(done, total, message)
    return done


def _clean(v: object) -> object:
    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v) or None
    return v


def _print_setup(ws, doc: RosterDocument, plan: _SheetPlan) -> None:
    """A4 landscape, all columns on one page width, header row on every page."""
    a4_landscape(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    narrow_margins(ws)

    hf = ws.HeaderFooter
    hf.differentFirst = True  # page 1 shows the title row; later pages name the roster above
    for footer in (hf.oddFooter, hf.firstFooter):
        footer.center.text = PAGE_NUMBERS
        footer.left.text = _hf_text(f"导出日期：{format_date_cn(doc.exported_on)}")
        footer.right.text = privacy_note(doc.masked)
        for part in (footer.left, footer.center, footer.right):
            part.size = 9
    hf.oddHeader.left.text = _hf_text(plan.heading)
    hf.oddHeader.left.size = 9


def _hf_text(text: str) -> str:
    """Header/footer text: & starts a code there, so a literal & is doubled."""
    return text.replace("&", "&&")


# --------------------------------------------------------------------------- widths


def text_width(s: str) -> int:
    """Display width in Excel character units: CJK counts 2, ASCII 1.

    (UTF-8 length + character count) / 2 gives 1 for ASCII and 2 for the
    three-byte CJK characters, computed in C for the whole string.
    """
    return (len(s.encode("utf-8")) + len(s)) // 2


def _header_width(label: str) -> int:
    """Width that shows the header in at most two lines (it wraps)."""
    chars = len(label)
    per_line = (chars + 1) // 2 if chars > 4 else chars
    return text_width(label[:per_line])


def _max_width(f: RosterField) -> int:
    return max(f.width, 10) + 6


def column_widths(fields: Sequence[RosterField], sections: Sequence[RosterSection]) -> list[float]:
    """Widths from the content (within limits from RosterField.width), header included."""
    rows = [r for s in sections for r in s.rows]
    out: list[float] = []
    for j, f in enumerate(fields):
        if not rows:
            need = f.width
        elif f.kind == "seq":
            need = len(str(len(rows)))
        elif f.kind == "date":
            need = 10 if any(r[j - 1] is not None for r in rows) else 0
        elif f.kind == "bool":
            need = 2
        else:
            need = max(map(text_width, filter(None, (r[j - 1] for r in rows))), default=0)
        # Digits get one more unit: fonts of other machines set them wider than 宋体.
        pad = _PADDING + (1 if f.key in _TEXT_KEYS else 0)
        width = min(need + pad, _max_width(f))
        out.append(float(max(width, _header_width(f.label) + _PADDING, _MIN_WIDTH)))
    return out


# --------------------------------------------------------------------------- styles


class _Styles:
    """Template style arrays registered once with the workbook."""

    def __init__(self, wb: Workbook) -> None:
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body = Font(name=FONT_NAME, size=BODY_SIZE)
        probe = wb.create_sheet("_styles")  # style registration needs a sheet; removed below

        def make(font: Font, *, border: Border | None = None, align: Alignment,
                 number_format: str | None = None, fill: PatternFill | None = None):
            cell = Cell(probe)
            cell.font = font
            cell.alignment = align
            if border is not None:
                cell.border = border
            if fill is not None:
                cell.fill = fill
            if number_format:
                cell.number_format = number_format
            return cell._style  # the StyleArray of indices into the workbook's style tables

        left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        nowrap_centre = Alignment(horizontal="center", vertical="center")
        self.title = make(Font(name=FONT_NAME, size=16, bold=True), align=nowrap_centre)
        self.info = make(Font(name=FONT_NAME, size=BODY_SIZE),
                         align=Alignment(horizontal="left", vertical="center"))
        self.header = make(Font(name=FONT_NAME, size=BODY_SIZE, bold=True), border=border,
                           align=centre, fill=PatternFill("solid", fgColor="D9D9D9"))
        self.text = make(body, border=border, align=left)
        self.centred = make(body, border=border, align=nowrap_centre)
        self.digits = make(body, border=border, align=Alignment(horizontal="left", vertical="center"),
                           number_format=TEXT_FORMAT)
        self.date = make(body, border=border, align=nowrap_centre, number_format=DATE_FORMAT)
        wb.remove(probe)

    def for_field(self, f: RosterField):
        if f.kind == "date":
            return self.date
        if f.key in _TEXT_KEYS:
            return self.digits
        if f.kind in _CENTRED_KINDS or f.key in _CENTRED_KEYS:
            return self.centred
        return self.text


def _discard_temp_files(wb: Workbook) -> None:
    """openpyxl streams write-only sheets to temporary files; drop them after a failure."""
    for ws in wb.worksheets:
        try:
            if not ws.closed:
                ws.close()  # finishes the sheet's XML stream, so nothing writes to it later
            if ws._writer is not None:
                ws._writer.cleanup()
        except Exception:  # best effort: openpyxl also removes them at exit
            pass
