"""党员花名册 PDF, read back with poppler: every member, header and page numbers on every page,
fonts embedded, selectable text."""
from __future__ import annotations

import os
import re
from datetime import date

import pytest

from desktop.domain.roster_export import RECORD_KEYS, RosterDocument, RosterSection
from desktop.domain.tasks import CancelToken, Cancelled
from desktop.exports.pdf.document import page_layout
from desktop.exports.pdf.roster import (PDF_HEADERS, ROSTER_MARGINS, column_widths,
                                        write_roster_pdf)
from desktop.services.exporting import ExportService, RosterExportOptions
from tests.exports.test_pdf_document import embedded_fonts, pdf_info, poppler
from tests.roster_export_data import TODAY, fill_roster


@pytest.fixture
def roster(workspace, street):
    return street | fill_roster(workspace, street)


def export(workspace, path, **options):
    return ExportService(workspace.db).export_roster(path, RosterExportOptions(**options), today=TODAY)


def pages_text(path) -> list[str]:
    text = poppler("pdftotext", "-enc", "UTF-8", "-layout", str(path), "-")
    return text.split("\f")[:-1]


def reading_order(path) -> str:
    """The text cell by cell (a wrapped cell's lines stay together), whitespace removed."""
    return squashed(poppler("pdftotext", "-enc", "UTF-8", str(path), "-"))


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def record(i: int, branch: str) -> tuple:
    """A synthetic member row (no database) with a distinct name and ID number."""
    row = dict.fromkeys(RECORD_KEYS, "")
    row.update(name=f"测试{i:05d}", org_name=branch, id_number=f"1101051980{i % 10000:04d}{i % 1000:03d}1"[:18],
               sex="男" if i % 2 else "女", ethnicity="汉族", birth_date=date(1980, 1, 1 + i % 28),
               education="大学本科", category="正式党员", joined=date(2005, 7, 1),
               confirmed=date(2006, 7, 1), job="退休人员", mobile="13800000000", standing="正常",
               lost_contact=False, lost_contact_date=None, is_mobile=False,
               classification="离退休党员", group_name=None)
    return tuple(row.values())


def test_small_roster_title_members_fonts(workspace, roster, tmp_path):
    path = tmp_path / "roster.pdf"
    result = export(workspace, path, org_id=roster["community"], mask_ids=False)
    assert result.pages == 1
    info = pdf_info(path)
    assert info["Title"].strip() == "幸福社区党委党员花名册"
    width, height = map(float, re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape

    [page] = pages_text(path)
    flat = squashed(page)
    for s in ("幸福社区党委党员花名册", "组织：幸福社区党委", "在册党员：4人", "打印日期：2026年11月22日",
              "第 1 页 / 共 1 页", "第一网格党支部", "离退休党支部"):
        assert squashed(s) in flat, s
    for name in ("张三", "李堃", "王五", "赵六"):  # 堃 is outside GB2312: set in the fallback font
        assert name in page
    assert "钱七" not in page  # left: not listed unless asked
    cells = reading_order(path)
    for header in PDF_HEADERS:
        assert header in cells, header
    z = workspace.roster.get(roster["张三"])
    assert z.id_number in page and "1980-05-17" in page

    fonts = embedded_fonts(path)
    assert fonts and all(emb == "yes" for _name, emb in fonts), fonts


def test_header_and_page_numbers_on_every_page_and_every_member_once(tmp_path):
    sections = tuple(RosterSection(b, f"第{b}网格党支部", [record(b * 1000 + i, f"第{b}网格党支部")
                                                       for i in range(150)]) for b in (1, 2, 3))
    doc = RosterDocument("幸福社区党委", TODAY, sections)
    path = tmp_path / "big.pdf"
    seen = []
    result = write_roster_pdf(path, doc, progress=lambda d, t, m: seen.append((d, t)))
    assert result.pages >= 15
    pages = pages_text(path)
    assert len(pages) == result.pages
    for n, page in enumerate(pages, start=1):
        assert f"第 {n} 页 / 共 {result.pages} 页" in page
        assert "公民身份号码" in page and "转为正式党" in page  # the header row on every page
        assert "幸福社区党委党员花名册" in page  # the running header
        assert re.search(r"第[123]网格党支部\s+在册党员：150人", page)  # whose rows, on every page
    found = re.findall(r"测试(\d{5})", "".join(pages))
    assert sorted(found) == sorted(f"{b * 1000 + i:05d}" for b in (1, 2, 3) for i in range(150))
    assert seen[-1] == (450, 450)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_masked_copy_by_default(workspace, roster, tmp_path):
    path = tmp_path / "masked.pdf"
    export(workspace, path)
    text = "".join(pages_text(path))
    zs = workspace.roster.get(roster["张三"])
    full, mobile = zs.id_number, workspace.roster.get(roster["李堃"]).mobile
    assert full not in text and mobile not in text
    assert full[:6] + "********" + full[-4:] in text
    assert mobile[:3] + "****" + mobile[-4:] in text
    assert text.count("身份证号、电话已隐去部分数字") == 2  # the note and the page footer
    assert "注意保密" not in text


def test_full_copy_says_keep_it_confidential(workspace, roster, tmp_path):
    path = tmp_path / "full.pdf"
    export(workspace, path, mask_ids=False)
    text = "".join(pages_text(path))
    assert workspace.roster.get(roster["张三"]).id_number in text
    assert text.count("含完整身份证号、电话，注意保密") == 2
    assert "隐去" not in text


def test_members_who_left_are_marked(workspace, roster, tmp_path):
    path = tmp_path / "all.pdf"
    export(workspace, path, include_left=True)
    flat = reading_order(path)
    assert "钱七（已转出）" in flat
    assert "共5人（其中已离开1人）" in flat


def test_single_branch_has_no_repeated_heading(workspace, roster, tmp_path):
    path = tmp_path / "b2.pdf"
    export(workspace, path, org_id=roster["b2"])
    [page] = pages_text(path)
    assert page.count("离退休党支部") == 3  # running header, title, 组织：…; no branch heading
    assert "王五" in page and "张三" not in page


def test_columns_fill_the_frame():
    layout = page_layout("landscape", ROSTER_MARGINS)
    rows = [["1", "张三", "110105198005170019", "男", "汉族", "1980-05-17", "大学本科", "正式党员",
             "2005-07-01", "2006-07-01", "退休人员", "13800000000", "离退休党员"]]
    widths = column_widths(rows, layout.frame_width)
    assert len(widths) == len(PDF_HEADERS)
    assert sum(widths) == pytest.approx(layout.frame_width)
    long = [r[:] for r in rows]
    long[0][1] = "阿卜杜热合曼·买买提艾力"
    long[0][10] = "公有制单位专业技术人员兼社区工作人员"
    assert sum(column_widths(long, layout.frame_width)) <= layout.frame_width + 0.01
    assert column_widths([], layout.frame_width)  # an empty roster still has columns


def test_empty_roster(tmp_path):
    path = tmp_path / "empty.pdf"
    result = write_roster_pdf(path, RosterDocument("幸福社区党委", TODAY, ()))
    assert result.pages == 1
    assert "在册党员：0人" in squashed(pages_text(path)[0])


def test_cancel_leaves_no_file(tmp_path):
    doc = RosterDocument("社区", TODAY, (RosterSection(1, "支部", [record(i, "支部") for i in range(1000)]),))
    target = tmp_path / "roster.pdf"
    target.write_bytes(b"old")
    token = CancelToken()

    def progress(done, total, message):
        if done >= 200:
            token.cancel()

    with pytest.raises(Cancelled):
        write_roster_pdf(target, doc, progress=progress, cancel=token)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["roster.pdf"]
