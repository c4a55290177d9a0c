"""Results of a 述职评议 round: distributions, weighted scores, grades and ranks.

How a score is made (the rule, once):

- an item's score in one audience is the mean of its ticks' rating scores (blank
  ballots for that item do not count); an item nobody ticked has no score;
- an audience's score is the mean of its scored items' scores;
- the combined (weighted) score sums audience score × weight over the audiences
  that returned ballots, divided by the sum of their weights: an audience with no
  returns drops out and the others' weights are scaled up, so a missing audience
  neither zeroes nor inflates a secretary; with no returns at all there is no score
  and no grade;
- ranks are competition ranks on the score rounded to two decimals (ties share a
  rank, the next rank skips: 1, 1, 3); secretaries without a score are not ranked.

The distribution shown in the summary (count and % per rating) is that of the
overall rating (总体评价) when the template has one, else of all items together;
percentages are of the ballots returned (of all ticks, without an overall rating).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .duty_report import (OVERALL_ITEM, AppraisalTemplate, AudienceTally, DutyRound, FixItem,
                          Reporter, grade_for)


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent_text(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def score_text(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


class _Shares:
    """Counts per rating (in the template's order), as shares of `base`."""

    counts: list[int]
    base: int

    @property
    def percents(self) -> list[float | None]:
        return [ratio(c, self.base) for c in self.counts]


class _Turnout(_Shares):
    entitled: int
    returned: int

    @property
    def participation(self) -> float | None:
        return ratio(self.returned, self.entitled)


@dataclass
class ItemResult(_Shares):
    group: str
    item: str
    counts: list[int]
    base: int
    """What percentages are of (ballots returned)."""
    score: float | None

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class AudienceResult(_Turnout):
    audience: str
    weight: float
    entitled: int
    returned: int
    items: list[ItemResult]
    counts: list[int]
    """The distribution shown in the summary (see the module note)."""
    base: int
    score: float | None


@dataclass
class SecretaryResult(_Turnout):
    reporter: Reporter
    audiences: list[AudienceResult]
    counts: list[int]
    base: int
    score: float | None
    grade: str
    rank: int | None = None
    fixes: list[FixItem] = field(default_factory=list)

    @property
    def entitled(self) -> int:
        return sum(a.entitled for a in self.audiences)

    @property
    def returned(self) -> int:
        return sum(a.returned for a in self.audiences)


@dataclass
class RoundResults:
    round: DutyRound
    street: str
    secretaries: list[SecretaryResult]

    @property
    def template(self) -> AppraisalTemplate:
        return self.round.template

    @property
    def title(self) -> str:
        return f"{self.round.title}结果汇总表"


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def item_score(counts: list[int], scores: list[float]) -> float | None:
    n = sum(counts)
    return sum(c * s for c, s in zip(counts, scores)) / n if n else None


def audience_result(t: AppraisalTemplate, audience: str, weight: float,
                    tally: AudienceTally | None) -> AudienceResult:
    labels, scores = t.rating_labels, [r.score for r in t.ratings]
    tally = tally or AudienceTally(None, audience)
    items = []
    for group, item in t.items:
        counts = [tally.count(item, r) for r in labels]
        items.append(ItemResult(group, item, counts, tally.returned, item_score(counts, scores)))
    overall = next((i for i in items if i.item == OVERALL_ITEM), None) if t.overall else None
    if overall is not None:
        counts, base = overall.counts, tally.returned
    else:
        counts = [sum(i.counts[k] for i in items) for k in range(len(labels))]
        base = sum(counts)
    score = _mean([i.score for i in items if i.score is not None]) if tally.returned else None
    return AudienceResult(audience, weight, tally.entitled, tally.returned, items, counts, base, score)


def weighted_score(parts: list[tuple[float | None, float]]) -> float | None:
    """Σ score×weight / Σ weight over the audiences that have a score."""
    scored = [(s, w) for s, w in parts if s is not None]
    weight = sum(w for _s, w in scored)
    if not scored or weight <= 0:
        return None
    return sum(s * w for s, w in scored) / weight


def assign_ranks(results: list[SecretaryResult]) -> None:
    """Competition ranking on the score rounded to 2 decimals; no score → no rank."""
    scored = sorted((r for r in results if r.score is not None), key=lambda r: -round(r.score, 2))
    prev, rank = None, 0
    for i, r in enumerate(scored, start=1):
        key = round(r.score, 2)
        if key != prev:
            rank, prev = i, key
        r.rank = rank
    for r in results:
        if r.score is None:
            r.rank = None


def secretary_result(t: AppraisalTemplate, reporter: Reporter,
                     tallies: dict[str, AudienceTally]) -> SecretaryResult:
    audiences = [audience_result(t, a.name, a.weight, tallies.get(a.name)) for a in t.audiences]
    n = len(t.ratings)
    counts = [sum(a.counts[k] for a in audiences) for k in range(n)]
    base = sum(a.base for a in audiences)
    score = weighted_score([(a.score, a.weight) for a in audiences])
    return SecretaryResult(reporter, audiences, counts, base, score, grade_for(score, t))


def round_results(r: DutyRound, street: str, tallies: list[AudienceTally],
                  fixes: list[FixItem] | None = None) -> RoundResults:
    by_reporter: dict[int | None, dict[str, AudienceTally]] = {}
    for t in tallies:
        by_reporter.setdefault(t.reporter_id, {})[t.audience] = t
    out = [secretary_result(r.template, p, by_reporter.get(p.id, {})) for p in r.reporters]
    assign_ranks(out)
    for s in out:
        s.fixes = fixes_of(s.reporter, r.id, fixes or [])
    return RoundResults(r, street, out)


def fixes_of(reporter: Reporter, round_id: int | None, fixes: list[FixItem]) -> list[FixItem]:
    """This secretary's 整改 items: raised in this round, or carried from an earlier
    round for the same organisation (the secretary may have changed)."""
    return [f for f in fixes if (f.round_id == round_id and f.reporter_id == reporter.id)
            or (f.round_id != round_id and reporter.org_id is not None
                and f.org_id == reporter.org_id)]


# --- the tables the 汇总表 prints (the .xlsx and the PDF share them) ---------------------

@dataclass(frozen=True)
class Column:
    group: str
    """Header above (an audience with its weight, 综合); '' for the leading columns."""
    label: str
    kind: str
    """int | pct | score | text"""


def summary_columns(t: AppraisalTemplate) -> list[Column]:
    cols = [Column("", "序号", "int"), Column("", "姓名", "text"), Column("", "组织及职务", "text")]

    def block(group: str, with_score: bool) -> list[Column]:
        out = [Column(group, "应参评", "int"), Column(group, "实参评", "int"),
               Column(group, "参评率", "pct")]
        for r in t.rating_labels:
            out += [Column(group, r, "int"), Column(group, f"{r}%", "pct")]
        if with_score:
            out.append(Column(group, "得分", "score"))
        return out

    for a in t.audiences:
        cols += block(f"{a.name}（{a.weight:g}%）", True)
    cols += block("综合", False)
    cols += [Column("综合", "加权得分", "score"), Column("综合", "等次", "text"),
             Column("综合", "排名", "int")]
    return cols


def summary_row(i: int, s: SecretaryResult) -> list:
    """Values in summary_columns order: numbers stay numbers, None where there is nothing."""
    p = s.reporter
    row: list = [i, p.name, f"{p.org_name}{p.post}" if p.org_name else p.post]

    def block(entitled, returned, part, counts, percents) -> list:
        out: list = [entitled, returned, part]
        for c, pc in zip(counts, percents):
            out += [c, pc]
        return out

    for a in s.audiences:
        row += block(a.entitled, a.returned, a.participation, a.counts, a.percents) + [a.score]
    row += block(s.entitled, s.returned, s.participation, s.counts, s.percents)
    row += [s.score, s.grade, s.rank]
    return row


DETAIL_LEAD = ["评议类别", "类别", "测评项目"]


def detail_columns(t: AppraisalTemplate) -> list[Column]:
    cols = [Column("", x, "text") for x in DETAIL_LEAD]
    for r in t.rating_labels:
        cols += [Column("", r, "int"), Column("", f"{r}%", "pct")]
    return cols + [Column("", "得分", "score")]


def detail_rows(s: SecretaryResult) -> list[list]:
    """Every item of every audience: counts, % of ballots returned, the item's score."""
    rows = []
    for a in s.audiences:
        for it in a.items:
            row: list = [a.audience, it.group, it.item]
            for c, pc in zip(it.counts, it.percents):
                row += [c, pc]
            rows.append(row + [it.score])
    return rows


def audience_line(a: AudienceResult) -> str:
    return (f"{a.audience}（权重{a.weight:g}%）：应参评{a.entitled}人，实参评{a.returned}人，"
            f"参评率{percent_text(a.participation) or '—'}，得分{score_text(a.score) or '—'}")


def secretary_line(s: SecretaryResult) -> str:
    rank = f"第{s.rank}名" if s.rank else "—"
    return (f"加权得分：{score_text(s.score) or '—'}　　等次：{s.grade or '—'}　　"
            f"排名：{rank}")


FIX_HEADER = ["序号", "存在问题", "整改措施", "完成时限", "提出年度", "状态"]


def method_note(t: AppraisalTemplate) -> str:
    weights = "、".join(f"{a.name}{a.weight:g}%" for a in t.audiences)
    scores = "、".join(f"{r.label}{r.score:g}分" for r in t.ratings)
    grades = t.scale.grades
    lines = "、".join(f"{g}≥{th:g}" for g, th in zip(grades, t.thresholds))
    return (f"计分办法：{scores}；各项目得分取所有勾选的平均分，各评议类别得分取各项目得分的平均值；"
            f"权重{weights}（未收回测评表的类别不计，其余按权重折算）；"
            f"等次：{lines}，其余为{grades[-1]}。" + (
                "各等次票数及百分比为“总体评价”的票数占收回测评表的比例。" if t.overall
                else "各等次票数及百分比为全部项目的勾选合计。"))
