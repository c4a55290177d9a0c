"""Demo 双报到 data on a small street: linked roster members, units, lists, a year of services."""
from __future__ import annotations

import random
from datetime import date

from desktop.services.demo import _name
from desktop.services.demo_registrations import generate_demo_registrations
from desktop.storage import registrations as repo
from tests.conftest import make_member

TODAY = date(2026, 11, 22)


def test_demo_registrations(workspace, street):
    for i, name in enumerate(("甲一", "乙二", "丙三", "丁四", "戊五", "己六")):
        workspace.roster.add(make_member(street["b1"], name, i + 1))
    with workspace.db.transaction() as conn:
        made = generate_demo_registrations(conn, random.Random(7), TODAY, _name)
    rs = workspace.registrations
    regs = rs.members()
    assert made == len(regs) + len(rs.units()) and len(rs.units()) == 3
    assert sum(1 for r in regs if r.member_id) == 3
    with workspace.db.reading() as conn:
        acts = repo.activities(conn, date(2025, 11, 22), TODAY)
    assert len({a.day.month for a in acts}) == 12  # a year of service records
    assert rs.items(street["community"]) and rs.commitments(2026)
    report = rs.shortfalls(TODAY)
    assert report.year and report.open_commitments  # someone to warn about
    docs = rs.feedback(2026, today=TODAY)
    assert sum(len(d.sheets) for d in docs) == made
