"""Create or edit an organisation, its committee; and choose a new parent (移动到…)."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTreeView,
                               QVBoxLayout, QWidget)

from ...domain.errors import DomainError, FieldError
from ...domain.organization import (ALLOWED_PARENTS, COMMITTEE_DATE, BranchKind, CommitteeRole,
                                    CommitteeSeat, OrgKind, Organization, OrgNode, check_parent,
                                    committee_change_date, walk_tree)
from ...domain.roster_view import RosterFilter
from ..errors import errors_by_field
from ..table_models.org_tree_model import OrgTreeModel
from ..widgets.date_edit import DateEdit
from ..widgets.field_form import ERROR_COLOR, FieldForm, TreeComboBox, show_errors
from .base import RememberingDialog, ok_cancel

NAME, KIND, BRANCH_KIND, PARENT = "组织名称", "组织类型", "支部类型", "上级组织"
FOUNDED, TERM_START, TERM_END, CONTACT, REMARKS = "成立日期", "任期开始", "任期结束", "联系方式", "备注"
COMMITTEE = "班子成员"

# The kind a new organisation most likely has under a parent of this kind.
_DEFAULT_CHILD = {None: OrgKind.STREET, OrgKind.STREET: OrgKind.COMMUNITY,
                  OrgKind.COMMUNITY: OrgKind.BRANCH, OrgKind.GENERAL_BRANCH: OrgKind.BRANCH,
                  OrgKind.BRANCH: OrgKind.GROUP}


def enum_choice(combo: QComboBox, enum_type):
    """The enum member behind the combo's current item (items hold `.value`), or None."""
    data = combo.currentData()
    return enum_type(data) if data else None


def general_error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    label.hide()
    return label



class CommitteeEditor(QWidget):
    """Rows of (职务, 党员, 移除): the secretary and others, chosen from the org's members."""

    def __init__(self, candidates: list[tuple[int, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self._candidates = candidates
        self._rows: list[tuple[QComboBox, QComboBox, QPushButton]] = []
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(1, 1)
        self.add_button = QPushButton("添加班子成员", self)
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.add_button.setEnabled(bool(candidates))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        if not candidates:
            hint = QLabel("该组织还没有在册党员，录入党员后可设置班子成员。", self)
            hint.setStyleSheet("color: #666666;")
            bottom.addWidget(hint)
        bottom.addStretch(1)
        layout.addLayout(bottom)

    def add_row(self, role: CommitteeRole | None = None, member_id: int | None = None) -> None:
        role_box = QComboBox(self)
        for r in CommitteeRole:
            role_box.addItem(r.value, r.value)
        if role is None:
            taken = {s.role for s in self.seats()}
            role = next((r for r in CommitteeRole if r not in taken), CommitteeRole.MEMBER)
        role_box.setCurrentIndex(role_box.findData(role.value))
        person = QComboBox(self)
        person.setMinimumContentsLength(10)
        person.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        person.addItem("（请选择）", None)
        for mid, label in self._candidates:
            person.addItem(label, mid)
        person.setCurrentIndex(max(person.findData(member_id), 0) if member_id is not None else 0)
        remove = QPushButton("移除", self)
        remove.setAutoDefault(False)
        row = (role_box, person, remove)
        remove.clicked.connect(lambda: self._remove(row))
        r = len(self._rows)
        self._grid.addWidget(role_box, r, 0)
        self._grid.addWidget(person, r, 1)
        self._grid.addWidget(remove, r, 2)
        self._rows.append(row)

    def _remove(self, row) -> None:
        self._rows.remove(row)
        for w in row:
            self._grid.removeWidget(w)
            w.deleteLater()
        for r, widgets in enumerate(self._rows):
            for c, w in enumerate(widgets):
                self._grid.addWidget(w, r, c)

    def rows(self) -> list[tuple[QComboBox, QComboBox, QPushButton]]:
        return list(self._rows)

    def seats(self) -> list[CommitteeSeat]:
        return [CommitteeSeat(member_id=person.currentData(), role=enum_choice(role, CommitteeRole))
                for role, person, _ in self._rows if person.currentData() is not None]


class OrgDialog(RememberingDialog):
    """新建组织 (under `parent_org_id`) or 编辑组织 (`org_id`); `saved_id` after saving."""

    default_size = (560, 620)

    def __init__(self, workspace, org_id: int | None = None, parent_org_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent, "编辑组织" if org_id else "新建组织")
        self._ws = workspace
        self.org_id = org_id
        self.saved_id: int | None = None
        self._org = workspace.orgs.get(org_id) if org_id else None
        self._tree = workspace.orgs.tree()
        self._flat = list(walk_tree(self._tree))
        self._nodes = {n.id: n for n, _, _ in self._flat}
        node = self._nodes.get(org_id) if org_id else None
        self._has_children = bool(node and node.children)

        self.form = FieldForm(self)
        self.name = QLineEdit(self)
        self.name.setMaxLength(60)
        self.name.setPlaceholderText("如 幸福社区党委、第一网格党支部")
        self.parent_box = TreeComboBox(self)
        self.kind = QComboBox(self)
        self.branch_kind = QComboBox(self)
        self.branch_kind.addItem("（不指定）", None)
        for b in BranchKind:
            self.branch_kind.addItem(b.value, b.value)
        self.founded = DateEdit(self)
        self.term_start = DateEdit(self)
        self.term_end = DateEdit(self, placeholder="留空则按任期五年计算")
        self.contact = QLineEdit(self)
        self.contact.setPlaceholderText("联系人、电话")
        self.remarks = QPlainTextEdit(self)
        self.remarks.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)

        self.form.add_row(NAME, self.name, required=True)
        self.form.add_row(PARENT, self.parent_box)
        self.form.add_row(KIND, self.kind, required=True)
        self.form.add_row(BRANCH_KIND, self.branch_kind)
        self.form.add_row(FOUNDED, self.founded)
        self.form.add_row(TERM_START, self.term_start, label="本届任期开始")
        self.form.add_row(TERM_END, self.term_end, label="本届任期届满")
        self.form.add_row(CONTACT, self.contact)
        self.form.add_row(REMARKS, self.remarks)

        self._fill_parents()
        self.parent_box.currentIndexChanged.connect(self._fill_kinds)
        self.kind.currentIndexChanged.connect(self._kind_changed)

        self.committee: CommitteeEditor | None = None
        committee_box = QGroupBox(COMMITTEE, self)
        box_layout = QVBoxLayout(committee_box)
        self.committee_error = general_error_label(committee_box)
        # The day a change of the committee took effect (a 换届 held last month is entered
        # with its own date), so a past 支委会 expects the committee of its day.
        self.committee_form = FieldForm(committee_box)
        self.committee_date = DateEdit(self.committee_form)
        self.committee_date.setToolTip("换届或调整班子成员的实际日期，默认今天；"
                                       "此日期以前召开的支委会仍按原班子计算应到人员")
        if self._org is not None:
            self.committee = CommitteeEditor(self._candidates(), committee_box)
            self._seats_before = workspace.orgs.committee(org_id)
            for seat in self._seats_before:
                self.committee.add_row(seat.role, seat.member_id)
            box_layout.addWidget(self.committee)
            self.committee_date.setDate(date.today())
            self.committee_form.add_row(COMMITTEE_DATE, self.committee_date)
            box_layout.addWidget(self.committee_form)
        else:
            self._seats_before = []
            self.committee_form.hide()  # no committee yet: nothing to date
            note = QLabel("新建的组织还没有党员；录入党员后，可在“编辑”中设置书记等班子成员。", committee_box)
            note.setWordWrap(True)
            note.setStyleSheet("color: #666666;")
            box_layout.addWidget(note)
        box_layout.addWidget(self.committee_error)

        self.general_error = general_error_label(self)
        self.buttons = ok_cancel(self, self._save, "保存")
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(committee_box)
        layout.addStretch(1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        if self._org is not None:
            self._load(self._org)
        else:
            self.parent_box.set_value(parent_org_id)
            self._fill_kinds()
        self.term_start.dateChanged.connect(self._term_started)  # after loading: a clerk's change
        self.name.setFocus()

    # --- filling ---------------------------------------------------------------
    def _fill_parents(self) -> None:
        box = self.parent_box
        box.blockSignals(True)
        box.setPlaceholderText("（无，最上级组织）")
        below = set()
        if self.org_id:
            stack = [self._nodes[self.org_id]] if self.org_id in self._nodes else []
            while stack:
                n = stack.pop()
                below.add(n.id)
                stack.extend(n.children)
        for n, depth, path in self._flat:
            box.add_node(n.name, n.id, depth, path, selectable=n.id not in below and n.kind is not OrgKind.GROUP)
        box.setEnabled(not (self._org is not None and self._org.parent_id is None))
        box.blockSignals(False)

    def _parent_kind(self) -> OrgKind | None:
        node = self._nodes.get(self.parent_box.value())
        return node.kind if node else None

    def _fill_kinds(self) -> None:
        current = enum_choice(self.kind, OrgKind)
        parent_kind = self._parent_kind()
        self.kind.blockSignals(True)
        self.kind.clear()
        for k in OrgKind:
            if parent_kind in ALLOWED_PARENTS[k]:
                self.kind.addItem(k.value, k.value)
        wanted = current if current is not None else _DEFAULT_CHILD.get(parent_kind)
        i = self.kind.findData(wanted.value) if wanted else -1
        self.kind.setCurrentIndex(i if i >= 0 else 0)
        self.kind.blockSignals(False)
        self._kind_changed()

    def _kind_changed(self) -> None:
        is_branch = enum_choice(self.kind, OrgKind) is OrgKind.BRANCH
        self.branch_kind.setEnabled(is_branch)
        if not is_branch:
            self.branch_kind.setCurrentIndex(0)
        is_group = enum_choice(self.kind, OrgKind) is OrgKind.GROUP
        for w in (self.term_start, self.term_end):
            w.setEnabled(not is_group)

    def _term_started(self, day: date | None) -> None:
        """A new term entered: the committee changed at the 换届 that began it."""
        if day is not None and day <= date.today():
            self.committee_date.setDate(day)

    def _load(self, org: Organization) -> None:
        self.name.setText(org.name)
        self.parent_box.set_value(org.parent_id)
        self._fill_kinds()
        i = self.kind.findData(org.kind.value)
        if i < 0:  # a kind no longer allowed where it sits: still show it
            self.kind.addItem(org.kind.value, org.kind.value)
            i = self.kind.count() - 1
        self.kind.setCurrentIndex(i)
        # Changing the kind of an organisation with organisations below it would leave
        # them under a parent they may not sit under: move or dissolve those first.
        self.kind.setEnabled(not self._has_children)
        if self._has_children:
            self.kind.setToolTip("下有组织时不能更改组织类型")
        self.branch_kind.setCurrentIndex(
            self.branch_kind.findData(org.branch_kind.value) if org.branch_kind else 0)
        self.founded.setDate(org.founded)
        self.term_start.setDate(org.term_start)
        self.term_end.setDate(org.term_end)
        self.contact.setText(org.contact)
        self.remarks.setPlainText(org.remarks)

    def _candidates(self) -> list[tuple[int, str]]:
        """Active members of this organisation (and below it) who may sit on its committee."""
        orgs, roster = self._ws.orgs, self._ws.roster
        org_ids = orgs.subtree_ids(self.org_id) or [self.org_id]
        ids = roster.ordered_ids(RosterFilter(org_ids=org_ids))
        rows = roster.fetch_rows(ids, ["name", "org_name"])
        several_orgs = len({r[1] for r in rows.values()}) > 1
        out = [(i, f"{rows[i][0]}（{rows[i][1]}）" if several_orgs else rows[i][0])
               for i in ids if i in rows]
        known = {i for i, _ in out}
        for seat in orgs.committee(self.org_id):  # someone who has since left stays visible
            if seat.member_id not in known:
                out.append((seat.member_id, f"{seat.member_name}（已不在册）"))
        return out

    # --- saving ----------------------------------------------------------------
    def _collect(self) -> tuple[Organization, dict[str, str]]:
        errors: dict[str, str] = {}
        dates: dict[str, date | None] = {}
        for key, w in ((FOUNDED, self.founded), (TERM_START, self.term_start), (TERM_END, self.term_end)):
            w.commit()
            if w.error():
                errors[key] = w.error()
            dates[key] = w.date() if w.isEnabled() else None
        kind = enum_choice(self.kind, OrgKind)
        if kind is None:
            errors[KIND] = "请选择组织类型"
        if self.committee is not None:
            self.committee_date.commit()
            try:
                if self.committee_date.error():
                    errors[COMMITTEE_DATE] = self.committee_date.error()
                else:
                    committee_change_date(self.committee_date.date(), date.today())
            except FieldError as e:
                errors[e.field] = e.message
        org = Organization(
            name=self.name.text().strip(), kind=kind or OrgKind.BRANCH,
            parent_id=self.parent_box.value(), branch_kind=enum_choice(self.branch_kind, BranchKind),
            founded=dates[FOUNDED], term_start=dates[TERM_START], term_end=dates[TERM_END],
            contact=self.contact.text().strip(), remarks=self.remarks.toPlainText().strip(),
            dissolved=self._org.dissolved if self._org else None,
            id=self.org_id, uuid=self._org.uuid if self._org else None)
        return org, errors

    def _rows(self) -> dict:
        return self.form.rows | self.committee_form.rows

    def _show_errors(self, errors: dict[str, str]) -> None:
        left = show_errors(self._rows(), errors)
        self.general_error.setText("\n".join(f"{k}：{v}" if k else v for k, v in left.items()))
        self.general_error.setVisible(bool(left))

    def errors(self) -> dict[str, str]:
        """Field → message now shown (for tests and the clerk's eyes alike)."""
        out = {k: r.error() for k, r in self._rows().items() if r.error()}
        if self.general_error.text() and not self.general_error.isHidden():
            out[""] = self.general_error.text()
        return out

    def _save(self) -> None:
        org, errors = self._collect()
        if errors:  # unreadable dates: name the other field mistakes the rules see, too
            try:
                org.validate()
            except FieldError as e:
                errors.setdefault(e.field, e.message)
            self._show_errors(errors)
            return
        seats = None
        if self.committee is not None:
            seats = self.committee.seats()
            if [(s.member_id, s.role) for s in seats] == \
                    [(s.member_id, s.role) for s in self._seats_before]:
                seats = None  # unchanged: leave the committee as it is
        orgs = self._ws.orgs
        when = self.committee_date.date() if self.committee is not None else None
        try:
            saved = (orgs.create(org, seats, when) if self.org_id is None
                     else orgs.update(org, seats, when))
        except DomainError as e:
            self._show_errors(errors_by_field(e))
            return
        self.saved_id = saved.id
        self.accept()


class MoveOrgDialog(RememberingDialog):
    """移动到…: pick the organisation to move under; `moved` after a successful move."""

    default_size = (460, 520)

    def __init__(self, workspace, org_id: int, parent: QWidget | None = None):
        org = workspace.orgs.get(org_id)
        super().__init__(parent, f"移动“{org.name}”")
        self._ws = workspace
        self.org_id = org_id
        self._org = org
        self.moved = False
        self.model = OrgTreeModel(self, enabled=self._may_hold)
        self.model.set_tree(workspace.orgs.tree())
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.hideColumn(1)
        # Open down to where the possible parents are (communities; branches for a 党小组).
        self.view.expandToDepth(1 if org.kind is OrgKind.GROUP else 0)
        self.view.scrollTo(self.model.index_of(org.parent_id))
        self.view.doubleClicked.connect(lambda _: self._save())
        self.error = general_error_label(self)
        label = QLabel(f"请选择“{org.name}”（{org.kind.value}）的新上级组织：", self)
        label.setWordWrap(True)
        self.buttons = ok_cancel(self, self._save, "移动")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _may_hold(self, node: OrgNode) -> bool:
        if self.model.is_descendant(node.id, self.org_id) or node.id == self._org.parent_id:
            return False
        try:
            check_parent(self._org.kind, node.kind)
        except FieldError:
            return False
        return True

    def select(self, org_id: int) -> None:
        self.view.setCurrentIndex(self.model.index_of(org_id))

    def target_id(self) -> int | None:
        node = self.model.node(self.view.currentIndex())
        return node.id if node is not None and self._may_hold(node) else None

    def _save(self) -> None:
        target = self.target_id()
        if target is None:
            self.error.setText("请在上面选择新的上级组织（灰色的组织不能作为上级）。")
            self.error.show()
            return
        try:
            self._ws.orgs.move(self.org_id, target)
        except DomainError as e:
            self.error.setText(str(e))
            self.error.show()
            return
        self.moved = True
        self.accept()
