"""The main window hosts the meetings page and reaches backup and exchange from 文件."""
from __future__ import annotations

from desktop.ui.dialogs.backup_dialog import BackupDialog
from desktop.ui.dialogs.exchange_dialog import ExchangeExportDialog, ExchangeImportDialog
from desktop.ui.pages.meetings_page import MeetingsPage


def file_menu_texts(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in menu.actions() if a.text()]


def test_meetings_tab_is_built_on_first_use_for_the_selected_org(qtbot, window, populated):
    assert window.meetings_page is None
    window.tabs.setCurrentIndex(1)
    page = window.meetings_page
    assert isinstance(page, MeetingsPage) and window.tabs.widget(1) is page
    assert window.tabs.tabText(1) == "三会一课" and window.tabs.currentIndex() == 1
    window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(1)
    assert window.meetings_page is page  # built once


def test_file_menu_reaches_backup_and_exchange(qtbot, window, modal):
    texts = file_menu_texts(window)
    for t in ("导出上报包…", "导入上报包…", "备份/恢复…"):
        assert t in texts
    seen = modal(window.backup_restore, lambda d: d.reject())["seen"]
    assert isinstance(seen, BackupDialog)
    seen = modal(window.export_package, lambda d: d.reject())["seen"]
    assert isinstance(seen, ExchangeExportDialog)
    seen = modal(window.import_package, lambda d: d.reject())["seen"]
    assert isinstance(seen, ExchangeImportDialog)
