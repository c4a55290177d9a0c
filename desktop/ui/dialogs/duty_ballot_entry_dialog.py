"""Ballot by ballot (for small groups): tick what one paper ballot says, 计入本张, next.

Works on a copy of the tally; 完成 hands it back to the page (which saves it with the
others), 取消 forgets every ballot entered here.
"""
from __future__ import annotations

import copy

from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from ...domain.duty_report import AppraisalTemplate, AudienceTally, add_ballot
from ...domain.errors import DomainError
from ..errors import show_error
from .base import RememberingDialog, ok_cancel

BLANK = "未选"


class DutyBallotEntryDialog(RememberingDialog):
    default_size = (640, 560)

    def __init__(self, template: AppraisalTemplate, tally: AudienceTally, place: str,
                 parent: QWidget | None = None):
        super().__init__(parent, "逐张录入测评表")
        self.template = template
        self.tally = copy.deepcopy(tally)
        self.entered = 0
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        labels = template.rating_labels + [BLANK]
        for k, label in enumerate(labels, start=1):
            grid.addWidget(QLabel(f"<b>{label}</b>", grid_host), 0, k)
        self.groups: dict[str, QButtonGroup] = {}
        for row, (_group, item) in enumerate(template.items, start=1):
            grid.addWidget(QLabel(item, grid_host), row, 0)
            g = QButtonGroup(self)
            for k, label in enumerate(labels, start=1):
                b = QRadioButton(grid_host)
                b.setToolTip(f"{item}：{label}")
                g.addButton(b, k - 1)
                grid.addWidget(b, row, k)
            self.groups[item] = g
        grid.setRowStretch(len(template.items) + 1, 1)
        grid.setColumnStretch(0, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(grid_host)
        scroll.setWidgetResizable(True)
        self.status = QLabel(self)
        self.count_button = QPushButton("计入本张，录下一张", self)
        self.count_button.setDefault(True)
        self.count_button.clicked.connect(self.count_ballot)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.count_button)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(place, self))
        lay.addWidget(scroll, 1)
        lay.addLayout(row)
        lay.addWidget(ok_cancel(self, self.accept, "完成"))
        self.clear()

    def choose(self, item: str, rating: str | None) -> None:
        """Tick one item as the ballot says (None: left blank)."""
        labels = self.template.rating_labels
        self.groups[item].button(labels.index(rating) if rating else len(labels)).setChecked(True)

    def choices(self) -> dict[str, str | None]:
        labels = self.template.rating_labels
        out = {}
        for item, g in self.groups.items():
            k = g.checkedId()
            out[item] = labels[k] if 0 <= k < len(labels) else None
        return out

    def clear(self) -> None:
        for item in self.groups:
            self.choose(item, None)
        self.status.setText(f"本次已录入{self.entered}张；共收回{self.tally.returned}张")

    def count_ballot(self) -> bool:
        try:
            add_ballot(self.tally, self.template, self.choices())
        except DomainError as e:
            show_error(self, e)
            return False
        self.entered += 1
        self.clear()
        return True
