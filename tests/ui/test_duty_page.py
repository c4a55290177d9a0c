"""The 述职评议 page: a round from creation to the summary, as a clerk drives it."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from tests.services.test_duty_reports import secretaries  # noqa: F401  (fixture)

TODAY = date(2026, 12, 10)


@pytest.fixture
def page(qtbot, workspace, secretaries):  # noqa: F811
    from desktop.ui.pages.duty_page import DutyPage

    p = DutyPage(workspace, today=TODAY)
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    return p


def fill(page, good: int, fair: int) -> None:
    for row in range(page.tally.rowCount()):
        assert page.set_count(row, "好", good)
        assert page.set_count(row, "一般", fair)


def test_a_round_from_creation_to_the_summary(page, workspace, modal, messages, qtbot, tmp_path,
                                              secretaries):  # noqa: F811
    assert "还没有述职评议" in page.info.text()

    def set_up(dialog):
        assert dialog.year.value() == 2026
        assert [p.name for p in dialog.reporters.rows] == ["李四", "张三"]
        dialog.set_scope([secretaries["b1"]])
        assert [p.name for p in dialog.reporters.rows] == ["张三"]
        assert dialog.scope_label.text() == "范围：选定的1个组织"
        dialog.set_scope([])
        assert [p.name for p in dialog.reporters.rows] == ["李四", "张三"]
        weights = dialog.audiences
        weights.setData(weights.index(0, 1), "40")
        assert "（应为100%）" in dialog.weight_label.text()
        dialog.save()  # refused: the weights add up to 90
        assert dialog.isVisible() and "合计应为100%" in messages.texts()[-1]
        weights.setData(weights.index(0, 1), "50")
        dialog.up_place.setText("街道党群服务中心")
        dialog.save()

    modal(page.new_round, set_up)
    assert [r.year for r in page.rounds.rows] == [2026]
    assert page.reporter_box.count() == 2 and page.audience_box.count() == 2
    assert "街道党群服务中心" in workspace.duty.get(page.round.id).up_place

    # 李四, 上级评议: 12 entitled, 10 returned; a cell refuses an 11th tick on an item.
    page.entitled.setValue(12)
    page.returned.setValue(10)
    assert page.set_count(0, "好", 8)
    assert not page.set_count(0, "较好", 3)
    assert "李四（幸福社区党委书记）·上级评议·“履行第一责任人职责”" in page.message.text()
    assert "超过收回的测评表10张" in page.message.text()
    assert page.tally.index(0, 3).data() == 0 and page.tally.index(0, 2).data() == 8
    fill(page, 8, 2)
    page.returned.setValue(9)  # fewer ballots than ticks already counted: refused
    assert page.returned.value() == 10 and "不能少于10张" in page.message.text()
    page.audience_box.setCurrentIndex(1)
    assert page.tally.index(0, 2).data() == 0
    page.entitled.setValue(45)
    page.returned.setValue(40)
    fill(page, 30, 10)
    page.reporter_box.setCurrentIndex(1)  # 张三: only the upward session so far
    page.audience_box.setCurrentIndex(0)
    page.entitled.setValue(10)
    page.returned.setValue(10)
    fill(page, 10, 0)
    page.reporter_box.setCurrentIndex(0)  # back to 李四: the unsaved counts are still there
    assert page.tally.index(0, 2).data() == 8
    qtbot.mouseClick(page.save_button, qtbot_left())
    assert len(workspace.duty.tallies(page.round.id)) == 3

    page.tabs.setCurrentIndex(1)
    rows = {page.results.index(r, 0).data(): r for r in range(page.results.rowCount())}
    last = page.results.columnCount() - 1
    assert page.results.index(rows["张三"], last).data() == 1
    assert page.results.index(rows["李四"], last).data() == 2
    assert page.results.index(rows["李四"], last - 1).data() == "好"
    assert page.results.index(rows["李四"], 2).data() == "10/12 83.3%"

    def raise_problem(dialog):
        dialog.who.setCurrentIndex(1)
        dialog.problem.setPlainText("主题党日形式单一")
        dialog.measure.setPlainText("每季度开展一次实践活动")
        dialog.due.setText("2027-06-30")
        dialog.save()

    page.tabs.setCurrentIndex(2)
    modal(page.add_fix, raise_problem)
    assert [(f.name, f.problem, f.due) for f in page.fixes.rows] == \
        [("张三", "主题党日形式单一", date(2027, 6, 30))]

    out = tmp_path / "汇总.xlsx"
    task = page.write_results(out)
    qtbot.waitUntil(lambda: not task.running, timeout=10000)
    assert "已导出述职评议结果汇总表" in messages.texts()[-1]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "李四", "张三"]
    assert [c.value for c in wb["汇总"][6]][-3:] == [100, "好", 1]

    messages.answer = True
    page.toggle_closed()
    assert page.close_button.text() == "重新开启"
    page.tabs.setCurrentIndex(0)
    assert not page.tally.flags(page.tally.index(0, 2)) & qt_editable()
    assert workspace.duty.open_rounds() == []


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def qt_editable():
    from PySide6.QtCore import Qt

    return Qt.ItemFlag.ItemIsEditable


def test_ballot_by_ballot_entry_and_the_main_window_tab(page, workspace, modal, messages):
    workspace.duty.create(2026)
    page.reload()
    page.entitled.setValue(2)
    items = page.round.template.item_names

    def two_ballots(dialog):
        for item in items:
            dialog.choose(item, "好")
        assert dialog.count_ballot()
        dialog.choose(items[0], "差")  # the second rater left the rest blank
        assert dialog.count_ballot()
        assert not dialog.count_ballot()  # a third would exceed the 2 entitled
        assert "达到应参评人数2人" in messages.texts()[-1]
        assert "本次已录入2张" in dialog.status.text()
        dialog.accept()

    modal(page.enter_by_ballot, two_ballots)
    assert page.returned.value() == 2
    assert [page.tally.index(0, c).data() for c in (2, 5, 6)] == [1, 1, 2]  # 好, 差, 合计
    assert page.tally.index(1, 6).data() == 1
    assert page.save_tallies()
    (t,) = workspace.duty.tallies(page.round.id)
    assert t.returned == 2 and t.count(items[0], "差") == 1


def test_main_window_hosts_the_page(qtbot, window):
    from desktop.ui.pages.duty_page import DutyPage

    assert isinstance(window.show_page("duty_page"), DutyPage)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "述职评议"


def test_scope_dialog_lists_the_reporting_organisations(qtbot, workspace, secretaries):  # noqa: F811
    from PySide6.QtCore import Qt

    from desktop.ui.dialogs.duty_scope_dialog import DutyScopeDialog

    choices = workspace.duty.scope_choices()
    assert [(name, depth) for _i, name, depth in choices] == \
        [("幸福社区党委", 0), ("第一网格党支部", 1), ("离退休党支部", 1)]
    dlg = DutyScopeDialog(choices, [], None)
    qtbot.addWidget(dlg)
    assert dlg.chosen() == []  # all ticked: the whole street
    dlg.tick_all(False)
    dlg.list.item(1).setCheckState(Qt.CheckState.Checked)
    assert dlg.chosen() == [secretaries["b1"]]
