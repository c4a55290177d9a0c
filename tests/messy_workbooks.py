"""Messy roster workbooks, as clerks really keep them, generated for the import tests.

Only invented people: ID numbers come from make_id_number, names from a
fixed list. Each builder writes one .xlsx and returns its path; the rows it
writes are described beside it so a test can say exactly what must land.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from desktop.domain.idcard import make_id_number

FULLWIDTH_DIGITS = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@dataclass
class Person:
    name: str
    seq: int
    birth: date = date(1980, 5, 17)
    sex: str = "男"
    joined: date = date(2005, 7, 1)
    confirmed: date | None = date(2006, 7, 1)
    region: str = "110105"
    extra: dict = field(default_factory=dict)

    @property
    def id_number(self) -> str:
        return make_id_number(self.region, self.birth, self.seq, self.sex)


def people(n: int, start: int = 1) -> list[Person]:
    """n distinct people with plain, valid data."""
    names = ["王建国", "李秀英", "张伟", "刘芳", "陈明", "杨静", "赵磊", "黄丽", "周强", "吴敏",
             "徐涛", "孙艳", "马超", "朱娟", "胡军", "郭洋", "何勇", "高杰", "林霞", "罗平"]
    out = []
    for i in range(start, start + n):
        sex = "男" if i % 2 else "女"
        out.append(Person(names[i % len(names)] + "甲乙丙丁戊己庚辛壬癸"[i // len(names) % 10],
                          seq=i % 500, birth=date(1960 + i % 30, 1 + i % 12, 1 + i % 28), sex=sex))
    return out


# The header most rosters start from, in the national order (序号 … 备注), by the common variant names.
VARIANT_HEADER = ["序号", "党员姓名", "性别", "民族", "出生年月", "身份证号码", "文化程度",
                  "人员类别", "入党时间", "转正时间", "联系电话", "家庭住址", "备注"]


def variant_row(i: int, p: Person, **override) -> list:
    values = {
        "序号": i, "党员姓名": p.name, "性别": p.sex, "民族": "汉族", "出生年月": p.birth,
        "身份证号码": p.id_number, "文化程度": "本科", "人员类别": "正式党员",
        "入党时间": p.joined, "转正时间": p.confirmed, "联系电话": "13800000000",
        "家庭住址": "人民路1号", "备注": "",
    }
    values.update(override)
    return [values[h] for h in VARIANT_HEADER]


def _date_style(ws, row: int, cols: list[int], fmt: str = "yyyy-mm-dd") -> None:
    for c in cols:
        cell = ws.cell(row=row, column=c)
        if isinstance(cell.value, (date, datetime)):
            cell.number_format = fmt


def _write(ws, rows: list[list], start: int = 1) -> None:
    for r, values in enumerate(rows, start):
        for c, v in enumerate(values, 1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
        _date_style(ws, r, list(range(1, len(values) + 1)))


def titled_roster(path: Path, persons: list[Person], *, sheet: str = "党员花名册",
                  title: str = "幸福社区第一网格党支部党员花名册", trailing_empty: int = 30) -> Path:
    """A title merged over the table, a 填报单位 line, a blank line, then the header on row 4;
    rows numbered in advance below the data, a 填表人 line at the bottom."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = title
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(VARIANT_HEADER))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A2"] = "填报单位：幸福社区党委          填报日期：2024年1月"
    _write(ws, [VARIANT_HEADER], start=4)
    _write(ws, [variant_row(i, p) for i, p in enumerate(persons, 1)], start=5)
    last = 4 + len(persons)
    for k in range(1, 6):  # numbered in advance, never filled
        ws.cell(row=last + k, column=1, value=len(persons) + k)
    ws.cell(row=last + 8, column=1, value="填表人：李四        审核人：王五")
    for r in range(last + 9, last + 9 + trailing_empty):  # formatted but empty
        ws.cell(row=r, column=2).fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(path)
    return path


def custom_roster(path: Path, header: list[str], rows: list[list], *, sheet: str = "花名册",
                  title: str | None = "党员花名册", number_formats: dict[str, str] | None = None) -> Path:
    """One sheet: an optional title row, the given header and rows (cells written as given)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    start = 1
    if title:
        ws["A1"] = title
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        start = 3
    _write(ws, [header], start=start)
    _write(ws, rows, start=start + 1)
    for col, fmt in (number_formats or {}).items():
        c = header.index(col) + 1
        for r in range(start + 1, start + 1 + len(rows)):
            ws.cell(row=r, column=c).number_format = fmt
    wb.save(path)
    return path


def sheets_per_branch(path: Path, sheets: dict[str, list[Person]], *,
                      extra_sheets: dict[str, list[list]] | None = None,
                      hidden: dict[str, list[Person]] | None = None) -> Path:
    """One sheet per branch named after it, each with its own title row; optional other sheets."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, persons in sheets.items():
        ws = wb.create_sheet(name)
        ws["A1"] = f"{name}党员名册"
        _write(ws, [VARIANT_HEADER], start=2)
        _write(ws, [variant_row(i, p) for i, p in enumerate(persons, 1)], start=3)
    for name, rows in (extra_sheets or {}).items():
        _write(wb.create_sheet(name), rows)
    for name, persons in (hidden or {}).items():
        ws = wb.create_sheet(name)
        _write(ws, [VARIANT_HEADER] + [variant_row(i, p) for i, p in enumerate(persons, 1)])
        ws.sheet_state = "hidden"
    wb.save(path)
    return path


def branch_column_merged(path: Path, groups: list[tuple[str, list[Person]]]) -> Path:
    """A 所在党支部 column whose cell is merged down over each branch's members."""
    header = ["序号", "所在党支部", "姓名", "公民身份号码", "加入党组织日期", "人员类别"]
    wb = Workbook()
    ws = wb.active
    ws.title = "全社区"
    _write(ws, [header])
    r = 2
    for branch, persons in groups:
        ws.cell(row=r, column=2, value=branch)
        if len(persons) > 1:
            ws.merge_cells(start_row=r, start_column=2, end_row=r + len(persons) - 1, end_column=2)
        for p in persons:
            _write(ws, [[r - 1, None, p.name, p.id_number, p.joined, "正式党员"]], start=r)
            r += 1
    wb.save(path)
    return path


def two_row_header(path: Path, persons: list[Person], merged: bool = True) -> Path:
    """A header over two rows: 联系方式 above 手机 and 座机; the other labels merged down
    over both rows (merged=True) or written in the upper row only."""
    wb = Workbook()
    ws = wb.active
    ws.title = "名册"
    ws["A1"] = "党员花名册"
    ws.merge_cells("A1:F1")
    _write(ws, [["姓名", "身份证号", "出生日期", "入党日期", "联系方式", None],
                [None, None, None, None, "手机", "座机"]], start=2)
    if merged:
        for col in "ABCD":
            ws.merge_cells(f"{col}2:{col}3")
        ws.merge_cells("E2:F2")
    _write(ws, [[p.name, p.id_number, p.birth, p.joined, "139" + f"{i:08d}", "010-6512345" + str(i % 10)]
                for i, p in enumerate(persons)], start=4)
    wb.save(path)
    return path


def claims_a_million_rows(path: Path, persons: list[Person]) -> Path:
    """A few real rows, then one stray formatted cell on row 1,000,000 (the sheet claims that many)."""
    wb = Workbook()
    ws = wb.active
    _write(ws, [VARIANT_HEADER] + [variant_row(i, p) for i, p in enumerate(persons, 1)])
    ws.cell(row=1_000_000, column=3).fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(path)
    return path


def old_format_roster(path: Path, groups: list[tuple[str, list[Person]]], *,
                      id_as_number: Person | None = None) -> Path:
    """An Excel 97–2003 .xls (written with xlwt): a title merged across, the header on row 3,
    a 所在党支部 cell merged down over each branch's members, dates as date cells; optionally
    one person's ID number saved as a number, as careless files have it."""
    import xlwt

    header = ["序号", "所在党支部", "姓名", "公民身份号码", "出生日期", "加入党组织日期", "人员类别"]
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("全社区")
    ws.write_merge(0, 0, 0, len(header) - 1, "幸福社区党员花名册")
    for c, h in enumerate(header):
        ws.write(2, c, h)
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    r, i = 3, 1
    for branch, persons in groups:
        ws.write_merge(r, r + len(persons) - 1, 1, 1, branch)
        for p in persons:
            ws.write(r, 0, i)
            ws.write(r, 2, p.name)
            ws.write(r, 3, float(p.id_number[:-1] + "0") if p is id_as_number else p.id_number)
            ws.write(r, 4, p.birth, day)
            ws.write(r, 5, p.joined, day)
            ws.write(r, 6, "正式党员")
            r, i = r + 1, i + 1
    hidden = book.add_sheet("说明")
    hidden.write(0, 0, "填表说明：身份证号码请以文本格式填写")
    hidden.visibility = 1
    book.save(str(path))
    return path


def password_xls(path: Path) -> Path:
    """An .xls whose workbook says it is encrypted: the record after BOF made a FILEPASS, as
    Excel writes for a file with an open password (enough for a reader to refuse it)."""
    import struct

    raw = bytearray(old_format_roster(path, [("第一网格党支部", people(2))]).read_bytes())
    bof = raw.find(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 workbook globals
    struct.pack_into("<H", raw, bof + 4 + 16, 0x002F)
    path.write_bytes(bytes(raw))
    return path


def fake_xls(path: Path) -> Path:
    """What an old .xls file starts with (an OLE2 compound document)."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return path
