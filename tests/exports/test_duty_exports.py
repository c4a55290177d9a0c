"""民主测评表 PDF and 述职评议结果汇总表 (.xlsx, .pdf), read back."""
from __future__ import annotations

import subprocess
from datetime import date

import openpyxl
import pytest

from desktop.domain.duty_report import Audience, FixItem, GradeScale
from desktop.domain.errors import FieldError
from tests.services.test_duty_reports import full_tally, secretaries  # noqa: F401  (fixture)

TODAY = date(2026, 12, 20)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def tallied(workspace, secretaries):  # noqa: F811
    ds = workspace.duty
    r = ds.create(2026)
    li, zhang = r.reporters
    ds.save_tallies([full_tally(li.id, "上级评议", 10, 8, 2, 12),
                     full_tally(li.id, "党员群众评议", 40, 30, 10, 45),
                     full_tally(zhang.id, "上级评议", 10, 10)])
    ds.save_fix(FixItem(r.id, "主题党日形式单一", "每季度开展一次实践活动", date(2027, 6, 30),
                        reporter_id=zhang.id))
    return ds.get(r.id)


def test_ballots_for_one_secretary_have_every_item_and_rating_and_numbers(workspace, tallied, tmp_path):
    out = tmp_path / "测评表.pdf"
    zhang = tallied.reporters[1]
    pages = workspace.duty.export_ballots(out, tallied.id, reporter_id=zhang.id, audience="党员群众评议",
                                          copies=3)
    assert pages == pdf_pages(out) == 3
    text = pdf_text(out)
    assert text.count("民主测评表") == 3
    assert "编号：001" in text and "编号：003" in text and "（共3份）" in text
    assert "测评对象：张三（第一网格党支部书记）" in text and "评议类别：党员群众评议" in text
    assert "李四" not in text
    flat = text.replace(" ", "")
    for item in tallied.template.item_names:
        assert flat.count(item) >= 3, item
    for rating in ("好", "较好", "一般", "差"):
        assert rating in text
    # a box per item × rating, and one in the note on how to tick
    assert text.count("□") == 3 * (len(tallied.template.item_names) * 4 + 1)


def test_combined_ballots_list_every_secretary_and_default_copies_are_the_entitled(workspace, tallied,
                                                                                   tmp_path):
    out = tmp_path / "all.pdf"
    workspace.duty.export_ballots(out, tallied.id, audience="上级评议")
    text = pdf_text(out)
    assert "编号：012" in text and "编号：013" not in text  # 12 entitled upward for 李四
    assert text.count("测评对象：李四（幸福社区党委书记）") == 12
    assert text.count("测评对象：张三（第一网格党支部书记）") == 12


def test_ballot_without_an_audience_lets_the_rater_tick_one(workspace, tallied, tmp_path):
    out = tmp_path / "b.pdf"
    workspace.duty.export_ballots(out, tallied.id, reporter_id=tallied.reporters[0].id, copies=1)
    assert "□上级评议" in pdf_text(out).replace(" ", "")
    with pytest.raises(FieldError):
        workspace.duty.export_ballots(out, tallied.id, audience="不存在", copies=1)


def test_results_workbook_reads_back(workspace, tallied, tmp_path):
    out = tmp_path / "结果.xlsx"
    workspace.duty.export_results(out, tallied.id, today=TODAY)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "李四", "张三"]
    ws = wb["汇总"]
    assert "结果汇总表" in ws["A1"].value and "权重上级评议50%" in ws["A2"].value
    assert ws.cell(3, 4).value == "上级评议（50%）"
    header = [c.value for c in ws[4]]
    assert header[:6] == ["序号", "姓名", "组织及职务", "应参评", "实参评", "参评率"]
    li = [c.value for c in ws[5]]
    zhang = [c.value for c in ws[6]]
    assert li[:6] == [1, "李四", "幸福社区党委书记", 12, 10, pytest.approx(10 / 12)]
    assert ws.cell(5, 6).number_format == "0.0%"
    assert li[-3:] == [91, "好", 2]
    assert zhang[-3:] == [100, "好", 1]
    combined = header.index("好", 27)  # the 综合 block
    assert li[combined:combined + 2] == [38, pytest.approx(0.76)]
    detail = wb["张三"]
    rows = [[c.value for c in r] for r in detail.iter_rows(min_row=4)]
    assert rows[0][:5] == ["上级评议", "履行职责", "履行第一责任人职责", 10, 1]
    problems = [r for r in rows if r[1] == "主题党日形式单一"]
    assert problems and problems[0][4:6] == [2026, "未完成"]


def test_results_pdf_reads_back_with_the_other_scale(workspace, tallied, tmp_path):
    r = tallied
    r.template.scale = GradeScale.EXCELLENT
    r.template.audiences = [Audience("上级评议", 30), Audience("党员群众评议", 70)]
    workspace.duty.save(r)
    out = tmp_path / "结果.pdf"
    workspace.duty.export_results(out, r.id, today=TODAY)
    text = pdf_text(out)
    assert "结果汇总表" in text and "2026年12月20日" in text
    assert "优秀" in text and "李四（幸福社区党委书记）述职评议测评明细" in text
    assert "主题党日形式单一" in text and "整改清单" in text
    assert "30%" in text and "70%" in text


def test_results_refuse_other_file_types(workspace, tallied, tmp_path):
    with pytest.raises(FieldError, match=r"\.xlsx 或 \.pdf"):
        workspace.duty.export_results(tmp_path / "x.docx", tallied.id)
