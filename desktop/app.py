"""Composition root of the GUI: logging, QApplication, fonts, the workspace, the main window."""
from __future__ import annotations

import logging
import sys
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
    from PySide6.QtWidgets import QApplication, QMessageBox

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

    from .services.workspace import open_workspace

    db_path = Path(db_path)
    created = not db_path.exists()
    log.info("opening %s", db_path)
    try:
        workspace = open_workspace(db_path)
    except DomainError as e:
        log.warning("cannot open %s: %s", db_path, e)
        QMessageBox.critical(None, "无法打开数据库", str(e))
        return 1
    except OSError as e:
        log.warning("cannot open %s: %s", db_path, e)
        QMessageBox.critical(None, "无法打开数据库",
                             f"无法打开或创建数据库文件“{db_path}”：{e.strerror or e}。\n"
                             "请检查该文件夹是否存在、是否有写入权限。")
        return 1

    from .ui.main_window import MainWindow

    window = MainWindow(workspace, created=created)
    window.show()
    _quit_after_env(app)
    try:
        return app.exec()
    finally:
        window.workspace.close()


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


def _quit_after_env(app) -> None:
    """DANGJIAN_QUIT_AFTER_MS=N: quit N ms after the window is up (smoke tests, start-up benchmark)."""
    import os

    value = os.environ.get("DANGJIAN_QUIT_AFTER_MS")
    if value is None:
        return
    from PySide6.QtCore import QTimer

    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.timeout.connect(app.quit)
    timer.start(max(0, int(value)))
