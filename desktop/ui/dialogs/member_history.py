"""The member dialog's 历史 tab: the member's events and changes of 党小组, in date order."""
from __future__ import annotations

from datetime import date
from typing import Mapping

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ...domain.dates import format_date
from ...domain.group_change import GROUP_CHANGE, GroupChange
from ...domain.member_event import MemberEvent


class MemberHistoryView(QTreeWidget):
    """日期 | 事项 | 说明 | 所在组织; a change of 党小组 shows the group's branch as 所在组织."""

    def __init__(self, org_names: Mapping[int, str], org_parent: Mapping[int, int | None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._names = org_names
        self._parent = org_parent
        self.setHeaderLabels(["日期", "事项", "说明", "所在组织"])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(False)
        self.setColumnWidth(0, 110)
        self.setColumnWidth(1, 110)
        self.setColumnWidth(3, 200)

    def set_history(self, events: list[MemberEvent], changes: list[GroupChange]) -> None:
        rows = [(ev.date, ev.kind.value, ev.detail, ev.org_id) for ev in events]
        rows += [(c.date, GROUP_CHANGE, c.detail(self._names),
                  self._parent.get(c.to_group if c.to_group is not None else c.from_group))
                 for c in changes]
        # A stable sort: on one day the event (e.g. 组织内调动) comes before the group change.
        rows.sort(key=lambda r: r[0] or date.min)
        self.clear()
        for day, kind, detail, org_id in rows:
            QTreeWidgetItem(self, [format_date(day), kind, detail, self._names.get(org_id, "")])
