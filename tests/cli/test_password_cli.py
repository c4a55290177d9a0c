"""The CLI asks for the start-up password: DANGJIAN_PASSWORD for scripts, getpass at a terminal."""
from __future__ import annotations

import getpass

from desktop.cli import main
from desktop.services.workspace import open_workspace


def with_password(db_path, password="口令1234"):
    ws = open_workspace(db_path)
    try:
        ws.security.set_password("", password, password)
    finally:
        ws.close()


def test_commands_need_the_password(db_path, capsys, monkeypatch, tmp_path):
    with_password(db_path)
    monkeypatch.delenv("DANGJIAN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--db", str(db_path), "org", "list"]) == 2
    assert "DANGJIAN_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("DANGJIAN_PASSWORD", "wrong")
    assert main(["--db", str(db_path), "org", "list"]) == 2
    assert "密码不正确" in capsys.readouterr().err
    assert main(["--db", str(db_path), "backup", "--out", str(tmp_path / "b.sqlite3")]) == 2
    assert not (tmp_path / "b.sqlite3").exists()
    monkeypatch.setenv("DANGJIAN_PASSWORD", "口令1234")
    assert main(["--db", str(db_path), "org", "add", "测试街道党工委", "--kind", "街道党工委"]) == 0
    assert "已创建" in capsys.readouterr().out


def test_prompt_at_a_terminal(db_path, capsys, monkeypatch):
    with_password(db_path)
    monkeypatch.delenv("DANGJIAN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or "口令1234")
    assert main(["--db", str(db_path), "org", "list"]) == 0
    assert asked == ["启动密码："]


def test_no_password_no_question(db_path, monkeypatch):
    open_workspace(db_path).close()
    monkeypatch.setattr(getpass, "getpass", lambda prompt: (_ for _ in ()).throw(AssertionError))
    assert main(["--db", str(db_path), "org", "list"]) == 0
