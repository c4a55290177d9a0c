"""Fuzzing the roster importer (issue #8): random and corrupted workbooks — wrong types, huge
strings, formulas, merged cells anywhere, random header rows, hidden sheets, damaged zip
bytes, a sheet claiming a million rows — fed to the real use case (read → plan → apply).

Whatever the file, the importer must

- raise nothing but a DomainError (a Chinese message fit to show), never crash;
- name the place of every problem (工作表…第N行 for a row, the file name for a file);
- leave the database byte for byte as it was whenever it refuses (and planning never
  writes at all).

Bounded (max_examples) and reproducible (derandomized); each test reports how many cases ran.
"""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import tempfile
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from desktop.domain.errors import DomainError
from desktop.importing.xlsx_reader import read_workbook
from desktop.services.importing import ImportRefused, ImportService
from desktop.services.workspace import open_workspace
from tests import messy_workbooks as mw
from tests.safety.report import record

SETTINGS = dict(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
CHINESE = re.compile(r"[\u4e00-\u9fff]")

HEADERS = ["序号", "姓名", "党员姓名", "公民身份号码", "身份证号", "性别", "民族", "出生日期", "出生年月",
           "学历", "文化程度", "人员类别", "入党时间", "转正时间", "工作岗位", "联系电话", "固定电话",
           "家庭住址", "党籍状态", "是否为失联党员", "失联日期", "是否为流动党员", "外出流向", "备注",
           "所在党支部", "所在党小组", "社区党员分类", "党内职务", "手机/座机", "联系方式"]


# --------------------------------------------------------------------------- the world


class World:
    """A street database kept as a template; each case imports into a fresh copy of it."""

    def __init__(self, root: Path):
        from desktop.domain.organization import BranchKind, OrgKind, Organization

        self.root = root
        self.template = root / "template.sqlite3"
        ws = open_workspace(self.template, backup=False)
        s = ws.orgs.create(Organization("长青街道党工委", OrgKind.STREET))
        c = ws.orgs.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id))
        self.branch = ws.orgs.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c.id,
                                                  branch_kind=BranchKind.GRID)).id
        ws.orgs.create(Organization("第二网格党支部", OrgKind.BRANCH, parent_id=c.id,
                                    branch_kind=BranchKind.GRID))
        ws.close()
        self.template_bytes = self.template.read_bytes()
        self.n = 0
        self.people = mw.people(6, start=40)
        self.good = mw.titled_roster(root / "good.xlsx", self.people).read_bytes()  # fixed bytes

    def good_copy(self, d: Path) -> Path:
        p = d / "good.xlsx"
        p.write_bytes(self.good)
        return p

    def case_dir(self) -> Path:
        self.n += 1
        d = self.root / f"case{self.n}"
        d.mkdir()
        return d


class Tally:
    def __init__(self, name: str):
        self.name = name
        self.cases = self.refused = self.planned = self.imported = 0
        self.reader_crashes: dict[str, int] = {}
        self.example: str = ""

    def line(self) -> str:
        crashes = sum(self.reader_crashes.values())
        return (f"fuzz {self.name}: {self.cases} cases — {self.refused} refused with a Chinese message "
                f"naming the place, {self.planned} planned, {self.imported} imported; "
                f"crashes: {crashes}, writes on refusal: 0")

    def finish(self) -> None:
        """Fail, after all cases ran (so every other check saw them all), if the reader let
        any low-level error escape instead of a Chinese WorkbookError."""
        if self.reader_crashes:
            pytest.fail(f"xlsx_reader.read_workbook raised non-Chinese errors in "
                        f"{sum(self.reader_crashes.values())} of {self.cases} cases: "
                        f"{self.reader_crashes}; e.g. {self.example}")


@pytest.fixture(scope="module")
def world():
    root = Path(tempfile.mkdtemp(prefix="fuzz-import-"))
    try:
        yield World(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def tallies():
    made: dict[str, Tally] = {}

    def get(name: str) -> Tally:
        return made.setdefault(name, Tally(name))

    yield get
    for t in made.values():
        record(t.line())


def digest(path: Path) -> str:
    h = hashlib.sha256(path.read_bytes())
    for extra in ("-wal", "-journal"):
        side = Path(f"{path}{extra}")
        if side.exists() and side.stat().st_size:
            h.update(side.read_bytes())
    return h.hexdigest()


def assert_names_a_place(message: str, file_name: str) -> None:
    assert CHINESE.search(message), message
    assert (file_name in message or "工作表" in message), f"no place in: {message}"


def import_case(world: World, book: Path, tally: Tally, *, skip_invalid: bool = False) -> None:
    """Read → plan → apply the workbook into a fresh copy of the street; check the rules."""
    d = book.parent
    db = d / "db.sqlite3"
    db.write_bytes(world.template_bytes)
    before = digest(db)
    tally.cases += 1
    try:
        read_workbook(book)
    except DomainError:
        pass  # planning must refuse it in the same words: checked below
    except Exception as e:  # noqa: BLE001 - counted; the test fails once all cases ran
        name = type(e).__name__
        tally.reader_crashes[name] = tally.reader_crashes.get(name, 0) + 1
        tally.example = tally.example or f"{name}: {str(e)[:80]}"
        assert digest(db) == before
        return
    ws = open_workspace(db, backup=False)
    try:
        svc = ImportService(ws.db)
        try:
            plan = svc.plan_roster_import(book, org_id=world.branch)
        except DomainError as e:  # the file cannot be read at all
            ws.close()
            assert_names_a_place(str(e), book.name)
            assert digest(db) == before, "planning wrote to the database"
            tally.refused += 1
            return
        tally.planned += 1
        for s in plan.sheets:
            if s.note:
                assert CHINESE.search(s.note), s.note
        for p in plan.problems():
            text = str(p)
            assert CHINESE.search(text) and f"工作表“{p.sheet}”" in text and f"第{p.row}行" in text, text
            assert p.row >= 1
        ws.close()
        assert digest(db) == before, "planning wrote to the database"
        ws = open_workspace(db, backup=False)
        svc = ImportService(ws.db)
        try:
            result = svc.apply_roster_import(plan, skip_invalid=skip_invalid)
        except ImportRefused as e:
            ws.close()
            assert CHINESE.search(str(e)) and e.problems
            assert digest(db) == before, "a refused import wrote to the database"
            tally.refused += 1
            return
        except DomainError as e:
            ws.close()
            assert CHINESE.search(str(e)), str(e)
            assert digest(db) == before, "a refused import wrote to the database"
            tally.refused += 1
            return
        landed = len(plan.landing_rows())
        assert result.created + result.updated + result.unchanged == landed
        tally.imported += landed > 0
        if landed == 0:
            ws.close()
            assert digest(db) == before, "an import of nothing wrote to the database"
    finally:
        ws.close()


# --------------------------------------------------------------------------- strategies

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

texts = st.one_of(
    st.sampled_from(HEADERS + ["张三", "李四", "男", "女", "汉族", "正式党员", "预备党员", "是", "否",
                               "第一网格党支部", "第二网格党支部", "不存在的支部", "大学本科", "  ", "",
                               "2005-07-01", "2005.7.1", "二〇〇五年七月", "13800000000"]),
    st.text(max_size=30),
    st.builds(lambda c, n: c * n, st.sampled_from("党x 　\n"), st.integers(1000, 40_000)),  # huge
)
cells = st.one_of(
    st.none(), texts,
    st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from(["=1/0", "=A1&B1", "=SUM(A:A)", "=HYPERLINK(\"x\")", "=NOW()", "=#REF!"]),
    st.sampled_from([mw.people(3)[i].id_number for i in range(3)] + ["11010519800517001X", "1101051980"]),
)


@st.composite
def workbooks(draw):
    """A workbook as a list of sheets: (title, hidden, {(row, col): value}, merges)."""
    sheets = []
    for i in range(draw(st.integers(1, 3))):
        title = draw(st.one_of(st.just(f"Sheet{i}"), st.text(
            st.characters(blacklist_characters="[]:*?/\\'", blacklist_categories=("Cs", "Cc")),
            min_size=1, max_size=31)))
        values: dict[tuple[int, int], object] = {}
        header_row = draw(st.integers(1, 25))
        width = draw(st.integers(1, 30))
        if draw(st.booleans()):  # a recognisable header, somewhere
            header = draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.none(), texts),
                                   min_size=width, max_size=width))
            for c, v in enumerate(header, 1):
                values[(header_row, c)] = v
        for r in range(draw(st.integers(0, 25))):
            row = header_row + 1 + r + draw(st.integers(0, 3))
            for c, v in enumerate(draw(st.lists(cells, min_size=0, max_size=width)), 1):
                values[(row, c)] = v
        for _ in range(draw(st.integers(0, 8))):  # stray cells anywhere
            values[(draw(st.integers(1, 2000)), draw(st.integers(1, 300)))] = draw(cells)
        merges = []
        for _ in range(draw(st.integers(0, 5))):  # merged cells anywhere, overlaps included
            r1, c1 = draw(st.integers(1, 60)), draw(st.integers(1, 40))
            merges.append((r1, c1, r1 + draw(st.integers(0, 40)), c1 + draw(st.integers(0, 5))))
        sheets.append((title, draw(st.booleans()) and i > 0, values, merges))
    return sheets


def save(sheets, path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    used = set()
    for title, hidden, values, merges in sheets:
        key = title.lower()
        assume(key not in used)
        used.add(key)
        ws = wb.create_sheet(title)
        if hidden:
            ws.sheet_state = "hidden"
        for (r, c), v in values.items():
            if isinstance(v, str) and ILLEGAL.search(v):
                v = ILLEGAL.sub("", v)
            try:
                ws.cell(row=r, column=c, value=v)
            except (IllegalCharacterError, ValueError, TypeError):
                pass
        for r1, c1, r2, c2 in merges:
            if (r1, c1) != (r2, c2):
                ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    try:
        wb.save(path)
    except (ValueError, TypeError, IllegalCharacterError):
        assume(False)  # openpyxl itself refuses to write it
    return path


# --------------------------------------------------------------------------- tests


def test_random_workbooks(world, tallies):
    tally = tallies("random workbooks")

    @settings(max_examples=100, **SETTINGS)
    @given(workbooks(), st.booleans())
    def case(sheets, skip_invalid):
        book = save(sheets, world.case_dir() / "花名册.xlsx")
        import_case(world, book, tally, skip_invalid=skip_invalid)

    case()
    tally.finish()


def test_a_real_roster_with_wrong_cells_and_merges(world, tallies):
    """A clean roster, then wrong types, huge strings, formulas and merges dropped anywhere."""
    tally = tallies("real roster, wrong cells")

    @settings(max_examples=100, **SETTINGS)
    @given(st.data(), st.booleans())
    def case(data, skip_invalid):
        wrong_cells_case(world, tally, data, skip_invalid)

    case()
    tally.finish()


def wrong_cells_case(world, tally, data, skip_invalid) -> None:
    header = mw.VARIANT_HEADER
    rows = [mw.variant_row(i, p) for i, p in enumerate(world.people, 1)]
    for _ in range(data.draw(st.integers(0, 6))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, len(header) - 1))
        rows[r][c] = data.draw(cells)
    values = {(4, c): h for c, h in enumerate(header, 1)}
    values.update({(5 + r, c + 1): v for r, row in enumerate(rows) for c, v in enumerate(row)})
    merges = []
    for _ in range(data.draw(st.integers(0, 3))):
        r1, c1 = data.draw(st.integers(1, 14)), data.draw(st.integers(1, len(header)))
        merges.append((r1, c1, r1 + data.draw(st.integers(0, 6)), c1 + data.draw(st.integers(0, 2))))
    book = save([("党员花名册", False, values, merges)], world.case_dir() / "花名册.xlsx")
    import_case(world, book, tally, skip_invalid=skip_invalid)


def test_corrupted_bytes(world, tallies):
    tally = tallies("corrupted bytes")

    @settings(max_examples=100, **SETTINGS)
    @given(st.data())
    def case(data):
        corrupted_case(world, tally, data)

    case()
    tally.finish()


def test_corrupted_old_xls_bytes(world, tallies):
    """The same damage done to an Excel 97–2003 file (read by xlrd): still a Chinese
    message or a plan, never a crash."""
    tally = tallies("corrupted .xls bytes")
    good = mw.old_format_roster(world.root / "good.xls", [("第一网格党支部", mw.people(20))])

    @settings(max_examples=100, **SETTINGS)
    @given(st.data())
    def case(data):
        corrupted_case(world, tally, data, good=good.read_bytes(), name="坏文件.xls",
                       magic=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

    case()
    tally.finish()


def corrupted_case(world, tally, data, *, good: bytes | None = None, name: str = "坏文件.xlsx",
                   magic: bytes = b"PK\x03\x04") -> None:
    d = world.case_dir()
    raw = bytearray(world.good if good is None else good)
    how = data.draw(st.sampled_from(["flip", "truncate", "insert", "zero-run", "random"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 30))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] ^= data.draw(st.integers(1, 255))
    elif how == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    elif how == "insert":
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=200))
    elif how == "zero-run":
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i: i + data.draw(st.integers(1, 4000))] = b"\0" * 4000
    else:
        raw = bytearray(magic + data.draw(st.binary(max_size=3000)))
    book = d / name
    book.write_bytes(bytes(raw))
    import_case(world, book, tally)


XML_PARTS = ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml",
             "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]


ATTRIBUTE = re.compile(rb'\b(?:r|s|t|ref|count|sheetId|r:id|Id|Target|numFmtId|xfId|fontId)="([^"]*)"')
JUNK = [b"", b"-1", b"999999", b"ZZZZZ1", b"A0", b"x", b"1e400", b"d", b"e", b"inlineStr",
        "中".encode("utf-8"), b"A1:A", b"9" * 30]


def test_damaged_parts_inside_a_sound_zip(world, tallies):
    tally = tallies("damaged xml parts")

    @settings(max_examples=80, **SETTINGS)
    @given(st.sampled_from(XML_PARTS),
           st.sampled_from(["drop", "garbage", "truncate", "empty", "swap-tags", "attribute"]),
           st.integers(0, 10_000), st.sampled_from(JUNK))
    def case(part, how, at, junk):
        damaged_part_case(world, tally, part, how, at, junk)

    case()
    tally.finish()


def damaged_part_case(world, tally, part, how, at, junk) -> None:
    d = world.case_dir()
    src = zipfile.ZipFile(io.BytesIO(world.good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                if how == "drop":
                    continue
                if how == "garbage":
                    data = data[: at % max(len(data), 1)] + b"<<&&\xff\xfe not xml" + data[at % max(len(data), 1):]
                elif how == "truncate":
                    data = data[: at % max(len(data), 1)]
                elif how == "empty":
                    data = b""
                elif how == "attribute":  # well-formed XML saying impossible things
                    found = list(ATTRIBUTE.finditer(data))
                    if found:
                        m = found[at % len(found)]
                        data = data[:m.start(1)] + junk + data[m.end(1):]
                else:
                    data = data.replace(b"<row", b"<wor").replace(b"<c ", b"<x ")
            out.writestr(info.filename, data)
    book = d / "部件损坏.xlsx"
    book.write_bytes(buf.getvalue())
    import_case(world, book, tally)


def test_a_sheet_claiming_a_million_rows_is_read_quickly(world, tallies):
    d = world.case_dir()
    book = mw.claims_a_million_rows(d / "百万行.xlsx", mw.people(5, start=60))
    t0 = time.perf_counter()
    import_case(world, book, tallies("million rows"))
    assert time.perf_counter() - t0 < 20
    tallies("million rows").finish()


def test_a_million_empty_rows_written_out(world, tallies):
    """The sheet XML really holds 1,000,000 (empty, formatted) rows and claims them."""
    d = world.case_dir()
    src = zipfile.ZipFile(io.BytesIO(world.good))
    filler = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % r for r in range(49, 1_000_001))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:Z1000000"/>', data)
                assert n == 1 and b'<row r="48"' in data and b'<row r="49"' not in data
                data = data.replace(b"</sheetData>", filler + b"</sheetData>")
            out.writestr(info.filename, data)
    book = d / "一百万空行.xlsx"
    book.write_bytes(buf.getvalue())
    t0 = time.perf_counter()
    (sheet,) = read_workbook(book)
    assert sheet.claimed_rows == 1_000_000 and sheet.header_row == 4
    import_case(world, book, tallies("million rows"))
    assert time.perf_counter() - t0 < 60
    tallies("million rows").finish()


@pytest.mark.parametrize("name,content", [
    ("旧格式.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
    ("伪装.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504),
    ("空文件.xlsx", b""),
    ("文本.xlsx", "姓名,身份证号\n张三,1101".encode("utf-8")),
    ("表格.csv", "姓名,身份证号\n".encode("utf-8")),
    ("zip.xlsx", b"PK\x05\x06" + b"\0" * 18),
])
def test_files_that_are_not_workbooks(world, tallies, name, content):
    book = world.case_dir() / name
    book.write_bytes(content)
    import_case(world, book, tallies("not workbooks"))
    tallies("not workbooks").finish()


def test_a_good_workbook_still_imports(world, tallies):
    """The control: the checks above do not pass by refusing everything."""
    book = world.good_copy(world.case_dir())
    t = Tally("control")
    import_case(world, book, t)
    assert t.imported == 1 and t.refused == 0
