"""The roster table model: ids from one query, rows fetched in pages, sorting in SQL."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from desktop.domain.roster_view import COLUMN_KEYS, STATUS_ALL
from desktop.ui.table_models.roster_model import PAGE_SIZE, RosterTableModel


def column(model, key: str) -> list[str]:
    c = COLUMN_KEYS.index(key)
    return [model.data(model.index(r, c)) for r in range(model.rowCount())]


@pytest.fixture
def model(qtbot, workspace, populated):
    m = RosterTableModel(workspace)
    m.set_scope(None)
    return m


def test_passes_qtmodeltester(qtmodeltester, model):
    assert model.rowCount() == 4
    qtmodeltester.check(model)


def test_rows_in_pinyin_order_with_dates_as_text(model):
    assert column(model, "name") == ["李四", "王五", "张三", "赵六"]
    assert column(model, "birth_date")[2] == "1980-05-17"
    assert column(model, "org_name")[3] == "第一网格党支部"  # a group member sits in its branch
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名"


def test_scope_filter_and_search(model, populated):
    model.set_scope(populated["b2"])
    assert column(model, "name") == ["王五"]
    model.set_scope(populated["b1"])
    assert column(model, "name") == ["李四", "张三", "赵六"]
    model.set_filter(text="zs")
    assert column(model, "name") == ["张三"]
    model.set_filter(text="", category="预备党员")
    assert column(model, "name") == []
    model.set_scope(None)
    assert column(model, "name") == ["王五"]


def test_sort_reruns_the_query_and_keeps_persistent_indexes(model, populated):
    zhang = QPersistentModelIndex(model.index(2, 0))
    model.sort(COLUMN_KEYS.index("birth_date"), Qt.SortOrder.DescendingOrder)
    assert column(model, "birth_date") == ["1990-01-09", "1980-05-17", "1975-03-02", "1960-08-08"]
    assert model.data(model.index(zhang.row(), 0)) == "张三"
    assert model.filter.sort_key == "birth_date" and model.filter.descending


def test_left_members_are_listed_under_left_and_greyed(model, workspace, populated):
    from desktop.domain.member_event import EventKind

    workspace.roster.leave(populated["zhangsan"], EventKind.DECEASED, date(2026, 1, 5))
    model.refresh()
    assert "张三" not in column(model, "name")
    model.set_filter(status=STATUS_ALL)
    row = column(model, "name").index("张三")
    assert model.data(model.index(row, COLUMN_KEYS.index("status"))) == "去世"
    assert model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole) is not None


def test_async_mode_applies_only_the_latest_request(qtbot, workspace, populated):
    m = RosterTableModel(workspace, asynchronous=True)
    m.set_scope(populated["b2"])
    m.set_scope(populated["b1"])
    m.set_filter(text="ls")
    qtbot.waitUntil(lambda: not m.loading, timeout=5000)
    assert column(m, "name") == ["李四"]
    m.shutdown()


class _FakeRoster:
    """Enough of RosterService to count how the model fetches."""

    def __init__(self, n: int):
        self.n, self.fetches = n, []

    def ordered_ids(self, f):
        ids = list(range(1, self.n + 1))
        return ids[::-1] if f.descending else ids

    def fetch_rows(self, ids, keys):
        self.fetches.append(len(ids))
        return {i: tuple(f"{k}{i}" for k in keys) for i in ids}


class _FakeWorkspace:
    def __init__(self, n: int):
        self.roster = _FakeRoster(n)
        self.orgs = None


def test_rows_are_fetched_lazily_in_pages_and_cached(qtmodeltester):
    ws = _FakeWorkspace(1000)
    m = RosterTableModel(ws)
    m.set_scope(None)
    assert m.rowCount() == 1000 and ws.roster.fetches == []
    assert m.data(m.index(0, 0)) == "name1"
    assert m.data(m.index(PAGE_SIZE + 5, 1)) == f"org_name{PAGE_SIZE + 6}"
    assert m.data(m.index(3, 2)) == "sex4"
    assert ws.roster.fetches == [PAGE_SIZE, PAGE_SIZE]
    m.sort(0, Qt.SortOrder.DescendingOrder)
    assert m.data(m.index(0, 0)) == "name1000"
    qtmodeltester.check(m)


class _SlowRoster(_FakeRoster):
    """The full id list waits for the test; the first page does not."""

    def __init__(self, n: int):
        import threading

        super().__init__(n)
        self.release = threading.Event()

    def first_page(self, f, limit):
        return list(range(1, limit + 1)), self.n

    def ordered_ids(self, f):
        assert self.release.wait(10)
        return super().ordered_ids(f)


def test_async_mode_shows_the_first_page_before_the_full_list(qtbot):
    ws = _FakeWorkspace(1000)
    ws.roster = _SlowRoster(1000)
    m = RosterTableModel(ws, asynchronous=True)
    counts = []
    m.loaded.connect(counts.append)
    m.set_scope(None)
    qtbot.waitUntil(lambda: m.rowCount() == 1000, timeout=5000)
    assert m.loading and counts == []  # the full list is still being built
    assert m.data(m.index(PAGE_SIZE - 1, 0)) == f"name{PAGE_SIZE}"
    assert m.data(m.index(PAGE_SIZE, 0)) == "" and m.member_id(PAGE_SIZE) is None
    picked = QPersistentModelIndex(m.index(5, 0))
    ws.roster.release.set()
    qtbot.waitUntil(lambda: counts == [1000], timeout=5000)
    assert m.data(m.index(PAGE_SIZE, 0)) == f"name{PAGE_SIZE + 1}"
    assert picked.isValid() and m.member_id(picked.row()) == 6  # a row picked early stays picked
    m.shutdown()
