"""`dangjian --db PATH duty list`, `export ballots`, `export duty-results`."""
from __future__ import annotations

import openpyxl
import pytest

from desktop.cli import main
from tests.exports.test_duty_exports import pdf_text, tallied  # noqa: F401  (fixture)
from tests.services.test_duty_reports import secretaries  # noqa: F401  (fixture)


def test_list_ballots_and_results(tallied, db_path, tmp_path, capsys):  # noqa: F811
    assert main(["--db", str(db_path), "duty", "list"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{tallied.id}\t2026年\t进行中\t2人\t")
    ballots = tmp_path / "b.pdf"
    assert main(["--db", str(db_path), "export", "ballots", "--round", str(tallied.id),
                 "--reporter", "张三", "--audience", "上级评议", "--copies", "2",
                 "--out", str(ballots)]) == 0
    assert "共2页" in capsys.readouterr().out
    assert pdf_text(ballots).count("测评对象：张三") == 2
    for suffix in (".xlsx", ".pdf"):
        out = tmp_path / f"r{suffix}"
        assert main(["--db", str(db_path), "export", "duty-results", "--round", str(tallied.id),
                     "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames == ["汇总", "李四", "张三"]


@pytest.mark.parametrize("argv, message", [
    (["export", "ballots", "--round", "999", "--out", "x.pdf"], "述职评议（编号999）不存在"),
    (["export", "ballots", "--round", "1", "--reporter", "王五", "--out", "x.pdf"], "没有“王五”"),
    (["export", "duty-results", "--round", "1", "--out", "x.doc"], ".xlsx 或 .pdf"),
])
def test_errors_are_reported_in_chinese(tallied, db_path, tmp_path, capsys, argv, message):  # noqa: F811
    argv = [a if a != "x.pdf" and a != "x.doc" else str(tmp_path / a) for a in argv]
    assert main(["--db", str(db_path), *argv]) == 2
    assert message in capsys.readouterr().err
