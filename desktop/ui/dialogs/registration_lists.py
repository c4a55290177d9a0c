"""Small 双报到 dialogs: a list item, a claim, a commitment, keeping it, an appraisal.

Each builds its domain object from a short form and hands it to the registrations
service when 保存 is pressed; a refusal is shown under the form, nothing is written.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ...domain.errors import DomainError
from ...domain.registration import Commitment, ListItem, ListKind, Participant, Ref
from ...domain.registration_feedback import Appraisal, AppraisalRecord, FeedbackSheet
from ..widgets.date_edit import DateEdit
from .base import RememberingDialog
from .registration_dialog import error_text, save_buttons


class _FormDialog(RememberingDialog):
    default_size = (480, 300)

    def __init__(self, workspace, title: str, rows: list[tuple[str, QWidget]], parent=None):
        super().__init__(parent, title)
        self._ws = workspace
        self.saved = None
        form = QFormLayout()
        for label, w in rows:
            form.addRow(label, w)
        self.error, buttons = save_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def work(self):
        raise NotImplementedError

    def save(self) -> None:
        try:
            self.saved = self.work()
        except DomainError as e:
            self.error.setText(error_text(e))
            return
        self.accept()


def _people_box(parent: QWidget | None, people: list[Participant]) -> QComboBox:
    box = QComboBox(parent)
    for p in people:
        box.addItem(f"{p.name}（{p.ref.kind.value}）", p.ref)
    return box


class ItemDialog(_FormDialog):
    """A new line of the community's 需求清单 / 资源清单 / 项目清单."""

    def __init__(self, workspace, community_id: int, parent=None, today: date | None = None):
        self.community_id, self.today = community_id, today or date.today()
        self.kind = QComboBox()
        for k in ListKind:
            self.kind.addItem(k.value)
        self.title_edit = QLineEdit()
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("提出需求的居民/楼院，或提供资源的单位")
        self.detail = QPlainTextEdit()
        super().__init__(workspace, "新增清单事项", [("清单：", self.kind), ("事项：", self.title_edit),
                                                ("提出方：", self.owner), ("内容：", self.detail)], parent)

    def work(self):
        return self._ws.registrations.save_item(ListItem(
            self.community_id, ListKind(self.kind.currentText()), self.title_edit.text(),
            self.detail.toPlainText(), self.owner.text(), created_on=self.today))


class ClaimDialog(_FormDialog):
    """认领: a registered member or unit takes an item on."""

    def __init__(self, workspace, item: ListItem, people: list[Participant], parent=None,
                 today: date | None = None):
        self.item = item
        self.who = _people_box(None, people)
        self.day = DateEdit()
        self.day.setDate(today or date.today())
        super().__init__(workspace, f"认领：{item.title}", [("认领人：", self.who),
                                                          ("认领日期：", self.day)], parent)

    def work(self):
        ref: Ref = self.who.currentData()
        if ref is None:
            raise DomainError("请选择认领人")
        return self._ws.registrations.claim(self.item.id, ref, self.day.date())


class CommitmentDialog(_FormDialog):
    """承诺: what a member or unit promises for the year."""

    def __init__(self, workspace, year: int, people: list[Participant], parent=None):
        self.year = year
        self.who = _people_box(None, people)
        self.content = QLineEdit()
        super().__init__(workspace, f"{year}年承诺", [("承诺人：", self.who), ("承诺内容：", self.content)],
                         parent)

    def work(self):
        ref: Ref = self.who.currentData()
        if ref is None:
            raise DomainError("请选择承诺人")
        return self._ws.registrations.save_commitment(Commitment(ref, self.year, self.content.text()))


class KeepDialog(_FormDialog):
    """践诺: the date a commitment was kept and the evidence."""

    def __init__(self, workspace, c: Commitment, parent=None, today: date | None = None):
        self.commitment = c
        self.day = DateEdit()
        self.day.setDate(today or date.today())
        self.evidence = QLineEdit(c.evidence)
        self.evidence.setPlaceholderText("践诺情况、佐证材料")
        super().__init__(workspace, f"践诺：{c.name}", [("承诺：", QLineEdit(c.content)),
                                                      ("践诺日期：", self.day),
                                                      ("践诺情况：", self.evidence)], parent)

    def work(self):
        if self.day.date() is None:
            raise DomainError("请填写践诺日期")
        return self._ws.registrations.keep(self.commitment.id, self.day.date(), self.evidence.text())


class AppraisalDialog(_FormDialog):
    """The community's appraisal of one person or unit for the period of the 反馈表."""

    def __init__(self, workspace, sheet: FeedbackSheet, year: int, quarter: int | None, parent=None):
        self.sheet, self.year, self.quarter = sheet, year, quarter
        self.grade = QComboBox()
        for a in Appraisal:
            self.grade.addItem(a.value)
        if sheet.appraisal is not None:
            self.grade.setCurrentText(sheet.appraisal.value)
        self.comment = QPlainTextEdit(sheet.comment)
        super().__init__(workspace, f"社区评价：{sheet.name}", [("评价：", self.grade),
                                                             ("评价意见：", self.comment)], parent)

    def work(self):
        a = AppraisalRecord(self.sheet.ref, self.year, self.quarter or 0,
                            Appraisal(self.grade.currentText()), self.comment.toPlainText())
        self._ws.registrations.set_appraisal(a)
        return a
