"""Backups carry the attachment folder `<db>.files/`; a restore brings missing files back."""
from __future__ import annotations

from datetime import date, datetime

from desktop.domain.audit import AuditFilter
from desktop.domain.meeting import MeetingKind
from desktop.services.backup import restore_database
from desktop.services.workspace import open_workspace
from desktop.storage.backup import files_backup_dir
from desktop.storage.meetings import files_dir
from tests.conftest import make_member


def meeting_with_photo(ws, street, data=b"\x89PNG photo bytes"):
    ws.roster.add(make_member(street["b1"], "张三", 1))
    m = ws.meetings.draft(street["b1"], MeetingKind.ASSEMBLY, datetime(2026, 3, 12, 14, 30))
    m.topics, m.place = ["学习党章"], "社区党群服务中心"
    m = ws.meetings.save(m, today=date(2026, 3, 12))
    return ws.meetings.attach(m.id, "合影.png", data)


def test_backup_copies_attachments_and_restore_brings_them_back(workspace, street):
    a = meeting_with_photo(workspace, street)
    live = files_dir(workspace.path) / a.path
    assert live.is_file()
    copy = workspace.backups.snapshot("手动")
    mirror = files_backup_dir(workspace.path, copy)
    assert mirror.parent == copy.parent and (mirror / a.path).read_bytes() == live.read_bytes()
    again = workspace.backups.snapshot("手动")  # nothing new: nothing copied twice
    assert files_backup_dir(workspace.path, again) == mirror
    path = workspace.path
    workspace.close()
    live.unlink()  # lost (e.g. the folder was not carried to a new PC)
    restore_database(path, copy)
    assert live.read_bytes() == b"\x89PNG photo bytes"
    ws = open_workspace(path, backup=False)
    try:  # the restored file's own audit log says where it came from
        [last] = ws.audit.entries(AuditFilter(limit=1))
        assert (last.action_label, last.table_label, last.record_text) == ("从备份恢复", "数据库", copy.name)
        assert copy.name in last.note
    finally:
        ws.close()


def test_copy_elsewhere_gets_its_own_files_folder(workspace, street, tmp_path):
    a = meeting_with_photo(workspace, street)
    out = tmp_path / "usb" / "党建备份.sqlite3"
    out.parent.mkdir()
    workspace.backups.snapshot_to(out)
    assert (files_dir(out) / a.path).read_bytes() == b"\x89PNG photo bytes"
    assert not list(files_dir(out).rglob(".~*"))  # no temporary names left
