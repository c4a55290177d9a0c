"""Use cases of 书记抓党建双向述职评议: prepare a round, print ballots, enter tallies,
see results, keep the 整改清单 and hand the summary upward.

A new round copies the template of the latest earlier round (or the default), and
takes its reporters from the tree: the 书记 of every community, 总支 and branch in
scope. One user action = one transaction; a closed round's tallies and reporters no
longer change (its 整改 items can still be marked done).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.duty_report import (AudienceTally, BallotSet, ballot_change, DutyRound, FixItem, Reporter, RoundClosed,
                                  RoundStatus, RoundSummary, check_tally, default_template,
                                  default_title, validate_fix, validate_round)
from ..domain.duty_report_results import RoundResults, round_results
from ..domain.errors import FieldError, NotFound
from ..domain.organization import CommitteeRole, OrgKind, OrgNode, walk_tree
from ..domain.tasks import CancelToken, Progress, no_progress
from ..storage import duty_reports as repo
from ..storage import meetings as files_repo
from ..storage import organizations as org_repo
from ..storage.database import Database
from .organizations import build_tree

REPORTING_KINDS = (OrgKind.COMMUNITY, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


@dataclass(frozen=True)
class OpenRound:
    """A round not yet closed, for the home page."""

    id: int
    year: int
    title: str


def tree_reporters(conn, org_ids: list[int] | None = None) -> list[Reporter]:
    """The 书记 of every community, 总支 and branch (of those chosen), in tree order."""
    wanted = set(org_ids or [])
    out = []
    for node, _depth, _path in walk_tree(build_tree(org_repo.tree_nodes(conn))):
        if node.kind not in REPORTING_KINDS or (wanted and node.id not in wanted):
            continue
        seat = next((s for s in org_repo.committee(conn, node.id)
                     if s.role is CommitteeRole.SECRETARY), None)
        if seat is not None:
            out.append(Reporter(seat.member_name, node.id, node.name, seat.member_id))
    return out


class DutyReportService:
    def __init__(self, db: Database):
        self.db = db

    # --- rounds ------------------------------------------------------------------------
    def rounds(self) -> list[RoundSummary]:
        with self.db.reading() as conn:
            return repo.summaries(conn)

    def open_rounds(self) -> list[OpenRound]:
        """Rounds not yet closed (id, year, title), newest first."""
        return [OpenRound(s.id, s.year, s.title) for s in self.rounds()
                if s.status is RoundStatus.OPEN]

    def get(self, round_id: int) -> DutyRound:
        with self.db.reading() as conn:
            return repo.get_round(conn, round_id)

    def draft(self, year: int, org_ids: list[int] | None = None) -> DutyRound:
        """A new, unsaved round: last year's template, the secretaries of the tree in scope."""
        with self.db.reading() as conn:
            source = repo.latest_template_source(conn, year)
            template = source.template.copy() if source else default_template()
            people = tree_reporters(conn, org_ids)
            orgs = org_repo.all_organizations(conn)
        street = next((o.name for o in orgs if o.parent_id is None), "")
        return DutyRound(year, default_title(year, street), template, list(org_ids or []),
                         reporters=people)

    def create(self, year: int, org_ids: list[int] | None = None, title: str | None = None) -> DutyRound:
        r = self.draft(year, org_ids)
        if title:
            r.title = title
        return self.save(r)

    def reporters_from_tree(self, org_ids: list[int] | None = None) -> list[Reporter]:
        with self.db.reading() as conn:
            return tree_reporters(conn, org_ids)

    def scope_choices(self) -> list[tuple[int, str, int]]:
        """(id, name, depth) of the organisations whose secretaries may report, in tree order."""
        with self.db.reading() as conn:
            roots = build_tree(org_repo.tree_nodes(conn))
        out = []

        def walk(nodes: list[OrgNode], depth: int) -> None:
            for n in nodes:
                if n.kind in REPORTING_KINDS:
                    out.append((n.id, n.name, depth))
                walk(n.children, depth + (n.kind in REPORTING_KINDS))

        walk(roots, 0)
        return out

    def save(self, r: DutyRound) -> DutyRound:
        validate_round(r)
        with self.db.transaction() as conn:
            if r.id is None:
                r.id = repo.insert_round(conn, r)
            else:
                old = repo.get_round(conn, r.id)
                if old.closed and r.closed:
                    raise RoundClosed(f"“{old.title}”已结束，请先重新开启再修改")
                changed = ballot_change(old.template, r.template)
                if changed and repo.tallies(conn, r.id):
                    raise FieldError(changed, "已经录入了计票，不能再修改测评项目、评价等次或评议类别"
                                              "（权重、分值和等次线仍可修改）")
                repo.update_round(conn, r)
            return repo.get_round(conn, r.id)

    def delete(self, round_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get_round(conn, round_id)
            repo.remove_round(conn, round_id)

    def close(self, round_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get_round(conn, round_id)
            repo.set_status(conn, round_id, RoundStatus.CLOSED)

    def reopen(self, round_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get_round(conn, round_id)
            repo.set_status(conn, round_id, RoundStatus.OPEN)

    def attach_report(self, reporter_id: int, file_name: str, data: bytes) -> Reporter:
        """Copy a 述职报告 file into the database's files folder and link it."""
        if not data:
            raise FieldError("述职报告", f"文件“{file_name}”是空的")
        with self.db.transaction() as conn:
            round_id, p = repo.reporter(conn, reporter_id)
            r = repo.get_round(conn, round_id)
            self._check_open(r)
            p.report_file, _digest = files_repo.store_file(self.db.path, data, file_name)
            p.report_file_name = Path(file_name).name
            r.reporters = [p if x.id == p.id else x for x in r.reporters]
            repo.update_round(conn, r)
            return p

    def report_path(self, p: Reporter) -> Path | None:
        return files_repo.file_path(self.db.path, p.report_file) if p.report_file else None

    @staticmethod
    def _check_open(r: DutyRound) -> None:
        if r.closed:
            raise RoundClosed(f"“{r.title}”已结束，不能再修改；如需修改请先重新开启")

    # --- tallies -----------------------------------------------------------------------
    def tallies(self, round_id: int) -> list[AudienceTally]:
        with self.db.reading() as conn:
            return repo.tallies(conn, round_id)

    def tally(self, reporter_id: int, audience: str) -> AudienceTally:
        """The stored tally, or an empty one to fill in."""
        with self.db.reading() as conn:
            round_id, _p = repo.reporter(conn, reporter_id)
            found = [t for t in repo.tallies(conn, round_id)
                     if t.reporter_id == reporter_id and t.audience == audience]
        return found[0] if found else AudienceTally(reporter_id, audience)

    def save_tallies(self, tallies: list[AudienceTally]) -> None:
        """Check every count (naming secretary, audience and item), then write them all."""
        with self.db.transaction() as conn:
            rounds: dict[int, DutyRound] = {}
            for t in tallies:
                if t.reporter_id is None:
                    raise NotFound("计票缺少述职人")
                round_id, p = repo.reporter(conn, t.reporter_id)
                if round_id not in rounds:
                    rounds[round_id] = repo.get_round(conn, round_id)
                    self._check_open(rounds[round_id])
                check_tally(t, rounds[round_id].template, p.label)
            for t in tallies:
                repo.put_tally(conn, t)

    def save_tally(self, t: AudienceTally) -> None:
        self.save_tallies([t])

    # --- results -----------------------------------------------------------------------
    def results(self, round_id: int) -> RoundResults:
        with self.db.reading() as conn:
            r = repo.get_round(conn, round_id)
            tallies = repo.tallies(conn, round_id)
            fixes = repo.fixes_for(conn, round_id, r.year)
            orgs = org_repo.all_organizations(conn)
        street = next((o.name for o in orgs if o.parent_id is None), "")
        return round_results(r, street, tallies, fixes)

    # --- 整改清单 ----------------------------------------------------------------------
    def fixes(self, round_id: int) -> list[FixItem]:
        """This round's items and the still-open items of earlier rounds."""
        with self.db.reading() as conn:
            r = repo.get_round(conn, round_id)
            fixes = repo.fixes_for(conn, round_id, r.year)
            names = {o.id: o.name for o in org_repo.all_organizations(conn)}
        for f in fixes:
            f.org_name = names.get(f.org_id, "")
        return fixes

    def save_fix(self, f: FixItem) -> FixItem:
        validate_fix(f)
        with self.db.transaction() as conn:
            if f.id is None:
                r = repo.get_round(conn, f.round_id)
                p = next((x for x in r.reporters if x.id == f.reporter_id), None)
                if f.reporter_id is not None and p is None:
                    raise FieldError("述职人", "不是本轮的述职人")
                if p is not None:
                    f.name, f.org_id = f.name or p.name, f.org_id or p.org_id
            else:
                repo.get_fix(conn, f.id)
            f.id = repo.save_fix(conn, f)
            return repo.get_fix(conn, f.id)

    def set_fix_done(self, fix_id: int, day: date | None) -> FixItem:
        """Mark an item done on `day` (None: open again)."""
        with self.db.transaction() as conn:
            f = repo.get_fix(conn, fix_id)
            f.done_on = day
            repo.save_fix(conn, f)
            return repo.get_fix(conn, fix_id)

    def delete_fix(self, fix_id: int) -> None:
        with self.db.transaction() as conn:
            repo.get_fix(conn, fix_id)
            repo.remove_fix(conn, fix_id)

    # --- paper -------------------------------------------------------------------------
    def export_ballots(self, path: Path | str, round_id: int, *, reporter_id: int | None = None,
                       audience: str | None = None, copies: int | None = None,
                       progress: Progress = no_progress, cancel: CancelToken | None = None) -> int:
        """民主测评表 PDF: for one secretary, or combined (all secretaries on each ballot).

        `copies` ballots, numbered 1…N (default: the largest 应参评 entered for the
        audience, at least 1). Returns the page count."""
        from ..exports.pdf.ballots import write_ballots

        r = self.get(round_id)
        people = [p for p in r.reporters if reporter_id is None or p.id == reporter_id]
        if not people:
            raise NotFound("本轮还没有述职人" if reporter_id is None else "找不到这位述职人")
        if audience is not None:
            r.template.audience(audience)
        if copies is None:
            entitled = [t.entitled for t in self.tallies(round_id)
                        if (audience is None or t.audience == audience)
                        and (reporter_id is None or t.reporter_id == reporter_id)]
            copies = max(entitled, default=0) or 1
        if not 1 <= copies <= 2000:
            raise FieldError("份数", "应在1至2000之间")
        ballots = BallotSet(r.title, r.year, r.template, people, audience, copies,
                            combined=reporter_id is None)
        return write_ballots(path, ballots, progress=progress, cancel=cancel).pages

    def export_results(self, path: Path | str, round_id: int, today: date | None = None,
                       progress: Progress = no_progress, cancel: CancelToken | None = None) -> Path:
        """述职评议结果汇总表 as .xlsx (summary + a sheet per secretary) or .pdf."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".pdf"):
            raise FieldError("文件", "结果汇总表只能导出为 .xlsx 或 .pdf 文件")
        progress(0, 0, "正在汇总测评结果…")
        results = self.results(round_id)
        today = today or date.today()
        if suffix == ".xlsx":
            from ..exports.xlsx.duty_results import write_duty_results_xlsx

            write_duty_results_xlsx(path, results, today, cancel=cancel)
        else:
            from ..exports.pdf.duty_results import write_duty_results_pdf

            write_duty_results_pdf(path, results, today, cancel=cancel, progress=progress)
        return path
