"""帮助 → 关于: version, where the data lives, and the licences of everything shipped.

Licence names are read from the installed packages' metadata (the same .dist-info
folders PyInstaller copies into the bundle, see packaging/dangjian.spec), never typed
in here; the texts come from the packages' licence files, from resources/fonts/ for the
fonts, and from packaging/licenses/ (bundled as licenses/) for Qt's LGPL-3/GPL-3, which
the PySide6 wheels do not carry.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import (QAbstractItemView, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QPlainTextEdit, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ... import config
from .base import RememberingDialog

APP_DIST = "dangjian"

# (shown name, distribution name) of the main libraries, in this order; every other
# package dangjian requires (directly or not) follows automatically.
MAIN_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("Qt / PySide6", "PySide6_Essentials"),
    ("Qt PDF（PySide6-Pdf）", "PySide6_Pdf"),
    ("Shiboken6", "shiboken6"),
    ("ReportLab", "reportlab"),
    ("openpyxl", "openpyxl"),
    ("SQLModel", "sqlmodel"),
    ("SQLAlchemy", "SQLAlchemy"),
    ("pypinyin", "pypinyin"),
    ("platformdirs", "platformdirs"),
)
# Packages whose wheels carry no licence file: the licence texts shipped with the program.
QT_DISTS = {"pyside6_essentials", "pyside6_pdf", "pyside6_addons", "pyside6", "shiboken6"}
QT_LICENCE_FILES = ("LGPL-3.txt", "GPL-3.txt")
QT_NOTE = ("本程序按 GNU 宽通用公共许可证第 3 版（LGPL-3.0）使用 Qt 与 PySide6；"
           "Qt 库以独立的动态库随程序提供，可自行替换。\n\n")
FONTS: tuple[tuple[str, str, str], ...] = (
    ("文泉驿微米黑（WenQuanYi Micro Hei）字体", "Apache-2.0", "LICENSE-wqy-microhei.txt"),
    ("文鼎PL简报宋（AR PL SungtiL GB）字体", "Arphic Public License", "LICENSE-gbsn00lp.txt"),
)


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    text: Callable[[], str]  # the licence text, read only when shown


def app_version() -> str:
    """The program's version from its installed metadata ('' when not installed)."""
    try:
        return metadata.version(APP_DIST)
    except metadata.PackageNotFoundError:
        return ""


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def licence_name(meta) -> str:
    """A short licence name from package metadata: License-Expression, else a one-line
    License field, else the trove classifier(s)."""
    expr = meta.get("License-Expression")
    if expr:
        return expr.strip()
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 60 and field.upper() != "UNKNOWN":
        return field
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    if classifiers:
        return " / ".join(classifiers)
    return field.split("(")[0].strip() or "未注明"


def licence_dirs() -> list[Path]:
    """licenses/ in the frozen bundle, packaging/licenses/ in a source checkout."""
    base = config.resources_dir().parent
    return [base / "licenses", base / "packaging" / "licenses"]


def _shipped_text(*parts: str) -> str | None:
    for folder in licence_dirs():
        path = folder.joinpath(*parts)
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return None


def _dist_licence_text(dist) -> str:
    if _key(dist.metadata["Name"]) in QT_DISTS:
        texts = [_shipped_text(name) for name in QT_LICENCE_FILES]
        if all(texts):
            return QT_NOTE + "\n\n".join(texts)
    texts = []
    for name in dist.metadata.get_all("License-File") or []:
        for candidate in (f"licenses/{name}", name):
            text = dist.read_text(candidate)
            if text:
                texts.append(text)
                break
    if texts:
        return "\n\n".join(texts)
    return (dist.metadata.get("License") or "").strip() or f"许可证：{licence_name(dist.metadata)}"


def _python_licence_text() -> str:
    text = _shipped_text("python", "LICENSE.txt")
    if text:
        return text
    minor = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for path in (Path(sys.base_prefix) / "LICENSE.txt", Path(sys.base_prefix) / "lib" / minor / "LICENSE.txt"):
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return "Python Software Foundation License，见 https://docs.python.org/3/license.html"


def _requirement_names(dist_name: str) -> list[str]:
    try:
        requires = metadata.requires(dist_name) or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for req in requires:
        if re.search(r"\bextra\s*==", req):
            continue  # optional extras (e.g. dangjian[test]) are not shipped
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
        if m:
            names.append(m.group(1))
    return names


def _all_requirements(root: str) -> list[str]:
    """Every installed distribution `root` needs, directly or not, in discovery order."""
    seen: dict[str, str] = {}
    todo = _requirement_names(root)
    while todo:
        name = todo.pop(0)
        if _key(name) in seen:
            continue
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a marker excluded it on this platform, or it was not bundled
        seen[_key(name)] = name
        todo += _requirement_names(name)
    return list(seen.values())


def _dist_component(shown: str, dist) -> Component:
    return Component(shown, dist.version, licence_name(dist.metadata),
                     lambda d=dist: _dist_licence_text(d))


def components() -> list[Component]:
    """Fonts, Python, the main libraries, then every other bundled package."""
    out = [Component(name, "", licence,
                     lambda f=file: config.resource_path("fonts", f).read_text(encoding="utf-8"))
           for name, licence, file in FONTS]
    out.append(Component("Python", sys.version.split()[0], "PSF License", _python_licence_text))
    listed = set()
    for shown, dist_name in MAIN_LIBRARIES:
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            continue
        listed.add(_key(dist_name))
        out.append(_dist_component(shown, dist))
    for name in _all_requirements(APP_DIST):
        if _key(name) not in listed:
            listed.add(_key(name))
            dist = metadata.distribution(name)
            out.append(_dist_component(dist.metadata["Name"], dist))
    return out


class AboutDialog(RememberingDialog):
    """Version, data location, and a table of components whose licence text shows below."""

    default_size = (760, 620)

    def __init__(self, db_path: Path | str, parent: QWidget | None = None):
        super().__init__(parent, f"关于{config.APP_TITLE}")
        self.components = components()
        version = app_version()

        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(QIcon(str(config.resource_path("icons", "dangjian.png"))).pixmap(64, 64))
        head.addWidget(icon)
        self.title = QLabel(f"<h2>{config.APP_TITLE}</h2>"
                            f"<p>版本 {version or '（开发版）'}</p>"
                            "<p>街道党工委、社区党委及党支部的组织体系、党员花名册与三会一课台账。"
                            "数据只保存在本机，不联网。</p>")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)

        form = QFormLayout()
        self.paths = {}
        for key, label, value in (("data", "数据目录：", config.data_dir()),
                                  ("db", "数据库文件：", Path(db_path)),
                                  ("log", "日志目录：", config.log_dir())):
            field = QLabel(str(value))
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setWordWrap(True)
            self.paths[key] = field
            form.addRow(label, field)

        self.table = QTableWidget(len(self.components), 3)
        self.table.setHorizontalHeaderLabels(["组件", "版本", "许可证"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, c in enumerate(self.components):
            for col, text in enumerate((c.name, c.version, c.licence)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.text = QPlainTextEdit(readOnly=True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(mono)
        self.text.setPlaceholderText("选择上面的一项查看许可证全文。")
        self.table.currentCellChanged.connect(self._show_licence)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.text)
        split.setSizes([260, 260])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(QLabel("随程序提供的字体与软件库及其许可证："))
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.table.setCurrentCell(0, 0)

    def row_of(self, name: str) -> int:
        for row, c in enumerate(self.components):
            if c.name == name:
                return row
        raise KeyError(name)

    def _show_licence(self, row: int, _col: int = 0, *_prev) -> None:
        if 0 <= row < len(self.components):
            c = self.components[row]
            try:
                text = c.text()
            except OSError as e:
                text = f"无法读取许可证文件：{e}"
            self.text.setPlainText(text)
            self.text.moveCursor(self.text.textCursor().MoveOperation.Start)
