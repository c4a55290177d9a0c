"""The roster's columns as the national collection names and orders them.

One definition serves the .xlsx/PDF exports (header names and order) and the
importer (which header spellings mean which field), so a round trip holds.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RosterField:
    key: str
    """Member attribute, or a pseudo key: seq (序号), org_name, group_name."""
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"
    """text | date | bool | choice | seq"""
    width: int = 10
    """Typical width in characters, for exports."""


NATIONAL_FIELDS: tuple[RosterField, ...] = (
    RosterField("seq", "序号", ("编号", "序"), "seq", 5),
    RosterField("name", "姓名", ("党员姓名", "名字"), "text", 8),
    RosterField("org_name", "所在党支部", ("所在支部", "党支部", "支部", "所在党组织", "党组织", "支部名称", "所在党支部名称", "所属党支部", "所属支部"), "text", 20),
    RosterField("id_number", "公民身份号码", ("身份证号", "身份证号码", "身份证", "公民身份证号", "公民身份证号码", "身份号码", "证件号码", "身份证件号码"), "text", 20),
    RosterField("sex", "性别", (), "choice", 4),
    RosterField("ethnicity", "民族", (), "choice", 6),
    RosterField("birth_date", "出生日期", ("出生年月", "出生年月日", "生日"), "date", 11),
    RosterField("education", "学历", ("文化程度", "最高学历", "学历学位"), "choice", 9),
    RosterField("category", "人员类别", ("党员类别", "类别", "正式/预备", "党员身份"), "choice", 9),
    RosterField("joined", "加入党组织日期", ("入党时间", "入党日期", "入党年月", "加入党组织时间", "入党年月日"), "date", 11),
    RosterField("confirmed", "转为正式党员日期", ("转正时间", "转正日期", "转正年月", "转为正式党员时间"), "date", 11),
    RosterField("job", "工作岗位", ("岗位", "职业", "工作岗位/职业"), "choice", 12),
    RosterField("mobile", "手机号码", ("手机", "手机号", "联系电话", "联系方式", "移动电话"), "text", 13),
    RosterField("phone", "固定电话", ("座机", "电话", "家庭电话"), "text", 13),
    RosterField("address", "家庭住址", ("住址", "家庭地址", "现住址", "居住地址", "地址"), "text", 28),
    RosterField("standing", "党籍状态", (), "choice", 8),
    RosterField("lost_contact", "是否为失联党员", ("是否失联", "失联党员", "失联"), "bool", 8),
    RosterField("lost_contact_date", "失去联系日期", ("失联日期", "失联时间", "失去联系时间"), "date", 11),
    RosterField("is_mobile", "是否为流动党员", ("是否流动党员", "流动党员"), "bool", 8),
    RosterField("outflow", "外出流向", ("流向", "流出地", "外出地点"), "text", 14),
    RosterField("remarks", "备注", ("说明",), "text", 16),
)

# Fields of ours beyond the national 21 columns, appended after 备注 so that an
# exported roster imports back field for field.
EXTRA_FIELDS: tuple[RosterField, ...] = (
    RosterField("classification", "社区党员分类", ("党员分类", "分类"), "choice", 10),
    RosterField("party_post", "党内职务", ("职务", "党内职务/职务"), "text", 10),
    RosterField("group_name", "所在党小组", ("党小组", "小组"), "text", 10),
)

ALL_FIELDS = NATIONAL_FIELDS + EXTRA_FIELDS
FIELD_BY_KEY = {f.key: f for f in ALL_FIELDS}

YES, NO = "是", "否"
TRUE_WORDS = ("是", "Y", "YES", "TRUE", "1", "√", "✓")
FALSE_WORDS = ("否", "N", "NO", "FALSE", "0", "", "×")


def header_key(header: str) -> str | None:
    """The field key a header cell names, tolerant of spaces and line breaks; None if unknown."""
    h = "".join(str(header or "").split()).replace("（", "(").replace("）", ")")
    return _KEY_BY_NAME.get(h) if h else None


def _names() -> dict[str, str]:
    out: dict[str, str] = {}
    for f in ALL_FIELDS:  # the first field to claim a spelling keeps it
        for name in (f.label, *f.aliases):
            out.setdefault(name, f.key)
    return out


_KEY_BY_NAME = _names()


def parse_bool(value, label: str) -> bool:
    from .errors import FieldError

    t = "".join(str(value if value is not None else "").split()).upper()
    if t in TRUE_WORDS:
        return True
    if t in FALSE_WORDS:
        return False
    raise FieldError(label, f"应填“是”或“否”，现为“{value}”")
