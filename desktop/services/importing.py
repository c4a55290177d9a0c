"""Use case: import a roster workbook (文件 → 导入花名册…, `dangjian import roster`).

Two steps, so the clerk sees everything before anything is written:

- plan_roster_import reads the file and sorts every row into: a new member, an
  update of the member already holding that ID number, a repeat of an earlier
  row of the file, or a problem (sheet, row, column, reason in Chinese). It
  also lists the branches the file names that do not exist yet.
- apply_roster_import writes the chosen rows in one transaction: all of them
  land or none do.

The rules a member must obey are RosterService._check's, applied to each row
with the database's answers fetched once for the whole file.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..domain.dates import add_years
from ..domain.errors import Conflict, DomainError, FieldError, ValidationErrors
from ..domain.member import Category, Member, Status
from ..domain.member_event import EventKind, MemberEvent
from ..domain.organization import OrgKind, Organization, check_parent
from ..domain.roster_fields import FIELD_BY_KEY
from ..domain.tasks import CancelToken, Progress, no_progress
from ..exports.atomic import atomic_write
from ..importing.roster_cells import (MOBILE_HEADERS, cell_text, convert, is_blank,
                                      looks_like_mobile)
from ..importing.xlsx_reader import MAX_EMPTY_RUN, SheetData, check_file, gc_paused, read_workbook
from ..storage import members as repo
from ..storage import organizations as org_repo
from ..storage.database import Database, analyze
from .backup import REASON_IMPORT, BackupService
from .import_orgs import ImportOrgs, name_key
from .import_plan import (COMPARED_FIELDS, ColumnMapping, ImportCounts, ImportPlan, ImportResult,
                          PlannedRow, RowKind, RowProblem, SheetPlan, UnknownBranch, field_text)
from .organizations import OrganizationService
from .roster import RosterService

__all__ = ["ImportService", "ImportPlan", "ImportResult", "ImportRefused", "ImportCounts",
           "PlannedRow", "RowKind", "RowProblem", "ColumnMapping", "SheetPlan", "UnknownBranch",
           "check_roster_file", "write_problems_csv"]

# Words of the notes clerks put under a table: 填表人, 合计, 注：…
_NOTE_WORDS = ("填表", "制表", "审核", "合计", "共计", "总计", "注：", "注:", "说明", "备注：", "单位（盖章）")
# The exporter's column saying whether a member is still on the roster (when members who left are listed).
STATUS_HEADERS = ("在册状态",)
# Fields whose cells repeat a few values down a sheet (汉族, 大学本科, 否…): each value is read once.
_REPEATING = frozenset({"sex", "ethnicity", "education", "category", "job", "standing", "lost_contact",
                        "is_mobile", "classification", "org_name", "group_name"})


class ImportRefused(DomainError):
    """Some rows have problems and the clerk did not choose to skip them; nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        rows = len({(p.sheet, p.row) for p in problems})
        super().__init__(f"有{rows}行有问题，未导入任何数据。"
                         "请修改文件后重新导入，或选择跳过有问题的行。")


@dataclass
class _Parsed:
    """One data row read and converted, before any database rule."""

    sheet: SheetPlan
    row: int
    values: dict[str, object]
    raw: dict[str, object]
    problems: list[RowProblem] = field(default_factory=list)
    id_number: str = ""


class ImportService:
    def __init__(self, db: Database):
        self.db = db
        self.roster = RosterService(db)
        self.orgs = OrganizationService(db)

    # --- step 1: read and sort, write nothing ------------------------------
    def plan_roster_import(self, path: Path | str, *, org_id: int | None = None,
                           mapping_overrides: dict[tuple[str, int], str | None] | None = None,
                           progress: Progress = no_progress, cancel: CancelToken | None = None,
                           today: date | None = None) -> ImportPlan:
        """Read the workbook and say what importing it would do; raises WorkbookError if unreadable.

        mapping_overrides: (sheet name, 0-based column) → field key, or None to skip that column.
        """
        cancel = cancel or CancelToken()
        today = today or date.today()
        overrides = dict(mapping_overrides or {})
        sheets = read_workbook(path, progress=progress, cancel=cancel)
        with gc_paused(), self.db.reading() as conn:
            orgs = ImportOrgs(org_repo.all_organizations(conn), org_id)
            plan = ImportPlan(path=Path(path), org_id=org_id,
                              org_name=orgs.target.name if orgs.target else "",
                              new_branch_parent_id=orgs.new_parent.id if orgs.new_parent else None,
                              new_branch_parent_name=orgs.new_parent.name if orgs.new_parent else "",
                              mapping_overrides=overrides)
            parsed, memo = [], {}
            for sheet in sheets:
                sp = self._sheet_plan(plan, sheet, orgs, overrides)
                if sp is not None:
                    parsed.extend(self._parse_rows(sp, sheet, memo))
            numbers = sorted({p.id_number for p in parsed if p.id_number})
            holders = repo.holders_by_id_number(conn, numbers)
            members = repo.get_many(conn, [h[0] for h in holders.values()
                                           if h[2] == Status.ACTIVE.value])
            total = len(parsed)
            for i, p in enumerate(parsed):
                if i % 500 == 0:
                    cancel.check()
                    progress(i, total, "正在检查各行…")
                plan.rows.append(self._plan_row(conn, p, orgs, holders, members, today))
            _mark_duplicates(plan)
            plan.unknown_branches = _unknown_branches(plan.rows)
        if not any(s.header_row for s in plan.sheets):
            plan.warnings.insert(0, "未在任何工作表中找到花名册表头（应有“姓名”“公民身份号码”等列名）")
        progress(total, total, "检查完毕")
        return plan

    def _sheet_plan(self, plan: ImportPlan, sheet: SheetData, orgs: ImportOrgs,
                    overrides: dict) -> SheetPlan | None:
        sp = SheetPlan(name=sheet.name, header_row=sheet.header_row)
        plan.sheets.append(sp)
        if sheet.hidden:
            sp.note = "隐藏的工作表，已跳过"
            return None
        if sheet.header_row is None:
            sp.note = "未找到花名册表头，已跳过" if sheet.rows else "空白工作表，已跳过"
            return None
        used: dict[str, ColumnMapping] = {}
        for h in sheet.headers:
            key = overrides.get((sheet.name, h.index), h.key)
            cm = ColumnMapping(sheet.name, h.index, h.letter, h.text, key, h.key)
            if key is not None and key in used:
                cm.note = f"与{used[key].letter}列同为“{cm.label}”，未导入"
                cm.key = None
            elif key is not None:
                used[key] = cm
            elif h.key is None:
                cm.note = "未识别的列名，不导入"
            else:
                cm.note = "已改为不导入"
            sp.columns.append(cm)
        sp.branch_id, sp.new_branch = orgs.sheet_branch(sheet.name)
        sp.group_mapped = "group_name" in used
        sp.status_column = next((c for c in sp.columns if "".join(c.header.split()) in STATUS_HEADERS), None)
        if sp.status_column is not None and sp.status_column.key is None:
            sp.status_column.note = "用于核对：不是“在册”的行不导入"
        for key in ("name", "id_number"):
            if key not in used and sheet.rows:
                plan.warnings.append(f"工作表“{sheet.name}”：没有“{FIELD_BY_KEY[key].label}”列，"
                                     "请在列对应中指定")
        if sheet.stopped_after:
            last = sheet.rows[-1][0] if sheet.rows else sheet.header_row
            plan.warnings.append(f"工作表“{sheet.name}”：第{last}行之后连续{MAX_EMPTY_RUN}行为空，已停止读取"
                                 f"（文件声称有{sheet.claimed_rows}行；如其后还有数据，请删去中间的空行）")
        return sp

    def _parse_rows(self, sp: SheetPlan, sheet: SheetData, memo: dict) -> list[_Parsed]:
        cols = [(cm.key, cm.index) for cm in sp.columns if cm.key is not None and cm.key != "seq"]
        name_text = sp.header_of("name")
        status = sp.status_column
        out = []
        for number, values in sheet.rows:
            n = len(values)
            raw = {}
            for key, i in cols:
                if i < n:
                    v = values[i]
                    if v is None:
                        continue
                    if v.__class__ is str:
                        t = v.strip()
                        if not t or (not t.isprintable() and is_blank(t)):
                            continue
                    raw[key] = v
            if not raw:
                continue  # an empty row, or one only numbered in advance
            if "id_number" not in raw and _is_note(raw):
                continue  # 填表人：…, 合计…, 注：… (a person's row has an ID number or a plain name)
            if name_text is not None and cell_text(raw.get("name")) == name_text:
                continue  # the header repeated (a table printed page by page)
            p = _Parsed(sp, number, {}, raw)
            if status is not None and status.index < n:
                left = cell_text(values[status.index])
                if left and left != Status.ACTIVE.value:
                    p.problems.append(RowProblem(sp.name, number, status.header, f"为“{left}”：导入只接收在册党员，"
                                                 "已离开的党员请在花名册中办理", status.letter, "在册状态"))
            values_out = p.values
            for key, v in raw.items():
                if key in _REPEATING and v.__class__ is str:
                    hit = memo.get((key, v))
                    if hit is None:
                        hit = memo[(key, v)] = _convert(key, v)
                else:
                    hit = _convert(key, v)
                if hit[1] is None:
                    values_out[key] = hit[0]
                else:
                    p.problems.append(sp.problem(number, hit[1].field, hit[1].message))
            p.id_number = values_out.get("id_number") or ""
            out.append(p)
        sp.data_rows = len(out)
        return out

    def _plan_row(self, conn, p: _Parsed, orgs: ImportOrgs, holders: dict, members: dict,
                  today: date) -> PlannedRow:
        sp, values = p.sheet, p.values
        problems = list(p.problems)
        failed = {pr.field for pr in problems}
        row = PlannedRow(sp.name, p.row, RowKind.INVALID, None, problems)
        hit = holders.get(p.id_number) if p.id_number else None
        if hit is not None and hit[2] != Status.ACTIVE.value:
            problems.append(sp.problem(p.row, "公民身份号码", f"与已不在册的党员“{hit[1]}”（{hit[2]}）相同，"
                                       "导入不能恢复其记录，请在花名册中核对"))
            return row
        before = members.get(hit[0]) if hit is not None else None
        if before is not None:
            m = replace(before, extra_org_ids=list(before.extra_org_ids))
        else:
            m = Member(name="", org_id=None, id_number="", ethnicity="")
        row.member, row.before = m, before
        for key, v in values.items():
            if key in ("org_name", "group_name", "category"):
                continue
            setattr(m, key, v)
        self._phone_or_mobile(sp, p, m)
        self._category(sp, p, m, before, today, problems, failed)
        self._place(sp, p, m, before, orgs, row, problems, failed)
        try:
            self.roster._check(conn, m, today, org_of=orgs.org_of, holder_of=holders.get)
        except ValidationErrors as e:
            for fe in e.errors:
                if fe.field not in failed:
                    problems.append(sp.problem(p.row, fe.field, fe.message))
        if problems:
            return row
        row.kind = RowKind.UPDATE if before is not None else RowKind.NEW
        if before is not None:
            row.changes = tuple(field_text(f) for f in COMPARED_FIELDS
                                if getattr(before, f) != getattr(m, f))
        return row

    @staticmethod
    def _phone_or_mobile(sp: SheetPlan, p: _Parsed, m: Member) -> None:
        """A 联系电话 column holding a landline: the number goes to 固定电话, as a person would put it."""
        mobile = p.values.get("mobile")
        if not mobile or looks_like_mobile(mobile) or p.values.get("phone"):
            return
        if sp.header_of("mobile") in MOBILE_HEADERS or not any(c.isdigit() for c in mobile):
            return
        m.phone, m.mobile = cell_text(p.raw["mobile"]), ""

    @staticmethod
    def _category(sp, p, m, before, today, problems, failed) -> None:
        c = p.values.get("category")
        if c is not None:
            m.category = c
        elif before is not None:
            return  # an update keeps what is on record
        elif failed & {"人员类别", "加入党组织日期", "转为正式党员日期"}:
            return  # already refused; no guess from dates that could not be read
        elif m.confirmed or (m.joined and add_years(m.joined, 2) <= today):
            m.category = Category.FULL  # a probation never lasts two years
        else:
            problems.append(sp.problem(p.row, "人员类别", "未填写，且无法从入党、转正日期判断，"
                                       "请填写“正式党员”或“预备党员”"))
            failed.add("人员类别")

    @staticmethod
    def _place(sp, p, m, before, orgs: ImportOrgs, row: PlannedRow, problems, failed) -> None:
        """Which branch: the 所在党支部 column, else the sheet's name, else the chosen branch."""
        org_id = new_name = None
        named = p.values.get("org_name")
        if named:
            org_id, new_name, reason = orgs.resolve(named)
            if reason:
                problems.append(sp.problem(p.row, "所在党支部", reason))
        elif sp.branch_id or sp.new_branch:
            org_id, new_name = sp.branch_id, sp.new_branch
        elif orgs.default_org_id is not None:
            org_id = orgs.default_org_id
        elif before is not None:
            org_id = before.org_id
        else:
            problems.append(sp.problem(p.row, "所在党支部", "未填写，且不能从工作表名称或所选组织确定，"
                                       "请在文件中填写所在党支部，或选择一个党支部作为导入目标"))
        if org_id is None and new_name is None:
            failed.add("所在党支部")
            m.org_id = None
            return
        row.new_branch = new_name
        if new_name is not None:
            row.branch_problem = sp.problem(
                p.row, "所在党支部", f"党支部“{new_name}”在“{orgs.new_parent.name}”下尚不存在"
                "（可选择创建文件中新出现的党支部）")
        m.org_id = org_id if new_name is None else orgs.placeholder(new_name)
        if sp.group_mapped:
            group = p.values.get("group_name") or ""
            m.group_id = None
            if group and new_name is not None:
                problems.append(sp.problem(p.row, "所在党小组", f"党小组“{group}”所在的党支部“{new_name}”尚未建立"))
                failed.add("所在党小组")
            elif group:
                m.group_id = orgs.groups.get((org_id, name_key(group)))
                if m.group_id is None:
                    branch = orgs.by_id[org_id].name
                    problems.append(sp.problem(p.row, "所在党小组", f"“{branch}”下没有党小组“{group}”"))
                    failed.add("所在党小组")
        elif before is None or before.org_id != m.org_id:
            m.group_id = None

    # --- step 2: write, all or nothing ------------------------------------
    def apply_roster_import(self, plan: ImportPlan, *, skip_invalid: bool = False,
                            create_branches: bool = False, progress: Progress = no_progress,
                            cancel: CancelToken | None = None) -> ImportResult:
        """Write the plan's good rows in one transaction; raises ImportRefused when rows have
        problems and skip_invalid is False, Conflict when the database changed since the plan."""
        cancel = cancel or CancelToken()
        refused = plan.problems(create_branches)
        if refused and not skip_invalid:
            raise ImportRefused(refused)
        landing = plan.landing_rows(create_branches)
        new_rows = [r for r in landing if r.kind is RowKind.NEW]
        changed = [r for r in landing if r.kind is RowKind.UPDATE and r.changes]
        result = ImportResult(unchanged=sum(1 for r in landing if r.kind is RowKind.UPDATE and not r.changes),
                              duplicates=plan.counts(create_branches).duplicate, refused=refused)
        total = len(new_rows) + len(changed) + 1
        if landing:  # a copy to go back to before the rows land (issue #8)
            progress(0, total, "正在备份数据库…")
            BackupService(self.db).snapshot(REASON_IMPORT)
        with gc_paused(), self.db.transaction() as conn:
            progress(0, total, "正在核对数据库…")
            self._verify_unchanged(conn, landing)
            branch_ids = self._create_branches(conn, plan, landing, result) if create_branches else {}
            cancel.check()
            done = 0
            for i in range(0, len(new_rows), 1000):
                batch = [self._final(r, branch_ids) for r in new_rows[i:i + 1000]]
                repo.insert_many(conn, batch)
                ids = repo.ids_by_id_number(conn, [m.id_number for m in batch])
                repo.add_events(conn, [MemberEvent(ids[m.id_number], EventKind.JOINED, m.joined, "", m.org_id)
                                       for m in batch if m.joined])
                done += len(batch)
                cancel.check()
                progress(done, total, "正在写入新党员…")
            names = {o.id: o.name for o in org_repo.all_organizations(conn)} if changed else {}
            for i in range(0, len(changed), 1000):
                batch = changed[i:i + 1000]
                members = [self._final(r, branch_ids) for r in batch]
                repo.update_many(conn, members)
                repo.add_events(conn, [
                    MemberEvent(m.id, EventKind.MOVED, date.today(),
                                f"由{names.get(r.before.org_id, '')}调至{names.get(m.org_id, '')}", m.org_id)
                    for r, m in zip(batch, members) if r.before.org_id != m.org_id])
                done += len(batch)
                cancel.check()
                progress(done, total, "正在更新已有党员…")
            cancel.check()  # the last moment a cancel can still undo everything
            progress(total, total, "正在保存…")
        result.created, result.updated = len(new_rows), len(changed)
        if len(new_rows) >= 1000:
            analyze(self.db)
        return result

    @staticmethod
    def _final(r: PlannedRow, branch_ids: dict[str, int]) -> Member:
        """The member to write: a copy, so a failed import leaves the plan as it was."""
        m = object.__new__(Member)
        m.__dict__.update(r.member.__dict__)
        if r.new_branch is not None:
            m.org_id = branch_ids[name_key(r.new_branch)]
        return m

    def _verify_unchanged(self, conn, landing: list[PlannedRow]) -> None:
        """The plan was made from a snapshot; refuse if the records it relied on have changed."""
        holders = repo.holders_by_id_number(conn, [r.member.id_number for r in landing])
        fresh = repo.get_many(conn, [r.member.id for r in landing if r.kind is RowKind.UPDATE])
        for r in landing:
            hit = holders.get(r.member.id_number)
            moved = (hit is not None) if r.kind is RowKind.NEW else fresh.get(r.member.id) != r.before
            if moved:
                raise Conflict(f"预览之后数据库已有变化（工作表“{r.sheet}”第{r.row}行的党员"
                               f"“{r.member.name}”），未导入任何数据，请重新预览后再导入")
        live = {o.id for o in org_repo.all_organizations(conn) if not o.dissolved}
        gone = {r.member.org_id for r in landing if r.new_branch is None} - live
        if gone:
            raise Conflict("预览之后组织已有变化（有党支部被撤销或删除），未导入任何数据，请重新预览后再导入")

    def _create_branches(self, conn, plan: ImportPlan, landing: list[PlannedRow],
                         result: ImportResult) -> dict[str, int]:
        ids: dict[str, int] = {}
        parent = org_repo.get(conn, plan.new_branch_parent_id) if plan.new_branch_parent_id else None
        for r in landing:
            if r.new_branch is None or name_key(r.new_branch) in ids:
                continue
            org = Organization(r.new_branch.strip(), OrgKind.BRANCH, parent_id=parent.id)
            org.validate()
            check_parent(org.kind, parent.kind)
            self.orgs._check_unique_sibling(conn, org)
            ids[name_key(r.new_branch)] = org_repo.insert(conn, org)
            result.branches_created.append(org.name)
        return ids


def _mark_duplicates(plan: ImportPlan) -> None:
    """Rows sharing an ID number: exact repeats are skipped; differing ones are all refused."""
    sheets = {s.name: s for s in plan.sheets}
    by_number: dict[str, list[PlannedRow]] = {}
    for r in plan.rows:
        if r.member is not None and isinstance(r.member.id_number, str) and len(r.member.id_number) == 18:
            by_number.setdefault(r.member.id_number, []).append(r)
    for same in by_number.values():
        if len(same) < 2:
            continue
        first = same[0]
        sig = first.signature()
        if all(r.signature() == sig for r in same[1:]):
            for r in same[1:]:
                r.kind, r.duplicate_of = RowKind.DUPLICATE, (first.sheet, first.row)
            continue
        for r in same:
            others = "、".join(_place_text(o, r.sheet) for o in same if o is not r)
            diff = [field_text(f) for f in COMPARED_FIELDS
                    if any(getattr(o.member, f) != getattr(r.member, f) for o in same)]
            if any(o.new_branch != r.new_branch for o in same) and "所在党支部" not in diff:
                diff.insert(0, "所在党支部")
            r.kind = RowKind.INVALID
            r.problems.append(sheets[r.sheet].problem(
                r.row, "公民身份号码", f"与{others}的公民身份号码相同，但内容不同"
                f"（{'、'.join(diff) or '其他列'}），请核对后只保留一行"))


def _place_text(r: PlannedRow, sheet: str) -> str:
    return f"第{r.row}行" if r.sheet == sheet else f"工作表“{r.sheet}”第{r.row}行"


def _unknown_branches(rows: list[PlannedRow]) -> list[UnknownBranch]:
    found: dict[str, UnknownBranch] = {}
    for r in rows:
        if r.new_branch is None or r.kind is RowKind.DUPLICATE:
            continue
        u = found.setdefault(name_key(r.new_branch), UnknownBranch(r.new_branch))
        u.rows += 1
        if r.sheet not in u.sheets:
            u.sheets.append(r.sheet)
    return list(found.values())


def _convert(key: str, value: object) -> tuple[object, FieldError | None]:
    try:
        return convert(key, value), None
    except FieldError as e:
        return None, e


def _is_note(raw: dict[str, object]) -> bool:
    """A line under the table: a note word in its name cell, or in some cell when it has no name."""
    cells = [raw["name"]] if "name" in raw else raw.values()
    return any(w in cell_text(v) for v in cells for w in _NOTE_WORDS)


def check_roster_file(path: Path | str) -> Path:
    """Refuse a missing, .xls or otherwise unreadable file (WorkbookError) before any work."""
    return check_file(path)


def write_problems_csv(problems: list[RowProblem], path: Path | str) -> Path:
    """The problem list as a CSV that Excel and WPS open (UTF-8 with BOM), written atomically."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["工作表", "行号", "列", "原因"])
    for p in problems:
        w.writerow([p.sheet, p.row, p.column_text, p.message])
    with atomic_write(path, suffix=".csv") as tmp:
        tmp.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
    return Path(path)

