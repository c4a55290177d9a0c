"""`dangjian --db PATH backup [--out FILE]` and `dangjian --db PATH restore FILE [--yes]`."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain.organization import OrgKind, Organization
from desktop.services.workspace import open_workspace
from desktop.storage.database import backups_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(workspace, street, db_path):
    workspace.close()  # the command opens it itself
    return db_path


def org_count(path: Path) -> int:
    ws = open_workspace(path, backup=False)
    try:
        n = 0
        stack = list(ws.orgs.tree())
        while stack:
            node = stack.pop()
            n += 1
            stack.extend(node.children)
        return n
    finally:
        ws.close()


def add_org(path: Path, name: str) -> None:
    ws = open_workspace(path, backup=False)
    ws.orgs.create(Organization(name, OrgKind.STREET))
    ws.close()


def test_backup_into_the_backups_folder(db, capsys):
    assert main(["--db", str(db), "backup"]) == 0
    [copy] = backups_dir(db).glob("test-*-手动.sqlite3")
    assert f"已备份到 {copy}" in capsys.readouterr().out


def test_backup_to_a_chosen_file(db, tmp_path, capsys):
    out = tmp_path / "u盘" / "党建备份.sqlite3"
    out.parent.mkdir()
    assert main(["--db", str(db), "backup", "--out", str(out)]) == 0
    assert org_count(out) == 5  # a complete database


def test_backup_of_a_missing_database_is_an_error(tmp_path, capsys):
    missing = tmp_path / "none.sqlite3"
    assert main(["--db", str(missing), "backup"]) == 2
    assert "不存在" in capsys.readouterr().err
    assert not missing.exists()


def test_restore_with_yes(db, tmp_path, capsys):
    copy = tmp_path / "copy.sqlite3"
    main(["--db", str(db), "backup", "--out", str(copy)])
    add_org(db, "后来的街道党工委")
    assert org_count(db) == 6
    assert main(["--db", str(db), "restore", str(copy), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "5个组织" in out and "已从" in out and "恢复前的数据库已备份到" in out
    assert org_count(db) == 5
    [before] = backups_dir(db).glob("*恢复前*.sqlite3")
    assert org_count(before) == 6


def test_restore_asks_and_accepts_y(db, tmp_path, monkeypatch, capsys):
    copy = tmp_path / "copy.sqlite3"
    main(["--db", str(db), "backup", "--out", str(copy)])
    add_org(db, "后来的街道党工委")
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert main(["--db", str(db), "restore", str(copy)]) == 0
    assert "确认恢复？此操作会先备份当前数据库 [y/N]" in capsys.readouterr().out
    assert org_count(db) == 5


@pytest.mark.parametrize("answer", ["", "n\n", "\n"])
def test_restore_without_confirmation_changes_nothing(db, tmp_path, monkeypatch, capsys, answer):
    copy = tmp_path / "copy.sqlite3"
    main(["--db", str(db), "backup", "--out", str(copy)])
    add_org(db, "后来的街道党工委")
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    assert main(["--db", str(db), "restore", str(copy)]) == 1
    err = capsys.readouterr().err
    assert "未作任何修改" in err
    if not answer:
        assert "--yes" in err
    assert org_count(db) == 6


def test_restore_of_a_bad_file_is_refused(db, tmp_path, capsys):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database")
    assert main(["--db", str(db), "restore", str(bad), "--yes"]) == 2
    assert "不是数据库文件" in capsys.readouterr().err
    assert org_count(db) == 5


def test_restore_from_a_subprocess_without_stdin_refuses(db, tmp_path):
    copy = tmp_path / "copy.sqlite3"
    main(["--db", str(db), "backup", "--out", str(copy)])
    r = subprocess.run([sys.executable, "-m", "desktop", "--db", str(db), "restore", str(copy)],
                       cwd=ROOT, capture_output=True, stdin=subprocess.DEVNULL, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 1
    assert "--yes" in r.stderr.decode("utf-8")
