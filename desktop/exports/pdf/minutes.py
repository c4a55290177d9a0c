"""会议记录: the minutes of one meeting (or a batch) on A4 portrait, ready to sign.

Layout (domain.md, "三会一课"): the title (meeting kind), the organisation and
month; a header table with 会议主题, 时间, 地点, 主持人, 记录人, 应到/实到, 缺席人员及原因,
列席人员 (and 授课人/课题, 参会单位, 会议有效性 where they apply); the main content
flowing across pages; the resolutions with their votes; remarks; signature lines
for the chair and the recorder. Page numbers are in every footer. Photos, if
asked for, follow as an appendix.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (CondPageBreak, Flowable, Image, KeepTogether, PageBreak,
                                Paragraph, Spacer, Table, TableStyle)

from desktop.domain.meeting import MeetingKind, MeetingStatus, PrintableMeeting, time_range_text
from desktop.domain.meeting_rules import VOTING_KINDS, resolution_outcome, tally
from desktop.domain.member import Category
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.exports.pdf.document import BuiltPdf, PageLayout, build_pdf, styles
from desktop.exports.pdf.fonts import cjk_fonts, cjk_markup

LABEL_WIDTH = 27 * mm
SHADE = colors.Color(0.93, 0.93, 0.93)
_MAX_PARAGRAPH = 600  # characters; longer paragraphs are cut at a sentence end to flow


def write_minutes(path: str | os.PathLike[str], items: Sequence[PrintableMeeting], *,
                  one_per_page: bool = True, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> BuiltPdf:
    """Write the minutes of `items` to `path` (atomically)."""
    cancel = cancel or CancelToken()
    title = (f"{items[0].org_name}{items[0].meeting.title_kind}记录" if len(items) == 1
             else f"{items[0].org_name}会议记录")

    def story(layout: PageLayout) -> list[Flowable]:
        out: list[Flowable] = []
        for i, item in enumerate(items):
            if i:
                out.append(PageBreak() if one_per_page else _separator(layout))
            out.extend(minutes_story(item, layout.frame_width))
            if i % 20 == 0:
                cancel.check()
                progress(i, len(items), "正在排版会议记录…")
        return out

    return build_pdf(path, story, title=title, subject="会议记录", cancel=cancel, progress=None)


def _separator(layout: PageLayout) -> Flowable:
    t = Table([[""]], colWidths=[layout.frame_width], rowHeights=[6 * mm])
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.8, colors.black),
                           ("FONT", (0, 0), (-1, -1), cjk_fonts().body, 10)]))
    return KeepTogether([Spacer(1, 4 * mm), t, Spacer(1, 6 * mm)])


class _Styles:
    def __init__(self) -> None:
        st = styles()
        f = cjk_fonts()
        self.title = ParagraphStyle("dj-min-title", parent=st.title, fontSize=20, leading=28,
                                    spaceAfter=1 * mm)
        self.subtitle = ParagraphStyle("dj-min-sub", parent=st.subtitle, fontSize=12, leading=18,
                                       spaceAfter=4 * mm)
        self.label = ParagraphStyle("dj-min-label", parent=st.cell, fontName=f.hei, fontSize=11,
                                    leading=15, alignment=TA_CENTER)
        self.cell = ParagraphStyle("dj-min-cell", parent=st.cell, fontSize=11, leading=16)
        self.section = ParagraphStyle("dj-min-section", parent=st.body, fontName=f.hei,
                                      fontSize=12, leading=18)
        self.body = ParagraphStyle("dj-min-body", parent=st.body, fontSize=12, leading=22,
                                   firstLineIndent=24, spaceAfter=1 * mm)
        self.small = st.small
        self.sign = ParagraphStyle("dj-min-sign", parent=st.body, fontSize=12, leading=18)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(cjk_markup(text, style.fontName), style)


def minutes_story(item: PrintableMeeting, width: float) -> list[Flowable]:
    """The flowables of one meeting's minutes, `width` points wide."""
    s = _Styles()
    m = item.meeting
    head: list[Flowable] = [_p(f"{m.title_kind}记录", s.title)]
    sub = f"{item.org_name}　{m.start.year}年{m.start.month}月"
    if m.status is MeetingStatus.PLANNED:
        sub += "（计划，尚未召开）"
    elif m.late and m.recorded_on:
        sub += f"（补记，记录于{m.recorded_on.year}年{m.recorded_on.month}月{m.recorded_on.day}日）"
    head += [_p(sub, s.subtitle), _header_table(item, width, s)]
    out: list[Flowable] = [KeepTogether(head), Spacer(1, 5 * mm)]
    out.append(_section_bar("会议主要内容", width, s))
    out.append(Spacer(1, 2 * mm))
    paragraphs = [line.strip() for line in (m.content or "").splitlines() if line.strip()]
    if not paragraphs:
        paragraphs = ["（无）"]
    for text in paragraphs:
        for piece in _cut(text):
            out.append(_p(piece, s.body))
    if m.resolutions:
        out.append(CondPageBreak(30 * mm))
        out.append(Spacer(1, 3 * mm))
        out.append(_section_bar("决议事项及表决情况", width, s))
        out.extend(_resolutions_table(item, width, s))
    if m.remarks.strip():
        out.append(Spacer(1, 3 * mm))
        out.append(_p(f"备注：{m.remarks.strip()}", s.cell))
    out.append(Spacer(1, 10 * mm))
    out.append(_signatures(width, s))
    if item.photos:
        out.extend(_photo_appendix(item, width, s))
    return out


def _cut(text: str) -> list[str]:
    """A very long paragraph in pieces ending at a sentence end, so it can flow over pages."""
    if len(text) <= _MAX_PARAGRAPH:
        return [text]
    pieces, rest = [], text
    while len(rest) > _MAX_PARAGRAPH:
        cut = max(rest.rfind(ch, 0, _MAX_PARAGRAPH) for ch in "。！？；")
        cut = cut + 1 if cut > _MAX_PARAGRAPH // 3 else _MAX_PARAGRAPH
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def _section_bar(text: str, width: float, s: _Styles) -> Table:
    t = Table([[_p(text, s.section)]], colWidths=[width])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), cjk_fonts().body, 12),
                           ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                           ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                           ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                           ("LEFTPADDING", (0, 0), (-1, -1), 6)]))
    return t


def _people(n: int, voters: int, kind: MeetingKind) -> str:
    if kind in VOTING_KINDS or voters != n:
        return f"{n}人（其中有表决权{voters}人）"
    return f"{n}人"


def _header_table(item: PrintableMeeting, width: float, s: _Styles) -> Table:
    m = item.meeting
    t = tally(m)
    half = (width - 2 * LABEL_WIDTH) / 2
    rows: list[list] = []
    spans: list[int] = []  # indices of rows whose value spans three columns

    def wide(label: str, value: str) -> None:
        spans.append(len(rows))
        rows.append([_p(label, s.label), _p(value or "—", s.cell), "", ""])

    def pair(l1: str, v1: str, l2: str, v2: str) -> None:
        rows.append([_p(l1, s.label), _p(v1 or "—", s.cell), _p(l2, s.label), _p(v2 or "—", s.cell)])

    topics = [x for x in m.topics if x.strip()]
    if len(topics) > 1:
        topic_text = "\n".join(f"{i}. {x}" for i, x in enumerate(topics, start=1))
    else:
        topic_text = topics[0] if topics else m.lecture_title
    wide("会议主题", topic_text)
    wide("会议时间", time_range_text(m.start, m.end))
    wide("会议地点", m.place)
    pair("主 持 人", m.host_name, "记 录 人", m.recorder_name)
    if m.kind is MeetingKind.LECTURE:
        pair("授 课 人", m.lecturer, "课　　题", m.lecture_title)
    planned = m.status is MeetingStatus.PLANNED
    if m.kind is MeetingKind.JOINT:
        units = [f"{u.unit}（{u.representative}{'，' + u.role if u.role else ''}）" if u.representative
                 else u.unit for u in m.units if u.present]
        pair("应到单位", f"{t.expected}个", "实到单位", "" if planned else f"{t.present}个")
        wide("参会单位及代表", "、".join(units))
        absent_units = [u.unit for u in m.units if not u.present]
        wide("缺席单位", "、".join(absent_units) or "无")
    else:
        pair("应到人数", _people(t.expected, t.voters_expected, m.kind),
             "实到人数", "" if planned else _people(t.present, t.voters_present, m.kind))
        if not planned:
            wide("缺席人员\n及原因", "、".join(a.absence_text() for a in m.absent) or "无")
            present = [a.name + ("（预备党员）" if a.category is Category.PROBATIONARY else "")
                       for a in m.present]
            wide("出席人员", "、".join(present))
    wide("列席人员", "、".join(g.text() for g in m.guests) or "无")
    if t.valid is not None and not planned:
        wide("会议有效性", t.verdict())
    table = Table(rows, colWidths=[LABEL_WIDTH, half, LABEL_WIDTH, half], repeatRows=0)
    style = [
        ("FONT", (0, 0), (-1, -1), cjk_fonts().body, 11),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    for r in range(len(rows)):
        if r in spans:
            style.append(("SPAN", (1, r), (3, r)))
        else:
            style.append(("BACKGROUND", (2, r), (2, r), SHADE))
    table.setStyle(TableStyle(style))
    return table


def _resolutions_table(item: PrintableMeeting, width: float, s: _Styles) -> list[Flowable]:
    m = item.meeting
    t = tally(m)
    voting = m.kind in VOTING_KINDS
    result_w = 22 * mm if voting else 0
    count_w = 13 * mm
    seq_w = 13 * mm
    text_w = width - seq_w - 3 * count_w - result_w
    header = ["序号", "决议内容", "赞成", "反对", "弃权"] + (["表决结果"] if voting else [])
    rows: list[list] = [[_p(h, s.label) for h in header]]
    reasons = []
    for i, r in enumerate(m.resolutions):
        row = [_p(str(i + 1), s.label), _p(r.text + ("（选举）" if r.election else ""), s.cell),
               _p(str(r.yes), s.label), _p(str(r.no), s.label), _p(str(r.abstain), s.label)]
        if voting:
            outcome = resolution_outcome(m, i, t)
            row.append(_p("通过" if outcome.passed else "未通过", s.label))
            if not outcome.passed and "须达" not in outcome.text:
                reasons.append(f"第{i + 1}项{outcome.text}")
        rows.append(row)
    widths = [seq_w, text_w, count_w, count_w, count_w] + ([result_w] if voting else [])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), cjk_fonts().body, 11),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    out: list[Flowable] = [table]
    if voting:
        note = (f"注：有表决权的党员应到{t.voters_expected}人，赞成票超过其半数（至少"
                f"{t.voters_expected // 2 + 1}票）为通过。")
        if reasons:
            note += "；".join(reasons) + "。"
        out += [Spacer(1, 1.5 * mm), _p(note, s.small)]
    return out


def _signatures(width: float, s: _Styles) -> Flowable:
    line = "＿" * 9
    row = [_p(f"主持人（签字）：{line}", s.sign), _p(f"记录人（签字）：{line}", s.sign)]
    day = "日　　期：＿＿＿＿年＿＿月＿＿日"
    dates = [_p(day, s.sign), _p(day, s.sign)]
    t = Table([row, dates], colWidths=[width / 2, width / 2])
    t.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 6), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("FONT", (0, 0), (-1, -1), cjk_fonts().body, 12)]))
    return KeepTogether([t])


def _photo_appendix(item: PrintableMeeting, width: float, s: _Styles) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), _p(f"附：{item.meeting.title_kind}照片", s.title),
                           _p(f"{item.org_name}　{time_range_text(item.meeting.start, item.meeting.end)}",
                              s.subtitle)]
    max_h = 105 * mm
    for caption, path in item.photos:
        try:
            w, h = ImageReader(path).getSize()
        except Exception:  # an unreadable file: name it instead of failing the whole PDF
            out.append(_p(f"（无法读取照片：{os.path.basename(path)}）", s.cell))
            continue
        ratio = min(width / w, max_h / h)
        img = Image(path, w * ratio, h * ratio)
        cap = ParagraphStyle("dj-min-caption", parent=s.cell, alignment=TA_CENTER)
        out.append(KeepTogether([img, Spacer(1, 2 * mm), _p(caption, cap), Spacer(1, 5 * mm)]))
    return out

