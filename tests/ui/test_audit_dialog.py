"""操作日志 dialog: browse with filters, show one entry in full, export, name the clerk; no editing."""
from __future__ import annotations

from datetime import date, timedelta

from openpyxl import load_workbook
from PySide6.QtWidgets import QAbstractItemView, QPushButton

from desktop.ui.dialogs.audit_dialog import AuditDialog
from tests.conftest import make_member


def open_dialog(qtbot, workspace) -> AuditDialog:
    dlg = AuditDialog(workspace)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_browse_filter_detail_and_export(qtbot, workspace, street, tmp_path, messages):
    mid = workspace.roster.add(make_member(street["b1"], "张三", 1))
    m = workspace.roster.get(mid)
    m.address = "幸福路8号"
    workspace.roster.update(m)
    dlg = open_dialog(qtbot, workspace)
    total = dlg.model.rowCount()
    assert total >= 7 and "共" in dlg.status.text()  # 5 organisations, the member, events, the edit
    first = [dlg.model.index(0, c).data() for c in range(dlg.model.columnCount())]
    assert first[2:5] == ["党员", "张三（编号1）", "修改"] and first[5] == "家庭住址：（空） → 幸福路8号"
    assert dlg.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not [b for b in dlg.findChildren(QPushButton) if "删除" in b.text() or "修改" in b.text()]

    dlg.table_combo.setCurrentIndex(dlg.table_combo.findText("组织"))
    dlg.refresh()
    assert dlg.model.rowCount() == 5
    assert {e.table for e in dlg.model.entries} == {"organization"}
    dlg.table_combo.setCurrentIndex(0)
    dlg.search.setText("幸福路")
    dlg.refresh()
    assert [e.action for e in dlg.model.entries] == ["update"]
    dlg.view.setCurrentIndex(dlg.model.index(0, 0))
    assert "原值：家庭住址：（空）" in dlg.detail.toPlainText()
    dlg.search.setText("")
    dlg.since.setDate(date.today() + timedelta(days=1))
    dlg.refresh()
    assert dlg.model.rowCount() == 0
    dlg.since.setDate(date.today() - timedelta(days=1))
    dlg.until.setDate(date.today() - timedelta(days=2))
    dlg.refresh()
    assert messages.texts("warning") == ["起始日期不能晚于截止日期"]
    dlg.until.setDate(None)
    dlg.refresh()
    assert dlg.model.rowCount() == total

    target = tmp_path / "日志.xlsx"
    dlg.export_to(target)
    qtbot.waitUntil(lambda: dlg.last_export is not None, timeout=10000)
    ws = load_workbook(target).active
    assert ws["A1"].value == "操作日志" and f"共{total}条" in ws["A2"].value
    assert [c.value for c in ws[3]][:6] == ["序号", "时间", "操作人", "对象", "记录", "操作"]
    assert ws.cell(4, 7).value == "家庭住址：（空） → 幸福路8号"
    assert ws.max_row == 3 + total


def test_clerk_name_is_saved_and_signs_changes(qtbot, workspace, street, messages):
    dlg = open_dialog(qtbot, workspace)
    dlg.clerk_edit.setText("李文书")
    dlg.clerk_button.click()
    assert workspace.audit.clerk_name() == "李文书"
    workspace.orgs.rename(street["b1"], "一网格党支部")
    dlg.refresh()
    assert dlg.model.entries[0].actor.startswith("李文书（")
    dlg.clerk_edit.setText("名" * 31)  # the field caps at 30; the service refuses more
    assert len(dlg.clerk_edit.text()) == 30


def test_a_bulk_insert_is_one_row_listing_every_record(qtbot, workspace, street):
    from desktop.storage import members as member_repo

    with workspace.db.transaction() as conn:
        member_repo.insert_many(conn, [make_member(street["b1"], n, i)
                                       for i, n in enumerate(["甲一", "乙二", "丙三"], 1)])
    dlg = open_dialog(qtbot, workspace)
    row = [dlg.model.index(0, c).data() for c in range(dlg.model.columnCount())]
    assert row[2:6] == ["党员", "3条记录", "新增", "批量新增：甲一、乙二、丙三"]
    dlg.view.setCurrentIndex(dlg.model.index(0, 0))
    detail = dlg.detail.toPlainText()
    assert "批量新增3条" in detail and detail.count("姓名：") == 3
