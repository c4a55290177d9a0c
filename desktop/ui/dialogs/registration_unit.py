"""驻区单位报到 dialog with its 共建协议 (parties, period, commitments, the signed scan)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ...domain.registration import ResidentUnit
from ..widgets.date_edit import DateEdit
from .base import RememberingDialog
from .registration_dialog import error_text, save_buttons


class UnitDialog(RememberingDialog):
    default_size = (600, 600)

    def __init__(self, workspace, communities: list[tuple[int, str]],
                 unit: ResidentUnit | None = None, parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(parent, "驻区单位报到" if unit is None else "修改驻区单位报到")
        self._ws = workspace
        self._today = today or date.today()
        self.unit = unit or ResidentUnit(communities[0][0] if communities else None, "",
                                         reported_on=self._today)
        self.saved: ResidentUnit | None = None
        self.scan_path: Path | None = None
        self.community = QComboBox(self)
        for cid, name in communities:
            self.community.addItem(name, cid)
        self.community.setCurrentIndex(max(self.community.findData(self.unit.community_id), 0))
        u = self.unit
        self.name = QLineEdit(u.name, self)
        self.party_org = QLineEdit(u.party_org, self)
        self.secretary = QLineEdit(u.secretary, self)
        self.liaison = QLineEdit(u.liaison, self)
        self.liaison_phone = QLineEdit(u.liaison_phone, self)
        self.members_count = QSpinBox(self)
        self.members_count.setRange(0, 100000)
        self.members_count.setValue(u.members_count)
        self.reported_on = DateEdit(self)
        self.reported_on.setDate(u.reported_on)
        self.parties = QLineEdit(u.agreement_parties, self)
        self.start = DateEdit(self)
        self.start.setDate(u.agreement_start)
        self.end = DateEdit(self)
        self.end.setDate(u.agreement_end)
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("至", self))
        period.addWidget(self.end)
        self.commitments = QPlainTextEdit(u.agreement_commitments, self)
        self.scan_label = QLabel(u.scan.file_name if u.scan else "（未附）", self)
        choose = QPushButton("选择文件…", self)
        choose.clicked.connect(self.choose_scan)
        scan = QHBoxLayout()
        scan.addWidget(self.scan_label, 1)
        scan.addWidget(choose)
        form = QFormLayout()
        for label, w in (("报到社区：", self.community), ("单位名称：", self.name),
                         ("单位党组织：", self.party_org), ("党组织书记：", self.secretary),
                         ("联络员：", self.liaison), ("联络电话：", self.liaison_phone),
                         ("党员人数：", self.members_count), ("报到日期：", self.reported_on),
                         ("协议各方：", self.parties)):
            form.addRow(label, w)
        form.addRow("协议期限：", period)
        form.addRow("共建事项：", self.commitments)
        form.addRow("协议扫描件：", scan)
        self.error, buttons = save_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def choose_scan(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择共建协议扫描件", "",
                                              "扫描件 (*.pdf *.jpg *.jpeg *.png);;所有文件 (*)")
        if path:
            self.set_scan(Path(path))

    def set_scan(self, path: Path) -> None:
        self.scan_path = path
        self.scan_label.setText(path.name)

    def value(self) -> ResidentUnit:
        u = self.unit
        u.community_id = self.community.currentData()
        u.name, u.party_org = self.name.text(), self.party_org.text()
        u.secretary, u.liaison = self.secretary.text(), self.liaison.text()
        u.liaison_phone, u.members_count = self.liaison_phone.text(), self.members_count.value()
        u.reported_on = self.reported_on.date()
        u.agreement_parties = self.parties.text()
        u.agreement_start, u.agreement_end = self.start.date(), self.end.date()
        u.agreement_commitments = self.commitments.toPlainText()
        return u

    def save(self) -> None:
        try:
            scan = None
            if self.scan_path is not None:
                scan = (self.scan_path.name, self.scan_path.read_bytes())
            self.saved = self._ws.registrations.save_unit(self.value(), self._today, scan)
        except OSError as e:
            self.error.setText(f"协议扫描件：无法读取文件（{e.strerror or e}）")
            return
        except DomainError as e:
            self.error.setText(error_text(e))
            return
        self.accept()
