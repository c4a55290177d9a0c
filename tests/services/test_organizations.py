"""The organisation tree: create, rename, move, dissolve, committees, counts."""
from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.errors import Conflict, FieldError
from desktop.domain.organization import CommitteeRole, CommitteeSeat, OrgKind, Organization
from tests.conftest import make_member


def test_tree_counts_members_of_each_level(workspace, street):
    r = workspace.roster
    r.add(make_member(street["b1"], "张三", 1))
    r.add(make_member(street["group"], "李四", 2))  # a group means its branch
    r.add(make_member(street["b2"], "王五", 3))
    [root] = workspace.orgs.tree()
    comm = root.children[0]
    b1 = next(c for c in comm.children if c.id == street["b1"])
    assert (root.total_members, comm.total_members, b1.total_members) == (3, 3, 2)
    assert b1.children[0].total_members == 1


def test_term_defaults_to_five_years(workspace, street):
    comm = workspace.orgs.get(street["community"])
    assert comm.term_end == date(2027, 3, 1)


@pytest.mark.parametrize("kind,parent", [
    (OrgKind.GROUP, "community"), (OrgKind.COMMUNITY, "b1"), (OrgKind.BRANCH, "group")])
def test_kind_must_fit_under_parent(workspace, street, kind, parent):
    with pytest.raises(FieldError) as e:
        workspace.orgs.create(Organization("新组织", kind, parent_id=street[parent]))
    assert e.value.field == "上级组织"


def test_sibling_names_must_differ(workspace, street):
    with pytest.raises(FieldError, match="已有"):
        workspace.orgs.create(Organization("第一网格党支部", OrgKind.BRANCH,
                                           parent_id=street["community"]))


def test_rename_and_move(workspace, street):
    o = workspace.orgs
    c2 = o.create(Organization("和平社区党委", OrgKind.COMMUNITY, parent_id=street["street"]))
    o.move(street["b2"], c2.id)
    o.rename(street["b2"], "和平离退休党支部")
    b2 = o.get(street["b2"])
    assert (b2.parent_id, b2.name) == (c2.id, "和平离退休党支部")


def test_cannot_move_under_own_descendant(workspace, street):
    with pytest.raises(FieldError, match="下级"):
        workspace.orgs.move(street["community"], street["b1"])


def test_dissolve_only_when_empty_and_history_kept(workspace, street):
    o = workspace.orgs
    workspace.roster.add(make_member(street["b2"], "王五", 3))
    with pytest.raises(Conflict, match="1名在册党员"):
        o.dissolve(street["b2"])
    with pytest.raises(Conflict, match="下还有"):
        o.dissolve(street["b1"])
    o.dissolve(street["group"], date(2026, 1, 1))
    assert street["group"] not in {n.id for n in o.nodes()}
    assert o.get(street["group"]).dissolved == date(2026, 1, 1)


def test_find_by_name_reports_missing_and_ambiguous(workspace, street):
    o = workspace.orgs
    c2 = o.create(Organization("和平社区党委", OrgKind.COMMUNITY, parent_id=street["street"]))
    o.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c2.id))
    with pytest.raises(Exception, match="找不到"):
        o.find("不存在的支部")
    with pytest.raises(Conflict, match="2个组织"):
        o.find("第一网格党支部")


def test_committee_round_trip(workspace, street):
    a = workspace.roster.add(make_member(street["b1"], "张三", 1))
    b = workspace.roster.add(make_member(street["b1"], "李四", 2))
    workspace.orgs.set_committee(street["b1"], [CommitteeSeat(a, CommitteeRole.SECRETARY),
                                                CommitteeSeat(b, CommitteeRole.ORGANIZATION)])
    seats = workspace.orgs.committee(street["b1"])
    assert [(s.member_name, s.role) for s in seats] == [
        ("张三", CommitteeRole.SECRETARY), ("李四", CommitteeRole.ORGANIZATION)]
    assert workspace.orgs.secretaries()[street["b1"]] == "张三"


def test_subtree_of_root_means_no_filter(workspace, street):
    assert workspace.orgs.subtree_ids(street["street"]) is None
    assert set(workspace.orgs.subtree_ids(street["b1"])) == {street["b1"], street["group"]}


def test_changing_the_kind_must_still_fit_parent_children_and_members(workspace, street):
    o = workspace.orgs
    b1 = o.get(street["b1"])
    b1.kind, b1.branch_kind = OrgKind.GROUP, None  # a group cannot sit under a community
    with pytest.raises(FieldError, match="不能设在社区党委之下"):
        o.update(b1)
    community = o.get(street["community"])
    community.kind = OrgKind.BRANCH  # its branches cannot sit under a branch
    with pytest.raises(FieldError, match="下级有党支部"):
        o.update(community)
    b2 = o.get(street["b2"])
    workspace.roster.add(make_member(street["b2"], "王五", 3))
    b2.kind, b2.branch_kind = OrgKind.GENERAL_BRANCH, None  # a 总支 may hold members itself
    assert o.update(b2).kind is OrgKind.GENERAL_BRANCH
    s = o.create(Organization("第二党小组", OrgKind.GROUP, parent_id=street["b1"]))
    s.kind = OrgKind.BRANCH
    with pytest.raises(FieldError, match="党支部不能设在党支部之下"):
        o.update(s)
    assert o.get(street["b1"]).kind is OrgKind.BRANCH


def test_organisation_and_committee_are_saved_in_one_transaction(workspace, street):
    o = workspace.orgs
    mid = workspace.roster.add(make_member(street["b1"], "张三", 1))
    b1 = o.get(street["b1"])
    b1.name = "改名党支部"
    with pytest.raises(Exception):  # a seat for a member that does not exist
        o.update(b1, [CommitteeSeat(member_id=mid + 999, role=CommitteeRole.SECRETARY)])
    assert o.get(street["b1"]).name == "第一网格党支部"
    assert o.update(b1, [CommitteeSeat(member_id=mid, role=CommitteeRole.SECRETARY)]).name == "改名党支部"
    assert [s.member_id for s in o.committee(street["b1"])] == [mid]


def test_a_kind_that_holds_no_members_is_refused_while_members_are_held():
    from desktop.domain.organization import check_kind_change

    with pytest.raises(FieldError, match="直接管理3名党员"):
        check_kind_change(OrgKind.GROUP, OrgKind.BRANCH, [], 3)
    check_kind_change(OrgKind.GROUP, OrgKind.BRANCH, [], 0)


def test_a_committee_change_takes_its_real_day_and_never_a_later_one(workspace, street):
    from datetime import timedelta

    o = workspace.orgs
    a = workspace.roster.add(make_member(street["b1"], "张三", 1))
    b = workspace.roster.add(make_member(street["b1"], "李四", 2))
    o.set_committee(street["b1"], [CommitteeSeat(a, CommitteeRole.SECRETARY)])
    b1 = o.get(street["b1"])
    b1.name = "改名党支部"
    tomorrow = date.today() + timedelta(days=1)
    with pytest.raises(FieldError, match="不能晚于今天") as e:
        o.update(b1, [CommitteeSeat(b, CommitteeRole.SECRETARY)], when=tomorrow)
    assert e.value.field == "班子调整日期"
    assert o.get(street["b1"]).name == "第一网格党支部"  # nothing saved
    with pytest.raises(FieldError, match="不能晚于今天"):
        o.set_committee(street["b1"], [], when=tomorrow)
    o.update(b1, [CommitteeSeat(b, CommitteeRole.SECRETARY)], when=date(2026, 4, 1))
    assert [s.member_name for s in o.committee(street["b1"], on=date(2026, 3, 31))] == ["张三"]
    assert [s.member_name for s in o.committee(street["b1"], on=date(2026, 4, 1))] == ["李四"]
