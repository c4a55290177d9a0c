"""A realistic generated street, so a new user sees a working program at once.

Everything is invented: names are random combinations of common characters,
ID numbers are generated with valid check digits for made-up people.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from ..domain.dates import add_years
from ..domain.idcard import make_id_number
from ..domain.member import Category, Member, Status
from ..domain.member_event import LEAVING_EVENTS, EventKind, MemberEvent
from ..domain.organization import BranchKind, CommitteeRole, CommitteeSeat, OrgKind, Organization
from ..domain.tasks import CancelToken, Progress, no_progress
from ..storage import members as member_repo
from ..storage import organizations as org_repo
from ..storage.database import Database, analyze
from .demo_duty import generate_demo_duty
from .demo_meetings import generate_demo_meetings
from .demo_registrations import generate_demo_registrations

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉国荣新春梅琴云飞鹏海波宁斌欣怡浩宇晨子涵思雨佳琪鑫婷雪慧志红光东晓丹凤德福永利成林峰"
COMMUNITIES = ["朝阳", "幸福", "和平", "光明", "新华", "翠苑", "锦绣", "春晖", "民主", "团结",
               "东湖", "西苑", "南山", "北岭", "学府", "滨江", "金桥", "阳光", "长乐", "安康"]
REGIONS = ["110105", "320102", "330106", "420106", "440104", "510107", "610113", "370102"]
ETHNIC = ["汉族"] * 92 + ["回族", "满族", "蒙古族", "壮族", "土家族", "朝鲜族", "苗族", "藏族"]
EDUCATION = (["大学本科"] * 30 + ["大学专科"] * 20 + ["高中"] * 18 + ["中等专科"] * 10 +
             ["初中"] * 12 + ["硕士研究生"] * 6 + ["小学"] * 3 + ["博士研究生"])
STREETS = ["人民路", "解放路", "建设路", "中山路", "文化路", "青年路", "和平路", "光华路"]
DESTINATIONS = ["区机关工委", "市国资委党委", "邻街道社区党委", "某高校党委", "外省某社区党委"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


class DemoGenerator:
    def __init__(self, db: Database, seed: int = 20261122, today: date | None = None):
        self.db = db
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self._used_ids: set[str] = set()

    def run(self, members: int, progress: Progress = no_progress,
            cancel: CancelToken | None = None) -> dict:
        """Fill an empty database with a street of about `members` members, in one transaction."""
        rng, cancel = self.rng, cancel or CancelToken()
        with self.db.transaction() as conn:
            if org_repo.all_organizations(conn):
                from ..domain.errors import Conflict
                raise Conflict("数据库中已有组织，示例数据只能生成到空数据库中")
            branches = self._organizations(conn, members)
            progress(0, members, "正在生成党员…")
            seq = 0
            made = 0
            for bi, (branch_id, kind, group_ids) in enumerate(branches):
                quota = members // len(branches) + (1 if bi < members % len(branches) else 0)
                batch = []
                for _ in range(quota):
                    seq += 1
                    batch.append(self._member(branch_id, kind, group_ids, seq))
                member_repo.insert_many(conn, batch)
                made += len(batch)
                if bi % 20 == 0:
                    cancel.check()
                    progress(made, members, "正在生成党员…")
            progress(members, members, "正在记录转出与转正…")
            self._history_and_committees(conn)
            generate_demo_meetings(conn, self.rng, self.today, progress, cancel)
            generate_demo_duty(conn, self.rng, self.today)
            generate_demo_registrations(conn, self.rng, self.today, _name, progress, cancel)
        analyze(self.db)
        return {"branches": len(branches), "members": made}

    def _organizations(self, conn, members: int) -> list[tuple[int, BranchKind, list[int]]]:
        rng = self.rng
        street = org_repo.insert(conn, Organization("长青街道党工委", OrgKind.STREET,
                                                    founded=date(1985, 7, 1)))
        n_comm = max(2, min(len(COMMUNITIES), members // 1500 + 2))
        n_branch = max(n_comm * 3, members // 40)
        per_comm = [n_branch // n_comm + (1 if i < n_branch % n_comm else 0) for i in range(n_comm)]
        out = []
        for ci in range(n_comm):
            start = date(rng.choice((2021, 2022, 2023)), rng.choice((3, 6, 9, 12)), 1)
            comm = org_repo.insert(conn, Organization(
                f"{COMMUNITIES[ci]}社区党委", OrgKind.COMMUNITY, parent_id=street,
                founded=date(rng.randint(1990, 2010), 7, 1), term_start=start,
                term_end=add_years(start, 5), contact=f"0{rng.randint(10, 99)}-{rng.randint(6000000, 8999999)}"))
            kinds = [BranchKind.GRID, BranchKind.COURTYARD, BranchKind.FUNCTIONAL,
                     BranchKind.MOBILE, BranchKind.NEW_ORG, BranchKind.RESIDENT_UNIT]
            for bi in range(per_comm[ci]):
                kind = kinds[bi] if bi < len(kinds) else BranchKind.GRID
                name = {
                    BranchKind.GRID: f"第{bi + 1}网格党支部",
                    BranchKind.COURTYARD: "离退休楼院党支部",
                    BranchKind.FUNCTIONAL: "志愿服务功能型党支部",
                    BranchKind.MOBILE: "流动党员党支部",
                    BranchKind.NEW_ORG: "商务楼宇两新组织党支部",
                    BranchKind.RESIDENT_UNIT: "驻区单位联合党支部",
                }[kind]
                # Some terms end soon so the 换届提醒 has something to show.
                ts = self.today - timedelta(days=rng.randint(200, 5 * 365 + 60))
                bid = org_repo.insert(conn, Organization(
                    f"{COMMUNITIES[ci]}社区{name}", OrgKind.BRANCH, parent_id=comm, branch_kind=kind,
                    founded=ts - timedelta(days=365 * rng.randint(0, 10)), term_start=ts,
                    term_end=add_years(ts, 5)))
                groups = []
                if bi < 2:
                    for g in range(2):
                        groups.append(org_repo.insert(conn, Organization(
                            f"第{g + 1}党小组", OrgKind.GROUP, parent_id=bid)))
                out.append((bid, kind, groups))
        return out

    def _member(self, branch_id: int, kind: BranchKind, groups: list[int], seq: int) -> Member:
        rng, today = self.rng, self.today
        retiree_branch = kind is BranchKind.COURTYARD
        age = rng.randint(62, 90) if retiree_branch else rng.randint(20, 85)
        birth = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        sex = "男" if rng.random() < 0.55 else "女"
        region, n = rng.choice(REGIONS), seq % 500
        id_number = make_id_number(region, birth, n, sex)
        while id_number in self._used_ids:  # generated people must not share a number
            n = (n + 1) % 500
            id_number = make_id_number(region, birth, n, sex)
        self._used_ids.add(id_number)
        probation = age < 45 and rng.random() < 0.08
        if probation:
            joined = today - timedelta(days=rng.randint(200, 420))
            confirmed = None
        else:
            joined = add_years(birth, rng.randint(18, min(age - 1, 45)))
            joined = joined + timedelta(days=rng.randint(0, 300))
            if joined >= today - timedelta(days=400):
                joined = today - timedelta(days=800)
            confirmed = add_years(joined, 1)
        if age >= 60:
            job, cls = ("退休人员", "离退休党员")
        elif kind is BranchKind.MOBILE:
            job, cls = ("自由职业人员", "流动党员")
        else:
            job, cls = rng.choice([("民营企业", "在职党员"), ("事业单位", "在职党员"),
                                   ("社区工作人员", "社区直管党员"), ("其他无业人员", "社区直管党员"),
                                   ("学生", "社区直管党员")] if age < 30 else
                                  [("民营企业", "在职党员"), ("事业单位", "在职党员"),
                                   ("国有企业", "在职党员"), ("社区工作人员", "社区直管党员"),
                                   ("其他无业人员", "社区直管党员")])
        lost = rng.random() < 0.01
        mobile_member = cls == "流动党员"
        m = Member(
            name=_name(rng), org_id=branch_id, id_number=id_number, sex=sex,
            ethnicity=rng.choice(ETHNIC), birth_date=birth, education=rng.choice(EDUCATION),
            category=Category.PROBATIONARY if probation else Category.FULL,
            joined=joined, confirmed=confirmed, job=job,
            mobile=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
            phone="" if rng.random() < 0.7 else f"0{rng.randint(10, 99)}-{rng.randint(6000000, 8999999)}",
            address=f"{rng.choice(STREETS)}{rng.randint(1, 300)}号{rng.randint(1, 20)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室",
            lost_contact=lost,
            lost_contact_date=today - timedelta(days=rng.randint(190, 900)) if lost else None,
            is_mobile=mobile_member, outflow=rng.choice(["广东省深圳市", "浙江省杭州市", "上海市"]) if mobile_member else "",
            classification=cls, group_id=rng.choice(groups) if groups and rng.random() < 0.8 else None)
        return m

    def _history_and_committees(self, conn) -> None:
        """A few members left (events, never deletes); each branch gets its committee."""
        rng, today = self.rng, self.today
        rows = member_repo.demo_index(conn)
        events, leaving = [], []
        by_branch: dict[int, list[tuple[int, str, str]]] = {}
        for mid, org_id, joined, category, birth in rows:
            events.append(MemberEvent(mid, EventKind.JOINED, joined, "", org_id))
            if category == Category.FULL.value:
                events.append(MemberEvent(mid, EventKind.CONFIRMED, add_years(joined, 1), "支部党员大会", org_id))
            r = rng.random()
            if r < 0.012:
                kind = EventKind.TRANSFER_OUT
                detail = rng.choice(DESTINATIONS)
            elif r < 0.015 and today.year - birth.year > 75:
                kind, detail = EventKind.DECEASED, ""
            else:
                by_branch.setdefault(org_id, []).append((mid, category, ""))
                continue
            when = today - timedelta(days=rng.randint(10, 700))
            if when <= joined:
                when = today
            events.append(MemberEvent(mid, kind, when, detail, org_id))
            leaving.append((mid, LEAVING_EVENTS[kind], when))
        member_repo.add_events(conn, events)
        for mid, status, when in leaving:
            member_repo.set_status(conn, mid, status, when)
        for org_id, people in by_branch.items():
            full = [p for p in people if p[1] == Category.FULL.value]
            if not full:
                continue
            roles = [CommitteeRole.SECRETARY]
            if len(full) >= 7:
                roles += [CommitteeRole.ORGANIZATION, CommitteeRole.PROPAGANDA][: rng.choice((2, 2))]
                roles.append(CommitteeRole.DISCIPLINE)
            seats = [CommitteeSeat(full[i][0], role) for i, role in enumerate(roles)]
            org_repo.set_committee(conn, org_id, seats, self.today)  # the first: held since ever
            member_repo.set_party_posts(conn, [(s.member_id, f"支部{s.role.value}") for s in seats])
