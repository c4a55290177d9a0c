"""在职党员报到 dialog: the 报到登记表, with a link to the roster instead of retyping.

Typing an ID number held by a roster member, or picking one found by name/pinyin
in 从花名册查找, links the registration: name, sex, ID number, phone and address then
come from the roster (the service fills them in when it saves).
"""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ...domain.registration import RegisteredMember, ServicePost
from ...domain.roster_view import RosterFilter
from ..errors import errors_by_field, show_error
from ..widgets.date_edit import DateEdit
from .base import RememberingDialog, ok_cancel

ROSTER_HITS = 20


class RegistrationDialog(RememberingDialog):
    default_size = (620, 640)

    def __init__(self, workspace, communities: list[tuple[int, str]],
                 reg: RegisteredMember | None = None, parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(parent, "在职党员报到登记" if reg is None or reg.id is None else "修改报到登记")
        self._ws = workspace
        self._today = today or date.today()
        self.reg = reg or RegisteredMember(communities[0][0] if communities else None, "",
                                           reported_on=self._today)
        self.saved: RegisteredMember | None = None
        self.linked_id: int | None = self.reg.member_id

        self.community = QComboBox(self)
        for cid, name in communities:
            self.community.addItem(name, cid)
        self.roster_search = QLineEdit(self)
        self.roster_search.setPlaceholderText("姓名、拼音首字母或身份证号")
        self.roster_search.returnPressed.connect(self.search_roster)
        self.roster_hits = QComboBox(self)
        self.roster_hits.setMinimumWidth(200)
        find = QPushButton("查找", self)
        find.clicked.connect(self.search_roster)
        link = QPushButton("关联此人", self)
        link.clicked.connect(self.link_selected)
        self.link_label = QLabel("", self)
        self.link_label.setStyleSheet("color: #1e7b34;")
        roster_row = QHBoxLayout()
        for w in (self.roster_search, find, self.roster_hits, link):
            roster_row.addWidget(w)

        self.name = QLineEdit(self)
        self.sex = QComboBox(self)
        self.sex.addItems(["", "男", "女"])
        self.phone = QLineEdit(self)
        self.id_number = QLineEdit(self)
        self.id_number.setPlaceholderText("可不填；填写时校验")
        self.id_number.editingFinished.connect(self.check_roster_match)
        self.employer = QLineEdit(self)
        self.employer_org = QLineEdit(self)
        self.employer_contact = QLineEdit(self)
        self.employer_contact.setPlaceholderText("联系人及电话（回执、反馈表寄送对象）")
        self.address = QLineEdit(self)
        self.grid = QLineEdit(self)
        self.skills = QLineEdit(self)
        self.reported_on = DateEdit(self)
        self.posts: dict[ServicePost, QCheckBox] = {p: QCheckBox(p.value, self) for p in ServicePost}
        posts = QGridLayout()
        for i, box in enumerate(self.posts.values()):
            posts.addWidget(box, i // 4, i % 4)

        form = QFormLayout()
        form.addRow("报到社区：", self.community)
        form.addRow("从花名册查找：", roster_row)
        form.addRow("", self.link_label)
        form.addRow("姓名：", self.name)
        form.addRow("性别：", self.sex)
        form.addRow("联系电话：", self.phone)
        form.addRow("公民身份号码：", self.id_number)
        form.addRow("工作单位：", self.employer)
        form.addRow("所在党组织：", self.employer_org)
        form.addRow("党组织联系人：", self.employer_contact)
        form.addRow("家庭住址：", self.address)
        form.addRow("所在网格：", self.grid)
        form.addRow("特长：", self.skills)
        form.addRow("服务岗位意向：", posts)
        form.addRow("报到日期：", self.reported_on)
        self.error, buttons = save_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._load(self.reg)

    def _load(self, r: RegisteredMember) -> None:
        i = self.community.findData(r.community_id)
        self.community.setCurrentIndex(max(i, 0))
        self.name.setText(r.name)
        self.sex.setCurrentText(r.sex)
        self.phone.setText(r.phone)
        self.id_number.setText(r.id_number)
        self.employer.setText(r.employer)
        self.employer_org.setText(r.employer_org)
        self.employer_contact.setText(r.employer_contact)
        self.address.setText(r.address)
        self.grid.setText(r.grid)
        self.skills.setText(r.skills)
        self.reported_on.setDate(r.reported_on)
        for p, box in self.posts.items():
            box.setChecked(p in r.posts)
        self._show_link()

    def _show_link(self) -> None:
        linked = self.linked_id is not None
        self.link_label.setText(f"已关联花名册党员：{self.name.text()}（姓名、身份证号等取自花名册）"
                                if linked else "")
        for w in (self.name, self.sex, self.id_number):
            w.setEnabled(not linked)

    # --- the roster link -------------------------------------------------------------------
    def search_roster(self) -> None:
        text = self.roster_search.text().strip()
        self.roster_hits.clear()
        if not text:
            return
        try:
            ids = self._ws.roster.ordered_ids(RosterFilter(text=text))[:ROSTER_HITS]
            rows = self._ws.roster.fetch_rows(ids, ["name", "org_name", "sex"])
        except DomainError as e:
            show_error(self, e)
            return
        for mid in ids:
            name, org, sex = rows[mid]
            self.roster_hits.addItem(f"{name}（{sex}，{org}）", mid)
        if not ids:
            self.roster_hits.addItem("花名册中没有找到", None)

    def link_selected(self) -> None:
        mid = self.roster_hits.currentData()
        if mid is not None:
            self.link(mid)

    def link(self, member_id: int) -> None:
        """Take name, sex, ID number, phone and address from the roster member."""
        try:
            r = self._ws.registrations.from_roster(member_id, self.community.currentData())
        except DomainError as e:
            show_error(self, e)
            return
        self.linked_id = member_id
        self.name.setText(r.name)
        self.sex.setCurrentText(r.sex)
        self.id_number.setText(r.id_number)
        self.phone.setText(self.phone.text() or r.phone)
        self.address.setText(self.address.text() or r.address)
        self._show_link()

    def check_roster_match(self) -> None:
        if self.linked_id is not None:
            return
        hit = self._ws.registrations.roster_match(self.id_number.text())
        if hit is not None:
            self.link(hit[0])

    # --- saving ----------------------------------------------------------------------------
    def value(self) -> RegisteredMember:
        r = self.reg
        r.community_id = self.community.currentData()
        r.member_id = self.linked_id
        r.name, r.sex, r.phone = self.name.text(), self.sex.currentText(), self.phone.text()
        r.id_number = self.id_number.text()
        r.employer, r.employer_org = self.employer.text(), self.employer_org.text()
        r.employer_contact, r.address = self.employer_contact.text(), self.address.text()
        r.grid, r.skills = self.grid.text(), self.skills.text()
        r.reported_on = self.reported_on.date()
        r.posts = [p for p, box in self.posts.items() if box.isChecked()]
        return r

    def save(self) -> None:
        try:
            self.saved = self._ws.registrations.register(self.value(), self._today)
        except DomainError as e:
            self.error.setText(error_text(e))
            return
        self.accept()


def save_buttons(dlg) -> tuple[QLabel, QDialogButtonBox]:
    """The red message line under a form and 保存/取消 wired to dlg.save / dlg.reject."""
    error = QLabel("", dlg)
    error.setWordWrap(True)
    error.setStyleSheet("color: #b02a1f;")
    return error, ok_cancel(dlg, dlg.save, "保存")


def error_text(e: DomainError) -> str:
    """Every field's message on one line, for the label under a form."""
    return "；".join(f"{k}：{v}" if k else v for k, v in errors_by_field(e).items())
