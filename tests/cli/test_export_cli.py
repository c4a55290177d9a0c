"""`dangjian --db PATH export roster --out FILE.xlsx|FILE.pdf [--org NAME] [--include-left] [--full-ids]`."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from tests.roster_export_data import fill_roster

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(workspace, street, db_path):
    fill_roster(workspace, street)
    return db_path


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    return d


def names_in(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [r[1] for ws in wb.worksheets for r in ws.iter_rows(min_row=4, values_only=True)]


def test_xlsx_of_one_organisation(db, out, capsys):
    target = out / "b2.xlsx"
    code = main(["--db", str(db), "export", "roster", "--out", str(target), "--org", "离退休党支部"])
    assert code == 0
    assert "已导出2名党员" in capsys.readouterr().out
    assert names_in(target) == ["王五", "赵六"]
    assert load_workbook(target).sheetnames == ["离退休党支部"]


def test_whole_street_one_sheet_masked_with_left_members(db, out):
    target = out / "all.xlsx"
    assert main(["--db", str(db), "export", "roster", "--out", str(target), "--one-sheet",
                 "--mask-id", "--include-left"]) == 0
    ws = load_workbook(target).active
    assert ws["A1"].value == "测试街道党工委党员花名册"
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == ["李堃", "钱七", "张三", "王五", "赵六"]
    assert all(re.fullmatch(r"110105\*{8}\d{3}[\dX]", r[3]) for r in rows)
    assert ws.cell(3, 25).value == "在册状态"


def test_masked_by_default_full_ids_only_when_asked(db, out, capsys):
    masked, full = out / "masked.xlsx", out / "full.xlsx"
    assert main(["--db", str(db), "export", "roster", "--out", str(masked), "--one-sheet"]) == 0
    assert "身份证号、电话已隐去部分数字" in capsys.readouterr().out
    assert main(["--db", str(db), "export", "roster", "--out", str(full), "--one-sheet",
                 "--full-ids"]) == 0
    assert "注意保密" in capsys.readouterr().out
    rows = {p: list(load_workbook(p).active.iter_rows(min_row=4, values_only=True))
            for p in (masked, full)}
    assert all(re.fullmatch(r"110105\*{8}\d{3}[\dX]", r[3]) for r in rows[masked])
    assert all(re.fullmatch(r"\d{17}[\dX]", r[3]) for r in rows[full])
    assert "13912345678" in [r[12] for r in rows[full]]
    assert "139****5678" in [r[12] for r in rows[masked]]


def test_pdf(db, out, capsys):
    target = out / "roster.pdf"
    assert main(["--db", str(db), "export", "roster", "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF")
    assert "共1页" in capsys.readouterr().out


def test_errors_are_reported_in_chinese(db, out, capsys):
    assert main(["--db", str(db), "export", "roster", "--out", str(out / "a.xlsx"), "--org", "没有这个组织"]) == 2
    assert "找不到名为“没有这个组织”的组织" in capsys.readouterr().err
    assert main(["--db", str(db), "export", "roster", "--out", str(out / "a.doc")]) == 2
    assert ".xlsx 或 .pdf" in capsys.readouterr().err
    assert list(out.iterdir()) == []


def test_as_a_command(db, out):
    target = out / "cmd.xlsx"
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "--db", str(db), "export", "roster",
                           "--out", str(target), "--org", "幸福社区党委"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    assert names_in(target) == ["李堃", "张三", "王五", "赵六"]
