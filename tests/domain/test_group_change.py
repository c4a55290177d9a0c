"""Changes of 党小组 read off the recorded stretches, for the member's history."""
from __future__ import annotations

from datetime import date

from desktop.domain.group_change import GroupChange, group_changes
from desktop.domain.meeting_rules import Interval

G1, G2 = 11, 12
NAMES = {G1: "第一党小组", G2: "第二党小组"}
D1, D2, D3 = date(2024, 3, 1), date(2025, 6, 1), date(2026, 5, 1)


def test_no_stretches_no_changes():
    assert group_changes([]) == []


def test_a_stretch_held_since_before_the_records_is_no_change_of_its_own():
    # In G1 since before the records, to G2 on D2, out of any group on D3.
    spans = [Interval(G2, D2, D3), Interval(G1, None, D2)]
    changes = group_changes(spans)
    assert changes == [GroupChange(D2, G1, G2), GroupChange(D3, G2, None)]
    assert [c.detail(NAMES) for c in changes] == ["由第一党小组调至第二党小组", "离开第二党小组"]


def test_joining_from_no_group_then_moving():
    spans = [Interval(G1, D1, D2), Interval(G2, D2, None)]
    changes = group_changes(spans)
    assert changes == [GroupChange(D1, None, G1), GroupChange(D2, G1, G2)]
    assert [c.detail(NAMES) for c in changes] == ["加入第一党小组", "由第一党小组调至第二党小组"]
