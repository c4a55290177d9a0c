"""服务记实 fast entry: one activity, many participants, saved in one go.

Pick the community, date, activity, post, hours, place and the community worker
who confirms it, then tick everyone who took part (在职党员 and 驻区单位 alike);
"全选" and a name filter make a crowd of twenty a matter of seconds. The same dialog
edits a recorded activity, and takes an optional photo.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ...domain.registration import ServicePost, ServiceRecord
from ..table_models.registration_models import ParticipantModel
from ..widgets.date_edit import DateEdit
from .base import RememberingDialog
from .registration_dialog import error_text, save_buttons


class ServiceDialog(RememberingDialog):
    default_size = (640, 620)

    def __init__(self, workspace, communities: list[tuple[int, str]], parent: QWidget | None = None,
                 today: date | None = None, record: ServiceRecord | None = None):
        super().__init__(parent, "修改服务活动" if record else "登记服务活动（多人）")
        self._ws = workspace
        self._today = today or date.today()
        self._record = record
        self.photo: tuple[str, bytes] | None = None  # a newly chosen photo: (file name, content)
        self.saved: ServiceRecord | None = None
        self.community = QComboBox(self)
        for cid, name in communities:
            self.community.addItem(name, cid)
        self.community.currentIndexChanged.connect(self.reload_people)
        self.day = DateEdit(self)
        self.day.setDate(self._today)
        self.activity = QLineEdit(self)
        self.post = QComboBox(self)
        for p in ServicePost:
            self.post.addItem(p.value, p)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(0.5, 24)
        self.hours.setSingleStep(0.5)
        self.hours.setValue(2)
        self.hours.setSuffix(" 小时")
        self.place = QLineEdit(self)
        self.confirmed_by = QLineEdit(self)
        self.confirmed_by.setPlaceholderText("确认的社区工作人员")
        form = QFormLayout()
        form.addRow("社区：", self.community)
        form.addRow("服务日期：", self.day)
        form.addRow("活动内容：", self.activity)
        form.addRow("服务岗位：", self.post)
        form.addRow("时长：", self.hours)
        form.addRow("地点：", self.place)
        form.addRow("确认人：", self.confirmed_by)
        self.photo_label = QLabel("（无）", self)
        photo_button = QPushButton("选择照片…", self)
        photo_button.clicked.connect(self.choose_photo)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_label, 1)
        photo_row.addWidget(photo_button)
        form.addRow("照片：", photo_row)

        self.people = ParticipantModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.people)
        self.proxy.setFilterKeyColumn(1)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("按姓名筛选")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        all_button = QPushButton("全选", self)
        all_button.clicked.connect(self.tick_all)
        none_button = QPushButton("全不选", self)
        none_button.clicked.connect(self.tick_none)
        self.count = QLabel("", self)
        self.people.dataChanged.connect(self._count)
        self.people.modelReset.connect(self._count)
        row = QHBoxLayout()
        for w in (self.filter, all_button, none_button, self.count):
            row.addWidget(w)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.error, buttons = save_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("参加人员（勾选）：", self))
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reload_people()
        if record is not None:
            self._fill(record)

    def _fill(self, r: ServiceRecord) -> None:
        self.community.setCurrentIndex(max(self.community.findData(r.community_id), 0))
        self.community.setEnabled(False)  # the participants are that community's
        self.day.setDate(r.day)
        self.activity.setText(r.activity)
        self.post.setCurrentIndex(max(self.post.findData(r.post), 0))
        self.hours.setValue(r.hours)
        self.place.setText(r.place)
        self.confirmed_by.setText(r.confirmed_by)
        if r.photo is not None:
            self.photo_label.setText(r.photo.file_name)
        for p in r.participants:
            self.people.ticked.add(p.ref)
        self.people.set_all_shown()

    def choose_photo(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择照片", "", "图片 (*.jpg *.jpeg *.png *.bmp)")
        if name:
            self.set_photo(Path(name))

    def set_photo(self, path: Path) -> None:
        try:
            self.photo = (path.name, path.read_bytes())
        except OSError as e:
            self.error.setText(f"照片：无法读取“{path.name}”（{e.strerror or e}）")
            return
        self.photo_label.setText(path.name)

    def reload_people(self) -> None:
        cid = self.community.currentData()
        self.people.set_rows([] if cid is None else self._ws.registrations.participants_for(cid))

    def tick_all(self) -> None:
        self.people.set_all(True)

    def tick_none(self) -> None:
        self.people.set_all(False)

    def tick(self, name: str) -> None:
        row = next(i for i, p in enumerate(self.people.rows) if p.name == name)
        self.people.setData(self.people.index(row, 0), True, Qt.ItemDataRole.CheckStateRole)

    def _count(self, *_args) -> None:
        self.count.setText(f"已选{len(self.people.ticked)}人")

    def value(self) -> ServiceRecord:
        chosen = self.people.chosen()
        r = ServiceRecord(self.community.currentData(), self.day.date() or self._today,
                          self.activity.text(), self.hours.value(), self.place.text(),
                          ServicePost(self.post.currentText()), self.confirmed_by.text(),
                          participants=chosen)
        if self._record is not None:  # keep what this dialog does not show
            hours = {p.ref: p.hours for p in self._record.participants}
            for p in chosen:
                p.hours = hours.get(p.ref)
            r.id, r.uuid, r.photo = self._record.id, self._record.uuid, self._record.photo
        return r

    def save(self) -> None:
        if self.day.date() is None:
            self.error.setText("服务日期：请填写")
            return
        try:
            self.saved = self._ws.registrations.record_service(self.value(), self._today,
                                                               photo=self.photo)
        except DomainError as e:
            self.error.setText(error_text(e))
            return
        self.accept()
