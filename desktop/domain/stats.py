"""Member statistics: which columns a count has, age bands, and the 党员统计表.

A StatsColumn says which members it counts in terms of one member field, so the
storage layer can turn every column into one SUM(CASE …) of a single scan, and
the exports and the home page share one definition of "大学本科", "31—40岁" ….
The columns of a group partition the members (`rest=True` takes whatever its siblings
did not: 其他, 未填), so the group adds up to the total; only 民族 counts just 汉族 and
少数民族, as party statistics do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .classification import CLASSIFICATIONS
from .dates import add_years
from .ethnicity import ETHNICITIES
from .meeting import MeetingKind
from .meeting_calendar import QuarterCount
from .meeting_ledger import LedgerSummaryRow
from .member import SEXES, Category


@dataclass(frozen=True)
class StatsColumn:
    key: str
    group: str
    """The heading above a set of columns: 人员类别, 性别, 年龄, 学历, 民族, 社区党员分类."""
    label: str
    field: str
    """The member attribute: category, sex, education, ethnicity, classification, birth_date."""
    values: tuple[str, ...] = ()
    rest: bool = False
    """Everything the other columns of the group do not count (including empty)."""
    ages: tuple[int | None, int | None] | None = None
    """birth_date columns: age from–to, inclusive (None: open)."""


TOTAL_KEY = "total"


def _cols(group: str, fld: str, spec: list[tuple[str, tuple[str, ...]]], rest: str | None = None,
          prefix: str = "") -> tuple[StatsColumn, ...]:
    cols = [StatsColumn(f"{prefix or fld}:{label}", group, label, fld, values)
            for label, values in spec]
    if rest:
        cols.append(StatsColumn(f"{prefix or fld}:{rest}", group, rest, fld, rest=True))
    return tuple(cols)


CATEGORY_COLUMNS = _cols("人员类别", "category", [(c.value, (c.value,)) for c in Category])
SEX_COLUMNS = _cols("性别", "sex", [(s, (s,)) for s in SEXES], rest="未填")
CLASSIFICATION_COLUMNS = _cols("社区党员分类", "classification",
                               [(c, (c,)) for c in CLASSIFICATIONS], rest="未分类")
EDUCATION_COLUMNS = _cols("学历", "education", [
    ("研究生", ("博士研究生", "硕士研究生")),
    ("大学本科", ("大学本科",)),
    ("大学专科", ("大学专科",)),
    ("中专", ("中等专科",)),
    ("高中", ("高中",)),
    ("初中及以下", ("初中", "小学")),
], rest="其他")
# 其他, 外国血统 and empty are in neither column.
ETHNICITY_COLUMNS = (
    StatsColumn("ethnicity:汉族", "民族", "汉族", "ethnicity", ("汉族",)),
    StatsColumn("ethnicity:少数民族", "民族", "少数民族", "ethnicity",
                tuple(e for e in ETHNICITIES if e not in ("汉族", "其他", "外国血统"))),
)
AGE_BANDS: tuple[tuple[int | None, int | None], ...] = (
    (None, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, None))


def _age_label(lo: int | None, hi: int | None) -> str:
    if lo is None:
        return f"{hi}岁及以下"
    if hi is None:
        return f"{lo}岁及以上"
    return f"{lo}—{hi}岁"


AGE_COLUMNS = tuple(StatsColumn(f"age:{_age_label(lo, hi)}", "年龄", _age_label(lo, hi),
                                "birth_date", ages=(lo, hi)) for lo, hi in AGE_BANDS)

# The street's 党员统计表 (counts by organisation) and the home page's breakdowns.
TABLE_COLUMNS = CATEGORY_COLUMNS + SEX_COLUMNS[:2] + AGE_COLUMNS + EDUCATION_COLUMNS + ETHNICITY_COLUMNS
HOME_GROUPS = (CATEGORY_COLUMNS, CLASSIFICATION_COLUMNS, SEX_COLUMNS, AGE_COLUMNS, EDUCATION_COLUMNS)
HOME_COLUMNS = tuple(c for g in HOME_GROUPS for c in g)


def birth_bounds(ages: tuple[int | None, int | None], today: date) -> tuple[date | None, date | None]:
    """(born after, born on or before) for ages lo–hi on `today`; None where open.

    Age is whole years on `today`: aged ≥ lo ⇔ born on or before today − lo years;
    aged ≤ hi ⇔ born after today − (hi + 1) years.
    """
    lo, hi = ages
    after = add_years(today, -(hi + 1)) if hi is not None else None
    on_or_before = add_years(today, -lo) if lo is not None else None
    return after, on_or_before


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def column_matches(col: StatsColumn, value, today: date, siblings: tuple[StatsColumn, ...] = ()) -> bool:
    """The same rule the SQL applies, for one value (tests and small lists)."""
    if col.ages is not None:
        if value is None:
            return False
        lo, hi = col.ages
        age = age_on(value, today)
        return (lo is None or age >= lo) and (hi is None or age <= hi)
    if col.rest:
        taken = {v for s in siblings if s is not col and not s.rest for v in s.values}
        return (value or "") not in taken
    return (value or "") in col.values


# --- results ----------------------------------------------------------------------------

@dataclass
class Counts:
    """Members counted per column key (TOTAL_KEY: all)."""

    values: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.values.get(TOTAL_KEY, 0)

    def __getitem__(self, key: str) -> int:
        return self.values.get(key, 0)

    def add(self, other: "Counts") -> None:
        for k, v in other.values.items():
            self.values[k] = self.values.get(k, 0) + v

    def group(self, columns: tuple[StatsColumn, ...]) -> list[tuple[str, int]]:
        return [(c.label, self[c.key]) for c in columns]


@dataclass
class StatsRow:
    org_id: int
    org_name: str
    depth: int
    counts: Counts


@dataclass
class StatsTable:
    """党员统计表: one row per organisation (counts include everything below it)."""

    title: str
    scope_name: str
    day: date
    columns: tuple[StatsColumn, ...]
    rows: list[StatsRow]

    @property
    def total(self) -> Counts:
        return self.rows[0].counts if self.rows else Counts()

    def groups(self) -> list[tuple[str, list[StatsColumn]]]:
        """Consecutive columns under one heading: [(人员类别, [...]), (性别, [...]), …]."""
        out: list[tuple[str, list[StatsColumn]]] = []
        for c in self.columns:
            if out and out[-1][0] == c.group:
                out[-1][1].append(c)
            else:
                out.append((c.group, [c]))
        return out


def stats_title(scope_name: str, day: date) -> str:
    return f"{scope_name}党员统计表（截至{day.year}年{day.month}月{day.day}日）"


def roll_up(tree: list[tuple[int, str, int, int | None]], own: dict[int, Counts]) -> list[StatsRow]:
    """Rows in tree order from (org_id, name, depth, parent_id) and each organisation's own
    counts, every row summing its own members and all below it."""
    rows = [StatsRow(org_id, name, depth, Counts(dict(own.get(org_id, Counts()).values)))
            for org_id, name, depth, _parent in tree]
    by_id = {r.org_id: r for r in rows}
    parents = {org_id: parent for org_id, _n, _d, parent in tree}
    for org_id, _n, depth, _p in sorted(tree, key=lambda t: -t[2]):
        parent = parents.get(org_id)
        if parent in by_id:
            by_id[parent].counts.add(by_id[org_id].counts)
    return rows


# --- meetings this year ----------------------------------------------------------------------

@dataclass
class MeetingCompliance:
    """This year so far, over the chosen organisations: the ledger's counts per meeting kind
    summed over its quarters (held meetings; required, missing and due periods)."""

    year: int
    through_quarter: int
    kinds: dict[MeetingKind, QuarterCount]

    def _sum(self, attr: str) -> int:
        return sum(getattr(q, attr) for q in self.kinds.values())

    @property
    def required(self) -> int:
        return self._sum("required")

    @property
    def missing(self) -> int:
        return self._sum("missing")

    @property
    def held(self) -> int:
        return self._sum("held")

    @property
    def due(self) -> int:
        return self._sum("due")

    @property
    def rate(self) -> float | None:
        """Required periods not missed, of those required so far (待开 still counts as met)."""
        return (self.required - self.missing) / self.required if self.required else None


def meeting_compliance(year: int, summary: list[LedgerSummaryRow], through_quarter: int,
                       org_ids: set[int] | None) -> MeetingCompliance:
    """Sum the 三会一课台账 summary rows (organisation × kind × quarter) per kind, over
    quarters 1..through_quarter and the chosen organisations (None: all)."""
    by_kind: dict[MeetingKind, QuarterCount] = {}
    for r in summary:
        if org_ids is not None and r.org_id not in org_ids:
            continue
        k = by_kind.setdefault(r.kind, QuarterCount())
        for q in r.quarters[:through_quarter]:
            k.add(q)
    return MeetingCompliance(year, through_quarter,
                             {k: by_kind[k] for k in sorted(by_kind, key=list(MeetingKind).index)})


@dataclass
class HomeStats:
    """The home page's counts for one organisation and everything below it."""

    scope_name: str
    day: date
    counts: Counts
    meetings: MeetingCompliance | None = None

    def groups(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return [(g[0].group, self.counts.group(g)) for g in HOME_GROUPS]
