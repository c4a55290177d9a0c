"""Demo 双报到: in-service members and resident units registered with each community.

Per community: about a dozen in-service members (two or three of them also on the
roster, linked), a few resident units with 共建协议, 需求/资源/项目清单 items with
claims, commitments for the year (most kept), and a year of service activities with
several participants each — some people busy, some who fall short of the quotas.
Every name is generated.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Callable

from ..domain.idcard import make_id_number
from ..domain.organization import OrgKind
from ..domain.registration import (Commitment, ItemStatus, ListItem, ListKind, Participant,
                                   RegisteredMember, ResidentUnit, ServicePost, ServiceRecord)
from ..domain.registration_feedback import Appraisal, AppraisalRecord
from ..domain.tasks import CancelToken, Progress, no_progress
from ..storage import members as member_repo
from ..storage import organizations as org_repo
from ..storage import registrations as repo

EMPLOYERS = [("区人民医院", "区人民医院党委"), ("实验中学", "实验中学党总支"),
             ("区税务局", "区税务局机关党委"), ("市供电公司", "市供电公司党委"),
             ("区人民法院", "区人民法院机关党委"), ("建设银行某支行", "建设银行某支行党支部"),
             ("区教育局", "区教育局机关党委"), ("某科技有限公司", "某科技有限公司党支部")]
UNITS = [("区人民医院", "区人民医院党委"), ("实验中学", "实验中学党总支"),
         ("供电所", "供电所党支部"), ("派出所", "派出所党支部"), ("邮政支局", "邮政支局党支部")]
SKILLS = ["法律咨询", "医疗保健", "文艺特长", "电脑维修", "心理疏导", "书法绘画", "家电维修", "",
          "", "财会"]
ACTIVITIES = {
    ServicePost.ORGANISATION: ["协助开展主题党日", "党课宣讲进楼院"],
    ServicePost.LEGAL: ["法律咨询进社区", "调解邻里纠纷"],
    ServicePost.RELIEF: ["走访慰问困难家庭", "助残志愿服务"],
    ServicePost.GOVERNANCE: ["楼道堆物清理", "垃圾分类宣传督导", "文明创建志愿服务"],
    ServicePost.HEALTH: ["义诊进社区", "健康知识讲座"],
    ServicePost.CULTURE: ["社区文艺汇演", "青少年暑期课堂"],
    ServicePost.PATROL: ["夜间平安巡逻", "消防安全检查"],
}
NEEDS = ["独居老人助餐", "楼道照明维修", "困难学生课业辅导", "老旧小区加装扶手", "残疾人出行帮扶"]
RESOURCES = ["会议室免费开放", "义诊服务每月一次", "法律顾问定期坐班", "职工志愿服务队"]
PROJECTS = ["“红色物业”共建项目", "“四点半课堂”项目", "邻里守望平安项目"]
PROMISES = ["每季度参加一次社区志愿服务", "结对帮扶一户困难家庭", "参与夜间平安巡逻",
            "为居民提供一次法律咨询", "参加垃圾分类宣传督导"]
WORKERS = ["社区干事", "网格员", "社区书记"]
MAX_COMMUNITIES = 20


def generate_demo_registrations(conn, rng: random.Random, today: date,
                                make_name: Callable[[random.Random], str],
                                progress: Progress = no_progress,
                                cancel: CancelToken | None = None) -> int:
    """Insert the demo registrations of every community; returns how many people and units."""
    cancel = cancel or CancelToken()
    orgs = org_repo.all_organizations(conn)
    comms = [o for o in orgs if o.kind in (OrgKind.COMMUNITY, OrgKind.GENERAL_BRANCH)
             and o.dissolved is None][:MAX_COMMUNITIES]
    parent = {o.id: o.parent_id for o in orgs}
    roster_by_comm: dict[int, list[int]] = {}
    for mid, org_id, *_ in member_repo.demo_index(conn):
        up = org_id
        while up is not None and up not in {c.id for c in comms}:
            up = parent.get(up)
        if up is not None:
            roster_by_comm.setdefault(up, []).append(mid)
    year_start = date(today.year, 1, 1)
    made, seq = 0, 0
    progress(0, len(comms), "正在生成双报到…")
    for ci, comm in enumerate(comms):
        cancel.check()
        regs: list[RegisteredMember] = []
        linked = rng.sample(roster_by_comm.get(comm.id, []), min(3, len(roster_by_comm.get(comm.id, []))))
        for mid in linked:
            p = repo.roster_person(conn, mid)
            emp, emp_org = rng.choice(EMPLOYERS)
            regs.append(RegisteredMember(comm.id, p.name, emp, emp_org, f"组织委员 {_phone(rng)}",
                                         p.sex, p.mobile or p.phone, p.id_number, p.address,
                                         "第一网格", rng.choice(SKILLS), _posts(rng),
                                         _reported(rng, today), member_id=p.id))
        for _ in range(rng.randint(9, 14)):
            seq += 1
            sex = rng.choice(("男", "女"))
            birth = date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
            emp, emp_org = rng.choice(EMPLOYERS)
            id_number = make_id_number("120101", birth, seq % 500, sex) if rng.random() < 0.6 else ""
            regs.append(RegisteredMember(
                comm.id, make_name(rng), emp, emp_org, f"组织委员 {_phone(rng)}", sex, _phone(rng),
                id_number, f"{comm.name[:2]}路{rng.randint(1, 200)}号", f"第{'一二三四'[rng.randrange(4)]}网格",
                rng.choice(SKILLS), _posts(rng), _reported(rng, today)))
        for r in regs:
            r.id = repo.insert_member(conn, r)
        units = []
        for name, party in rng.sample(UNITS, 3):
            start = date(today.year - 1, rng.randint(1, 12), 1)
            u = ResidentUnit(comm.id, name, party, make_name(rng), make_name(rng), _phone(rng),
                             rng.randint(8, 120), start, f"{comm.name}、{party}", start,
                             date(start.year + 2, start.month, 1) - timedelta(days=1),
                             "共建党员活动阵地；联合开展志愿服务；共享会议室等资源")
            u.id = repo.insert_unit(conn, u)
            units.append(u)
        refs = [r.ref for r in regs] + [u.ref for u in units]
        names = {r.ref: r.name for r in regs} | {u.ref: u.name for u in units}
        _lists(conn, rng, comm.id, refs, names, today)
        for ref in refs:
            for text in rng.sample(PROMISES, rng.randint(1, 2)):
                kept = year_start + timedelta(days=rng.randrange(max(1, (today - year_start).days)))
                repo.insert_commitment(conn, Commitment(ref, today.year, text,
                                                        kept if rng.random() < 0.65 else None,
                                                        "已按承诺完成，有活动记录" if rng.random() < 0.5 else ""))
        _services(conn, rng, comm.id, regs, units, today)
        for r in regs[:3]:
            repo.put_appraisal(conn, AppraisalRecord(r.ref, today.year - 1, 0, rng.choice(
                [Appraisal.EXCELLENT, Appraisal.GOOD, Appraisal.GOOD]), "积极参加社区服务"))
        made += len(regs) + len(units)
        progress(ci + 1, len(comms), "正在生成双报到…")
    return made


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def _posts(rng: random.Random) -> list[ServicePost]:
    return rng.sample(list(ServicePost)[:-1], rng.randint(1, 2))


def _reported(rng: random.Random, today: date) -> date:
    return today - timedelta(days=rng.randint(60, 900))


def _lists(conn, rng, community_id: int, refs, names, today: date) -> None:
    for kind, titles in ((ListKind.NEED, NEEDS), (ListKind.RESOURCE, RESOURCES),
                         (ListKind.PROJECT, PROJECTS)):
        for title in rng.sample(titles, min(3, len(titles))):
            status = rng.choice([ItemStatus.OPEN, ItemStatus.CLAIMED, ItemStatus.CLAIMED, ItemStatus.DONE])
            item = ListItem(community_id, kind, title, "", "社区党委" if kind is not ListKind.NEED
                            else f"居民{rng.randint(1, 30)}号楼", status,
                            today - timedelta(days=rng.randint(30, 300)))
            item.id = repo.insert_item(conn, item)
            if status is not ItemStatus.OPEN:
                for ref in rng.sample(refs, rng.randint(1, 2)):
                    repo.add_claim(conn, item, ref, item.created_on + timedelta(days=rng.randint(1, 20)))


def _services(conn, rng, community_id: int, regs, units, today: date) -> None:
    """About two activities a month over the past year; a few members rarely come."""
    idle = {r.ref for r in rng.sample(regs, max(1, len(regs) // 4))}
    active = [r for r in regs if r.ref not in idle]
    records = []
    day = today - timedelta(days=365)
    while day <= today:
        post = rng.choice(list(ACTIVITIES))
        people = [r for r in rng.sample(active, min(len(active), rng.randint(2, 6)))
                  if r.reported_on <= day]
        if rng.random() < 0.1:
            people += [r for r in regs if r.ref in idle and r.reported_on <= day][:1]
        who = [Participant(r.ref, r.name) for r in people]
        if rng.random() < 0.3:
            u = rng.choice(units)
            who.append(Participant(u.ref, u.name))
        if who:
            records.append(ServiceRecord(community_id, day, rng.choice(ACTIVITIES[post]),
                                         rng.choice((1.0, 1.5, 2.0, 2.0, 3.0, 4.0)), "社区党群服务中心",
                                         post, rng.choice(WORKERS), participants=who))
        day += timedelta(days=rng.randint(10, 20))
    repo.insert_services(conn, records)

