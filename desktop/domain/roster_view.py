"""What the clerk asks of the roster table: which columns, which filter, which order."""
from __future__ import annotations

from dataclasses import dataclass, field

# (key, Chinese header) in the order the roster table shows them by default.
ROSTER_COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("org_name", "所在党组织"),
    ("sex", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("education", "学历"),
    ("category", "人员类别"),
    ("joined", "加入党组织日期"),
    ("confirmed", "转为正式党员日期"),
    ("classification", "党员分类"),
    ("party_post", "党内职务"),
    ("job", "工作岗位"),
    ("mobile", "手机号码"),
    ("id_number", "公民身份号码"),
    ("phone", "固定电话"),
    ("address", "家庭住址"),
    ("status", "状态"),
    ("left_date", "离开日期"),
]
COLUMN_KEYS = [k for k, _ in ROSTER_COLUMNS]
COLUMN_LABELS = dict(ROSTER_COLUMNS)

# Filter choices for status: the active roster, those who left, or everyone.
STATUS_ACTIVE = "在册"
STATUS_LEFT = "已离开"
STATUS_ALL = "全部"


@dataclass
class RosterFilter:
    org_ids: list[int] | None = None
    """The selected organisation and everything below it; None means the whole street."""
    text: str = ""
    category: str | None = None
    classification: str | None = None
    status: str = STATUS_ACTIVE
    sort_key: str = "name"
    descending: bool = False
    extra: dict = field(default_factory=dict)


def search_kind(text: str) -> str:
    """How a search box entry is matched: 'pinyin', 'digits' (ID/phone) or 'name'."""
    t = text.strip()
    if not t:
        return "none"
    if t.isascii() and t.isalpha() and not (len(t) >= 15):
        return "pinyin"
    if t.isascii() and all(c.isdigit() or c in "xX-" for c in t):
        return "digits"
    return "name"
