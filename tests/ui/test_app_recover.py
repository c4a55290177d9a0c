"""Start-up with a damaged database file: the message offers 从备份恢复, and the program opens."""
from __future__ import annotations

from desktop import app


def test_damaged_file_offers_its_backups_and_opens_after_restoring(qtbot, workspace, street,
                                                                   monkeypatch):
    path = workspace.path
    copy = workspace.backups.snapshot("手动")
    workspace.close()
    damaged = b"SQLite format 3\x00" + b"\xee" * 8000
    path.write_bytes(damaged)
    offered = []

    def choose(message, backups):
        offered.append((message, [b.path for b in backups]))
        return backups[0].path

    monkeypatch.setattr(app, "_choose_backup", choose)
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information",
                        lambda *a: shown.append(a[2]))
    ws = app.open_or_recover(path)
    try:
        assert ws is not None
        assert "测试街道党工委" in {o.name for o in ws.orgs.all()}
    finally:
        ws.close()
    [(message, paths)] = offered
    assert "请从备份恢复" in message and copy in paths
    assert "已从备份" in shown[0] and "另存为" in shown[0]


def test_nothing_offered_when_there_is_no_backup_or_the_clerk_declines(qtbot, tmp_path,
                                                                       monkeypatch):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xee" * 8000)
    critical, offered = [], []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.critical", lambda *a: critical.append(a[2]))
    monkeypatch.setattr(app, "_choose_backup", lambda m, b: offered.append(b) or None)
    assert app.open_or_recover(path) is None
    assert offered == [] and critical and "恢复" in critical[0]
    assert path.read_bytes().startswith(b"SQLite format 3\x00\xee")  # untouched
