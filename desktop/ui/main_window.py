"""The main window: organisation tree on the left, the roster of the selection on the right.

It only composes: the panes (widgets/org_tree.py, widgets/roster_view.py) own their
actions; the window adds menus, the status bar and remembers its layout.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter,
                               QTabWidget, QToolBar, QWidget)

from .. import config
from ..domain.errors import DomainError
from ..services.organizations import subtree_of
from . import errors
from .settings import settings
from .widgets.org_tree import OrgTreePanel
from .widgets.roster_view import RosterPanel


# Tabs beside the roster, each built on first view (a page queries its own data, which a
# clerk opening the roster should not wait for): (title, module under ui/pages, class).
# A page takes (workspace, parent) and has set_org(org_id | None).
LAZY_PAGES: tuple[tuple[str, str, str], ...] = (
    ("工作台", "home_page", "HomePage"),
    ("三会一课", "meetings_page", "MeetingsPage"),
    ("述职评议", "duty_page", "DutyPage"),
    ("双报到", "registrations_page", "RegistrationsPage"),
)


def _restore(key: str, restore) -> None:
    saved = settings().value(key)
    if isinstance(saved, (QByteArray, bytes)) and saved:
        restore(QByteArray(saved))


class MainWindow(QMainWindow):
    def __init__(self, workspace, *, created: bool = False, asynchronous: bool = True,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.workspace_lost = False  # a restore replaced the file and it could not be reopened
        self.resize(1280, 800)
        self.pages: dict[str, QWidget] = {}  # module name -> page, once built
        self.tree = OrgTreePanel(workspace, self)
        self.roster = RosterPanel(workspace, self, asynchronous=asynchronous)
        self.count_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.count_label)
        self.roster.count_changed.connect(self._show_count)
        # The roster's scope comes from the tree already loaded: no query per click. Its
        # first query starts now, so that it runs while the rest of the window is built.
        self.roster.model.scope_resolver = lambda org_id: subtree_of(self.tree.model.nodes(), org_id)
        self._org_selected(self.tree.current_id())
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        # Right side: the roster, then the LAZY_PAGES as placeholders until first shown.
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.roster, "党员花名册")
        for title, _module, _cls in LAZY_PAGES:
            self.tabs.addTab(QWidget(self), title)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([400, 880])
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()

        self.tree.org_selected.connect(self._org_selected)
        self.tree.orgs_changed.connect(self.roster.refresh)
        self.roster.members_changed.connect(self.tree.refresh)

        from .dialogs.backup_dialog import start_daily_backups

        self.daily_backups = start_daily_backups(self, lambda: self.workspace)
        # --- privacy (issue #8): 操作日志, 启动密码, idle lock; the logic is in lock_screen.py
        from .lock_screen import install_privacy

        self.privacy = install_privacy(self)
        # --- end privacy
        _restore("main/geometry", self.restoreGeometry)
        _restore("main/state", self.restoreState)
        _restore("main/splitter", self.splitter.restoreState)
        self._update_title()
        # The integrity check of start-up (services/workspace.py) starts at the first tick,
        # once the window is up, and is polled.
        self._integrity_poll = QTimer(self)
        self._integrity_poll.setInterval(200)
        self._integrity_poll.timeout.connect(self._check_integrity)
        self._integrity_poll.start()
        if created:  # once the window is up (a timer object: see widgets/org_tree.py)
            self._welcome = QTimer(self)
            self._welcome.setSingleShot(True)
            self._welcome.timeout.connect(self._tell_created)
            self._welcome.start(0)

    # --- building ------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: str | QKeySequence.StandardKey | None = None,
                tip: str = "") -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setStatusTip(tip)
        a.triggered.connect(lambda _=False: slot())
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        self.exchange_export_action = self._action("导出上报包…", self.export_package)
        self.exchange_import_action = self._action("导入上报包…", self.import_package)
        self.backup_action = self._action("备份/恢复…", self.backup_restore, "Ctrl+B")
        self.import_action = self._action("导入花名册…", self.import_roster, "Ctrl+I",
                                          "从 Excel 花名册导入党员")
        self.export_action = self._action("导出花名册…", self.export_roster, "Ctrl+E",
                                          "把所选组织的花名册导出为 Excel 或 PDF")
        self.open_action = self._action("打开数据库…", self.open_database, None,
                                        "打开另一个数据库文件")
        self.where_action = self._action("数据库位置", self.show_database_location, None,
                                         "显示当前数据库文件保存在哪里")
        self.quit_action = self._action("退出", self.close, "Ctrl+Q")
        self.find_action = self._action("查找党员", self.roster.focus_search, "Ctrl+F",
                                        "定位到查找框")
        self.refresh_action = self._action("刷新", self.refresh, "F5", "重新读取组织树和花名册")
        self.about_action = self._action("关于", self.show_about)
        self.addAction(self.roster.new_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("文件(&F)")
        file.addAction(self.import_action)
        file.addAction(self.export_action)
        file.addSeparator()
        file.addAction(self.exchange_export_action)
        file.addAction(self.exchange_import_action)
        file.addAction(self.backup_action)
        file.addSeparator()
        file.addAction(self.open_action)
        file.addAction(self.where_action)
        file.addSeparator()
        file.addAction(self.quit_action)

        edit = bar.addMenu("编辑(&E)")
        edit.addAction(self.roster.new_action)
        edit.addAction(self.roster.edit_action)
        edit.addAction(self.roster.leave_action)
        edit.addSeparator()
        edit.addAction(self.find_action)

        org = bar.addMenu("组织(&O)")
        t = self.tree
        for a in (t.new_action, t.edit_action, t.rename_action, t.move_action):
            org.addAction(a)
        org.addSeparator()
        org.addAction(t.dissolve_action)

        view = bar.addMenu("视图(&V)")
        self.columns_menu = view.addMenu("列显示/隐藏")
        self.columns_menu.aboutToShow.connect(
            lambda: self.roster.fill_columns_menu(self.columns_menu))
        self.roster.fill_columns_menu(self.columns_menu)
        view.addSeparator()
        view.addAction(self.refresh_action)

        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        bar = QToolBar("常用", self)
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.roster.new_action)
        bar.addAction(self.roster.edit_action)
        bar.addAction(self.roster.leave_action)
        bar.addSeparator()
        bar.addAction(self.import_action)
        bar.addAction(self.export_action)
        bar.addSeparator()
        bar.addAction(self.refresh_action)
        self.addToolBar(bar)

    # --- state ---------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"{config.APP_TITLE} — {Path(self.workspace.path).name}")

    def _org_selected(self, org_id: int | None) -> None:
        node = self.tree.model.node_by_id(org_id)
        if node is None:
            title = "全部党员"
        elif node.parent_id is None:
            title = f"{node.name}（全部党员）"
        else:
            title = f"{node.name}（含下级组织）" if node.children else node.name
        self.roster.set_org(org_id, title)
        for page in self.pages.values():
            page.set_org(org_id)

    @property
    def meetings_page(self):
        return self.pages.get("meetings_page")

    def show_page(self, module: str) -> QWidget:
        """Bring the page to the front, building it first if need be."""
        index = 1 + [m for _t, m, _c in LAZY_PAGES].index(module)
        self.tabs.setCurrentIndex(index)
        self._tab_changed(index)
        return self.pages[module]

    def _check_integrity(self) -> None:
        check = getattr(self.workspace, "integrity", None)
        if check is not None and not check.done:
            check.start()
        if check is None or not check.done:
            if check is None:
                self._integrity_poll.stop()
            return
        self._integrity_poll.stop()
        if check.problem:
            if errors.confirm(self, f"{check.problem}\n\n为免丢失数据，请不要继续修改。现在打开“备份/恢复”吗？",
                              "数据库文件检查未通过"):
                self.backup_restore()

    def _drop_pages(self) -> None:
        """Pages built over the old database go; each is built again on its next use."""
        self.tabs.blockSignals(True)
        for i, (title, module, _cls) in enumerate(LAZY_PAGES, start=1):
            page = self.pages.pop(module, None)
            if page is not None:
                self.tabs.removeTab(i)
                page.deleteLater()
                self.tabs.insertTab(i, QWidget(self), title)
        self.tabs.setCurrentIndex(0)
        self.tabs.blockSignals(False)

    def _tab_changed(self, index: int) -> None:
        if index < 1 or index > len(LAZY_PAGES):
            return
        title, module, cls = LAZY_PAGES[index - 1]
        if module in self.pages:
            return
        import importlib

        page = getattr(importlib.import_module(f"{__package__}.pages.{module}"), cls)(
            self.workspace, self)
        self.pages[module] = page
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, title)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        page.set_org(self.tree.current_id())

    # --- going to a record (the 工作台's reminders) ------------------------------------------
    def open_record(self, org_id: int | None = None, member_id: int | None = None,
                    page: str | None = None) -> None:
        """Select the organisation in the tree; then open the page (e.g. meetings_page), or the
        member's dialog, or the organisation's. Dialogs open window-modal (not exec()) and are
        kept in `record_dialog`; saving one refreshes the tree and roster."""
        if org_id is not None:
            self.tree.select(org_id)
        if page is not None and page in [m for _t, m, _c in LAZY_PAGES]:
            self.show_page(page)
            return
        if member_id is not None:
            from .dialogs.member_dialog import MemberDialog

            self.tabs.setCurrentIndex(0)
            self.roster.select_member(member_id)
            dialog = MemberDialog(self.workspace, member_id, parent=self)
        elif org_id is not None:
            from .dialogs.org_dialog import OrgDialog

            dialog = OrgDialog(self.workspace, org_id=org_id, parent=self)
        else:
            return
        dialog.accepted.connect(self.refresh)
        self.record_dialog = dialog
        dialog.open()

    def _show_count(self, count: int) -> None:
        self.count_label.setText(f"共 {count} 人")

    def refresh(self) -> None:
        self.tree.refresh()
        self.roster.refresh()

    def _tell_created(self) -> None:
        path = self.workspace.path
        self.statusBar().showMessage(f"已新建数据库：{path}", 15000)
        errors.inform(self, f"这是第一次使用，已新建数据库文件：\n{path}\n\n"
                            "请先在左侧点击“新建组织”建立街道党工委，再建立社区和党支部；"
                            "也可以通过“文件 → 导入花名册”导入已有的花名册。"
                            "\n\n以后可在“文件 → 数据库位置”中再次查看文件位置。",
                      "欢迎使用")

    def closeEvent(self, event: QCloseEvent) -> None:
        s = settings()
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/state", self.saveState())
        s.setValue("main/splitter", self.splitter.saveState())
        self.roster.save_layout()
        self.roster.model.shutdown()
        super().closeEvent(event)

    # --- files and help -----------------------------------------------------------------
    def import_roster(self) -> None:
        cls = errors.load_optional(self, "import_roster", "ImportRosterDialog")
        if cls is None:
            return
        dialog = cls(self.workspace, self.tree.current_id(), self)
        dialog.exec()
        self.refresh()  # even a cancelled import may have been confirmed part-way

    def export_roster(self) -> None:
        cls = errors.load_optional(self, "export_roster", "ExportRosterDialog")
        if cls is None:
            return
        cls(self.workspace, self.tree.current_id(), self).exec()

    def export_package(self) -> None:
        from .dialogs.exchange_dialog import ExchangeExportDialog

        ExchangeExportDialog(self.workspace, self.tree.current_id(), self).exec()

    def import_package(self) -> None:
        from .dialogs.exchange_dialog import ExchangeImportDialog

        ExchangeImportDialog(self.workspace, self).exec()
        self.refresh()

    def backup_restore(self) -> None:
        from .dialogs.backup_dialog import BackupDialog

        path = Path(self.workspace.path)
        dialog = BackupDialog(self.workspace, self, reopen=lambda: self._reopen(path))
        dialog.exec()
        if self.workspace_lost:  # restored, but not reopened: nothing here may touch it
            self.close()

    def _reopen(self, path: Path):
        """After a restore the file under the workspace changed: open it afresh. If it cannot
        be opened (the copy has its own start-up password and the clerk cancelled, or the
        file is refused), the old workspace is already closed: the window must close too."""
        if not self.switch_database(path):
            self.workspace_lost = True
            raise DomainError("数据库已恢复为所选备份，但没有打开（该备份设有启动密码而未输入，"
                              "或无法打开）。程序将关闭，请重新启动并按提示打开。")
        return self.workspace

    def open_database(self) -> None:
        start = str(Path(self.workspace.path).parent)
        path, _ = QFileDialog.getOpenFileName(self, "打开数据库", start,
                                              "数据库文件 (*.sqlite3 *.sqlite *.db);;所有文件 (*)")
        if path:
            self.switch_database(Path(path))

    def switch_database(self, path: Path) -> bool:
        from ..services.workspace import open_workspace

        try:
            workspace = open_workspace(path, create=False)
        except DomainError as e:
            errors.show_error(self, e, "无法打开数据库")
            return False
        from .lock_screen import ask_password  # privacy (issue #8): its own start-up password

        if not ask_password(workspace, self):
            workspace.close()
            return False
        old, self.workspace = self.workspace, workspace
        self.roster.model.shutdown()
        self.roster.set_workspace(workspace)
        self.tree.set_workspace(workspace)
        self._drop_pages()
        self._org_selected(self.tree.current_id())
        self._update_title()
        old.close()
        self.statusBar().showMessage(f"已打开：{path}", 10000)
        return True

    def show_database_location(self) -> None:
        path = Path(self.workspace.path)
        box = QMessageBox(QMessageBox.Icon.Information, "数据库位置",
                          f"当前数据库文件：\n{path}\n\n备份时请复制此文件（以及同名的 -wal 文件，如有）。",
                          QMessageBox.StandardButton.Close, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        if box.clickedButton() is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def show_about(self) -> None:
        from .dialogs.about_dialog import AboutDialog

        AboutDialog(self.workspace.path, self).exec()


def _version() -> str:
    from .dialogs.about_dialog import app_version

    return app_version()
