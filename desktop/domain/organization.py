"""The organisation tree: 街道党工委 → 社区党委/党总支 → 党支部 → 党小组."""
from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from .errors import FieldError


class OrgKind(str, enum.Enum):
    STREET = "街道党工委"
    COMMUNITY = "社区党委"
    GENERAL_BRANCH = "社区党总支"
    BRANCH = "党支部"
    GROUP = "党小组"


class BranchKind(str, enum.Enum):
    GRID = "网格党支部"
    COURTYARD = "楼院党支部"
    FUNCTIONAL = "功能型党支部"
    MOBILE = "流动党员党支部"
    RESIDENT_UNIT = "驻区单位党支部"
    NEW_ORG = "两新组织党支部"


# Which kinds may sit directly under which parent kind (None: the root).
ALLOWED_PARENTS: dict[OrgKind, tuple[OrgKind | None, ...]] = {
    OrgKind.STREET: (None,),
    OrgKind.COMMUNITY: (OrgKind.STREET,),
    OrgKind.GENERAL_BRANCH: (OrgKind.STREET, OrgKind.COMMUNITY),
    OrgKind.BRANCH: (OrgKind.STREET, OrgKind.COMMUNITY, OrgKind.GENERAL_BRANCH),
    OrgKind.GROUP: (OrgKind.BRANCH,),
}

# Organisations whose members are held directly (a member belongs to exactly one).
MEMBER_HOLDING_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMUNITY)

# Since 2018 community committees, 总支 and 支部 are elected for 5 years.
DEFAULT_TERM_YEARS = 5
TERM_WARNING_MONTHS = 6


def parse_org_kind(text: str) -> OrgKind:
    """Accept the Chinese name or a short alias (社区, 总支, 支部, 小组, 街道)."""
    t = (text or "").strip()
    aliases = {
        "街道": OrgKind.STREET, "street": OrgKind.STREET,
        "社区": OrgKind.COMMUNITY, "community": OrgKind.COMMUNITY,
        "总支": OrgKind.GENERAL_BRANCH, "党总支": OrgKind.GENERAL_BRANCH, "general": OrgKind.GENERAL_BRANCH,
        "支部": OrgKind.BRANCH, "branch": OrgKind.BRANCH,
        "小组": OrgKind.GROUP, "group": OrgKind.GROUP,
    }
    for k in OrgKind:
        if t == k.value:
            return k
    if t in aliases:
        return aliases[t]
    for b in BranchKind:
        if t == b.value:
            return OrgKind.BRANCH
    names = "、".join(k.value for k in OrgKind)
    raise FieldError("组织类型", f"“{t}”不是有效的组织类型，可选：{names}")


def check_parent(kind: OrgKind, parent_kind: OrgKind | None) -> None:
    if parent_kind not in ALLOWED_PARENTS[kind]:
        if parent_kind is None:
            raise FieldError("上级组织", f"{kind.value}必须有上级组织")
        raise FieldError("上级组织", f"{kind.value}不能设在{parent_kind.value}之下")


def check_kind_change(kind: OrgKind, parent_kind: OrgKind | None,
                      child_kinds: list[OrgKind], own_members: int) -> None:
    """An organisation that becomes another kind must still fit its parent and children,
    and may hold members itself only as a kind that holds them."""
    check_parent(kind, parent_kind)
    for child in sorted(set(child_kinds), key=lambda k: k.value):
        if kind not in ALLOWED_PARENTS[child]:
            raise FieldError("组织类型", f"下级有{child.value}，{kind.value}之下不能设{child.value}")
    if own_members and kind not in MEMBER_HOLDING_KINDS:
        raise FieldError("组织类型", f"本组织直接管理{own_members}名党员，{kind.value}不能直接管理党员；"
                                 "请先把党员转到党支部")


@dataclass
class Organization:
    name: str
    kind: OrgKind
    parent_id: int | None = None
    branch_kind: BranchKind | None = None
    founded: date | None = None
    term_start: date | None = None
    term_end: date | None = None
    contact: str = ""
    remarks: str = ""
    dissolved: date | None = None
    id: int | None = None
    uuid: str | None = None

    def validate(self) -> None:
        name = (self.name or "").strip()
        if not name:
            raise FieldError("组织名称", "不能为空")
        if len(name) > 60:
            raise FieldError("组织名称", "不能超过60个字")
        if self.branch_kind is not None and self.kind is not OrgKind.BRANCH:
            raise FieldError("支部类型", "只有党支部有支部类型")
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise FieldError("任期结束", "应晚于任期开始")


@dataclass
class OrgNode:
    """One row of the tree as the clerk sees it, with its member count (own and below)."""

    id: int
    name: str
    kind: OrgKind
    parent_id: int | None
    branch_kind: BranchKind | None = None
    own_members: int = 0
    total_members: int = 0
    dissolved: date | None = None
    children: list["OrgNode"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.branch_kind.value if self.branch_kind else self.kind.value


def walk_tree(roots: Iterable[OrgNode], depth: int = 0,
              path: str = "") -> Iterator[tuple[OrgNode, int, str]]:
    """(node, depth, full path "街道 / 社区 / 支部") of every node below `roots`, in tree order."""
    for n in roots:
        full = f"{path} / {n.name}" if path else n.name
        yield n, depth, full
        yield from walk_tree(n.children, depth + 1, full)


class CommitteeRole(str, enum.Enum):
    SECRETARY = "书记"
    DEPUTY = "副书记"
    ORGANIZATION = "组织委员"
    PROPAGANDA = "宣传委员"
    DISCIPLINE = "纪检委员"
    MEMBER = "委员"
    GROUP_LEADER = "党小组长"


COMMITTEE_DATE = "班子调整日期"


def committee_change_date(when: date | None, today: date) -> date:
    """The day a change of the committee (换届, 补选, 调整) takes effect: the day it really
    happened, so a past 支委会 expects the committee of its day; today when not given."""
    if when is None:
        return today
    if when > today:
        raise FieldError(COMMITTEE_DATE, f"不能晚于今天（{today.isoformat()}），请填写已经发生的换届或调整日期")
    return when


@dataclass
class CommitteeSeat:
    member_id: int
    role: CommitteeRole
    member_name: str = ""
