"""学历 as party statistics count it (not GB/T 4658).

Display names in the party-statistics order, with the codes this application
writes into upward exports. The codes are our own stable table (modelled on
the familiar GB/T 4658 numbering); never renumber them, only append:

    11 博士研究生   14 硕士研究生   21 大学本科   31 大学专科   41 中等专科
    61 高中         71 初中         81 小学       90 其他
"""
from __future__ import annotations

import re

from desktop.domain.errors import FieldError
from desktop.domain.text import strip_all_spaces

FIELD = "学历"

EDUCATION_CODES: dict[str, str] = {
    "博士研究生": "11",
    "硕士研究生": "14",
    "大学本科": "21",
    "大学专科": "31",
    "中等专科": "41",
    "高中": "61",
    "初中": "71",
    "小学": "81",
    "其他": "90",
}
EDUCATIONS: tuple[str, ...] = tuple(EDUCATION_CODES)

# Spellings seen in rosters. A bare 研究生 is counted as 硕士, the usual case.
_ALIASES = {
    "博士研究生": ("博士", "研究生(博士)"),
    "硕士研究生": ("硕士", "研究生", "研究生(硕士)"),
    "大学本科": ("本科", "大学", "大本"),
    "大学专科": ("大专", "专科", "高职"),
    "中等专科": ("中专", "中技", "技校", "中等专业", "中等专业学校"),
    "高中": ("职高", "普高", "中专及高中"),
    "初中": (),
    "小学": (),
    "其他": ("其它",),
}
_LOOKUP = {alias: name for name, aliases in _ALIASES.items() for alias in (name, *aliases)}
# Suffixes that add nothing: "本科毕业", "大专学历", "硕士研究生毕业".
_NOISE = re.compile(r"(毕业|学历|文化|文化程度)$")


def normalize_education(s: str | None) -> str:
    """The display name for a typed or imported value; "" when empty."""
    raw = strip_all_spaces(s or "")
    if not raw:
        return ""
    name = _LOOKUP.get(raw) or _LOOKUP.get(_NOISE.sub("", raw))
    if name is None:
        choices = "、".join(EDUCATIONS)
        raise FieldError(FIELD, f"无法识别“{raw}”，应为{choices}之一")
    return name


def education_code(name: str) -> str:
    """The export code for a display name (or an alias of one)."""
    normalized = normalize_education(name)
    if not normalized:
        raise FieldError(FIELD, "不能为空")
    return EDUCATION_CODES[normalized]
