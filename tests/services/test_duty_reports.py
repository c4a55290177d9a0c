"""述职评议 use cases against a real database: rounds, tallies, results, 整改清单."""
from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.duty_report import (Audience, AudienceTally, FixItem, RoundClosed, RoundStatus,
                                        TallyError)
from desktop.domain.errors import FieldError
from desktop.domain.organization import CommitteeRole, CommitteeSeat
from tests.conftest import make_member


@pytest.fixture
def secretaries(workspace, street):
    """书记 of the community and of 第一网格; 离退休党支部 has none."""
    r = workspace.roster
    zhang = r.add(make_member(street["b1"], "张三", 1))
    li = r.add(make_member(street["community"], "李四", 2, sex="女"))
    workspace.orgs.set_committee(street["b1"], [CommitteeSeat(zhang, CommitteeRole.SECRETARY)])
    workspace.orgs.set_committee(street["community"], [CommitteeSeat(li, CommitteeRole.SECRETARY)])
    return street | {"zhang": zhang, "li": li}


def full_tally(reporter_id, audience, returned, good, fair=0, entitled=None, template=None):
    """`good` 好 and `fair` 一般 on every item (the rest left blank)."""
    from desktop.domain.duty_report import default_template

    items = (template or default_template()).item_names
    counts = {i: {"好": good, "一般": fair} for i in items}
    return AudienceTally(reporter_id, audience, entitled or returned, returned, counts)


def test_new_round_takes_secretaries_from_the_tree(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    assert r.id and r.status is RoundStatus.OPEN
    assert "测试街道党工委2026年度" in r.title
    assert [(p.name, p.org_name) for p in r.reporters] == [("李四", "幸福社区党委"), ("张三", "第一网格党支部")]
    assert r.reporters[1].member_id == secretaries["zhang"]
    only = ds.create(2025, org_ids=[secretaries["b1"]])
    assert [p.name for p in only.reporters] == ["张三"]
    assert [(o.id, o.year) for o in ds.open_rounds()] == [(r.id, 2026), (only.id, 2025)]
    ds.close(only.id)
    assert [o.id for o in ds.open_rounds()] == [r.id]


def test_new_round_copies_last_years_template(workspace, secretaries):
    ds = workspace.duty
    old = ds.create(2025)
    old.template.audiences = [Audience("上级评议", 30), Audience("同级互评", 10), Audience("党员群众评议", 60)]
    old.template.groups[0].items.append("带头遵守纪律")
    ds.save(old)
    new = ds.create(2026)
    assert [a.weight for a in new.template.audiences] == [30, 10, 60]
    assert "带头遵守纪律" in new.template.item_names


def test_weights_not_adding_to_100_are_refused_and_nothing_changes(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    r.template.audiences[0].weight = 40
    with pytest.raises(FieldError, match="合计应为100%"):
        ds.save(r)
    assert [a.weight for a in ds.get(r.id).template.audiences] == [50, 50]


def test_tallies_results_and_ranks(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    li, zhang = r.reporters
    ds.save_tallies([full_tally(li.id, "上级评议", 10, 10), full_tally(li.id, "党员群众评议", 40, 30, 10, 45),
                     full_tally(zhang.id, "上级评议", 10, 10)])
    res = ds.results(r.id)
    a, b = res.secretaries
    assert a.audiences[1].participation == pytest.approx(40 / 45)
    assert a.audiences[1].counts == [30, 0, 10, 0]
    assert a.score == pytest.approx(0.5 * 100 + 0.5 * 90)  # 一般 scores 60: (30×100+10×60)/40
    assert a.grade == "好" and a.rank == 2
    # 张三 has no downward returns yet: the upward score stands alone.
    assert b.score == 100 and b.rank == 1
    assert res.street == "测试街道党工委"


def test_excess_counts_are_refused_naming_the_place_and_nothing_is_written(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    li, zhang = r.reporters
    good = full_tally(li.id, "上级评议", 10, 10)
    bad = full_tally(zhang.id, "党员群众评议", 20, 15)
    bad.counts["廉洁自律"] = {"好": 15, "较好": 6}
    with pytest.raises(TallyError) as e:
        ds.save_tallies([good, bad])
    assert str(e.value).startswith("张三（第一网格党支部书记）·党员群众评议·“廉洁自律”")
    assert "21票" in str(e.value)
    assert ds.tallies(r.id) == []


def test_tally_is_replaced_not_added(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    p = r.reporters[0]
    ds.save_tally(full_tally(p.id, "上级评议", 10, 10))
    ds.save_tally(full_tally(p.id, "上级评议", 8, 5, 3))
    (t,) = ds.tallies(r.id)
    assert t.returned == 8 and t.count("总体评价", "一般") == 3
    assert ds.tally(p.id, "上级评议").returned == 8
    assert ds.tally(p.id, "党员群众评议").returned == 0


def test_closed_round_refuses_tallies(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    ds.close(r.id)
    with pytest.raises(RoundClosed):
        ds.save_tally(full_tally(r.reporters[0].id, "上级评议", 3, 3))
    ds.reopen(r.id)
    ds.save_tally(full_tally(r.reporters[0].id, "上级评议", 3, 3))


def test_removing_a_reporter_removes_its_tallies(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    ds.save_tally(full_tally(r.reporters[1].id, "上级评议", 3, 3))
    r.reporters = r.reporters[:1]
    ds.save(r)
    assert ds.tallies(r.id) == []


def test_fixes_are_carried_into_next_year_until_done(workspace, secretaries):
    ds = workspace.duty
    old = ds.create(2025)
    zhang = old.reporters[1]
    f = ds.save_fix(FixItem(old.id, "组织生活不够规范", "每月固定主题党日", date(2026, 6, 30),
                            reporter_id=zhang.id))
    assert f.name == "张三" and f.org_id == secretaries["b1"]
    ds.save_fix(FixItem(old.id, "已解决的问题", reporter_id=zhang.id, done_on=date(2025, 12, 1)))
    ds.close(old.id)
    new = ds.create(2026)
    carried = ds.fixes(new.id)
    assert [(x.problem, x.round_year) for x in carried] == [("组织生活不够规范", 2025)]
    res = ds.results(new.id)
    by_name = {s.reporter.name: s for s in res.secretaries}
    assert [x.problem for x in by_name["张三"].fixes] == ["组织生活不够规范"]
    assert by_name["李四"].fixes == []
    ds.set_fix_done(f.id, date(2026, 5, 1))
    assert ds.fixes(new.id) == []
    assert [x.state_text for x in ds.fixes(old.id)] == ["已完成", "已完成"]
    with pytest.raises(FieldError, match="存在问题"):
        ds.save_fix(FixItem(new.id, " ", reporter_id=new.reporters[0].id))


def test_report_file_is_kept_in_the_files_folder(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    p = ds.attach_report(r.reporters[0].id, "李四述职报告.docx", b"report")
    path = ds.report_path(p)
    assert path.read_bytes() == b"report"
    assert ds.get(r.id).reporters[0].report_file_name == "李四述职报告.docx"


def test_delete_round(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    ds.save_tally(full_tally(r.reporters[0].id, "上级评议", 3, 3))
    ds.save_fix(FixItem(r.id, "问题", reporter_id=r.reporters[0].id))
    ds.delete(r.id)
    assert ds.rounds() == []


def test_ballot_cannot_change_once_counted_but_weights_can(workspace, secretaries):
    ds = workspace.duty
    r = ds.create(2026)
    ds.save_tally(full_tally(r.reporters[0].id, "上级评议", 3, 3))
    r = ds.get(r.id)
    r.template.groups[0].items[0] = "改名的项目"
    with pytest.raises(FieldError, match="已经录入了计票") as e:
        ds.save(r)
    assert e.value.field == "测评项目"
    r = ds.get(r.id)
    r.template.audiences = [Audience("上级评议", 30), Audience("党员群众评议", 70)]
    r.template.ratings[1].score = 85
    assert ds.save(r).template.audiences[1].weight == 70
