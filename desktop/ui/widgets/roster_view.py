"""The roster pane: a search/filter bar over the member table of the selected organisation.

Columns can be hidden, moved and resized; the layout is remembered. Double-click or
Enter edits a member, Delete records that a member left (never deletes a record).
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QMenu, QTableView, QVBoxLayout, QWidget)

from ...domain.classification import CLASSIFICATIONS
from ...domain.member import Category
from ...domain.roster_view import (COLUMN_KEYS, ROSTER_COLUMNS, STATUS_ACTIVE, STATUS_ALL,
                                   STATUS_LEFT)
from .. import errors
from ..settings import settings
from ..table_models.roster_model import RosterTableModel

SEARCH_DELAY_MS = 150
HEADER_KEY = f"roster/header/v{len(ROSTER_COLUMNS)}"
HIDDEN_BY_DEFAULT = {"confirmed", "job", "id_number", "phone", "address", "status", "left_date"}
SHOWN_FOR_LEFT = ("status", "left_date")  # shown while looking at those who left

# Sample text per column: its default width fits the header and a typical value.
_SAMPLE = {
    "name": "欧阳晓明", "org_name": "幸福社区第1网格党支部", "sex": "男", "ethnicity": "土家族",
    "education": "硕士研究生", "category": "预备党员", "classification": "社区直管党员",
    "party_post": "支部组织委员", "job": "社区工作人员", "mobile": "13800000000",
    "id_number": "11010519800517123X", "phone": "010-12345678", "address": "人民路100号1栋2单元301室",
    "status": "停止党籍",
}
_DATE_SAMPLE = "2020-10-10"


class RosterPanel(QWidget):
    count_changed = Signal(int)
    members_changed = Signal()
    """A member was added, edited or left (the tree's counts change)."""

    def __init__(self, workspace, parent: QWidget | None = None, *, asynchronous: bool = True):
        super().__init__(parent)
        self._ws = workspace
        self._org_id: int | None = None
        self._restore: tuple[int | None, int] | None = None
        self._auto_shown: list[int] = []
        self._started = False

        self.scope_label = QLabel("全部党员", self)
        self.scope_label.setStyleSheet("font-weight: bold; padding: 2px 0px;")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("姓名 / 拼音首字母 / 身份证号 / 手机号")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 40)
        self.search.setToolTip("输入即查找（Ctrl+F 定位到此处，Esc 清除）")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.clear_search)

        self.category = self._combo([("全部", None)] + [(c.value, c.value) for c in Category])
        self.classification = self._combo([("全部", None)] + [(c, c) for c in CLASSIFICATIONS])
        self.status = self._combo([(s, s) for s in (STATUS_ACTIVE, STATUS_LEFT, STATUS_ALL)])
        self.category.currentIndexChanged.connect(self._apply_combos)
        self.classification.currentIndexChanged.connect(self._apply_combos)
        self.status.currentIndexChanged.connect(self._apply_combos)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        for caption, combo in (("人员类别", self.category), ("党员分类", self.classification),
                               ("状态", self.status)):
            label = QLabel(caption, self)
            label.setBuddy(combo)
            bar.addSpacing(6)
            bar.addWidget(label)
            bar.addWidget(combo)

        self.model = RosterTableModel(workspace, self, asynchronous=asynchronous)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda e: errors.show_error(self, e, "无法读取花名册"))
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self._setup_view()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.scope_label)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.new_action = QAction("新增党员…", self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_action.setStatusTip("在所选组织中新增一名党员")
        self.new_action.triggered.connect(lambda _=False: self.new_member())
        # Enter and Delete belong to the table only (the search box needs them), so the
        # menu shows them as hints and the table has its own shortcuts.
        self.edit_action = QAction("编辑党员…\tEnter", self)
        self.edit_action.setIconText("编辑党员")
        self.edit_action.setStatusTip("查看和修改所选党员的信息")
        self.edit_action.triggered.connect(lambda _=False: self.edit_member())
        self.leave_action = QAction("记录离开…\tDelete", self)
        self.leave_action.setIconText("记录离开")
        self.leave_action.setStatusTip("记录所选党员转出、停止党籍、出党或去世（不删除档案）")
        self.leave_action.triggered.connect(lambda _=False: self.leave_member())
        for key, slot in ((Qt.Key.Key_Return, self.edit_member), (Qt.Key.Key_Enter, self.edit_member),
                          (Qt.Key.Key_Delete, self.leave_member)):
            sc = QShortcut(QKeySequence(key), self.view)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(slot)
        self.view.doubleClicked.connect(lambda _: self.edit_member())
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        # A sort first shows the new top page: the selected member is found again in the
        # full list when it comes.
        self.view.horizontalHeader().sortIndicatorChanged.connect(
            lambda *_: self._remember_selection())
        self._update_actions()

    @staticmethod
    def _combo(items: list[tuple[str, object]]) -> QComboBox:
        box = QComboBox()
        for text, value in items:
            box.addItem(text, value)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        return box

    def _setup_view(self) -> None:
        v = self.view
        v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        v.setAlternatingRowColors(True)
        v.setWordWrap(False)
        v.setTextElideMode(Qt.TextElideMode.ElideRight)
        v.setCornerButtonEnabled(False)
        v.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = v.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(v.fontMetrics().height() + 10)
        header = v.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._default_header_state = None
        self._apply_default_columns()
        self._default_header_state = header.saveState()
        saved = settings().value(HEADER_KEY)
        if isinstance(saved, (QByteArray, bytes)) and saved:
            header.restoreState(QByteArray(saved))
        header.sectionMoved.connect(lambda *_: self.save_layout())
        v.setSortingEnabled(True)

    def _apply_default_columns(self) -> None:
        header = self.view.horizontalHeader()
        fm = self.view.fontMetrics()
        pad = 18
        for col, (key, label) in enumerate(ROSTER_COLUMNS):
            header.moveSection(header.visualIndex(col), col)
            sample = _DATE_SAMPLE if key in ("birth_date", "joined", "confirmed", "left_date") \
                else _SAMPLE.get(key, label)
            width = max(fm.horizontalAdvance(sample), fm.horizontalAdvance(label) + 14) + pad
            header.resizeSection(col, width)
            header.setSectionHidden(col, key in HIDDEN_BY_DEFAULT)
        header.setSortIndicator(COLUMN_KEYS.index("name"), Qt.SortOrder.AscendingOrder)

    # --- columns -------------------------------------------------------------------
    def columns_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu("列显示/隐藏", parent)
        self.fill_columns_menu(menu)
        return menu

    def _header_menu(self, pos) -> None:
        menu = self.columns_menu(self)
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))
        menu.deleteLater()

    def fill_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        header = self.view.horizontalHeader()
        shown = [c for c in range(len(ROSTER_COLUMNS)) if not header.isSectionHidden(c)]
        for visual in range(header.count()):
            col = header.logicalIndex(visual)
            a = menu.addAction(ROSTER_COLUMNS[col][1])
            a.setCheckable(True)
            a.setChecked(not header.isSectionHidden(col))
            a.setEnabled(not (len(shown) == 1 and col in shown))  # keep at least one column
            a.toggled.connect(lambda on, c=col: self.set_column_visible(c, on))
        menu.addSeparator()
        menu.addAction("恢复默认列").triggered.connect(lambda _=False: self.reset_columns())

    def set_column_visible(self, column: int, visible: bool) -> None:
        if column in self._auto_shown:
            self._auto_shown.remove(column)
        self.view.horizontalHeader().setSectionHidden(column, not visible)
        self.save_layout()

    def column_visible(self, key: str) -> bool:
        return not self.view.horizontalHeader().isSectionHidden(COLUMN_KEYS.index(key))

    def reset_columns(self) -> None:
        self._auto_shown = []
        self.view.horizontalHeader().restoreState(self._default_header_state)
        self._show_left_columns()
        self.save_layout()

    def save_layout(self) -> None:
        header = self.view.horizontalHeader()
        for c in self._auto_shown:  # remembered as the clerk left them, not as auto-shown
            header.setSectionHidden(c, True)
        settings().setValue(HEADER_KEY, header.saveState())
        for c in self._auto_shown:
            header.setSectionHidden(c, False)

    def _show_left_columns(self) -> None:
        """状态 and 离开日期 appear while looking at those who left, and go again after."""
        header = self.view.horizontalHeader()
        if self.status.currentData() == STATUS_ACTIVE:
            for c in self._auto_shown:
                header.setSectionHidden(c, True)
            self._auto_shown = []
            return
        for key in SHOWN_FOR_LEFT:
            c = COLUMN_KEYS.index(key)
            if header.isSectionHidden(c):
                header.setSectionHidden(c, False)
                self._auto_shown.append(c)

    # --- what is shown ---------------------------------------------------------------
    def set_workspace(self, workspace) -> None:
        self._ws = workspace
        self._org_id = None
        self._restore = None
        self._started = False
        self.model.set_workspace(workspace)

    def set_org(self, org_id: int | None, title: str = "") -> None:
        self.scope_label.setText(title or "全部党员")
        if self._started and org_id == self._org_id:
            return
        self._started = True
        self._org_id = org_id
        self._restore = None
        self.model.set_scope(org_id)

    @property
    def org_id(self) -> int | None:
        return self._org_id

    def refresh(self) -> None:
        """Query again (data changed); the selected member stays selected."""
        self._remember_selection()
        self.model.refresh()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def clear_search(self) -> None:
        self.search.clear()
        self._apply_search()

    def _apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        if text != self.model.filter.text:
            self._restore = None
            self.model.set_filter(text=text)

    def _apply_combos(self) -> None:
        self._restore = None
        self._show_left_columns()
        self.model.set_filter(category=self.category.currentData(),
                              classification=self.classification.currentData(),
                              status=self.status.currentData())

    def _loaded(self, count: int) -> None:
        if self._restore is not None:
            member_id, row = self._restore
            self._restore = None
            found = self.model.row_of(member_id) if member_id is not None else None
            if found is None and count:
                found = min(row, count - 1) if row >= 0 else None
            if found is not None:
                self.select_row(found)
        self._update_actions()
        self.count_changed.emit(count)

    def _remember_selection(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._restore = (self.model.member_id(index.row()), index.row())

    def select_row(self, row: int) -> None:
        index = self.model.index(row, self.view.horizontalHeader().logicalIndex(0))
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def select_member(self, member_id: int) -> bool:
        row = self.model.row_of(member_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def current_member_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.member_id(index.row()) if index.isValid() else None

    def count(self) -> int:
        return self.model.rowCount()

    def _update_actions(self) -> None:
        has = self.current_member_id() is not None
        self.edit_action.setEnabled(has)
        self.leave_action.setEnabled(has)

    # --- what the clerk does -----------------------------------------------------------
    def _saved(self, member_id: int | None) -> None:
        self._remember_selection()
        if member_id is not None:
            row = self._restore[1] if self._restore else 0
            self._restore = (member_id, row)
        self.model.refresh()
        self.members_changed.emit()

    def new_member(self) -> None:
        cls = errors.load_optional(self, "member_dialog", "MemberDialog")
        if cls is None:
            return
        dialog = cls(self._ws, None, default_org_id=self._org_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._saved(getattr(dialog, "saved_id", None))

    def edit_member(self, index: QModelIndex | None = None) -> None:
        member_id = self.current_member_id()
        if member_id is None:
            return
        cls = errors.load_optional(self, "member_dialog", "MemberDialog")
        if cls is None:
            return
        dialog = cls(self._ws, member_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._saved(getattr(dialog, "saved_id", None) or member_id)

    def leave_member(self) -> None:
        from ..dialogs.leave_dialog import LeaveDialog

        index = self.view.currentIndex()
        member_id = self.current_member_id()
        if member_id is None:
            return
        values = self.model.row_values(index.row()) or {}
        if values.get("status") not in (None, STATUS_ACTIVE):
            errors.inform(self, f"{values.get('name', '')}已不在册（{values.get('status')}）。")
            return
        dialog = LeaveDialog(self._ws, member_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._saved(None)
