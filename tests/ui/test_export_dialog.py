"""ExportRosterDialog: choose, click 导出, the file appears in the background; cancel leaves nothing."""
from __future__ import annotations

import re
from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from desktop.ui.dialogs import export_roster
from desktop.ui.dialogs.export_roster import ExportRosterDialog
from desktop.ui.settings import settings
from tests.roster_export_data import fill_roster


@pytest.fixture
def roster(workspace, street):
    return street | fill_roster(workspace, street)


@pytest.fixture
def out(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    return d


def open_dialog(qtbot, workspace, org_id) -> ExportRosterDialog:
    dlg = ExportRosterDialog(workspace, org_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def click_export(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)


def wait_done(qtbot, dlg) -> None:
    qtbot.waitUntil(lambda: dlg.result_box is not None and dlg.result_box.isVisible(), timeout=20000)


def test_defaults_masked_xlsx_named_after_the_org(qtbot, workspace, roster):
    dlg = open_dialog(qtbot, workspace, roster["community"])
    assert not dlg.full_ids.isChecked()  # copies leaving the office: masked unless ticked
    assert dlg.full_ids.text() == "包含完整身份证号和电话"
    assert dlg.options().mask_ids
    assert not dlg.include_left.isChecked()
    assert dlg.xlsx.isChecked() and dlg.per_branch.isChecked() and dlg.sheets_box.isEnabled()
    assert dlg.path_edit.text().endswith(f"幸福社区党委党员花名册-{date.today():%Y%m%d}.xlsx")
    dlg.pdf.setChecked(True)
    assert dlg.path_edit.text().endswith(".pdf") and not dlg.sheets_box.isEnabled()


def test_export_xlsx_in_the_background_and_read_it_back(qtbot, workspace, roster, out, monkeypatch):
    opened = []
    monkeypatch.setattr(export_roster, "open_containing_folder", opened.append)
    dlg = open_dialog(qtbot, workspace, roster["community"])
    target = out / "花名册.xlsx"
    dlg.path_edit.setText(str(target))
    dlg.one_sheet.setChecked(True)
    click_export(qtbot, dlg)
    qtbot.waitUntil(target.exists, timeout=20000)
    wait_done(qtbot, dlg)

    ws = load_workbook(target).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == ["李堃", "张三", "王五", "赵六"]
    assert all(re.fullmatch(r"110105\*{8}\d{3}[\dX]", r[3]) for r in rows)  # masked by default
    assert dlg.last_result.members == 4
    box = dlg.result_box
    assert "已导出4名党员" in box.text() and str(target) in box.text()
    assert "身份证号、电话已隐去部分数字" in box.text()
    [open_button] = [b for b in box.buttons() if b.text() == "打开所在文件夹"]
    open_button.click()
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert opened == [target]
    assert settings().value(export_roster.FOLDER_KEY) == str(out)
    assert settings().value(export_roster.FORMAT_KEY) == "xlsx"

    again = open_dialog(qtbot, workspace, roster["b2"])  # remembers the folder
    assert again.path_edit.text() == str(out / f"离退休党支部党员花名册-{date.today():%Y%m%d}.xlsx")


def test_export_pdf_unmasked_with_left_members(qtbot, workspace, roster, out):
    dlg = open_dialog(qtbot, workspace, None)
    dlg.pdf.setChecked(True)
    dlg.full_ids.setChecked(True)
    dlg.include_left.setChecked(True)
    dlg.path_edit.setText(str(out / "全部"))  # the extension is added
    click_export(qtbot, dlg)
    target = out / "全部.pdf"
    qtbot.waitUntil(target.exists, timeout=20000)
    wait_done(qtbot, dlg)
    assert target.read_bytes().startswith(b"%PDF")
    assert dlg.last_result.members == 5 and dlg.last_result.pages == 1
    assert "注意保密" in dlg.result_box.text()
    dlg.result_box.accept()
    qtbot.waitUntil(lambda: not dlg.isVisible())


def test_existing_file_is_replaced_only_when_confirmed(qtbot, workspace, roster, out, messages):
    target = out / "old.xlsx"
    target.write_bytes(b"old")
    dlg = open_dialog(qtbot, workspace, roster["b1"])
    dlg.path_edit.setText(str(target))
    messages.answer = False
    click_export(qtbot, dlg)
    assert messages.texts("question") == ["文件“old.xlsx”已存在，要替换它吗？"]
    assert dlg.task is None and target.read_bytes() == b"old"
    messages.answer = True
    click_export(qtbot, dlg)
    wait_done(qtbot, dlg)
    assert load_workbook(target).sheetnames == ["第一网格党支部"]


def test_missing_folder_is_said_in_the_dialog(qtbot, workspace, roster, out):
    dlg = open_dialog(qtbot, workspace, roster["b1"])
    dlg.path_edit.setText(str(out / "nowhere" / "x.xlsx"))
    click_export(qtbot, dlg)
    assert dlg.status.isVisible() and "不存在" in dlg.status.text()
    assert dlg.task is None


def test_cancel_leaves_no_file(qtbot, workspace, roster, out, monkeypatch):
    """The progress dialog's 取消 sets the task's cancel token; the worker stops, nothing is written."""
    from desktop.services.exporting import ExportService

    real = ExportService.export_roster

    def slow(self, path, options, *, progress, cancel, **kw):
        def cancelling(done, total, message):
            cancel.cancel()  # as if the clerk pressed 取消 at the first report
            progress(done, total, message)
        return real(self, path, options, progress=cancelling, cancel=cancel, **kw)

    monkeypatch.setattr(ExportService, "export_roster", slow)
    dlg = open_dialog(qtbot, workspace, roster["community"])
    target = out / "cancelled.xlsx"
    dlg.path_edit.setText(str(target))
    click_export(qtbot, dlg)
    qtbot.waitUntil(lambda: "已取消" in dlg.status.text(), timeout=20000)
    assert not dlg.task.running
    assert list(out.iterdir()) == []
    assert dlg.export_button.isEnabled() and dlg.isVisible()
