"""The page machinery every PDF form shares.

A form module builds a list of flowables (or a function that builds it from
the page geometry) and hands it to :func:`build_pdf`, which

- lays it out on A4 (portrait or landscape) with the form margins,
- puts "第 X 页 / 共 Y 页" in every footer (two passes over the drawn pages,
  not two layout passes), an optional left footer (打印日期, a privacy note)
  and an optional header line,
- embeds the Chinese fonts of :func:`~desktop.exports.pdf.fonts.cjk_fonts`,
- checks the cancel token and reports progress while it works,
- writes through :func:`~desktop.exports.atomic.atomic_write`.

Long tables go through :func:`chunked_table`, which keeps layout time linear
in the number of rows (a single ReportLab Table split over hundreds of pages
gets quadratically slow).

Example::

    def story(layout: PageLayout) -> list[Flowable]:
        st = styles()
        return [para("党员名册", st.title),
                *chunked_table(["姓名", "性别"], rows, [60 * mm, 20 * mm], cancel=cancel)]

    build_pdf(path, story, title="党员名册", orientation="landscape",
              footer_left=print_date_line(date.today()), cancel=cancel)
"""
from __future__ import annotations

import datetime as _dt
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desktop.config import APP_TITLE
from desktop.domain.tasks import CancelToken, Progress
from desktop.exports.atomic import atomic_write
from desktop.exports.pdf.fonts import PdfFonts, cjk_fonts, cjk_markup, covers

Orientation = Literal["portrait", "landscape"]


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres. The defaults are the form margins (left = binding)."""

    top: float = 20
    bottom: float = 18
    left: float = 20
    right: float = 15


FORM_MARGINS = Margins()


@dataclass(frozen=True)
class PageLayout:
    """Page and text-frame size in points, handed to a story-building callable."""

    orientation: Orientation
    margins: Margins
    page_width: float
    page_height: float

    @property
    def frame_width(self) -> float:
        return self.page_width - (self.margins.left + self.margins.right) * mm

    @property
    def frame_height(self) -> float:
        return self.page_height - (self.margins.top + self.margins.bottom) * mm


def page_layout(orientation: Orientation = "portrait", margins: Margins | None = None) -> PageLayout:
    if orientation not in ("portrait", "landscape"):
        raise ValueError(f"orientation must be 'portrait' or 'landscape', not {orientation!r}")
    size = landscape(A4) if orientation == "landscape" else portrait(A4)
    return PageLayout(orientation, margins or FORM_MARGINS, size[0], size[1])


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class PdfStyles:
    """Paragraph styles in the Chinese fonts, all with CJK line breaking."""

    title: ParagraphStyle  # form title, 20 pt (close to 二号 22 pt)
    subtitle: ParagraphStyle  # 14 pt (四号), centred, e.g. the organisation and year
    body: ParagraphStyle  # 12 pt (小四)
    cell: ParagraphStyle  # 10.5 pt (五号), table cells
    cell_header: ParagraphStyle  # 10.5 pt 黑体, centred, table header cells
    small: ParagraphStyle  # 9 pt (小五), notes under a table


def styles() -> PdfStyles:
    """The shared Paragraph styles (built once per font choice)."""
    return _styles(cjk_fonts())


@functools.lru_cache(maxsize=None)
def _styles(f: PdfFonts) -> PdfStyles:
    def style(name: str, font: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                              wordWrap="CJK", **kw)

    return PdfStyles(
        title=style("dj-title", f.title, 20, 28, alignment=TA_CENTER, spaceAfter=4 * mm),
        subtitle=style("dj-subtitle", f.body, 14, 20, alignment=TA_CENTER, spaceAfter=3 * mm),
        body=style("dj-body", f.body, 12, 19, alignment=TA_LEFT, spaceAfter=2 * mm),
        cell=style("dj-cell", f.body, 10.5, 13.5),
        cell_header=style("dj-cell-header", f.hei, 10.5, 13.5, alignment=TA_CENTER),
        small=style("dj-small", f.body, 9, 12),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (not markup): escaped, with missing glyphs from the fallback font."""
    return Paragraph(cjk_markup(text, style.fontName), style)


def print_date_line(day: _dt.date | None = None) -> str:
    """打印日期：2026年11月22日 — for `footer_left`."""
    day = day or _dt.date.today()
    return f"打印日期：{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------- build


@dataclass(frozen=True)
class BuiltPdf:
    path: Path
    pages: int


Story = Sequence[Flowable] | Callable[[PageLayout], Iterable[Flowable]]

FOOTER_SIZE = 9  # pt
HEADER_SIZE = 9


def build_pdf(
    path: str | os.PathLike[str],
    story_or_callable: Story,
    *,
    title: str,
    orientation: Orientation = "portrait",
    margins: Margins | None = None,
    header_text: str | None = None,
    footer_left: str | None = None,
    author: str = APP_TITLE,
    subject: str | None = None,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
) -> BuiltPdf:
    """Lay out the story on A4 and write it atomically to `path`.

    `story_or_callable` is a list of flowables, or a function that receives
    the :class:`PageLayout` (to size tables to ``frame_width``) and returns
    them. Every page gets "第 X 页 / 共 Y 页" at the right of the footer,
    `footer_left` at its left and `header_text` above a thin rule at the top.
    Raises :class:`~desktop.domain.tasks.Cancelled` (leaving no file) if
    `cancel` is set. `progress(page, 0, message)` is called after each page
    (total 0: not known yet) and `progress(pages, pages, …)` at the end; a
    :func:`chunked_table` can report finer progress in rows.
    """
    layout = page_layout(orientation, margins)
    fonts = cjk_fonts()
    if cancel:
        cancel.check()
    story = list(story_or_callable(layout) if callable(story_or_callable) else story_or_callable)
    if cancel:
        cancel.check()

    canvas_class = _numbered_canvas(layout, fonts, header_text, footer_left)
    with atomic_write(path, suffix=".pdf") as tmp:
        m = layout.margins
        doc = _Doc(
            str(tmp),
            pagesize=(layout.page_width, layout.page_height),
            topMargin=m.top * mm,
            bottomMargin=m.bottom * mm,
            leftMargin=m.left * mm,
            rightMargin=m.right * mm,
            title=title,
            author=author,
            subject=subject or title,
            creator=APP_TITLE,
            lang="zh-CN",
            displayDocTitle=True,
            initialFontName=fonts.body,
        )
        doc.watch(cancel, progress)
        doc.build(story, canvasmaker=canvas_class)
        pages = doc.page
    if progress:
        progress(pages, pages, "PDF 已生成")
    return BuiltPdf(Path(path), pages)


class _Doc(SimpleDocTemplate):
    """Checks the cancel token after every flowable and page, and reports pages done."""

    def watch(self, cancel: CancelToken | None, progress: Progress | None) -> None:
        self._dj_cancel = cancel
        self._dj_progress = progress

    def afterFlowable(self, flowable: Flowable) -> None:
        if self._dj_cancel:
            self._dj_cancel.check()

    def afterPage(self) -> None:
        if self._dj_cancel:
            self._dj_cancel.check()
        if self._dj_progress:  # the page count is not known until the end: total 0
            self._dj_progress(self.page, 0, f"正在排版第 {self.page} 页")


def _numbered_canvas(layout: PageLayout, fonts: PdfFonts, header_text: str | None,
                     footer_left: str | None) -> type[Canvas]:
    """A Canvas that holds the drawn pages back until it knows how many there are."""
    m = layout.margins
    left_x = m.left * mm
    right_x = layout.page_width - m.right * mm
    footer_y = max(m.bottom * mm - 10 * mm, 5 * mm)
    header_y = layout.page_height - m.top * mm + 4 * mm

    def draw_text(c: Canvas, x: float, y: float, text: str, size: float, *, right: bool = False) -> None:
        # Characters the body font lacks (〇, rare name characters) come from the fallback font.
        font = fonts.body if covers(fonts.body, text) else fonts.fallback
        if right:
            c.setFont(font, size)
            c.drawRightString(x, y, text)
        else:
            c.setFont(font, size)
            c.drawString(x, y, text)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._dj_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._dj_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._dj_pages)
            for number, state in enumerate(self._dj_pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            self.saveState()
            self.setFillColor(colors.black)
            draw_text(self, right_x, footer_y, f"第 {number} 页 / 共 {total} 页", FOOTER_SIZE, right=True)
            if footer_left:
                draw_text(self, left_x, footer_y, footer_left, FOOTER_SIZE)
            if header_text:
                draw_text(self, left_x, header_y, header_text, HEADER_SIZE)
                self.setLineWidth(0.5)
                self.line(left_x, header_y - 1.5 * mm, right_x, header_y - 1.5 * mm)
            self.restoreState()

    return NumberedCanvas


# --------------------------------------------------------------------------- tables

CELL_PADDING = 3  # pt, left/right; top/bottom is 2


def table_style(fonts: PdfFonts | None = None, *, font_size: float = 10.5) -> TableStyle:
    """Grid, grey header row, middle alignment; plain-string cells in the body font."""
    f = fonts or cjk_fonts()
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), f.body, font_size, font_size * 1.25),
        ("FONT", (0, 0), (-1, 0), f.hei, font_size, font_size * 1.25),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])


def chunked_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    chunk: int = 200,
    caption: str | None = None,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
) -> list[Flowable]:
    """A long table whose layout time grows linearly with the number of rows.

    `col_widths` are in points (``25 * mm``); their sum should not exceed
    :attr:`PageLayout.frame_width`. Returns a list of flowables to put in a story.

    How: rows are read now (checking `cancel` every `chunk` rows); at layout
    time each page gets its own small Table of the header plus the rows that
    fit, measured from at most about `chunk` candidate rows. So the header
    appears at the top of every page and nowhere else, and no Table ever
    holds more than a page's worth of work. `cancel` is checked and
    `progress(rows_done, rows_total, message)` called once per page.

    `caption`, if given, is a line across the whole table above the header
    (in 黑体, left-aligned, e.g. a branch name), repeated with the header on
    every page, so a page that continues the table still says whose rows
    these are.

    Cells: None → empty; a Flowable is used as is; anything else becomes text.
    A single row taller than a page cannot be split and makes ReportLab raise
    LayoutError; keep cells to a few lines.

    Text is kept as a plain string (about ten times cheaper to lay out than a
    Paragraph) when it is one line, fits the column, and the body font has
    every glyph; otherwise it becomes a Paragraph in ``styles().cell``, which
    wraps Chinese correctly and takes missing glyphs from the fallback font.
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    fonts = cjk_fonts()
    st = styles()
    data: list[Sequence[Any]] = []
    for row in rows:
        data.append(row)
        if cancel and len(data) % chunk == 0:
            cancel.check()
    if cancel:
        cancel.check()
    head = [[Paragraph(cjk_markup(str(h), st.cell_header.fontName), st.cell_header) for h in header]]
    style = table_style(fonts, font_size=st.cell.fontSize)
    if caption is not None:
        caption_style = ParagraphStyle("dj-cell-caption", parent=st.cell_header, alignment=TA_LEFT)
        head.insert(0, [Paragraph(cjk_markup(caption, caption_style.fontName), caption_style)]
                    + [""] * (len(header) - 1))
        style = TableStyle(style.getCommands() + [
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), colors.white),
            ("BACKGROUND", (0, 1), (-1, 1), colors.Color(0.88, 0.88, 0.88)),
        ])
    feed = _RowFeed(data, list(col_widths), fonts, st.cell, style)
    return [
        _PagedTable(head, feed, 0, chunk=chunk, hint=chunk, cancel=cancel, progress=progress),
        Spacer(1, 2 * mm),  # keep a note under the table off its bottom rule
    ]


class _RowFeed:
    """The rows of one long table, converted to cells on first use (and kept)."""

    def __init__(self, raw: list[Sequence[Any]], col_widths: list[float], fonts: PdfFonts,
                 cell_style: ParagraphStyle, style: TableStyle) -> None:
        self.raw = raw
        self.cells: list[list[Any] | None] = [None] * len(raw)
        self.col_widths = col_widths
        self.fonts = fonts
        self.cell_style = cell_style
        self.style = style

    def __len__(self) -> int:
        return len(self.raw)

    def forget(self, start: int, stop: int) -> None:
        """Drop converted cells of rows already placed on a page (memory for 20,000 rows)."""
        for i in range(start, stop):
            self.cells[i] = None

    def row(self, i: int) -> list[Any]:
        row = self.cells[i]
        if row is None:
            row = self.cells[i] = [self._cell(v, w) for v, w in zip(self.raw[i], self.col_widths)]
        return row

    def _cell(self, value: Any, width: float) -> Any:
        if value is None:
            return ""
        if isinstance(value, Flowable):
            return value
        text = str(value)
        st = self.cell_style
        if ("\n" not in text and covers(self.fonts.body, text)
                and stringWidth(text, self.fonts.body, st.fontSize) <= width - 2 * CELL_PADDING):
            return text
        return Paragraph(cjk_markup(text, st.fontName, fallback=self.fonts.fallback), st)


class _PagedTable(Flowable):
    """Rows [start:] of a long table; lays out one page-sized Table at a time."""

    def __init__(self, header: list[list[Any]], feed: _RowFeed, start: int, *, chunk: int, hint: int,
                 cancel: CancelToken | None, progress: Progress | None) -> None:
        super().__init__()
        self.header = header  # the rows repeated on every page: [caption,] column names
        self.feed = feed
        self.start = start
        self.chunk = chunk
        self.hint = max(1, hint)  # how many rows to measure for this page (grown if too few)
        self.cancel = cancel
        self.progress = progress
        self._table: Table | None = None
        self._table_width = 0.0
        self._table_height = 0.0
        self._table_size = (0.0, 0.0)
        self._rows_in_table = 0

    def _candidate(self, avail_width: float, avail_height: float) -> Table:
        """A Table of the header and enough rows to overflow `avail_height` (or all rows).

        Up to `chunk` remaining rows are measured whole, in one Table, as
        ReportLab itself would. A longer table starts small, so probing the last
        few centimetres of a page is cheap, then tries the hint (about one page)
        and doubles from there; its continuations start with the hint.
        """
        remaining = len(self.feed) - self.start
        if (self._table is not None and self._table_width == avail_width
                and (self._table_height > avail_height or self._rows_in_table >= remaining)):
            return self._table
        if remaining <= self.chunk:  # a short table (or the end of one): measured whole
            n = remaining
        elif self.start > 0:  # a continuation starts at the top of a page: try the hint
            n = min(self.hint, remaining)
        else:
            n = min(8, self.hint, remaining)
        while True:
            rows = self.header + [self.feed.row(i) for i in range(self.start, self.start + n)]
            table = Table(rows, colWidths=self.feed.col_widths, repeatRows=len(self.header),
                          style=self.feed.style)
            w, h = table.wrap(avail_width, avail_height)
            if h > avail_height or n >= remaining:
                break
            n = min(max(self.hint, n * 2), remaining)
        self._table, self._table_width, self._table_height = table, avail_width, h
        self._table_size = (w, h)
        self._rows_in_table = n
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._candidate(availWidth, availHeight)
        self.width, self.height = self._table_size
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        table = self._candidate(availWidth, availHeight)
        parts = table.split(availWidth, availHeight)
        if not parts:
            return []  # not even the header and one row fit: the frame moves on
        first = parts[0]
        # Table keeps its row count in _nrows (stable across ReportLab 3-5); minus the header.
        fitted = first._nrows - len(self.header) if len(parts) > 1 else self._rows_in_table
        if fitted < 1:
            return []
        done = self.start + fitted
        self.feed.forget(self.start, done)  # laid out: `first` holds what it needs
        if self.cancel:
            self.cancel.check()
        if self.progress:
            self.progress(done, len(self.feed), f"正在排版表格：{done} / {len(self.feed)} 行")
        if done >= len(self.feed):
            return [first]
        hint = min(max(fitted + fitted // 2 + 2, 8), max(self.chunk, fitted + 2))
        rest = _PagedTable(self.header, self.feed, done, chunk=self.chunk, hint=hint,
                           cancel=self.cancel, progress=self.progress)
        return [first, rest]

    def draw(self) -> None:
        # Only reached when all remaining rows fit where the frame put us.
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)
        if self.progress:
            self.progress(len(self.feed), len(self.feed), "表格排版完成")
