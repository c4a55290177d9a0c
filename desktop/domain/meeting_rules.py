"""The rules that judge a meeting: who belonged on its date, quorum, resolutions, 补记.

Membership on a date is rebuilt from a member's dated events (入党, 转入, 组织内调动,
转出, 停止党籍 …): an event takes effect on its own date, so a member who joined on
the meeting day is expected and one who left on that day is not. Members with no
events (old imports) fall back to their record: in their organisation from the
入党 date until they left. 党小组 membership has its own dated stretches (group_on).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from .errors import FieldError, ValidationErrors
from .interval import Interval
from .meeting import VOTING_KINDS, Meeting, MeetingKind, MeetingStatus
from .member import Category, Status
from .member_event import LEAVING_EVENTS, EventKind, MemberEvent

_OPENING = (EventKind.JOINED, EventKind.TRANSFER_IN)


@dataclass
class MemberHistory:
    """What the membership rules need to know about one member."""

    member_id: int
    name: str
    org_id: int
    status: Status = Status.ACTIVE
    category: Category = Category.FULL
    joined: date | None = None
    confirmed: date | None = None
    left_date: date | None = None
    group_id: int | None = None
    events: list[MemberEvent] = field(default_factory=list)
    groups: list[Interval] = field(default_factory=list)
    """Recorded stretches in a 党小组 (org_id = the group); empty: no change on record."""


def membership_intervals(h: MemberHistory) -> list[Interval]:
    """Where the member belonged, and when, as far as the record and its events tell."""
    out: list[Interval] = []
    events = sorted(h.events, key=lambda e: (e.date, e.id or 0))
    open_org: int | None = None
    open_from: date | None = None
    opened = False
    left_since_open = False

    def close(day: date) -> None:
        nonlocal open_org
        if open_org is not None:
            out.append(Interval(open_org, open_from, day))
        open_org = None

    for ev in events:
        if ev.kind in _OPENING:
            if open_org is not None and ev.kind is EventKind.TRANSFER_IN and not left_since_open:
                # 入党 recorded elsewhere, then 转入 here: membership here starts now.
                open_org = None
            elif open_org is not None:
                continue
            open_org, open_from, opened = ev.org_id or h.org_id, ev.date, True
            left_since_open = False
        elif ev.kind is EventKind.MOVED:
            if open_org is not None and ev.org_id and ev.org_id != open_org:
                close(ev.date)
                open_org, open_from = ev.org_id, ev.date
        elif ev.kind in LEAVING_EVENTS:
            if open_org is None and not opened:
                # No opening event: the member was here from the record's 入党 date.
                first_org = next((e.org_id for e in events if e.org_id), None) or h.org_id
                open_org, open_from, opened = first_org, h.joined, True
            close(ev.date)
            left_since_open = True
    if not opened:
        start_org = next((e.org_id for e in events
                          if e.org_id and e.kind is not EventKind.MOVED), None) or h.org_id
        open_org, open_from = start_org, h.joined
        for ev in events:  # moves recorded without an opening event
            if ev.kind is EventKind.MOVED and ev.org_id and ev.org_id != open_org:
                close(ev.date)
                open_org, open_from = ev.org_id, ev.date
    if open_org is not None:
        if h.status is not Status.ACTIVE:
            # Left without an event on record: the record's leaving date (or never here).
            if h.left_date is not None and (open_from is None or h.left_date > open_from):
                out.append(Interval(open_org, open_from, h.left_date))
        else:
            # The roster is the truth now: an unrecorded move shows in the open stretch.
            out.append(Interval(h.org_id, open_from, None))
    return out


def org_on(h: MemberHistory, day: date) -> int | None:
    """The organisation the member belonged to on `day`, or None."""
    for iv in membership_intervals(h):
        if iv.covers(day):
            return iv.org_id
    return None


def group_on(h: MemberHistory, day: date) -> int | None:
    """The 党小组 the member was in on `day`, or None.

    Recorded stretches tell the past; from the last recorded change on, the roster's
    group is the truth, so a member with no change on record has it on every date.
    """
    changes = [d for iv in h.groups for d in (iv.start, iv.end) if d is not None]
    if not changes or day >= max(changes):
        return h.group_id
    return next((iv.org_id for iv in h.groups if iv.covers(day)), None)


def category_on(h: MemberHistory, day: date) -> Category:
    """正式党员 from the 转正 date on; 预备党员 before it."""
    if h.confirmed is not None:
        return Category.FULL if h.confirmed <= day else Category.PROBATIONARY
    return h.category


def members_on(histories: Iterable[MemberHistory], org_id: int, day: date,
               group_of: int | None = None) -> list[tuple[MemberHistory, Category]]:
    """Who belonged to `org_id` on `day`, with their category then.

    For a party group pass `group_of` = the group's branch: members who were in the
    group on the day (group_on) and belonged to that branch then.
    """
    out = []
    for h in histories:
        if group_of is not None:
            if group_on(h, day) != org_id or org_on(h, day) != group_of:
                continue
        elif org_on(h, day) != org_id:
            continue
        out.append((h, category_on(h, day)))
    return out


# Meetings that members taking part in this organisation's life from another one
# (多重组织生活) are expected at; never those that vote on or review its own members.
MULTI_ORG_KINDS = frozenset({MeetingKind.THEME_DAY, MeetingKind.LECTURE})


def guests_on(histories: Iterable[MemberHistory], home_ids: set[int],
              day: date) -> list[tuple[MemberHistory, Category]]:
    """Members of other organisations (linked for 多重组织生活) who were on the roster on
    `day`, leaving out those already expected as the organisation's own (`home_ids`)."""
    return [(h, category_on(h, day)) for h in histories
            if h.member_id not in home_ids and org_on(h, day) is not None]


# --- quorum and votes -------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    """应到/实到/缺席 and, for 支部党员大会 and 支委会, whether the meeting was valid."""

    expected: int
    present: int
    absent: int
    voters_expected: int
    voters_present: int
    nonvoters_present: int
    valid: bool | None
    """None for kinds that need no quorum."""
    needed: int
    """Present voters needed for validity (0 when none is needed)."""

    @property
    def rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    def summary(self) -> str:
        """应到12人，实到10人，缺席2人."""
        return f"应到{self.expected}人，实到{self.present}人，缺席{self.absent}人"

    def verdict(self) -> str:
        """The chair's statement of validity, in the words a clerk writes."""
        if self.valid is None:
            return ""
        head = f"有表决权的应到{self.voters_expected}人，实到{self.voters_present}人"
        if self.valid:
            return f"{head}，超过半数，会议有效"
        if self.voters_expected == 0:
            return "没有有表决权的应到人员，会议不能作出决议"
        return f"{head}，未超过半数（至少需{self.needed}人），会议无效"


def needed_for_majority(n: int) -> int:
    """The smallest count that is more than half of n."""
    return n // 2 + 1


def tally(m: Meeting) -> Tally:
    if m.kind is MeetingKind.JOINT:
        expected = len(m.units)
        present = sum(1 for u in m.units if u.present)
        return Tally(expected, present, expected - present, 0, 0, 0, None, 0)
    voters = [a for a in m.attendees if a.has_vote]
    return tally_from_counts(m.kind, len(m.attendees), sum(1 for a in m.attendees if a.present),
                             len(voters), sum(1 for a in voters if a.present))


def tally_from_counts(kind: MeetingKind, expected: int, present: int, voters_expected: int,
                      voters_present: int) -> Tally:
    """The same judgement from counts alone (lists and the ledger count in SQL)."""
    valid: bool | None = None
    needed = 0
    if kind in VOTING_KINDS:
        needed = needed_for_majority(voters_expected)
        valid = voters_expected > 0 and voters_present >= needed
    return Tally(expected, present, expected - present, voters_expected, voters_present,
                 present - voters_present, valid, needed)


@dataclass(frozen=True)
class Outcome:
    passed: bool | None
    """None when the meeting kind takes no votes."""
    needed: int
    """Yes votes needed."""
    text: str
    """通过 / 未通过, and why not."""


def resolution_outcome(m: Meeting, index: int, t: Tally | None = None) -> Outcome:
    """Yes votes above half of those with a vote who *should* attend; elections also need
    more than 4/5 of the voters present. Nothing passes at an invalid meeting."""
    r = m.resolutions[index]
    t = t or tally(m)
    if m.kind not in VOTING_KINDS:
        return Outcome(None, 0, "")
    needed = needed_for_majority(t.voters_expected)
    if not t.valid:
        return Outcome(False, needed, "未通过（会议无效）")
    if r.election and t.voters_present * 5 <= t.voters_expected * 4:
        return Outcome(False, needed, "未通过（选举须有表决权党员五分之四以上到会）")
    if r.yes >= needed:
        return Outcome(True, needed, "通过")
    return Outcome(False, needed, f"未通过（赞成票须达{needed}票）")


def vote_line(m: Meeting, index: int, t: Tally | None = None) -> str:
    """赞成18票，反对1票，弃权1票，通过."""
    r = m.resolutions[index]
    out = resolution_outcome(m, index, t)
    line = f"赞成{r.yes}票，反对{r.no}票，弃权{r.abstain}票"
    return f"{line}，{out.text}" if out.text else line


def check_vote_counts(m: Meeting) -> list[FieldError]:
    """Votes cast cannot exceed the voters present."""
    if m.kind not in VOTING_KINDS or not m.attendees:
        return []
    t = tally(m)
    errors = []
    for i, r in enumerate(m.resolutions, start=1):
        if r.votes > t.voters_present:
            errors.append(FieldError(
                "决议", f"第{i}项决议的票数合计{r.votes}票，多于实到的有表决权党员{t.voters_present}人"))
    return errors


def validate_meeting(m: Meeting) -> None:
    """Raise ValidationErrors naming every field that is wrong."""
    errors: list[FieldError] = []

    def err(f: str, msg: str) -> None:
        errors.append(FieldError(f, msg))

    if m.org_id is None:
        err("组织", "请选择召开会议的组织")
    if m.kind is MeetingKind.OTHER and not m.other_name.strip():
        err("会议名称", "“其他”类会议请填写会议名称")
    if m.end is not None and m.end <= m.start:
        err("结束时间", "应晚于开始时间")
    if len(m.place) > 100:
        err("地点", "不能超过100个字")
    if any(len(t) > 200 for t in m.topics):
        err("主题", "每个议题不能超过200个字")
    if m.status is MeetingStatus.HELD:
        if not any(t.strip() for t in m.topics) and not m.lecture_title.strip():
            err("主题", "请填写会议主题或议题")
        if m.kind is MeetingKind.LECTURE and not m.lecturer.strip():
            err("授课人", "党课请填写授课人")
        missing = [a.name for a in m.attendees if not a.present and a.reason is None]
        if missing:
            err("缺席原因", f"请填写{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}的缺席原因")
        by_id = {a.member_id: a for a in m.attendees}
        for label, member_id in (("主持人", m.host_id), ("记录人", m.recorder_id)):
            a = by_id.get(member_id) if member_id is not None else None
            if a is not None and not a.present:
                err(label, f"{a.name}被标记为缺席，不能担任{label}")
        if m.kind is MeetingKind.JOINT and not m.units:
            err("参会单位", "党建联席会议请填写参会单位及代表")
    for i, r in enumerate(m.resolutions, start=1):
        if not r.text.strip():
            err("决议", f"第{i}项决议内容不能为空")
        if min(r.yes, r.no, r.abstain) < 0:
            err("决议", f"第{i}项决议的票数不能为负数")
    errors.extend(check_vote_counts(m))
    if errors:
        raise ValidationErrors(errors)


def is_late(meeting_day: date, recorded_on: date, grace_days: int = 0) -> bool:
    """补记: recorded more than `grace_days` after the meeting day."""
    return recorded_on > meeting_day + timedelta(days=grace_days)


def absence_streaks(present_in_order: Iterable[bool]) -> tuple[int, int]:
    """(longest run of absences, current run at the end) over meetings in date order."""
    longest = current = 0
    for present in present_in_order:
        current = 0 if present else current + 1
        longest = max(longest, current)
    return longest, current

