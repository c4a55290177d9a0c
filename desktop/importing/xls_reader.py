"""Old-format .xls workbooks (Excel 97–2003, still what many offices keep), read with xlrd:
openpyxl reads .xlsx only, and asking the clerk to re-save every old file was the one step
an import could not do for them. xlrd is pure Python, so a damaged file ends in an
exception, never in a crash (python-calamine, tried first, took 24 GB of memory on one
damaged file in the fuzz test and was killed).

Each sheet comes back in the shapes xlsx_reader works with: rows of values with None for
an empty cell, numbers as numbers (an ID number saved as a number stays a number, to be
refused rather than guessed), date cells as datetimes, TRUE/FALSE as bools; and the ranges
merged down several rows, 1-based like the .xlsx path's.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

_EXACT_INT = 2 ** 53
"""Whole numbers below this come back as int, as openpyxl gives them (序号, 民族代码);
an 18-digit ID number saved as a number stays a float: its digits are already lost."""


class XlsUnreadable(Exception):
    """The file is not a readable .xls workbook: damaged, or protected by a password."""

    def __init__(self, error: Exception):
        super().__init__(f"{type(error).__name__}: {error}")
        self.kind = type(error).__name__
        self.encrypted = "encrypted" in str(error).lower()


@dataclass
class XlsSheet:
    name: str
    hidden: bool
    height: int
    """Rows the sheet holds, counted from row 1."""
    merges: list[tuple[int, int, int, int]]
    """(first row, last row, first col, last col), 1-based, merged over several rows."""
    _sheet: object
    _datemode: int

    def rows(self) -> Iterator[tuple]:
        """Every row from row 1, column A on."""
        import xlrd

        sheet, datemode = self._sheet, self._datemode
        for r in range(sheet.nrows):
            try:
                types, values = sheet.row_types(r), sheet.row_values(r)
            except Exception as e:
                raise XlsUnreadable(e) from e
            yield tuple(_value(xlrd, t, v, datemode) for t, v in zip(types, values))


def read_sheets(path: Path) -> list[XlsSheet]:
    """Every sheet of the workbook, ready to be read; raises XlsUnreadable."""
    import xlrd  # loads on first use, like openpyxl

    notes = io.StringIO()  # xlrd writes its warnings to stdout by default: into the log instead
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True,  # merged cells need it
                                  logfile=notes)
        return [XlsSheet(s.name, s.visibility != 0, s.nrows, _merges(s), s, book.datemode)
                for s in book.sheets()]
    except MemoryError:
        raise
    except Exception as e:  # xlrd's errors on a damaged or encrypted file, and any slip inside
        raise XlsUnreadable(e) from e
    finally:
        if notes.getvalue().strip():
            log.info("xlrd on %s: %s", path.name, notes.getvalue().strip()[:2000])


def _value(xlrd, kind: int, value, datemode: int):
    """One cell as openpyxl would give it (`xlrd` passed in: this runs for every cell)."""
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if value.is_integer() and abs(value) < _EXACT_INT else value
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value  # a date format on a number no date has: left to the field to refuse
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#VALUE!")
    return value if value != "" else None


def _merges(sheet) -> list[tuple[int, int, int, int]]:
    # xlrd: (first row, row after the last, first col, col after the last), 0-based.
    return [(r1 + 1, r2, c1 + 1, c2) for r1, r2, c1, c2 in sheet.merged_cells if r2 - r1 > 1]
