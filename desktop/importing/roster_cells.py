"""Cell values of a roster sheet → the values of a member's fields.

Each converter takes what the spreadsheet held (text, number, date, 是/否,
TRUE/FALSE) and returns the field's value, or raises FieldError(label, reason)
with the reason in Chinese. The rules a member must obey (check digit, dates
that agree, a branch that exists) are applied afterwards by the roster service.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Callable

from desktop.domain.classification import normalize_classification
from desktop.domain.dates import format_date, parse_date
from desktop.domain.education import normalize_education
from desktop.domain.errors import FieldError
from desktop.domain.ethnicity import normalize_ethnicity
from desktop.domain.idcard import normalize_id_number
from desktop.domain.job_post import normalize_job_post
from desktop.domain.member import Category, PartyStanding
from desktop.domain.roster_fields import FIELD_BY_KEY, YES, NO, parse_bool
from desktop.domain.text import squeeze, strip_all_spaces

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


def cell_text(v: object) -> str:
    """What a person reads in the cell, ends trimmed; "" for an empty cell."""
    if v is None:
        return ""
    if isinstance(v, str):
        return _INVISIBLE.sub("", v).strip()
    if isinstance(v, bool):
        return YES if v else NO
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return format_date(v.date()) if v.time() == datetime.min.time() else v.isoformat(" ")
    if isinstance(v, date):
        return format_date(v)
    return str(v).strip()


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not _INVISIBLE.sub("", v).strip())


def _label(key: str) -> str:
    return FIELD_BY_KEY[key].label


def _squeezed(v: object) -> str:
    return squeeze(cell_text(v))


def _date(key: str) -> Callable[[object], date | None]:
    label = _label(key)
    return lambda v: parse_date(v, label)


def _bool(key: str) -> Callable[[object], bool]:
    label = _label(key)
    return lambda v: parse_bool(v, label)


def _sex(v: object) -> str:
    t = strip_all_spaces(cell_text(v))
    if t in ("", "男", "女"):
        return t
    if t in ("男性", "女性"):
        return t[0]
    raise FieldError("性别", f"应为“男”或“女”，现为“{t}”")


def _ethnicity(v: object) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        return normalize_ethnicity(f"{v:02d}")  # the GB/T 3304 code typed as a number
    return normalize_ethnicity(cell_text(v))


def parse_category(v: object) -> Category | None:
    """正式党员/预备党员 (or 正式/预备); None when the cell is empty."""
    t = strip_all_spaces(cell_text(v))
    if not t:
        return None
    for c in Category:
        if t in (c.value, c.value[:2]):
            return c
    raise FieldError("人员类别", f"应为“正式党员”或“预备党员”，现为“{t}”")


def _standing(v: object) -> PartyStanding:
    t = strip_all_spaces(cell_text(v))
    if t in ("", PartyStanding.NORMAL.value):
        return PartyStanding.NORMAL
    if t in (PartyStanding.SUSPENDED.value, "停止"):
        return PartyStanding.SUSPENDED
    raise FieldError("党籍状态", f"应为“正常”或“停止党籍”，现为“{t}”")


_PHONE_NOISE = re.compile(r"[\s\-()（）]")


def _mobile(v: object) -> str:
    t = _PHONE_NOISE.sub("", squeeze(cell_text(v)))
    if t.startswith("+86"):
        t = t[3:]
    elif len(t) == 13 and t.startswith("86"):
        t = t[2:]
    return t


def _id_number(v: object) -> str:
    if isinstance(v, str) and ("*" in v or "＊" in v):
        raise FieldError("公民身份号码", "已部分隐藏（含“*”），不能用于导入，请使用未隐藏号码的花名册")
    return normalize_id_number(v)


CONVERTERS: dict[str, Callable[[object], object]] = {
    "name": cell_text,
    "org_name": _squeezed,
    "group_name": _squeezed,
    "id_number": _id_number,
    "sex": _sex,
    "ethnicity": _ethnicity,
    "birth_date": _date("birth_date"),
    "education": lambda v: normalize_education(cell_text(v)),
    "category": parse_category,
    "joined": _date("joined"),
    "confirmed": _date("confirmed"),
    "job": lambda v: normalize_job_post(cell_text(v)),
    "mobile": _mobile,
    "phone": cell_text,
    "address": cell_text,
    "standing": _standing,
    "lost_contact": _bool("lost_contact"),
    "lost_contact_date": _date("lost_contact_date"),
    "is_mobile": _bool("is_mobile"),
    "outflow": cell_text,
    "remarks": cell_text,
    "classification": lambda v: normalize_classification(cell_text(v)),
    "party_post": cell_text,
}
"""field key → converter; 序号 (seq) is not read."""

MOBILE_HEADERS = ("手机号码", "手机", "手机号", "移动电话")
"""Headers that surely mean a mobile number; 联系电话 may hold a landline."""


def looks_like_mobile(s: str) -> bool:
    return len(s) == 11 and s.isdigit() and s[0] == "1"


def convert(key: str, value: object) -> object:
    """The field value for one cell; raises FieldError naming the field."""
    return CONVERTERS[key](value)
