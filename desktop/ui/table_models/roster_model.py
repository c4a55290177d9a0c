"""The roster table: an ordered list of member ids, display rows fetched lazily in pages.

The model holds only the ids that one indexed query returned (RosterService.ordered_ids)
and asks for the rows the view shows, a page at a time, keeping a few pages in an LRU
cache. Sorting re-runs the query with another sort key; nothing is sorted in Qt.

The id query can run on a worker thread (`asynchronous=True`, what the window uses)
so typing in the search box never freezes the window on a large street; results of an
outdated request are dropped. Tests and small tools use the synchronous mode.

The worker is a plain Python thread whose result the GUI thread picks up with a short
polling timer: no Qt signal crosses threads. (PySide6 6.12.0 corrupts the reference
counts of None/True on every queued or cross-thread delivery to a Python callable and
crashes within a few hundred; this design is safe with every version.)
"""
from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from datetime import date

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt,
                            QTimer, Signal)
from PySide6.QtGui import QBrush, QColor

from ...domain.dates import format_date
from ...domain.roster_view import (COLUMN_KEYS, ROSTER_COLUMNS, STATUS_ACTIVE, RosterFilter)

log = logging.getLogger(__name__)

PAGE_SIZE = 200
CACHE_PAGES = 40
POLL_MS = 4
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
STATUS_COLUMN = COLUMN_KEYS.index("status")
_LEFT_BRUSH = QBrush(QColor("#8a8a8a"))
_CENTERED_COLUMNS = frozenset(COLUMN_KEYS.index(k) for k in ("sex", "category", "status"))
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def _query(workspace, f: RosterFilter, scope: int | None, resolve: bool,
           early: list | None = None):
    """The ordered ids and the scope's org ids. With `early`, the first page and the count
    are appended to it first, for the GUI thread to show while the full list is built."""
    if resolve:
        f.org_ids = workspace.orgs.subtree_ids(scope)
    if early is not None:
        first = workspace.roster.first_page(f, PAGE_SIZE)
        if first is not None:
            if len(first[0]) == first[1]:  # the first page is all of it
                return first[0], f.org_ids
            early.append(first)
    return workspace.roster.ordered_ids(f), f.org_ids


def display_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    return str(value)


class RosterTableModel(QAbstractTableModel):
    """Rows are members (by id), columns are domain.roster_view.ROSTER_COLUMNS."""

    loaded = Signal(int)
    """Emitted after a (re)load was applied, with the row count."""
    failed = Signal(object)
    """A query failed; the exception (the window shows it)."""

    def __init__(self, workspace, parent: QObject | None = None, *, asynchronous: bool = False):
        super().__init__(parent)
        self._ws = workspace
        self._async = asynchronous
        self._filter = RosterFilter()
        self._scope: int | None = None  # the selected organisation (None: whole street)
        self._scope_ids: dict[int | None, list[int] | None] = {None: None}
        self.scope_resolver = None
        """Optional org id -> subtree ids from a tree the GUI already holds (no query);
        without it the worker asks OrganizationService.subtree_ids."""
        self._ids: list[int | None] = []  # None: a row of the full list still to come
        self._pages: OrderedDict[int, list[tuple[str, ...] | None]] = OrderedDict()
        self._last_page = -1
        self._generation = 0
        self._pending_sort = False
        self._started = False
        self.loading = False
        self.rows_shown = False  # a query's rows (or its first page) have reached the view
        self._executor: ThreadPoolExecutor | None = None
        self._running: tuple[int, Future, list] | None = None
        self._early_shown = False  # the running query's first page is on screen
        self._queued: tuple | None = None  # the newest request waiting for the worker
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_worker)

    # --- what to show ------------------------------------------------------
    @property
    def filter(self) -> RosterFilter:
        return dataclasses.replace(self._filter)

    @property
    def scope(self) -> int | None:
        return self._scope

    def set_workspace(self, workspace) -> None:
        self.shutdown()
        self._ws = workspace
        self._started = False
        self._scope = None
        self._scope_ids = {None: None}
        self.beginResetModel()
        self._set_ids([])
        self.endResetModel()

    def set_scope(self, org_id: int | None) -> None:
        """Show the members of this organisation and everything below it."""
        self._scope = org_id
        self.reload()

    def set_filter(self, **changes) -> None:
        """Change text/category/classification/status (org_ids come from set_scope)."""
        self._filter = dataclasses.replace(self._filter, **changes)
        self.reload()

    def refresh(self) -> None:
        """Data changed (a member saved, an organisation moved): query again, drop the cache."""
        self._scope_ids = {None: None}
        self.reload()

    def reload(self, *, sorting: bool = False) -> None:
        self._started = True
        self._generation += 1
        self._pending_sort = sorting
        if self.scope_resolver is not None:
            self._scope_ids[self._scope] = self.scope_resolver(self._scope)
        resolve = self._scope not in self._scope_ids
        f = dataclasses.replace(self._filter, org_ids=self._scope_ids.get(self._scope))
        if not self._async:
            try:
                result = _query(self._ws, f, self._scope, resolve)
            except Exception as e:
                self._apply(self._generation, None, e)
            else:
                self._apply(self._generation, result, None)
            return
        self.loading = True
        self._queued = (self._generation, self._ws, f, self._scope, resolve)
        if self._running is None:
            self._submit()
        self._poll.start()

    def _submit(self) -> None:
        generation, *args = self._queued
        self._queued = None
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="roster-query")
        early: list = []
        self._running = (generation, self._executor.submit(_query, *args, early), early)
        self._early_shown = False

    def _check_worker(self) -> None:
        """Runs on the GUI thread: pick up a finished query, start the newest waiting one."""
        if self._running is not None and not self._running[1].done():
            generation, _future, early = self._running
            if early and not self._early_shown:
                self._early_shown = True
                self._apply_first_page(generation, *early[0])
        if self._running is not None and self._running[1].done():
            generation, future, _early = self._running
            shown, self._running = self._early_shown, None
            if self._queued is not None:
                self._submit()
            error = future.exception()
            self._apply(generation, None if error else future.result(), error, keep_rows=shown)
        elif self._running is None and self._queued is not None:
            self._submit()
        if self._running is None and self._queued is None:
            self._poll.stop()

    def wait(self, timeout_s: float = 30.0) -> None:
        """Block until the worker is idle and its result applied (tests, tools)."""
        while self._running is not None:
            wait_futures([self._running[1]], timeout=timeout_s)
            self._check_worker()

    def shutdown(self) -> None:
        """Drop waiting requests, let a running query finish, stop the worker thread."""
        self._queued = None
        self._poll.stop()
        if self._running is not None:
            wait_futures([self._running[1]], timeout=30)
            self._running = None
        self.loading = False
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def _apply(self, generation: int, result, error, *, keep_rows: bool = False) -> None:
        if generation != self._generation:
            return  # an outdated request finished after a newer one was made
        self.loading = False
        sorting, self._pending_sort = self._pending_sort, False
        if error is not None:
            log.error("roster query failed", exc_info=(type(error), error, error.__traceback__))
            self.failed.emit(error)
            return
        ids, org_ids = result
        self._scope_ids[self._scope] = org_ids
        if (sorting or keep_rows) and len(ids) == len(self._ids):
            self._apply_reordered(ids)
        else:
            self.beginResetModel()
            self._set_ids(ids)
            self.endResetModel()
        self.rows_shown = True
        self.loaded.emit(len(self._ids))

    def _apply_first_page(self, generation: int, first: list[int], count: int) -> None:
        """Show the first page at once; the other rows stay blank until the full list comes
        (`loaded` is emitted only then, so a remembered selection is restored from it)."""
        if generation != self._generation or self._queued is not None:
            return  # a newer request is waiting: its own first page will come
        ids = first + [None] * (count - len(first))
        if self._pending_sort and count == len(self._ids):
            self._apply_reordered(ids)
        else:
            self.beginResetModel()
            self._set_ids(ids)
            self.endResetModel()
        self.rows_shown = True

    def _apply_reordered(self, ids: list[int]) -> None:
        """Same rows in a new order: move persistent indexes (the selection) with their ids."""
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._set_ids(ids)
        new_row: dict[int, int | None] = {}  # a few selected ids: list.index runs at C speed
        old, new = [], []
        for p in self.persistentIndexList():
            mid = old_ids[p.row()] if 0 <= p.row() < len(old_ids) else None
            if mid not in new_row:
                new_row[mid] = self.row_of(mid) if mid is not None else None
            row = new_row[mid]
            old.append(QModelIndex(p))
            new.append(self.index(row, p.column()) if row is not None else QModelIndex())
        if old:
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _set_ids(self, ids: list[int]) -> None:
        self._ids = ids
        self._pages.clear()
        self._last_page = -1

    # --- lookups the view needs ---------------------------------------------
    def member_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, member_id: int) -> int | None:
        try:
            return self._ids.index(member_id)
        except ValueError:
            return None

    def row_values(self, row: int) -> dict[str, str] | None:
        """The row as shown (key -> text), or None when it could not be read."""
        texts = self._texts(row)
        return dict(zip(COLUMN_KEYS, texts)) if texts is not None else None

    def _texts(self, row: int) -> tuple[str, ...] | None:
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch_page(page_no)
        elif page_no != self._last_page:
            self._pages.move_to_end(page_no)
        self._last_page = page_no
        return page[row - page_no * PAGE_SIZE]

    def _fetch_page(self, page_no: int) -> list[tuple[str, ...] | None]:
        """One page of rows, formatted once here so that painting only looks text up."""
        ids = self._ids[page_no * PAGE_SIZE:(page_no + 1) * PAGE_SIZE]
        try:
            rows = self._ws.roster.fetch_rows([i for i in ids if i is not None], COLUMN_KEYS)
        except Exception:
            log.exception("fetching roster rows failed")
            rows = {}
        page = []
        for i in ids:
            values = rows.get(i)
            page.append(None if values is None else tuple(display_value(v) for v in values))
        self._pages[page_no] = page
        while len(self._pages) > CACHE_PAGES:
            self._pages.popitem(last=False)
        return page

    # --- QAbstractTableModel ------------------------------------------------
    # data() runs for every visible cell and role on each paint: plain int roles, no enum
    # arithmetic, and text already formatted per page.
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ROSTER_COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if role == _DISPLAY:
            row = index.row()
            if not 0 <= row < len(self._ids):
                return None
            texts = self._texts(row)
            return texts[index.column()] if texts is not None else ""
        if role == _ALIGN:
            return _CENTER if index.column() in _CENTERED_COLUMNS else None
        if role == _FOREGROUND:
            if self._filter.status == STATUS_ACTIVE or not 0 <= index.row() < len(self._ids):
                return None
            texts = self._texts(index.row())
            return _LEFT_BRUSH if texts is not None and texts[STATUS_COLUMN] != STATUS_ACTIVE else None
        if role == _TOOLTIP:
            if not 0 <= index.row() < len(self._ids):
                return None
            texts = self._texts(index.row())
            text = texts[index.column()] if texts is not None else ""
            return text if len(text) > 12 else None
        if role == ID_ROLE:
            return self._ids[index.row()] if 0 <= index.row() < len(self._ids) else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(ROSTER_COLUMNS):
                return ROSTER_COLUMNS[section][1]
            return None
        return str(section + 1)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMN_KEYS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (self._filter.sort_key, self._filter.descending) == (COLUMN_KEYS[column], descending):
            return
        self._filter = dataclasses.replace(self._filter, sort_key=COLUMN_KEYS[column],
                                           descending=descending)
        if self._started:  # before the first load only the order is noted
            self.reload(sorting=True)
