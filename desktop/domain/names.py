"""Personal names: clean-up as typed, and pinyin keys for sorting and quick search."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from desktop.domain.errors import FieldError
from desktop.domain.text import squeeze

FIELD = "姓名"
MAX_LENGTH = 30

_HAN_CHARS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = f"[{_HAN_CHARS}]"
# Middle dots people type between the parts of a minority or foreign name (．is half-width by now).
_DOTS = "·•・‧･∙⋅."
_DOT_BETWEEN_HAN = re.compile(f"(?<={_HAN}) ?[{_DOTS}]+ ?(?={_HAN})")
_SPACE_BETWEEN_HAN = re.compile(f"(?<={_HAN}) (?={_HAN})")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_ALLOWED_MARKS = set(" ·.-'’")


def normalize_name(s: str | None) -> str:
    """Clean a typed name: 张 三 -> 张三, 买买提 • 艾力 -> 买买提·艾力; Latin words keep one space."""
    name = squeeze(_INVISIBLE.sub("", s or ""))
    name = _DOT_BETWEEN_HAN.sub("·", name)
    name = _SPACE_BETWEEN_HAN.sub("", name)
    if not name:
        raise FieldError(FIELD, "不能为空")
    if any(c.isdigit() for c in name):
        raise FieldError(FIELD, "不能包含数字")
    if len(name) > MAX_LENGTH:
        raise FieldError(FIELD, f"不能超过{MAX_LENGTH}个字，现为{len(name)}个字")
    for c in name:
        if c not in _ALLOWED_MARKS and unicodedata.category(c)[0] not in "LM" and c != "〇":
            raise FieldError(FIELD, f"含有不能用于姓名的字符“{c}”")
    # "J." may end a Latin name; no dot may start a name or end a Han one.
    if name[0] in _DOTS or (name[-1] in _DOTS and not (name[-1] == "." and name[-2:-1].isascii())):
        raise FieldError(FIELD, "间隔号“·”不能在开头或结尾")
    return name


# Surnames whose reading differs from the character's everyday reading.
# Only applied at the start of a name; compound surnames are tried first.
_SURNAMES = {
    "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "长孙": ("zhang", "sun"), "澹台": ("tan", "tai"),
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "朴": ("piao",),
    "区": ("ou",), "查": ("zha",), "盖": ("ge",), "覃": ("qin",), "召": ("shao",),
    "缪": ("miao",), "翟": ("zhai",), "葛": ("ge",), "乐": ("yue",), "员": ("yun",),
    "折": ("she",), "种": ("chong",), "秘": ("bi",), "繁": ("po",), "句": ("gou",),
    "隗": ("wei",), "阚": ("kan",), "薄": ("bo",), "都": ("du",), "长": ("chang",),
}
_RUNS = re.compile(f"({_HAN}+)|([^{_HAN_CHARS}]+)")
_WORD_BREAK = re.compile(f"[\\s{_DOTS}]+")


def pinyin_key(name: str) -> str:
    """Toneless pinyin syllables joined by spaces, e.g. "zeng xiao ming", for ORDER BY.

    A space sorts before any letter, so 李 (li) comes before 连 (lian).
    """
    return " ".join(_syllables(name))


def pinyin_initials(name: str) -> str:
    """First letter of each syllable or Latin word, e.g. 张三 -> "zs", for quick search."""
    return "".join(s[0] for s in _syllables(name))


@lru_cache(maxsize=8192)  # key and initials are usually asked for together
def _syllables(name: str) -> tuple[str, ...]:
    out: list[str] = []
    start = 0
    for size in (2, 1):
        surname = name[:size]
        # A compound surname needs a given name after it: "单于" alone is 单 + 于.
        if len(surname) == size and surname in _SURNAMES and (size == 1 or len(name) > 2):
            out.extend(_SURNAMES[surname])
            start = size
            break
    for m in _RUNS.finditer(name, start):
        han, other = m.groups()
        if han:
            out.extend(_han_syllables(han))
        else:
            out.extend(w.lower() for w in _WORD_BREAK.split(other) if w)
    return tuple(out)


def _han_syllables(run: str) -> list[str]:
    # pypinyin needs its phrase table only when the run holds a known phrase
    # (长江, 朝晖); otherwise each character's own reading is what it would give,
    # and the per-character cache is some twenty times faster than calling it.
    if _has_phrase(run):
        from pypinyin import lazy_pinyin

        return [s.lower() for s in lazy_pinyin(run)]
    return [_char_syllable(c) for c in run]


def _has_phrase(run: str) -> bool:
    # pypinyin loads its dictionaries (about a second) on import: only when a name needs it.
    from pypinyin.constants import PHRASES_DICT

    n = len(run)
    return any(run[i:j] in PHRASES_DICT for i in range(n - 1) for j in range(i + 2, n + 1))


@lru_cache(maxsize=None)  # bounded by the number of Han characters in use
def _char_syllable(c: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(c)[0].lower()
