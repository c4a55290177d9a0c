"""What is due (工作台 reminders): the rules, as pure functions of plain rows and `today`.

Each rule takes rows a query produced and returns Reminder items; the home service
collects them from every source (features add their own, see services/home.py) and
the page shows them grouped by kind, most urgent first. A reminder points at its
record: an organisation (`org_id`), a member (`member_id`) and/or a page (`page`,
a module under ui/pages) the click should open.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable

from .dates import add_months, format_date
from .meeting_calendar import ComplianceRow
from .meeting_ledger import LedgerSummaryRow
from .member import PROBATION_WARNING_DAYS, Category, Member
from .organization import TERM_WARNING_MONTHS, OrgKind, Organization

# Kinds of reminder in the order the page shows them. Sources may use other kinds:
# those are shown after these, in the order they first appear.
PROBATION = "转正提醒"
TERM = "换届提醒"
MEETING = "三会一课"
LOST_CONTACT = "失联党员"
MOBILE_CHECK = "流动党员"
DUTY = "述职评议"
REGISTRATION = "双报到"
KIND_ORDER = (PROBATION, TERM, MEETING, LOST_CONTACT, MOBILE_CHECK, DUTY, REGISTRATION)

LOST_CONTACT_MONTHS = 6
"""失联党员: no contact for 6 months or more (domain.md)."""

MEETINGS_PAGE = "meetings_page"


@dataclass(frozen=True)
class Reminder:
    kind: str
    title: str
    """Who or what: a member's name, an organisation's name."""
    detail: str
    """What is due, in a short sentence."""
    org_id: int | None = None
    org_name: str = ""
    member_id: int | None = None
    page: str | None = None
    """A page (module under ui/pages) to open on click, e.g. meetings_page."""
    due: date | None = None
    overdue: bool = False

    @property
    def text(self) -> str:
        where = f"（{self.org_name}）" if self.org_name and self.org_name != self.title else ""
        return f"{self.title}{where}：{self.detail}"


def _days_text(due: date, today: date) -> str:
    days = (due - today).days
    if days > 0:
        return f"还有{days}天"
    if days == 0:
        return "今天到期"
    return f"已超过{-days}天"


# --- 转正提醒 ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ProbationRow:
    member_id: int
    name: str
    org_id: int
    org_name: str
    joined: date | None
    extension_months: int = 0


def probation_reminders(rows: Iterable[ProbationRow], today: date,
                        within_days: int = PROBATION_WARNING_DAYS) -> list[Reminder]:
    """Probationers whose year (plus any extension) ends within `within_days` or has passed."""
    out = []
    limit = today + timedelta(days=within_days)
    for r in rows:
        end = Member(name=r.name, org_id=r.org_id, id_number="", joined=r.joined,
                     category=Category.PROBATIONARY,
                     probation_extension_months=r.extension_months or 0).probation_end
        if end is None or end > limit:
            continue
        ext = f"（已延长{r.extension_months}个月）" if r.extension_months else ""
        out.append(Reminder(PROBATION, r.name,
                            f"预备期{format_date(end)}届满{ext}，{_days_text(end, today)}",
                            r.org_id, r.org_name, r.member_id, due=end, overdue=end < today))
    return out


# --- 换届提醒 ---------------------------------------------------------------------------

def term_reminders(orgs: Iterable[Organization], today: date,
                   within_months: int = TERM_WARNING_MONTHS) -> list[Reminder]:
    """Organisations (not 党小组, not dissolved) whose term ends within `within_months`
    or has ended."""
    out = []
    limit = add_months(today, within_months)
    for o in orgs:
        if o.kind is OrgKind.GROUP or o.dissolved or o.term_end is None or o.term_end > limit:
            continue
        if o.term_end < today:
            detail = f"任期已于{format_date(o.term_end)}届满，请及时换届"
        else:
            detail = f"任期{format_date(o.term_end)}届满，{_days_text(o.term_end, today)}"
        out.append(Reminder(TERM, o.name, detail, o.id, o.name, due=o.term_end,
                            overdue=o.term_end < today))
    return out


# --- 三会一课 ---------------------------------------------------------------------------

def meeting_reminders(rows: Iterable[ComplianceRow], today: date) -> list[Reminder]:
    """Per organisation, the meetings required this quarter (this month's, this quarter's;
    half-yearly and yearly ones in the quarter their period ends) not yet recorded:
    缺 for periods already over, 待开 for the period still running or only planned.

    `rows` are MeetingService.compliance(today.year, quarter_of(today), today) rows, or
    quarter_rows() of the year's ledger summary.
    """
    out = []
    quarter = "一二三四"[(today.month - 1) // 3]
    for r in rows:
        parts, missing = [], 0
        for kind, q in r.by_kind.items():
            bits = []
            if q.missing:
                bits.append(f"缺{q.missing}次")
            if q.due:
                bits.append(f"待开{q.due}次")
            if bits:
                parts.append(f"{kind.short}{'、'.join(bits)}")
                missing += q.missing
        if parts:
            out.append(Reminder(MEETING, r.org_name, f"{quarter}季度未记录：" + "；".join(parts),
                                r.org_id, r.org_name, page=MEETINGS_PAGE, overdue=missing > 0))
    return out


def quarter_rows(summary: Iterable[LedgerSummaryRow], quarter: int) -> list[ComplianceRow]:
    """The 三会一课台账 summary (organisation × kind, four quarters) regrouped as one
    quarter's compliance rows, one per organisation, in the ledger's order."""
    rows: dict[int, ComplianceRow] = {}
    for s in summary:
        row = rows.setdefault(s.org_id, ComplianceRow(s.org_id, s.org_name, s.parent_name, {}))
        row.by_kind[s.kind] = s.quarters[quarter - 1]
    return list(rows.values())


# --- 失联党员 ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ContactRow:
    member_id: int
    name: str
    org_id: int
    org_name: str
    lost_contact: bool = False
    lost_contact_date: date | None = None
    is_mobile: bool = False
    classification: str = ""
    outflow: str = ""
    last_update: date | datetime | None = None
    """When the record was last changed (the roster keeps no separate 核实 date)."""


def lost_contact_reminders(rows: Iterable[ContactRow], today: date,
                           months: int = LOST_CONTACT_MONTHS) -> list[Reminder]:
    """Members marked 失联 whose contact was lost `months` or more ago."""
    out = []
    cutoff = add_months(today, -months)
    for r in rows:
        if not r.lost_contact or r.lost_contact_date is None or r.lost_contact_date > cutoff:
            continue
        months_lost = (today.year - r.lost_contact_date.year) * 12 + today.month - r.lost_contact_date.month
        months_lost -= today.day < r.lost_contact_date.day
        out.append(Reminder(LOST_CONTACT, r.name,
                            f"自{format_date(r.lost_contact_date)}失去联系，已{months_lost}个月",
                            r.org_id, r.org_name, r.member_id, due=r.lost_contact_date, overdue=True))
    return out


# --- 流动党员 ---------------------------------------------------------------------------

def half_year_start(today: date) -> date:
    return date(today.year, 1 if today.month <= 6 else 7, 1)


def is_mobile_member(r: ContactRow) -> bool:
    return r.is_mobile or r.classification == "流动党员"


def mobile_check_reminders(rows: Iterable[ContactRow], today: date) -> list[Reminder]:
    """流动党员 whose record has not been checked (updated) since this half-year began.

    The roster stores no 核实 date: the record's last change stands in for it, so
    editing and saving the member (after checking with them) clears the reminder.
    """
    out = []
    start = half_year_start(today)
    half = "上半年" if start.month == 1 else "下半年"
    for r in rows:
        if not is_mobile_member(r) or r.last_update is None:
            continue
        last = r.last_update.date() if isinstance(r.last_update, datetime) else r.last_update
        if last >= start:
            continue
        where = f"（外出流向：{r.outflow}）" if r.outflow else ""
        out.append(Reminder(MOBILE_CHECK, r.name,
                            f"{today.year}年{half}尚未核实{where}，档案最后更新于{format_date(last)}",
                            r.org_id, r.org_name, r.member_id, due=start))
    return out


# --- other features' items ------------------------------------------------------------------

_TITLE_ATTRS = ("title", "name", "org_name", "label")
_DETAIL_ATTRS = ("detail", "text", "summary", "message", "description", "status")


def as_reminders(items: Iterable[Any], kind: str, page: str | None = None,
                 default_detail: str = "") -> list[Reminder]:
    """Reminders from another feature's items: a Reminder as is, an object with
    to_reminder(), or any object with org_id and a title/name and detail/text."""
    out = []
    for item in items or ():
        if isinstance(item, Reminder):
            out.append(item)
            continue
        convert = getattr(item, "to_reminder", None)
        if callable(convert):
            out.append(convert())
            continue
        title = next((str(v) for a in _TITLE_ATTRS if (v := getattr(item, a, None))), str(item))
        detail = next((str(v) for a in _DETAIL_ATTRS if (v := getattr(item, a, None))
                       and str(v) != title), default_detail)
        due = getattr(item, "due", None)
        out.append(Reminder(kind, title, detail, getattr(item, "org_id", None),
                            str(getattr(item, "org_name", "") or ""),
                            getattr(item, "member_id", None), page,
                            due if isinstance(due, date) else None,
                            bool(getattr(item, "overdue", False))))
    return out


def shortfall_reminders(report: Any, page: str | None = None) -> list[Reminder]:
    """双报到: a shortfall report (its `quarter` and `year` shortfalls, each with name,
    employer, period and text, and its `open_commitments`) or a plain list of items."""
    if report is None:
        return []
    if not hasattr(report, "open_commitments"):
        return as_reminders(report, REGISTRATION, page, "未达到要求")
    out = []
    for s in list(getattr(report, "quarter", [])) + list(getattr(report, "year", [])):
        who = f"{s.name}（{s.employer}）" if getattr(s, "employer", "") else s.name
        out.append(Reminder(REGISTRATION, who, f"{s.period}{s.text}", page=page))
    for c in report.open_commitments:
        out.append(Reminder(REGISTRATION, c.name or "共建单位",
                            f"{c.year}年承诺尚未践诺：{c.content}", page=page))
    return out


# --- putting them together ------------------------------------------------------------------

def in_scope(reminders: Iterable[Reminder], org_ids: set[int] | None) -> list[Reminder]:
    """Those of the chosen organisations (None: all); reminders of no organisation stay."""
    if org_ids is None:
        return list(reminders)
    return [r for r in reminders if r.org_id is None or r.org_id in org_ids]


def sort_reminders(reminders: Iterable[Reminder]) -> list[Reminder]:
    """By kind (KIND_ORDER, then others as they came), overdue first, then by date and name."""
    items = list(reminders)
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    for r in items:
        order.setdefault(r.kind, len(order))
    return sorted(items, key=lambda r: (order[r.kind], not r.overdue, r.due or date.max,
                                        r.org_name, r.title))


def group_by_kind(reminders: Iterable[Reminder]) -> dict[str, list[Reminder]]:
    out: dict[str, list[Reminder]] = {}
    for r in sort_reminders(reminders):
        out.setdefault(r.kind, []).append(r)
    return out
