"""`dangjian --db PATH export stats --out FILE.xlsx|FILE.pdf [--org NAME] [--date D]`."""
from __future__ import annotations

import subprocess
from datetime import date

import openpyxl
import pytest

from desktop.cli import main
from tests.conftest import make_member


@pytest.fixture
def db(workspace, street, db_path):
    add = workspace.roster.add
    add(make_member(street["b1"], "甲", 1))
    add(make_member(street["b2"], "乙", 2, sex="女", birth=date(1950, 3, 1)))
    add(make_member(street["b2"], "丙", 3, sex="女", birth=date(1960, 3, 1)))
    return db_path


def test_xlsx_for_the_street(db, tmp_path, capsys):
    out = tmp_path / "统计.xlsx"
    assert main(["--db", str(db), "export", "stats", "--out", str(out), "--date", "2026-11-22"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"已导出测试街道党工委党员统计表（4个组织，3名党员）到 {out}")
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "测试街道党工委党员统计表（截至2026年11月22日）"
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(5, ws.max_row + 1)] == [
        ("测试街道党工委", 3), ("幸福社区党委", 3), ("第一网格党支部", 1), ("离退休党支部", 2)]


def test_pdf_for_one_organisation(db, tmp_path, capsys):
    out = tmp_path / "统计.pdf"
    assert main(["--db", str(db), "export", "stats", "--out", str(out), "--org", "离退休党支部"]) == 0
    assert "离退休党支部党员统计表（1个组织，2名党员）" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "离退休党支部党员统计表" in text and "测试街道党工委" not in text
    row = next(ln.split() for ln in text.splitlines() if ln.strip().startswith("离退休党支部 "))
    assert row[1:6] == ["2", "2", "0", "0", "2"]  # 总数 正式 预备 男 女


def test_bad_input_is_refused_in_chinese(db, tmp_path, capsys):
    assert main(["--db", str(db), "export", "stats", "--out", str(tmp_path / "a.docx")]) == 2
    assert "只能导出为 .xlsx 或 .pdf" in capsys.readouterr().err
    assert main(["--db", str(db), "export", "stats", "--out", str(tmp_path / "a.pdf"),
                 "--org", "不存在的支部"]) == 2
    assert "找不到名为“不存在的支部”的组织" in capsys.readouterr().err
    assert not list(tmp_path.glob("a.*"))
