"""The clerk's 工作台: what is due (reminders), counts at a glance, the 党员统计表.

Reminders come from sources: functions `source(home, today, scope) -> list[Reminder]`
where scope is the set of organisation ids chosen (None: the whole street); a source
keeps to the scope itself (members by the roster's scope rule, organisations by id:
see reminders.in_scope). The
built-in ones cover the roster, the tree and 三会一课; other features add theirs with
`ws.home.add_source(name, fn)` or are picked up here when their service exists
(`ws.duty.open_rounds()`, `ws.registrations.shortfalls(today)`). A source that fails
does not hide the others: its message is kept in `HomeData.failures`.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..domain import reminders as rules
from ..domain.errors import FieldError
from ..domain.meeting_calendar import quarter_of
from ..domain.organization import OrgKind
from ..domain.reminders import Reminder
from ..domain.stats import (HOME_COLUMNS, TABLE_COLUMNS, HomeStats, StatsTable, meeting_compliance,
                            roll_up, stats_title)
from ..domain.tasks import CancelToken, Progress, no_progress
from ..storage import organizations as org_repo
from ..storage import reminders_query, stats_query
from .organizations import build_tree, descendant_ids

log = logging.getLogger(__name__)

Scope = set[int] | None
ReminderSource = Callable[["HomeService", date, Scope], list[Reminder]]


@dataclass
class HomeData:
    """Everything the home page shows for one organisation, loaded in one go."""

    org_id: int | None
    today: date
    reminders: list[Reminder]
    stats: HomeStats
    failures: list[str] = field(default_factory=list)


class HomeService:
    def __init__(self, ws):
        self.ws = ws
        self.sources: list[tuple[str, ReminderSource]] = list(BUILT_IN_SOURCES)
        self._ledger: dict[date, list] = {}

    def meeting_summary(self, today: date, cancel: CancelToken | None = None) -> list:
        """This year's 三会一课台账 summary (organisation × kind × quarter, groups included):
        one pass over every organisation's calendar serves both the compliance counts and
        the 三会一课 reminders (kept for the duration of one load)."""
        if today not in self._ledger:
            self._ledger = {today: self.ws.meetings.ledger(today.year, today, cancel=cancel,
                                                           sheets=False).summary}
        return self._ledger[today]

    @property
    def db(self):
        return self.ws.db

    def add_source(self, name: str, source: ReminderSource) -> None:
        """Another feature's reminders (replaces a source of the same name)."""
        self.sources = [(n, s) for n, s in self.sources if n != name] + [(name, source)]

    # --- scope ---------------------------------------------------------------------------
    def _scope(self, org_id: int | None) -> tuple[list[int] | None, str]:
        """(organisation ids, or None for the whole street; the scope's name)."""
        with self.db.reading() as conn:
            nodes = org_repo.tree_nodes(conn, include_dissolved=True)
        roots = [n for n in nodes if n.parent_id is None]
        if org_id is None or (len(roots) == 1 and roots[0].id == org_id):
            return None, roots[0].name if len(roots) == 1 else "全街道"
        node = next((n for n in nodes if n.id == org_id), None)
        if node is None:
            return [], ""
        return descendant_ids(nodes, org_id), node.name

    # --- reminders -----------------------------------------------------------------------
    def reminders(self, today: date | None = None, org_id: int | None = None) -> list[Reminder]:
        self._ledger = {}
        items, _failures = self._reminders(today or date.today(), self._scope(org_id)[0])
        return items

    def _reminders(self, today: date, ids: list[int] | None,
                   cancel: CancelToken | None = None) -> tuple[list[Reminder], list[str]]:
        scope = None if ids is None else set(ids)
        items: list[Reminder] = []
        failures: list[str] = []
        for name, source in self.sources:
            if cancel:
                cancel.check()
            try:
                items.extend(source(self, today, scope))
            except Exception as e:  # another feature's source must not hide ours
                log.exception("reminder source %s failed", name)
                failures.append(f"{name}：{e}")
        return rules.sort_reminders(items), failures

    # --- counts --------------------------------------------------------------------------
    def stats(self, org_id: int | None = None, today: date | None = None) -> HomeStats:
        today = today or date.today()
        self._ledger = {}
        ids, name = self._scope(org_id)
        return self._stats(today, ids, name)

    def _stats(self, today: date, ids: list[int] | None, name: str) -> HomeStats:
        with self.db.reading() as conn:
            counts = stats_query.counts(conn, HOME_COLUMNS, today, ids)
        meetings = meeting_compliance(today.year, self.meeting_summary(today), quarter_of(today),
                                      None if ids is None else set(ids))
        return HomeStats(name, today, counts, meetings)

    def load(self, org_id: int | None = None, today: date | None = None,
             progress: Progress = no_progress, cancel: CancelToken | None = None) -> HomeData:
        """Reminders and counts for the page (run off the GUI thread)."""
        today = today or date.today()
        cancel = cancel or CancelToken()
        self._ledger = {}
        progress(0, 2, "正在统计…")
        ids, name = self._scope(org_id)
        self.meeting_summary(today, cancel)
        stats = self._stats(today, ids, name)
        cancel.check()
        progress(1, 2, "正在查找待办事项…")
        items, failures = self._reminders(today, ids, cancel)
        progress(2, 2, "")
        return HomeData(org_id, today, items, stats, failures)

    # --- 党员统计表 ------------------------------------------------------------------------
    def stats_table(self, org_id: int | None = None, today: date | None = None) -> StatsTable:
        """Counts by organisation (each row includes everything below it), in tree order."""
        today = today or date.today()
        with self.db.reading() as conn:
            nodes = org_repo.tree_nodes(conn)
            own = stats_query.counts_by_org(conn, TABLE_COLUMNS, today)
        roots = build_tree(nodes)
        if org_id is not None:
            found = _find(roots, org_id)
            if found is None:
                raise FieldError("组织", f"组织（编号{org_id}）不存在或已撤销")
            roots = [found]
        tree: list[tuple[int, str, int, int | None]] = []

        def walk(n, depth: int) -> None:
            tree.append((n.id, n.name, depth, n.parent_id))
            for c in n.children:
                if c.kind is not OrgKind.GROUP:  # a group's members are its branch's
                    walk(c, depth + 1)

        for r in roots:
            walk(r, 0)
        scope_name = roots[0].name if len(roots) == 1 else "全街道"
        return StatsTable(stats_title(scope_name, today), scope_name, today, TABLE_COLUMNS,
                          roll_up(tree, own))

    def export_stats(self, path: Path | str, org_id: int | None = None, today: date | None = None,
                     progress: Progress = no_progress, cancel: CancelToken | None = None) -> StatsTable:
        """党员统计表 as .xlsx or .pdf (A4 landscape); returns the table written."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise FieldError("文件", "党员统计表只能导出为 .xlsx 或 .pdf 文件")
        progress(0, 0, "正在统计…")
        table = self.stats_table(org_id, today)
        if cancel:
            cancel.check()
        if suffix == ".xlsx":
            from ..exports.xlsx.stats import write_stats_xlsx

            write_stats_xlsx(path, table, cancel=cancel)
        else:
            from ..exports.pdf.stats import write_stats_pdf

            write_stats_pdf(path, table, cancel=cancel, progress=progress)
        return table


def _find(nodes, org_id: int):
    for n in nodes:
        if n.id == org_id:
            return n
        hit = _find(n.children, org_id)
        if hit is not None:
            return hit
    return None


# --- the built-in sources -------------------------------------------------------------------

def _query_ids(scope: Scope) -> list[int] | None:
    return None if scope is None else sorted(scope)


def probation_source(home: HomeService, today: date, scope: Scope) -> list[Reminder]:
    with home.db.reading() as conn:
        rows = reminders_query.probationers(conn, _query_ids(scope))
    return rules.probation_reminders(rows, today)


def term_source(home: HomeService, today: date, scope: Scope) -> list[Reminder]:
    with home.db.reading() as conn:
        orgs = org_repo.all_organizations(conn)
    return rules.in_scope(rules.term_reminders(orgs, today), scope)


def meeting_source(home: HomeService, today: date, scope: Scope) -> list[Reminder]:
    rows = rules.quarter_rows(home.meeting_summary(today), quarter_of(today))
    return rules.in_scope(rules.meeting_reminders(rows, today), scope)


def contact_source(home: HomeService, today: date, scope: Scope) -> list[Reminder]:
    with home.db.reading() as conn:
        rows = reminders_query.contact_rows(conn, _query_ids(scope))
    return rules.lost_contact_reminders(rows, today) + rules.mobile_check_reminders(rows, today)


def duty_source(home: HomeService, today: date, scope: Scope) -> list[Reminder]:
    """述职评议 rounds not closed, once that feature's service exists (ws.duty)."""
    duty = getattr(home.ws, "duty", None)
    if duty is None or not hasattr(duty, "open_rounds"):
        return []
    return rules.in_scope(rules.as_reminders(duty.open_rounds(), rules.DUTY, "duty_page",
                                             "述职评议尚未结束"), scope)


def registration_source(home: HomeService, today: date, scope: Scope) -> list[Reminder]:
    """双报到 commitments and quotas falling short, once that feature exists (ws.registrations)."""
    regs = getattr(home.ws, "registrations", None)
    if regs is None or not hasattr(regs, "shortfalls"):
        return []
    return rules.in_scope(rules.shortfall_reminders(regs.shortfalls(today), "registrations_page"),
                          scope)


BUILT_IN_SOURCES: tuple[tuple[str, ReminderSource], ...] = (
    (rules.PROBATION, probation_source),
    (rules.TERM, term_source),
    (rules.MEETING, meeting_source),
    ("失联与流动党员", contact_source),
    (rules.DUTY, duty_source),
    (rules.REGISTRATION, registration_source),
)
