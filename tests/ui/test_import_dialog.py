"""文件 → 导入花名册…: a clerk picks a messy file, reads the preview, imports the good rows."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from desktop.domain.roster_view import STATUS_ALL, RosterFilter
from desktop.ui.dialogs.import_roster import ImportRosterDialog
from tests import messy_workbooks as mw
from tests.services.test_importing import SHORT, db_digest


def member_numbers(workspace) -> set[str]:
    ids = workspace.roster.ordered_ids(RosterFilter(status=STATUS_ALL))
    return {workspace.roster.get(i).id_number for i in ids}


@pytest.fixture
def dialog(qtbot, workspace, street):
    dlg = ImportRosterDialog(workspace, street["b1"], None)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def wait_plan(qtbot, dlg, previous=None) -> None:
    qtbot.waitUntil(lambda: dlg.plan is not None and dlg.plan is not previous and not dlg._busy,
                    timeout=15000)


def cell(model, row: int, col: int):
    return model.data(model.index(row, col))


def test_preview_then_import_the_valid_rows(qtbot, dialog, workspace, street, messages):
    persons = mw.people(4)
    rows = [mw.variant_row(i, p) for i, p in enumerate(persons, 1)]
    rows[1][5] = int(persons[1].id_number)  # saved as a number: precision lost
    rows.append(mw.variant_row(5, persons[0]))  # the first person again
    path = mw.custom_roster(workspace.path.parent / "幸福社区第一支部.xlsx", mw.VARIANT_HEADER, rows,
                            sheet="幸福社区第一支部")
    assert dialog.org_id() == street["b1"] and "第一网格党支部" in dialog.org_combo.currentText()

    dialog.set_file(path)
    wait_plan(qtbot, dialog)
    assert dialog.counts_label.text() == "新增 3 人　　更新 0 人　　文件内重复 1 行　　有问题 1 行"
    mapping = dialog.mapping_model
    assert [cell(mapping, r, 2) for r in range(mapping.rowCount())][:6] == [
        "序号", "党员姓名", "性别", "民族", "出生年月", "身份证号码"]
    assert dialog.mapping_combos[("幸福社区第一支部", 5)].currentText() == "公民身份号码"
    problems = dialog.problems_model
    assert problems.rowCount() == 2
    assert [cell(problems, 0, c) for c in range(4)] == [
        "幸福社区第一支部", 5, "F列 身份证号码",
        "以数字形式保存，超过15位的精度已丢失，请将该列设为文本后重新录入"]
    assert cell(problems, 1, 1) == 8 and cell(problems, 1, 3) == "与第4行完全相同，将只导入一次"
    assert not dialog.import_button.isEnabled()  # problems, and “skip” not ticked
    assert member_numbers(workspace) == set()  # nothing written by the preview

    dialog.skip_invalid.setChecked(True)
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_result is not None, timeout=15000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert messages.texts("info") == ["已导入：新增3人，更新0人，跳过文件内重复1行，跳过有问题的1行"]
    assert dialog.isHidden()
    assert member_numbers(workspace) == {persons[0].id_number, persons[2].id_number, persons[3].id_number}


def test_correcting_a_column_reads_the_file_again(qtbot, dialog, workspace):
    p = mw.people(2)
    rows = [[q.name, q.id_number, q.joined, "010-6512345" + str(i), "区图书馆"] for i, q in enumerate(p)]
    path = mw.custom_roster(workspace.path.parent / "map.xlsx", SHORT + ["联系电话", "工作单位"], rows)
    dialog.set_file(path)
    wait_plan(qtbot, dialog)
    combo = dialog.mapping_combos[("花名册", 4)]
    assert combo.currentText() == "（不导入）"
    assert cell(dialog.mapping_model, 4, 4) == "未识别的列名，不导入"

    first = dialog.plan
    combo.setCurrentIndex(combo.findData("remarks"))
    wait_plan(qtbot, dialog, first)
    assert dialog.overrides == {("花名册", 4): "remarks"}
    assert cell(dialog.mapping_model, 4, 3) == "备注"
    assert dialog.mapping_combos[("花名册", 4)].currentText() == "备注"
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.import_result is not None, timeout=15000)
    remarks = {workspace.roster.get(i).remarks for i in workspace.roster.ordered_ids(RosterFilter())}
    assert remarks == {"区图书馆"}


def test_new_branches_are_created_when_ticked(qtbot, workspace, street, messages):
    dlg = ImportRosterDialog(workspace, street["community"], None)
    qtbot.addWidget(dlg)
    dlg.show()
    path = mw.sheets_per_branch(workspace.path.parent / "s.xlsx",
                                {"第一网格党支部": mw.people(1), "第七网格党支部": mw.people(2, start=5)})
    dlg.set_file(path)
    wait_plan(qtbot, dlg)
    assert dlg.branches_label.isVisible() and "第七网格党支部（2行）" in dlg.branches_label.text()
    assert "有问题 2 行" in dlg.counts_label.text() and dlg.problems_model.rowCount() == 2
    dlg.create_branches.setChecked(True)
    assert dlg.counts_label.text().startswith("新增 3 人") and dlg.problems_model.rowCount() == 0
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.import_result is not None, timeout=15000)
    assert dlg.import_result.branches_created == ["第七网格党支部"]
    assert workspace.orgs.find("第七网格党支部").parent_id == street["community"]


def test_an_old_xls_roster_is_previewed_and_imported(qtbot, workspace, street, messages):
    a, b = mw.people(2), mw.people(1, start=10)
    path = mw.old_format_roster(workspace.path.parent / "旧名册.xls",
                                [("第一网格党支部", a), ("离退休党支部", b)])
    dlg = ImportRosterDialog(workspace, street["community"], None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.set_file(path)
    wait_plan(qtbot, dlg)
    assert dlg.counts_label.text() == "新增 3 人　　更新 0 人　　文件内重复 0 行　　有问题 0 行"
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.import_result is not None, timeout=15000)
    assert member_numbers(workspace) == {p.id_number for p in a + b}


def test_a_damaged_xls_file_is_refused_in_the_dialog(qtbot, dialog, workspace, tmp_path):
    before = db_digest(workspace)
    dialog.set_file(mw.fake_xls(tmp_path / "旧名册.xls"))
    qtbot.waitUntil(lambda: not dialog._busy and "另存为" in dialog.status.text(), timeout=15000)
    assert dialog.plan is None and not dialog.import_button.isEnabled()
    assert db_digest(workspace) == before


def test_problems_can_be_copied_and_saved(qtbot, dialog, workspace, tmp_path):
    p = mw.people(2)
    path = mw.custom_roster(workspace.path.parent / "bad.xlsx", SHORT,
                            [[p[0].name, p[0].id_number, "去年"], [p[1].name, "123", p[1].joined]])
    dialog.set_file(path)
    wait_plan(qtbot, dialog)
    assert dialog.copy_button.isEnabled()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    assert text.splitlines()[0] == "工作表\t行号\t列\t原因"
    assert "花名册\t4\tC列 入党时间\t无法识别的日期“去年”" in text
    target = tmp_path / "问题.csv"
    dialog.save_problems(target)
    saved = target.read_text(encoding="utf-8-sig")
    assert saved.splitlines()[0] == "工作表,行号,列,原因" and "花名册,5,B列 身份证号,应为18位，现为3位" in saved


def test_closing_the_dialog_writes_nothing(qtbot, dialog, workspace):
    dialog.set_file(mw.titled_roster(workspace.path.parent / "a.xlsx", mw.people(2)))
    wait_plan(qtbot, dialog)
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected and member_numbers(workspace) == set()


def test_a_database_changed_since_the_preview_is_shown_afresh(qtbot, dialog, workspace, street, messages):
    from tests.conftest import make_member

    p = mw.people(2)
    dialog.set_file(mw.titled_roster(workspace.path.parent / "a.xlsx", p))
    wait_plan(qtbot, dialog)
    first = dialog.plan
    workspace.roster.add(make_member(street["b1"], p[0].name, p[0].seq, birth=p[0].birth, sex=p[0].sex))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_plan(qtbot, dialog, first)
    assert any("预览之后数据库已有变化" in t for t in messages.texts("warning"))
    assert dialog.counts_label.text().startswith("新增 1 人　　更新 1 人")
    assert dialog.import_result is None and member_numbers(workspace) == {p[0].id_number}
