"""BackupDialog: the list of copies, 立即备份, 恢复所选 (confirm → restore → reopen), the folder."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain.organization import OrgKind, Organization
from desktop.services.backup import BackupService
from desktop.services.workspace import open_workspace
from desktop.ui.dialogs import backup_dialog
from desktop.ui.dialogs.backup_dialog import BackupDialog, DailyBackups


def org_names(ws) -> set[str]:
    out, stack = set(), list(ws.orgs.tree())
    while stack:
        n = stack.pop()
        out.add(n.name)
        stack.extend(n.children)
    return out


@pytest.fixture
def opened(workspace, street):
    """Workspaces reopened after a restore, closed at the end."""
    made = []

    def reopen():
        ws = open_workspace(workspace.path)
        made.append(ws)
        return ws

    yield reopen, made
    for ws in made:
        ws.close()


def make_dialog(qtbot, workspace, reopen=None) -> BackupDialog:
    dlg = BackupDialog(workspace, None, reopen)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def wait_idle(qtbot, dlg) -> None:
    qtbot.waitUntil(lambda: not dlg.busy, timeout=20000)


def cells(dlg, row: int) -> list[str]:
    item = dlg.table.topLevelItem(row)
    return [item.text(i) for i in range(dlg.table.columnCount())]


def test_lists_copies_newest_first_with_counts(qtbot, workspace, street):
    service = BackupService(workspace.db)
    service.snapshot("启动", datetime(2026, 11, 20, 8, 30))
    service.snapshot("导入前", datetime(2026, 11, 21, 9, 5))
    dlg = make_dialog(qtbot, workspace)
    assert [dlg.table.headerItem().text(i) for i in range(5)] == ["时间", "原因", "组织数", "党员数", "大小"]
    assert dlg.table.topLevelItemCount() == 2
    assert cells(dlg, 0)[:4] == ["2026-11-21 09:05", "导入前", "5", "0"]
    assert cells(dlg, 1)[:2] == ["2026-11-20 08:30", "启动"]
    assert cells(dlg, 0)[4].endswith("KB")
    assert str(service.folder) in dlg.folder_label.text()
    assert not dlg.restore_button.isEnabled()  # nothing selected yet


def test_backup_now(qtbot, workspace, street):
    dlg = make_dialog(qtbot, workspace)
    assert dlg.table.topLevelItemCount() == 0 and "还没有备份" in dlg.status.text()
    qtbot.mouseClick(dlg.backup_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dlg)
    qtbot.waitUntil(lambda: dlg.table.topLevelItemCount() == 1, timeout=5000)
    assert cells(dlg, 0)[1:3] == ["手动", "5"]
    assert "已备份到" in dlg.status.text()


def test_restore_selected_after_confirming(qtbot, workspace, street, opened, messages):
    reopen, made = opened
    BackupService(workspace.db).snapshot("手动")
    workspace.orgs.create(Organization("后来新建的街道党工委", OrgKind.STREET))
    dlg = make_dialog(qtbot, workspace, reopen)
    dlg.select_row(0)
    assert dlg.restore_button.isEnabled()
    with qtbot.waitSignal(dlg.restored, timeout=20000) as signal:
        qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    [question] = messages.texts("question")
    assert "替换当前数据库" in question and "5个组织" in question and "恢复前" in question
    assert isinstance(signal.args[0], Path) and signal.args[0].name.endswith("-手动.sqlite3")
    [new] = made
    assert dlg.workspace is new
    assert "后来新建的街道党工委" not in org_names(new)
    assert any("恢复完成" == title for _, title, _ in messages.shown)
    # the list now shows the copy taken before restoring; it holds the replaced data
    reasons = [cells(dlg, r)[1] for r in range(dlg.table.topLevelItemCount())]
    assert reasons == ["恢复前", "手动"]
    assert cells(dlg, 0)[2] == "6"
    assert "已从" in dlg.status.text()


def test_restore_declined_changes_nothing(qtbot, workspace, street, opened, messages):
    reopen, made = opened
    BackupService(workspace.db).snapshot("手动")
    workspace.orgs.create(Organization("后来新建的街道党工委", OrgKind.STREET))
    messages.answer = False
    dlg = make_dialog(qtbot, workspace, reopen)
    dlg.select_row(0)
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    assert dlg.task is None and not made
    assert "后来新建的街道党工委" in org_names(workspace)


def test_restore_of_a_damaged_copy_is_refused_with_a_message(qtbot, workspace, street, opened,
                                                             messages):
    reopen, made = opened
    copy = BackupService(workspace.db).snapshot("手动")
    data = bytearray(copy.read_bytes())
    for start in range(4096, len(data), 4096):
        data[start: start + 12] = b"\x0d" + b"\xff" * 11
    copy.write_bytes(bytes(data))
    dlg = make_dialog(qtbot, workspace, reopen)
    dlg.select_row(0)
    assert cells(dlg, 0)[2:4] == ["无法读取", "无法读取"]
    assert not dlg.restore_button.isEnabled()
    dlg.restore_selected()  # e.g. by double-click
    assert not made and dlg.task is None
    assert any("损坏" in t for t in messages.texts("warning"))
    assert "测试街道党工委" in org_names(workspace)  # still open and usable


def test_restore_that_fails_in_the_service_reports_it(qtbot, workspace, street, opened, messages,
                                                      tmp_path):
    reopen, made = opened
    copy = BackupService(workspace.db).snapshot("手动")
    import sqlite3

    with sqlite3.connect(copy) as c:  # from a newer program: readable, but refused
        c.execute("UPDATE app_meta SET value='99' WHERE key='schema_version'")
    dlg = make_dialog(qtbot, workspace, reopen)
    dlg.select_row(0)
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dlg)
    assert not made
    assert any("更新版本" in t for t in messages.texts("warning"))
    assert "测试街道党工委" in org_names(workspace)


def test_without_reopen_the_dialog_closes_after_restoring(qtbot, workspace, street, messages):
    BackupService(workspace.db).snapshot("手动")
    dlg = make_dialog(qtbot, workspace)
    dlg.select_row(0)
    with qtbot.waitSignal(dlg.restored, timeout=20000):
        qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=5000)


def test_open_folder(qtbot, workspace, monkeypatch):
    urls = []
    monkeypatch.setattr(backup_dialog.QDesktopServices, "openUrl", urls.append)
    dlg = make_dialog(qtbot, workspace)
    qtbot.mouseClick(dlg.folder_button, Qt.MouseButton.LeftButton)
    [url] = urls
    assert Path(url.toLocalFile()) == BackupService(workspace.db).folder
    assert Path(url.toLocalFile()).is_dir()


def test_daily_backups_while_open(qtbot, workspace, street):
    daily = DailyBackups(None, lambda: workspace, interval_ms=10_000_000)
    daily.check()
    daily.wait(20)
    assert [b.reason for b in BackupService(workspace.db).list()] == ["每日"]
    daily.check()  # none again today
    daily.wait(20)
    assert len(BackupService(workspace.db).list()) == 1
    daily.timer.stop()


def test_a_restored_copy_that_is_not_opened_closes_the_main_window(qtbot, workspace, street,
                                                                    messages, monkeypatch):
    """The copy has its own start-up password and the clerk cancels it: the old workspace is
    gone with the restore, so the dialog and the main window close instead of using it."""
    from desktop.ui import lock_screen
    from desktop.ui.main_window import MainWindow

    w = MainWindow(workspace)
    qtbot.addWidget(w)
    w.show()
    BackupService(workspace.db).snapshot("手动")
    monkeypatch.setattr(lock_screen, "ask_password", lambda ws, parent=None: False)
    path = Path(workspace.path)
    dlg = make_dialog(qtbot, workspace, reopen=lambda: w._reopen(path))
    dlg.select_row(0)
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=20000)
    assert w.workspace_lost and w.workspace is workspace
    assert any("程序将关闭" in t for t in messages.texts("critical") + messages.texts("warning"))
    monkeypatch.setattr(BackupDialog, "exec", lambda self: 0)  # the dialog just seen, again
    w.backup_restore()
    assert not w.isVisible()
    w.roster.model.shutdown()
