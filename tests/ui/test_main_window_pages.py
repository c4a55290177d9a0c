"""The main window hosts the meetings page and reaches backup and exchange from 文件."""
from __future__ import annotations

from desktop.ui.dialogs.backup_dialog import BackupDialog
from desktop.ui.dialogs.exchange_dialog import ExchangeExportDialog, ExchangeImportDialog
from desktop.ui.pages.meetings_page import MeetingsPage


def file_menu_texts(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in menu.actions() if a.text()]


def test_meetings_tab_is_built_on_first_use_for_the_selected_org(qtbot, window, populated):
    from desktop.ui.main_window import LAZY_PAGES

    i = 1 + [m for _t, m, _c in LAZY_PAGES].index("meetings_page")
    assert window.meetings_page is None
    window.tabs.setCurrentIndex(i)
    page = window.meetings_page
    assert isinstance(page, MeetingsPage) and window.tabs.widget(i) is page
    assert window.tabs.tabText(i) == "三会一课" and window.tabs.currentIndex() == i
    window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(i)
    assert window.meetings_page is page  # built once


def test_every_page_is_built_again_over_another_database(qtbot, window, tmp_path):
    from desktop.domain.organization import Organization, OrgKind
    from desktop.services.workspace import open_workspace
    from desktop.ui.main_window import LAZY_PAGES

    for _title, module, _cls in LAZY_PAGES:
        window.show_page(module)
    other_path = tmp_path / "另一个.sqlite3"
    other = open_workspace(other_path)
    other.orgs.create(Organization("另一个街道党工委", OrgKind.STREET))
    other.close()
    assert window.switch_database(other_path)
    assert window.pages == {} and window.tabs.currentIndex() == 0
    assert [window.tabs.tabText(i) for i in range(1, window.tabs.count())] == [
        t for t, _m, _c in LAZY_PAGES]
    page = window.show_page("meetings_page")
    assert page._ws is window.workspace


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
