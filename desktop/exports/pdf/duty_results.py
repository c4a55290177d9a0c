"""述职评议结果汇总表 as a PDF (A4 landscape).

First the summary: one row per secretary with, per audience, 参评 (returned/entitled
and %) and the score, then combined each rating's count and %, the weighted score,
the grade and the rank. Then a page per secretary: the item detail of every audience
and the 整改清单. Columns and values come from domain/duty_report_results.py, the
same the .xlsx prints.
"""
from __future__ import annotations

import os
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from desktop.domain.dates import format_date_cn
from desktop.domain.duty_report_results import (FIX_HEADER, RoundResults, SecretaryResult,
                                                audience_line, detail_rows, method_note,
                                                percent_text, score_text, secretary_line)
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.exports.pdf.document import (BuiltPdf, Margins, PageLayout, build_pdf, chunked_table,
                                          para, print_date_line, styles)

MARGINS = Margins(top=16, bottom=16, left=15, right=12)


def _count(c: int, pc: float | None) -> str:
    return f"{c}（{percent_text(pc)}）" if pc is not None else str(c)


def _summary_table(results: RoundResults, layout: PageLayout, cancel, progress) -> list[Flowable]:
    t = results.template
    header = ["序号", "姓名", "组织及职务"]
    for a in t.audiences:
        header += [f"{a.name}（{a.weight:g}%）参评", f"{a.name}得分"]
    header += [f"综合{r}" for r in t.rating_labels] + ["加权得分", "等次", "排名"]
    rows = []
    for i, s in enumerate(results.secretaries, start=1):
        p = s.reporter
        row: list = [str(i), p.name, f"{p.org_name}{p.post}"]
        for a in s.audiences:
            part = percent_text(a.participation)
            row += [f"{a.returned}/{a.entitled}" + (f"（{part}）" if part else ""), score_text(a.score)]
        row += [_count(c, pc) for c, pc in zip(s.counts, s.percents)]
        row += [score_text(s.score), s.grade, str(s.rank or "")]
        rows.append(row)
    fixed = [10 * mm, 16 * mm] + [27 * mm, 14 * mm] * len(t.audiences)
    fixed += [20 * mm] * len(t.ratings) + [15 * mm, 13 * mm, 11 * mm]
    rest = max(30 * mm, layout.frame_width - sum(fixed))
    widths = fixed[:2] + [rest] + fixed[2:]
    return chunked_table(header, rows, widths, cancel=cancel, progress=progress)


def _secretary(results: RoundResults, s: SecretaryResult, layout: PageLayout) -> list[Flowable]:
    st = styles()
    t = results.template
    header = ["评议类别", "类别", "测评项目"]
    header += t.rating_labels + ["得分"]
    rows = []
    for values in detail_rows(s):
        lead, rest = values[:3], values[3:-1]
        cells = [_count(rest[k], rest[k + 1]) for k in range(0, len(rest), 2)]
        rows.append(lead + cells + [score_text(values[-1])])
    n = len(t.ratings)
    fixed = [26 * mm, 24 * mm] + [24 * mm] * n + [16 * mm]
    widths = fixed[:2] + [max(40 * mm, layout.frame_width - sum(fixed))] + fixed[2:]
    out: list[Flowable] = [
        para(f"{s.reporter.label}述职评议测评明细", st.subtitle),
        para(f"{secretary_line(s)}　　各等次栏为票数（占收回测评表的比例）", st.body),
        *chunked_table(header, rows, widths),
    ]
    out += [para(audience_line(a), st.small) for a in s.audiences]
    out += [CondPageBreak(45 * mm), para("整改清单", st.subtitle)]
    fixes = [[str(i), f.problem, f.measure, f.due.isoformat() if f.due else "",
              str(f.round_year or ""), f.state_text] for i, f in enumerate(s.fixes, start=1)]
    if fixes:
        fw = [10 * mm, 0, 0, 24 * mm, 18 * mm, 16 * mm]
        free = (layout.frame_width - sum(fw)) / 2
        fw[1] = fw[2] = free
        out += chunked_table(FIX_HEADER, fixes, fw)
    else:
        out.append(para("（无）", st.body))
    return out


def write_duty_results_pdf(path: str | os.PathLike[str], results: RoundResults, today: date, *,
                           cancel: CancelToken | None = None,
                           progress: Progress = no_progress) -> BuiltPdf:
    def story(layout: PageLayout) -> list[Flowable]:
        st = styles()
        out: list[Flowable] = [
            para(results.title, st.title),
            para(f"统计日期：{format_date_cn(today)}　　各等次栏为票数（占收回测评表的比例）", st.body),
            *_summary_table(results, layout, cancel, progress),
            para(method_note(results.template), st.small),
        ]
        for s in results.secretaries:
            if cancel:
                cancel.check()
            out.append(PageBreak())
            out += _secretary(results, s, layout)
        return out

    return build_pdf(path, story, title=results.title, orientation="landscape", margins=MARGINS,
                     footer_left=print_date_line(today), cancel=cancel, progress=progress)
