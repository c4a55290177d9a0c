"""社区党员分类: how a community sorts the members it looks after.

失联党员 is not a class here: it is a flag with a date and a cause, kept beside
the class, because a lost-contact member still belongs to one of these.
"""
from __future__ import annotations

from desktop.domain.errors import FieldError
from desktop.domain.text import strip_all_spaces

FIELD = "社区党员分类"

CLASSIFICATIONS: tuple[str, ...] = ("社区直管党员", "在职党员", "离退休党员", "流动党员")

_ALIASES = {
    "直管": "社区直管党员", "直管党员": "社区直管党员", "社区直管": "社区直管党员",
    "在职": "在职党员",
    "离退休": "离退休党员", "退休": "离退休党员", "离休": "离退休党员",
    "退休党员": "离退休党员", "离休党员": "离退休党员",
    "流动": "流动党员",
}


def normalize_classification(s: str | None) -> str:
    """The official class for a name or short alias; "" when empty."""
    key = strip_all_spaces(s or "")
    if not key:
        return ""
    if key in CLASSIFICATIONS:
        return key
    try:
        return _ALIASES[key]
    except KeyError:
        raise FieldError(FIELD, f"无法识别“{key}”，应为{'、'.join(CLASSIFICATIONS)}之一") from None
