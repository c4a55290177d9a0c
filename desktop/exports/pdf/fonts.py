"""Chinese fonts for ReportLab: find them, register them once, embed them always.

ReportLab can embed only TrueType fonts with ``glyf`` outlines. OpenType/CFF
fonts (Noto/Source Han CJK, most ``.otf``) fail with "postscript outlines are
not supported", so every candidate is tried and the failures are skipped.

Order of choice for each role:

1. the office's own fonts, if installed and embeddable: 宋体 (SimSun), 仿宋,
   黑体, 方正小标宋 on Windows; the CESI (中国电子技术标准化研究院) fonts on
   统信UOS and 麒麟; the same Windows files copied onto Linux;
2. the fonts shipped in ``resources/fonts`` (see its README): AR PL SungtiL GB
   (宋体-like, GB2312 only) and WenQuanYi Micro Hei (黑体-like, all of GBK and
   CJK Ext. A).

Setting ``DANGJIAN_PDF_FONT_SHIPPED_ONLY=1`` skips step 1, so tests and
reference output do not depend on the machine.

The shipped 宋体 covers GB2312 only: rarer name characters (堃 喆 珺 玥 昇 赟
镕 祎 …) and 〇 are missing. :func:`cjk_markup` therefore wraps any character
the chosen font lacks in ``<font name="…">`` of the fallback font (WenQuanYi
Micro Hei), so a name is never printed with a hole in it.

CJK fonts have no bold or italic faces: each registered font is also
registered as its own bold/italic (``registerFontFamily``), so ``<b>`` in a
Paragraph does not crash (it simply has no visible effect).
"""
from __future__ import annotations

import fnmatch
import functools
import logging
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.config import resource_path

log = logging.getLogger(__name__)

ENV_SHIPPED_ONLY = "DANGJIAN_PDF_FONT_SHIPPED_ONLY"

SHIPPED_SONG = ("gbsn00lp.ttf", 0)  # AR PL SungtiL GB
SHIPPED_HEI = ("wqy-microhei.ttc", 0)  # WenQuanYi Micro Hei

# Characters every candidate must have; a font that lacks them is not a Chinese font.
_PROBE = "中华人民共和国党员支部委员会第页共"

# (file-name pattern, lower case, fnmatch syntax; subfont index in a .ttc)
SONG_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("simsun.ttc", 0),  # Windows 宋体
    ("simsun.ttf", 0),
    ("cesi_ss_gb18030.ttf", 0),  # UOS / 麒麟 CESI宋体
    ("cesi_ss_gb13000.ttf", 0),
    ("cesi_ss_gb2312.ttf", 0),
    ("stsong.ttf", 0),  # 华文宋体
    ("fzssk.ttf", 0),  # 方正书宋
    ("方正书宋*.tt[fc]", 0),
)
FANGSONG_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("simfang.ttf", 0),  # Windows 仿宋
    ("cesi_fs_gb18030.ttf", 0),
    ("cesi_fs_gb13000.ttf", 0),
    ("cesi_fs_gb2312.ttf", 0),
    ("fangsong*.tt[fc]", 0),  # FangSong_GB2312.ttf …
    ("仿宋*.tt[fc]", 0),
    ("fs_gb2312.ttf", 0),
    ("fzfsk.ttf", 0),  # 方正仿宋简体
    ("fzfsjw.ttf", 0),  # 方正仿宋_GBK
    ("stfangso.ttf", 0),  # 华文仿宋
)
HEI_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("simhei.ttf", 0),  # Windows 黑体
    ("cesi_ht_gb18030.ttf", 0),
    ("cesi_ht_gb13000.ttf", 0),
    ("cesi_ht_gb2312.ttf", 0),
    ("fzhtk.ttf", 0),  # 方正黑体简体
    ("stheiti.ttf", 0),
)
TITLE_CANDIDATES: tuple[tuple[str, int], ...] = (  # 小标宋, the official title face
    ("fzxbsk.ttf", 0),  # 方正小标宋简体
    ("fzxbsjw.ttf", 0),  # 方正小标宋_GBK
    ("方正小标宋*.tt[fc]", 0),
    ("cesi_xbs_gb18030.ttf", 0),
    ("cesi_xbs_gb13000.ttf", 0),
    ("cesi_xbs_gb2312.ttf", 0),
)


@dataclass(frozen=True)
class PdfFonts:
    """Registered ReportLab font names, one per role.

    body:     宋体-like, for text and table cells
    title:    小标宋 if installed, else 黑体 (the shipped WenQuanYi Micro Hei)
    fangsong: 仿宋 if installed, else the body font
    hei:      黑体-like, for table headers and emphasis
    fallback: the font used for characters the other fonts lack (shipped Hei)
    """

    body: str
    title: str
    fangsong: str
    hei: str
    fallback: str

    def files(self) -> dict[str, str]:
        """Role → font file actually used (for logs and the About box)."""
        return {role: _SOURCES.get(getattr(self, role), "") for role in
                ("body", "title", "fangsong", "hei", "fallback")}


# registered name → "path#subfont"
_SOURCES: dict[str, str] = {}
_LOCK = threading.Lock()


def shipped_only() -> bool:
    return os.environ.get(ENV_SHIPPED_ONLY, "").strip() not in ("", "0", "false", "no")


def cjk_fonts() -> PdfFonts:
    """Register the Chinese fonts with ReportLab (once) and return their names."""
    return _resolve(shipped_only(), tuple(str(d) for d in system_font_dirs()))


@functools.lru_cache(maxsize=None)
def _resolve(shipped: bool, dirs: tuple[str, ...]) -> PdfFonts:
    with _LOCK:
        song_file = resource_path("fonts", SHIPPED_SONG[0])
        hei_file = resource_path("fonts", SHIPPED_HEI[0])
        shipped_song = register_font(song_file, SHIPPED_SONG[1])
        shipped_hei = register_font(hei_file, SHIPPED_HEI[1])
        if shipped_song is None or shipped_hei is None:
            raise RuntimeError(f"随程序提供的字体无法加载：{song_file.parent}")
        if shipped:
            return PdfFonts(shipped_song, shipped_hei, shipped_song, shipped_hei, shipped_hei)

        index = _index_font_files(dirs)
        body = _first_usable(SONG_CANDIDATES, index) or shipped_song
        hei = _first_usable(HEI_CANDIDATES, index) or shipped_hei
        title = _first_usable(TITLE_CANDIDATES, index) or hei
        fangsong = _first_usable(FANGSONG_CANDIDATES, index) or body
        fonts = PdfFonts(body, title, fangsong, hei, shipped_hei)
        log.info("PDF fonts: %s", fonts.files())
        return fonts


def system_font_dirs() -> list[Path]:
    """Where Windows, 统信UOS/麒麟/other Linux and macOS keep installed fonts."""
    home = Path.home()
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed "for this user only" (often 方正小标宋)
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), home / "Library" / "Fonts"]
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        dirs += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            Path(xdg) / "fonts" if xdg else home / ".local" / "share" / "fonts",
            home / ".fonts",
        ]
    return [d for d in dirs if d.is_dir()]


def _index_font_files(dirs: Iterable[str]) -> dict[str, Path]:
    """Lower-case file name → path of every .ttf/.ttc below `dirs` (first one wins)."""
    index: dict[str, Path] = {}
    for d in dirs:
        for root, _subdirs, files in os.walk(d):
            for name in files:
                low = name.lower()
                if low.endswith((".ttf", ".ttc")):
                    index.setdefault(low, Path(root) / name)
    return index


def _matches(pattern: str, index: dict[str, Path]) -> Iterator[Path]:
    if any(ch in pattern for ch in "*?["):
        for name in sorted(index):
            if fnmatch.fnmatchcase(name, pattern):
                yield index[name]
    elif pattern in index:
        yield index[pattern]


def _first_usable(candidates: Iterable[tuple[str, int]], index: dict[str, Path]) -> str | None:
    for pattern, subfont in candidates:
        for path in _matches(pattern, index):
            name = register_font(path, subfont)
            if name:
                return name
    return None


def register_font(path: str | os.PathLike[str], subfont: int = 0) -> str | None:
    """Register one TrueType font (bold/italic mapped to itself); None if unusable.

    Unusable means: missing, CFF/PostScript outlines, embedding forbidden, or
    no Chinese glyphs. Registering the same file twice returns the same name.
    """
    path = Path(path)
    source = f"{path}#{subfont}"
    for name, src in _SOURCES.items():
        if src == source:
            return name
    name = base = f"DJ-{path.stem}-{subfont}"
    counter = 1
    while name in _SOURCES:  # same file name in another directory
        counter += 1
        name = f"{base}-{counter}"
    try:
        font = TTFont(name, str(path), subfontIndex=subfont)
    except Exception as exc:  # TTFError, OSError, struct errors on broken files
        log.info("font %s rejected: %s", source, exc)
        return None
    if not all(ord(ch) in font.face.charToGlyph for ch in _PROBE):
        log.info("font %s rejected: no Chinese glyphs", source)
        return None
    pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    _SOURCES[name] = source
    return name


def covers(font_name: str, text: str) -> bool:
    """True if `font_name` has a glyph for every visible character of `text`."""
    cmap = _cmap(font_name)
    return all(ord(ch) in cmap or ch.isspace() for ch in text)


def cjk_markup(text: str, font_name: str, *, fallback: str | None = None) -> str:
    """Escape `text` for a Paragraph, with characters `font_name` lacks set in `fallback`.

    Newlines become ``<br/>``. `fallback` defaults to :attr:`PdfFonts.fallback`.
    """
    if fallback is None:
        fallback = cjk_fonts().fallback
    cmap = _cmap(font_name)
    spare = _cmap(fallback) if fallback != font_name else cmap
    out: list[str] = []
    run: list[str] = []  # consecutive characters that need the fallback font

    def flush() -> None:
        if run:
            out.append(f'<font name="{fallback}">{escape("".join(run))}</font>')
            run.clear()

    for ch in text:
        code = ord(ch)
        if code in cmap or ch.isspace() or code not in spare:
            flush()
            out.append("<br/>" if ch == "\n" else escape(ch))
        else:
            run.append(ch)
    flush()
    return "".join(out)


def _cmap(font_name: str) -> dict[int, int]:
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    if face is None:
        raise ValueError(f"{font_name} is not a registered TrueType font")
    return face.charToGlyph
