"""The shared PDF page machinery, checked by reading the PDFs back with poppler."""
import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph

from desktop.domain.tasks import CancelToken, Cancelled
from desktop.exports.pdf.document import (
    Margins,
    build_pdf,
    chunked_table,
    page_layout,
    para,
    print_date_line,
    styles,
)
from desktop.exports.pdf.fonts import cjk_fonts


@pytest.fixture(autouse=True)
def shipped_fonts(monkeypatch):
    monkeypatch.setenv("DANGJIAN_PDF_FONT_SHIPPED_ONLY", "1")


def poppler(tool: str, *args: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} missing: install poppler-utils")
        pytest.skip(f"{tool} not installed (poppler-utils)")
    done = subprocess.run([exe, *args], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def page_text(path, page: int) -> str:
    return poppler("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-layout", str(path), "-")


def pdf_info(path) -> dict[str, str]:
    out = poppler("pdfinfo", "-enc", "UTF-8", str(path))
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line) | {}


def embedded_fonts(path) -> list[tuple[str, str]]:
    """(name, emb) for every font pdffonts lists."""
    lines = poppler("pdffonts", str(path)).splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type [type...] encoding emb sub uni object ID
        rows.append((parts[0], parts[-5]))
    return rows


ROSTER = [
    ["1", "王建国", "男", "1965-03-12", "第一社区党支部"],
    ["2", "李堃", "男", "1988-11-02", "第一社区党支部"],
    ["3", "张喆", "女", "1992-07-30", "第二社区党支部"],
    ["4", "赵晓红", "女", "1970-01-05",
     "北京市朝阳区某某街道某某社区第二网格党支部（流动党员）委员会联络组"],
]


def three_page_story(layout):
    st = styles()
    widths = [12 * mm, 30 * mm, 14 * mm, 30 * mm, layout.frame_width - 86 * mm]
    return [
        para("党员名册", st.title),
        para("中共某某街道工作委员会　二〇二六年度", st.subtitle),
        para("说明：本名册依据党员信息管理系统导出，供支部书记核对。姓名中如有生僻字，"
             "请以身份证为准。本段落较长，用于检验中文在行末能够正确换行，而不会溢出页边。", st.body),
        *chunked_table(["序号", "姓名", "性别", "出生日期", "所在支部"], ROSTER, widths),
        Paragraph("注：<b>加粗</b>标记不会报错。", st.small),
        PageBreak(),
        para("第二部分　组织生活会记录", st.subtitle),
        para("会议时间：2026年11月20日；应到 12 人，实到 11 人。", st.body),
        PageBreak(),
        para("第三部分　党费收缴情况", st.subtitle),
        para("本年度党费已全部收缴。", st.body),
    ]


def test_three_page_landscape_pdf(tmp_path):
    target = tmp_path / "名册.pdf"
    calls = []
    result = build_pdf(
        target,
        three_page_story,
        title="党员名册",
        orientation="landscape",
        header_text="某某街道党建工作台",
        footer_left=print_date_line(dt.date(2026, 11, 22)),
        progress=lambda done, total, message: calls.append((done, total)),
    )

    assert result.pages == 3
    assert calls == [(1, 0), (2, 0), (3, 0), (3, 3)]
    assert result.path == target
    assert os.listdir(tmp_path) == ["名册.pdf"]

    info = pdf_info(target)
    assert info["Pages"].strip() == "3"
    assert info["Title"].strip() == "党员名册"
    assert info["Author"].strip() == "街道党建工作台"
    width, height = map(float, re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape

    pages = [page_text(target, n) for n in (1, 2, 3)]
    for n, text in enumerate(pages, start=1):
        assert f"第 {n} 页 / 共 3 页" in text
        assert "打印日期：2026年11月22日" in text
        assert "某某街道党建工作台" in text
    first = pages[0]
    for s in ("党员名册", "二〇二六年度", "王建国", "李堃", "张喆", "第一社区党支部", "所在支部",
              "加粗标记不会报错"):
        assert s in first, s
    # The long cell and the long paragraph wrapped inside the page: all of it is there.
    squashed = re.sub(r"\s+", "", first)
    assert "流动党员" in squashed and "联络组" in squashed
    assert "而不会溢出页边" in squashed
    assert "组织生活会记录" in pages[1]
    assert "党费收缴情况" in pages[2]

    fonts = embedded_fonts(target)
    assert len(fonts) >= 2  # 宋体 body + 黑体 title/header/fallback for 堃 喆 〇
    assert all(emb == "yes" for _name, emb in fonts), fonts


def test_portrait_default_margins(tmp_path):
    layout = page_layout()
    assert (round(layout.page_width), round(layout.page_height)) == (595, 842)
    assert layout.frame_width == pytest.approx(layout.page_width - 35 * mm)
    assert layout.frame_height == pytest.approx(layout.page_height - 38 * mm)
    assert page_layout("landscape", Margins(37, 35, 28, 26)).frame_width == pytest.approx(
        layout.page_height - 54 * mm)
    with pytest.raises(ValueError):
        page_layout("sideways")  # type: ignore[arg-type]

    result = build_pdf(tmp_path / "a.pdf", [para("党员", styles().body)], title="测试")
    assert result.pages == 1
    assert "第 1 页 / 共 1 页" in page_text(tmp_path / "a.pdf", 1)


def test_2000_rows_lay_out_with_the_header_on_every_page(tmp_path):
    rows = ([str(i), f"王建{i}", "男" if i % 2 else "女", "中共党员",
             "第一社区党支部" if i % 3 else "北京市朝阳区某某街道某某社区第一网格党支部委员会联络组" * 2]
            for i in range(2000))
    seen: list[tuple[int, int]] = []

    def story(layout):
        widths = [20 * mm, 30 * mm, 14 * mm, 26 * mm, layout.frame_width - 90 * mm]
        return chunked_table(["序号", "姓名", "性别", "政治面貌", "所在支部"], rows, widths,
                             chunk=200, progress=lambda done, total, msg: seen.append((done, total)))

    target = tmp_path / "roster.pdf"
    result = build_pdf(target, story, title="党员名册", orientation="portrait")
    assert result.pages > 20

    text = poppler("pdftotext", "-enc", "UTF-8", "-layout", str(target), "-")
    pages = text.split("\f")[: result.pages]
    for page in pages:
        assert page.count("所在支部") == 1  # header at the top of each page, nowhere else
    names = [int(n) for n in re.findall(r"王建(\d+)", text)]
    assert sorted(names) == list(range(2000))  # no row lost or repeated at page breaks
    assert seen[-1] == (2000, 2000)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_empty_table_builds(tmp_path):
    result = build_pdf(tmp_path / "e.pdf", lambda layout: chunked_table(["姓名"], [], [40 * mm]),
                       title="空")
    assert result.pages == 1
    assert "姓名" in page_text(tmp_path / "e.pdf", 1)


def test_cancel_during_layout_leaves_no_file(tmp_path):
    target = tmp_path / "roster.pdf"
    target.write_bytes(b"previous export")
    token = CancelToken()
    rows = [[str(i), "王建国"] for i in range(3000)]

    def progress(done, total, message):
        if done > 100:
            token.cancel()

    with pytest.raises(Cancelled):
        build_pdf(target, lambda layout: chunked_table(["序号", "姓名"], rows, [20 * mm, 40 * mm],
                                                        cancel=token, progress=progress),
                  title="党员名册", cancel=token)
    assert target.read_bytes() == b"previous export"
    assert os.listdir(tmp_path) == ["roster.pdf"]


def test_cancel_while_reading_rows(tmp_path):
    token = CancelToken()

    def rows():
        for i in range(1000):
            if i == 450:
                token.cancel()
            yield [str(i)]

    with pytest.raises(Cancelled):
        chunked_table(["序号"], rows(), [20 * mm], chunk=100, cancel=token)


def test_cancel_before_start(tmp_path):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        build_pdf(tmp_path / "x.pdf", [para("党员", styles().body)], title="x", cancel=token)
    assert os.listdir(tmp_path) == []


def test_styles_wrap_chinese():
    st = styles()
    f = cjk_fonts()
    for s in (st.title, st.subtitle, st.body, st.cell, st.cell_header, st.small):
        assert s.wordWrap == "CJK"
    assert 18 <= st.title.fontSize <= 22
    assert 10.5 <= st.body.fontSize <= 12
    assert st.body.fontName == f.body and st.title.fontName == f.title


def test_rendered_page_is_not_blank(tmp_path):
    target = tmp_path / "r.pdf"
    build_pdf(target, [para("党员名册", styles().title)], title="r")
    out = tmp_path / "r"
    poppler("pdftoppm", "-r", "30", "-gray", "-f", "1", "-l", "1", str(target), str(out))
    pgm = next(tmp_path.glob("r*.pgm")).read_bytes()
    # Binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    pixels = pgm[header.end():]
    dark = sum(1 for b in pixels if b < 128)
    assert dark > 50  # the title's glyphs were drawn
