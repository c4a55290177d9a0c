"""The organisation tree as a Qt item model: name with member count, and kind label.

Indexes carry the organisation id (internalId), never a pointer, so a refresh that
rebuilds the nodes cannot leave a dangling index behind. Renaming in place and
drag-and-drop do not change anything here: the model asks (by signal) and the
widget calls the service, then refreshes.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, \
    QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.errors import FieldError
from ...domain.organization import OrgKind, OrgNode, check_parent

ORG_MIME = "application/x-dangjian-org-id"
ORG_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("组织", "类型")

AnyIndex = QModelIndex | QPersistentModelIndex


def node_text(node: OrgNode) -> str:
    return f"{node.name} ({node.total_members})"


class OrgTreeModel(QAbstractItemModel):
    rename_requested = Signal(int, str)
    """(org id, new name): the clerk finished editing a name in place."""
    move_requested = Signal(int, int)
    """(org id, new parent id): the clerk dropped an organisation onto another."""

    def __init__(self, parent=None, *, editable: bool = False, draggable: bool = False,
                 enabled: Callable[[OrgNode], bool] | None = None):
        super().__init__(parent)
        self._roots: list[OrgNode] = []
        self._by_id: dict[int, OrgNode] = {}
        self._secretaries: dict[int, str] = {}
        self._editable, self._draggable, self._enabled = editable, draggable, enabled

    # --- content -----------------------------------------------------------
    def set_tree(self, roots: list[OrgNode], secretaries: dict[int, str] | None = None) -> None:
        self.beginResetModel()
        self._roots = roots
        self._by_id = {}
        self._secretaries = secretaries or {}
        stack = list(roots)
        while stack:
            n = stack.pop()
            self._by_id[n.id] = n
            stack.extend(n.children)
        self.endResetModel()

    def node(self, index: AnyIndex) -> OrgNode | None:
        return self._by_id.get(index.internalId()) if index.isValid() else None

    def node_by_id(self, org_id: int | None) -> OrgNode | None:
        return self._by_id.get(org_id) if org_id is not None else None

    def nodes(self) -> list[OrgNode]:
        """Every organisation shown, flat."""
        return list(self._by_id.values())

    def roots(self) -> list[OrgNode]:
        return list(self._roots)

    def is_empty(self) -> bool:
        return not self._roots

    def index_of(self, org_id: int | None, column: int = 0) -> QModelIndex:
        node = self.node_by_id(org_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(self._siblings(node).index(node), column, node.id)

    def is_descendant(self, org_id: int, ancestor_id: int) -> bool:
        """True if org_id is ancestor_id or lies below it."""
        node = self.node_by_id(org_id)
        while node is not None:
            if node.id == ancestor_id:
                return True
            node = self.node_by_id(node.parent_id)
        return False

    def _siblings(self, node: OrgNode) -> list[OrgNode]:
        parent = self.node_by_id(node.parent_id)
        return parent.children if parent is not None else self._roots

    # --- QAbstractItemModel -------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self.node(parent).children if parent.isValid() else self._roots
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row].id)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self.node(index)
        if node is None or node.parent_id is None:
            return QModelIndex()
        return self.index_of(node.parent_id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._roots)
        if parent.column() != 0:
            return 0
        node = self.node(parent)
        return len(node.children) if node else 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return node_text(node) if col == 0 else node.label
        if role == Qt.ItemDataRole.EditRole:
            return node.name if col == 0 else node.label
        if role == ORG_ID_ROLE:
            return node.id
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [node.name, f"类型：{node.label}", f"在册党员：{node.total_members}人"]
            if node.id in self._secretaries:
                lines.append(f"书记：{self._secretaries[node.id]}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 1 or (self._enabled is not None and not self._enabled(node)):
                return QBrush(QColor("#777777"))
            return None
        if role == Qt.ItemDataRole.FontRole and col == 0 and node.kind in (OrgKind.STREET, OrgKind.COMMUNITY):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.ItemIsDropEnabled if self._draggable else Qt.ItemFlag.NoItemFlags
        if self._enabled is not None and not self._enabled(node):
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.column() == 0:
            f |= Qt.ItemFlag.ItemIsEditable
        if self._draggable:
            f |= Qt.ItemFlag.ItemIsDropEnabled
            if node.parent_id is not None:
                f |= Qt.ItemFlag.ItemIsDragEnabled
        return f

    def setData(self, index: AnyIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node(index)
        if node is None or role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return False
        name = str(value or "").strip()
        if name and name != node.name:
            self.rename_requested.emit(node.id, name)
        return False  # the widget renames through the service and refreshes

    # --- drag and drop --------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ORG_MIME]

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        ids = {self.node(i).id for i in indexes if self.node(i) is not None}
        if len(ids) == 1:
            data.setData(ORG_MIME, QByteArray(str(ids.pop()).encode()))
        return data

    @staticmethod
    def dragged_id(data: QMimeData) -> int | None:
        if not data.hasFormat(ORG_MIME):
            return None
        try:
            return int(bytes(data.data(ORG_MIME).data()).decode())
        except ValueError:
            return None

    def _drop_target(self, data: QMimeData, parent: AnyIndex) -> tuple[int, int] | None:
        org_id = self.dragged_id(data)
        target = self.node(parent)
        if org_id is None or target is None:
            return None
        moving = self.node_by_id(org_id)
        if moving is None or moving.parent_id == target.id or self.is_descendant(target.id, org_id):
            return None
        try:
            check_parent(moving.kind, target.kind)
        except FieldError:
            return None
        return org_id, target.id

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        return action == Qt.DropAction.MoveAction and self._drop_target(data, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        target = self._drop_target(data, parent) if action == Qt.DropAction.MoveAction else None
        if target is not None:
            self.move_requested.emit(*target)
        # Nothing moved here: returning False keeps the view from removing the dragged row.
        return False
