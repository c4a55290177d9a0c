"""反馈表: what the community reports back to an employer about its people (双报告).

A4 portrait. Each employer's document starts on a new page: title, the addressee
(the employer's party organisation), the period and a summary table of all its
people; then one block per person or unit — particulars, the services with hours,
the commitments and whether they were kept, the community's appraisal with its
comment — and a place for the community's seal. The footer says whether ID and
telephone numbers are masked (domain/masking.py).
"""
from __future__ import annotations

import os

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from desktop.domain.dates import format_date_cn
from desktop.domain.masking import privacy_note
from desktop.domain.registration import hours_text
from desktop.domain.registration_feedback import Appraisal, FeedbackDocument, FeedbackSheet
from desktop.domain.tasks import CancelToken, Progress
from desktop.exports.pdf.document import PageLayout, build_pdf, para, print_date_line, styles, table_style
from desktop.exports.pdf.fonts import cjk_fonts

TITLE = "在职党员（驻区单位）到社区报到服务情况反馈表"
SHADE = colors.Color(0.93, 0.93, 0.93)


def appraisal_boxes(sheet: FeedbackSheet) -> str:
    """■合格　□优秀 …: the four grades with the chosen one ticked."""
    return "　".join(("■" if a is sheet.appraisal else "□") + a.value for a in Appraisal)


def write_feedback(path: str | os.PathLike[str], docs: list[FeedbackDocument], *,
                   progress: Progress | None = None, cancel: CancelToken | None = None) -> int:
    """Write every document (one per employer) into one PDF; returns the page count."""
    masked = all(d.masked for d in docs)

    def story(layout: PageLayout) -> list[Flowable]:
        out: list[Flowable] = []
        for i, doc in enumerate(docs):
            if cancel:
                cancel.check()
            if i:
                out.append(PageBreak())
            out += _document(doc, layout.frame_width)
        return out

    issued = docs[0].issued_on if docs else None
    footer = f"{print_date_line(issued)}　{privacy_note(masked)}"
    title = TITLE if len(docs) != 1 else f"{docs[0].employer}{docs[0].period}反馈表"
    return build_pdf(path, story, title=title, subject="双报到反馈表", footer_left=footer,
                     cancel=cancel, progress=progress).pages


def _document(doc: FeedbackDocument, width: float) -> list[Flowable]:
    st = styles()
    f = cjk_fonts()
    info = ParagraphStyle("dj-fb-info", parent=st.body, spaceAfter=1 * mm)
    centre = ParagraphStyle("dj-fb-centre", parent=st.cell, alignment=TA_CENTER)
    out: list[Flowable] = [para(TITLE, st.title),
                           para(f"（{doc.period}）", st.subtitle),
                           para(f"{doc.employer}党组织：", info),
                           para(f"　　贵单位下列党员（单位）在{'、'.join(doc.communities) or '本社区'}报到并参加服务，"
                                f"{doc.period}共参加服务{doc.service_count}人次、累计{hours_text(doc.total_hours)}小时。"
                                "现将有关情况反馈如下。", info),
                           Spacer(1, 2 * mm)]
    header = ["序号", "姓名（单位）", "服务次数", "服务时长（小时）", "承诺践诺", "社区评价"]
    widths = [12 * mm, width - 12 * mm - 4 * 24 * mm - 10 * mm, 24 * mm, 34 * mm, 24 * mm, 24 * mm]
    several = len(doc.communities) > 1
    rows = [header] + [[str(i), para(f"{s.name}（{s.community}）" if several else s.name, st.cell),
                        str(s.service_count), hours_text(s.total_hours),
                        s.commitment_text, s.appraisal.value if s.appraisal else ""]
                       for i, s in enumerate(doc.sheets, start=1)]
    summary = Table(rows, colWidths=widths, repeatRows=1)
    style = table_style(f)
    style.add("ALIGN", (0, 1), (0, -1), "CENTER")
    style.add("ALIGN", (2, 1), (-1, -1), "CENTER")
    summary.setStyle(style)
    out += [summary, Spacer(1, 5 * mm)]
    for s in doc.sheets:
        out += [CondPageBreak(60 * mm), KeepTogether(_sheet(s, width, st, centre, f)), Spacer(1, 5 * mm)]
    seal = ParagraphStyle("dj-fb-seal", parent=info, alignment=TA_RIGHT)
    out += [CondPageBreak(22 * mm), Spacer(1, 4 * mm),
            para(f"{doc.issuer or '社区党组织'}（盖章）", seal),
            para(format_date_cn(doc.issued_on), seal)]
    return out


def _sheet(s: FeedbackSheet, width: float, st, centre, f) -> list[Flowable]:
    label = ParagraphStyle("dj-fb-label", parent=st.cell, fontName=f.hei, alignment=TA_CENTER)
    lw, vw = 24 * mm, width / 2 - 24 * mm
    who = "单位名称" if s.is_unit else "姓　　名"
    org = "单位党组织" if s.is_unit else "所在党组织"
    phone = "联络电话" if s.is_unit else "联系电话"
    rows = [
        [para(who, label), para(s.name, st.cell), para("报到日期", label),
         para(s.reported_on.isoformat() if s.reported_on else "", st.cell)],
        [para(org, label), para(s.employer_org, st.cell), para(phone, label), para(s.phone, st.cell)],
    ]
    if not s.is_unit:
        rows.append([para("身份证号", label), para(s.id_number, st.cell), para("报到社区", label),
                     para(" ".join(x for x in (s.community, s.grid) if x), st.cell)])
    services = "；".join(f"{d.day.month}月{d.day.day}日 {d.activity}（{d.post}，{hours_text(d.hours)}小时）"
                        for d in s.services) or "本期未参加服务活动"
    commitments = "；".join(f"{c.content}：{c.status_text}" for c in s.commitments) or "无"
    n = len(rows)
    comment = s.comment or ("（根据服务情况自动生成，待社区审定）" if s.appraisal_suggested else "")
    rows += [
        [para("服务情况", label),
         para(f"共{s.service_count}次，累计{hours_text(s.total_hours)}小时。{services}", st.cell), "", ""],
        [para("承诺践诺", label), para(commitments, st.cell), "", ""],
        [para("社区评价", label), para(appraisal_boxes(s), st.cell), "", ""],
        [para("评价意见", label), para(comment, st.cell), "", ""],
    ]
    t = Table(rows, colWidths=[lw, vw, lw, vw])
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("BACKGROUND", (2, 0), (2, n - 1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *[("SPAN", (1, r), (3, r)) for r in range(n, len(rows))],
    ]))
    return [t]
