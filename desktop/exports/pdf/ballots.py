"""民主测评表: anonymous, numbered ballots for 书记抓党建述职评议 (A4 portrait).

One secretary: a page per ballot — 测评对象, 评议类别, a table 类别 | 测评项目 | one
column per rating with a check box in every cell (the overall rating last), then
意见和建议 lines. Combined: each ballot lists every secretary of the round, a small
table per secretary (kept whole on a page), the ballot number in each caption so
loose pages can still be counted. Ballots are numbered 1…N ("编号 003 / 共 040 份").
"""
from __future__ import annotations

import os

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from desktop.domain.duty_report import BallotSet, Reporter
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.exports.pdf.document import BuiltPdf, PageLayout, build_pdf, styles
from desktop.exports.pdf.fonts import cjk_fonts, cjk_markup

BOX = "□"
SHADE = colors.Color(0.92, 0.92, 0.92)
NOTE = ("说明：1. 本表不记名，请独立填写；2. 请在每个项目相应等次栏内的“□”中打“√”，"
        "每项只选一个等次，不选或多选的该项不计票；3. 填好后投入票箱。")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(cjk_markup(text, style.fontName), style)


class _Styles:
    def __init__(self) -> None:
        st, f = styles(), cjk_fonts()
        self.title = st.title
        self.sub = ParagraphStyle("dj-ballot-sub", parent=st.subtitle, fontSize=12, leading=16)
        self.info = ParagraphStyle("dj-ballot-info", parent=st.body, fontSize=11.5, leading=17,
                                   spaceAfter=1 * mm)
        self.number = ParagraphStyle("dj-ballot-no", parent=self.info, alignment=TA_RIGHT)
        self.head = ParagraphStyle("dj-ballot-head", parent=st.cell, fontName=f.hei, fontSize=10.5,
                                   leading=13, alignment=TA_CENTER)
        self.cell = ParagraphStyle("dj-ballot-cell", parent=st.cell, fontSize=10.5, leading=13)
        self.box = ParagraphStyle("dj-ballot-box", parent=st.cell, fontSize=13, leading=15,
                                  alignment=TA_CENTER)
        self.caption = ParagraphStyle("dj-ballot-cap", parent=self.head, alignment=0)
        self.small = st.small


def _audience_line(b: BallotSet) -> str:
    if b.audience:
        return f"评议类别：{b.audience}"
    return "评议类别：" + "　".join(f"{BOX}{a.name}" for a in b.template.audiences) + "（请勾选其一）"


def _item_table(b: BallotSet, s: _Styles, width: float, caption: str | None) -> Table:
    t = b.template
    labels = t.rating_labels
    rate_w = min(16 * mm, (width * 0.45) / len(labels))
    group_w = 24 * mm
    widths = [group_w, width - group_w - rate_w * len(labels)] + [rate_w] * len(labels)
    rows: list[list] = []
    cmds = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("BOX", (0, 0), (-1, -1), 1.1, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    if caption is not None:
        rows.append([_p(caption, s.caption)] + [""] * (len(widths) - 1))
        cmds += [("SPAN", (0, 0), (-1, 0))]
    top = len(rows)
    rows.append([_p("类别", s.head), _p("测评项目", s.head)] + [_p(x, s.head) for x in labels])
    cmds.append(("BACKGROUND", (0, top), (-1, top), SHADE))
    start, prev = None, None
    for group, item in t.items:
        r = len(rows)
        rows.append([_p(group, s.cell) if group != prev else "", _p(item, s.cell)]
                    + [_p(BOX, s.box) for _ in labels])
        if group != prev:
            if start is not None and r - 1 > start:
                cmds.append(("SPAN", (0, start), (0, r - 1)))
            start, prev = r, group
    if start is not None and len(rows) - 1 > start:
        cmds.append(("SPAN", (0, start), (0, len(rows) - 1)))
    table = Table(rows, colWidths=widths, repeatRows=0)
    table.setStyle(TableStyle(cmds))
    return table


def _single(b: BallotSet, p: Reporter, i: int, s: _Styles, layout: PageLayout) -> list[Flowable]:
    w = layout.frame_width
    lines = Table([[""]] * 4, colWidths=[w], rowHeights=[9 * mm] * 4)
    lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey)]))
    return [
        _p(f"编号：{b.number(i)}　（共{b.copies}份）", s.number),
        _p("民主测评表", s.title),
        _p(b.title, s.sub),
        _p(f"测评对象：{p.label}", s.info),
        _p(_audience_line(b), s.info),
        Spacer(1, 2 * mm),
        _item_table(b, s, w, None),
        Spacer(1, 3 * mm),
        _p("意见和建议：", s.info),
        lines,
        Spacer(1, 3 * mm),
        _p(NOTE, s.small),
    ]


def _combined(b: BallotSet, i: int, s: _Styles, layout: PageLayout) -> list[Flowable]:
    w = layout.frame_width
    out: list[Flowable] = [
        _p(f"编号：{b.number(i)}　（共{b.copies}份）", s.number),
        _p("民主测评表", s.title),
        _p(b.title, s.sub),
        _p(_audience_line(b), s.info),
        _p(NOTE, s.small),
        Spacer(1, 2 * mm),
    ]
    for n, p in enumerate(b.reporters, start=1):
        caption = f"{n}. 测评对象：{p.label}　　　编号：{b.number(i)}"
        out += [KeepTogether([_item_table(b, s, w, caption)]), Spacer(1, 3 * mm)]
    return out


def write_ballots(path: str | os.PathLike[str], b: BallotSet, *, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> BuiltPdf:
    def story(layout: PageLayout) -> list[Flowable]:
        s = _Styles()
        out: list[Flowable] = []
        people = [None] if b.combined else b.reporters
        total = len(people) * b.copies
        done = 0
        for p in people:
            for i in range(1, b.copies + 1):
                if out:
                    out.append(PageBreak())
                out += _combined(b, i, s, layout) if p is None else _single(b, p, i, s, layout)
                done += 1
                if cancel and done % 20 == 0:
                    cancel.check()
                    progress(done, total, "正在生成测评表…")
        return out

    who = "" if b.combined or len(b.reporters) != 1 else b.reporters[0].name
    return build_pdf(path, story, title=f"{b.title}民主测评表{who}", cancel=cancel, progress=progress)
