"""The application's screen font.

Qt picks the glyphs for Han characters from whatever font claims them. On a
Linux desktop with only Noto Sans CJK installed and no zh_CN locale, that is
the Japanese face, so 党 and 员 and many others come out in Japanese forms.
The application therefore sets its own default font: the Simplified-Chinese
system UI font if the machine has one (微软雅黑 on Windows, 苹方 on macOS),
otherwise WenQuanYi Micro Hei shipped in resources/fonts (GBK + CJK Ext. A,
Simplified forms). "Noto Sans CJK SC" is deliberately not preferred: it is
often installed only as part of a collection whose default face is not SC.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.config import resource_path

log = logging.getLogger(__name__)

UI_POINT_SIZE = 10.5  # 五号
PREFERRED_SYSTEM_FAMILIES = ("Microsoft YaHei", "微软雅黑", "Microsoft YaHei UI", "PingFang SC")
SHIPPED_UI_FAMILY = "WenQuanYi Micro Hei"
SHIPPED_UI_FAMILY_NAMES = (SHIPPED_UI_FAMILY, "文泉驿微米黑")  # Qt may report the localized name
SHIPPED_FONT_FILES = ("wqy-microhei.ttc", "gbsn00lp.ttf")  # Hei for the UI; Song for previews


_loaded_families: list[str] | None = None


def load_shipped_fonts() -> list[str]:
    """Add the fonts in resources/fonts to Qt's database (once); return their families."""
    global _loaded_families
    if _loaded_families is not None:
        return list(_loaded_families)
    families: list[str] = []
    for name in SHIPPED_FONT_FILES:
        path = resource_path("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    _loaded_families = families
    return list(families)


def choose_family(available: Iterable[str], shipped: Iterable[str]) -> str:
    """The first preferred system family present, else the shipped UI family."""
    have = set(available)
    for family in PREFERRED_SYSTEM_FAMILIES:
        if family in have:
            return family
    shipped = list(shipped)
    for family in SHIPPED_UI_FAMILY_NAMES:
        if family in shipped:
            return family
    return shipped[0] if shipped else QFont().defaultFamily()


def install_app_fonts(app: QApplication) -> str:
    """Load the shipped fonts, set the application's default font; return its family."""
    shipped = load_shipped_fonts()
    family = choose_family(QFontDatabase.families(), shipped)
    font = QFont(family)
    font.setPointSizeF(UI_POINT_SIZE)
    spare = choose_family((), shipped)
    if spare != family and spare in shipped:
        # Glyphs the system font lacks come from the shipped font, not a Japanese one.
        font.setFamilies([family, spare])
    app.setFont(font)
    log.info("UI font: %s %.1f pt", family, UI_POINT_SIZE)
    return family
