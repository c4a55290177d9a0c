"""Draw the application icon (a red seal with a gold star and 党建) into resources/icons/.

    QT_QPA_PLATFORM=offscreen python packaging/tools/make_icon.py

Run once when the design changes; the PNG/ICO it writes are committed.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPolygonF

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "resources" / "icons"


def star(cx: float, cy: float, r: float) -> QPolygonF:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.4
        a = -math.pi / 2 + i * math.pi / 5
        pts.append(QPointF(cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return QPolygonF(pts)


def draw(size: int, family: str) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#c8161d"))
    m = size * 0.04
    p.drawRoundedRect(QRectF(m, m, size - 2 * m, size - 2 * m), size * 0.18, size * 0.18)
    p.setBrush(QColor("#ffd34d"))
    p.drawPolygon(star(size * 0.5, size * 0.32, size * 0.17))
    font = QFont(family)
    font.setPixelSize(int(size * 0.30))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(QRectF(0, size * 0.50, size, size * 0.42), Qt.AlignmentFlag.AlignCenter, "党建")
    p.end()
    return img


def main() -> None:
    app = QGuiApplication(sys.argv)  # noqa: F841 - fonts need an application
    fid = QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc"))
    family = QFontDatabase.applicationFontFamilies(fid)[0]
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256, family).save(str(OUT / "dangjian.png"))
    draw(48, family).save(str(OUT / "dangjian-48.png"))
    draw(256, family).save(str(OUT / "dangjian.ico"))
    print(f"wrote icons to {OUT}")


if __name__ == "__main__":
    main()
