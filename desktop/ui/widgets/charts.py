"""Small bar and pie charts drawn with QPainter: for the screen and for paper.

Every chart draws through `paint(painter, rect)`, so the same code fills a widget
and a printed page (QPdfWriter / QPrinter). Printed in black and white a chart
stays readable: every bar and every legend entry carries its number (and a pie
its percentage), and neighbouring colours differ in lightness as well as hue.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

# Alternating dark and light, so that greys on paper still tell neighbours apart.
PALETTE = ["#b02a1f", "#f2b8a2", "#1f5fa8", "#a9c8ec", "#2e7d32", "#b9dfb0", "#8d6e00",
           "#f3dc8b", "#5e3c99", "#cbb8e8"]
INK = QColor("#222222")
GRID = QColor("#cccccc")
MUTED = QColor("#777777")


def colour(i: int) -> QColor:
    return QColor(PALETTE[i % len(PALETTE)])


class Chart(QWidget):
    """A titled chart of (label, value) items, or of series per category (grouped bars)."""

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, float]] = []
        self.note = ""
        self.setMinimumSize(240, 190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(320, 230)

    def set_items(self, items: list[tuple[str, float]], note: str = "") -> None:
        self.items = list(items)
        self.note = note
        self.update()

    @property
    def total(self) -> float:
        return sum(v for _l, v in self.items)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        self.paint(p, QRectF(self.rect()).adjusted(6, 4, -6, -4))
        p.end()

    # --- drawing, in any painter's units ----------------------------------------------------
    def paint(self, p: QPainter, rect: QRectF) -> None:
        font = QFont(p.font())
        dpi = p.device().logicalDpiY() or 96
        # About a twentieth of the chart's height, within what reads well on screen and paper.
        font.setPointSizeF(min(max(rect.height() / 20 * 72 / dpi, 7.5), 11.0))
        p.setFont(font)
        fm = QFontMetricsF(font)
        title_font = QFont(font)
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(INK)
        title_h = fm.height() * 1.4
        p.drawText(QRectF(rect.left(), rect.top(), rect.width(), title_h),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        p.setFont(font)
        body = QRectF(rect.left(), rect.top() + title_h, rect.width(), rect.height() - title_h)
        if self.note:
            note_h = fm.height() * 1.3
            p.setPen(MUTED)
            p.drawText(QRectF(body.left(), body.bottom() - note_h, body.width(), note_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(self.note, Qt.TextElideMode.ElideRight, body.width()))
            body.setHeight(body.height() - note_h)
        if not self.items or self.total <= 0:
            p.setPen(MUTED)
            p.drawText(body, Qt.AlignmentFlag.AlignCenter, "暂无数据")
            return
        self.paint_body(p, body, fm)

    def paint_body(self, p: QPainter, rect: QRectF, fm: QFontMetricsF) -> None:
        raise NotImplementedError


class BarChart(Chart):
    """Vertical bars, one per item, each with its number above it."""

    def paint_body(self, p: QPainter, rect: QRectF, fm: QFontMetricsF) -> None:
        label_h = fm.height() * 2.1  # labels may take two lines
        value_h = fm.height() * 1.1
        plot = QRectF(rect.left(), rect.top() + value_h, rect.width(),
                      rect.height() - label_h - value_h)
        top = max(v for _l, v in self.items) or 1
        n = len(self.items)
        slot = plot.width() / n
        bar_w = min(slot * 0.62, fm.height() * 4)
        p.setPen(QPen(GRID, 0))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        body_font, small = p.font(), _label_font(p, fm, [t for t, _v in self.items], slot)
        for i, (label, value) in enumerate(self.items):
            x = plot.left() + slot * i + (slot - bar_w) / 2
            h = plot.height() * value / top
            bar = QRectF(x, plot.bottom() - h, bar_w, h)
            p.fillRect(bar, colour(2))
            p.setPen(QPen(INK, 0))
            p.drawRect(bar)
            p.drawText(QRectF(plot.left() + slot * i, bar.top() - value_h, slot, value_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, _number(value))
            p.setFont(small)
            p.drawText(QRectF(plot.left() + slot * i + 2, plot.bottom() + 2, slot - 4, label_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWrapAnywhere, label)
            p.setFont(body_font)


class PieChart(Chart):
    """A pie with a legend: label, number and share."""

    def paint_body(self, p: QPainter, rect: QRectF, fm: QFontMetricsF) -> None:
        total = self.total
        texts = [f"{label}  {_number(value)}（{value * 100 / total:.1f}%）" for label, value in self.items]
        legend_w = max(fm.horizontalAdvance(t) for t in texts) + fm.height() * 2.2
        side = max(min(rect.height(), rect.width() - legend_w), min(rect.height(), rect.width()) * 0.3)
        pie = QRectF(rect.left(), rect.top() + (rect.height() - side) / 2, side, side)
        start = 90 * 16
        p.setPen(QPen(QColor("white"), 1))
        for i, (_label, value) in enumerate(self.items):
            span = -round(360 * 16 * value / total)
            if value > 0:
                p.setBrush(colour(i))
                p.drawPie(pie, start, span)
            start += span
        p.setBrush(Qt.BrushStyle.NoBrush)
        line = fm.height() * 1.25
        x = pie.right() + fm.height()
        y = rect.top() + max((rect.height() - line * len(self.items)) / 2, 0)
        box = fm.height() * 0.7
        for i, (label, value) in enumerate(self.items):
            p.fillRect(QRectF(x, y + (line - box) / 2, box, box), colour(i))
            p.setPen(QPen(INK, 0))
            p.drawRect(QRectF(x, y + (line - box) / 2, box, box))
            width = rect.right() - x - box * 1.6
            p.drawText(QRectF(x + box * 1.6, y, width, line),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(texts[i], Qt.TextElideMode.ElideRight, width))
            y += line


class GroupedBarChart(Chart):
    """Categories along the axis, a bar per series in each, with a legend on top."""

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(title, parent)
        self.series: list[str] = []
        self.groups: list[tuple[str, list[float]]] = []

    def set_groups(self, series: list[str], groups: list[tuple[str, list[float]]],
                   note: str = "") -> None:
        self.series, self.groups = list(series), list(groups)
        self.set_items([(label, sum(values)) for label, values in groups], note)

    def paint_body(self, p: QPainter, rect: QRectF, fm: QFontMetricsF) -> None:
        legend_h = fm.height() * 1.3
        x = rect.left()
        box = fm.height() * 0.7
        for i, name in enumerate(self.series):
            p.fillRect(QRectF(x, rect.top() + (legend_h - box) / 2, box, box), colour(i * 2))
            p.setPen(QPen(INK, 0))
            p.drawRect(QRectF(x, rect.top() + (legend_h - box) / 2, box, box))
            p.drawText(QPointF(x + box * 1.4, rect.top() + legend_h * 0.75), name)
            x += box * 1.4 + fm.horizontalAdvance(name) + fm.height()
        label_h = fm.height() * 2.1
        value_h = fm.height() * 1.1
        plot = QRectF(rect.left(), rect.top() + legend_h + value_h, rect.width(),
                      rect.height() - legend_h - label_h - value_h)
        top = max((v for _l, vs in self.groups for v in vs), default=1) or 1
        slot = plot.width() / max(len(self.groups), 1)
        k = max(len(self.series), 1)
        bar_w = min(slot * 0.8 / k, fm.height() * 2.5)
        p.setPen(QPen(GRID, 0))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        body_font, small = p.font(), _label_font(p, fm, [t for t, _v in self.groups], slot)
        for g, (label, values) in enumerate(self.groups):
            x0 = plot.left() + slot * g + (slot - bar_w * k) / 2
            for s, value in enumerate(values):
                h = plot.height() * value / top
                bar = QRectF(x0 + bar_w * s, plot.bottom() - h, bar_w, h)
                p.fillRect(bar, colour(s * 2))
                p.setPen(QPen(INK, 0))
                p.drawRect(bar)
                p.drawText(QRectF(bar.left() - bar_w, bar.top() - value_h, bar_w * 3, value_h),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                           _number(value))
            p.setFont(small)
            p.drawText(QRectF(plot.left() + slot * g + 2, plot.bottom() + 2, slot - 4, label_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWrapAnywhere, label)
            p.setFont(body_font)


def _label_font(p: QPainter, fm: QFontMetricsF, labels: list[str], slot: float) -> QFont:
    """The painter's font, smaller if a label would not fit its slot in two lines."""
    font = QFont(p.font())
    widest = max((fm.horizontalAdvance(t) for t in labels), default=0)
    room = (slot - 4) * 1.8
    if widest > room:
        font.setPointSizeF(max(font.pointSizeF() * room / widest, 5.5))
    return font


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def paint_grid(p: QPainter, rect: QRectF, charts: list[Chart], columns: int = 3,
               gap: float = 12) -> None:
    """Charts side by side in rows (a printed page of them)."""
    rows = (len(charts) + columns - 1) // columns
    w = (rect.width() - gap * (columns - 1)) / columns
    h = (rect.height() - gap * (rows - 1)) / max(rows, 1)
    for i, chart in enumerate(charts):
        r, c = divmod(i, columns)
        cell = QRectF(rect.left() + c * (w + gap), rect.top() + r * (h + gap), w, h)
        p.save()
        p.setPen(QPen(GRID, 0))
        p.drawRect(cell)
        chart.paint(p, cell.adjusted(gap / 2, gap / 3, -gap / 2, -gap / 3))
        p.restore()
