"""党员统计表 as a PDF: organisations × counts on A4 landscape, header on every page.

The first row is the whole scope; communities (depth ≤ 1) are set in 黑体 and
branches indented under them. Column headers name their group where the label
alone would not ("其他学历").
"""
from __future__ import annotations

import os

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from desktop.domain.dates import format_date_cn
from desktop.domain.stats import TOTAL_KEY, StatsColumn, StatsTable
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.exports.pdf.document import (BuiltPdf, Margins, PageLayout, build_pdf, chunked_table,
                                          para, print_date_line, styles)

STATS_MARGINS = Margins(top=16, bottom=16, left=15, right=12)
MIN_NUMBER_WIDTH = 10 * mm
MIN_NAME_WIDTH = 45 * mm
DIGIT = 0.55  # a digit's width in em, generously
NOTE = ("说明：人数为在册党员，各组织含其下级组织；年龄按统计日期计算；"
        "“民族”只列汉族和少数民族（其他、外国血统及未填不计入）。")


def header_label(c: StatsColumn) -> str:
    if c.rest and c.label in ("其他", "未填", "未分类"):
        return f"{c.label}{c.group}" if c.label == "其他" else f"{c.group}{c.label}"
    return c.label


class _Number(Flowable):
    """A count centred in its cell: far cheaper than a centred Paragraph per cell."""

    def __init__(self, value: int, font: str, size: float) -> None:
        super().__init__()
        self.text, self.font, self.size = str(value), font, size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = availWidth, self.size * 1.25
        return self.width, self.height

    def draw(self) -> None:
        # A street-wide total may be wider than a narrow column: set it smaller, never wrap it.
        size = min(self.size, self.size * (self.width - 1) / max(stringWidth(self.text, self.font, self.size), 1))
        self.canv.setFont(self.font, size)
        self.canv.drawCentredString(self.width / 2, self.size * 0.3, self.text)


def number_width(values: list[int], size: float) -> float:
    """Wide enough for the longest count in the column, padding included."""
    digits = max((len(str(v)) for v in values), default=1)
    return max(MIN_NUMBER_WIDTH, digits * DIGIT * size + 10)


def write_stats_pdf(path: str | os.PathLike[str], table: StatsTable, *,
                    progress: Progress = no_progress,
                    cancel: CancelToken | None = None) -> BuiltPdf:
    st = styles()
    strong = ParagraphStyle("dj-stats-strong", parent=st.cell, fontName=st.cell_header.fontName)
    keys = [TOTAL_KEY] + [c.key for c in table.columns]
    size = st.cell.fontSize
    rows = []
    for r in table.rows:
        name = "　" * max(r.depth - 1, 0) + r.org_name
        font = strong.fontName if r.depth <= 1 else st.cell.fontName
        rows.append([para(name, strong) if r.depth <= 1 else name,
                     *[_Number(r.counts[k], font, size) for k in keys]])
    numbers = [number_width([r.counts[k] for r in table.rows], size) for k in keys]

    def story(layout: PageLayout) -> list[Flowable]:
        info = ParagraphStyle("dj-stats-info", parent=st.body, alignment=TA_CENTER)
        name_width = max(layout.frame_width - sum(numbers), MIN_NAME_WIDTH)
        scale = min(1.0, (layout.frame_width - name_width) / sum(numbers))
        widths = [layout.frame_width - sum(numbers) * scale] + [w * scale for w in numbers]
        header = ["组织", "党员总数"] + [header_label(c) for c in table.columns]
        return [
            para(table.title, st.title),
            para(f"统计范围：{table.scope_name}　　统计日期：{format_date_cn(table.day)}", info),
            *chunked_table(header, rows, widths, cancel=cancel, progress=progress),
            para(NOTE, st.small),
        ]

    return build_pdf(path, story, title=table.title, orientation="landscape",
                     margins=STATS_MARGINS, footer_left=print_date_line(table.day),
                     cancel=cancel, progress=progress)
