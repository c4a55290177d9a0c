"""党员统计表 .xlsx and .pdf, read back: headings, numbers, print setup, page text."""
import subprocess
from datetime import date

import openpyxl
import pytest

from desktop.domain.stats import (TABLE_COLUMNS, TOTAL_KEY, Counts, StatsTable, roll_up,
                                  stats_title)
from desktop.exports.pdf.stats import header_label, write_stats_pdf
from desktop.exports.xlsx.stats import FIRST_DATA_ROW, GROUP_ROW, LABEL_ROW, write_stats_xlsx

DAY = date(2026, 11, 22)


def _counts(total, **by_label):
    values = {TOTAL_KEY: total}
    for c in TABLE_COLUMNS:
        values[c.key] = by_label.get(c.label, 0)
    return Counts(values)


@pytest.fixture
def table():
    tree = [(1, "长青街道党工委", 0, None), (2, "幸福社区党委", 1, 1), (3, "第一网格党支部", 2, 2),
            (4, "离退休楼院党支部", 2, 2), (5, "和平社区党委", 1, 1), (6, "流动党员党支部", 2, 5)]
    own = {3: _counts(30, 正式党员=28, 预备党员=2, 男=17, 女=13, 汉族=29, 少数民族=1, 大学本科=30),
           4: _counts(12, 正式党员=12, 男=5, 女=7, 汉族=12, 初中及以下=12),
           6: _counts(54321, 正式党员=54321, 男=54321, 汉族=54321, 其他=54321)}
    return StatsTable(stats_title("长青街道党工委", DAY), "长青街道党工委", DAY, TABLE_COLUMNS,
                      roll_up(tree, own))


def test_roll_up_sums_children(table):
    assert [(r.org_name, r.counts.total) for r in table.rows] == [
        ("长青街道党工委", 54363), ("幸福社区党委", 42), ("第一网格党支部", 30),
        ("离退休楼院党支部", 12), ("和平社区党委", 54321), ("流动党员党支部", 54321)]
    assert table.total["sex:女"] == 20


def test_xlsx(table, tmp_path):
    path = write_stats_xlsx(tmp_path / "统计表.xlsx", table)
    ws = openpyxl.load_workbook(path)["党员统计表"]
    assert ws["A1"].value == "长青街道党工委党员统计表（截至2026年11月22日）"
    groups = [ws.cell(GROUP_ROW, c).value for c in range(1, ws.max_column + 1)]
    assert [g for g in groups if g] == ["组织", "党员总数", "人员类别", "性别", "年龄", "学历", "民族"]
    labels = [ws.cell(LABEL_ROW, c).value for c in range(3, ws.max_column + 1)]
    assert labels == [c.label for c in TABLE_COLUMNS]
    assert "C3:D3" in {str(r) for r in ws.merged_cells.ranges}  # 人员类别 over two columns
    rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
            for r in range(FIRST_DATA_ROW, ws.max_row + 1)]
    assert [r[0] for r in rows] == [r.org_name for r in table.rows]
    col = {label: i for i, label in enumerate(["组织", "党员总数"] + labels)}
    assert rows[1][col["党员总数"]] == 42 and rows[1][col["女"]] == 7 + 13
    assert rows[0][col["党员总数"]] == 54363 and isinstance(rows[0][col["男"]], int)
    assert ws.cell(FIRST_DATA_ROW + 2, 1).alignment.indent == 2
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$3:$4" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_pdf(table, tmp_path):
    built = write_stats_pdf(tmp_path / "统计表.pdf", table)
    text = subprocess.run(["pdftotext", "-layout", str(built.path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "长青街道党工委党员统计表（截至2026年11月22日）" in text
    assert "第 1 页 / 共 1 页" in text
    lines = {ln.split()[0]: ln.split()[1:] for ln in text.splitlines() if ln.split()}
    # 组织 then 党员总数, 正式, 预备, 男, 女 …: counts in their columns, large ones unbroken.
    assert lines["幸福社区党委"][:5] == ["42", "40", "2", "22", "20"]
    assert lines["流动党员党支部"][:3] == ["54321", "54321", "0"]
    assert [header_label(c) for c in TABLE_COLUMNS][-3:] == ["其他学历", "汉族", "少数民族"]
    info = subprocess.run(["pdfinfo", str(built.path)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: wider than high
