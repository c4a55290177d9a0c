"""工作岗位: the coded tree used in party statistics.

A child's code extends its parent's (0 在岗职工 → 01 公有制单位 → 011 党政机关),
so a code prefix selects a whole subtree.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.errors import FieldError
from desktop.domain.text import strip_all_spaces

FIELD = "工作岗位"


@dataclass(frozen=True)
class JobPost:
    code: str
    name: str
    children: tuple[JobPost, ...] = ()


def _p(code: str, name: str, *children: JobPost) -> JobPost:
    return JobPost(code, name, children)


JOB_POST_TREE: tuple[JobPost, ...] = (
    _p("0", "在岗职工",
       _p("01", "公有制单位", _p("011", "党政机关"), _p("012", "事业单位"), _p("013", "国有企业")),
       _p("02", "非公有制单位", _p("021", "民营企业"), _p("022", "外资企业"), _p("023", "社会组织"))),
    _p("1", "农牧渔民"),
    _p("2", "军人、武警"),
    _p("3", "学生"),
    _p("4", "离退休人员", _p("41", "离休干部"), _p("42", "退休人员")),
    _p("5", "其他", _p("51", "社区工作人员"), _p("52", "自由职业人员"), _p("53", "其他无业人员")),
)


def _flatten(posts: tuple[JobPost, ...], depth: int = 0) -> list[tuple[str, str, int]]:
    rows: list[tuple[str, str, int]] = []
    for post in posts:
        rows.append((post.code, post.name, depth))
        rows.extend(_flatten(post.children, depth + 1))
    return rows


JOB_POSTS: list[tuple[str, str, int]] = _flatten(JOB_POST_TREE)
"""(code, name, depth) in tree order, for an indented choice list."""

_CODE_BY_NAME = {name: code for code, name, _ in JOB_POSTS}
_NAME_BY_CODE = {code: name for code, name, _ in JOB_POSTS}

# Everyday words clerks write instead of the official names.
_ALIASES = {
    "在职": "在岗职工", "在岗": "在岗职工", "职工": "在岗职工",
    "公务员": "党政机关", "机关": "党政机关", "机关干部": "党政机关",
    "事业": "事业单位", "国企": "国有企业",
    "民企": "民营企业", "私企": "民营企业", "私营企业": "民营企业", "非公企业": "民营企业",
    "外企": "外资企业",
    "农民": "农牧渔民", "牧民": "农牧渔民", "渔民": "农牧渔民",
    "军人": "军人、武警", "武警": "军人、武警", "军人武警": "军人、武警",
    "在校学生": "学生",
    "离退休": "离退休人员", "离休": "离休干部", "退休": "退休人员",
    "社区工作者": "社区工作人员", "社区干部": "社区工作人员",
    "自由职业": "自由职业人员", "自由职业者": "自由职业人员",
    "无业": "其他无业人员", "无业人员": "其他无业人员", "待业": "其他无业人员",
    "其它": "其他",
}


def normalize_job_post(s: str | None) -> str:
    """The official name for a name, alias or code at any level; "" when empty."""
    key = strip_all_spaces(s or "")
    if not key:
        return ""
    if key in _CODE_BY_NAME:
        return key
    name = _ALIASES.get(key) or _NAME_BY_CODE.get(key)
    if name is None:
        raise FieldError(FIELD, f"无法识别“{key}”，请从工作岗位列表中选择")
    return name


def job_post_code(name: str) -> str:
    """The statistics code of a job post (name or alias)."""
    normalized = normalize_job_post(name)
    if not normalized:
        raise FieldError(FIELD, "不能为空")
    return _CODE_BY_NAME[normalized]


def job_post_name(code: str) -> str:
    """The name for a code, e.g. "42" -> "退休人员"."""
    try:
        return _NAME_BY_CODE[code]
    except KeyError:
        raise FieldError(FIELD, f"没有代码为“{code}”的工作岗位") from None
