"""`dangjian demo` also makes last year's closed 述职评议 with results and this year's open one."""
from __future__ import annotations

import random
from datetime import date

from desktop.domain.duty_report import RoundStatus, check_tally
from desktop.services.demo_duty import generate_demo_duty
from tests.services.test_duty_reports import secretaries  # noqa: F401  (fixture)

TODAY = date(2026, 11, 22)


def test_demo_rounds(workspace, secretaries):  # noqa: F811
    with workspace.db.transaction() as conn:
        generate_demo_duty(conn, random.Random(3), TODAY)
    ds = workspace.duty
    new, old = ds.rounds()
    assert (old.year, old.status, new.year, new.status) == \
        (2025, RoundStatus.CLOSED, 2026, RoundStatus.OPEN)
    assert [o.id for o in ds.open_rounds()] == [new.id]
    res = ds.results(old.id)
    assert all(s.score is not None and s.grade and s.rank for s in res.secretaries)
    r = ds.get(old.id)
    for t in ds.tallies(old.id):  # every demo count obeys the rules
        check_tally(t, r.template, "")
        assert 0 < t.returned <= t.entitled
    assert ds.fixes(old.id)
    carried = ds.fixes(new.id)
    assert all(f.open and f.round_year == 2025 for f in carried)
    assert any(s.audiences[0].returned for s in ds.results(new.id).secretaries)
