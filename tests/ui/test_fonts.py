"""The application font: shipped font loaded, default font set, Chinese drawn from it."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics  # noqa: E402

from desktop.ui.fonts import (  # noqa: E402
    SHIPPED_UI_FAMILY,
    choose_family,
    install_app_fonts,
    load_shipped_fonts,
)


@pytest.fixture
def restore_app_font(qapp):
    before = QFont(qapp.font())
    yield qapp
    qapp.setFont(before)


def test_install_sets_a_chinese_default_font(restore_app_font):
    app = restore_app_font
    family = install_app_fonts(app)

    assert family
    assert family in QFontDatabase.families()
    font = app.font()
    assert font.family() == family
    assert 10 <= font.pointSizeF() <= 10.5
    assert QFontInfo(font).family() == family  # really resolved, not substituted

    metrics = QFontMetrics(font)
    for ch in "党员支部委员会堃〇":
        assert metrics.inFontUcs4(ord(ch)), ch
    assert metrics.horizontalAdvance("党员") > 0


def test_shipped_fonts_load():
    families = load_shipped_fonts()
    assert {SHIPPED_UI_FAMILY, "文泉驿微米黑"} & set(families)
    assert {"AR PL SungtiL GB", "文鼎ＰＬ简报宋"} & set(families)


def test_choose_family_prefers_simplified_chinese_system_fonts():
    shipped = [SHIPPED_UI_FAMILY, "AR PL SungtiL GB"]
    assert choose_family(["Arial", "Microsoft YaHei", "SimSun"], shipped) == "Microsoft YaHei"
    assert choose_family(["微软雅黑"], shipped) == "微软雅黑"
    assert choose_family(["PingFang SC", "Songti SC"], shipped) == "PingFang SC"
    # Noto Sans CJK (JP default forms without a zh locale) is not picked over the shipped font.
    assert choose_family(["Noto Sans CJK JP", "Noto Sans CJK SC", "DejaVu Sans"], shipped) == SHIPPED_UI_FAMILY
