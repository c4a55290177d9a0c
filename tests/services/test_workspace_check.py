"""The integrity check of start-up: held back until the window starts it, then beside it."""
from __future__ import annotations

from desktop.services.workspace import open_workspace
from desktop.storage.database import open_database
from tests.storage.test_database import _damage_the_end


def test_the_check_waits_for_start_and_then_finds_the_damage(db_path):
    open_database(db_path).close()
    _damage_the_end(db_path)
    ws = open_workspace(db_path, check_later=True, backup=False)
    try:
        check = ws.integrity
        assert not check.started and not check.done  # nothing competes with the first screen
        check.start()
        check.start()  # a second tick does not start it twice
        check.wait(30)
        assert check.done and "从备份恢复" in check.problem
    finally:
        ws.close()


def test_closing_before_the_check_started_does_not_wait_for_it(db_path):
    ws = open_workspace(db_path, check_later=True, backup=False)
    assert not ws.integrity.started
    ws.close()
    assert not ws.integrity.started
