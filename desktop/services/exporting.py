"""Exporting the 党员花名册: gather the members of a subtree, then write .xlsx or PDF.

The rows are read in one snapshot as plain tuples (never ORM objects), put in
the order of the organisation tree (branch by branch, as the tree panel shows
them) and by pinyin within a branch, ID and phone numbers masked unless the
clerk asks for them in full (domain/masking.py). The file is
written through exports/, atomically: a cancelled or failed export leaves
nothing behind and any earlier file at the target untouched.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.errors import DomainError, NotFound
from ..domain.masking import mask_id_number, mask_phone
from ..domain.organization import Organization
from ..domain.roster_export import RECORD_INDEX, RosterDocument, RosterSection
from ..domain.tasks import CancelToken, Progress, no_progress
from ..exports.pdf.roster import write_roster_pdf
from ..exports.xlsx.roster import write_roster_xlsx
from ..storage import organizations as org_repo
from ..storage import roster_export_query
from ..storage.database import Database
from .organizations import descendant_ids

FORMATS = {".xlsx": "xlsx", ".pdf": "pdf"}

_LEAD = len(roster_export_query.LEADING)  # org_id, name_pinyin, name_initials, id
_ID_AT = _LEAD + RECORD_INDEX["id_number"]
_PHONES_AT = (_LEAD + RECORD_INDEX["mobile"], _LEAD + RECORD_INDEX["phone"])
_CHECK_EVERY = 2000


class UnsupportedFormat(DomainError):
    """The target file's extension names no format we write."""


@dataclass(frozen=True)
class RosterExportOptions:
    org_id: int | None = None
    """The organisation whose subtree is exported; None: the whole street."""
    include_left: bool = False
    """Also list members who left (转出, 停止党籍, 出党, 去世), with their status."""
    mask_ids: bool = True
    """Mask ID numbers (110105********1234) and phones (138****5678): the default for
    copies that leave the office; False only when the clerk asks for them in full."""
    sheet_per_branch: bool = True
    """.xlsx only: one worksheet per branch; otherwise one sheet for everything."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    members: int
    sections: int
    pages: int | None = None
    """PDF only."""


def export_format(path: str | os.PathLike[str]) -> str:
    """"xlsx" or "pdf" from the file name; UnsupportedFormat otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UnsupportedFormat(f"不支持导出为“{suffix or '无扩展名'}”文件，请使用 .xlsx 或 .pdf")
    return FORMATS[suffix]


class ExportService:
    def __init__(self, db: Database):
        self.db = db

    def roster_document(self, options: RosterExportOptions = RosterExportOptions(), *,
                        today: date | None = None,
                        cancel: CancelToken | None = None) -> RosterDocument:
        """The roster of `options.org_id` and everything below it, ready for a writer."""
        cancel = cancel or CancelToken()
        with self.db.reading() as conn:
            orgs = org_repo.all_organizations(conn)
            org_name, org_ids = _scope(orgs, options.org_id)
            cancel.check()
            raw = roster_export_query.export_rows(conn, org_ids, options.include_left)
        cancel.check()
        rank = _tree_rank(orgs)
        last = len(rank)
        raw.sort(key=lambda r: (rank.get(r[0], last), r[1] or "", r[2] or "", r[3]))
        cancel.check()
        names = {o.id: o.name for o in orgs}
        sections: list[RosterSection] = []
        current: int | None = None
        rows: list[tuple] = []
        for i, r in enumerate(raw):
            if r[0] != current or not sections:
                current, rows = r[0], []
                sections.append(RosterSection(current, names.get(current, ""), rows))
            if options.mask_ids:
                r = _masked(r)
            rows.append(r[_LEAD:])
            if i % _CHECK_EVERY == 0:
                cancel.check()
        return RosterDocument(org_name=org_name, exported_on=today or date.today(),
                              sections=tuple(sections), include_left=options.include_left,
                              masked=options.mask_ids)

    def export_roster(self, path: str | os.PathLike[str],
                      options: RosterExportOptions = RosterExportOptions(), *,
                      today: date | None = None, progress: Progress = no_progress,
                      cancel: CancelToken | None = None) -> ExportResult:
        """Write the roster to `path` (.xlsx or .pdf, from its extension)."""
        fmt = export_format(path)
        cancel = cancel or CancelToken()
        target = Path(path)
        if not target.parent.is_dir():
            raise NotFound(f"文件夹“{target.parent}”不存在，请重新选择保存位置")
        progress(0, 0, "正在读取党员信息…")
        doc = self.roster_document(options, today=today, cancel=cancel)
        progress(0, doc.member_count, f"共{doc.member_count}名党员，正在生成文件…")
        pages = None
        if fmt == "xlsx":
            write_roster_xlsx(target, doc, sheet_per_branch=options.sheet_per_branch,
                              progress=progress, cancel=cancel)
        else:
            pages = write_roster_pdf(target, doc, progress=progress, cancel=cancel).pages
        progress(doc.member_count, doc.member_count, "导出完成")
        return ExportResult(target, fmt, doc.member_count, len(doc.sections), pages)


def _masked(r: tuple) -> tuple:
    out = list(r)
    out[_ID_AT] = mask_id_number(out[_ID_AT])
    for at in _PHONES_AT:
        out[at] = mask_phone(out[at])
    return tuple(out)


def _scope(orgs: list[Organization], org_id: int | None) -> tuple[str, list[int] | None]:
    """(name for the title, org ids to filter on — None for the whole street)."""
    roots = [o for o in orgs if o.parent_id is None]
    if org_id is None:
        return (roots[0].name if len(roots) == 1 else ""), None
    org = next((o for o in orgs if o.id == org_id), None)
    if org is None:
        raise NotFound(f"组织（编号{org_id}）不存在")
    if org.parent_id is None and len(roots) == 1:
        return org.name, None  # the whole street: no filter needed
    # descendant_ids reads only .id and .parent_id; dissolved organisations are
    # included so that members who left a since-dissolved branch are found too.
    return org.name, descendant_ids(orgs, org_id)  # type: ignore[arg-type]


def _tree_rank(orgs: list[Organization]) -> dict[int, int]:
    """Organisation id → its place in a depth-first walk of the tree (siblings in tree order)."""
    children: dict[int | None, list[int]] = {}
    for o in orgs:  # all_organizations returns them in sort order
        children.setdefault(o.parent_id, []).append(o.id)
    known = {o.id for o in orgs}
    rank: dict[int, int] = {}
    stack = list(reversed([o.id for o in orgs if o.parent_id is None or o.parent_id not in known]))
    while stack:
        i = stack.pop()
        if i in rank:
            continue
        rank[i] = len(rank)
        stack.extend(reversed(children.get(i, [])))
    return rank
