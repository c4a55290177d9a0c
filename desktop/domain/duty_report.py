"""书记抓党建双向述职评议: the round, its appraisal template (data, not code) and tallies.

The template says which items are rated (in groups, plus an overall rating), which
ratings exist and what each scores, which audiences appraise and with what weight
(percentages adding up to 100), and the score thresholds that give the final grade
on one of two scales. A new round copies last year's template; the defaults below are
only the first round's starting point (domain.md: no national weighting exists).

Tallies are counted from paper: per reporting secretary and audience, the number of
people entitled to appraise, the ballots returned, and per item × rating the ticks.
A rater may leave an item blank, so an item's ticks may be fewer than the ballots
returned, never more.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from .errors import DomainError, FieldError

OVERALL_GROUP = "总体评价"
OVERALL_ITEM = "总体评价"


class RoundStatus(str, enum.Enum):
    OPEN = "进行中"
    CLOSED = "已结束"


class GradeScale(str, enum.Enum):
    GOOD = "好/较好/一般/差"
    EXCELLENT = "优秀/称职/基本称职/不称职"

    @property
    def grades(self) -> tuple[str, ...]:
        return tuple(self.value.split("/"))


@dataclass
class ItemGroup:
    name: str
    items: list[str] = field(default_factory=list)


@dataclass
class Rating:
    label: str
    score: float


@dataclass
class Audience:
    name: str
    weight: float


@dataclass
class AppraisalTemplate:
    groups: list[ItemGroup]
    ratings: list[Rating]
    audiences: list[Audience]
    scale: GradeScale = GradeScale.GOOD
    thresholds: list[float] = field(default_factory=lambda: [90.0, 75.0, 60.0])
    """Lowest score of each grade but the last, highest first (3 numbers for 4 grades)."""
    overall: bool = True
    """Ballots end with an overall rating (总体评价) besides the items."""

    @property
    def items(self) -> list[tuple[str, str]]:
        """(group, item) in ballot order, the overall rating last."""
        out = [(g.name, i) for g in self.groups for i in g.items]
        if self.overall:
            out.append((OVERALL_GROUP, OVERALL_ITEM))
        return out

    @property
    def item_names(self) -> list[str]:
        return [i for _g, i in self.items]

    @property
    def rating_labels(self) -> list[str]:
        return [r.label for r in self.ratings]

    def audience(self, name: str) -> Audience:
        for a in self.audiences:
            if a.name == name:
                return a
        raise FieldError("评议类别", f"本轮评议没有“{name}”")

    def copy(self) -> "AppraisalTemplate":
        return template_from_dict(template_to_dict(self))


def group_items(pairs: list[tuple[str, str]]) -> list[ItemGroup]:
    """(group, item) rows as edited in a table → groups, in first-seen order of the group."""
    groups: dict[str, ItemGroup] = {}
    for group, item in pairs:
        g, i = group.strip(), item.strip()
        if not g and not i:
            continue
        groups.setdefault(g, ItemGroup(g)).items.append(i)
    return list(groups.values())


def default_template() -> AppraisalTemplate:
    return AppraisalTemplate(
        groups=[
            ItemGroup("履行职责", ["履行第一责任人职责", "研究部署党建工作", "落实党建工作责任制"]),
            ItemGroup("抓基层党建", ["党组织建设和组织生活", "党员教育管理", "服务群众、基层治理"]),
            ItemGroup("作风建设", ["廉洁自律", "工作作风"]),
        ],
        ratings=[Rating("好", 100), Rating("较好", 80), Rating("一般", 60), Rating("差", 40)],
        audiences=[Audience("上级评议", 50), Audience("党员群众评议", 50)],
    )


PEER_AUDIENCE = "同级互评"


def _num(value: float) -> str:
    return f"{value:g}"


def validate_template(t: AppraisalTemplate) -> None:
    """Raise FieldError naming the first thing wrong (weights must add up to 100)."""
    names = [a.name.strip() for a in t.audiences]
    if not names:
        raise FieldError("评议类别", "至少要有一个评议类别")
    if any(not n for n in names):
        raise FieldError("评议类别", "名称不能为空")
    if len(set(names)) != len(names):
        raise FieldError("评议类别", "名称不能重复")
    for a in t.audiences:
        if not 0 <= a.weight <= 100:
            raise FieldError("权重", f"“{a.name}”的权重应在0至100之间")
    total = sum(a.weight for a in t.audiences)
    if abs(total - 100) > 1e-6:
        parts = "＋".join(f"{a.name}{_num(a.weight)}%" for a in t.audiences)
        raise FieldError("权重", f"各评议类别的权重合计应为100%，现为{parts}＝{_num(total)}%")
    items = t.item_names
    if not [g for g in t.groups if g.items] and not t.overall:
        raise FieldError("测评项目", "至少要有一个测评项目")
    if any(not g.name.strip() for g in t.groups):
        raise FieldError("测评项目", "项目分组名称不能为空")
    if any(not i.strip() for i in items):
        raise FieldError("测评项目", "项目名称不能为空")
    dup = next((i for i in items if items.count(i) > 1), None)
    if dup:
        raise FieldError("测评项目", f"“{dup}”重复出现")
    labels = t.rating_labels
    if not 2 <= len(labels) <= 6:
        raise FieldError("评价等次", "应有2至6个等次")
    if any(not x.strip() for x in labels) or len(set(labels)) != len(labels):
        raise FieldError("评价等次", "名称不能为空，也不能重复")
    for r in t.ratings:
        if not 0 <= r.score <= 100:
            raise FieldError("等次分值", f"“{r.label}”的分值应在0至100之间")
    grades = t.scale.grades
    if len(t.thresholds) != len(grades) - 1:
        raise FieldError("等次线", f"应有{len(grades) - 1}条分数线")
    prev = 100.0 + 1e-9
    for label, th in zip(grades, t.thresholds):
        if not 0 <= th <= 100 or th >= prev:
            raise FieldError("等次线", f"“{label}”的最低分应在0至100之间，且高于下一等次")
        prev = th


def ballot_change(old: AppraisalTemplate, new: AppraisalTemplate) -> str | None:
    """What changed on the ballot itself (items, ratings, audiences), or None.

    Once ballots are counted these may not change: the counts would lose their meaning.
    Weights, scores and grade lines may (they only change how counts are weighed)."""
    if old.item_names != new.item_names:
        return "测评项目"
    if old.rating_labels != new.rating_labels:
        return "评价等次"
    if [a.name for a in old.audiences] != [a.name for a in new.audiences]:
        return "评议类别"
    return None


def grade_for(score: float | None, t: AppraisalTemplate) -> str:
    """The grade a weighted score earns ('' when there is no score)."""
    if score is None:
        return ""
    grades = t.scale.grades
    for label, th in zip(grades, t.thresholds):
        if score >= th - 1e-9:
            return label
    return grades[-1]


# --- template as data -------------------------------------------------------------------

def template_to_dict(t: AppraisalTemplate) -> dict:
    return {
        "groups": [{"name": g.name, "items": list(g.items)} for g in t.groups],
        "ratings": [[r.label, r.score] for r in t.ratings],
        "audiences": [[a.name, a.weight] for a in t.audiences],
        "scale": t.scale.value, "thresholds": list(t.thresholds), "overall": t.overall,
    }


def template_from_dict(d: dict) -> AppraisalTemplate:
    base = default_template()
    try:
        scale = GradeScale(d.get("scale", GradeScale.GOOD.value))
    except ValueError:
        scale = GradeScale.GOOD
    return AppraisalTemplate(
        groups=[ItemGroup(str(g["name"]), [str(i) for i in g.get("items", [])])
                for g in d.get("groups", [])] if "groups" in d else base.groups,
        ratings=[Rating(str(x[0]), float(x[1])) for x in d.get("ratings", [])] or base.ratings,
        audiences=[Audience(str(x[0]), float(x[1])) for x in d.get("audiences", [])] or base.audiences,
        scale=scale,
        thresholds=[float(x) for x in d.get("thresholds", base.thresholds)],
        overall=bool(d.get("overall", True)),
    )


# --- the round --------------------------------------------------------------------------

@dataclass
class Reporter:
    """One secretary reporting in the round (taken from the tree, editable)."""

    name: str
    org_id: int | None = None
    org_name: str = ""
    member_id: int | None = None
    post: str = "书记"
    report_text: str = ""
    report_file: str = ""
    """Relative path of the attached 述职报告 in the database's files folder."""
    report_file_name: str = ""
    id: int | None = None
    uuid: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name}（{self.org_name}{self.post}）" if self.org_name else self.name


@dataclass
class DutyRound:
    year: int
    title: str
    template: AppraisalTemplate
    scope: list[int] = field(default_factory=list)
    """Chosen organisations; empty = the whole street."""
    up_date: date | None = None
    up_place: str = ""
    down_date: date | None = None
    down_place: str = ""
    status: RoundStatus = RoundStatus.OPEN
    remarks: str = ""
    reporters: list[Reporter] = field(default_factory=list)
    id: int | None = None
    uuid: str | None = None

    @property
    def closed(self) -> bool:
        return self.status is RoundStatus.CLOSED


def default_title(year: int, street: str = "") -> str:
    return f"{street}{year}年度党组织书记抓基层党建工作述职评议"


def validate_round(r: DutyRound) -> None:
    if not 2000 <= r.year <= 2100:
        raise FieldError("年度", "应在2000至2100之间")
    if not r.title.strip():
        raise FieldError("名称", "不能为空")
    if len(r.title) > 100:
        raise FieldError("名称", "不能超过100个字")
    validate_template(r.template)
    for i, p in enumerate(r.reporters, start=1):
        if not p.name.strip():
            raise FieldError("述职人", f"第{i}位述职人的姓名不能为空")
    if r.up_date and r.up_date.year not in (r.year, r.year + 1):
        raise FieldError("向上述职日期", f"应在{r.year}年或次年年初")
    if r.down_date and r.down_date.year not in (r.year, r.year + 1):
        raise FieldError("向下述职日期", f"应在{r.year}年或次年年初")


@dataclass
class RoundSummary:
    id: int
    year: int
    title: str
    status: RoundStatus
    reporters: int = 0


# --- tallies ----------------------------------------------------------------------------

@dataclass
class AudienceTally:
    """Counted ballots of one audience for one secretary."""

    reporter_id: int | None
    audience: str
    entitled: int = 0
    """在册/应参评人数."""
    returned: int = 0
    """收回的测评表（实参评人数）."""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    """item → rating → ticks."""
    id: int | None = None
    uuid: str | None = None

    def count(self, item: str, rating: str) -> int:
        return self.counts.get(item, {}).get(rating, 0)

    def item_total(self, item: str) -> int:
        return sum(self.counts.get(item, {}).values())


class TallyError(FieldError):
    """A count that cannot be: names the secretary, the audience and the item."""

    def __init__(self, reporter: str, audience: str, item: str, message: str):
        place = "·".join(x for x in (reporter, audience, item and f"“{item}”") if x)
        super().__init__(place, message)
        self.reporter, self.audience, self.item = reporter, audience, item


def cell_problem(counts_of_item: dict[str, int], returned: int) -> str | None:
    """Why an item's counts cannot stand (None when they can): the rule one cell obeys."""
    if any(c < 0 for c in counts_of_item.values()):
        return "票数不能为负数"
    total = sum(counts_of_item.values())
    if total > returned:
        return f"各等次合计{total}票，超过收回的测评表{returned}张"
    return None


def check_tally(t: AudienceTally, template: AppraisalTemplate, reporter: str) -> None:
    """Raise TallyError naming secretary, audience and item for the first impossible count."""
    if t.audience not in [a.name for a in template.audiences]:
        raise TallyError(reporter, t.audience, "", "本轮评议没有这个评议类别")
    if t.entitled < 0 or t.returned < 0:
        raise TallyError(reporter, t.audience, "", "人数不能为负数")
    if t.entitled and t.returned > t.entitled:
        raise TallyError(reporter, t.audience, "",
                         f"收回的测评表{t.returned}张，超过应参评人数{t.entitled}人")
    known = set(template.item_names)
    labels = set(template.rating_labels)
    for item, by_rating in t.counts.items():
        if item not in known:
            raise TallyError(reporter, t.audience, item, "不是本轮的测评项目")
        bad = next((r for r in by_rating if r not in labels), None)
        if bad:
            raise TallyError(reporter, t.audience, item, f"“{bad}”不是本轮的评价等次")
    for item in template.item_names:  # ballot order: the first wrong row is named
        problem = cell_problem(t.counts.get(item, {}), t.returned)
        if problem:
            raise TallyError(reporter, t.audience, item, problem)


def add_ballot(t: AudienceTally, template: AppraisalTemplate, choices: dict[str, str | None]) -> None:
    """Count one paper ballot: one more returned, one tick per item ticked (None: blank).

    Entered ballot by ballot (small groups), a ballot can never push an item past the
    ballots returned, so the counts stay valid by construction."""
    labels = set(template.rating_labels)
    known = set(template.item_names)
    for item, rating in choices.items():
        if item not in known:
            raise FieldError("测评项目", f"“{item}”不是本轮的测评项目")
        if rating is not None and rating not in labels:
            raise FieldError("评价等次", f"“{rating}”不是本轮的评价等次")
    t.returned += 1
    if t.entitled and t.returned > t.entitled:
        t.returned -= 1
        raise FieldError("收回测评表", f"已录入{t.returned}张，达到应参评人数{t.entitled}人")
    for item, rating in choices.items():
        if rating is not None:
            by = t.counts.setdefault(item, {})
            by[rating] = by.get(rating, 0) + 1


# --- 整改清单 ----------------------------------------------------------------------------

@dataclass
class FixItem:
    """A problem raised in a round and the fix promised; open until marked done."""

    round_id: int | None
    problem: str
    measure: str = ""
    due: date | None = None
    done_on: date | None = None
    reporter_id: int | None = None
    org_id: int | None = None
    name: str = ""
    org_name: str = ""
    round_year: int | None = None
    """Year of the round that raised it (for carried items)."""
    id: int | None = None
    uuid: str | None = None

    @property
    def open(self) -> bool:
        return self.done_on is None

    @property
    def state_text(self) -> str:
        return "已完成" if self.done_on else "未完成"


def validate_fix(f: FixItem) -> None:
    if not f.problem.strip():
        raise FieldError("存在问题", "不能为空")
    if len(f.problem) > 1000 or len(f.measure) > 1000:
        raise FieldError("整改措施", "不能超过1000个字")
    if not f.name.strip() and f.reporter_id is None:
        raise FieldError("述职人", "请选择整改责任人")


@dataclass
class BallotSet:
    """What a 民主测评表 print run holds: numbered 1…copies, one per rater."""

    title: str
    year: int
    template: AppraisalTemplate
    reporters: list[Reporter]
    audience: str | None
    """The audience printed on the ballot; None: the rater ticks it."""
    copies: int
    combined: bool
    """All secretaries on each ballot (else one secretary, one ballot per page)."""

    @property
    def number_width(self) -> int:
        return max(3, len(str(self.copies)))

    def number(self, i: int) -> str:
        return str(i).zfill(self.number_width)


class RoundClosed(DomainError):
    """The round is closed: its tallies and reporters no longer change."""
