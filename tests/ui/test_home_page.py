"""工作台 driven as a clerk would: the reminders shown, a click leads to the record, the
counts and charts, the statistics export and the printed charts."""
from __future__ import annotations

import re
import subprocess
from datetime import date

import openpyxl
from PySide6.QtCore import Qt

from desktop.domain import reminders as r
from desktop.ui.dialogs.member_dialog import MemberDialog
from desktop.ui.dialogs.org_dialog import OrgDialog
from desktop.ui.pages.home_page import HomePage
from desktop.ui.pages.meetings_page import MeetingsPage

# 王五 (预备, joined 2026-03-01) is due on 2027-03-01: within 60 days of this date.
TODAY = date(2027, 1, 15)


def _load(qtbot, page, org_id=None):
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.set_org(org_id)


def _click(qtbot, page, title):
    item = page.reminder_item(title)
    assert item is not None, title
    page.tree.scrollToItem(item)
    rect = page.tree.visualItemRect(item)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_reminders_and_counts(qtbot, workspace, populated, tmp_path):
    page = HomePage(workspace, today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    _load(qtbot, page)
    kinds = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert kinds[0] == "转正提醒（1）" and kinds[1] == "换届提醒（1）" and kinds[2].startswith("三会一课")
    assert page.reminder_item("王五").text(0) == "王五：预备期2027-03-01届满，还有45天"
    assert page.reminder_item("王五").text(1) == "离退休党支部"
    term = page.reminder_item("幸福社区党委")
    assert (term.text(0), term.text(1)) == ("任期2027-03-01届满，还有45天", "幸福社区党委")
    assert page.heading.text() == "工作台 — 测试街道党工委"
    assert page.category_chart.items == [("正式党员", 3), ("预备党员", 1)]
    assert page.sex_chart.items == [("男", 3), ("女", 1)]
    assert "在册党员 <b>4</b> 人" in page.summary.text()
    assert page.meeting_chart.series == ["应开", "缺开"] and page.meeting_chart.groups
    page.grab().save(str(tmp_path / "home.png"))

    # One branch chosen: its reminders and counts only.
    _load(qtbot, page, populated["b1"])
    assert page.reminder_item("王五") is None and page.category_chart.items == [
        ("正式党员", 3), ("预备党员", 0)]

    out = tmp_path / "图.pdf"
    page.print_charts(out)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and "842 x 595 pts (A4)" in info
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "第一网格党支部党员统计图" in text and "人员类别" in text

    xlsx = tmp_path / "统计表.xlsx"
    page.export_stats(xlsx)
    qtbot.waitUntil(lambda: xlsx.exists() and not page.export_task.running, timeout=15000)
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet["A5"].value == "第一网格党支部" and sheet["B5"].value == 3
    assert "已导出党员统计表（1个组织）" in page.status.text()


def test_click_leads_to_the_record(qtbot, window, populated):
    page = window.show_page("home_page")
    assert isinstance(page, HomePage) and window.tabs.tabText(1) == "工作台"
    page._fixed_today = TODAY
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.reload()

    # A probationer: the tree selects the branch, the roster the member, and the dialog opens.
    with qtbot.waitSignal(page.record_requested) as sig:
        _click(qtbot, page, "王五")
    assert sig.args[0].kind == r.PROBATION
    dialog = window.record_dialog
    assert isinstance(dialog, MemberDialog) and dialog.isVisible()
    assert dialog._base.id == populated["wangwu"] and dialog._base.name == "王五"
    assert window.tree.current_id() == populated["b2"] and window.tabs.currentIndex() == 0
    dialog.reject()

    # A term ending: the organisation's dialog.
    window.show_page("home_page")
    _click(qtbot, page, "幸福社区党委")
    assert isinstance(window.record_dialog, OrgDialog) and window.record_dialog.org_id == populated["community"]
    window.record_dialog.reject()

    # Meetings not recorded: the 三会一课 page, on that organisation.
    window.show_page("home_page")
    _click(qtbot, page, "第一网格党支部")
    assert isinstance(window.meetings_page, MeetingsPage)
    assert window.tabs.currentWidget() is window.meetings_page
    assert window.tree.current_id() == populated["b1"]
