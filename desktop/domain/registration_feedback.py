"""双报告: the 反馈表 a community sends back to an employer for a quarter or a year.

Each registered member (or resident unit) gets a sheet: the services with hours,
the commitments kept, and the community's appraisal (优秀/合格/基本合格/不合格
with a comment). Sheets are grouped by employer: one document per employer holds
all of its people, ready to post or hand over.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date

from .errors import FieldError
from .registration import Ref, RegistrantKind, hours_text
from .registration_quota import Quotas, first_due_quarter, period_text, quarters_due, year_need


class Appraisal(str, enum.Enum):
    EXCELLENT = "优秀"
    GOOD = "合格"
    BASIC = "基本合格"
    POOR = "不合格"


@dataclass
class AppraisalRecord:
    ref: Ref
    year: int
    quarter: int
    """0 for the whole year."""
    grade: Appraisal
    comment: str = ""

    def validate(self) -> None:
        if not 0 <= self.quarter <= 4:
            raise FieldError("季度", "应为1至4，全年填0")
        if len(self.comment) > 500:
            raise FieldError("评价意见", "不能超过500个字")


@dataclass(frozen=True)
class FeedbackService:
    day: date
    activity: str
    post: str
    hours: float


@dataclass(frozen=True)
class FeedbackCommitment:
    content: str
    kept_on: date | None
    evidence: str = ""

    @property
    def status_text(self) -> str:
        return f"已践诺（{self.kept_on.isoformat()}）" if self.kept_on else "未践诺"


@dataclass
class FeedbackSheet:
    """One person's (or unit's) 反馈表 for the period."""

    ref: Ref
    name: str
    employer: str
    employer_org: str = ""
    phone: str = ""
    id_number: str = ""
    grid: str = ""
    reported_on: date | None = None
    community: str = ""
    """The community the person or unit reported to."""
    services: list[FeedbackService] = field(default_factory=list)
    commitments: list[FeedbackCommitment] = field(default_factory=list)
    appraisal: Appraisal | None = None
    comment: str = ""
    appraisal_suggested: bool = False
    """True when no appraisal was recorded and the one shown is suggested from the figures."""

    @property
    def service_count(self) -> int:
        return len(self.services)

    @property
    def total_hours(self) -> float:
        return round(sum(s.hours for s in self.services), 2)

    @property
    def kept_count(self) -> int:
        return sum(1 for c in self.commitments if c.kept_on)

    @property
    def commitment_text(self) -> str:
        return f"{self.kept_count}/{len(self.commitments)}" if self.commitments else "—"

    @property
    def is_unit(self) -> bool:
        return self.ref.kind is RegistrantKind.UNIT


@dataclass
class FeedbackDocument:
    issuer: str
    """Who sends the document and seals it: the community, or the street when the
    employer's people reported to several communities."""
    employer: str
    year: int
    quarter: int | None
    issued_on: date
    sheets: list[FeedbackSheet]
    masked: bool = True

    @property
    def period(self) -> str:
        return period_text(self.year, self.quarter)

    @property
    def communities(self) -> list[str]:
        return list(dict.fromkeys(s.community for s in self.sheets if s.community))

    @property
    def total_hours(self) -> float:
        return round(sum(s.total_hours for s in self.sheets), 2)

    @property
    def service_count(self) -> int:
        return sum(s.service_count for s in self.sheets)


def suggest_appraisal(sheet: FeedbackSheet, quotas: Quotas, year: int, quarter: int | None) -> Appraisal:
    """What the figures say, before the community's own judgement.

    合格: the quota of the period is met and no commitment is left open at year end;
    优秀: twice the quota and every commitment kept; 基本合格: at least half the
    quota; otherwise 不合格. Quotas switched off count as met.
    """
    reported = sheet.reported_on or date(year, 1, 1)
    if quarter:
        due = first_due_quarter(reported) <= (year, quarter)
        need_n, need_h = (quotas.quarter_contacts if due else 0), 0.0
    else:
        need_n, need_h = year_need(quotas, quarters_due(reported, year))
        if not quotas.year_activities:
            need_n = 0
        if not quotas.year_hours:
            need_h = 0.0
    ratio = _ratio(sheet.service_count, sheet.total_hours, need_n, need_h)
    open_commitments = len(sheet.commitments) - sheet.kept_count
    if ratio >= 2 and open_commitments == 0 and (need_n or need_h):
        return Appraisal.EXCELLENT
    if ratio >= 1 and (quarter or open_commitments == 0):
        return Appraisal.GOOD
    if ratio >= 0.5:
        return Appraisal.BASIC
    return Appraisal.POOR


def _ratio(n: int, h: float, need_n: int, need_h: float) -> float:
    """How far the better of the two yearly measures goes towards its quota."""
    ratios = [n / need_n if need_n else None, h / need_h if need_h else None]
    ratios = [r for r in ratios if r is not None]
    return max(ratios) if ratios else 1.0


def group_by_employer(sheets: list[FeedbackSheet]) -> dict[str, list[FeedbackSheet]]:
    """Employer → its sheets, employers in the order first met (callers sort beforehand)."""
    out: dict[str, list[FeedbackSheet]] = {}
    for s in sheets:
        out.setdefault(s.employer.strip() or "（未填写工作单位）", []).append(s)
    return out


_FORBIDDEN = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def feedback_file_stem(employer: str, year: int, quarter: int | None) -> str:
    """市供电公司-2026年第三季度反馈表, safe as a file name on Windows and Linux."""
    base = _FORBIDDEN.sub("_", employer).strip(" .") or "反馈表"
    return f"{base}-{period_text(year, quarter)}反馈表"


def summary_line(sheet: FeedbackSheet) -> str:
    return (f"参加服务{sheet.service_count}次，累计{hours_text(sheet.total_hours)}小时；"
            f"承诺{len(sheet.commitments)}项，已践诺{sheet.kept_count}项")


@dataclass(frozen=True)
class OverviewRow:
    """One registration in the street's overview: its sheet for the period and a few extras."""

    sheet: FeedbackSheet
    community: str
    sex: str = ""
    posts: str = ""
    note: str = ""


@dataclass
class RegistrationOverview:
    year: int
    quarter: int | None
    issued_on: date
    rows: list[OverviewRow]
    masked: bool = True

    @property
    def period(self) -> str:
        return period_text(self.year, self.quarter)
