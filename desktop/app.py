"""Composition root of the GUI: logging, QApplication, fonts, the workspace, the main window."""
from __future__ import annotations

import logging
import os
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

from . import config
from .domain.errors import DomainError

log = logging.getLogger(__name__)

LOG_FILE_NAME = "dangjian.log"


def setup_logging() -> Path | None:
    """A rotating log file in config.log_dir(); returns its path (None if it cannot be written)."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        folder = config.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_FILE_NAME
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError as e:
        print(f"无法写入日志文件：{e}", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path
               for h in root.handlers):
        root.addHandler(handler)
    return path


def main(db_path: Path) -> int:
    _phase("Python started, command line read")
    # The database stack before Qt: once PySide6 is loaded, every module imported after it
    # costs more (PySide's import hook reads the module's source). Measured: ~120 ms less.
    from .services import workspace as _  # noqa: F401

    _phase("database modules imported")
    from PySide6.QtWidgets import QApplication

    from .ui import errors

    log_file = setup_logging()
    errors.set_log_file(log_file)
    sys.excepthook = errors.excepthook
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationDisplayName(config.APP_TITLE)
    _install_qt_translations(app)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(config.resource_path("icons", "dangjian.png"))))
    try:
        from .ui.fonts import install_app_fonts

        install_app_fonts(app)
    except ImportError:  # pragma: no cover - only while the font module is missing
        log.warning("desktop.ui.fonts not available; using Qt's default font")

    _phase("Qt started (translations, icon, fonts)")
    db_path = Path(db_path)
    created = not db_path.exists()
    log.info("opening %s", db_path)
    workspace = open_or_recover(db_path)
    if workspace is None:
        return 1
    _phase("database opened")
    from .ui.lock_screen import ask_password

    if not ask_password(workspace):  # before the main window shows any data
        workspace.close()
        return 0

    from .ui.main_window import MainWindow

    _phase("window modules imported")
    window = MainWindow(workspace, created=created)
    _phase("window built")
    window.show()
    _phase("window shown")
    _quit_after_env(app, window)
    try:
        return app.exec()
    finally:
        window.workspace.close()


def open_or_recover(db_path: Path):
    """The workspace, or None after telling why not. A damaged file offers 从备份恢复."""
    from PySide6.QtWidgets import QMessageBox

    from .services.workspace import open_workspace

    while True:
        try:
            return open_workspace(db_path, check_later=True)  # the window shows meanwhile
        except DomainError as e:
            log.warning("cannot open %s: %s", db_path, e)
            if not _offer_restore(db_path, e):
                return None
        except OSError as e:
            log.warning("cannot open %s: %s", db_path, e)
            QMessageBox.critical(None, "无法打开数据库",
                                 f"无法打开或创建数据库文件“{db_path}”：{e.strerror or e}。\n"
                                 "请检查该文件夹是否存在、是否有写入权限。")
            return None


def _offer_restore(db_path: Path, error: DomainError) -> bool:
    """Show why the file cannot be opened; for a damaged one, offer its backups.

    True when a backup was restored (open again); False to give up.
    """
    from PySide6.QtWidgets import QMessageBox

    from .services.backup import backups_of, damaged_database, restore_database

    backups = backups_of(db_path) if damaged_database(db_path) else []
    if not backups:
        QMessageBox.critical(None, "无法打开数据库", str(error))
        return False
    chosen = _choose_backup(str(error), backups)
    if chosen is None:
        return False
    try:
        before = restore_database(db_path, chosen)
    except DomainError as e:
        QMessageBox.critical(None, "恢复失败", str(e))
        return True  # the damaged file is untouched: the same offer again
    kept = f"\n损坏的原文件已另存为：{before}" if before else ""
    QMessageBox.information(None, "已恢复", f"已从备份“{chosen.name}”恢复数据库。{kept}")
    return True


def _choose_backup(message: str, backups) -> Path | None:
    """The message box with 从备份恢复…, then the list of copies (newest first)."""
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "数据库已损坏",
                      f"{message}\n\n找到{len(backups)}个备份，可以从备份恢复"
                      "（损坏的文件会先另存一份，不会丢弃）。", QMessageBox.StandardButton.NoButton)
    restore = box.addButton("从备份恢复…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    labels = [_backup_label(b) for b in backups]
    label, ok = QInputDialog.getItem(None, "从备份恢复", "选择要恢复的备份（最新的在最上面）：",
                                     labels, 0, False)
    return backups[labels.index(label)].path if ok and label in labels else None


def _backup_label(b) -> str:
    counts = (f"，{b.org_count}个组织、{b.member_count}名党员"
              if b.member_count is not None else "，无法读取")
    return f"{b.taken_at:%Y-%m-%d %H:%M}　{b.reason}{counts}"


def _install_qt_translations(app) -> bool:
    """Qt's own strings (确定/取消/是/否, file dialogs, text-field menus) in Simplified Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(locale)  # calendars and number formats follow, too
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    bundled = config.resources_dir().parent / "PySide6" / "Qt" / "translations"  # frozen builds
    for where in (folder, str(bundled)):
        if translator.load(locale, "qtbase", "_", where):
            app.installTranslator(translator)
            return True
    log.warning("qtbase_zh_CN not found in %s", folder)
    return False


def _phase(label: str) -> None:
    """DANGJIAN_STARTUP_TRACE=1: print when start-up reaches `label` (the start-up benchmark
    shows where the time goes)."""
    if os.environ.get("DANGJIAN_STARTUP_TRACE"):
        print(f"dangjian: phase {label} at {time.time():.6f}", file=sys.stderr, flush=True)


def _quit_after_env(app, window) -> None:
    """DANGJIAN_QUIT_AFTER_MS=N: quit N ms after the window is up, i.e. shown with the
    roster's first rows in it (smoke tests; the start-up benchmark reads the time printed)."""
    value = os.environ.get("DANGJIAN_QUIT_AFTER_MS")
    if value is None:
        return
    from PySide6.QtCore import QTimer

    timer, quit_timer = QTimer(app), QTimer(app)
    timer.setSingleShot(True)
    quit_timer.setSingleShot(True)
    quit_timer.timeout.connect(app.quit)

    def up() -> None:  # the event loop runs; wait (briefly) for the roster's rows too
        if not window.roster.model.rows_shown and time.monotonic() < give_up:
            timer.start(2)
            return
        print(f"dangjian: window up at {time.time():.6f}", file=sys.stderr, flush=True)
        quit_timer.start(max(0, int(value)))

    give_up = time.monotonic() + 30
    timer.timeout.connect(up)
    timer.start(0)
