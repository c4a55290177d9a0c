"""The meetings page: calendar per organisation and year, the street-wide table, statistics."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from desktop.domain.meeting import MeetingKind, MeetingStatus
from desktop.domain.meeting_calendar import CellState
from tests.services.test_meetings import branch, record  # noqa: F401  (fixture)

K = MeetingKind
TODAY = date(2026, 4, 2)


@pytest.fixture
def page(qtbot, workspace, branch):  # noqa: F811
    from desktop.ui.pages.meetings_page import MeetingsPage

    ms = workspace.meetings
    ms.save(record(workspace, branch), today=date(2026, 3, 12))
    ms.save(record(workspace, branch, K.THEME_DAY, datetime(2026, 1, 10, 9, 0), absent=("王五",)),
            today=date(2026, 3, 1))
    p = MeetingsPage(workspace, today=TODAY)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    p.set_org(branch["b1"])
    return p


def cell_index(page, kind: MeetingKind, month: int):
    row = next(i for i, r in enumerate(page.calendar.rows) if r.kind is kind)
    return page.calendar.index(row, month - 1)


def test_calendar_shows_held_missing_due_and_the_year_column(page, branch):  # noqa: F811
    assert page.org_box.value() == branch["b1"]
    kinds = [r.kind for r in page.calendar.rows]
    assert kinds == [K.ASSEMBLY, K.COMMITTEE, K.LECTURE, K.THEME_DAY, K.LIFE, K.APPRAISAL]
    assert cell_index(page, K.ASSEMBLY, 2).data() == "已开"
    assert cell_index(page, K.THEME_DAY, 1).data() == "已开(补)"  # recorded in March
    assert cell_index(page, K.THEME_DAY, 2).data() == "缺"
    assert cell_index(page, K.THEME_DAY, 4).data() == "待开"
    assert cell_index(page, K.THEME_DAY, 5).data() == "未到"
    row = [r.kind for r in page.calendar.rows].index(K.THEME_DAY)
    assert page.calendar.index(row, 12).data() == "1/12 缺2"
    assert page.calendar_view.columnSpan(0, 0) == 3  # a quarterly row spans three months
    assert page.calendar_view.columnSpan(row, 0) == 1
    assert [m.kind for m in page.meetings.rows] == [K.ASSEMBLY, K.THEME_DAY]  # newest first
    stats = {s.name: s for s in page.stats.rows}
    assert stats["王五"].absent == 1 and stats["张三"].absent == 0


def test_double_clicking_a_missing_cell_records_that_meeting(page, workspace, branch, modal):  # noqa: F811
    def fill(dialog):
        assert dialog.current_kind() is K.THEME_DAY
        assert dialog.day.date() == date(2026, 2, 15)
        assert dialog.current_status() is MeetingStatus.HELD
        dialog.topics.setPlainText("学习身边先进典型")
        assert dialog.save()

    modal(lambda: page.open_cell(cell_index(page, K.THEME_DAY, 2)), fill)
    assert cell_index(page, K.THEME_DAY, 2).data() == "已开(补)"  # recorded on 2 April
    feb = workspace.meetings.calendar(branch["b1"], 2026, TODAY).row(K.THEME_DAY).cells[1]
    assert feb.state is CellState.HELD and feb.late == 1


def test_double_clicking_a_held_cell_opens_the_meeting(page, modal):
    seen = {}

    def look(dialog):
        seen["topics"] = dialog.topics.toPlainText()
        seen["id"] = dialog.meeting.id

    modal(lambda: page.open_cell(cell_index(page, K.ASSEMBLY, 3)), look)
    assert seen["topics"] == "学习党章\n讨论发展党员" and seen["id"] is not None


def test_street_wide_table_most_missing_first_and_opens_an_organisation(page, branch):  # noqa: F811
    page.tabs.setCurrentIndex(1)
    proxy = page.compliance_proxy
    names = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    missing_col = len(page.compliance.headers) - 2
    missing = [proxy.index(r, missing_col).data() for r in range(proxy.rowCount())]
    assert missing == sorted(missing, reverse=True)
    assert {"第一网格党支部", "离退休党支部", "幸福社区党委", "测试街道党工委"} <= set(names)
    assert "共" in page.compliance_note.text()
    r = names.index("离退休党支部")
    page._open_org_from_compliance(proxy.index(r, 0))
    assert page.tabs.currentIndex() == 0 and page.org_id == branch["b2"]
    assert K.COMMITTEE not in [row.kind for row in page.calendar.rows]  # b2 has no committee


def test_delete_asks_first(page, workspace, branch, messages):  # noqa: F811
    page.meetings_view.selectRow(0)
    messages.answer = False
    page.delete_button.click()
    assert len(workspace.meetings.list(branch["b1"], 2026)) == 2
    messages.answer = True
    page.delete_button.click()
    assert [m.kind for m in workspace.meetings.list(branch["b1"], 2026)] == [K.THEME_DAY]
    assert [m.kind for m in page.meetings.rows] == [K.THEME_DAY]


def test_ledger_export_runs_in_the_background(page, qtbot, tmp_path, messages):
    target = tmp_path / "台账.xlsx"
    task = page.write_ledger(target, 2026)
    qtbot.waitUntil(lambda: not task.running and target.exists(), timeout=10000)
    assert openpyxl.load_workbook(target).sheetnames[0] == "汇总"
    qtbot.waitUntil(lambda: any("已导出2026年三会一课台账" in t for t in messages.texts()), timeout=5000)


def test_calendar_model_passes_the_model_tester(page, qtmodeltester):
    qtmodeltester.check(page.calendar)
    qtmodeltester.check(page.compliance)
    qtmodeltester.check(page.stats)


def test_grab(page, tmp_path):
    """The page renders offscreen (look at the PNG when changing the layout)."""
    image = page.grab()
    assert image.width() >= 1000 and image.save(str(tmp_path / "meetings_page.png"))


def test_frequency_settings_change_the_calendar(page, workspace, modal):
    from desktop.domain.meeting_calendar import Frequency

    def edit(dialog):
        box = dialog.boxes[K.LECTURE]
        box.setCurrentIndex(box.findData(Frequency.MONTHLY.value))
        dialog.grace.setValue(5)
        dialog.save()

    modal(page.edit_frequencies, edit)
    assert workspace.meetings.frequencies()[K.LECTURE] is Frequency.MONTHLY
    assert workspace.meetings.late_grace_days() == 5
    lecture = next(r for r in page.calendar.rows if r.kind is K.LECTURE)
    assert lecture.required == 12 and page.calendar_view.columnSpan(2, 0) == 1
