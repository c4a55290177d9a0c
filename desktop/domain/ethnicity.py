"""民族: the names and codes of GB/T 3304-1991, in code order."""
from __future__ import annotations

from desktop.domain.errors import FieldError
from desktop.domain.text import strip_all_spaces

FIELD = "民族"

_NAMES_56 = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 "
    "满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 "
    "佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 "
    "塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 "
    "独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()

ETHNICITIES: tuple[str, ...] = (*_NAMES_56, "其他", "外国血统")

ETHNICITY_CODES: dict[str, str] = {name: f"{i:02d}" for i, name in enumerate(_NAMES_56, 1)}
ETHNICITY_CODES["其他"] = "97"
ETHNICITY_CODES["外国血统"] = "98"

# Spellings seen in spreadsheets besides "name without 族" and the 2-digit code.
_ALIASES = {
    "维族": "维吾尔族",
    "其它": "其他",
    "外国血统中国籍人士": "外国血统",
    "外国血统中国籍": "外国血统",
}


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, code in ETHNICITY_CODES.items():
        lookup[name] = name
        lookup[code] = name
        if name.endswith("族"):
            lookup[name[:-1]] = name
    lookup.update(_ALIASES)
    return lookup


_LOOKUP = _build_lookup()


def normalize_ethnicity(s: str | None) -> str:
    """The GB/T 3304 name for "汉", " 汉 族", "蒙古", "01" …; "" when empty."""
    key = strip_all_spaces(s or "")
    if not key:
        return ""
    try:
        return _LOOKUP[key]
    except KeyError:
        raise FieldError(FIELD, f"“{key}”不是GB/T 3304中的民族名称") from None
