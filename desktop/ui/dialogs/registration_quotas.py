"""双报到指标设置: the quotas of this database (contacts a quarter, activities or hours a year)."""
from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from ...domain.registration_quota import Quotas
from .base import RememberingDialog, ok_cancel


class QuotaDialog(RememberingDialog):
    """The 双报到 quotas of this database (0 switches a quota off)."""

    default_size = (420, 220)

    def __init__(self, q: Quotas, parent: QWidget | None = None):
        super().__init__(parent, "双报到指标设置")
        self.contacts = QSpinBox(self)
        self.contacts.setRange(0, 50)
        self.contacts.setValue(q.quarter_contacts)
        self.activities = QSpinBox(self)
        self.activities.setRange(0, 200)
        self.activities.setValue(q.year_activities)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0, 2000)
        self.hours.setValue(q.year_hours)
        form = QFormLayout()
        form.addRow("每季度至少联系社区（次）：", self.contacts)
        form.addRow("每年至少参加活动（次）：", self.activities)
        form.addRow("或每年至少服务（小时）：", self.hours)
        buttons = ok_cancel(self, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("填0表示不考核该项。", self))
        layout.addWidget(buttons)

    def value(self) -> Quotas:
        return Quotas(self.contacts.value(), self.activities.value(), self.hours.value())
