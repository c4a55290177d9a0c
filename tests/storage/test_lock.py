"""One program at a time per database file: the lock beside it, its holder, stale locks."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.storage import lock
from desktop.storage.lock import DatabaseInUse, lock_path_for

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX process control")


def run_python(code: str, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8", env={**os.environ, "PYTHONPATH": str(ROOT)}, **kw)


HOLD = """
    import sys, time
    from desktop.storage import lock
    held = lock.acquire(sys.argv[1])
    print("held", flush=True)
    sys.stdin.readline()
    held.release()
"""


@pytest.fixture
def holder(db_path):
    """Another process holding the database's lock until the test ends."""
    p = run_python(HOLD, str(db_path), stdin=subprocess.PIPE)
    assert p.stdout.readline().strip() == "held", p.stderr.read()
    yield p
    p.stdin.close()
    p.wait(10)


def test_lock_file_names_the_holder_and_goes_away_on_release(db_path):
    held = lock.acquire(db_path)
    info = json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))
    assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
    assert {"user", "started"} <= set(info)
    assert lock.holder_of(db_path).pid == os.getpid()
    held.release()
    held.release()  # twice is harmless
    assert not lock_path_for(db_path).exists()


def test_lock_is_reentrant_within_one_process(db_path):
    a = lock.acquire(db_path)
    b = lock.acquire(db_path)
    a.release()
    assert lock_path_for(db_path).exists() and lock.is_held_here(db_path)
    b.release()
    assert not lock_path_for(db_path).exists() and not lock.is_held_here(db_path)


def test_second_process_is_refused_with_the_holders_name(db_path, holder):
    with pytest.raises(DatabaseInUse) as e:
        lock.acquire(db_path)
    msg = str(e.value)
    assert f"在计算机 {socket.gethostname()} 上使用" in msg and "数据库正被" in msg and "起）" in msg
    assert f"进程号 {holder.pid}" in msg
    assert e.value.holder.pid == holder.pid


def test_open_workspace_is_refused_while_another_program_holds_it(db_path, holder):
    from desktop.services.workspace import open_workspace

    with pytest.raises(DatabaseInUse):
        open_workspace(db_path)
    assert not db_path.exists()  # never opened, let alone created


@posix_only
def test_lock_of_a_killed_program_is_taken_over(db_path):
    p = run_python(HOLD, str(db_path), stdin=subprocess.PIPE)
    assert p.stdout.readline().strip() == "held"
    p.kill()
    p.wait(10)
    assert lock_path_for(db_path).exists()  # left behind by the crash
    held = lock.acquire(db_path)
    assert lock.holder_of(db_path).pid == os.getpid()
    held.release()


def write_lock(db_path: Path, **fields) -> None:
    info = {"host": socket.gethostname(), "user": "张三", "pid": 1, "started": "2026-11-22T08:30:00"}
    info.update(fields)
    lock_path_for(db_path).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def test_stale_lock_on_this_computer_is_taken_over(db_path):
    dead = run_python("pass")
    dead.wait(10)
    write_lock(db_path, pid=dead.pid)
    with lock.acquire(db_path):
        assert lock.holder_of(db_path).pid == os.getpid()


def test_lock_from_another_computer_is_respected_and_named(db_path):
    write_lock(db_path, host="OFFICE-PC", user="张三")
    with pytest.raises(DatabaseInUse) as e:
        lock.acquire(db_path)
    msg = str(e.value)
    assert msg.startswith("数据库正被 张三 在计算机 OFFICE-PC 上使用（自 2026-11-22 08:30 起）")
    assert str(lock_path_for(db_path)) in msg  # the way out when that computer is gone
    assert json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))["host"] == "OFFICE-PC"


def test_unreadable_lock_file_without_os_lock_is_taken_over(db_path):
    lock_path_for(db_path).write_bytes(b"")
    with lock.acquire(db_path):
        assert lock.holder_of(db_path).pid == os.getpid()


RACE = """
    import sys, time
    from desktop.storage import lock
    print("ready", flush=True)
    start = float(sys.stdin.readline())
    while time.time() < start:  # all spin, then all go at once
        pass
    try:
        held = lock.acquire(sys.argv[1])
    except lock.DatabaseInUse:
        print("refused", flush=True)
    else:
        print("won", flush=True)
        time.sleep(0.5)
        held.release()
"""


def test_racing_processes_never_both_win(db_path):
    for _ in range(2):
        procs = [run_python(RACE, str(db_path), stdin=subprocess.PIPE) for _ in range(4)]
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        start = f"{time.time() + 0.2}\n"
        for p in procs:
            p.stdin.write(start)
            p.stdin.flush()
        results = [p.communicate(timeout=30)[0].strip() for p in procs]
        assert results.count("won") == 1, results
        assert results.count("refused") == 3, results
        assert not lock_path_for(db_path).exists()


@pytest.fixture
def held_database(db_path):
    """A real database with one organisation, held by another process."""
    from desktop.domain.organization import OrgKind, Organization
    from desktop.services.workspace import open_workspace

    ws = open_workspace(db_path)
    ws.orgs.create(Organization("测试街道党工委", OrgKind.STREET))
    ws.close()
    p = run_python(HOLD, str(db_path), stdin=subprocess.PIPE)
    assert p.stdout.readline().strip() == "held", p.stderr.read()
    yield db_path
    p.stdin.close()
    p.wait(10)


def test_reading_beside_the_holder_is_allowed_writing_is_not(held_database):
    from desktop.services.workspace import open_workspace

    with pytest.raises(DatabaseInUse):
        open_workspace(held_database)
    ws = open_workspace(held_database, read_only=True)
    try:
        assert ws.read_only and [o.name for o in ws.orgs.tree()] == ["测试街道党工委"]
    finally:
        ws.close()
    assert lock.holder_of(held_database).pid != os.getpid()  # the holder's lock untouched


def test_cli_backup_runs_beside_the_holder_restore_does_not(held_database, tmp_path, capsys):
    from desktop.cli import main

    copy = tmp_path / "copy.sqlite3"
    assert main(["--db", str(held_database), "backup", "--out", str(copy)]) == 0
    assert main(["--db", str(held_database), "restore", str(copy), "--yes"]) == 2
    assert "数据库正被" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="needs POSIX permissions that bind (not root)")
def test_read_only_folder_gives_a_clear_message(tmp_path):
    folder = tmp_path / "光盘"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(lock.LockFileError, match="无法在.*建立锁文件"):
            lock.acquire(folder / "db.sqlite3")
    finally:
        folder.chmod(0o755)


def test_unwritable_folder_refuses_writers_but_lets_readers_read(db_path, monkeypatch):
    from desktop.domain.organization import OrgKind, Organization
    from desktop.services.workspace import open_workspace

    ws = open_workspace(db_path)
    ws.orgs.create(Organization("测试街道党工委", OrgKind.STREET))
    ws.close()
    real_open = os.open

    def no_new_files(path, flags, *args):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_new_files)
    with pytest.raises(lock.LockFileError) as e:
        open_workspace(db_path)
    assert "无法在" in str(e.value) and "可以写入" in str(e.value)
    reader = open_workspace(db_path, read_only=True)  # an export from a write-protected stick
    try:
        assert reader.read_only and [o.name for o in reader.orgs.tree()] == ["测试街道党工委"]
    finally:
        reader.close()
