"""`dangjian --db PATH export minutes|ledger|signin …`."""
from __future__ import annotations

import re
from datetime import date, datetime

import openpyxl
import pytest

from desktop.cli import main
from desktop.domain.meeting import MeetingKind, MeetingStatus
from tests.exports.test_pdf_document import page_text, poppler
from tests.services.test_meetings import branch, record  # noqa: F401  (fixture)


@pytest.fixture
def db(workspace, branch, db_path):  # noqa: F811
    ms = workspace.meetings
    a = ms.save(record(workspace, branch), today=date(2026, 3, 12))
    b = ms.save(record(workspace, branch, MeetingKind.THEME_DAY, datetime(2026, 5, 8, 9, 0)),
                today=date(2026, 5, 8))
    plan = ms.draft(branch["b1"], MeetingKind.LECTURE, datetime(2026, 12, 3, 9, 0), MeetingStatus.PLANNED)
    c = ms.save(plan, today=date(2026, 11, 1))
    return db_path, a.id, b.id, c.id


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    return d


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_minutes_of_one_meeting(db, out, capsys):
    path, a, _, _ = db
    target = out / "a.pdf"
    assert main(["--db", str(path), "export", "minutes", "--meeting", str(a), "--out", str(target)]) == 0
    assert "已导出1次会议的记录" in capsys.readouterr().out
    assert "支部党员大会记录" in flat(page_text(target, 1))


def test_minutes_of_a_branch_year_one_per_page(db, out, capsys):
    path, *_ = db
    target = out / "year.pdf"
    assert main(["--db", str(path), "export", "minutes", "--org", "第一网格党支部", "--year", "2026",
                 "--out", str(target)]) == 0
    assert "已导出2次会议的记录" in capsys.readouterr().out  # the planned one is not minutes yet
    assert "支部党员大会记录" in flat(page_text(target, 1))
    assert "主题党日记录" in flat(page_text(target, 2))


def test_signin_for_a_planned_meeting(db, out):
    path, _, _, c = db
    target = out / "s.pdf"
    assert main(["--db", str(path), "export", "signin", "--meeting", str(c), "--out", str(target)]) == 0
    text = flat(page_text(target, 1))
    assert "党课签到表" in text and "张三" in text and "孙八预备党员" in text


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_ledger(db, out, suffix, capsys):
    path, *_ = db
    target = out / f"ledger{suffix}"
    assert main(["--db", str(path), "export", "ledger", "--year", "2026", "--out", str(target)]) == 0
    assert "已导出2026年三会一课台账" in capsys.readouterr().out
    if suffix == ".xlsx":
        assert openpyxl.load_workbook(target).sheetnames[0] == "汇总"
    else:
        assert "三会一课台账" in flat(poppler("pdftotext", "-enc", "UTF-8", str(target), "-"))


def test_errors_are_chinese_and_leave_no_file(db, out, capsys):
    path, *_ = db
    assert main(["--db", str(path), "export", "minutes", "--meeting", "999", "--out", str(out / "x.pdf")]) == 2
    assert "会议（编号999）不存在" in capsys.readouterr().err
    assert main(["--db", str(path), "export", "minutes", "--out", str(out / "x.pdf")]) == 2
    assert "--meeting" in capsys.readouterr().err
    assert main(["--db", str(path), "export", "minutes", "--org", "离退休党支部", "--year", "2026",
                 "--out", str(out / "x.pdf")]) == 2
    assert "没有已召开的会议" in capsys.readouterr().err
    assert main(["--db", str(path), "export", "ledger", "--year", "2026", "--out", str(out / "x.csv")]) == 2
    assert main(["--db", str(path), "export", "signin", "--meeting", "1", "--out", str(out / "x.doc")]) == 2
    assert list(out.iterdir()) == []
