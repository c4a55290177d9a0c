"""双报到 services over a real SQLite file: registration, roster link, units and scans,
lists and claims, commitments, group service entry, quotas, shortfalls, feedback figures."""
from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.errors import Conflict, FieldError, ValidationErrors
from desktop.domain.idcard import make_id_number
from desktop.domain.organization import OrgKind, Organization
from desktop.domain.registration import (Commitment, ItemStatus, ListItem, ListKind, Participant,
                                         RegisteredMember, ResidentUnit, ServicePost,
                                         ServiceRecord)
from desktop.domain.registration_feedback import Appraisal, AppraisalRecord
from desktop.domain.registration_quota import Quotas
from tests.conftest import make_member

TODAY = date(2026, 11, 22)


def _reg(community, name="王五", employer="市供电公司", seq=11, **kw):
    fields = dict(phone="13900001111", reported_on=date(2026, 1, 1), employer_org="市供电公司党委",
                  id_number=make_id_number("110105", date(1986, 3, 4), seq, "男"),
                  posts=[ServicePost.PATROL, ServicePost.LEGAL])
    fields.update(kw)
    return RegisteredMember(community, name, employer, **fields)


def _service(community, day, refs, hours=2.0, **kw):
    return ServiceRecord(community, day, kw.pop("activity", "楼道清理"), hours,
                         post=ServicePost.GOVERNANCE, confirmed_by="社区干事",
                         participants=[Participant(r) for r in refs], **kw)


def test_register_links_to_the_roster_by_id_number(workspace, street):
    ws = workspace
    roster = ws.roster.get(ws.roster.add(make_member(street["b1"], "赵六", 3, address="幸福路1号")))
    r = ws.registrations.register(_reg(street["community"], name="随便写", phone="",
                                       id_number=roster.id_number, employer="区税务局"), TODAY)
    assert r.member_id == roster.id
    assert (r.name, r.phone, r.address) == ("赵六", "13800000000", "幸福路1号")  # from the roster
    assert ws.registrations.roster_match(roster.id_number) == (roster.id, "赵六")
    # Chosen from the roster: a second registration of the same person is refused.
    again = ws.registrations.from_roster(roster.id, street["community"], TODAY)
    assert again.name == "赵六" and again.member_id == roster.id
    again.employer = "区税务局"
    with pytest.raises(Conflict):
        ws.registrations.register(again, TODAY)
    # Not on the roster: kept as typed, ID number optional but unique.
    other = ws.registrations.register(_reg(street["community"], id_number=""), TODAY)
    assert other.member_id is None and other.posts == [ServicePost.PATROL, ServicePost.LEGAL]
    with pytest.raises(FieldError, match="不是社区党组织"):
        ws.registrations.register(_reg(street["b1"], seq=12), TODAY)
    with pytest.raises(ValidationErrors):
        ws.registrations.register(_reg(street["community"], seq=13, employer=""), TODAY)
    assert len(ws.registrations.members()) == 2


def test_unit_with_agreement_scan_lists_and_claims(workspace, street):
    rs = workspace.registrations
    c = street["community"]
    u = rs.save_unit(ResidentUnit(c, "市供电公司", "市供电公司党委", "钱书记", "孙联络",
                                  "13700002222", 35, date(2026, 2, 1), "幸福社区党委、市供电公司党委",
                                  date(2026, 1, 1), date(2027, 12, 31), "共建党员活动室"), TODAY)
    u = rs.attach_agreement(u.id, "协议.pdf", b"%PDF-1.4 scan")
    assert rs.file_path(u.scan).read_bytes() == b"%PDF-1.4 scan"
    assert rs.unit(u.id).scan.file_name == "协议.pdf"
    with pytest.raises(Conflict):
        rs.save_unit(ResidentUnit(c, "市供电公司", reported_on=date(2026, 3, 1)), TODAY)
    m = rs.register(_reg(c), TODAY)
    item = rs.save_item(ListItem(c, ListKind.NEED, "独居老人助餐", owner="幸福路3号"))
    assert item.status is ItemStatus.OPEN
    item = rs.claim(item.id, m.ref, date(2026, 3, 1))
    item = rs.claim(item.id, u.ref, date(2026, 3, 2))
    assert item.status is ItemStatus.CLAIMED and item.claimed_by == "王五、市供电公司"
    with pytest.raises(Conflict):
        rs.claim(item.id, m.ref)
    assert [i.title for i in rs.items(c, ListKind.NEED)] == ["独居老人助餐"]
    assert rs.items(c, ListKind.RESOURCE) == []


def test_group_service_entry_is_one_transaction(workspace, street):
    rs = workspace.registrations
    c = street["community"]
    a = rs.register(_reg(c, "甲", seq=21), TODAY)
    b = rs.register(_reg(c, "乙", seq=22), TODAY)
    s = _service(c, date(2026, 5, 1), [a.ref, b.ref], 3.0)
    s.participants[1].hours = 1.5
    saved = rs.record_service(s, TODAY)
    assert [(p.name, saved.hours_of(p)) for p in saved.participants] == [("甲", 3.0), ("乙", 1.5)]
    with_photo = rs.attach_photo(saved.id, "合影.jpg", b"\xff\xd8jpeg")
    assert rs.file_path(with_photo.photo).read_bytes() == b"\xff\xd8jpeg"
    assert rs.services(2026)[0].photo.file_name == "合影.jpg"
    assert len(rs.services(2026)[0].participants) == 2
    # A participant of another community spoils the whole record: nothing is written.
    other = workspace.orgs.create(Organization("和平社区党委", OrgKind.COMMUNITY,
                                               parent_id=street["street"]))
    x = rs.register(_reg(other.id, "丙", seq=23), TODAY)
    with pytest.raises(FieldError, match="丙"):
        rs.record_service(_service(c, date(2026, 5, 2), [a.ref, x.ref]), TODAY)
    assert len(rs.services(2026)) == 1


def test_quotas_are_settings_and_shortfalls_follow_the_quarter(workspace, street):
    rs = workspace.registrations
    c = street["community"]
    assert rs.quotas() == Quotas()
    rs.set_quotas(Quotas(quarter_contacts=1, year_activities=3, year_hours=0))
    assert rs.quotas() == Quotas(1, 3, 0.0)
    a = rs.register(_reg(c, "甲", seq=31), TODAY)
    b = rs.register(_reg(c, "乙", seq=32), TODAY)
    rs.record_service(_service(c, date(2026, 9, 30), [a.ref, b.ref]), TODAY)
    rs.record_service(_service(c, date(2026, 10, 1), [a.ref]), TODAY)
    rs.save_commitment(Commitment(b.ref, 2026, "每月参加一次巡逻"))
    kept = rs.save_commitment(Commitment(a.ref, 2026, "结对帮扶一户"))
    rs.keep(kept.id, date(2026, 6, 1), "已帮扶")
    q3 = rs.shortfalls(date(2026, 9, 30))
    assert q3.quarter_label == "2026年第三季度" and q3.quarter == []
    q4 = rs.shortfalls(date(2026, 10, 1))
    assert [s.name for s in q4.quarter] == ["乙"]  # 9-30 belongs to Q3
    assert [s.name for s in q4.year] == ["甲", "乙"] or [s.name for s in q4.year] == ["乙", "甲"]
    assert [c.content for c in q4.open_commitments] == ["每月参加一次巡逻"]
    assert rs.shortfalls(date(2026, 10, 1), community_id=street["community"]).year


def test_feedback_figures_per_employer_masked_by_default(workspace, street):
    rs = workspace.registrations
    c = street["community"]
    a = rs.register(_reg(c, "甲", seq=41, phone="13912345678"), TODAY)
    b = rs.register(_reg(c, "乙", seq=42), TODAY)
    rs.register(_reg(c, "丁", "区税务局", seq=43), TODAY)
    rs.record_service(_service(c, date(2026, 2, 1), [a.ref, b.ref], 2.5), TODAY)
    rs.record_service(_service(c, date(2026, 4, 1), [a.ref], 1.0), TODAY)
    rs.save_commitment(Commitment(a.ref, 2026, "结对帮扶一户", kept_on=date(2026, 3, 1)))
    rs.set_appraisal(AppraisalRecord(a.ref, 2026, 0, Appraisal.EXCELLENT, "表现突出"))
    docs = rs.feedback(2026, None, today=TODAY)
    assert [d.employer for d in docs] == ["区税务局", "市供电公司"]
    power = docs[1]
    sheets = {s.name: s for s in power.sheets}
    assert (sheets["甲"].service_count, sheets["甲"].total_hours, sheets["甲"].kept_count) == (2, 3.5, 1)
    assert sheets["甲"].appraisal is Appraisal.EXCELLENT and not sheets["甲"].appraisal_suggested
    assert sheets["乙"].appraisal_suggested
    assert sheets["甲"].phone == "139****5678" and "*" in sheets["甲"].id_number
    q1 = rs.feedback(2026, 1, "市供电公司", masked=False, today=TODAY)
    (doc,) = q1
    assert {s.name: s.total_hours for s in doc.sheets} == {"甲": 2.5, "乙": 2.5}
    assert doc.sheets[0].id_number.isalnum() and not doc.masked
    with pytest.raises(Exception, match="没有在社区报到"):
        rs.feedback(2026, 1, "不存在的单位")
