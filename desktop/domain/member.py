"""A party member's record (花名册) and the rules a record must obey."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from .dates import add_months, add_years
from .errors import FieldError, ValidationErrors
from .idcard import parse_id_number


class Category(str, enum.Enum):
    FULL = "正式党员"
    PROBATIONARY = "预备党员"


class Status(str, enum.Enum):
    """Where the record stands on the roster; only ACTIVE members are counted."""

    ACTIVE = "在册"
    TRANSFERRED_OUT = "已转出"
    SUSPENDED = "停止党籍"
    EXPELLED = "出党"
    DECEASED = "去世"


class PartyStanding(str, enum.Enum):
    """党籍状态 as the national collection names it."""

    NORMAL = "正常"
    SUSPENDED = "停止党籍"


SEXES = ("男", "女")
PROBATION_WARNING_DAYS = 60


@dataclass
class Member:
    name: str
    org_id: int | None
    id_number: str
    sex: str = ""
    ethnicity: str = "汉族"
    birth_date: date | None = None
    education: str = ""
    category: Category = Category.FULL
    joined: date | None = None
    confirmed: date | None = None
    job: str = ""
    mobile: str = ""
    phone: str = ""
    address: str = ""
    standing: PartyStanding = PartyStanding.NORMAL
    lost_contact: bool = False
    lost_contact_date: date | None = None
    is_mobile: bool = False
    outflow: str = ""
    remarks: str = ""
    classification: str = ""
    party_post: str = ""
    group_id: int | None = None
    probation_extension_months: int = 0
    status: Status = Status.ACTIVE
    left_date: date | None = None
    extra_org_ids: list[int] = field(default_factory=list)
    id: int | None = None
    uuid: str | None = None

    @property
    def probation_end(self) -> date | None:
        """One year from admission, plus any extension (6–12 months, once)."""
        if self.category is not Category.PROBATIONARY or self.joined is None:
            return None
        end = add_years(self.joined, 1)
        if self.probation_extension_months:
            end = add_months(end, self.probation_extension_months)
        return end


def validate_member(m: Member, today: date | None = None) -> None:
    """Raise ValidationErrors naming every field that is wrong; fill sex/birth from the ID."""
    today = today or date.today()
    errors: list[FieldError] = []

    def err(f: str, msg: str) -> None:
        errors.append(FieldError(f, msg))

    if not (m.name or "").strip():
        err("姓名", "不能为空")
    if m.org_id is None:
        err("所在党支部", "请选择所在党组织")
    info = None
    if not m.id_number:
        err("公民身份号码", "不能为空")
    else:
        try:
            info = parse_id_number(m.id_number)
        except FieldError as e:
            errors.append(e)
    if info is not None:
        if not m.birth_date:
            m.birth_date = info.birth_date
        elif m.birth_date != info.birth_date:
            err("出生日期", f"与公民身份号码中的出生日期{info.birth_date.isoformat()}不一致")
        if not m.sex:
            m.sex = info.sex
        elif m.sex != info.sex:
            err("性别", f"与公民身份号码不一致（号码显示为{info.sex}）")
    if m.sex and m.sex not in SEXES:
        err("性别", "应为“男”或“女”")
    if m.birth_date and m.birth_date > today:
        err("出生日期", "不能晚于今天")
    if m.joined is None:
        err("加入党组织日期", "不能为空")
    else:
        if m.joined > today:
            err("加入党组织日期", "不能晚于今天")
        if m.birth_date and add_years(m.birth_date, 18) > m.joined:
            err("加入党组织日期", "入党时应年满18周岁")
    if m.category is Category.FULL:
        if m.confirmed and m.joined and m.confirmed <= m.joined:
            err("转为正式党员日期", "应晚于加入党组织日期")
        if m.confirmed and m.confirmed > today:
            err("转为正式党员日期", "不能晚于今天")
    elif m.confirmed:
        err("转为正式党员日期", "预备党员不应填写转正日期")
    if m.probation_extension_months and not 6 <= m.probation_extension_months <= 12:
        err("延长预备期", "只能延长6至12个月")
    if m.lost_contact and not m.lost_contact_date:
        err("失去联系日期", "失联党员须填写失去联系日期")
    if not m.lost_contact and m.lost_contact_date:
        err("失去联系日期", "未标记为失联党员时不应填写")
    if m.is_mobile is False and m.outflow:
        err("外出流向", "不是流动党员时不应填写")
    mobile = (m.mobile or "").strip()
    if mobile and not (len(mobile) == 11 and mobile.isdigit() and mobile[0] == "1"):
        err("手机号码", "应为以1开头的11位数字")
    if errors:
        raise ValidationErrors(errors)


def party_age_years(m: Member, today: date) -> int | None:
    """党龄 counts from the 转正 date."""
    if m.category is not Category.FULL or not m.confirmed:
        return None
    years = today.year - m.confirmed.year - ((today.month, today.day) < (m.confirmed.month, m.confirmed.day))
    return max(years, 0)
