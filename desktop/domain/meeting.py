"""三会一课 and other organisational life: a meeting record and what it holds.

A meeting belongs to one organisation (a 党小组会 to a group). Attendance is a
snapshot of the roster on the meeting date (who should attend, who has a vote),
taken when the meeting is recorded; the rules that judge it are in
meeting_rules.py and the yearly calendar in meeting_calendar.py.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from .member import Category


# The role of an attendee who belongs to another organisation and takes part in this
# one's life (多重组织生活).
MULTI_ORG_ROLE = "多重组织生活"


class MeetingKind(str, enum.Enum):
    ASSEMBLY = "支部党员大会"
    COMMITTEE = "支部委员会"
    GROUP = "党小组会"
    LECTURE = "党课"
    THEME_DAY = "主题党日"
    LIFE = "组织生活会"
    APPRAISAL = "民主评议党员"
    JOINT = "党建联席会议"
    OTHER = "其他"

    @property
    def short(self) -> str:
        """The name in tight places (calendar rows, ledger columns)."""
        return _SHORT.get(self, self.value)


_SHORT = {MeetingKind.ASSEMBLY: "党员大会", MeetingKind.COMMITTEE: "支委会",
          MeetingKind.LIFE: "组织生活会", MeetingKind.APPRAISAL: "民主评议",
          MeetingKind.JOINT: "联席会议"}

# Kinds whose validity and resolutions are judged by counting people.
VOTING_KINDS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE)


class MeetingStatus(str, enum.Enum):
    PLANNED = "计划"
    HELD = "已召开"


class AbsenceReason(str, enum.Enum):
    SICK = "病假"
    PERSONAL = "事假"
    DUTY = "公差"
    OTHER = "其他"


class AttachmentKind(str, enum.Enum):
    PHOTO = "会议照片"
    SIGNIN = "签到表"
    OTHER = "其他材料"


@dataclass
class Attendee:
    """One person expected at the meeting (应到), as the roster stood on its date."""

    member_id: int
    name: str
    category: Category = Category.FULL
    present: bool = True
    reason: AbsenceReason | None = None
    note: str = ""
    role: str = ""
    """书记, 组织委员 … for a 支委会; empty otherwise."""

    @property
    def has_vote(self) -> bool:
        """Only 正式党员 vote; 预备党员 and members from another organisation (多重组织生活)
        attend without a vote."""
        return self.category is Category.FULL and self.role != MULTI_ORG_ROLE

    def absence_text(self) -> str:
        """张三（病假）, 李四（其他：外出务工）."""
        if self.present:
            return ""
        return absence_text(self.name, self.reason.value if self.reason else "", self.note)


def absence_text(name: str, reason: str, note: str = "") -> str:
    """张三（病假）, 李四（其他：外出务工）; a missing reason reads 未说明."""
    why = reason or "未说明"
    return f"{name}（{why}：{note}）" if note else f"{name}（{why}）"


@dataclass
class Guest:
    """列席人员: free names, since guests are often not on the roster."""

    name: str
    role: str = ""

    def text(self) -> str:
        return f"{self.name}（{self.role}）" if self.role else self.name


@dataclass
class Resolution:
    """决议 and how the vote went. `election` marks a vote that needs 4/5 of voters present."""

    text: str
    yes: int = 0
    no: int = 0
    abstain: int = 0
    election: bool = False

    @property
    def votes(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass
class UnitDelegate:
    """A participant of a 党建联席会议: a resident unit's party organisation and its representative."""

    unit: str
    representative: str = ""
    role: str = ""
    present: bool = True


@dataclass
class Attachment:
    kind: AttachmentKind
    file_name: str
    path: str = ""
    """Relative to the database's files folder; content-addressed."""
    sha256: str = ""
    size: int = 0
    caption: str = ""
    id: int | None = None
    uuid: str | None = None

    @property
    def is_image(self) -> bool:
        return self.file_name.lower().rsplit(".", 1)[-1] in ("jpg", "jpeg", "png", "bmp", "gif")


@dataclass
class Meeting:
    org_id: int
    kind: MeetingKind
    start: datetime
    end: datetime | None = None
    status: MeetingStatus = MeetingStatus.HELD
    other_name: str = ""
    """The name of a meeting of kind 其他."""
    topics: list[str] = field(default_factory=list)
    place: str = ""
    host_id: int | None = None
    host_name: str = ""
    recorder_id: int | None = None
    recorder_name: str = ""
    lecturer: str = ""
    """党课: 授课人 (often a leader not on this roster)."""
    lecture_title: str = ""
    """党课: 课题."""
    guests: list[Guest] = field(default_factory=list)
    content: str = ""
    resolutions: list[Resolution] = field(default_factory=list)
    remarks: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    units: list[UnitDelegate] = field(default_factory=list)
    recorded_on: date | None = None
    """The day the meeting was first recorded as held."""
    late: bool = False
    """补记: recorded later than its date."""
    attachments: list[Attachment] = field(default_factory=list)
    expected_count: int = 0
    present_count: int = 0
    """应到/实到 as last stored (lists read these; tally() counts the attendees)."""
    id: int | None = None
    uuid: str | None = None

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def title_kind(self) -> str:
        """The kind as printed: 其他 shows its own name."""
        if self.kind is MeetingKind.OTHER and self.other_name.strip():
            return self.other_name.strip()
        return self.kind.value

    @property
    def topic_line(self) -> str:
        """主题 in one line: several 议题 joined with ；."""
        return "；".join(t for t in self.topics if t.strip())

    @property
    def present(self) -> list[Attendee]:
        return [a for a in self.attendees if a.present]

    @property
    def absent(self) -> list[Attendee]:
        return [a for a in self.attendees if not a.present]


def time_range_text(start: datetime, end: datetime | None) -> str:
    """2026年3月12日 14:30—16:00 (the end's date too when it differs)."""
    head = f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}"
    if end is None:
        return head
    if end.date() != start.date():
        return f"{head}—{end.year}年{end.month}月{end.day}日 {end:%H:%M}"
    return f"{head}—{end:%H:%M}"


@dataclass
class PrintableMeeting:
    """What the minutes form needs: the meeting, its organisation's name, photo files."""

    meeting: Meeting
    org_name: str
    photos: list[tuple[str, str]] = field(default_factory=list)
    """(caption, file path) of the photos to print as an appendix."""


def parse_guest_lines(text: str) -> list[Guest]:
    """列席人员 typed one per line: 刘芳 街道党工委组织委员 / 刘芳，… / 刘芳（…）."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith(("）", ")")) and ("（" in line or "(" in line):
            cut = max(line.rfind("（"), line.rfind("("))
            name, role = line[:cut], line[cut + 1:-1]
        else:
            parts = line.replace("，", " ").replace(",", " ").replace("、", " ").split(None, 1)
            name, role = parts[0], parts[1] if len(parts) > 1 else ""
        out.append(Guest(name.strip()[:30], role.strip()[:60]))
    return out


def guest_lines(guests: list[Guest]) -> str:
    return "\n".join(f"{g.name} {g.role}".strip() for g in guests)
