"""One 述职评议 round: dates and places, the secretaries reporting (and their reports),
and the appraisal template — items, audiences and weights, ratings and scores, grades.

The dialog edits a copy; 保存 hands it to the service, which checks it (weights adding
up to 100 and the rest) and writes it in one transaction; a refusal keeps the dialog open.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from ...domain.duty_report import (PEER_AUDIENCE, Audience, DutyRound, GradeScale, Rating, Reporter,
                                   group_items)
from ...domain.errors import DomainError
from ..errors import show_error, warn
from ..table_models.duty_models import FieldColumn, FieldTableModel
from ..widgets.date_edit import DateEdit
from .base import RememberingDialog, ok_cancel


@dataclass
class _ItemRow:
    group: str
    item: str


def _table(model, parent: QWidget, stretch: int) -> QTableView:
    v = QTableView(parent)
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    v.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return v


def _selected(view: QTableView) -> int:
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else -1


class DutyRoundDialog(RememberingDialog):
    default_size = (820, 620)

    def __init__(self, workspace, r: DutyRound, parent: QWidget | None = None):
        super().__init__(parent, "新建述职评议" if r.id is None else "述职评议设置")
        self._ws = workspace
        self.round = replace(r, template=r.template.copy(),
                             reporters=[replace(p) for p in r.reporters], scope=list(r.scope))
        self.saved: DutyRound | None = None
        t = self.round.template
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(self.round.year)
        self.year.setSuffix(" 年")
        self.title_edit = QLineEdit(self.round.title, self)
        self.up_date, self.down_date = DateEdit(self), DateEdit(self)
        self.up_date.setDate(self.round.up_date)
        self.down_date.setDate(self.round.down_date)
        self.up_place = QLineEdit(self.round.up_place, self)
        self.down_place = QLineEdit(self.round.down_place, self)
        form = QFormLayout()
        form.addRow("年度：", self.year)
        form.addRow("名称：", self.title_edit)
        up, down = QHBoxLayout(), QHBoxLayout()
        up.addWidget(self.up_date)
        up.addWidget(QLabel("地点：", self))
        up.addWidget(self.up_place, 1)
        down.addWidget(self.down_date)
        down.addWidget(QLabel("地点：", self))
        down.addWidget(self.down_place, 1)
        form.addRow("向上述职（街道党工委）：", up)
        form.addRow("向下述职（党员群众）：", down)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._reporters_tab(), "述职人")
        self.tabs.addTab(self._items_tab(t), "测评项目")
        self.tabs.addTab(self._audiences_tab(t), "评议类别与权重")
        self.tabs.addTab(self._grades_tab(t), "等次与计分")

        buttons = ok_cancel(self, self.save, "保存")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    # --- tabs --------------------------------------------------------------------------
    def _reporters_tab(self) -> QWidget:
        page = QWidget(self)
        self.reporters = FieldTableModel(
            [FieldColumn("姓名", "name"), FieldColumn("组织", "org_name"), FieldColumn("职务", "post")],
            self.round.reporters, self, make_row=lambda: Reporter("", post="书记"))
        self.reporters_view = _table(self.reporters, page, 1)
        self.reporters_view.selectionModel().selectionChanged.connect(self._reporter_picked)
        refill = QPushButton("从组织树重新提取书记", page)
        refill.clicked.connect(self.refill_reporters)
        scope = QPushButton("组织范围…", page)
        scope.clicked.connect(self.choose_scope)
        self.scope_label = QLabel(page)
        self._show_scope()
        add, remove = QPushButton("添加", page), QPushButton("删除所选", page)
        add.clicked.connect(lambda: self.reporters.add_row())
        remove.clicked.connect(lambda: self.reporters.remove_row(_selected(self.reporters_view)))
        self.report_text = QPlainTextEdit(page)
        self.report_text.setPlaceholderText("选中一位述职人后，可在此填写或粘贴述职报告")
        self.report_text.setEnabled(False)
        self.report_text.textChanged.connect(self._report_edited)
        self.attach_button = QPushButton("附加述职报告文件…", page)
        self.attach_button.setEnabled(False)
        self.attach_button.clicked.connect(self.attach_report)
        self.file_label = QLabel("", page)
        row = QHBoxLayout()
        for b in (scope, refill, add, remove):
            row.addWidget(b)
        row.addWidget(self.scope_label, 1)
        files = QHBoxLayout()
        files.addWidget(self.attach_button)
        files.addWidget(self.file_label, 1)
        lay = QVBoxLayout(page)
        lay.addWidget(self.reporters_view, 2)
        lay.addLayout(row)
        lay.addWidget(QLabel("述职报告：", page))
        lay.addWidget(self.report_text, 1)
        lay.addLayout(files)
        return page

    def _items_tab(self, t) -> QWidget:
        page = QWidget(self)
        rows = [_ItemRow(g.name, i) for g in t.groups for i in g.items]
        self.items = FieldTableModel([FieldColumn("分组", "group"), FieldColumn("测评项目", "item")],
                                     rows, self, make_row=lambda: _ItemRow(self._last_group(), ""))
        self.items_view = _table(self.items, page, 1)
        self.overall = QCheckBox("最后加一项“总体评价”", page)
        self.overall.setChecked(t.overall)
        add, remove = QPushButton("添加项目", page), QPushButton("删除所选", page)
        add.clicked.connect(lambda: self.items.add_row())
        remove.clicked.connect(lambda: self.items.remove_row(_selected(self.items_view)))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        row.addWidget(self.overall)
        lay = QVBoxLayout(page)
        lay.addWidget(self.items_view)
        lay.addLayout(row)
        return page

    def _last_group(self) -> str:
        return self.items.rows[-1].group if self.items.rows else ""

    def _audiences_tab(self, t) -> QWidget:
        page = QWidget(self)
        self.audiences = FieldTableModel(
            [FieldColumn("评议类别", "name"), FieldColumn("权重（%）", "weight", "number")],
            [replace(a) for a in t.audiences], self, make_row=lambda: Audience("", 0))
        self.audiences_view = _table(self.audiences, page, 0)
        self.weight_label = QLabel(page)
        self.audiences.dataChanged.connect(self._show_weight_sum)
        self.audiences.rowsInserted.connect(self._show_weight_sum)
        self.audiences.rowsRemoved.connect(self._show_weight_sum)
        peer = QPushButton(f"添加“{PEER_AUDIENCE}”", page)
        peer.clicked.connect(lambda: self.audiences.add_row(Audience(PEER_AUDIENCE, 0)))
        add, remove = QPushButton("添加", page), QPushButton("删除所选", page)
        add.clicked.connect(lambda: self.audiences.add_row())
        remove.clicked.connect(lambda: self.audiences.remove_row(_selected(self.audiences_view)))
        row = QHBoxLayout()
        for b in (peer, add, remove):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.weight_label)
        lay = QVBoxLayout(page)
        lay.addWidget(self.audiences_view)
        lay.addLayout(row)
        lay.addWidget(QLabel("各类别的权重合计应为100%；某一类别未收回测评表时，其余类别按权重折算。", page))
        self._show_weight_sum()
        return page

    def _show_weight_sum(self, *_args) -> None:
        total = sum(a.weight for a in self.audiences.rows)
        ok = abs(total - 100) < 1e-6
        self.weight_label.setText(f"合计：{total:g}%" + ("" if ok else "（应为100%）"))
        self.weight_label.setStyleSheet("" if ok else "color: #b02a1f;")

    def _grades_tab(self, t) -> QWidget:
        page = QWidget(self)
        self.ratings = FieldTableModel(
            [FieldColumn("评价等次", "label"), FieldColumn("分值", "score", "number")],
            [replace(r) for r in t.ratings], self, make_row=lambda: Rating("", 0))
        self.ratings_view = _table(self.ratings, page, 0)
        self.scale = QComboBox(page)
        for s in GradeScale:
            self.scale.addItem(s.value, s)
        self.scale.setCurrentIndex(list(GradeScale).index(t.scale))
        self.scale.currentIndexChanged.connect(self._label_thresholds)
        self.thresholds: list[QDoubleSpinBox] = []
        self.threshold_labels: list[QLabel] = []
        form = QFormLayout()
        form.addRow("最终等次：", self.scale)
        for value in t.thresholds:
            box = QDoubleSpinBox(page)
            box.setRange(0, 100)
            box.setDecimals(1)
            box.setValue(value)
            label = QLabel(page)
            self.thresholds.append(box)
            self.threshold_labels.append(label)
            form.addRow(label, box)
        self._label_thresholds()
        lay = QVBoxLayout(page)
        lay.addWidget(QLabel("每个等次的分值（项目得分取所有勾选的平均分）：", page))
        lay.addWidget(self.ratings_view)
        lay.addLayout(form)
        return page

    def _label_thresholds(self, *_args) -> None:
        grades = GradeScale(self.scale.currentData()).grades
        for label, g in zip(self.threshold_labels, grades):
            label.setText(f"“{g}”最低分：")

    # --- reporters' reports ------------------------------------------------------------
    def _current_reporter(self) -> Reporter | None:
        i = _selected(self.reporters_view)
        return self.reporters.rows[i] if 0 <= i < len(self.reporters.rows) else None

    def _reporter_picked(self, *_args) -> None:
        p = self._current_reporter()
        self.report_text.blockSignals(True)
        self.report_text.setPlainText(p.report_text if p else "")
        self.report_text.blockSignals(False)
        self.report_text.setEnabled(p is not None)
        self.attach_button.setEnabled(p is not None and p.id is not None)
        self.file_label.setText(p.report_file_name if p else "")

    def _report_edited(self) -> None:
        p = self._current_reporter()
        if p is not None:
            p.report_text = self.report_text.toPlainText()

    def attach_report(self) -> None:
        p = self._current_reporter()
        if p is None or p.id is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "选择述职报告文件", "",
                                              "文档 (*.doc *.docx *.pdf *.wps *.txt);;所有文件 (*)")
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        p = self._current_reporter()
        try:
            done = self._ws.duty.attach_report(p.id, path.name, path.read_bytes())
        except DomainError as e:
            show_error(self, e)
            return
        except OSError as e:
            warn(self, f"无法读取文件“{path.name}”：{e.strerror or e}")
            return
        p.report_file, p.report_file_name = done.report_file, done.report_file_name
        self.file_label.setText(done.report_file_name)

    def _show_scope(self) -> None:
        n = len(self.round.scope)
        self.scope_label.setText(f"范围：选定的{n}个组织" if n else "范围：全街道")

    def choose_scope(self) -> None:
        from .duty_scope_dialog import DutyScopeDialog

        dlg = DutyScopeDialog(self._ws.duty.scope_choices(), self.round.scope, self)
        if dlg.exec() == DutyScopeDialog.DialogCode.Accepted:
            self.set_scope(dlg.chosen())

    def set_scope(self, org_ids: list[int]) -> None:
        """Choose the organisations (empty: the whole street) and take their secretaries."""
        self.round.scope = list(org_ids)
        self._show_scope()
        self.refill_reporters()

    def refill_reporters(self) -> None:
        self.reporters.set_rows(self._ws.duty.reporters_from_tree(self.round.scope or None))

    # --- saving ------------------------------------------------------------------------
    def collect(self) -> DutyRound:
        r = self.round
        r.year = self.year.value()
        r.title = self.title_edit.text().strip()
        r.up_date, r.down_date = self.up_date.date(), self.down_date.date()
        r.up_place, r.down_place = self.up_place.text(), self.down_place.text()
        r.reporters = list(self.reporters.rows)
        t = r.template
        t.groups = group_items([(x.group, x.item) for x in self.items.rows])
        t.overall = self.overall.isChecked()
        t.audiences = list(self.audiences.rows)
        t.ratings = list(self.ratings.rows)
        t.scale = GradeScale(self.scale.currentData())
        t.thresholds = [b.value() for b in self.thresholds]
        return r

    def save(self) -> None:
        for d, label in ((self.up_date, "向上述职日期"), (self.down_date, "向下述职日期")):
            if d.error():
                show_error(self, DomainError(f"{label}：{d.error()}"))
                return
        try:
            self.saved = self._ws.duty.save(self.collect())
        except DomainError as e:
            show_error(self, e)
            return
        self.accept()
