"""三会一课台账 (.xlsx and .pdf) written from a real database and read back."""
from __future__ import annotations

import re
from datetime import date, datetime

import openpyxl
import pytest

from desktop.domain.errors import FieldError
from desktop.domain.meeting import MeetingKind, MeetingStatus
from desktop.domain.tasks import CancelToken, Cancelled
from tests.exports.test_pdf_document import embedded_fonts, page_text
from tests.services.test_meetings import branch, record  # noqa: F401  (fixture)

K = MeetingKind
TODAY = date(2026, 11, 22)


@pytest.fixture
def year(workspace, branch):  # noqa: F811
    ms = workspace.meetings
    ms.save(record(workspace, branch, absent=("王五",)), today=date(2026, 3, 12))
    ms.save(record(workspace, branch, K.THEME_DAY, datetime(2026, 1, 9, 9, 0)), today=date(2026, 2, 1))
    ms.save(record(workspace, branch, K.COMMITTEE, datetime(2026, 2, 3, 9, 0),
                   topics=["研究发展党员工作"]), today=date(2026, 2, 3))
    plan = ms.draft(branch["b1"], K.LIFE, datetime(2026, 12, 18, 14, 0), MeetingStatus.PLANNED)
    plan.topics = ["年度组织生活会"]
    ms.save(plan, today=TODAY)
    return branch


def test_xlsx_summary_and_sheets_read_back(workspace, year, tmp_path):
    path = tmp_path / "台账.xlsx"
    workspace.meetings.export_ledger(path, 2026, today=TODAY)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "汇总"
    assert {"第一网格党支部", "离退休党支部", "测试街道党工委", "幸福社区党委"} <= set(wb.sheetnames)
    s = wb["汇总"]
    assert s["A1"].value == "测试街道党工委2026年三会一课台账"
    header = [c.value for c in s[3]]
    assert header[:5] == ["所属组织", "组织", "会议类型", "一季度已开", "一季度应开"]
    assert header[-7:] == ["全年已开", "全年应开", "缺开", "补记", "应到人次", "实到人次", "出席率"]
    rows = {(r[1], r[2]): r for r in s.iter_rows(min_row=4, values_only=True)}
    a = rows[("第一网格党支部", "支部党员大会")]
    assert a[0] == "幸福社区党委"
    assert a[3:11] == (1, 1, 0, 1, 0, 1, 0, 1)  # Q1 held 1 of 1, Q2–Q4 none of 1
    assert a[11:] == (1, 4, 2, 0, 6, 5, pytest.approx(5 / 6))  # Q4 not over on 22 Nov
    theme = rows[("第一网格党支部", "主题党日")]
    assert theme[11:14] == (1, 12, 9)  # held Jan only; Nov and Dec not over on 22 Nov
    assert theme[14] == 1  # recorded late
    committee = rows[("第一网格党支部", "支部委员会")]
    assert committee[11] == 1 and committee[13] == 9  # Feb held; Jan, Mar–Oct missing
    assert ("离退休党支部", "支部委员会") not in rows  # no committee: not required
    assert rows[("测试街道党工委", "党建联席会议")][12] == 4
    rate_cells = [row[17] for row in s.iter_rows(min_row=4) if row[17].value is not None]
    assert rate_cells and all(c.number_format == "0.0%" for c in rate_cells)
    assert s.print_options.gridLines  # the table's lines when printed

    sheet = wb["第一网格党支部"]
    assert [c.value for c in sheet[3]] == ["序号", "日期", "时间", "会议类型", "主题/议题", "地点",
                                           "主持人", "记录人", "应到", "实到", "出席率",
                                           "缺席人员及原因", "会议有效", "状态"]
    lines = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [line[3] for line in lines] == ["主题党日", "支部委员会", "支部党员大会", "组织生活会"]
    theme_line, _, assembly, life = lines
    assert theme_line[1].date() == date(2026, 1, 9) and theme_line[13] == "补记"
    assert assembly[2] == "14:30—16:30" and assembly[4] == "学习党章；讨论发展党员"
    assert assembly[6:12] == ("张三", "李四", 6, 5, pytest.approx(5 / 6), "王五（病假）")
    assert assembly[12:] == ("有效", "已召开")
    assert life[8:11] == (None, None, None) and life[13] == "计划"


def test_pdf_summary(workspace, year, tmp_path):
    path = tmp_path / "台账.pdf"
    workspace.meetings.export_ledger(path, 2026, today=TODAY)
    text = page_text(path, 1)
    flat = re.sub(r"\s+", "", text)
    assert "测试街道党工委2026年三会一课台账" in flat
    assert "所属组织组织会议类型一季度二季度三季度四季度全年缺开补记出席率" in flat
    line = next(ln for ln in text.splitlines() if "第一网格党支部" in ln and "党员大会" in ln)
    assert re.sub(r"\s+", " ", line).split()[-6:] == ["0/1", "0/1", "0/1", "1/4", "2", "83.3%"]
    assert all(emb == "yes" for _, emb in embedded_fonts(path))


def test_ledger_refuses_other_suffixes_and_cancels_cleanly(workspace, year, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(FieldError):
        workspace.meetings.export_ledger(tmp_path / "x.csv", 2026)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        workspace.meetings.export_ledger(tmp_path / "x.xlsx", 2026, cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_sheet_names_are_unique_and_legal(workspace, street, tmp_path):
    from desktop.domain.organization import OrgKind, Organization

    o = workspace.orgs
    o.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=street["street"]))
    o.create(Organization("很长很长很长很长很长很长很长很长很长的名字：党支部", OrgKind.BRANCH,
                          parent_id=street["community"]))
    path = tmp_path / "t.xlsx"
    workspace.meetings.export_ledger(path, 2026, today=TODAY)
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert len(names) == len(set(n.lower() for n in names))
    assert all(len(n) <= 31 and ":" not in n for n in names)
