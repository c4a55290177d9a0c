"""Reading messy workbooks: where the header is, what the cells hold, when to stop."""
from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from desktop.importing.xlsx_reader import WorkbookError, check_file, header_field, read_workbook
from tests import messy_workbooks as mw


def keys(sheet) -> dict[str, str | None]:
    return {h.text: h.key for h in sheet.headers}


def test_header_found_below_title_rows_and_data_ends_before_the_empty_tail(tmp_path):
    persons = mw.people(3)
    path = mw.titled_roster(tmp_path / "a.xlsx", persons)
    (sheet,) = read_workbook(path)
    assert sheet.name == "党员花名册" and sheet.header_row == 4
    assert keys(sheet) == {
        "序号": "seq", "党员姓名": "name", "性别": "sex", "民族": "ethnicity", "出生年月": "birth_date",
        "身份证号码": "id_number", "文化程度": "education", "人员类别": "category", "入党时间": "joined",
        "转正时间": "confirmed", "联系电话": "mobile", "家庭住址": "address", "备注": "remarks"}
    numbers = [n for n, _ in sheet.rows]
    # three people, five rows numbered in advance, the 填表人 line; formatted empty rows are gone
    assert numbers == [5, 6, 7, 8, 9, 10, 11, 12, 15]
    first = sheet.rows[0][1]
    assert first[1] == persons[0].name and first[5] == persons[0].id_number
    assert first[4] == datetime(1961, 2, 2)  # an Excel date cell comes back as a date
    assert sheet.stopped_after is None


def test_numbers_stay_numbers_so_lost_precision_can_be_refused(tmp_path):
    path = mw.custom_roster(tmp_path / "n.xlsx", ["姓名", "身份证号", "入党时间"],
                            [["张三", 110105198005170012, 20190701], ["李四", 1.10105198005171e17, 2019.07]])
    (sheet,) = read_workbook(path)
    (_, a), (_, b) = sheet.rows
    assert isinstance(a[1], (int, float)) and a[2] == 20190701
    assert isinstance(b[1], float) and b[2] == 2019.07


@pytest.mark.parametrize("text, key", [
    ("*姓名", "name"), ("身份证号码（18位）", "id_number"), ("出生日期(yyyy-mm-dd)", "birth_date"),
    ("入 党 时 间", "joined"), ("加入党组织日期：", "joined"), ("公民身份号码", "id_number"),
    ("工作单位", None), (None, None), (42, None),
])
def test_header_names_vary(text, key):
    assert header_field(text) == key


@pytest.mark.parametrize("merged, header_row, contact", [
    (True, 3, "手机"),  # labels merged down: the lower row names every column
    (False, 3, "联系方式/手机"),  # the upper row names most; the lower one completes it
])
def test_two_header_rows(tmp_path, merged, header_row, contact):
    path = mw.two_row_header(tmp_path / "h.xlsx", mw.people(2), merged=merged)
    (sheet,) = read_workbook(path)
    assert sheet.header_row == header_row
    assert [(h.letter, h.text, h.key) for h in sheet.headers] == [
        ("A", "姓名", "name"), ("B", "身份证号", "id_number"), ("C", "出生日期", "birth_date"),
        ("D", "入党日期", "joined"), ("E", contact, "mobile"), ("F", "座机", "phone")]
    assert [n for n, _ in sheet.rows] == [4, 5]


def test_a_cell_merged_down_gives_its_value_to_every_row(tmp_path):
    a, b = mw.people(3), mw.people(2, start=10)
    path = mw.branch_column_merged(tmp_path / "m.xlsx", [("第一网格党支部", a), ("离退休党支部", b)])
    (sheet,) = read_workbook(path)
    assert [v[1] for _, v in sheet.rows] == ["第一网格党支部"] * 3 + ["离退休党支部"] * 2


def test_a_sheet_claiming_a_million_rows_is_read_in_a_moment(tmp_path):
    path = mw.claims_a_million_rows(tmp_path / "big.xlsx", mw.people(3))
    start = time.perf_counter()
    (sheet,) = read_workbook(path)
    assert time.perf_counter() - start < 2
    assert sheet.claimed_rows == 1_000_000
    assert len(sheet.rows) == 3 and sheet.stopped_after is not None


def test_sheets_without_a_header_and_hidden_sheets_are_reported(tmp_path):
    path = mw.sheets_per_branch(tmp_path / "s.xlsx", {"第一网格党支部": mw.people(1)},
                                extra_sheets={"说明": [["本表由社区填写"], ["请勿改动表头"]]},
                                hidden={"旧名册": mw.people(1)})
    first, notes, old = read_workbook(path)
    assert first.header_row == 2 and not first.hidden
    assert notes.header_row is None and len(notes.rows) == 2
    assert old.hidden


def test_progress_and_cancel(tmp_path):
    from desktop.domain.tasks import CancelToken, Cancelled

    path = mw.titled_roster(tmp_path / "a.xlsx", mw.people(2))
    seen = []
    read_workbook(path, progress=lambda d, t, m: seen.append((d, t, m)))
    assert seen[-1][0] == seen[-1][1] and "读取" in seen[0][2]
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_workbook(path, cancel=token)


@pytest.mark.parametrize("name, content, words", [
    ("坏名册.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ["无法读取“坏名册.xls”", "已损坏",
                                                                       "密码", "另存为", ".xlsx"]),
    ("改名.xls", b"PK\x03\x04" + b"\0" * 100, ["实际上是.xlsx", "改为“.xlsx”"]),
    ("文本.xls", "姓名,身份证号".encode("utf-8"), ["不是有效的.xls"]),
    ("伪装.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ["旧版.xls", "密码", "另存为"]),
    ("名册.csv", b"a,b\n", ["只能导入", "另存为"]),
    ("坏文件.xlsx", b"<html></html>", ["不是有效的.xlsx"]),
    ("名册.et", b"whatever", ["旧版表格格式", "另存为"]),
])
def test_files_that_are_not_xlsx_are_refused_with_a_request(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as e:
        read_workbook(path)
    for w in words:
        assert w in str(e.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(WorkbookError, match="找不到文件"):
        check_file(tmp_path / "没有.xlsx")


def test_a_broken_zip_is_refused(tmp_path):
    path = tmp_path / "断.xlsx"
    wb = Workbook()
    wb.save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(WorkbookError, match="已损坏"):
        read_workbook(path)


def test_dates_typed_into_text_cells_stay_text(tmp_path):
    path = mw.custom_roster(tmp_path / "d.xlsx", ["姓名", "身份证号", "入党时间"],
                            [["张三", "x", "2019.07.01"], ["李四", "y", date(2019, 7, 1)]])
    (sheet,) = read_workbook(path)
    assert sheet.rows[0][1][2] == "2019.07.01" and sheet.rows[1][1][2] == datetime(2019, 7, 1)


def test_damaged_sheet_data_is_refused_with_the_file_and_sheet_named(tmp_path):
    import zipfile

    good = mw.titled_roster(tmp_path / "good.xlsx", mw.people(3))
    bad = tmp_path / "坏表.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cut = data.index(b'<row r="6"')
                data = data[:cut] + b"<<&& not xml" + data[cut:]
            out.writestr(info, data)
    with pytest.raises(WorkbookError) as e:
        read_workbook(bad)
    assert "“坏表.xlsx”" in str(e.value) and "已损坏" in str(e.value) and "另存为" in str(e.value)


def test_an_old_xls_workbook_reads_like_an_xlsx(tmp_path):
    """Excel 97–2003 files are read too (xlrd): the title above the header, the
    branch merged down over its members, date cells as datetimes (as openpyxl gives them), a
    hidden sheet marked hidden, and
    an ID number saved as a number kept a number (the import refuses it, never guesses)."""
    a, b = mw.people(3), mw.people(2, start=10)
    path = mw.old_format_roster(tmp_path / "旧名册.xls", [("第一网格党支部", a), ("离退休党支部", b)],
                                id_as_number=b[1])
    roster, notes = read_workbook(path)
    assert (roster.name, roster.hidden, notes.name, notes.hidden) == ("全社区", False, "说明", True)
    assert roster.header_row == 3
    assert [h.text for h in roster.headers][:4] == ["序号", "所在党支部", "姓名", "公民身份号码"]
    assert [h.key for h in roster.headers][2:4] == ["name", "id_number"]
    rows = [values for _, values in roster.rows]
    assert [r[1] for r in rows] == ["第一网格党支部"] * 3 + ["离退休党支部"] * 2
    assert [r[2] for r in rows] == [p.name for p in a + b]
    assert [r[3] for r in rows[:4]] == [p.id_number for p in a + b[:1]]
    assert isinstance(rows[4][3], float)
    assert [r[4] for r in rows] == [datetime(p.birth.year, p.birth.month, p.birth.day) for p in a + b]
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]  # whole numbers as int, as openpyxl gives them


def test_a_damaged_xls_prints_nothing_to_standard_output(tmp_path, capsys):
    """xlrd writes its warnings to stdout unless told otherwise; the CLI's output must not
    carry them (they go to the log)."""
    good = mw.old_format_roster(tmp_path / "好.xls", [("第一网格党支部", mw.people(3))]).read_bytes()
    bad = tmp_path / "坏.xls"
    bad.write_bytes(good[:-700])  # cut short: xlrd warns about the size, then fails
    with pytest.raises(WorkbookError, match="无法读取“坏.xls”"):
        read_workbook(bad)
    assert capsys.readouterr().out == ""


def test_an_xls_with_an_open_password_says_so(tmp_path):
    with pytest.raises(WorkbookError) as e:
        read_workbook(mw.password_xls(tmp_path / "加密.xls"))
    assert str(e.value) == ("无法读取“加密.xls”：文件设置了打开密码。请在Excel或WPS中打开，"
                            "取消密码后保存，再导入。")
