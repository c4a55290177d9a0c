"""A small roster with every field filled somewhere, for the export tests."""
from __future__ import annotations

from datetime import date

from desktop.domain.member import Category, PartyStanding
from desktop.domain.member_event import EventKind
from tests.conftest import make_member

TODAY = date(2026, 11, 22)


def fill_roster(workspace, street) -> dict:
    """Members of 幸福社区党委 (street fixture), one of whom left; returns name → member id.

    第一网格党支部: 张三 (every field, in 第一党小组), 李堃 (a character outside GB2312),
    钱七 (transferred out); 离退休党支部: 王五 (预备党员), 赵六 (lost contact, mobile).
    """
    r = workspace.roster
    ids = {}
    ids["张三"] = r.add(make_member(
        street["group"], "张三", 1, birth=date(1980, 5, 17), phone="010-65001234",
        address="北京市朝阳区幸福路8号院3号楼2单元501室", is_mobile=True, outflow="广东省深圳市",
        remarks="长期在外务工，每季度电话联系", classification="流动党员", party_post="支部书记",
        job="社区工作人员", education="大学本科", ethnicity="回族"))
    ids["李堃"] = r.add(make_member(
        street["b1"], "李堃", 2, birth=date(1975, 3, 2), sex="女", classification="在职党员",
        job="事业单位", education="硕士研究生", mobile="13912345678"))
    ids["钱七"] = r.add(make_member(street["b1"], "钱七", 5, birth=date(1970, 1, 1),
                                    job="退休人员", classification="离退休党员"))
    ids["王五"] = r.add(make_member(
        street["b2"], "王五", 3, birth=date(1990, 1, 9), category=Category.PROBATIONARY,
        joined=date(2026, 3, 1), confirmed=None, job="学生", education="大学专科",
        classification="社区直管党员"))
    ids["赵六"] = r.add(make_member(
        street["b2"], "赵六", 4, birth=date(1960, 8, 8), sex="女", lost_contact=True,
        lost_contact_date=date(2025, 6, 1), standing=PartyStanding.NORMAL, job="退休人员",
        classification="离退休党员", remarks="失联原因：外出后未留联系方式", mobile=""))
    r.leave(ids["钱七"], EventKind.TRANSFER_OUT, date(2026, 5, 1), "区机关工委第二党支部")
    return ids
