"""三会一课台账 (summary) as a PDF: organisation × meeting kind × quarter on A4 landscape.

Each quarter's cell reads 已开/应开 ("2/3"); then the year's totals, 缺开, 补记
and the attendance rate. The table header repeats on every page.
"""
from __future__ import annotations

import os

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from desktop.domain.dates import format_date_cn
from desktop.domain.meeting_ledger import Ledger, rate_text
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.exports.pdf.document import (BuiltPdf, Margins, PageLayout, build_pdf, chunked_table,
                                          para, print_date_line, styles)

HEADER = ["所属组织", "组织", "会议类型", "一季度", "二季度", "三季度", "四季度", "全年",
          "缺开", "补记", "出席率"]
LEDGER_MARGINS = Margins(top=16, bottom=16, left=15, right=12)


def write_ledger_pdf(path: str | os.PathLike[str], ledger: Ledger, *,
                     progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> BuiltPdf:
    st = styles()
    centre = ParagraphStyle("dj-ledger-num", parent=st.cell, alignment=TA_CENTER)

    def num(text: object) -> Paragraph | str:
        return Paragraph(str(text), centre) if text not in ("", None) else ""

    def frac(held: int, required: int) -> Paragraph | str:
        return num(f"{held}/{required}") if held or required else ""

    rows = []
    for r in ledger.summary:
        rows.append([r.parent_name, r.org_name, r.kind.short,
                     *[frac(q.held, q.required) for q in r.quarters],
                     frac(r.held, r.required), num(r.missing or ""), num(r.late or ""),
                     num(rate_text(r.rate))])

    def story(layout: PageLayout) -> list[Flowable]:
        st = styles()
        info = ParagraphStyle("dj-ledger-info", parent=st.body, alignment=TA_CENTER)
        fixed = [20 * mm] * 5 + [13 * mm] * 2 + [17 * mm]
        rest = layout.frame_width - sum(fixed) - 22 * mm
        widths = [rest * 0.4, rest * 0.6, 22 * mm] + fixed
        return [
            para(f"{ledger.title}{ledger.year}年三会一课台账", st.title),
            para(f"统计日期：{format_date_cn(ledger.generated)}　　各季度栏为“已开/应开”", info),
            *chunked_table(HEADER, rows, widths, cancel=cancel, progress=progress),
            para("说明：“应开”按会议频次设置计算；“缺开”为已结束的周期中未召开的次数；"
                 "“补记”为会后补录的记录；出席率为已召开会议的实到人次除以应到人次。", st.small),
        ]

    return build_pdf(path, story, title=f"{ledger.year}年三会一课台账", orientation="landscape",
                     margins=LEDGER_MARGINS, footer_left=print_date_line(ledger.generated),
                     cancel=cancel, progress=progress)
