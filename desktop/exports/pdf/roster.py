"""党员花名册 as a PDF: an A4 landscape table that a clerk can print and hand on.

Every member is listed, branch by branch: each branch (所在党支部) gets its
own table, numbered from 1, whose first line names the branch and its member
count and is repeated with the column header on every page the branch spans. The columns
are the ones that stay legible at the shared table size (10.5 pt, 五号) across
an A4 landscape page:

    序号 姓名 公民身份号码 性别 民族 出生日期 学历 人员类别 加入党组织日期
    转为正式党员日期 工作岗位 手机号码 社区党员分类

(所在党支部 is the table's caption line; the full 24 columns are in the .xlsx export). The
table header repeats on every page, the footer carries 打印日期 and
"第 X 页 / 共 Y 页", and the Chinese fonts are embedded (see
desktop/exports/pdf/document.py). Members who left, when included, are marked
after their name: 张三（已转出）.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from desktop.domain.dates import format_date, format_date_cn
from desktop.domain.member import Status
from desktop.domain.masking import privacy_note
from desktop.domain.roster_export import (LEFT_NOTE, RECORD_INDEX, RECORD_KEYS, RosterDocument,
                                          RosterSection)
from desktop.domain.roster_fields import FIELD_BY_KEY
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.exports.pdf.document import (CELL_PADDING, BuiltPdf, Margins, PageLayout, build_pdf,
                                          chunked_table, para, print_date_line, styles)
from desktop.exports.pdf.fonts import cjk_fonts

PDF_KEYS: tuple[str, ...] = ("seq", "name", "id_number", "sex", "ethnicity", "birth_date",
                             "education", "category", "joined", "confirmed", "job", "mobile",
                             "classification")
"""The columns the PDF shows, in the national order (所在党支部 heads each branch's table)."""
PDF_HEADERS: tuple[str, ...] = tuple(FIELD_BY_KEY[k].label for k in PDF_KEYS)

# Narrow landscape margins (mm): a wide table needs the width more than a binding edge.
ROSTER_MARGINS = Margins(top=16, bottom=16, left=12, right=10)

# Text columns: at most this many characters on one line before the cell wraps.
_TEXT_CAPS = {"name": 4, "sex": 1, "ethnicity": 3, "education": 5, "category": 4, "job": 6,
              "classification": 6}
_WRAPPING = ("job", "classification", "education")  # narrowed first when space is short
_SAMPLE = 500  # rows measured at each end for the digit columns (all values alike)


def write_roster_pdf(path: str | os.PathLike[str], doc: RosterDocument, *,
                     progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> BuiltPdf:
    """Write `doc` to `path` atomically. Raises Cancelled (no file) when `cancel` is set.

    progress(rows_laid_out, rows_total, message) is called once per page.
    """
    cancel = cancel or CancelToken()
    tables = [(section, _pdf_rows(doc, section)) for section in doc.sections]
    cancel.check()
    total = doc.member_count
    footer = print_date_line(doc.exported_on) + "　　" + privacy_note(doc.masked)
    headings = len(doc.sections) > 1 or any(s.name != doc.org_name for s in doc.sections)

    def story(layout: PageLayout) -> list[Flowable]:
        st = styles()
        centred = ParagraphStyle("dj-roster-info", parent=st.body, alignment=TA_CENTER)
        parts = [f"组织：{doc.org_name}" if doc.org_name else "", doc.count_text(),
                 f"导出日期：{format_date_cn(doc.exported_on)}"]
        out: list[Flowable] = [para(doc.title, st.title),
                               para("　　".join(p for p in parts if p), centred)]
        notes = [privacy_note(doc.masked)] + ([f"{LEFT_NOTE}，姓名后注明离开情况"]
                                              if doc.include_left else [])
        if notes:
            out.append(para("注：" + "；".join(notes) + "。",
                             ParagraphStyle("dj-roster-note", parent=st.small, alignment=TA_CENTER)))
        out.append(Spacer(1, 3 * mm))
        widths = column_widths([r for _, rows in tables for r in rows], layout.frame_width)
        offset = 0
        for section, rows in tables:
            caption = f"{section.name}　　{doc.count_text((section,))}" if headings else None
            out += chunked_table(PDF_HEADERS, rows, widths, caption=caption, cancel=cancel,
                                 progress=_shifted(progress, offset, total))
            offset += len(rows)
        if not tables:
            out += chunked_table(PDF_HEADERS, [], widths)
        return out

    return build_pdf(path, story, title=doc.title, orientation="landscape",
                     margins=ROSTER_MARGINS, header_text=doc.title, footer_left=footer,
                     subject=f"{doc.title}（{doc.count_text()}）", cancel=cancel)


def _shifted(progress: Progress, offset: int, total: int) -> Progress:
    """One branch's table reports rows of the whole document."""
    def report(done: int, _total: int, _message: str = "") -> None:
        progress(offset + done, total, f"正在排版：{offset + done} / {total} 名党员")
    return report


def _pdf_rows(doc: RosterDocument, section: RosterSection) -> list[list[str]]:
    """The section's members as strings in PDF_KEYS order; members who left marked after the name."""
    getters = [(RECORD_INDEX.get(k), FIELD_BY_KEY[k].kind == "date") for k in PDF_KEYS]
    name_col = PDF_KEYS.index("name")
    status_at = len(RECORD_KEYS)  # status, left_date follow the record when included
    out = []
    for seq, r in enumerate(section.rows, start=1):
        row = [str(seq) if i is None else (format_date(r[i]) if is_date else r[i] or "")
               for i, is_date in getters]
        if doc.include_left and r[status_at] != Status.ACTIVE.value:
            row[name_col] = f"{row[name_col]}（{r[status_at]}）"
        out.append(row)
    return out


def column_widths(rows: Sequence[Sequence[str]], frame_width: float) -> list[float]:
    """Column widths in points that fill `frame_width` exactly.

    Digit columns fit their widest value; text columns their longest value up
    to a few characters (longer values wrap); every header fits in two lines.
    Width left over is shared out in proportion; a shortfall (names or posts
    longer than usual) is taken from the long text columns, which wrap.
    """
    fonts = cjk_fonts()
    st = styles()
    size = st.cell.fontSize
    sample = rows[:_SAMPLE] + rows[-_SAMPLE:] if len(rows) > 2 * _SAMPLE else rows
    widths: list[float] = []
    for j, key in enumerate(PDF_KEYS):
        label = PDF_HEADERS[j]
        half = label[: (len(label) + 1) // 2] if len(label) > 4 else label
        need = stringWidth(half, fonts.hei, st.cell_header.fontSize)
        if key in _TEXT_CAPS:
            longest = max((len(r[j]) for r in rows), default=0)
            need = max(need, min(longest, _TEXT_CAPS[key]) * size)
        else:
            need = max([need, *(stringWidth(r[j], fonts.body, size) for r in sample)])
        widths.append(need + 2 * CELL_PADDING + 1)  # 1 pt of slack against rounding
    spare = frame_width - sum(widths)
    if spare >= 0:
        return [w + spare * w / sum(widths) for w in widths]
    wrap = [j for j, k in enumerate(PDF_KEYS) if k in _WRAPPING]
    shrink = min(-spare / sum(widths[j] for j in wrap), 0.5)
    return [w * (1 - shrink) if j in wrap else w for j, w in enumerate(widths)]
