"""公民身份号码 (GB 11643-1999): clean-up, validation, masking, and test-data generation.

Layout of the 18 characters: 6-digit region code, 8-digit birth date (YYYYMMDD),
3-digit order code whose last digit is odd for men and even for women,
and a check digit (ISO 7064 MOD 11-2; may be X).
"""
from __future__ import annotations

import math
import numbers
import operator
import re
from dataclasses import dataclass
from datetime import date

from desktop.domain.errors import FieldError
from desktop.domain.text import strip_all_spaces

FIELD = "公民身份号码"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_PRECISION_LOST = "以数字形式保存，超过15位的精度已丢失，请将该列设为文本后重新录入"
# A double holds every integer of up to 15 digits exactly; beyond that digits are lost.
_MAX_EXACT_DIGITS = 15
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
# Text that is a number as a spreadsheet printed it: "1.10101199003071234e+17", "110101199003071234.0".
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_FLOAT_TEXT = re.compile(r"^(\d+)\.0+$")
_CLEAN = re.compile(r"[0-9]{17}[0-9X]")
"""A number already in its clean form (most cells, and every later check of one)."""


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # "男" or "女"
    region: str  # 6-digit administrative division code


def check_digit(first17: str) -> str:
    """The 18th character for 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(map(operator.mul, map(int, first17), _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(raw: object) -> str:
    """Clean what was typed or read from a spreadsheet; "" when empty.

    Numbers are refused once they have more than 15 digits: the spreadsheet
    kept them as doubles, so the last digits are already gone and must not be guessed.
    """
    if raw is None:
        return ""
    if type(raw) is str and _CLEAN.fullmatch(raw):
        return raw
    if isinstance(raw, bool):
        raise FieldError(FIELD, "应为文字，不能是是/否值")
    if isinstance(raw, numbers.Integral):
        return _from_digits(str(abs(int(raw))))
    if isinstance(raw, numbers.Real):
        return _from_float(float(raw))
    s = _INVISIBLE.sub("", strip_all_spaces(str(raw))).replace("x", "X")
    if _SCIENTIFIC.match(s):
        raise FieldError(FIELD, _PRECISION_LOST)
    m = _FLOAT_TEXT.match(s)
    if m:
        return _from_digits(m.group(1))
    return s


def _from_digits(digits: str) -> str:
    if len(digits) > _MAX_EXACT_DIGITS:
        raise FieldError(FIELD, _PRECISION_LOST)
    return digits


def _from_float(x: float) -> str:
    if not math.isfinite(x) or x != int(x):
        raise FieldError(FIELD, "不是有效的号码，请将该列设为文本后重新录入")
    return _from_digits(str(abs(int(x))))


def parse_id_number(raw: object, *, today: date | None = None) -> IdInfo:
    """Validate a number and read the birth date, sex and region it encodes."""
    s = normalize_id_number(raw)
    if not s:
        raise FieldError(FIELD, "不能为空")
    if len(s) != 18:
        raise FieldError(FIELD, f"应为18位，现为{len(s)}位")
    body, last = s[:17], s[17]
    if not (body.isascii() and body.isdigit()):
        raise FieldError(FIELD, "前17位应为数字")
    if not (last == "X" or (last.isascii() and last.isdigit())):
        raise FieldError(FIELD, f"第18位应为数字或X，现为{last}")
    region = s[:6]
    if region.startswith("0"):
        raise FieldError(FIELD, f"地区码{region}无效")
    birth = _birth_date(s[6:14], today or date.today())
    expected = check_digit(body)
    if last != expected:
        raise FieldError(FIELD, f"校验位应为{expected}，现为{last}")
    sex = "男" if int(s[16]) % 2 else "女"
    return IdInfo(number=s, birth_date=birth, sex=sex, region=region)


def _birth_date(text: str, today: date) -> date:
    try:
        birth = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise FieldError(FIELD, f"出生日期{text}无效") from None
    if birth.year < 1900:
        raise FieldError(FIELD, f"出生日期{text}早于1900年")
    if birth > today:
        raise FieldError(FIELD, f"出生日期{text}晚于今天")
    return birth


def make_id_number(region: str, birth: date, seq: int, sex: str) -> str:
    """A valid number for demo and test data.

    The 3-digit order code is seq * 2 + (1 for 男, 0 for 女), so seq 0-499 gives
    500 distinct numbers per region, birth date and sex.
    """
    if len(region) != 6 or not region.isdigit() or region.startswith("0"):
        raise ValueError(f"region must be 6 digits not starting with 0: {region!r}")
    if not 0 <= seq <= 499:
        raise ValueError(f"seq must be 0-499: {seq}")
    if sex not in ("男", "女"):
        raise ValueError(f"sex must be 男 or 女: {sex!r}")
    order = seq * 2 + (1 if sex == "男" else 0)
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + check_digit(body)


def mask_id_number(s: str) -> str:
    """Keep the first 6 and last 4 characters; a short value is masked whole."""
    s = (s or "").strip()
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]
