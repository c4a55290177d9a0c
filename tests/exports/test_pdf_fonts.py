"""Chinese fonts for ReportLab: shipped fonts, system candidates, glyph fallback."""
import shutil
import struct
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from desktop.config import resource_path
from desktop.exports.pdf import fonts as F


@pytest.fixture(autouse=True)
def shipped_only(monkeypatch):
    monkeypatch.setenv(F.ENV_SHIPPED_ONLY, "1")


def test_shipped_fonts_are_registered_truetype():
    f = F.cjk_fonts()
    files = f.files()
    assert files["body"].endswith("gbsn00lp.ttf#0")
    assert files["fangsong"] == files["body"]
    assert files["title"].endswith("wqy-microhei.ttc#0")
    assert files["hei"] == files["fallback"] == files["title"]
    for name in (f.body, f.title, f.fangsong, f.hei, f.fallback):
        assert pdfmetrics.getFont(name).face.charToGlyph  # a TrueType face with a cmap
    assert F.cjk_fonts() is f  # registered once


def test_bold_and_italic_map_to_the_same_face():
    from reportlab.lib.fonts import tt2ps

    f = F.cjk_fonts()
    assert tt2ps(f.body, 1, 0) == f.body
    assert tt2ps(f.body, 1, 1) == f.body


def test_shipped_files_and_licences_exist():
    for name in ("gbsn00lp.ttf", "wqy-microhei.ttc", "LICENSE-gbsn00lp.txt",
                 "LICENSE-wqy-microhei.txt", "README.md"):
        assert resource_path("fonts", name).is_file(), name


def test_broken_and_cff_candidates_are_rejected(tmp_path):
    (tmp_path / "simsun.ttc").write_bytes(b"not a font at all")
    # An OpenType/CFF file: ReportLab cannot embed PostScript outlines.
    cff = b"OTTO" + struct.pack(">HHHH", 1, 16, 0, 0) + b"CFF " + struct.pack(">III", 0, 28, 4) + b"\0" * 4
    (tmp_path / "simfang.ttf").write_bytes(cff)

    assert F.register_font(tmp_path / "simsun.ttc") is None
    assert F.register_font(tmp_path / "simfang.ttf") is None

    fonts = F._resolve(False, (str(tmp_path),))
    shipped = F._resolve(True, ())
    assert fonts.body == shipped.body
    assert fonts.fangsong == shipped.body


def test_usable_system_fonts_are_preferred(tmp_path):
    # Any embeddable TrueType Chinese font under a known Windows file name counts.
    shutil.copy(resource_path("fonts", "wqy-microhei.ttc"), tmp_path / "SimHei.ttf")
    sub = tmp_path / "deep" / "dir"
    sub.mkdir(parents=True)
    shutil.copy(resource_path("fonts", "gbsn00lp.ttf"), sub / "FangSong_GB2312.ttf")

    fonts = F._resolve(False, (str(tmp_path),))
    files = fonts.files()
    assert files["hei"].endswith("SimHei.ttf#0")
    assert files["title"] == files["hei"]  # no 小标宋 installed: 黑体 for titles
    assert files["fangsong"].endswith("FangSong_GB2312.ttf#0")
    assert files["body"].endswith("gbsn00lp.ttf#0")  # no 宋体 installed: shipped
    assert files["fallback"].endswith("wqy-microhei.ttc#0")


def test_a_font_without_chinese_is_rejected(tmp_path):
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Latin-only TrueType
    shutil.copy(vera, tmp_path / "simsun.ttf")
    assert F.register_font(tmp_path / "simsun.ttf") is None


def test_markup_sets_missing_glyphs_in_the_fallback_font():
    f = F.cjk_fonts()
    # 堃 and 〇 are not in GB2312, so not in the shipped 宋体.
    assert not F.covers(f.body, "王堃")
    assert F.covers(f.body, "王建国 ABC 123")
    assert F.covers(f.fallback, "王堃〇")

    out = F.cjk_markup("王堃、李喆\n<二〇二六> & Co", f.body)
    fb = f'<font name="{f.fallback}">'
    assert out == (f"王{fb}堃</font>、李{fb}喆</font><br/>&lt;二{fb}〇</font>二六&gt; &amp; Co")
    assert F.cjk_markup("党员", f.body) == "党员"
    # Characters no font has are left alone rather than dropped.
    assert F.cjk_markup("\U0001F600", f.body) == "\U0001F600"


def test_system_font_dirs_exist():
    for d in F.system_font_dirs():
        assert d.is_dir()
