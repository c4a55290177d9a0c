"""双报到: in-service members and resident units reporting to the community.

在职党员 report to the community where they live; most are NOT on this street's
roster (their membership is with their employer's branch), so a registration is
a record of its own, optionally linked to a roster member when the person is
also ours. 驻区单位 (resident units) report with their party organisation and
sign a 共建协议 (co-building agreement). Both claim items of the community's
需求/资源/项目清单, make yearly commitments (承诺践诺) and take part in service
activities (服务记实); see registration_quota.py and registration_feedback.py.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from .errors import FieldError, ValidationErrors
from .idcard import normalize_id_number, parse_id_number
from .member import SEXES


class ServicePost(str, enum.Enum):
    """服务岗位 a registered member prefers, and the post of a service activity."""

    ORGANISATION = "组织建设"
    LEGAL = "法律援助"
    RELIEF = "助困扶残"
    GOVERNANCE = "社区治理"
    HEALTH = "健康医疗"
    CULTURE = "文化体育"
    PATROL = "安全巡逻"
    OTHER = "其他"


class RegistrantKind(str, enum.Enum):
    MEMBER = "在职党员"
    UNIT = "驻区单位"


class ListKind(str, enum.Enum):
    NEED = "需求清单"
    RESOURCE = "资源清单"
    PROJECT = "项目清单"


class ItemStatus(str, enum.Enum):
    OPEN = "待认领"
    CLAIMED = "已认领"
    DONE = "已完成"


@dataclass(frozen=True)
class Ref:
    """Who: a registered member or a resident unit (their registration id)."""

    kind: RegistrantKind
    id: int


@dataclass
class RegisteredMember:
    """在职党员报到登记表."""

    community_id: int | None
    name: str
    employer: str = ""
    """工作单位."""
    employer_org: str = ""
    """The employer's party organisation (所在党组织), where the membership is."""
    employer_contact: str = ""
    """Contact person and telephone of that organisation (where the 回执/反馈表 go)."""
    sex: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    grid: str = ""
    """The grid (网格) of the home address within the community."""
    skills: str = ""
    posts: list[ServicePost] = field(default_factory=list)
    reported_on: date | None = None
    member_id: int | None = None
    """The roster member this person is, when also on the street's roster."""
    remarks: str = ""
    id: int | None = None
    uuid: str | None = None

    @property
    def ref(self) -> Ref:
        return Ref(RegistrantKind.MEMBER, self.id)

    @property
    def posts_text(self) -> str:
        return "、".join(p.value for p in self.posts)


@dataclass
class ScanFile:
    """An attached scan (the signed 共建协议), stored in the database's files folder."""

    file_name: str
    path: str
    sha256: str
    size: int


@dataclass
class ResidentUnit:
    """驻区单位报到 with its 共建协议."""

    community_id: int | None
    name: str
    party_org: str = ""
    secretary: str = ""
    liaison: str = ""
    liaison_phone: str = ""
    members_count: int = 0
    reported_on: date | None = None
    agreement_parties: str = ""
    """The parties of the 共建协议 (e.g. 幸福社区党委、市供电公司党委)."""
    agreement_start: date | None = None
    agreement_end: date | None = None
    agreement_commitments: str = ""
    scan: ScanFile | None = None
    remarks: str = ""
    id: int | None = None
    uuid: str | None = None

    @property
    def ref(self) -> Ref:
        return Ref(RegistrantKind.UNIT, self.id)

    @property
    def agreement_period(self) -> str:
        if not self.agreement_start and not self.agreement_end:
            return ""
        a = self.agreement_start.isoformat() if self.agreement_start else ""
        b = self.agreement_end.isoformat() if self.agreement_end else ""
        return f"{a}至{b}"


@dataclass
class Claim:
    ref: Ref
    name: str = ""
    claimed_on: date | None = None


@dataclass
class ListItem:
    """One line of a community's 需求清单 / 资源清单 / 项目清单."""

    community_id: int | None
    kind: ListKind
    title: str
    detail: str = ""
    owner: str = ""
    """Who raised or holds the item (a household, the community, a unit)."""
    status: ItemStatus = ItemStatus.OPEN
    created_on: date | None = None
    claims: list[Claim] = field(default_factory=list)
    id: int | None = None
    uuid: str | None = None

    @property
    def claimed_by(self) -> str:
        return "、".join(c.name for c in self.claims)


@dataclass
class Commitment:
    """承诺践诺: a promise for the year, kept (已践诺, with date and evidence) or open."""

    ref: Ref
    year: int
    content: str
    kept_on: date | None = None
    evidence: str = ""
    name: str = ""
    id: int | None = None
    uuid: str | None = None

    @property
    def kept(self) -> bool:
        return self.kept_on is not None

    @property
    def status_text(self) -> str:
        return "已践诺" if self.kept else "未践诺"


@dataclass
class Participant:
    ref: Ref
    name: str = ""
    hours: float | None = None
    """This person's hours when they differ from the activity's."""


@dataclass
class ServiceRecord:
    """服务记实: one activity and everyone who took part in it."""

    community_id: int | None
    day: date
    activity: str
    hours: float = 0.0
    place: str = ""
    post: ServicePost = ServicePost.OTHER
    confirmed_by: str = ""
    """The community worker who confirms the record."""
    photo: ScanFile | None = None
    participants: list[Participant] = field(default_factory=list)
    id: int | None = None
    uuid: str | None = None

    def hours_of(self, p: Participant) -> float:
        return self.hours if p.hours is None else p.hours


MAX_HOURS = 24.0


def _errors() -> tuple[list[FieldError], callable]:
    errors: list[FieldError] = []

    def err(f: str, msg: str) -> None:
        errors.append(FieldError(f, msg))
    return errors, err


def _length(err, label: str, value: str, limit: int) -> None:
    if len(value or "") > limit:
        err(label, f"不能超过{limit}个字")


def validate_registration(r: RegisteredMember, today: date | None = None) -> None:
    """Clean up and check a 在职党员报到 record in place; ValidationErrors names every field."""
    today = today or date.today()
    errors, err = _errors()
    r.name = (r.name or "").strip()
    r.phone = (r.phone or "").strip()
    if r.community_id is None:
        err("报到社区", "请选择报到的社区")
    if not r.name:
        err("姓名", "不能为空")
    _length(err, "姓名", r.name, 30)
    if r.sex and r.sex not in SEXES:
        err("性别", "应为“男”或“女”")
    if r.member_id is None and not r.employer.strip():
        err("工作单位", "不能为空")
    if r.member_id is None and not r.phone:
        err("联系电话", "不能为空")
    _length(err, "联系电话", r.phone, 30)
    try:
        r.id_number = normalize_id_number(r.id_number)
        if r.id_number:
            info = parse_id_number(r.id_number, today=today)
            if r.sex and r.sex != info.sex:
                err("性别", f"与公民身份号码不符（号码显示为{info.sex}）")
            r.sex = r.sex or info.sex
    except FieldError as e:
        errors.append(e)
    for label, value, limit in (("工作单位", r.employer, 100), ("所在党组织", r.employer_org, 100),
                                ("党组织联系人", r.employer_contact, 100),
                                ("家庭住址", r.address, 200), ("所在网格", r.grid, 30),
                                ("特长", r.skills, 500), ("备注", r.remarks, 2000)):
        _length(err, label, value, limit)
    if r.reported_on is None:
        err("报到日期", "不能为空")
    elif r.reported_on > today:
        err("报到日期", "不能晚于今天")
    if len(set(r.posts)) != len(r.posts):
        r.posts = list(dict.fromkeys(r.posts))
    if errors:
        raise ValidationErrors(errors)


def validate_unit(u: ResidentUnit, today: date | None = None) -> None:
    today = today or date.today()
    errors, err = _errors()
    u.name = (u.name or "").strip()
    if u.community_id is None:
        err("报到社区", "请选择报到的社区")
    if not u.name:
        err("单位名称", "不能为空")
    _length(err, "单位名称", u.name, 100)
    for label, value, limit in (("单位党组织", u.party_org, 100), ("党组织书记", u.secretary, 30),
                                ("联络员", u.liaison, 30), ("联络员电话", u.liaison_phone, 30),
                                ("协议各方", u.agreement_parties, 200),
                                ("共建事项", u.agreement_commitments, 4000), ("备注", u.remarks, 2000)):
        _length(err, label, value, limit)
    if u.members_count < 0:
        err("党员人数", "不能为负数")
    if u.reported_on is None:
        err("报到日期", "不能为空")
    elif u.reported_on > today:
        err("报到日期", "不能晚于今天")
    if u.agreement_start and u.agreement_end and u.agreement_end < u.agreement_start:
        err("协议期限", "结束日期不能早于开始日期")
    if errors:
        raise ValidationErrors(errors)


def validate_item(item: ListItem) -> None:
    errors, err = _errors()
    item.title = (item.title or "").strip()
    if item.community_id is None:
        err("社区", "请选择社区")
    if not item.title:
        err("事项", "不能为空")
    _length(err, "事项", item.title, 200)
    _length(err, "内容", item.detail, 2000)
    _length(err, "提出方", item.owner, 100)
    if errors:
        raise ValidationErrors(errors)


def validate_commitment(c: Commitment) -> None:
    errors, err = _errors()
    c.content = (c.content or "").strip()
    if not c.content:
        err("承诺内容", "不能为空")
    _length(err, "承诺内容", c.content, 500)
    _length(err, "践诺情况", c.evidence, 1000)
    if not 2000 <= c.year <= 2100:
        err("年度", "应为2000至2100年")
    elif c.kept_on and c.kept_on.year not in (c.year, c.year + 1):
        err("践诺日期", f"应在{c.year}年内（或次年初补记）")
    if errors:
        raise ValidationErrors(errors)


def validate_service(s: ServiceRecord, today: date | None = None) -> None:
    """One activity with its participants; every participant at most once."""
    today = today or date.today()
    errors, err = _errors()
    s.activity = (s.activity or "").strip()
    if s.community_id is None:
        err("社区", "请选择社区")
    if not s.activity:
        err("活动内容", "不能为空")
    _length(err, "活动内容", s.activity, 200)
    _length(err, "地点", s.place, 100)
    _length(err, "确认人", s.confirmed_by, 30)
    if s.day > today:
        err("服务日期", "不能晚于今天")
    if not 0 < s.hours <= MAX_HOURS:
        err("服务时长", f"应大于0且不超过{MAX_HOURS:g}小时")
    if not s.confirmed_by.strip():
        err("确认人", "请填写确认的社区工作人员")
    if not s.participants:
        err("参加人员", "请至少选择一名参加人员")
    seen: set[Ref] = set()
    for p in s.participants:
        if p.ref in seen:
            err("参加人员", f"“{p.name or p.ref.id}”重复")
        seen.add(p.ref)
        if p.hours is not None and not 0 < p.hours <= MAX_HOURS:
            err("服务时长", f"“{p.name}”的时长应大于0且不超过{MAX_HOURS:g}小时")
    if errors:
        raise ValidationErrors(errors)


def hours_text(h: float) -> str:
    """1.5 → "1.5", 2.0 → "2"."""
    return f"{h:.1f}".rstrip("0").rstrip(".")
