"""三会一课 outputs on a demo street, beside the raw libraries doing the same drawing/writing.

    python benchmarks/bench_meetings.py [--members 2400] [--meetings 300] [--db PATH]

Goals (issue #4):
- a year of minutes for a street (300 meetings, one PDF) within 1.5x of ReportLab
  laying out and drawing the same pages from meetings already in memory (no database,
  no page numbering pass, no atomic write);
- the ledger for 60 branches (.xlsx) within 1.3x of openpyxl's write-only mode
  writing the same cells (values and their styles, merges, widths and print setup,
  as the roster export's baseline does; no database, no shaping, no atomic write).
The default 2,400 demo members make 60 branches.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import report  # noqa: E402

from desktop.domain.meeting import MeetingStatus  # noqa: E402
from desktop.services.workspace import open_workspace  # noqa: E402


def best_of(fn, n=3) -> float:
    """The least CPU time of n runs (this process's user + system time: steadier than the
    wall clock on a shared machine; the work is single-threaded and CPU-bound)."""
    times = []
    for _ in range(n):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def ensure_db(path: Path, members: int, today: date) -> None:
    if path.exists():
        return
    from desktop.services.demo import DemoGenerator

    ws = open_workspace(path, backup=False)
    print(f"generating {members} demo members and their meetings into {path} …", file=sys.stderr)
    DemoGenerator(ws.db, today=today).run(members)
    ws.close()


def raw_minutes(items, target: Path) -> None:
    """ReportLab alone: the same flowables on the same A4 frame, one meeting per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    from desktop.exports.pdf.document import FORM_MARGINS, page_layout
    from desktop.exports.pdf.minutes import minutes_story

    width = page_layout().frame_width
    story = []
    for i, item in enumerate(items):
        if i:
            story.append(PageBreak())
        story.extend(minutes_story(item, width))
    m = FORM_MARGINS
    doc = SimpleDocTemplate(str(target), pagesize=A4, topMargin=m.top * mm, bottomMargin=m.bottom * mm,
                            leftMargin=m.left * mm, rightMargin=m.right * mm)
    doc.build(story)


def ledger_cells(ledger) -> list[tuple[str, list[list]]]:
    """(sheet title, rows) with exactly the cells our workbook holds: each a value, or
    (value, style name) where ours carries a style."""
    from desktop.exports.xlsx.ledger import SHEET_HEADER, SUMMARY_HEADER

    def frame(title: str, header: list[str]) -> list[list]:
        return [[(title, "title")], [("info", "info")], [(h, "header") for h in header]]

    sheets = [("汇总", frame(ledger.title, SUMMARY_HEADER) + [
        [r.parent_name, r.org_name, r.kind.value]
        + [v for q in r.quarters for v in (q.held, q.required)]
        + [r.held, r.required, (r.missing, "alert") if r.missing else 0, r.late,
           r.expected_people, r.present_people, (r.rate, "percent") if r.rate is not None else None]
        for r in ledger.summary])]
    for s in ledger.sheets:
        rows = frame(s.org_name, SHEET_HEADER)
        for i, m in enumerate(s.meetings, start=1):
            planned = m.status_text == "计划"
            rows.append([i, m.day, m.time_text.split(" ", 1)[-1], m.kind_text,
                         (m.topic, "text") if m.topic else None, m.place or None, m.host or None,
                         m.recorder or None, None if planned else m.expected,
                         None if planned else m.present,
                         None if planned or m.rate is None else (m.rate, "percent"),
                         (m.absent_text, "text") if m.absent_text else None, m.valid_text or None,
                         ("补记", "alert") if m.status_text == "补记" else m.status_text])
        sheets.append((s.org_name[:31], rows))
    return sheets


def _raw_styles(wb) -> dict:
    """The ledger's styles, each made once as a template style array (openpyxl's fastest way)."""
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="宋体", size=10)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    probe = wb.create_sheet("_styles")

    def make(font, align, border=None, fmt=None, fill=None):
        c = Cell(probe)
        c.font, c.alignment = font, align
        if border is not None:
            c.border = border
        if fill is not None:
            c.fill = fill
        if fmt:
            c.number_format = fmt
        return c._style

    styles = {
        "title": make(Font(name="宋体", size=16, bold=True), Alignment(horizontal="center", vertical="center")),
        "info": make(body, Alignment(horizontal="left", vertical="center")),
        "header": make(Font(name="宋体", size=10, bold=True), centre, border,
                       fill=PatternFill("solid", fgColor="D9D9D9")),
        "text": make(body, Alignment(horizontal="left", vertical="center", wrap_text=True)),
        "alert": make(Font(name="宋体", size=10, color="C00000", bold=True),
                      Alignment(horizontal="center", vertical="center")),
        "percent": make(body, Alignment(horizontal="center", vertical="center"), fmt="0.0%"),
    }
    wb.remove(probe)
    return styles


def raw_ledger(sheets, target: Path) -> None:
    """openpyxl write-only writing the same cells with the same styles, merges, column
    widths and print setup as ours (no database, no shaping, no atomic write)."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook(write_only=True)
    styles = _raw_styles(wb)
    used = set()
    for title, rows in sheets:
        while title in used:
            title = title[:28] + "(2)"
        used.add(title)
        ws = wb.create_sheet(title)
        width = len(rows[2])
        last = get_column_letter(width)
        ws.freeze_panes = "A4"
        for i in range(1, width + 1):
            ws.column_dimensions[get_column_letter(i)].width = 10
        ws.merged_cells.add(f"A1:{last}1")
        ws.merged_cells.add(f"A2:{last}2")
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = "3:3"
        ws.print_options.gridLines = True
        for row in rows:
            ws.append([Cell(ws, 1, 1, v[0], styles[v[1]]) if isinstance(v, tuple) else v
                       for v in row])
    wb.save(target)


def main() -> None:  # noqa: PLR0915
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=2400)
    ap.add_argument("--meetings", type=int, default=300)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    today = date(2026, 11, 22)
    path = args.db or Path(tempfile.gettempdir()) / f"dangjian-bench-meetings-{args.members}.sqlite3"
    ensure_db(path, args.members, today)
    ws = open_workspace(path, backup=False)
    ms = ws.meetings
    out = Path(tempfile.mkdtemp(prefix="dangjian-bench-"))
    year = today.year
    held = [m.id for m in ms.list(None, year) if m.status is MeetingStatus.HELD]
    ids = held[: args.meetings]
    branches = sum(1 for n in ws.orgs.nodes() if n.kind.value == "党支部")
    print(f"database: {path.name}, {branches} branches, {len(held)} held meetings in {year}")

    ours_pdf = best_of(lambda: ms.export_minutes(out / "ours.pdf", ids))
    items = ms.printable(ids)
    theirs_pdf = best_of(lambda: raw_minutes(items, out / "raw.pdf"))
    pages = ms.export_minutes(out / "ours.pdf", ids)
    print(f"minutes, {len(ids)} meetings, {pages} pages: ours {ours_pdf:.2f} s, "
          f"ReportLab alone {theirs_pdf:.2f} s, ratio {ours_pdf / theirs_pdf:.2f} (goal ≤ 1.5)")
    report.row("minutes PDF (CPU time)", f"{len(ids)} meetings", ours_pdf, theirs_pdf, "≤ 1.5×",
               "ReportLab")

    ours_x = best_of(lambda: ms.export_ledger(out / "ours.xlsx", year, today))
    ledger = ms.ledger(year, today)
    cells = ledger_cells(ledger)
    n_cells = sum(len(r) for _, rows in cells for r in rows)
    theirs_x = best_of(lambda: raw_ledger(cells, out / "raw.xlsx"))
    print(f"ledger .xlsx, {len(ledger.sheets)} organisations, {n_cells} cells: ours {ours_x:.2f} s, "
          f"openpyxl write-only {theirs_x:.2f} s, ratio {ours_x / theirs_x:.2f} (goal ≤ 1.3)")
    report.row("ledger .xlsx (CPU time)", f"{len(ledger.sheets)} organisations", ours_x, theirs_x,
               "≤ 1.3×", "openpyxl write_only")
    ours_lp = best_of(lambda: ms.export_ledger(out / "ours.pdf", year, today))
    print(f"ledger .pdf (summary, {len(ledger.summary)} rows): {ours_lp:.2f} s")
    report.row("ledger .pdf (CPU time)", f"{len(ledger.summary)} rows", ours_lp, None, "", "")
    ws.close()


if __name__ == "__main__":
    main()
