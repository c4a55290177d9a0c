"""The organisation tree pane: the tree with member counts, and what the clerk does to it
(新建下级组织, 编辑, 重命名, 移动到… or drag-and-drop, 撤销组织)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QMenu, QToolBar,
                               QTreeView, QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ...domain.organization import OrgKind
from .. import errors
from ..table_models.org_tree_model import OrgTreeModel


class OrgTreePanel(QWidget):
    org_selected = Signal(object)
    """The selected organisation's id (None when nothing is selected)."""
    orgs_changed = Signal()
    """An organisation was created, edited, moved or dissolved."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self.model = OrgTreeModel(self, editable=True, draggable=True)
        # A rename or drop is acted on after the view's edit/drag has finished (the tree is
        # rebuilt then). A timer object, not a queued connection or QTimer.singleShot with a
        # Python callable: those corrupt reference counts in PySide6 6.12.0.
        self._soon: list = []
        self._soon_timer = QTimer(self)
        self._soon_timer.setSingleShot(True)
        self._soon_timer.setInterval(0)
        self._soon_timer.timeout.connect(self._run_soon)
        self.model.rename_requested.connect(lambda i, name: self._later(self.rename, i, name))
        self.model.move_requested.connect(lambda i, parent: self._later(self._dropped, i, parent))

        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setIndentation(16)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

        self.empty_hint = QLabel("还没有组织。\n请点击“新建组织”，先建立街道党工委。", self)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #666666;")

        self.new_action = self._action("新建下级组织…", self.new_child, "在所选组织下新建党组织")
        self.new_action.setIconText("新建下级")
        self.edit_action = self._action("编辑…", self.edit, "编辑组织信息和班子成员")
        self.rename_action = self._action("重命名", self.start_rename, "修改组织名称（F2）")
        self.rename_action.setText("重命名\tF2")  # F2 itself is the tree's edit key
        self.move_action = self._action("移动到…", self.move, "把所选组织移到另一个上级组织之下（也可直接拖动）")
        self.dissolve_action = self._action("撤销组织…", self.dissolve, "撤销没有党员和下级组织的组织")
        self.refresh_action = self._action("刷新", self.refresh, "重新读取组织树")

        self.toolbar = QToolBar("组织", self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.new_action, self.edit_action, self.move_action, self.dissolve_action):
            self.toolbar.addAction(a)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint, 1)
        self._loaded_once = False
        self._quiet = False
        self.refresh()

    def _later(self, fn, *args) -> None:
        self._soon.append((fn, args))
        self._soon_timer.start()

    def _run_soon(self) -> None:
        pending, self._soon = self._soon, []
        for fn, args in pending:
            fn(*args)

    def _action(self, text: str, slot, tip: str) -> QAction:
        a = QAction(text, self)
        a.setStatusTip(tip)
        a.setToolTip(tip)
        a.triggered.connect(lambda _=False: slot())
        return a

    # --- state -------------------------------------------------------------------
    def set_workspace(self, workspace) -> None:
        self._ws = workspace
        self._loaded_once = False
        self.refresh()

    def current_id(self) -> int | None:
        node = self.model.node(self.view.currentIndex())
        return node.id if node is not None else None

    def select(self, org_id: int | None) -> None:
        index = self.model.index_of(org_id)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def refresh(self) -> None:
        """Reload the tree; keep what was expanded and selected."""
        selected = self.current_id()
        expanded = self._expanded_ids() if self._loaded_once else set()
        try:
            roots = self._ws.orgs.tree()
            secretaries = self._ws.orgs.secretaries()
        except DomainError as e:
            errors.show_error(self, e)
            return
        self._quiet = True
        try:
            self.model.set_tree(roots, secretaries)
            if self._loaded_once:
                for org_id in expanded:
                    self.view.setExpanded(self.model.index_of(org_id), True)
            else:
                self.view.expandToDepth(0)  # the street open: its communities are visible
                self._loaded_once = True
            if selected is None or self.model.node_by_id(selected) is None:
                selected = roots[0].id if roots else None
            self.select(selected)
        finally:
            self._quiet = False
        empty = self.model.is_empty()
        self.view.setVisible(not empty)
        self.empty_hint.setVisible(empty)
        self.new_action.setText("新建组织…" if empty else "新建下级组织…")
        self.new_action.setIconText("新建组织" if empty else "新建下级")
        self._update_actions()
        self.org_selected.emit(self.current_id())

    def _expanded_ids(self) -> set[int]:
        out = set()
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if self.view.isExpanded(index):
                    out.add(index.internalId())
                    stack.append(index)
        return out

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        self._update_actions()
        self.org_selected.emit(self.current_id())

    def _update_actions(self) -> None:
        node = self.model.node(self.view.currentIndex())
        has = node is not None
        self.new_action.setEnabled(not has or node.kind is not OrgKind.GROUP or self.model.is_empty())
        for a in (self.edit_action, self.rename_action):
            a.setEnabled(has)
        for a in (self.move_action, self.dissolve_action):
            a.setEnabled(has and node.parent_id is not None)

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self.view.setCurrentIndex(index)
        menu = QMenu(self)
        for a in (self.new_action, self.edit_action, self.rename_action, self.move_action):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.dissolve_action)
        menu.addSeparator()
        menu.addAction(self.refresh_action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    # --- what the clerk does ---------------------------------------------------------
    def _exec(self, dialog) -> int:
        return dialog.exec()

    def _changed(self, select_id: int | None = None) -> None:
        self.refresh()
        if select_id is not None:
            parent = self.model.index_of(select_id).parent()
            if parent.isValid():
                self.view.expand(parent)
            self.select(select_id)
        self.orgs_changed.emit()

    def new_child(self) -> None:
        from ..dialogs.org_dialog import OrgDialog

        parent_id = self.current_id()
        node = self.model.node_by_id(parent_id)
        if node is not None and node.kind is OrgKind.GROUP:
            parent_id = node.parent_id
        dialog = OrgDialog(self._ws, parent_org_id=parent_id, parent=self)
        if self._exec(dialog) and dialog.saved_id:
            self._changed(dialog.saved_id)

    def edit(self) -> None:
        from ..dialogs.org_dialog import OrgDialog

        org_id = self.current_id()
        if org_id is None:
            return
        dialog = OrgDialog(self._ws, org_id=org_id, parent=self)
        if self._exec(dialog) and dialog.saved_id:
            self._changed(dialog.saved_id)

    def start_rename(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.edit(index.siblingAtColumn(0))

    def rename(self, org_id: int, name: str) -> None:
        try:
            self._ws.orgs.rename(org_id, name)
        except DomainError as e:
            errors.show_error(self, e, "无法重命名")
            return
        self._changed(org_id)

    def move(self) -> None:
        from ..dialogs.org_dialog import MoveOrgDialog

        org_id = self.current_id()
        if org_id is None:
            return
        dialog = MoveOrgDialog(self._ws, org_id, parent=self)
        if self._exec(dialog) and dialog.moved:
            self._changed(org_id)

    def _dropped(self, org_id: int, new_parent_id: int) -> None:
        moving, target = self.model.node_by_id(org_id), self.model.node_by_id(new_parent_id)
        if moving is None or target is None:
            return
        if not errors.confirm(self, f"把“{moving.name}”（含其下级组织和党员）移到“{target.name}”之下？",
                              "移动组织"):
            return
        self.move_to(org_id, new_parent_id)

    def move_to(self, org_id: int, new_parent_id: int) -> bool:
        try:
            self._ws.orgs.move(org_id, new_parent_id)
        except DomainError as e:
            errors.show_error(self, e, "无法移动")
            self.refresh()
            return False
        self._changed(org_id)
        return True

    def dissolve(self) -> None:
        node = self.model.node_by_id(self.current_id())
        if node is None:
            return
        if not errors.confirm(self, f"撤销“{node.name}”？\n撤销后该组织不再显示，但历史记录会保留。",
                              "撤销组织"):
            return
        try:
            self._ws.orgs.dissolve(node.id)
        except DomainError as e:
            errors.show_error(self, e, "无法撤销")
            return
        self._changed(node.parent_id)
