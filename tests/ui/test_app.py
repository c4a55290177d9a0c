"""Composition root details: Qt's own dialogs speak Chinese; the quit hook for smoke tests."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def test_qt_standard_buttons_are_chinese(qapp):
    from desktop.app import _install_qt_translations

    _install_qt_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_quit_hook_waits_for_the_rosters_rows_then_quits(qapp, monkeypatch, capsys):
    """The start-up benchmark's "window up" is a usable window: the roster's rows are in it."""
    import time
    from types import SimpleNamespace

    from PySide6.QtCore import QTimer

    from desktop.app import _quit_after_env

    model = SimpleNamespace(rows_shown=False)
    window = SimpleNamespace(roster=SimpleNamespace(model=model))
    shown_at = []

    def rows_arrive() -> None:
        model.rows_shown = True
        shown_at.append(time.time())

    later = QTimer()
    later.setSingleShot(True)
    later.timeout.connect(rows_arrive)
    later.start(60)
    monkeypatch.setenv("DANGJIAN_QUIT_AFTER_MS", "0")
    _quit_after_env(qapp, window)
    assert qapp.exec() == 0
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("dangjian: window up at ")]
    assert shown_at and float(line.rsplit(" ", 1)[1]) >= shown_at[0]


STARTUP_ORDER = """
import sys
first = []
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in ("PySide6", "sqlalchemy", "sqlmodel") and name not in first:
            first.append(name)
        return None
sys.meta_path.insert(0, Watch())
from desktop.cli import main
code = main(["--db", sys.argv[1]])
print("import order:", ",".join(first), file=sys.stderr)
sys.exit(code)
"""


def test_start_up_loads_the_database_stack_before_qt_and_traces_its_phases(tmp_path):
    """Modules imported after PySide6 cost more (its import hook reads their source), so
    the GUI start imports SQLAlchemy/SQLModel first; DANGJIAN_STARTUP_TRACE prints the
    phases the start-up benchmark breaks its time into, in order, before "window up"."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DANGJIAN_QUIT_AFTER_MS="0",
               DANGJIAN_STARTUP_TRACE="1", DANGJIAN_DATA_DIR=str(tmp_path / "data"))
    r = subprocess.run([sys.executable, "-c", STARTUP_ORDER, str(tmp_path / "new.sqlite3")],
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stderr.splitlines()
    [order] = [x for x in lines if x.startswith("import order: ")]
    assert order == "import order: sqlalchemy,sqlmodel,PySide6"
    phases = [x[len("dangjian: phase "):].rsplit(" at ", 1) for x in lines
              if x.startswith("dangjian: phase ")]
    assert [label for label, _ in phases] == [
        "Python started, command line read", "database modules imported",
        "Qt started (translations, icon, fonts)", "database opened", "window modules imported",
        "window built", "window shown"]
    times = [float(at) for _, at in phases]
    [up] = [float(x.rsplit(" ", 1)[1]) for x in lines if x.startswith("dangjian: window up at ")]
    assert times == sorted(times) and times[-1] <= up
