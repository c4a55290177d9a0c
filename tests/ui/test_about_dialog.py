"""帮助 → 关于: version from pyproject.toml, where the data is, every licence readable."""
from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from desktop import config
from desktop.ui.dialogs.about_dialog import MAIN_LIBRARIES, AboutDialog, licence_name

ROOT = Path(__file__).resolve().parents[2]

# What the installed packages' metadata must say (checked against metadata, so a
# dependency that changes its licence makes this test fail instead of the box lying).
EXPECTED_LICENCES = {
    "Qt / PySide6": "LGPL-3.0",
    "ReportLab": "BSD",
    "openpyxl": "MIT",
    "SQLModel": "MIT",
    "SQLAlchemy": "MIT",
    "pypinyin": "MIT",
    "platformdirs": "MIT",
}


@pytest.fixture
def dialog(qtbot, db_path):
    d = AboutDialog(db_path)
    qtbot.addWidget(d)
    d.show()
    return d


def shown_text(dialog, name: str) -> str:
    dialog.table.setCurrentCell(dialog.row_of(name), 0)
    return dialog.text.toPlainText()


def test_version_and_paths(dialog, db_path):
    with open(ROOT / "pyproject.toml", "rb") as fh:
        version = tomllib.load(fh)["project"]["version"]
    assert f"版本 {version}" in dialog.title.text()
    assert dialog.paths["db"].text() == str(db_path)
    assert dialog.paths["data"].text() == str(config.data_dir())
    assert dialog.paths["log"].text() == str(config.log_dir())


def test_main_libraries_with_licences_from_metadata(dialog):
    rows = {dialog.table.item(r, 0).text(): (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}
    for shown, dist in MAIN_LIBRARIES:
        assert rows[shown] == (metadata.version(dist), licence_name(metadata.metadata(dist)))
    for shown, licence in EXPECTED_LICENCES.items():
        assert licence in rows[shown][1], (shown, rows[shown])
    # Packages pulled in indirectly are listed without a hand-kept list.
    assert "pydantic" in rows and "et_xmlfile" in rows


def test_each_licence_text_is_shown(dialog):
    assert "Apache License" in shown_text(dialog, "文泉驿微米黑（WenQuanYi Micro Hei）字体")
    assert "ARPHIC PUBLIC LICENSE" in shown_text(dialog, "文鼎PL简报宋（AR PL SungtiL GB）字体")
    qt = shown_text(dialog, "Qt / PySide6")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt and "GNU GENERAL PUBLIC LICENSE" in qt
    assert "PYTHON SOFTWARE FOUNDATION" in shown_text(dialog, "Python").upper()
    assert "Redistribution and use" in shown_text(dialog, "ReportLab")
    for name in ("openpyxl", "SQLModel", "SQLAlchemy", "pypinyin", "platformdirs"):
        assert "Permission is hereby granted" in shown_text(dialog, name), name


def test_help_menu_opens_it(qtbot, modal, workspace):
    from desktop.ui.main_window import MainWindow

    w = MainWindow(workspace)
    qtbot.addWidget(w)
    seen = modal(w.about_action.trigger, lambda d: d.reject())["seen"]
    assert isinstance(seen, AboutDialog)
    assert seen.paths["db"].text() == str(workspace.path)
    w.close()
    w.roster.model.shutdown()
