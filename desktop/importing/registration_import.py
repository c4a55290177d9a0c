"""Reading a 在职党员报到 list that a unit sent as a spreadsheet.

The roster importer's reader does the hard part (finding the header row below
any title rows, two-row headers, merged cells, numbers that lost digits); this
module matches the registration columns (工作单位, 所在党组织, 服务岗位 …) by
their usual spellings and converts each cell, with the roster's own converters
for 性别, 手机 and 公民身份号码. Every problem names its sheet, row and column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain.dates import parse_date
from desktop.domain.errors import FieldError
from desktop.domain.registration import RegisteredMember, ServicePost
from desktop.domain.roster_fields import FIELD_BY_KEY, RosterField
from desktop.domain.tasks import CancelToken, Progress, no_progress
from desktop.importing.roster_cells import cell_text, convert, is_blank
from desktop.importing.xlsx_reader import column_letter, read_workbook

REGISTRATION_FIELDS: tuple[RosterField, ...] = (
    RosterField("name", "姓名", FIELD_BY_KEY["name"].aliases),
    RosterField("sex", "性别"),
    RosterField("phone", "联系电话", ("手机号码", "手机", "手机号", "电话", "联系方式", "移动电话")),
    RosterField("id_number", "公民身份号码", FIELD_BY_KEY["id_number"].aliases),
    RosterField("employer", "工作单位", ("单位", "所在单位", "工作单位名称", "单位名称")),
    RosterField("employer_org", "所在党组织", ("党组织", "所在党支部", "单位党组织", "党组织名称",
                                           "组织关系所在党组织", "党组织关系所在单位")),
    RosterField("employer_contact", "党组织联系人", ("联系人", "党组织联系人及电话")),
    RosterField("address", "家庭住址", FIELD_BY_KEY["address"].aliases + ("居住小区", "现居住地址")),
    RosterField("grid", "所在网格", ("网格", "居住网格")),
    RosterField("skills", "特长", ("个人特长", "专长", "技能特长")),
    RosterField("posts", "服务岗位意向", ("服务岗位", "岗位意向", "认领岗位", "志愿服务岗位")),
    RosterField("reported_on", "报到日期", ("报到时间", "到社区报到日期")),
    RosterField("remarks", "备注", ()),
)
LABELS = {f.key: f.label for f in REGISTRATION_FIELDS}
_DECORATION = re.compile(r"^[*＊※★]+|[*＊※★:：]+$|[(（][^()（）]*[)）]$")
_POST_SPLIT = re.compile(r"[、,，;；/\s]+")


def registration_key(header: str) -> str | None:
    """The registration field a header names, tolerant of spaces, marks and hints."""
    h = "".join(str(header or "").split()).replace("（", "(").replace("）", ")")
    for _ in range(3):
        for f in REGISTRATION_FIELDS:
            if h == f.label or h in f.aliases:
                return f.key
        h = _DECORATION.sub("", h)
    return None


def parse_posts(value: object) -> list[ServicePost]:
    known = {p.value: p for p in ServicePost}
    out = []
    for word in _POST_SPLIT.split(cell_text(value)):
        if not word:
            continue
        if word not in known:
            raise FieldError("服务岗位意向", f"“{word}”不是服务岗位，应为{'、'.join(known)}之一")
        out.append(known[word])
    return list(dict.fromkeys(out))


def _text(v: object) -> str:
    return cell_text(v)


CONVERTERS = {
    "name": _text, "employer": _text, "employer_org": _text, "employer_contact": _text,
    "address": _text, "grid": _text, "skills": _text, "remarks": _text,
    "sex": lambda v: convert("sex", v), "phone": lambda v: convert("mobile", v),
    "id_number": lambda v: convert("id_number", v), "posts": parse_posts,
    "reported_on": lambda v: parse_date(v, "报到日期"),
}


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int
    column: str
    """"C列 工作单位", or the field's name when no column holds it."""
    message: str

    def __str__(self) -> str:
        return f"工作表“{self.sheet}”第{self.row}行，{self.column}：{self.message}"


@dataclass
class ReadRow:
    sheet: str
    row: int
    reg: RegisteredMember
    columns: dict[str, str] = field(default_factory=dict)
    """field key → "C列 工作单位" (for problems found later)."""


@dataclass
class RegistrationList:
    rows: list[ReadRow]
    problems: list[CellProblem]
    sheets: list[str]
    """The sheets that held a registration list."""


def read_registration_list(path: Path | str, community_id: int | None, *,
                           progress: Progress = no_progress,
                           cancel: CancelToken | None = None) -> RegistrationList:
    """Every data row of every sheet whose header names 姓名; cells converted, problems kept."""
    out = RegistrationList([], [], [])
    for sheet in read_workbook(path, progress=progress, cancel=cancel):
        cols = {}
        for h in sheet.headers:
            key = registration_key(h.text)
            if key is not None and key not in cols.values():
                cols[h.index] = key
        if sheet.header_row is None or "name" not in cols.values():
            continue
        out.sheets.append(sheet.name)
        where = {k: f"{column_letter(i)}列 {next(h.text for h in sheet.headers if h.index == i)}"
                 for i, k in cols.items()}
        for number, values in sheet.rows:
            if all(is_blank(values[i]) for i in cols if i < len(values)):
                continue
            reg = RegisteredMember(community_id, "")
            for i, key in cols.items():
                raw = values[i] if i < len(values) else None
                if is_blank(raw):
                    continue
                try:
                    setattr(reg, key, CONVERTERS[key](raw))
                except FieldError as e:
                    out.problems.append(CellProblem(sheet.name, number, where[key], e.message))
            out.rows.append(ReadRow(sheet.name, number, reg, where))
    return out
