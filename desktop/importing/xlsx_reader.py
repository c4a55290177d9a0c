"""Reading a roster workbook the way a person reads it.

openpyxl in read-only mode streams each sheet of an .xlsx (an old .xls is read by
xls_reader.py into the same shapes); what comes back is what the spreadsheet
holds: text as text, numbers as numbers (so an ID number saved as a number can
be refused rather than guessed), cells formatted as dates as dates.
On top of that:

- the header row is found among the first rows, below any title rows, as the
  row naming most of the roster's known columns; a header split over two rows
  (a merged group label above 手机/座机) is joined;
- cells merged down several rows (a 所在党支部 cell spanning its members) give
  their value to every row they cover;
- reading stops after a long run of empty rows, so a sheet that claims a
  million rows because of stray formatting is still read in a moment.
"""
from __future__ import annotations

import gc
import logging
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


from desktop.domain.errors import DomainError
from desktop.domain.roster_fields import header_key
from desktop.domain.tasks import CancelToken, Cancelled, Progress, no_progress

log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 20
"""The header is looked for among this many rows from the top."""
MAX_EMPTY_RUN = 1000
"""Reading a sheet stops after this many empty rows in a row."""
MAX_COLUMNS = 256
"""Columns beyond this are ignored (a roster has about 25)."""
MAX_MERGE_SCAN_BYTES = 256 * 1024 * 1024

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls")
OLD_FORMAT = ".xls"
"""Excel 97–2003 workbooks, read by xls_reader.py."""
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SAVE_AS = "请在Excel或WPS中打开该文件，选择“另存为”→“Excel工作簿(*.xlsx)”，再导入新保存的文件。"


class WorkbookError(DomainError):
    """The file cannot be read at all; the message says why and what to do."""


@dataclass(frozen=True)
class HeaderCell:
    index: int
    """0-based column index."""
    text: str
    """The header as the file writes it (two header rows joined by "/")."""
    key: str | None
    """The roster field the header names, or None when not recognised."""

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class SheetData:
    name: str
    hidden: bool = False
    header_row: int | None = None
    """1-based row number of the (last) header row; None when no header was found."""
    headers: list[HeaderCell] = field(default_factory=list)
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    """(1-based row number, cell values) of every non-empty row below the header."""
    claimed_rows: int | None = None
    """How many rows the file says the sheet has (its dimension)."""
    stopped_after: int | None = None
    """Set when reading stopped early: the last row read."""


def column_letter(index: int) -> str:
    """0-based column index → "A", "B", … "AA"."""
    from openpyxl.utils import get_column_letter  # openpyxl loads on first use, not at start-up

    return get_column_letter(index + 1)


_DECORATION = re.compile(r"^[*＊※★]+|[*＊※★:：]+$")
_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")


def header_field(text: object) -> str | None:
    """The field a header cell names, tolerant of required-marks and hints: "*出生日期(yyyy-mm-dd)"."""
    if text is None or not isinstance(text, str):
        return None
    key = header_key(text)
    if key is not None:
        return key
    plain = "".join(text.split())
    for _ in range(2):
        plain = _TRAILING_NOTE.sub("", _DECORATION.sub("", plain))
        key = header_key(plain)
        if key is not None:
            return key
    return None


def check_file(path: Path | str) -> Path:
    """Refuse, with a clear request, anything that is not a readable .xlsx or .xls file."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".et", ".wps"):
        raise WorkbookError(f"“{p.name}”是旧版表格格式（{suffix}），本程序只能读取.xlsx和.xls文件。{_SAVE_AS}")
    if suffix in (".csv", ".txt", ".ods", ".numbers"):
        raise WorkbookError(f"本程序只能导入Excel工作簿（.xlsx、.xls），不能导入“{p.name}”。{_SAVE_AS}")
    if not p.exists():
        raise WorkbookError(f"找不到文件“{p}”，请确认文件位置。")
    if not p.is_file():
        raise WorkbookError(f"“{p}”不是文件。")
    if suffix not in SUPPORTED_SUFFIXES:
        raise WorkbookError(f"“{p.name}”不是Excel工作簿（.xlsx、.xls）。{_SAVE_AS}")
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise WorkbookError(f"无法读取“{p.name}”：文件正被其他程序占用或没有权限，请关闭Excel/WPS后重试。") from None
    if suffix == OLD_FORMAT:
        if head.startswith(_ZIP_MAGIC):
            raise WorkbookError(f"“{p.name}”实际上是.xlsx格式的文件，只是扩展名写成了.xls。"
                                "请把文件名末尾的“.xls”改为“.xlsx”后再导入。")
        if not head.startswith(_OLE2_MAGIC):
            raise WorkbookError(f"“{p.name}”不是有效的.xls文件（可能已损坏，或是改了扩展名的其他文件）。"
                                f"{_SAVE_AS}")
        return p
    if head.startswith(_OLE2_MAGIC):
        raise WorkbookError(f"“{p.name}”实际上是旧版.xls格式，或设置了打开密码。"
                            f"请在Excel或WPS中打开（如有密码请先取消），{_SAVE_AS[2:]}")
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookError(f"“{p.name}”不是有效的.xlsx文件（可能已损坏，或是改了扩展名的其他文件）。{_SAVE_AS}")
    return p


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while bulk data piles up, then as before.

    Reading keeps every row, so each automatic collection would walk all rows
    read so far: with it on, reading 10,000 rows takes about a quarter longer.
    Nothing read here forms reference cycles, so nothing waits to be collected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_workbook(path: Path | str, *, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> list[SheetData]:
    """Every worksheet of the file, header found and rows read; raises WorkbookError."""
    p = check_file(path)
    cancel = cancel or CancelToken()
    try:
        with gc_paused():
            return _read_workbook(p, progress, cancel)
    except (DomainError, Cancelled):
        raise
    except Exception as e:  # a damaged file: zlib, XML and openpyxl errors from deep inside
        raise WorkbookError(f"无法读取“{p.name}”：文件内容已损坏（{type(e).__name__}）。{_SAVE_AS}") from e


def _read_workbook(p: Path, progress: Progress, cancel: CancelToken) -> list[SheetData]:
    if p.suffix.lower() == OLD_FORMAT:
        return _read_old_workbook(p, progress, cancel)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except PermissionError:
        raise WorkbookError(f"无法读取“{p.name}”：文件正被其他程序占用或没有权限，请关闭Excel/WPS后重试。") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise WorkbookError(f"无法打开“{p.name}”：文件已损坏或不是有效的.xlsx文件（{type(e).__name__}）。{_SAVE_AS}") from e
    try:
        sheets = wb.worksheets
        claimed = [ws.max_row or 0 for ws in sheets]
        total = max(sum(claimed), 1)
        done = 0
        out = []
        for ws, share in zip(sheets, claimed):
            cancel.check()
            sheet = _read_sheet(p.name, ws, done, total, progress, cancel)
            out.append(sheet)
            done += share
        progress(total, total, "已读取文件")
        return out
    finally:
        wb.close()


def _read_old_workbook(p: Path, progress: Progress, cancel: CancelToken) -> list[SheetData]:
    from .xls_reader import XlsUnreadable, read_sheets

    try:
        sheets = read_sheets(p)
        total = max(sum(s.height for s in sheets), 1)
        done = 0
        out = []
        for xs in sheets:
            cancel.check()
            sheet = SheetData(name=xs.name, hidden=xs.hidden, claimed_rows=xs.height)
            raw = _read_rows(p.name, sheet, xs.rows(), done, total, progress, cancel)
            out.append(_finish_sheet(sheet, raw, xs.merges))
            done += xs.height
    except XlsUnreadable as e:
        log.info("cannot read %s: %s", p, e)
        if e.encrypted:
            raise WorkbookError(f"无法读取“{p.name}”：文件设置了打开密码。请在Excel或WPS中打开，"
                                f"取消密码后保存，再导入。") from e
        raise WorkbookError(f"无法读取“{p.name}”：文件已损坏，或设置了打开密码（{e.kind}）。"
                            f"如有密码请先在Excel或WPS中取消；{_SAVE_AS[2:]}") from e
    progress(total, total, "已读取文件")
    return out


def _read_sheet(file_name: str, ws, done: int, total: int, progress: Progress,
                cancel: CancelToken) -> SheetData:
    sheet = SheetData(name=ws.title, hidden=getattr(ws, "sheet_state", "visible") != "visible",
                      claimed_rows=ws.max_row)
    # The dimension a file declares may be wrong either way; read what is there.
    ws.reset_dimensions()
    rows = ws.iter_rows(values_only=True)
    try:
        raw = _read_rows(file_name, sheet, rows, done, total, progress, cancel)
    finally:
        rows.close()
    return _finish_sheet(sheet, raw, _merged_ranges(ws))


def _read_rows(file_name: str, sheet: SheetData, rows: Iterator[tuple], done: int, total: int,
               progress: Progress, cancel: CancelToken) -> list[tuple[int, tuple]]:
    """(row number, values) of the non-empty rows, until a long run of empty ones."""
    message = f"正在读取工作表“{sheet.name}”…"
    progress(done, total, message)
    raw: list[tuple[int, tuple]] = []
    empty_run = 0
    number = 0
    try:
        for number, values in enumerate(rows, 1):
            if len(values) > MAX_COLUMNS:
                values = values[:MAX_COLUMNS]
            if _is_empty(values):
                empty_run += 1
                if empty_run >= MAX_EMPTY_RUN:
                    sheet.stopped_after = number
                    break
                continue
            empty_run = 0
            raw.append((number, values))
            if number % 1000 == 0:
                cancel.check()
                progress(done + min(number, total - done), total, message)
    except (DomainError, Cancelled):
        raise
    except Exception as e:  # damaged sheet data
        raise WorkbookError(f"无法读取“{file_name}”中的工作表“{sheet.name}”（第{number + 1}行附近）："
                            f"文件内容已损坏（{type(e).__name__}）。{_SAVE_AS}") from e
    if sheet.stopped_after is not None and not (sheet.claimed_rows or 0) > sheet.stopped_after:
        sheet.stopped_after = None  # nothing was claimed beyond where we stopped
    return raw


def _finish_sheet(sheet: SheetData, raw: list[tuple[int, tuple]],
                  merges: list[tuple[int, int, int, int]]) -> SheetData:
    if merges:
        raw = _fill_merged(raw, merges)
    _split_header(sheet, raw)
    return sheet


def _is_empty(values: tuple) -> bool:
    for v in values:
        if v is not None and not (isinstance(v, str) and not v.strip()):
            return False
    return True


def _split_header(sheet: SheetData, raw: list[tuple[int, tuple]]) -> None:
    """Find the header among the first rows; the rows below it are the data."""
    best, best_score = None, 1
    for i, (number, values) in enumerate(raw):
        if number > HEADER_SCAN_ROWS:
            break
        keys = {k for k in map(header_field, values) if k is not None}
        if len(keys) > best_score and ("name" in keys or "id_number" in keys):
            best, best_score = i, len(keys)
    if best is None:
        sheet.rows = raw
        return
    number, top = raw[best]
    texts = [_header_text(v) for v in top]
    keys = [header_field(v) for v in top]
    data_from = best + 1
    if data_from < len(raw) and raw[data_from][0] == number + 1:
        below = raw[data_from][1]
        if _is_second_header_row(top, below):
            for c, v in enumerate(below):
                k = header_field(v)
                if k is None or (c < len(top) and _header_text(top[c]) == _header_text(v)):
                    continue
                while c >= len(texts):
                    texts.append("")
                    keys.append(None)
                texts[c] = f"{texts[c]}/{_header_text(v)}" if texts[c] else _header_text(v)
                keys[c] = k
            number = raw[data_from][0]
            data_from += 1
    sheet.header_row = number
    sheet.headers = [HeaderCell(c, t, k) for c, (t, k) in enumerate(zip(texts, keys)) if t]
    sheet.rows = raw[data_from:]


def _is_second_header_row(top: tuple, below: tuple) -> bool:
    """Every filled cell is a known header or repeats the one above (a merge), and one is new."""
    new = False
    for c, v in enumerate(below):
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        above = _header_text(top[c]) if c < len(top) else ""
        if _header_text(v) == above:
            continue
        if header_field(v) is None:
            return False
        new = True
    return new


def _header_text(v: object) -> str:
    if v is None:
        return ""
    return " ".join(str(v).split())


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)"')


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first col, last col), 1-based, of ranges merged over several rows.

    Read-only worksheets do not expose merged cells; they are listed after the
    cell data in the sheet's XML, so the raw part is scanned for them.
    """
    get_source = getattr(ws, "_get_source", None)
    if get_source is None:
        return []
    try:
        info = ws.parent._archive.getinfo(ws._worksheet_path)
        if info.file_size > MAX_MERGE_SCAN_BYTES:
            return []
    except (AttributeError, KeyError):
        pass
    try:
        text = _merge_section(get_source)
    except Exception:  # merges only help; a damaged tail was already refused or is harmless
        return []
    from openpyxl.utils import column_index_from_string

    out = []
    for m in _MERGE_REF.finditer(text):
        c1, r1, c2, r2 = m.groups()
        first_row, last_row = int(r1), int(r2)
        if last_row > first_row:
            out.append((first_row, last_row, column_index_from_string(c1.decode()),
                        column_index_from_string(c2.decode())))
    return out


def _merge_section(get_source) -> bytes:
    """The sheet XML from its <mergeCells> on (b"" when there is none)."""
    parts: list[bytes] = []
    tail = b""
    with get_source() as src:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            if parts:
                parts.append(chunk)
                continue
            data = tail + chunk
            pos = data.find(b"mergeCells")
            if pos >= 0:
                parts.append(data[max(pos - 16, 0):])
            else:
                tail = data[-32:]
    return b"".join(parts)


def _fill_merged(raw: list[tuple[int, tuple]], merges: list[tuple[int, int, int, int]]) -> list[tuple[int, tuple]]:
    """Give a vertically merged cell's value to every row it covers (rows it makes non-empty included)."""
    rows = {number: list(values) for number, values in raw}
    for first_row, last_row, first_col, last_col in merges:
        if first_col > MAX_COLUMNS:
            continue
        last_col = min(last_col, MAX_COLUMNS)
        top = rows.get(first_row)
        value = top[first_col - 1] if top is not None and len(top) >= first_col else None
        if value is None:
            continue
        for number in range(first_row, last_row + 1):
            row = rows.get(number)
            if row is None:
                if number - first_row > MAX_EMPTY_RUN:
                    break
                row = rows[number] = []
            if len(row) < last_col:
                row.extend([None] * (last_col - len(row)))
            for c in range(first_col - 1, last_col):
                if row[c] is None:
                    row[c] = value
    return [(number, tuple(rows[number])) for number in sorted(rows)]
