"""Preview a PDF the program wrote and print it, so the clerk never has to find the file.

Pages are rendered with Qt's own PDF module (QtPdf, from the PySide6-Pdf wheel that
matches PySide6-Essentials). Printing renders each page at the printer's resolution
onto a QPrinter chosen in QPrintDialog. Where QtPdf is not installed, the dialog says
so and offers to open the file in the system's PDF viewer (which can print it) or
to save a copy.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from ..errors import warn
from .base import RememberingDialog

PREVIEW_SCALE = 1.4  # screen pixels per PDF point in the preview


def qtpdf_available() -> bool:
    try:
        from PySide6 import QtPdf  # noqa: F401
    except ImportError:
        return False
    return True


class PdfPages:
    """The pages of one PDF as images (QtPdf)."""

    def __init__(self, path: Path):
        from PySide6.QtPdf import QPdfDocument

        self._doc = QPdfDocument()
        error = self._doc.load(str(path))
        if error != QPdfDocument.Error.None_ or self._doc.pageCount() == 0:
            raise OSError(f"无法读取PDF文件：{path.name}")

    @property
    def count(self) -> int:
        return self._doc.pageCount()

    def size_points(self, page: int) -> QSize:
        return self._doc.pagePointSize(page).toSize()

    def render(self, page: int, scale: float) -> QImage:
        """The page on white paper (QtPdf leaves the background transparent)."""
        pts = self._doc.pagePointSize(page)
        image = self._doc.render(page, QSize(round(pts.width() * scale), round(pts.height() * scale)))
        paper = QImage(image.size(), QImage.Format.Format_RGB32)
        paper.fill(Qt.GlobalColor.white)
        painter = QPainter(paper)
        painter.drawImage(0, 0, image)
        painter.end()
        return paper


class PdfPreviewDialog(RememberingDialog):
    default_size = (820, 900)

    def __init__(self, path: Path, title: str = "预览", parent: QWidget | None = None):
        super().__init__(parent, f"{title} — 预览")
        self.path = Path(path)
        self.pages: PdfPages | None = None
        self.page_labels: list[QLabel] = []
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.print_button = QPushButton("打印…", self)
        self.save_button = QPushButton("另存为…", self)
        self.open_button = QPushButton("用其他程序打开", self)
        close = QPushButton("关闭", self)
        self.print_button.clicked.connect(self.print_pdf)
        self.save_button.clicked.connect(self.save_copy)
        self.open_button.clicked.connect(self.open_external)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.print_button, self.save_button, self.open_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        if qtpdf_available():
            try:
                self.pages = PdfPages(self.path)
            except OSError as e:
                self.info.setText(str(e))
        if self.pages is not None:
            self.scroll = QScrollArea(self)
            self.scroll.setWidgetResizable(True)
            self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            body = QWidget(self.scroll)
            body.setStyleSheet("background: #808080;")
            column = QVBoxLayout(body)
            column.setSpacing(12)
            width = self.pages.size_points(0).width() or 595
            scale = max(0.8, min(PREVIEW_SCALE, (self.width() - 70) / width))  # fit the width
            for i in range(self.pages.count):
                label = QLabel(body)
                label.setPixmap(QPixmap.fromImage(self.pages.render(i, scale)))
                label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                column.addWidget(label)
                self.page_labels.append(label)
            self.scroll.setWidget(body)
            layout.addWidget(self.scroll, 1)
            self.info.setText(f"共 {self.pages.count} 页　　{self.path.name}")
        else:
            self.info.setText(
                f"已生成文件：{self.path}\n\n本机缺少PDF预览组件（QtPdf），无法在程序内预览和打印。"
                "请点“用其他程序打开”，在PDF阅读器中查看并打印。")
            self.print_button.setEnabled(False)
            layout.addStretch(1)
        layout.addLayout(buttons)

    def print_pdf(self, printer: QPrinter | None = None) -> bool:
        """Choose a printer (unless one is given) and print every page at its resolution."""
        if self.pages is None:
            return False
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(self.path.stem)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle("打印")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        return print_pages(self.pages, printer)

    def save_copy(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, "另存为", self.path.name, "PDF 文件 (*.pdf)")
        if target:
            try:
                shutil.copyfile(self.path, target)
            except OSError as e:
                warn(self, f"无法保存到“{target}”：{e}")

    def open_external(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))):
            warn(self, f"无法打开文件，请在文件夹中找到它：\n{self.path}")


def print_pages(pages: PdfPages, printer: QPrinter) -> bool:
    """Each page rendered at the printer's resolution, scaled into its printable area."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        dpi = printer.resolution()
        for i in range(pages.count):
            if i:
                printer.newPage()
            image = pages.render(i, dpi / 72.0)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(area.x(), area.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
    finally:
        painter.end()
    return True


def preview_pdf(parent: QWidget | None, path: Path, title: str = "预览") -> None:
    """Show the preview (modal); the one place the rest of the UI opens it."""
    PdfPreviewDialog(path, title, parent).exec()
