"""签到表: a blank sign-in sheet for a (planned) meeting, listing who should attend.

A4 portrait: title, the meeting's organisation, kind, topic, time and place; a
table 序号 | 姓名 | 人员类别 | 签到 | 备注 with a tall signature cell per expected
member; blank rows for 列席人员; 应到/实到 to fill in by hand. For a 党建联席会议 the
rows are the resident units and their representatives.
"""
from __future__ import annotations

import os

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from desktop.domain.meeting import MeetingKind, PrintableMeeting, time_range_text
from desktop.exports.pdf.document import BuiltPdf, PageLayout, build_pdf, styles
from desktop.exports.pdf.fonts import cjk_fonts, cjk_markup

ROW_HEIGHT = 10.5 * mm
GUEST_ROWS = 4
SHADE = colors.Color(0.93, 0.93, 0.93)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(cjk_markup(text, style.fontName), style)


def write_signin(path: str | os.PathLike[str], item: PrintableMeeting) -> BuiltPdf:
    m = item.meeting

    def story(layout: PageLayout) -> list[Flowable]:
        st = styles()
        f = cjk_fonts()
        info = ParagraphStyle("dj-signin-info", parent=st.body, fontSize=12, leading=19, spaceAfter=0)
        head = ParagraphStyle("dj-signin-head", parent=st.cell, fontName=f.hei, fontSize=11,
                              leading=14, alignment=TA_CENTER)
        cell = ParagraphStyle("dj-signin-cell", parent=st.cell, fontSize=11, leading=14)
        centre = ParagraphStyle("dj-signin-centre", parent=cell, alignment=TA_CENTER)
        out: list[Flowable] = [
            _p(f"{m.title_kind}签到表", st.title),
            _p(item.org_name, ParagraphStyle("dj-signin-org", parent=st.subtitle, fontSize=13)),
        ]
        topic = m.topic_line or m.lecture_title or "＿" * 20
        out += [_p(f"会议主题：{topic}", info),
                _p(f"会议时间：{time_range_text(m.start, m.end)}", info),
                _p(f"会议地点：{m.place or '＿' * 12}", info),
                Spacer(1, 3 * mm)]
        w = layout.frame_width
        if m.kind is MeetingKind.JOINT:
            header = ["序号", "单位", "代表", "签到", "备注"]
            widths = [13 * mm, 62 * mm, 30 * mm, w - 13 * mm - 62 * mm - 30 * mm - 25 * mm, 25 * mm]
            people = [[_p(str(i), centre), _p(u.unit, cell), _p(u.representative, centre), "", ""]
                      for i, u in enumerate(m.units, start=1)]
            expected_text = f"应到单位：{len(m.units)}个　　实到单位：＿＿个"
        else:
            header = ["序号", "姓名", "人员类别", "签到", "备注"]
            widths = [13 * mm, 32 * mm, 26 * mm, w - 13 * mm - 32 * mm - 26 * mm - 30 * mm, 30 * mm]
            people = [[_p(str(i), centre), _p(a.name, centre), _p(a.category.value, centre), "",
                       _p(a.role, centre) if a.role else ""]
                      for i, a in enumerate(m.attendees, start=1)]
            expected_text = f"应到：{len(m.attendees)}人　　实到：＿＿人　　缺席：＿＿人"
        rows = [[_p(h, head) for h in header]] + people
        n = len(rows)
        rows.append([_p("列席人员", head), "", "", "", ""])
        rows += [[_p(str(i), centre), "", "", "", ""] for i in range(1, GUEST_ROWS + 1)]
        heights = [9 * mm] + [ROW_HEIGHT] * (len(people)) + [8 * mm] + [ROW_HEIGHT] * GUEST_ROWS
        table = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), f.body, 11),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("BACKGROUND", (0, n), (-1, n), SHADE),
            ("SPAN", (0, n), (-1, n)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        out += [table, Spacer(1, 4 * mm),
                _p(f"{expected_text}　　　记录人（签字）：＿＿＿＿＿＿", info)]
        return out

    return build_pdf(path, story, title=f"{item.org_name}{m.title_kind}签到表", subject="签到表")
