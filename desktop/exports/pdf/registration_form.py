"""报到单 with its 回执 (receipt): one A4 page per registration.

Top: the 报到登记表 of an in-service member (name, sex, phone, ID number,
employer and its party organisation, home address and grid, skills, preferred
posts) or of a resident unit (its party organisation, secretary, liaison,
members, 共建协议). Below a cut line: the receipt the community sends back to
the employer's party organisation, with a place for the seal.
"""
from __future__ import annotations

import os
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from desktop.domain.dates import format_date_cn
from desktop.domain.masking import privacy_note
from desktop.domain.registration import RegisteredMember, ResidentUnit, ServicePost
from desktop.exports.pdf.document import PageLayout, build_pdf, para, print_date_line, styles
from desktop.exports.pdf.fonts import cjk_fonts

SHADE = colors.Color(0.93, 0.93, 0.93)
CUT_LINE = "- " * 22 + "（沿此线剪开）" + "- " * 22


def write_registration_form(path: str | os.PathLike[str], reg: RegisteredMember | ResidentUnit,
                            community: str, issued_on: date, masked: bool) -> int:
    """The form for one registration (numbers already masked or not by the caller)."""
    is_unit = isinstance(reg, ResidentUnit)
    kind = "驻区单位党组织" if is_unit else "在职党员"

    def story(layout: PageLayout) -> list[Flowable]:
        st = styles()
        f = cjk_fonts()
        label = ParagraphStyle("dj-rf-label", parent=st.cell, fontName=f.hei, alignment=TA_CENTER)
        body = ParagraphStyle("dj-rf-body", parent=st.body, leading=22)
        right = ParagraphStyle("dj-rf-right", parent=body, alignment=TA_RIGHT)
        w = layout.frame_width
        lw, vw = 29 * mm, w / 2 - 29 * mm
        pairs = _unit_pairs(reg) if is_unit else _member_pairs(reg)
        rows, spans = [], []
        i = 0
        while i < len(pairs):
            (a, av, wide_a) = pairs[i]
            if wide_a or i + 1 >= len(pairs) or pairs[i + 1][2]:
                spans.append(len(rows))
                rows.append([para(a, label), para(av, st.cell), "", ""])
                i += 1
            else:
                b, bv, _ = pairs[i + 1]
                rows.append([para(a, label), para(av, st.cell), para(b, label), para(bv, st.cell)])
                i += 2
        table = Table(rows, colWidths=[lw, vw, lw, vw], rowHeights=None)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BOX", (0, 0), (-1, -1), 1, colors.black),
            ("BACKGROUND", (0, 0), (0, -1), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            *[("SPAN", (1, r), (3, r)) for r in spans],
            *[("BACKGROUND", (2, r), (2, r), SHADE) for r in range(len(rows)) if r not in spans],
        ]))
        employer_org = reg.party_org if is_unit else (reg.employer_org or reg.employer)
        who = f"贵单位党组织" if is_unit else f"贵单位党员{reg.name}同志"
        when = format_date_cn(reg.reported_on)
        receipt = [
            para("回　执", st.title),
            para(f"{employer_org or '＿＿＿＿＿＿'}：", body),
            para(f"　　{who}已于{when}到{community}报到，"
                 f"{'签订共建协议，' if is_unit and reg.agreement_period else ''}"
                 "将按照有关要求参加社区服务活动。社区将定期反馈其服务情况。", body),
            para("　　特此回执。", body),
            Spacer(1, 8 * mm),
            para(f"{community}（盖章）", right),
            para(format_date_cn(issued_on), right),
        ]
        return [para(f"{kind}到社区报到单", st.title),
                para(f"报到社区：{community}", ParagraphStyle("dj-rf-sub", parent=st.subtitle,
                                                          fontSize=12)),
                table, Spacer(1, 4 * mm),
                para("报到人（联络人）签字：＿＿＿＿＿＿　　社区接收人签字：＿＿＿＿＿＿", body),
                Spacer(1, 8 * mm),
                para(CUT_LINE, ParagraphStyle("dj-rf-cut", parent=st.small, alignment=TA_CENTER,
                                              textColor=colors.grey)),
                Spacer(1, 6 * mm), *receipt]

    name = reg.name
    footer = f"{print_date_line(issued_on)}　{privacy_note(masked)}"
    return build_pdf(path, story, title=f"{name}报到单", subject="双报到报到单",
                     footer_left=footer).pages


def _member_pairs(r: RegisteredMember) -> list[tuple[str, str, bool]]:
    posts = "　".join(("■" if p in r.posts else "□") + p.value for p in ServicePost)
    return [("姓　　名", r.name, False), ("性　　别", r.sex, False),
            ("联系电话", r.phone, False), ("报到日期", r.reported_on.isoformat() if r.reported_on else "", False),
            ("身份证号", r.id_number, True),
            ("工作单位", r.employer, True), ("所在党组织", r.employer_org, True),
            ("党组织联系人", r.employer_contact, True),
            ("家庭住址", r.address, True), ("所在网格", r.grid, False), ("特　　长", r.skills, False),
            ("服务岗位意向", posts, True), ("备　　注", r.remarks, True)]


def _unit_pairs(u: ResidentUnit) -> list[tuple[str, str, bool]]:
    return [("单位名称", u.name, True), ("单位党组织", u.party_org, True),
            ("党组织书记", u.secretary, False), ("党员人数", str(u.members_count), False),
            ("联络员", u.liaison, False), ("联络电话", u.liaison_phone, False),
            ("报到日期", u.reported_on.isoformat() if u.reported_on else "", False),
            ("协议期限", u.agreement_period, False),
            ("协议各方", u.agreement_parties, True), ("共建事项", u.agreement_commitments, True),
            ("备　　注", u.remarks, True)]
