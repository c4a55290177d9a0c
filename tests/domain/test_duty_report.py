"""述职评议 rules: template validation, scores, grades at their edges, ties, tallies."""
from __future__ import annotations

import pytest

from desktop.domain.duty_report import (Audience, AudienceTally, DutyRound, FixItem, GradeScale,
                                        ItemGroup, Rating, Reporter, TallyError, cell_problem,
                                        check_tally, default_template, grade_for,
                                        template_from_dict, template_to_dict, validate_template)
from desktop.domain.duty_report_results import (assign_ranks, audience_result, fixes_of,
                                                round_results, weighted_score)
from desktop.domain.errors import FieldError


def small_template(**kw):
    t = default_template()
    t.groups = [ItemGroup("履行职责", ["职责"])]
    t.overall = kw.pop("overall", True)
    for k, v in kw.items():
        setattr(t, k, v)
    return t


def tally(audience, returned, counts, entitled=None, reporter_id=1):
    return AudienceTally(reporter_id, audience, entitled if entitled is not None else returned,
                         returned, counts)


def test_default_template_is_valid_and_round_trips_as_data():
    t = default_template()
    validate_template(t)
    assert t.item_names[-1] == "总体评价"
    assert template_from_dict(template_to_dict(t)) == t
    assert [a.weight for a in t.audiences] == [50, 50]


@pytest.mark.parametrize("weights", [(50, 49), (60, 50), (100, 0.5)])
def test_weights_that_do_not_add_up_to_100_are_refused(weights):
    t = default_template()
    t.audiences = [Audience("上级评议", weights[0]), Audience("党员群众评议", weights[1])]
    with pytest.raises(FieldError) as e:
        validate_template(t)
    assert e.value.field == "权重" and "100%" in e.value.message


def test_three_audiences_30_10_60_are_accepted():
    t = default_template()
    t.audiences = [Audience("上级评议", 30), Audience("同级互评", 10), Audience("党员群众评议", 60)]
    validate_template(t)


@pytest.mark.parametrize("change, field", [
    (lambda t: setattr(t, "thresholds", [90, 90, 60]), "等次线"),
    (lambda t: setattr(t, "thresholds", [90, 60]), "等次线"),
    (lambda t: t.groups[0].items.append("廉洁自律"), "测评项目"),
    (lambda t: setattr(t, "ratings", [Rating("好", 100), Rating("好", 50)]), "评价等次"),
    (lambda t: setattr(t, "ratings", [Rating("好", 120), Rating("差", 0)]), "等次分值"),
    (lambda t: setattr(t, "audiences", []), "评议类别"),
])
def test_bad_templates_name_the_setting(change, field):
    t = default_template()
    change(t)
    with pytest.raises(FieldError) as e:
        validate_template(t)
    assert e.value.field == field


def test_grades_at_the_thresholds_on_both_scales():
    t = default_template()
    assert [grade_for(s, t) for s in (100, 90, 89.999, 75, 74.99, 60, 59.99, 0)] == \
        ["好", "好", "较好", "较好", "一般", "一般", "差", "差"]
    t.scale = GradeScale.EXCELLENT
    assert [grade_for(s, t) for s in (90, 75, 60, 10)] == ["优秀", "称职", "基本称职", "不称职"]
    assert grade_for(None, t) == ""


def test_item_and_audience_scores_and_distribution():
    t = small_template()
    a = audience_result(t, "上级评议", 50, tally("上级评议", 10, {
        "职责": {"好": 6, "较好": 2, "一般": 1},  # one blank: 9 ticks
        "总体评价": {"好": 5, "较好": 5}}, entitled=12))
    item, overall = a.items
    assert item.score == pytest.approx((600 + 160 + 60) / 9)
    assert overall.score == 90
    assert a.score == pytest.approx((item.score + 90) / 2)
    assert a.counts == [5, 5, 0, 0] and a.percents[0] == 0.5  # the overall rating's distribution
    assert a.participation == pytest.approx(10 / 12)


def test_weighting_and_an_audience_with_no_returns():
    assert weighted_score([(90, 30), (70, 70)]) == pytest.approx(76)
    # No returns downward: the upward score stands alone (its weight scaled to 100%).
    assert weighted_score([(90, 50), (None, 50)]) == 90
    assert weighted_score([(None, 50), (None, 50)]) is None
    t = small_template()
    r = DutyRound(2026, "x", t, reporters=[Reporter("张三", id=1)])
    res = round_results(r, "", [tally("上级评议", 4, {"职责": {"好": 4}, "总体评价": {"好": 4}}),
                                tally("党员群众评议", 0, {}, entitled=30)])
    s = res.secretaries[0]
    assert s.audiences[1].score is None and s.audiences[1].participation == 0
    assert s.score == 100 and s.grade == "好" and s.rank == 1
    empty = round_results(r, "", []).secretaries[0]
    assert empty.score is None and empty.grade == "" and empty.rank is None


def test_ties_share_a_rank_and_the_next_rank_skips():
    t = small_template()
    people = [Reporter(n, id=i) for i, n in enumerate(["甲", "乙", "丙", "丁"], start=1)]
    r = DutyRound(2026, "x", t, reporters=people)

    def both(rid, good, fair):
        c = {"职责": {"好": good, "一般": fair}, "总体评价": {"好": good, "一般": fair}}
        return [tally("上级评议", good + fair, c, reporter_id=rid),
                tally("党员群众评议", good + fair, c, reporter_id=rid)]

    res = round_results(r, "", both(1, 8, 2) + both(2, 4, 1) + both(3, 10, 0))
    assert [s.rank for s in res.secretaries] == [2, 2, 1, None]
    assert res.secretaries[0].score == res.secretaries[1].score == pytest.approx(92)


def test_assign_ranks_uses_two_decimals():
    from desktop.domain.duty_report_results import SecretaryResult

    rs = [SecretaryResult(Reporter(str(i)), [], [], 0, s, "") for i, s in
          enumerate([80.001, 80.004, 79.996, 70])]
    assign_ranks(rs)
    assert [r.rank for r in rs] == [1, 1, 1, 4]


def test_tally_over_returned_ballots_names_secretary_audience_and_item():
    t = default_template()
    ok = tally("上级评议", 10, {"廉洁自律": {"好": 7, "较好": 3}}, entitled=12)
    check_tally(ok, t, "张三")
    bad = tally("党员群众评议", 10, {"廉洁自律": {"好": 8, "较好": 2}, "工作作风": {"好": 9, "差": 2}})
    with pytest.raises(TallyError) as e:
        check_tally(bad, t, "张三（第一网格党支部书记）")
    text = str(e.value)
    assert "张三（第一网格党支部书记）" in text and "党员群众评议" in text and "“工作作风”" in text
    assert "11票" in text and "10张" in text
    assert e.value.item == "工作作风" and e.value.audience == "党员群众评议"


def test_other_impossible_tallies():
    t = default_template()
    with pytest.raises(TallyError, match="超过应参评人数"):
        check_tally(tally("上级评议", 13, {}, entitled=12), t, "张三")
    with pytest.raises(TallyError, match="不是本轮的测评项目"):
        check_tally(tally("上级评议", 3, {"别的": {"好": 1}}), t, "张三")
    with pytest.raises(TallyError, match="不是本轮的评价等次"):
        check_tally(tally("上级评议", 3, {"廉洁自律": {"优": 1}}), t, "张三")
    with pytest.raises(TallyError, match="没有这个评议类别"):
        check_tally(tally("同级互评", 3, {}), t, "张三")
    assert cell_problem({"好": -1}, 3) == "票数不能为负数"
    assert cell_problem({"好": 2, "差": 1}, 3) is None


def test_carried_fixes_follow_the_organisation():
    me = Reporter("李四", org_id=7, id=20)
    fixes = [FixItem(1, "旧问题", org_id=7, reporter_id=3),      # last year, same branch
             FixItem(1, "别人的", org_id=8, reporter_id=4),
             FixItem(2, "今年的", org_id=7, reporter_id=20),
             FixItem(2, "同轮别人", org_id=7, reporter_id=21)]
    assert [f.problem for f in fixes_of(me, 2, fixes)] == ["旧问题", "今年的"]


def test_ballot_by_ballot_entry():
    from desktop.domain.duty_report import add_ballot

    t = default_template()
    tal = AudienceTally(1, "上级评议", entitled=2)
    add_ballot(tal, t, {"廉洁自律": "好", "工作作风": None})
    add_ballot(tal, t, {"廉洁自律": "好", "工作作风": "差"})
    assert tal.returned == 2 and tal.count("廉洁自律", "好") == 2 and tal.item_total("工作作风") == 1
    check_tally(tal, t, "张三")
    with pytest.raises(FieldError, match="达到应参评人数2人"):
        add_ballot(tal, t, {"廉洁自律": "好"})
    assert tal.returned == 2 and tal.count("廉洁自律", "好") == 2
    with pytest.raises(FieldError, match="不是本轮的评价等次"):
        add_ballot(tal, t, {"廉洁自律": "优"})
