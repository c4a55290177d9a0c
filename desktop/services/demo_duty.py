"""Demo 述职评议: last year's closed round with tallies and 整改 items, and this year's
open round with the upward tallies of a few secretaries entered. All invented."""
from __future__ import annotations

import random
from datetime import date, timedelta

from ..domain.duty_report import (AudienceTally, DutyRound, FixItem, RoundStatus, default_template,
                                  default_title)
from ..storage import duty_reports as repo
from ..storage import organizations as org_repo
from .duty_reports import tree_reporters

PROBLEMS = [
    ("主题党日形式较单一，党员参与积极性不高", "每季度结合网格服务开展一次实践型主题党日"),
    ("发展党员工作推进较慢，青年人才储备不足", "建立入党积极分子培养台账，每半年至少谈话一次"),
    ("“三会一课”记录不够规范，个别会议补记", "会后三日内完成记录，支委每月检查一次台账"),
    ("联系服务群众不够深入，走访覆盖面不广", "书记每月走访困难党员群众不少于5户"),
    ("流动党员管理不够到位", "建立流动党员微信群，每季度通报一次组织生活情况"),
    ("党建与网格治理结合不够紧密", "推行“党员联户”，每名党员联系10户居民"),
]
UPPER_SEATS = 11  # members of the 街道党工委 and its office who appraise upward


def generate_demo_duty(conn, rng: random.Random, today: date) -> None:
    people = tree_reporters(conn)
    if not people:
        return
    members = {n.id: n.own_members for n in org_repo.tree_nodes(conn)}
    street = next((o.name for o in org_repo.all_organizations(conn) if o.parent_id is None), "")
    template = default_template()
    last = DutyRound(today.year - 1, default_title(today.year - 1, street), template.copy(),
                     up_date=date(today.year, 1, 12), up_place="街道党群服务中心会议室",
                     down_date=date(today.year - 1, 12, 20), down_place="各社区党群服务中心",
                     status=RoundStatus.CLOSED, reporters=[_copy(p) for p in people])
    last.id = repo.insert_round(conn, last)
    quality = {p.org_id: rng.uniform(0.45, 0.95) for p in people}
    for p in last.reporters:
        for t in _tallies(rng, template, p.id, members.get(p.org_id, 0), quality[p.org_id]):
            repo.put_tally(conn, t)
        for problem, measure in rng.sample(PROBLEMS, rng.choice((1, 2, 2, 3))):
            done = rng.random() < 0.6
            repo.save_fix(conn, FixItem(
                last.id, problem, measure, date(today.year, rng.choice((3, 6, 9)), 30),
                min(today, date(today.year, rng.randint(1, max(1, today.month - 1)), rng.randint(1, 28)))
                if done else None,
                p.id, p.org_id, p.name))
    now = DutyRound(today.year, default_title(today.year, street), template.copy(),
                    up_date=today + timedelta(days=30), up_place="街道党群服务中心会议室",
                    down_place="各社区党群服务中心", reporters=[_copy(p) for p in people])
    now.id = repo.insert_round(conn, now)
    for p in now.reporters[: max(1, len(now.reporters) // 4)]:
        t = _tallies(rng, template, p.id, members.get(p.org_id, 0), quality[p.org_id])[0]
        repo.put_tally(conn, t)


def _copy(p):
    from dataclasses import replace

    return replace(p, id=None, uuid=None)


def _tallies(rng: random.Random, template, reporter_id: int, members: int,
             q: float) -> list[AudienceTally]:
    out = []
    labels = template.rating_labels
    for a in template.audiences:
        if a.name == "上级评议":
            entitled = UPPER_SEATS
        else:
            entitled = max(8, members // 2 + rng.randint(5, 15))  # members and residents' reps
        returned = entitled - rng.randint(0, max(1, entitled // 8))
        q_here = min(0.98, max(0.2, q + rng.uniform(-0.08, 0.08)))
        weights = [q_here, (1 - q_here) * 0.7, (1 - q_here) * 0.25, (1 - q_here) * 0.05]
        counts: dict[str, dict[str, int]] = {}
        for item in template.item_names:
            by = dict.fromkeys(labels, 0)
            for _ in range(returned):
                if rng.random() < 0.02:
                    continue  # left blank
                by[rng.choices(labels, weights)[0]] += 1
            counts[item] = by
        out.append(AudienceTally(reporter_id, a.name, entitled, returned, counts))
    return out
