"""Dates as clerks type them and as messy spreadsheets hold them; calendar arithmetic.

Excel serial numbers are not read here: the spreadsheet reader converts them,
because only it knows whether a cell was formatted as a date.
"""
from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime

from desktop.domain.errors import FieldError
from desktop.domain.text import strip_all_spaces, to_halfwidth

_Y = r"(?P<y>\d{4}|\d{2})"
_M = r"(?P<m>\d{1,2})"
_D = r"(?P<d>\d{1,2})"
# Tried in order; a month-only value means the first of that month.
_FORMS = [
    re.compile(rf"{_Y}(?P<sep>[-/.]){_M}(?P=sep){_D}"),
    re.compile(rf"{_Y}年{_M}月{_D}[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(rf"{_Y}[-/.]{_M}"),
    re.compile(rf"{_Y}年{_M}月?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})"),
]
# "2019-07-01 00:00:00" / "2019-07-01T08:30": what str() of a datetime looks like.
_DATETIME = re.compile(r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?:\s+|T)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")


def parse_date(value: object, field: str = "日期", *, today: date | None = None) -> date | None:
    """Read a date; None when empty. Raises FieldError(field, …) when unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _unreadable(field, value)
    if isinstance(value, float):
        text = _float_text(value, field)
    else:
        text = str(value)
    text = to_halfwidth(text).strip()
    if not text:
        return None
    m = _DATETIME.fullmatch(text)
    if m:
        text = m.group(1)
    return _parse_text(strip_all_spaces(text), value, field, today or date.today())


def _float_text(x: float, field: str) -> str:
    """A number cell: 20190701.0 or 2019.07 as the clerk typed it."""
    if not math.isfinite(x):
        raise _unreadable(field, x)
    if x == int(x):
        return str(int(x))
    text = repr(x)
    # 2019.10 typed into a number cell becomes 2019.1: January or October? Never guess.
    if re.fullmatch(r"\d+\.1", text):
        raise FieldError(field, f"“{text}”以数字形式保存，无法区分1月和10月，请将该列设为文本后重新录入")
    return text


def _parse_text(text: str, original: object, field: str, today: date) -> date:
    for pattern in _FORMS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        has_day = "d" in pattern.groupindex
        year = _full_year(m["y"], today)
        month = int(m["m"])
        day = int(m["d"]) if has_day else 1
        try:
            return date(year, month, day)
        except ValueError:
            shown = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if has_day else "")
            raise FieldError(field, f"日期{shown}不存在") from None
    raise _unreadable(field, original)


def _full_year(text: str, today: date) -> int:
    """Two-digit years up to this year's are 20xx, the rest 19xx."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _unreadable(field: str, value: object) -> FieldError:
    return FieldError(field, f"无法识别的日期“{value}”，请写成 2019-07-01 或 2019年7月1日")


def format_date(d: date | None) -> str:
    """ISO form, 2019-07-01; "" for None."""
    return "" if d is None else f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def format_date_cn(d: date | None) -> str:
    """2019年7月1日; "" for None."""
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def add_months(d: date, n: int) -> date:
    """Same day n months later; a day the target month lacks becomes its last day (1-31 + 1 month = 2-28/29)."""
    index = d.year * 12 + d.month - 1 + n
    year, month = divmod(index, 12)
    month += 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return d.replace(year=year, month=month, day=day)


def add_years(d: date, n: int) -> date:
    """Same day n years later; 29 February becomes 28 February in a common year."""
    return add_months(d, 12 * n)
