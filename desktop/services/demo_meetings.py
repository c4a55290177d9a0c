"""Demo meetings: last year's and this year's organisational life for every organisation.

Most required meetings were held (some recorded late, 补记), some are missing,
a few next month are planned; attendance follows the roster on each date, with
realistic absences and, in each branch, one member who keeps missing the
支部党员大会 so the statistics have someone to warn about. All invented.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ..domain.dates import add_months
from ..domain.meeting import (AbsenceReason, Attendee, Guest, Meeting, MeetingKind, MeetingStatus,
                              Resolution, UnitDelegate)
from ..domain.meeting_calendar import (COMMITTEE_MIN_SEATS, DEFAULT_FREQUENCIES, Frequency,
                                       kinds_for, periods)
from ..domain.meeting_rules import MemberHistory, category_on, membership_intervals, tally
from ..domain.member import Category
from ..domain.organization import CommitteeRole, OrgKind
from ..domain.tasks import CancelToken, Progress, no_progress
from ..storage import meetings as repo
from ..storage import organizations as org_repo

K = MeetingKind
PLACES = ["社区党群服务中心会议室", "社区党群服务中心二楼活动室", "新时代文明实践站", "社区居委会会议室"]
TOPICS = {
    K.ASSEMBLY: ["学习贯彻党的二十大精神", "通报支部上季度工作并部署本季度任务", "讨论发展党员工作",
                 "收缴党费情况通报", "学习《中国共产党章程》", "讨论社区志愿服务工作安排"],
    K.COMMITTEE: ["研究本月党建工作安排", "研究发展党员和党员教育管理工作", "研究困难党员帮扶事项",
                  "研究主题党日活动方案", "研究网格治理重点问题"],
    K.GROUP: ["学习党的创新理论", "交流本月网格服务情况", "讨论楼院环境整治"],
    K.THEME_DAY: ["重温入党誓词", "环境卫生清洁行动", "走访慰问困难群众", "学习身边先进典型",
                  "政策宣讲进楼院", "垃圾分类宣传"],
    K.LIFE: ["年度组织生活会：对照检查、开展批评和自我批评"],
    K.APPRAISAL: ["年度民主评议党员"],
    K.JOINT: ["研究共建项目清单", "通报双报到工作情况", "协调解决社区治理难点问题"],
}
LECTURES = ["学习习近平新时代中国特色社会主义思想", "传承红色基因，争做合格党员",
            "从党史中汲取奋进力量", "党员如何在基层治理中发挥作用"]
UNITS = ["区人民医院党委", "实验中学党支部", "区税务局党组", "供电所党支部", "派出所党支部",
         "邮政支局党支部", "物业服务公司党支部"]
UNIT_REPS = ["王", "李", "刘", "陈", "杨", "赵", "周"]
SPEECH = ["结合本职工作谈了学习体会，表示要在社区服务中亮身份、作表率。",
          "建议进一步加强对高龄独居老人的走访。", "对支部工作提出了意见和建议。",
          "介绍了所在网格的情况，提出楼道堆物清理问题。", "表示完全赞同，将带头落实。"]
# A real street has 50–100 branches; stress-test streets (100,000 members) get meetings for
# their first organisations only, so generating them stays a matter of seconds.
MAX_ORGS = 120
REASONS = ([AbsenceReason.SICK] * 35 + [AbsenceReason.PERSONAL] * 35 + [AbsenceReason.DUTY] * 15
           + [AbsenceReason.OTHER] * 15)


class _People:
    """Each member's membership intervals, computed once."""

    def __init__(self, histories: list[MemberHistory]):
        self.by_org: dict[int, list[tuple[MemberHistory, list]]] = {}
        self.by_group: dict[int, list[MemberHistory]] = {}
        for h in histories:
            ivs = membership_intervals(h)
            for org_id in {iv.org_id for iv in ivs}:
                self.by_org.setdefault(org_id, []).append((h, ivs))
            if h.group_id:
                self.by_group.setdefault(h.group_id, []).append(h)

    def on(self, org_id: int, day: date) -> list[tuple[MemberHistory, Category]]:
        return [(h, category_on(h, day)) for h, ivs in self.by_org.get(org_id, [])
                if any(iv.org_id == org_id and iv.covers(day) for iv in ivs)]


def generate_demo_meetings(conn, rng: random.Random, today: date,
                           progress: Progress = no_progress, cancel: CancelToken | None = None) -> int:
    """Insert last year's and this year's meetings; returns how many."""
    cancel = cancel or CancelToken()
    orgs = [o for o in org_repo.all_organizations(conn) if o.dissolved is None][:MAX_ORGS]
    people = _People(repo.histories_for(conn, [o.id for o in orgs]))
    out: list[Meeting] = []
    for i, org in enumerate(orgs):
        seats = org_repo.committee(conn, org.id)
        kinds = kinds_for(org.kind, len(seats) >= COMMITTEE_MIN_SEATS)
        skipper = None  # one member per branch who keeps missing the 支部党员大会
        members_now = people.on(org.id, today)
        if org.kind is OrgKind.BRANCH and len(members_now) > 8:
            skipper = rng.choice(members_now)[0].member_id
        for year in (today.year - 1, today.year):
            for kind in kinds:
                freq = DEFAULT_FREQUENCIES[kind]
                for p in periods(year, freq):
                    m = _maybe_meeting(rng, today, org, kind, freq, p)
                    if m is None:
                        continue
                    _attendance(rng, m, org, people, seats, skipper)
                    _fill(rng, m, seats)
                    out.append(m)
        if i % 10 == 0:
            cancel.check()
            progress(i, len(orgs), "正在生成三会一课记录…")
    repo.insert_many(conn, out)
    return len(out)


def _maybe_meeting(rng, today: date, org, kind: MeetingKind, freq: Frequency, p) -> Meeting | None:
    founded = org.founded
    if founded and founded > p.end:
        return None
    if kind in (K.LIFE, K.APPRAISAL):
        day = date(p.year, 12 if kind is K.LIFE else rng.choice((11, 12)), rng.randint(5, 25))
    else:
        month = p.first_month + rng.randrange(p.months)
        day = date(p.year, month, rng.randint(3, 26))
    start = datetime.combine(day, datetime.min.time()).replace(hour=rng.choice((9, 14, 15, 19)),
                                                              minute=rng.choice((0, 0, 30)))
    if day < today:
        if rng.random() < (0.1 if p.end < today else 0.4):
            return None  # missing (or not yet held in the current period)
        status = MeetingStatus.HELD
    elif day <= add_months(today, 1) and rng.random() < 0.7:
        status = MeetingStatus.PLANNED
    else:
        return None
    m = Meeting(org.id, kind, start, start + timedelta(minutes=rng.choice((60, 90, 120))), status=status)
    if status is MeetingStatus.HELD:
        late = rng.random() < 0.12
        m.recorded_on = min(day + timedelta(days=rng.randint(3, 40)), today) if late else day
        m.late = m.recorded_on > day
    return m


def _attendance(rng, m: Meeting, org, people: _People, seats, skipper: int | None) -> None:
    if m.kind is K.JOINT:
        m.units = [UnitDelegate(u, f"{rng.choice(UNIT_REPS)}{rng.choice('明华军丽强芳')}",
                                rng.choice(("书记", "副书记", "党务干事")),
                                present=m.status is MeetingStatus.PLANNED or rng.random() < 0.85)
                   for u in rng.sample(UNITS, rng.randint(3, 6))]
        return
    day = m.day
    if org.kind is OrgKind.GROUP:
        members = [(h, category_on(h, day)) for h in people.by_group.get(org.id, [])
                   if any(iv.org_id == org.parent_id and iv.covers(day)
                          for iv in membership_intervals(h))]
    else:
        members = people.on(org.id, day)
    if m.kind is K.COMMITTEE:
        here = {h.member_id: (h, c) for h, c in members}
        attendees = [Attendee(s.member_id, here[s.member_id][0].name, here[s.member_id][1],
                              role=s.role.value) for s in seats if s.member_id in here]
    else:
        attendees = [Attendee(h.member_id, h.name, c) for h, c in sorted(members, key=lambda x: x[0].member_id)]
    if m.status is MeetingStatus.HELD:
        for a in attendees:
            chance = 0.25 if (a.member_id == skipper and m.kind is K.ASSEMBLY) else 0.88
            if rng.random() >= chance:
                a.present, a.reason = False, rng.choice(REASONS)
                if a.reason is AbsenceReason.OTHER:
                    a.note = rng.choice(("外出务工", "在外地照顾家人", "住院治疗"))
    m.attendees = attendees


def _fill(rng, m: Meeting, seats) -> None:
    present = [a for a in m.attendees if a.present] or m.attendees
    by_role = {s.role: s for s in seats}
    sec = by_role.get(CommitteeRole.SECRETARY)
    ids = {a.member_id for a in present}
    if sec and sec.member_id in ids:
        m.host_id, m.host_name = sec.member_id, sec.member_name
    elif present:
        m.host_id, m.host_name = present[0].member_id, present[0].name
    rec = by_role.get(CommitteeRole.ORGANIZATION)
    if rec and rec.member_id in ids and rec.member_id != m.host_id:
        m.recorder_id, m.recorder_name = rec.member_id, rec.member_name
    else:
        other = [a for a in present if a.member_id != m.host_id]
        if other:
            m.recorder_id, m.recorder_name = other[0].member_id, other[0].name
    m.place = rng.choice(PLACES)
    if m.kind is K.LECTURE:
        m.lecturer = m.host_name or "街道党工委书记"
        m.lecture_title = rng.choice(LECTURES)
        m.topics = [m.lecture_title]
    else:
        pool = TOPICS.get(m.kind, ["其他事项"])
        m.topics = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))
    if m.status is MeetingStatus.PLANNED:
        return
    if m.kind is K.ASSEMBLY and rng.random() < 0.3:
        m.guests = [Guest(f"{rng.choice(UNIT_REPS)}{rng.choice('敏静涛')}", "街道党工委组织委员")]
    t = tally(m)
    lines = [f"主持人{m.host_name}宣布会议开始，{t.summary()}。" + (f"{t.verdict()}。" if t.verdict() else "")]
    for i, topic in enumerate(m.topics, start=1):
        lines.append(f"{'一二三'[i - 1]}、{topic}。")
        speakers = [a for a in present if a.member_id not in (m.host_id,)][:rng.randint(1, 3)]
        for a in speakers:
            lines.append(f"{a.name}：{rng.choice(SPEECH)}")
    lines.append(f"{m.host_name}作总结讲话，要求全体党员抓好落实。会议结束。")
    m.content = "\n".join(lines)
    if m.kind in (K.ASSEMBLY, K.COMMITTEE) and t.valid:
        voters = t.voters_present
        no = 1 if voters > 6 and rng.random() < 0.3 else 0
        m.resolutions = [Resolution(f"同意{m.topics[0]}的相关安排", voters - no, no, 0)]
