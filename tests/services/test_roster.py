"""Adding, validating, finding members, and the events of their lives."""
from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.errors import Conflict, FieldError, ValidationErrors
from desktop.domain.member import Category, Status
from desktop.domain.member_event import EventKind
from desktop.domain.roster_view import STATUS_ALL, STATUS_LEFT, RosterFilter
from tests.conftest import make_member


def names(ws, f: RosterFilter) -> list[str]:
    ids = ws.roster.ordered_ids(f)
    rows = ws.roster.fetch_rows(ids, ["name"])
    return [rows[i][0] for i in ids]


def test_add_and_read_back_every_field(workspace, street):
    m = make_member(street["b1"], " 张  三 ", 1, phone="010-12345678", address="人民路1号",
                    classification="在职党员", party_post="支部书记", remarks="备注",
                    extra_org_ids=[street["b2"]])
    mid = workspace.roster.add(m)
    got = workspace.roster.get(mid)
    assert got.name == "张三"
    assert got.sex == "男" and got.birth_date == date(1980, 5, 17)  # from the ID number
    assert (got.phone, got.address, got.classification, got.party_post, got.remarks) == (
        "010-12345678", "人民路1号", "在职党员", "支部书记", "备注")
    assert got.extra_org_ids == [street["b2"]]
    assert got.uuid and len(got.uuid) == 36
    assert [e.kind for e in workspace.roster.events(mid)] == [EventKind.JOINED]


def test_duplicate_id_number_names_the_existing_member(workspace, street):
    workspace.roster.add(make_member(street["b1"], "张三", 1))
    with pytest.raises(ValidationErrors) as e:
        workspace.roster.add(make_member(street["b2"], "张叁", 1))
    assert "张三" in e.value.by_field()["公民身份号码"]


def test_every_wrong_field_is_named(workspace, street):
    m = make_member(street["b1"], "张三", 1, birth_date=date(1981, 1, 1),
                    confirmed=date(2004, 1, 1), mobile="12345")
    m.sex = "女"  # the ID number says 男
    with pytest.raises(ValidationErrors) as e:
        workspace.roster.add(m)
    fields = e.value.by_field()
    assert set(fields) >= {"性别", "出生日期", "转为正式党员日期", "手机号码"}
    assert workspace.roster.ordered_ids(RosterFilter(status=STATUS_ALL)) == []


def test_probationer_may_not_have_confirmation_date(workspace, street):
    m = make_member(street["b1"], category=Category.PROBATIONARY, joined=date(2026, 1, 1))
    with pytest.raises(ValidationErrors) as e:
        workspace.roster.add(m)
    assert "转为正式党员日期" in e.value.by_field()


def test_member_cannot_sit_in_community_group_mismatch(workspace, street):
    m = make_member(street["b2"], group_id=street["group"])
    with pytest.raises(ValidationErrors) as e:
        workspace.roster.add(m)
    assert "党小组" in e.value.by_field()


def test_transfer_out_keeps_history_and_leaves_active_roster(workspace, street):
    r = workspace.roster
    mid = r.add(make_member(street["b1"], "张三", 1))
    r.transfer_out(mid, date(2026, 3, 1), "区机关工委")
    assert names(workspace, RosterFilter()) == []
    assert names(workspace, RosterFilter(status=STATUS_LEFT)) == ["张三"]
    m = r.get(mid)
    assert (m.status, m.left_date) == (Status.TRANSFERRED_OUT, date(2026, 3, 1))
    assert [(e.kind, e.detail) for e in r.events(mid)][-1] == (EventKind.TRANSFER_OUT, "区机关工委")
    with pytest.raises(Conflict, match="已不在册"):
        r.leave(mid, EventKind.DECEASED, date(2026, 4, 1))


def test_transfer_out_needs_destination(workspace, street):
    mid = workspace.roster.add(make_member(street["b1"]))
    with pytest.raises(FieldError, match="转往"):
        workspace.roster.transfer_out(mid, date(2026, 3, 1), " ")


def test_confirm_and_extend_probation(workspace, street):
    r = workspace.roster
    mid = r.add(make_member(street["b1"], category=Category.PROBATIONARY,
                            joined=date(2025, 6, 1), confirmed=None))
    r.extend_probation(mid, 6, date(2026, 6, 1), "表现需进一步考察")
    assert r.get(mid).probation_end == date(2026, 12, 1)
    with pytest.raises(Conflict, match="延长过一次"):
        r.extend_probation(mid, 6, date(2026, 7, 1))
    r.confirm(mid, date(2026, 12, 1), "支部党员大会")
    m = r.get(mid)
    assert (m.category, m.confirmed) == (Category.FULL, date(2026, 12, 1))


def test_search_by_pinyin_initials_id_and_phone(workspace, street):
    r = workspace.roster
    r.add(make_member(street["b1"], "张三", 1, mobile="13911112222"))
    r.add(make_member(street["b1"], "李四", 2))
    r.add(make_member(street["b2"], "曾小明", 3))
    assert names(workspace, RosterFilter(text="zs")) == ["张三"]
    assert names(workspace, RosterFilter(text="ZXM")) == ["曾小明"]
    assert names(workspace, RosterFilter(text="zhangs")) == ["张三"]
    assert names(workspace, RosterFilter(text="1111222")) == ["张三"]
    idn = r.get(r.ordered_ids(RosterFilter(text="李"))[0]).id_number
    assert names(workspace, RosterFilter(text=idn[-8:])) == ["李四"]
    assert names(workspace, RosterFilter(org_ids=[street["b2"]])) == ["曾小明"]


def test_default_order_is_pinyin_and_sort_desc(workspace, street):
    r = workspace.roster
    for i, n in enumerate(["张三", "阿明", "王五", "曾小明"], 1):
        r.add(make_member(street["b1"], n, i))
    assert names(workspace, RosterFilter()) == ["阿明", "王五", "曾小明", "张三"]
    assert names(workspace, RosterFilter(descending=True)) == ["张三", "曾小明", "王五", "阿明"]


def test_first_page_is_the_head_of_the_full_order_for_every_column(workspace, street):
    from desktop.domain.roster_view import COLUMN_KEYS

    r = workspace.roster
    people = [("张三", "13800000003", "010-1"), ("阿明", None, ""), ("王五", "13800000001", None),
              ("曾小明", "13800000001", "010-1"), ("李四", "", "010-2"), ("赵六", None, "010-0")]
    for i, (n, mobile, phone) in enumerate(people, 1):
        r.add(make_member(street["b1" if i % 2 else "b2"], n, i, mobile=mobile, phone=phone,
                          birth=date(1970 + i % 3, 1, 1)))
    checked = 0
    for key in COLUMN_KEYS:
        for desc in (False, True):
            for category in (None, "正式党员"):
                f = RosterFilter(sort_key=key, descending=desc, category=category)
                first = r.first_page(f, 3)
                if first is None:
                    assert key == "org_name"  # pinyin of organisation names: Python only
                    continue
                full = r.ordered_ids(f)
                assert first == (full[:3], len(full)), (key, desc, category)
                checked += 1
    assert checked == (len(COLUMN_KEYS) - 1) * 4
    assert r.first_page(RosterFilter(text="zs"), 3) is None  # a search's full list is as quick


def test_moving_a_member_records_an_event(workspace, street):
    r = workspace.roster
    mid = r.add(make_member(street["b1"]))
    m = r.get(mid)
    m.org_id = street["b2"]
    r.update(m)
    assert r.events(mid)[-1].kind is EventKind.MOVED


def test_pinyin_order_respects_syllables(workspace, street):
    """li yong < lin yu: flat "liyong" > "linyu" would put 李 after 林."""
    r = workspace.roster
    for i, n in enumerate(["林玉红", "李勇磊", "刘洋"], 1):
        r.add(make_member(street["b1"], n, i))
    assert names(workspace, RosterFilter()) == ["李勇磊", "林玉红", "刘洋"]
    assert names(workspace, RosterFilter(text="liyo")) == ["李勇磊"]
    assert names(workspace, RosterFilter(text="lyl")) == ["李勇磊"]


def test_selecting_a_group_shows_its_members_and_a_branch_includes_them(workspace, street):
    r = workspace.roster
    r.add(make_member(street["b1"], "张三", 1))
    r.add(make_member(street["group"], "李四", 2))
    assert names(workspace, RosterFilter(org_ids=[street["group"]])) == ["李四"]
    assert names(workspace, RosterFilter(org_ids=[street["b1"], street["group"]])) == ["李四", "张三"]
