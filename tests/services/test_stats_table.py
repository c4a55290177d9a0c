"""党员统计表: counts by organisation in SQL, each row including everything below it;
the column rules in SQL agree with the same rules applied in Python."""
from datetime import date

import pytest

from desktop.domain.member import Category
from desktop.domain.stats import (AGE_COLUMNS, EDUCATION_COLUMNS, TABLE_COLUMNS, birth_bounds,
                                  column_matches)
from tests.conftest import make_member

DAY = date(2026, 11, 22)


@pytest.fixture
def counted(workspace, street):
    s, add = street, workspace.roster.add
    add(make_member(s["b1"], "甲", 1, group_id=s["group"]))                       # 男 46 本科 汉
    add(make_member(s["b1"], "乙", 2, sex="女", birth=date(1996, 11, 22), education="大学专科",
                    ethnicity="回族", joined=date(2018, 7, 1), confirmed=date(2019, 7, 1)))  # 30 today
    add(make_member(s["b2"], "丙", 3, birth=date(1950, 1, 1), education="小学",
                    category=Category.PROBATIONARY, joined=date(2026, 1, 1), confirmed=None,
                    ethnicity="其他"))
    add(make_member(s["community"], "丁", 4, sex="女", birth=date(1986, 11, 23),
                    education="博士研究生"))                                         # 39
    return workspace, s


def test_rows_in_tree_order_with_subtree_totals(counted):
    ws, s = counted
    t = ws.home.stats_table(None, DAY)
    assert [(r.org_name, r.depth, r.counts.total) for r in t.rows] == [
        ("测试街道党工委", 0, 4), ("幸福社区党委", 1, 4), ("第一网格党支部", 2, 2),
        ("离退休党支部", 2, 1)]  # 第一党小组 is not a row: its members are the branch's
    assert t.title == "测试街道党工委党员统计表（截至2026年11月22日）"
    total = t.total
    assert (total["category:正式党员"], total["category:预备党员"]) == (3, 1)
    assert (total["sex:男"], total["sex:女"]) == (2, 2)
    assert [total[c.key] for c in AGE_COLUMNS] == [1, 1, 1, 0, 0, 1]
    assert [total[c.key] for c in EDUCATION_COLUMNS] == [1, 1, 1, 0, 0, 1, 0]
    assert (total["ethnicity:汉族"], total["ethnicity:少数民族"]) == (2, 1)  # 其他 in neither
    b1 = t.rows[2].counts
    assert (b1.total, b1["sex:女"], b1["age:30岁及以下"], b1["ethnicity:少数民族"]) == (2, 1, 1, 1)
    # One branch chosen: that branch alone.
    only = ws.home.stats_table(s["b2"], DAY)
    assert [(r.org_name, r.depth, r.counts.total) for r in only.rows] == [("离退休党支部", 0, 1)]


def test_sql_agrees_with_the_python_rule(counted):
    ws, _s = counted
    members = [ws.roster.get(i) for i in range(1, 5)]
    total = ws.home.stats_table(None, DAY).total
    for col in TABLE_COLUMNS:
        siblings = tuple(c for c in TABLE_COLUMNS if c.group == col.group)
        expected = sum(column_matches(col, getattr(m, col.field), DAY, siblings) for m in members)
        assert total[col.key] == expected, col.key


def test_age_band_edges():
    after, upto = birth_bounds((31, 40), DAY)
    assert after == date(1985, 11, 22) and upto == date(1995, 11, 22)
    # Born 1995-11-22: 31 today; born 1985-11-22: 41 today, so not in 31—40.
    assert column_matches(AGE_COLUMNS[1], date(1995, 11, 22), DAY)
    assert not column_matches(AGE_COLUMNS[1], date(1985, 11, 22), DAY)
    assert column_matches(AGE_COLUMNS[1], date(1985, 11, 23), DAY)


def test_unknown_org_and_bad_suffix(counted, tmp_path):
    ws, _s = counted
    from desktop.domain.errors import FieldError

    with pytest.raises(FieldError, match="组织"):
        ws.home.stats_table(9999, DAY)
    with pytest.raises(FieldError, match=r"\.xlsx 或 \.pdf"):
        ws.home.export_stats(tmp_path / "a.csv")
    assert not (tmp_path / "a.csv").exists()
