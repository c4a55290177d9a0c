"""双报到: registered in-service members and resident units, their service records,
the community's lists, who falls short of the quotas, and the 反馈表 for employers.

The main window hosts it as a tab: `RegistrationsPage(workspace, parent)`; `set_org`
narrows it to the community of the organisation picked in the tree (None: all).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox,
                               QTableView, QTabWidget, QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ...domain.masking import privacy_note
from ...domain.registration import Ref
from ...domain.registration_feedback import feedback_file_stem
from ..errors import confirm, inform, show_error
from ..table_models.registration_models import (ColumnsModel, CommitmentModel, FeedbackSheetModel,
                                                ItemModel, RegisteredMemberModel, ServiceModel,
                                                ShortfallModel, UnitModel)
from ..tasks import run_task

QUARTERS = ["全年", "第一季度", "第二季度", "第三季度", "第四季度"]
ALL_EMPLOYERS = "（全部工作单位，每单位一份）"


def _table(parent: QWidget, model: ColumnsModel) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setDefaultSectionSize(24)
    return view


def _buttons(parent: QWidget, *specs) -> QHBoxLayout:
    row = QHBoxLayout()
    for text, slot in specs:
        b = QPushButton(text, parent)
        b.clicked.connect(slot)
        row.addWidget(b)
    row.addStretch(1)
    return row


class RegistrationsPage(QWidget):
    def __init__(self, workspace, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._today = today or date.today()
        self.org_id: int | None = None
        self.community_id: int | None = None
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._members_tab(), "在职党员")
        self.tabs.addTab(self._units_tab(), "驻区单位")
        self.tabs.addTab(self._services_tab(), "服务记实")
        self.tabs.addTab(self._items_tab(), "需求/资源/项目清单")
        self.tabs.addTab(self._commitments_tab(), "承诺践诺")
        self.tabs.addTab(self._shortfall_tab(), "未达标提醒")
        self.tabs.addTab(self._feedback_tab(), "反馈（双报告）")
        self.scope = QLabel("", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scope)
        layout.addWidget(self.tabs)
        self.reload()

    # --- scope ------------------------------------------------------------------------------
    def set_org(self, org_id: int | None) -> None:
        self.org_id = org_id
        self.reload()

    def communities(self) -> list[tuple[int, str]]:
        return self._ws.registrations.communities(self.org_id)

    def reload(self) -> None:
        rs = self._ws.registrations
        comms = self.communities()
        self.community_id = comms[0][0] if len(comms) == 1 else None
        ids = {c for c, _ in comms}
        self.scope.setText(f"社区：{comms[0][1]}" if len(comms) == 1 else
                           f"全部社区（{len(comms)}个）" if comms else "尚未建立社区党组织")
        try:
            self.members.set_rows([r for r in rs.members() if r.community_id in ids])
            self.units.set_rows([u for u in rs.units() if u.community_id in ids])
            self.services.set_rows([s for s in rs.services(self.year.value())
                                    if s.community_id in ids])
            self.items.set_rows([i for i in rs.items() if i.community_id in ids])
            mine = {r.ref for r in self.members.rows} | {u.ref for u in self.units.rows}
            self.commitments.set_rows([c for c in rs.commitments(self.year.value()) if c.ref in mine])
            self.reload_shortfalls()
            for view in (self.members_view, self.units_view, self.items_view, self.shortfalls_view,
                         self.commitments_view):
                view.resizeColumnsToContents()  # tens of rows a community
            self._fill_employers()
            self.reload_sheets()
        except DomainError as e:
            show_error(self, e)

    # --- 在职党员 ------------------------------------------------------------------------------
    def _members_tab(self) -> QWidget:
        page = QWidget(self)
        self.members = RegisteredMemberModel(parent=page)
        self.members_view = _table(page, self.members)
        self.members_view.doubleClicked.connect(self.edit_member)
        layout = QVBoxLayout(page)
        layout.addLayout(_buttons(page, ("报到登记…", self.new_member), ("修改…", self.edit_member),
                                  ("删除", self.delete_member), ("打印报到单及回执…", self.print_form),
                                  ("导入报到名单…", self.import_list)))
        layout.addWidget(self.members_view)
        return page

    def _selected(self, view: QTableView, model: ColumnsModel):
        rows = view.selectionModel().selectedRows()
        return model.row(rows[0]) if rows else None

    def _member_dialog(self, reg=None):
        from ..dialogs.registration_dialog import RegistrationDialog

        return RegistrationDialog(self._ws, self.communities(), reg, self, self._today)

    def new_member(self) -> None:
        if not self.communities():
            inform(self, "请先在组织树中建立社区党组织")
            return
        self._run(self._member_dialog())

    def import_list(self) -> None:
        from ..dialogs.registration_import import RegistrationImportDialog

        if not self.communities():
            inform(self, "请先在组织树中建立社区党组织")
            return
        self._run(RegistrationImportDialog(self._ws, self.communities(), self, self._today))

    def edit_member(self, *_args) -> None:
        reg = self._selected(self.members_view, self.members)
        if reg is None:
            inform(self, "请先选择一名报到党员")
            return
        self._run(self._member_dialog(self._ws.registrations.get(reg.id)))

    def _run(self, dlg) -> None:
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def _selected_ref(self) -> Ref | None:
        if self.tabs.currentIndex() == 1:
            u = self._selected(self.units_view, self.units)
            return u.ref if u else None
        r = self._selected(self.members_view, self.members)
        return r.ref if r else None

    def delete_member(self) -> None:
        ref = self._selected_ref()
        if ref is None:
            inform(self, "请先选择要删除的报到登记")
            return
        if not confirm(self, "删除这条报到登记及其认领、承诺和服务记录？此操作不能撤销。"):
            return
        try:
            self._ws.registrations.remove(ref)
        except DomainError as e:
            show_error(self, e)
        self.reload()

    def print_form(self) -> None:
        ref = self._selected_ref()
        if ref is None:
            inform(self, "请先选择一条报到登记")
            return
        import tempfile

        target = Path(tempfile.mkdtemp(prefix="dangjian-")) / "报到单.pdf"
        masked = not self.full_ids.isChecked()
        self._task = run_task(self, "报到单", _FormWork(self._ws, target, ref, masked, self._today),
                              on_done=_Preview(self, target, "报到单及回执"),
                              on_failed=self._failed)

    def _failed(self, e: BaseException) -> None:
        show_error(self, e)

    # --- 驻区单位 -------------------------------------------------------------------------------
    def _units_tab(self) -> QWidget:
        page = QWidget(self)
        self.units = UnitModel(parent=page)
        self.units_view = _table(page, self.units)
        self.units_view.doubleClicked.connect(self.edit_unit)
        layout = QVBoxLayout(page)
        layout.addLayout(_buttons(page, ("单位报到…", self.new_unit), ("修改…", self.edit_unit),
                                  ("删除", self.delete_member), ("打印报到单及回执…", self.print_form)))
        layout.addWidget(self.units_view)
        return page

    def new_unit(self, *_args, unit=None) -> None:
        from ..dialogs.registration_unit import UnitDialog

        if not self.communities():
            inform(self, "请先在组织树中建立社区党组织")
            return
        self._run(UnitDialog(self._ws, self.communities(), unit, self, self._today))

    def edit_unit(self, *_args) -> None:
        u = self._selected(self.units_view, self.units)
        if u is None:
            inform(self, "请先选择一个驻区单位")
            return
        self.new_unit(unit=self._ws.registrations.unit(u.id))

    # --- 服务记实 -----------------------------------------------------------------------------
    def _services_tab(self) -> QWidget:
        page = QWidget(self)
        self.year = QSpinBox(page)
        self.year.setRange(2000, 2100)
        self.year.setValue(self._today.year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(self._year_changed)
        self.services = ServiceModel(parent=page)
        self.services_view = _table(page, self.services)
        self.services_view.doubleClicked.connect(self.edit_service)
        row = _buttons(page, ("登记服务活动（多人）…", self.new_service), ("修改…", self.edit_service),
                       ("删除", self.delete_service))
        row.insertWidget(0, self.year)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.services_view)
        return page

    def _year_changed(self, _value: int) -> None:
        self.reload()

    def service_dialog(self, record=None):
        from ..dialogs.registration_service import ServiceDialog

        return ServiceDialog(self._ws, self.communities(), self, self._today, record)

    def edit_service(self, *_args) -> None:
        s = self._selected(self.services_view, self.services)
        if s is None:
            inform(self, "请先选择一次服务活动")
            return
        self._run(self.service_dialog(s))

    def new_service(self) -> None:
        if not self.communities():
            inform(self, "请先在组织树中建立社区党组织")
            return
        self._run(self.service_dialog())

    def delete_service(self) -> None:
        s = self._selected(self.services_view, self.services)
        if s is None:
            inform(self, "请先选择一次服务活动")
            return
        if confirm(self, f"删除{s.day.isoformat()}“{s.activity}”及其{len(s.participants)}名参加人员的记录？"):
            self._ws.registrations.remove_service(s.id)
            self.reload()

    # --- 清单 -----------------------------------------------------------------------------------
    def _items_tab(self) -> QWidget:
        page = QWidget(self)
        self.items = ItemModel(parent=page)
        self.items_view = _table(page, self.items)
        layout = QVBoxLayout(page)
        layout.addLayout(_buttons(page, ("新增事项…", self.new_item), ("认领…", self.claim_item),
                                  ("标记完成", self.finish_item)))
        layout.addWidget(QLabel("社区的需求清单、资源清单和项目清单；在职党员和驻区单位认领后显示认领人。", page))
        layout.addWidget(self.items_view)
        return page

    def _one_community(self) -> int | None:
        if self.community_id is None:
            inform(self, "请先在组织树中选择一个社区")
        return self.community_id

    def new_item(self) -> None:
        from ..dialogs.registration_lists import ItemDialog

        if self._one_community() is not None:
            self._run(ItemDialog(self._ws, self.community_id, self, self._today))

    def claim_item(self) -> None:
        from ..dialogs.registration_lists import ClaimDialog

        item = self._selected(self.items_view, self.items)
        if item is None:
            inform(self, "请先选择一个清单事项")
            return
        people = self._ws.registrations.participants_for(item.community_id)
        self._run(ClaimDialog(self._ws, item, people, self, self._today))

    def finish_item(self) -> None:
        item = self._selected(self.items_view, self.items)
        if item is None:
            inform(self, "请先选择一个清单事项")
            return
        if confirm(self, f"把“{item.title}”标记为已完成？"):
            self._ws.registrations.finish_item(item.id)
            self.reload()

    # --- 承诺践诺 -------------------------------------------------------------------------------
    def _commitments_tab(self) -> QWidget:
        page = QWidget(self)
        self.commitments = CommitmentModel(parent=page)
        self.commitments_view = _table(page, self.commitments)
        layout = QVBoxLayout(page)
        layout.addLayout(_buttons(page, ("新增承诺…", self.new_commitment),
                                  ("标记已践诺…", self.keep_commitment)))
        layout.addWidget(self.commitments_view)
        return page

    def new_commitment(self) -> None:
        from ..dialogs.registration_lists import CommitmentDialog

        if self._one_community() is not None:
            people = self._ws.registrations.participants_for(self.community_id)
            self._run(CommitmentDialog(self._ws, self.year.value(), people, self))

    def keep_commitment(self) -> None:
        from ..dialogs.registration_lists import KeepDialog

        c = self._selected(self.commitments_view, self.commitments)
        if c is None:
            inform(self, "请先选择一项承诺")
            return
        self._run(KeepDialog(self._ws, c, self, self._today))

    # --- 未达标 ---------------------------------------------------------------------------------
    def _shortfall_tab(self) -> QWidget:
        page = QWidget(self)
        self.quota_label = QLabel("", page)
        self.shortfalls = ShortfallModel(parent=page)
        self.shortfalls_view = _table(page, self.shortfalls)
        self.open_label = QLabel("", page)
        self.open_label.setWordWrap(True)
        row = _buttons(page, ("指标设置…", self.edit_quotas))
        row.insertWidget(0, self.quota_label, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.shortfalls_view, 1)
        layout.addWidget(self.open_label)
        return page

    def reload_shortfalls(self) -> None:
        rs = self._ws.registrations
        comms = self.communities()
        ids = {c for c, _ in comms}
        report = rs.shortfalls(self._today)
        self.quota_label.setText(f"指标：{rs.quotas().text}")
        mine = {r.ref for r in self.members.rows} | {u.ref for u in self.units.rows}
        self.shortfalls.set_rows([s for s in report.quarter + report.year if s.ref in mine]
                                 if ids else [])
        open_c = [c for c in report.open_commitments if c.ref in mine]
        self.open_label.setText(f"{report.year_label}尚未践诺的承诺{len(open_c)}项："
                                + "；".join(f"{c.name}：{c.content}" for c in open_c[:20])
                                + ("……" if len(open_c) > 20 else "") if open_c else
                                f"{report.year_label}的承诺均已践诺")

    def edit_quotas(self) -> None:
        from ..dialogs.registration_quotas import QuotaDialog

        dlg = QuotaDialog(self._ws.registrations.quotas(), self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            try:
                self._ws.registrations.set_quotas(dlg.value())
            except DomainError as e:
                show_error(self, e)
            self.reload_shortfalls()

    # --- 反馈 -------------------------------------------------------------------------------------
    def _feedback_tab(self) -> QWidget:
        page = QWidget(self)
        self.fb_year = QSpinBox(page)
        self.fb_year.setRange(2000, 2100)
        self.fb_year.setValue(self._today.year)
        self.fb_quarter = QComboBox(page)
        self.fb_quarter.addItems(QUARTERS)
        self.employer = QComboBox(page)
        self.full_ids = QCheckBox("包含完整身份证号和电话（默认隐去部分数字，对外提供时请勿勾选）", page)
        form = QFormLayout()
        form.addRow("年度：", self.fb_year)
        form.addRow("期间：", self.fb_quarter)
        form.addRow("工作单位：", self.employer)
        form.addRow("", self.full_ids)
        self.sheets = FeedbackSheetModel(parent=page)
        self.sheets_view = _table(page, self.sheets)
        self.sheets_view.doubleClicked.connect(self.appraise)
        for signal in (self.fb_year.valueChanged, self.fb_quarter.currentIndexChanged,
                       self.employer.currentIndexChanged):
            signal.connect(self.reload_sheets)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(_buttons(page, ("社区评价…", self.appraise), ("打印反馈表…", self.print_feedback),
                                  ("导出汇总表（.xlsx）…", self.export_overview)))
        layout.addWidget(self.sheets_view, 1)
        return page

    def reload_sheets(self, *_args) -> None:
        year, quarter, employer, _masked = self.feedback_choice()
        mine = {r.ref for r in self.members.rows} | {u.ref for u in self.units.rows}
        sheets = self._ws.registrations.feedback_sheets(year, quarter, employer, masked=True)
        self.sheets.set_rows([s for s in sheets if s.ref in mine])

    def appraise(self, *_args) -> None:
        from ..dialogs.registration_lists import AppraisalDialog

        sheet = self._selected(self.sheets_view, self.sheets)
        if sheet is None:
            inform(self, "请先在下表中选择一人（单位）")
            return
        year, quarter, _employer, _masked = self.feedback_choice()
        if AppraisalDialog(self._ws, sheet, year, quarter, self).exec() == QDialog.DialogCode.Accepted:
            self.reload_sheets()

    def _fill_employers(self) -> None:
        current = self.employer.currentText()
        self.employer.clear()
        self.employer.addItem(ALL_EMPLOYERS, None)
        for name in self._ws.registrations.employers():
            self.employer.addItem(name, name)
        i = self.employer.findText(current)
        self.employer.setCurrentIndex(max(i, 0))

    def feedback_choice(self) -> tuple[int, int | None, str | None, bool]:
        return (self.fb_year.value(), self.fb_quarter.currentIndex() or None,
                self.employer.currentData(), not self.full_ids.isChecked())

    def print_feedback(self) -> None:
        year, quarter, employer, masked = self.feedback_choice()
        name = feedback_file_stem(employer or "全部工作单位", year, quarter) + ".pdf"
        path, _ = QFileDialog.getSaveFileName(self, "保存反馈表", name, "PDF 文件 (*.pdf)")
        if path:
            self.write_feedback(Path(path), year, quarter, employer, masked)

    def write_feedback(self, path: Path, year: int, quarter: int | None, employer: str | None,
                       masked: bool):
        """反馈表 PDF in the background; tells the clerk where it went."""
        self._task = run_task(self, "反馈表", _FeedbackWork(self._ws, path, year, quarter, employer,
                                                          masked, self._today),
                              on_done=_Told(self, f"已导出反馈表（{privacy_note(masked)}）：\n{path}"),
                              on_failed=self._failed)
        return self._task

    def export_overview(self) -> None:
        year, quarter, _employer, masked = self.feedback_choice()
        path, _ = QFileDialog.getSaveFileName(self, "导出双报到汇总表", f"{year}年双报到情况汇总.xlsx",
                                              "Excel 工作簿 (*.xlsx)")
        if not path:
            return
        try:
            self._ws.registrations.export_overview(path, year, quarter, masked, self._today)
        except (DomainError, OSError) as e:
            show_error(self, e)
            return
        inform(self, f"已导出双报到汇总表（{privacy_note(masked)}）：\n{path}")


class _FeedbackWork:
    """The background job of write_feedback (a callable object, not a lambda)."""

    def __init__(self, ws, path, year, quarter, employer, masked, today):
        self.args = (ws, path, year, quarter, employer, masked, today)

    def __call__(self, progress, cancel):
        ws, path, year, quarter, employer, masked, today = self.args
        return ws.registrations.export_feedback(path, year, quarter, employer, masked, today,
                                                progress=progress, cancel=cancel)


class _FormWork:
    def __init__(self, ws, path, ref, masked, today):
        self.args = (ws, path, ref, masked, today)

    def __call__(self, progress, cancel):
        ws, path, ref, masked, today = self.args
        return ws.registrations.export_form(path, ref, masked, today)


class _Told:
    def __init__(self, parent: QWidget, text: str):
        self.parent, self.text = parent, text

    def __call__(self, _result) -> None:
        inform(self.parent, self.text)


class _Preview:
    def __init__(self, parent: QWidget, path: Path, title: str):
        self.parent, self.path, self.title = parent, path, title

    def __call__(self, _result) -> None:
        from ..dialogs.pdf_preview import preview_pdf

        preview_pdf(self.parent, self.path, self.title)
