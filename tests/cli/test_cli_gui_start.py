"""Starting the GUI from the command line takes the short path; anything else the parser."""
from __future__ import annotations

from pathlib import Path

import pytest

from desktop import cli


@pytest.mark.parametrize("argv, db", [
    ([], None), (["gui"], None), (["--db", "x.sqlite3"], Path("x.sqlite3")),
    (["--db=x.sqlite3"], Path("x.sqlite3")), (["gui", "--db", "y.sqlite3"], Path("y.sqlite3")),
])
def test_a_plain_start_is_the_gui(argv, db):
    assert cli._gui_db(argv) == (True, db)


@pytest.mark.parametrize("argv", [
    ["--help"], ["where"], ["--db", "x", "where"], ["--db"], ["--db", "--help"], ["demo"],
    ["export", "roster", "--out", "a.pdf"],
])
def test_everything_else_goes_through_the_parser(argv):
    assert cli._gui_db(argv) == (False, None)


def test_the_gui_path_does_not_load_the_command_modules(monkeypatch, tmp_path):
    import sys

    started = []
    monkeypatch.setattr("desktop.app.main", lambda path: started.append(path) or 0)
    for name in cli.FEATURE_MODULES:
        monkeypatch.delitem(sys.modules, f"desktop.cli.{name}", raising=False)
    assert cli.main(["--db", str(tmp_path / "a.sqlite3")]) == 0
    assert started == [tmp_path / "a.sqlite3"]
    assert not any(f"desktop.cli.{name}" in sys.modules for name in cli.FEATURE_MODULES)
