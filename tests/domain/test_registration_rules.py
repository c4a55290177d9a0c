"""双报到 rules: registration checks, quota shortfalls at quarter/year boundaries, feedback totals."""
from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.errors import ValidationErrors
from desktop.domain.idcard import make_id_number
from desktop.domain.registration import (Participant, Ref, RegisteredMember, RegistrantKind,
                                         ServicePost, ServiceRecord, validate_registration,
                                         validate_service)
from desktop.domain.registration_feedback import (Appraisal, FeedbackCommitment, FeedbackService,
                                                  FeedbackSheet, feedback_file_stem,
                                                  suggest_appraisal)
from desktop.domain.registration_quota import (Activity, Person, Quotas, first_due_quarter,
                                               quarter_shortfalls, quarters_due, year_shortfalls)

TODAY = date(2026, 11, 22)


def _reg(**kw) -> RegisteredMember:
    fields = dict(community_id=1, name="王五", employer="市供电公司", phone="13900001111",
                  reported_on=date(2026, 3, 1))
    fields.update(kw)
    return RegisteredMember(**fields)


def test_registration_validates_optional_id_number_and_fills_sex():
    r = _reg(id_number=make_id_number("110105", date(1985, 1, 2), 7, "女").lower())
    validate_registration(r, TODAY)
    assert r.sex == "女"
    validate_registration(_reg(id_number=""), TODAY)  # optional
    with pytest.raises(ValidationErrors) as e:
        validate_registration(_reg(id_number="110105198501020000", sex="男"), TODAY)
    assert "校验位" in e.value.by_field()["公民身份号码"]


def test_registration_names_every_bad_field():
    with pytest.raises(ValidationErrors) as e:
        validate_registration(_reg(name=" ", employer="", phone="", reported_on=date(2027, 1, 1)),
                              TODAY)
    fields = e.value.by_field()
    assert set(fields) >= {"姓名", "工作单位", "联系电话", "报到日期"}
    # A roster member brings name and phone from the roster: employer is not required.
    validate_registration(_reg(employer="", phone="", member_id=5), TODAY)


def test_service_refuses_duplicate_participants_and_bad_hours():
    a = Ref(RegistrantKind.MEMBER, 1)
    s = ServiceRecord(1, date(2026, 5, 1), "义诊", 2.0, post=ServicePost.HEALTH, confirmed_by="李四",
                      participants=[Participant(a, "甲"), Participant(a, "甲")])
    with pytest.raises(ValidationErrors) as e:
        validate_service(s, TODAY)
    assert "重复" in e.value.by_field()["参加人员"]
    s.participants = [Participant(a, "甲", hours=30)]
    with pytest.raises(ValidationErrors):
        validate_service(s, TODAY)


def test_first_due_quarter_boundaries():
    assert first_due_quarter(date(2026, 4, 1)) == (2026, 2)  # first day: owes that quarter
    assert first_due_quarter(date(2026, 4, 2)) == (2026, 3)
    assert first_due_quarter(date(2026, 12, 31)) == (2027, 1)
    assert quarters_due(date(2026, 1, 1), 2026) == 4
    assert quarters_due(date(2026, 5, 10), 2026) == 2
    assert quarters_due(date(2026, 12, 31), 2026) == 0
    assert quarters_due(date(2025, 12, 31), 2026) == 4


def test_quarter_shortfall_counts_only_days_inside_the_quarter():
    a, b, c = (Ref(RegistrantKind.MEMBER, i) for i in (1, 2, 3))
    people = [Person(a, "甲", "供电公司", date(2026, 1, 1)),
              Person(b, "乙", "税务局", date(2026, 1, 1)),
              Person(c, "丙", "税务局", date(2026, 3, 15))]  # owes from Q2
    acts = [Activity(a, date(2026, 3, 31), 2), Activity(a, date(2026, 4, 1), 2),
            Activity(a, date(2026, 6, 30), 2), Activity(b, date(2026, 3, 31), 2),
            Activity(b, date(2026, 7, 1), 2)]
    q = Quotas(quarter_contacts=2)
    q1 = {s.name: s for s in quarter_shortfalls(people, acts, q, 2026, 1)}
    assert set(q1) == {"甲", "乙"}  # 丙 reported mid-quarter and does not owe Q1
    assert q1["甲"].have_count == 1 and q1["乙"].have_count == 1
    q2 = {s.name for s in quarter_shortfalls(people, acts, q, 2026, 2)}
    assert q2 == {"乙", "丙"}  # 甲 has 4-1 and 6-30; 乙's 7-1 belongs to Q3
    assert quarter_shortfalls(people, acts, Quotas(quarter_contacts=0), 2026, 2) == []


def test_year_shortfall_activities_or_hours_prorated():
    a, b, c = (Ref(RegistrantKind.MEMBER, i) for i in (1, 2, 3))
    people = [Person(a, "甲", "", date(2025, 6, 1)), Person(b, "乙", "", date(2025, 6, 1)),
              Person(c, "丙", "", date(2026, 7, 1))]  # owes Q3+Q4: 2 activities or 25 h
    acts = ([Activity(a, date(2026, m, 1), 1) for m in (1, 2, 3)]  # 3 activities, 3 h: short
            + [Activity(b, date(2026, 2, 1), 50)]  # 1 activity but 50 h: met by hours
            + [Activity(c, date(2026, 8, 1), 1), Activity(c, date(2026, 9, 1), 1),
               Activity(c, date(2025, 12, 31), 9)])  # last year's does not count
    short = {s.name: s for s in year_shortfalls(people, acts, Quotas(2, 4, 50), 2026)}
    assert set(short) == {"甲"}
    assert (short["甲"].have_count, short["甲"].need_count, short["甲"].need_hours) == (3, 4, 50)
    assert "应参加4次或服务50小时" in short["甲"].text


def test_quotas_from_settings_keep_defaults_for_bad_values():
    q = Quotas.from_settings({"registration.quota.quarter_contacts": "3",
                              "registration.quota.year_hours": "abc"})
    assert q == Quotas(3, 4, 50.0)
    assert Quotas.from_settings(Quotas(1, 6, 12.5).as_settings()) == Quotas(1, 6, 12.5)
    with pytest.raises(ValidationErrors):
        Quotas(-1, 4, 50).validate()


def test_feedback_totals_and_suggested_appraisal():
    sheet = FeedbackSheet(Ref(RegistrantKind.MEMBER, 1), "甲", "供电公司",
                          reported_on=date(2025, 1, 1),
                          services=[FeedbackService(date(2026, 1, 5), "义诊", "健康医疗", 2.5),
                                    FeedbackService(date(2026, 2, 5), "巡逻", "安全巡逻", 1.5)],
                          commitments=[FeedbackCommitment("结对帮扶", date(2026, 3, 1)),
                                       FeedbackCommitment("法律咨询", None)])
    assert (sheet.service_count, sheet.total_hours, sheet.kept_count) == (2, 4.0, 1)
    assert sheet.commitment_text == "1/2"
    q = Quotas(2, 4, 50)
    assert suggest_appraisal(sheet, q, 2026, 1) is Appraisal.GOOD
    empty = FeedbackSheet(sheet.ref, "甲", "供电公司", reported_on=date(2025, 1, 1))
    assert suggest_appraisal(empty, q, 2026, 2) is Appraisal.POOR  # a sheet holds its period only
    assert suggest_appraisal(sheet, q, 2026, None) is Appraisal.BASIC  # 2 of 4, one open
    sheet.services *= 4
    sheet.commitments = sheet.commitments[:1]
    assert suggest_appraisal(sheet, q, 2026, None) is Appraisal.EXCELLENT
    assert feedback_file_stem("市/供电公司", 2026, 3) == "市_供电公司-2026年第三季度反馈表"
