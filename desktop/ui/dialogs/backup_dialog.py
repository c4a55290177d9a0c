"""文件 → 备份/恢复…: the backup copies, a copy now, and a way back to an earlier one.

Restoring replaces the database file, so the dialog hands the work to
BackupService on a worker thread and then, on the GUI thread, calls `reopen()`
(given by the main window: it opens the restored file and swaps it into every
view) before letting the old workspace go, and emits `restored(path)`.

`start_daily_backups()` is the "daily while open" part: a timer the main window
starts once; the copy itself runs off the GUI thread.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QDialogButtonBox, QHBoxLayout, QLabel,
                               QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ...domain.backup_policy import DAILY, MONTHLY, WEEKLY, BackupInfo
from ...services.backup import REASON_MANUAL, BackupService
from .. import errors
from ..tasks import Task, run_task
from .base import RememberingDialog

log = logging.getLogger(__name__)

COLUMNS = ["时间", "原因", "组织数", "党员数", "大小"]


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class BackupDialog(RememberingDialog):
    """Lists the copies (newest first); 立即备份, 恢复所选…, 打开备份文件夹."""

    default_size = (720, 440)
    restored = Signal(Path)  # the backup file the database was restored from

    def __init__(self, workspace, parent: QWidget | None = None,
                 reopen: Callable[[], object] | None = None):
        """`reopen()` opens the restored database and returns the new workspace (the main
        window swaps it into its views there); without it the dialog closes after a restore
        and the caller reopens on `restored`."""
        super().__init__(parent, "备份与恢复")
        self.workspace = workspace
        self._reopen = reopen
        self.task: Task | None = None
        self._working = False  # from starting a task until its callback has run
        self.backups: list[BackupInfo] = []

        intro = QLabel(
            "程序每天第一次打开时、打开期间每天一次、升级和导入之前都会自动备份，"
            f"保留当天全部备份及最近{DAILY}天、{WEEKLY}周、{MONTHLY}个月各一份。"
            "恢复前会先备份当前数据库，恢复后仍可恢复回来。", self)
        intro.setWordWrap(True)
        self.folder_label = QLabel(self)
        self.folder_label.setWordWrap(True)

        self.table = QTreeWidget(self)
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels(COLUMNS)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setColumnWidth(0, 150)
        self.table.setColumnWidth(1, 110)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())

        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.backup_button = QPushButton("立即备份", self)
        self.restore_button = QPushButton("恢复所选…", self)
        self.folder_button = QPushButton("打开备份文件夹", self)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    # ------------------------------------------------------------------ state

    @property
    def service(self) -> BackupService:
        return self.workspace.backups

    @property
    def busy(self) -> bool:
        return self._working

    def refresh(self) -> None:
        service = self.service
        self.folder_label.setText(f"备份文件夹：{service.folder}")
        self.backups = service.list()
        self.table.clear()
        for b in self.backups:
            unreadable = "无法读取"
            item = QTreeWidgetItem([
                b.taken_at.strftime("%Y-%m-%d %H:%M"), b.reason,
                unreadable if b.org_count is None else str(b.org_count),
                unreadable if b.member_count is None else str(b.member_count),
                size_text(b.size)])
            item.setToolTip(0, str(b.path))
            self.table.addTopLevelItem(item)
        if not self.backups:
            self.status.setText("还没有备份。")
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        items = self.table.selectedItems()
        if not items:
            return None
        return self.backups[self.table.indexOfTopLevelItem(items[0])]

    def select_row(self, row: int) -> None:
        self.table.setCurrentItem(self.table.topLevelItem(row))

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.backup_button.setEnabled(not self.busy)
        self.restore_button.setEnabled(not self.busy and chosen is not None and chosen.readable)

    # ------------------------------------------------------------------ actions

    def backup_now(self) -> None:
        if self.busy:
            return
        service = self.service
        self._working = True
        self.task = run_task(self, "正在备份…", lambda progress, cancel: service.snapshot(REASON_MANUAL),
                             on_done=self._backed_up, on_failed=self._failed,
                             on_cancelled=self._cancelled)
        self._update_buttons()

    def _backed_up(self, path: Path) -> None:
        self._working = False
        self.refresh()
        self.status.setText(f"已备份到：{path.name}")

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or self.busy:
            return
        if not chosen.readable:
            errors.warn(self, "所选备份无法读取，可能已损坏。请选择另一个备份。")
            return
        text = (f"用 {chosen.taken_at:%Y-%m-%d %H:%M} 的备份（{chosen.reason}，"
                f"{chosen.org_count}个组织，{chosen.member_count}名党员）替换当前数据库？\n\n"
                "当前数据库会先备份（原因“恢复前”），如有需要可以再恢复回来。"
                "此后的修改将以恢复的数据为准。")
        if not errors.confirm(self, text, "确认恢复"):
            return
        service, path = self.service, chosen.path
        self._working = True
        self.task = run_task(self, "正在恢复…", lambda progress, cancel: service.restore(path),
                             on_done=lambda before: self._restored(path, before),
                             on_failed=self._failed, on_cancelled=self._cancelled)
        self._update_buttons()

    def _restored(self, source: Path, before: Path) -> None:
        self._working = False
        old = self.workspace
        if self._reopen is not None:
            try:
                self.workspace = self._reopen()
            except Exception as e:  # noqa: BLE001 - shown to the clerk, logged
                log.exception("reopen after restore failed")
                errors.show_error(self, e, "已恢复，但无法重新打开数据库")
                self.reject()  # the old workspace is closed: nothing left to show here
                return
            if self.workspace is not old:
                old.close()
        self.restored.emit(source)
        errors.inform(self, f"已恢复到 {source.name} 时的数据。\n\n恢复前的数据库已备份为：\n{before.name}",
                      "恢复完成")
        if self._reopen is None:  # the caller reopens on `restored`; our workspace is spent
            self.accept()
            return
        self.refresh()
        self.status.setText(f"已从 {source.name} 恢复。恢复前的数据库已备份为 {before.name}。")

    def _cancelled(self) -> None:
        self._working = False
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._working = False
        self._update_buttons()
        errors.show_error(self, error)

    def open_folder(self) -> None:
        folder = self.service.folder
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class DailyBackups(QObject):
    """While the program is open: now and then, a copy if none was taken today (off the GUI thread)."""

    def __init__(self, parent: QObject, workspace_getter: Callable[[], object],
                 interval_ms: int = 60 * 60 * 1000):
        super().__init__(parent)
        self._get = workspace_getter
        self._thread: threading.Thread | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        service = BackupService(self._get().db)
        self._thread = threading.Thread(target=self._run, args=(service,), name="daily-backup",
                                        daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    @staticmethod
    def _run(service: BackupService) -> None:
        try:
            taken = service.maybe_daily()
            if taken:
                log.info("daily backup: %s", taken)
        except Exception:  # noqa: BLE001 - a missed daily copy must not disturb the clerk
            log.exception("daily backup failed")


def start_daily_backups(parent: QObject, workspace_getter: Callable[[], object]) -> DailyBackups:
    """Call once from the main window: ``start_daily_backups(self, lambda: self.workspace)``."""
    return DailyBackups(parent, workspace_getter)
