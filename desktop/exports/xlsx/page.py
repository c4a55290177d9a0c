"""The print setup every exported sheet shares: A4 landscape, every column on one page
width, as many pages down as needed, the header rows repeated, page X / Y below."""
from __future__ import annotations

from openpyxl.worksheet.properties import PageSetupProperties

PAPER_A4 = "9"  # paperSize code of A4 in SpreadsheetML
PAGE_NUMBERS = "第 &P 页 / 共 &N 页"


def a4_landscape(ws, title_rows: str) -> None:
    """`title_rows` ("3:3") print on every page; the footer's centre shows the page number."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = title_rows
    ws.HeaderFooter.oddFooter.center.text = PAGE_NUMBERS


def narrow_margins(ws) -> None:
    """Margins (inches) that leave wide tables room, the table centred across the page."""
    ws.print_options.horizontalCentered = True
    m = ws.page_margins
    m.left = m.right = 0.4
    m.top = m.bottom = 0.6
    m.header = m.footer = 0.3
