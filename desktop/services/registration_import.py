"""Importing a 在职党员报到 list from .xlsx: preview first, then all rows or none.

Rows whose ID number a roster member holds are linked to that member (name, sex,
phone, address from the roster, as when registering by hand). A row is refused
with its place and a Chinese reason when a field is wrong, when its ID number
is already registered, or when it repeats an earlier row of the file.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.errors import FieldError, ValidationErrors
from ..domain.registration import RegisteredMember, validate_registration
from ..domain.tasks import CancelToken, Progress, no_progress
from ..importing.registration_import import LABELS, CellProblem, read_registration_list
from ..storage import registrations as repo
from ..storage.database import Database


@dataclass
class RegistrationImport:
    path: Path
    community_id: int
    sheets: list[str]
    regs: list[RegisteredMember]
    problems: list[CellProblem]
    linked: int
    """How many rows are roster members (linked by ID number)."""

    @property
    def ok(self) -> bool:
        return bool(self.regs) and not self.problems

    @property
    def summary(self) -> str:
        text = f"共{len(self.regs)}人，其中{self.linked}人已在花名册中（将自动关联）"
        if self.problems:
            text += f"；发现{len(self.problems)}处问题，需修改文件后重新导入（导入时全部导入或全部不导入）"
        return text


class RegistrationImporter:
    def __init__(self, db: Database, service):
        self.db = db
        self.service = service

    def preview(self, path: Path | str, community_id: int, today: date | None = None,
                progress: Progress = no_progress,
                cancel: CancelToken | None = None) -> RegistrationImport:
        """Read and check the file without writing anything."""
        today = today or date.today()
        with self.db.reading() as conn:
            self.service.check_community(conn, community_id)
        read = read_registration_list(path, community_id, progress=progress, cancel=cancel)
        problems = list(read.problems)
        bad_rows = {(p.sheet, p.row) for p in problems}
        if not read.sheets:
            raise FieldError("文件", "没有找到含“姓名”列的报到名单，请检查表头")
        with self.db.reading() as conn:
            registered = repo.id_numbers(conn)
            seen: dict[str, str] = {}
            linked = 0
            regs = []
            for row in read.rows:
                r = row.reg
                r.reported_on = r.reported_on or today
                bad = (row.sheet, row.row) in bad_rows
                if r.id_number and not bad:
                    mid = repo.roster_id_by_number(conn, r.id_number)
                    if mid is not None:
                        r.member_id = mid
                        self.service.fill_from_roster(conn, r)
                        linked += 1
                try:
                    validate_registration(r, today)
                except ValidationErrors as e:
                    bad = True
                    said = {p.column for p in problems if (p.sheet, p.row) == (row.sheet, row.row)}
                    for x in e.errors:
                        column = row.columns.get(_key(x.field), x.field)
                        if column not in said:
                            problems.append(CellProblem(row.sheet, row.row, column, x.message))
                if bad:
                    continue
                where = f"第{row.row}行"
                if r.id_number and r.id_number in registered:
                    problems.append(CellProblem(row.sheet, row.row, row.columns.get("id_number", "公民身份号码"),
                                                "该号码已经报到登记"))
                    continue
                if r.id_number and r.id_number in seen:
                    problems.append(CellProblem(row.sheet, row.row, row.columns.get("id_number", "公民身份号码"),
                                                f"与{seen[r.id_number]}重复"))
                    continue
                if r.id_number:
                    seen[r.id_number] = f"工作表“{row.sheet}”{where}"
                regs.append(r)
        problems.sort(key=lambda p: (read.sheets.index(p.sheet) if p.sheet in read.sheets else 0, p.row))
        return RegistrationImport(Path(path), community_id, read.sheets, regs, problems, linked)

    def commit(self, plan: RegistrationImport) -> int:
        """Insert every row of a clean preview in one transaction; refuses one with problems."""
        if plan.problems:
            raise FieldError("导入", f"文件中有{len(plan.problems)}处问题，未导入任何记录：{plan.problems[0]}")
        if not plan.regs:
            raise FieldError("导入", "文件中没有可导入的报到记录")
        with self.db.transaction() as conn:
            registered = repo.id_numbers(conn)
            again = [r for r in plan.regs if r.id_number and r.id_number in registered]
            if again:
                raise FieldError("导入", f"“{again[0].name}”已在预览后报到登记，请重新预览")
            return repo.insert_members(conn, plan.regs)


def _key(label: str) -> str:
    return next((k for k, v in LABELS.items() if v == label), label)
