"""Which organisations' secretaries report in a round (all ticked: the whole street)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from .base import RememberingDialog, ok_cancel

ID_ROLE = Qt.ItemDataRole.UserRole


class DutyScopeDialog(RememberingDialog):
    default_size = (420, 520)

    def __init__(self, choices: list[tuple[int, str, int]], chosen: list[int], parent: QWidget | None = None):
        super().__init__(parent, "述职组织范围")
        self.list = QListWidget(self)
        for org_id, name, depth in choices:
            item = QListWidgetItem("　" * depth + name, self.list)
            item.setData(ID_ROLE, org_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = not chosen or org_id in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        every, none = QPushButton("全选", self), QPushButton("全不选", self)
        every.clicked.connect(lambda: self.tick_all(True))
        none.clicked.connect(lambda: self.tick_all(False))
        row = QHBoxLayout()
        row.addWidget(every)
        row.addWidget(none)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("勾选参加本轮述职的组织（其书记为述职人）：", self))
        lay.addWidget(self.list, 1)
        lay.addLayout(row)
        lay.addWidget(ok_cancel(self, self.accept, "确定"))

    def tick_all(self, on: bool) -> None:
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen(self) -> list[int]:
        """Ticked organisation ids; [] when all are ticked (the whole street)."""
        items = [self.list.item(i) for i in range(self.list.count())]
        ticked = [it.data(ID_ROLE) for it in items if it.checkState() == Qt.CheckState.Checked]
        return [] if len(ticked) == len(items) else ticked
