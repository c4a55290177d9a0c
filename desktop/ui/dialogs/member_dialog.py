"""Add, edit or view one party member (花名册 record), with the member's history.

The dialog only gathers what the clerk typed: every rule is checked by
RosterService.check / add / update, and each FieldError is shown in red under
the field it names. Nothing is saved while anything is wrong, and the dialog
keeps everything typed.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QScrollArea, QTabWidget, QVBoxLayout, QWidget)

from ...domain.classification import CLASSIFICATIONS
from ...domain.dates import format_date
from ...domain.education import EDUCATIONS
from ...domain.errors import DomainError, FieldError, ValidationErrors
from ...domain.ethnicity import ETHNICITIES, normalize_ethnicity
from ...domain.idcard import parse_id_number
from ...domain.job_post import JOB_POSTS
from ...domain.member import SEXES, Category, Member, PartyStanding, Status
from ...domain.member_event import LEAVING_EVENTS, MOVED_ON, MemberEvent
from ...domain.organization import MEMBER_HOLDING_KINDS, CommitteeRole, OrgKind, OrgNode
from ...services.workspace import Workspace
from ..errors import confirm, errors_by_field
from ..widgets.date_edit import DateEdit
from ..widgets.field_form import (ERROR_COLOR, CheckListPicker, FieldForm, FieldRow, TreeComboBox,
                                  combo_box, hbox, line_edit, select_text, show_errors, small_button)
from .base import RememberingDialog
from .member_history import MemberHistoryView
from .probation_actions import ActionDialog, confirm_dialog, extend_dialog

ORG = "所在党支部"  # the field name the roster rules report organisation errors under
NO_GROUP = "（不分党小组）"
_LEFT_VERB = {Status.TRANSFERRED_OUT: "转出", Status.SUSPENDED: "停止党籍",
              Status.EXPELLED: "出党", Status.DECEASED: "去世"}
_PARTY_POSTS = [f"支部{r.value}" for r in CommitteeRole if r is not CommitteeRole.GROUP_LEADER] + ["党小组长"]


class MemberDialog(RememberingDialog):
    """New member (member_id None) or an existing one.

    Accepted means the database changed: the record was saved, or a 转正 / 延长预备期
    was recorded from here; `saved_id` is then the member's id.
    """

    default_size = (1000, 680)

    def __init__(self, workspace: Workspace, member_id: int | None = None,
                 default_org_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent, "新增党员")
        self._ws = workspace
        self._roster = workspace.roster
        self.saved_id: int | None = None
        self._base: Member | None = workspace.roster.get(member_id) if member_id else None
        self._read_only = self._base is not None and self._base.status is not Status.ACTIVE
        self.rows: dict[str, FieldRow] = {}
        self._inputs: list[QWidget] = []  # every input, in the order the eye reads them
        self.action_dialog: ActionDialog | None = None
        self._load_organizations()
        self._build()
        self._load(self._base, default_org_id)
        self._placement_changed()
        self._baseline = self._state()

    # --- building -----------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#fdf2e9; color:#8a4b0f; border:1px solid #f0c8a0;"
                                  " border-radius:3px; padding:6px 10px; font-weight:bold;")
        self.banner.hide()
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setHorizontalSpacing(12)
        grid.addWidget(self._basic_group(), 0, 0)
        grid.addWidget(self._party_group(), 0, 1)
        grid.addWidget(self._status_group(), 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(page)
        self.tabs.addTab(self.scroll, "党员信息")
        if self._base is not None:
            self.tabs.addTab(self._history_page(), "历史")
        self.general_error = QLabel(self)
        self.general_error.setWordWrap(True)
        self.general_error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.general_error.hide()
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setToolTip("保存（Ctrl+S）")
        self.save_button.setDefault(True)
        self.cancel_button = buttons.addButton("关闭" if self._read_only else "取消",
                                               QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.setVisible(not self._read_only)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, activated=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        chain = [w.focusProxy() or w for w in self._inputs + [self.save_button, self.cancel_button]]
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _row(self, form: FieldForm, key: str, widget: QWidget, *, label: str | None = None,
             required: bool = False, inputs: list[QWidget] | None = None) -> QWidget:
        self.rows[key] = form.add_row(key, widget, label=label, required=required)
        self._inputs.extend(inputs if inputs is not None else [widget])
        if isinstance(widget, DateEdit):
            widget.errorChanged.connect(self.rows[key].set_error)
        return widget

    def _basic_group(self) -> QGroupBox:
        box, form = _group("基本信息")
        self.name_edit = self._row(form, "姓名", line_edit(40), required=True)
        self.id_edit = self._row(form, "公民身份号码", line_edit(22, "18位，末位可为X"), required=True)
        self.id_edit.editingFinished.connect(self._id_finished)
        self.sex_combo = self._row(form, "性别", combo_box([""] + list(SEXES)))
        self.ethnicity_combo = self._row(form, "民族", combo_box(ETHNICITIES))
        self.ethnicity_combo.setEditable(True)
        self.ethnicity_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(list(ETHNICITIES), self.ethnicity_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.ethnicity_combo.setCompleter(completer)
        self.birth_edit = self._row(form, "出生日期", DateEdit())
        self.education_combo = self._row(form, "学历", combo_box([""] + list(EDUCATIONS)))
        self.mobile_edit = self._row(form, "手机号码", line_edit(20, "11位手机号"))
        self.phone_edit = self._row(form, "固定电话", line_edit(30, "如 010-12345678"))
        self.address_edit = self._row(form, "家庭住址", line_edit(200))
        form.add_stretch()
        return box

    def _party_group(self) -> QGroupBox:
        box, form = _group("党员信息")
        self.org_combo = self._row(form, ORG, TreeComboBox(), label="所在党组织", required=True)
        self.org_combo.setPlaceholderText("请选择所在党组织")
        for node, depth, path in self._org_rows:
            self.org_combo.add_node(node.name, node.id, depth, path)
        self.org_combo.currentIndexChanged.connect(self._org_changed)
        self.group_combo = self._row(form, "党小组", QComboBox())
        self.group_combo.currentIndexChanged.connect(self._placement_changed)
        self.moved_edit = self._row(form, MOVED_ON, DateEdit())  # shown once the place changes
        self.moved_edit.setDate(date.today())
        self.category_combo = self._row(form, "人员类别", combo_box([c.value for c in Category]))
        self.category_combo.currentIndexChanged.connect(self._category_changed)
        self.probation_label = QLabel()
        self.confirm_button = small_button("转正…", self.open_confirm)
        self.extend_button = small_button("延长预备期…", self.open_extend)
        probation = hbox(self.probation_label, 1, self.confirm_button, self.extend_button)
        self._row(form, "预备期", probation, inputs=[self.confirm_button, self.extend_button])
        self.joined_edit = self._row(form, "加入党组织日期", DateEdit(), required=True)
        self.confirmed_edit = self._row(form, "转为正式党员日期", DateEdit())
        self.post_edit = self._row(form, "党内职务", line_edit(30, "如 支部书记"))
        self.post_edit.setCompleter(QCompleter(_PARTY_POSTS, self.post_edit))
        self.class_combo = self._row(form, "社区党员分类", combo_box([""] + list(CLASSIFICATIONS)))
        self.job_combo = self._row(form, "工作岗位", TreeComboBox())
        self.job_combo.add_node("", "", 0, "")
        paths: list[str] = []
        for _, name, depth in JOB_POSTS:
            paths[depth:] = [name]
            self.job_combo.add_node(name, name, depth, " / ".join(paths))
        self.extra_picker = self._row(form, "参加其他组织生活",
                                      CheckListPicker(title="参加其他组织生活", empty_text="无"))
        self.extra_picker.set_choices((n.id, n.name, d, p) for n, d, p in self._org_rows
                                      if n.kind is not OrgKind.GROUP)
        form.add_stretch()
        return box

    def _status_group(self) -> QGroupBox:
        box = QGroupBox("状态")
        left, right = FieldForm(), FieldForm()
        self.standing_combo = self._row(left, "党籍状态", combo_box([s.value for s in PartyStanding]))
        self.lost_check = self._row(left, "是否失联", QCheckBox("是"))
        self.lost_date_edit = self._row(left, "失去联系日期", DateEdit())
        self.mobile_check = self._row(right, "是否流动党员", QCheckBox("是"))
        self.outflow_edit = self._row(right, "外出流向", line_edit(100, "如 广东省深圳市"))
        self.remarks_edit = self._row(right, "备注", line_edit(2000))
        self.lost_check.toggled.connect(self.lost_date_edit.setEnabled)
        self.mobile_check.toggled.connect(self.outflow_edit.setEnabled)
        layout = QHBoxLayout(box)
        layout.addWidget(left, 1)
        layout.addWidget(right, 1)
        return box

    def _history_page(self) -> QWidget:
        self.history = MemberHistoryView(self._org_names, self._org_parent)
        page = QWidget()
        QVBoxLayout(page).addWidget(self.history)
        return page

    # --- loading ------------------------------------------------------------------
    def _load_organizations(self) -> None:
        """Tree rows (node, depth, full path) of the organisations a member can sit in."""
        self._org_rows: list[tuple[OrgNode, int, str]] = []
        self._org_names: dict[int, str] = {}
        self._org_kind: dict[int, OrgKind] = {}
        self._org_parent: dict[int, int | None] = {}
        keep = set()
        if self._base is not None:
            keep = {self._base.org_id, self._base.group_id, *self._base.extra_org_ids}

        def walk(node: OrgNode, depth: int, path: list[str]) -> None:
            self._org_names[node.id] = node.name
            self._org_kind[node.id] = node.kind
            self._org_parent[node.id] = node.parent_id
            here = path if node.kind is OrgKind.STREET else path + [node.name]
            listed = node.kind in MEMBER_HOLDING_KINDS or node.kind is OrgKind.GROUP
            if listed and (node.dissolved is None or node.id in keep):
                shown = replace(node, name=node.name + ("（已撤销）" if node.dissolved else ""),
                                children=[])
                self._org_rows.append((shown, depth, " / ".join(here)))
            for child in node.children:
                walk(child, depth if node.kind is OrgKind.STREET else depth + 1, here)

        for root in self._ws.orgs.tree(include_dissolved=True):
            walk(root, 0, [])

    def _load(self, m: Member | None, default_org_id: int | None) -> None:
        if m is None:
            self.ethnicity_combo.setCurrentText(Member.ethnicity)
            org = default_org_id if self._org_kind.get(default_org_id) in (*MEMBER_HOLDING_KINDS, OrgKind.GROUP) else None
            self.org_combo.set_value(org)
            self._org_changed()
            self._category_changed()
            self.lost_date_edit.setEnabled(False)
            self.outflow_edit.setEnabled(False)
            return
        self.setWindowTitle(f"党员信息 — {m.name}")
        self.name_edit.setText(m.name)
        self.id_edit.setText(m.id_number)
        select_text(self.sex_combo, m.sex)
        self.ethnicity_combo.setCurrentText(m.ethnicity)
        self.birth_edit.setDate(m.birth_date)
        select_text(self.education_combo, m.education)
        self.mobile_edit.setText(m.mobile)
        self.phone_edit.setText(m.phone)
        self.address_edit.setText(m.address)
        self.org_combo.set_value(m.org_id)
        self._org_changed()
        i = self.group_combo.findData(m.group_id)
        self.group_combo.setCurrentIndex(max(i, 0))
        select_text(self.category_combo, Category(m.category).value)
        self.joined_edit.setDate(m.joined)
        self.confirmed_edit.setDate(m.confirmed)
        self.post_edit.setText(m.party_post)
        select_text(self.class_combo, m.classification)
        if not self.job_combo.set_value(m.job):
            self.job_combo.add_node(m.job, m.job, 0, m.job)
            self.job_combo.set_value(m.job)
        self.extra_picker.set_values(m.extra_org_ids)
        select_text(self.standing_combo, PartyStanding(m.standing).value)
        self.lost_check.setChecked(m.lost_contact)
        self.lost_date_edit.setDate(m.lost_contact_date)
        self.lost_date_edit.setEnabled(m.lost_contact)
        self.mobile_check.setChecked(m.is_mobile)
        self.outflow_edit.setText(m.outflow)
        self.outflow_edit.setEnabled(m.is_mobile)
        self.remarks_edit.setText(m.remarks)
        self._category_changed()
        events = self._roster.events(m.id)
        self._show_history(events)
        if self._read_only:
            self._make_read_only(m, events)

    def _show_history(self, events: list[MemberEvent]) -> None:
        self.history.set_history(events, self._roster.group_changes(self._base.id))

    def _make_read_only(self, m: Member, events: list[MemberEvent]) -> None:
        leaving = [e for e in events if e.kind in LEAVING_EVENTS]
        last = leaving[-1] if leaving else None
        verb = last.kind.value if last else _LEFT_VERB.get(m.status, m.status.value)
        when = format_date(m.left_date or (last.date if last else None))
        detail = f"（{last.detail}）" if last and last.detail else ""
        self.banner.setText(f"该党员已于{when}{verb}{detail}" if when else f"该党员已{verb}{detail}")
        self.banner.show()
        self.setWindowTitle(f"党员信息 — {m.name}（{m.status.value}）")
        for w in self._inputs:
            if isinstance(w, (QLineEdit, DateEdit, CheckListPicker)):
                w.setReadOnly(True)
            else:
                w.setEnabled(False)
        for edit in self.scroll.widget().findChildren(QLineEdit):  # read-only looks read-only
            palette = edit.palette()
            palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
            edit.setPalette(palette)
            if not isinstance(edit.parent(), CheckListPicker):
                edit.setPlaceholderText("")  # "如 010-12345678" is no example to follow here

    # --- reactions ------------------------------------------------------------------
    def _placement_changed(self, *_: object) -> None:
        """An existing member's branch or 党小组 changed: ask from which day (a move made
        last month counts for last month's meetings)."""
        moved = self._base is not None and (self.org_combo.value(), self.group_combo.currentData()) \
            != (self._base.org_id, self._base.group_id)
        row = self.rows[MOVED_ON]
        row.label.setVisible(moved)
        row.widget.setVisible(moved)
        if not moved:
            row.set_error(None)

    def _org_changed(self, *_: object) -> None:
        value = self.org_combo.value()
        chosen_group = None
        if self._org_kind.get(value) is OrgKind.GROUP:  # a group stands for its branch + itself
            chosen_group, value = value, self._org_parent[value]
            self.org_combo.blockSignals(True)
            self.org_combo.set_value(value)
            self.org_combo.blockSignals(False)
            self.org_combo.update()
        previous = chosen_group or self.group_combo.currentData()
        self.group_combo.clear()
        self.group_combo.addItem(NO_GROUP, None)
        for node, _, _ in self._org_rows:
            if node.kind is OrgKind.GROUP and self._org_parent.get(node.id) == value:
                self.group_combo.addItem(node.name, node.id)
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(previous), 0))
        self.group_combo.setEnabled(self.group_combo.count() > 1 and not self._read_only)

    def _category_changed(self, *_: object) -> None:
        probationary = self.category_combo.currentText() == Category.PROBATIONARY.value
        self.confirmed_edit.setEnabled(not probationary)
        self.confirmed_edit.setToolTip("预备党员转正后填写" if probationary else "")
        saved_probationer = (self._base is not None and not self._read_only
                             and self._base.category is Category.PROBATIONARY)
        row = self.rows["预备期"]
        for w in (row.label, row.widget):
            w.setVisible(saved_probationer)
        if saved_probationer:
            end = self._base.probation_end
            extended = f"（已延长{self._base.probation_extension_months}个月）" \
                if self._base.probation_extension_months else ""
            self.probation_label.setText(f"至 {format_date(end)}{extended}" if end else "")

    def _id_finished(self) -> None:
        """Check the number as soon as it is typed; fill 性别 and 出生日期 from it."""
        row = self.rows["公民身份号码"]
        if not self.id_edit.text().strip():
            row.set_error(None)
            return
        try:
            info = parse_id_number(self.id_edit.text())
        except FieldError as e:
            row.set_error(e.message)
            return
        if self.id_edit.text() != info.number:
            self.id_edit.setText(info.number)
        if not self.sex_combo.currentText():
            select_text(self.sex_combo, info.sex)
        if not self.birth_edit.text().strip():
            self.birth_edit.setDate(info.birth_date)
        member, _ = self._collect()
        try:
            self._roster.check(member)
        except ValidationErrors as e:
            row.set_error(e.by_field().get("公民身份号码"))
        else:
            row.set_error(None)

    # --- saving -----------------------------------------------------------------------
    def _collect(self) -> tuple[Member, dict[str, str]]:
        """The member as typed, and the errors found while reading the fields themselves."""
        errors: dict[str, str] = {}
        m = replace(self._base) if self._base else Member(name="", org_id=None, id_number="")
        m.name = self.name_edit.text()
        m.id_number = self.id_edit.text()
        m.sex = self.sex_combo.currentText()
        try:
            m.ethnicity = normalize_ethnicity(self.ethnicity_combo.currentText())
        except FieldError as e:
            errors[e.field] = e.message
            m.ethnicity = self.ethnicity_combo.currentText().strip()
        m.education = self.education_combo.currentText()
        m.mobile = self.mobile_edit.text().strip()
        m.phone = self.phone_edit.text().strip()
        m.address = self.address_edit.text().strip()
        m.org_id = self.org_combo.value()
        m.group_id = self.group_combo.currentData()
        m.category = Category(self.category_combo.currentText())
        m.party_post = self.post_edit.text().strip()
        m.classification = self.class_combo.currentText()
        m.job = self.job_combo.value() or ""
        m.extra_org_ids = [o for o in self.extra_picker.values() if o != m.org_id]
        m.standing = PartyStanding(self.standing_combo.currentText())
        m.lost_contact = self.lost_check.isChecked()
        m.is_mobile = self.mobile_check.isChecked()
        m.outflow = self.outflow_edit.text().strip() if m.is_mobile else ""
        m.remarks = self.remarks_edit.text().strip()
        for key, edit, attr in self._dates():
            used = edit.isEnabled()
            if used and edit.error():
                errors[key] = edit.error()
            setattr(m, attr, edit.date() if used else None)
        if self.moved_edit.isVisibleTo(self):
            self.moved_edit.commit()
            if self.moved_edit.error() or self.moved_edit.date() is None:
                errors[MOVED_ON] = self.moved_edit.error() or "请填写调整生效的日期"
        return m, errors

    def _moved_on(self) -> date | None:
        """The day a move (branch or 党小组) takes effect; None when nothing moved."""
        return self.moved_edit.date() if self.moved_edit.isVisibleTo(self) else None

    def _dates(self) -> list[tuple[str, DateEdit, str]]:
        return [("出生日期", self.birth_edit, "birth_date"), ("加入党组织日期", self.joined_edit, "joined"),
                ("转为正式党员日期", self.confirmed_edit, "confirmed"),
                ("失去联系日期", self.lost_date_edit, "lost_contact_date")]

    def save(self) -> bool:
        """Check everything; save and close when all is well, else show what is wrong."""
        if self._read_only:
            return False
        for _, edit, _ in self._dates():
            edit.commit()
        member, errors = self._collect()
        try:
            self._roster.check(member)
        except ValidationErrors as e:
            for field, message in e.by_field().items():
                errors.setdefault(field, message)
        if not errors:
            try:
                if member.id is None:
                    self.saved_id = self._roster.add(member)
                else:
                    self._roster.update(member, self._moved_on())
                    self.saved_id = member.id
            except DomainError as e:  # changed meanwhile by another window
                errors = errors_by_field(e)
        if errors:
            self.show_errors(errors)
            return False
        self._baseline = self._state()
        self.accept()
        return True

    def show_errors(self, errors: dict[str, str]) -> None:
        left = show_errors(self.rows, errors)
        lines = [f"{f}：{msg}" if f else msg for f, msg in left.items()]
        placed = len(errors) - len(left)
        if placed:
            lines.insert(0, f"有{placed}处需要修改，请查看红字提示。")
        self.general_error.setText("\n".join(lines))
        self.general_error.setVisible(bool(lines))
        first = next((r for r in self.rows.values() if r.error()), None)
        if first is not None:
            self.tabs.setCurrentIndex(0)
            self.scroll.ensureWidgetVisible(first.widget)
            (first.widget.focusProxy() or first.widget).setFocus()

    # --- closing ------------------------------------------------------------------------
    def _state(self) -> tuple:
        out = []
        for w in self._inputs:
            if isinstance(w, (QLineEdit, DateEdit)):
                out.append(w.text())
            elif isinstance(w, QComboBox):
                out.append((w.currentIndex(), w.currentText()))
            elif isinstance(w, QCheckBox):
                out.append(w.isChecked())
            elif isinstance(w, CheckListPicker):
                out.append(tuple(w.values()))
        return tuple(out)

    def is_dirty(self) -> bool:
        return not self._read_only and self._state() != self._baseline

    def confirm_discard(self) -> bool:
        return confirm(self, "填写的内容尚未保存，确定放弃吗？", "放弃修改")

    def reject(self) -> None:
        """Esc / 取消 / closing the window: ask first when something typed would be lost."""
        if self.is_dirty() and not self.confirm_discard():
            return
        if self.saved_id is not None:  # 转正 or 延长预备期 was recorded: the roster must refresh
            self.done(QDialog.DialogCode.Accepted)
            return
        super().reject()

    # --- probation (转正, 延长预备期) --------------------------------------------------------
    def open_confirm(self) -> None:
        self._show_action(confirm_dialog(self, self._roster, self._base, self._after_probation_change))

    def open_extend(self) -> None:
        self._show_action(extend_dialog(self, self._roster, self._base, self._after_probation_change))

    def _show_action(self, dlg: ActionDialog) -> None:
        self.action_dialog = dlg
        dlg.open()

    def _after_probation_change(self) -> None:
        """Take the new category, 转正 date and extension; keep whatever else was typed."""
        was_dirty = self.is_dirty()
        self.saved_id = self._base.id
        self._base = self._roster.get(self._base.id)
        select_text(self.category_combo, self._base.category.value)
        self.confirmed_edit.setDate(self._base.confirmed)
        self._category_changed()
        self._show_history(self._roster.events(self._base.id))
        if not was_dirty:
            self._baseline = self._state()


def _group(title: str) -> tuple[QGroupBox, FieldForm]:
    box = QGroupBox(title)
    form = FieldForm()
    QVBoxLayout(box).addWidget(form)
    return box, form
