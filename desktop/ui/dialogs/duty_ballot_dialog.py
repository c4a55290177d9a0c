"""What to print as 民主测评表: all secretaries on one sheet or one secretary, the audience
printed on it (or ticked by the rater), and how many numbered copies."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from ...domain.duty_report import DutyRound
from .base import RememberingDialog, ok_cancel


class DutyBallotDialog(RememberingDialog):
    default_size = (440, 200)

    def __init__(self, r: DutyRound, default_copies: int, parent: QWidget | None = None):
        super().__init__(parent, "打印民主测评表")
        self.who = QComboBox(self)
        self.who.addItem("全部述职人合印一张", None)
        for p in r.reporters:
            self.who.addItem(p.label, p.id)
        self.audience = QComboBox(self)
        self.audience.addItem("由评议人勾选", None)
        for a in r.template.audiences:
            self.audience.addItem(a.name, a.name)
        self.copies = QSpinBox(self)
        self.copies.setRange(1, 2000)
        self.copies.setValue(max(1, default_copies))
        self.copies.setSuffix(" 份")
        form = QFormLayout()
        form.addRow("测评对象：", self.who)
        form.addRow("评议类别：", self.audience)
        form.addRow("份数（逐份编号）：", self.copies)
        buttons = ok_cancel(self, self.accept, "生成并预览")
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def choice(self) -> dict:
        return {"reporter_id": self.who.currentData(), "audience": self.audience.currentData(),
                "copies": self.copies.value()}
