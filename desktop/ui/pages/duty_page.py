"""述职评议: the rounds, and for the chosen round the tally entry, results and 整改清单.

The main window hosts it as a tab: `DutyPage(workspace, parent)`; `set_org` is
accepted (the page is street-wide) so it fits the LAZY_PAGES contract.

Tallies are entered as the clerk counts paper: pick a secretary and an audience, type
应参评 and the ballots returned, then the ticks per item × rating. A cell refuses a
count that would make its item exceed the ballots returned and says where; 保存计票
writes every tally edited since the last save in one transaction.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QSpinBox, QSplitter, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from ...domain.duty_report import AudienceTally, DutyRound, FixItem
from ...domain.errors import DomainError
from ..errors import confirm, inform, show_error
from ..table_models.duty_models import FixModel, ResultModel, RoundListModel, TallyModel
from ..tasks import run_task


def _view(model, parent: QWidget, stretch: int | None = None) -> QTableView:
    v = QTableView(parent)
    v.setModel(model)
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if stretch is not None:
        header = v.horizontalHeader()

        def fit() -> None:  # sections made by a reset start out Interactive again
            if header.count() > stretch:
                header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
                header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

        model.modelReset.connect(fit)
        fit()
    return v


class DutyPage(QWidget):
    def __init__(self, workspace, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._today = today or date.today()
        self.org_id: int | None = None
        self.round: DutyRound | None = None
        self._pending: dict[tuple[int, str], AudienceTally] = {}
        self._current: AudienceTally | None = None

        left = QWidget(self)
        self.rounds = RoundListModel([], self)
        self.rounds_view = _view(self.rounds, left, 2)
        self.rounds_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rounds_view.selectionModel().selectionChanged.connect(self._round_picked)
        self.rounds_view.doubleClicked.connect(lambda _i: self.edit_round())
        for col, width in ((0, 44), (1, 64), (3, 60), (4, 52)):
            self.rounds_view.setColumnWidth(col, width)
        self.new_button = QPushButton("新建评议…", left)
        self.edit_button = QPushButton("设置…", left)
        self.close_button = QPushButton("结束评议", left)
        self.delete_button = QPushButton("删除", left)
        self.new_button.clicked.connect(self.new_round)
        self.edit_button.clicked.connect(self.edit_round)
        self.close_button.clicked.connect(self.toggle_closed)
        self.delete_button.clicked.connect(self.delete_round)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.close_button, self.delete_button):
            buttons.addWidget(b)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.rounds_view)
        ll.addLayout(buttons)

        right = QWidget(self)
        self.info = QLabel("", right)
        self.info.setWordWrap(True)
        self.tabs = QTabWidget(right)
        self.tabs.addTab(self._tally_tab(), "计票")
        self.tabs.addTab(self._results_tab(), "测评结果")
        self.tabs.addTab(self._fix_tab(), "整改清单")
        self.tabs.currentChanged.connect(self._tab_changed)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.info)
        rl.addWidget(self.tabs, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.reload()

    def set_org(self, org_id: int | None) -> None:
        self.org_id = org_id  # rounds are street-wide; nothing to filter

    # --- rounds ------------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.round.id if self.round else None)
        self.rounds.set_rows(self._ws.duty.rounds())
        ids = [r.id for r in self.rounds.rows]
        if keep not in ids:
            keep = ids[0] if ids else None
        if keep is None:
            self.show_round(None)
        else:
            self.rounds_view.selectRow(ids.index(keep))
            self.show_round(keep)

    def _round_picked(self, *_args) -> None:
        rows = self.rounds_view.selectionModel().selectedRows()
        if rows:
            rid = self.rounds.rows[rows[0].row()].id
            if self.round is None or rid != self.round.id:
                self.show_round(rid)

    def show_round(self, round_id: int | None) -> None:
        if self._pending and self.round is not None and round_id != self.round.id:
            if confirm(self, "计票还没有保存，保存吗？"):
                self.save_tallies()
        self._pending.clear()
        self.round = self._ws.duty.get(round_id) if round_id is not None else None
        r = self.round
        for b in (self.edit_button, self.close_button, self.delete_button):
            b.setEnabled(r is not None)
        if r is None:
            self.info.setText("还没有述职评议。点“新建评议…”开始本年度的述职评议。")
            self.tally.clear()
            self.reporter_box.clear()
            self.results.load([], [])
            self.fixes.set_rows([])
            return
        self.close_button.setText("重新开启" if r.closed else "结束评议")
        weights = "、".join(f"{a.name}{a.weight:g}%" for a in r.template.audiences)
        dates = []
        if r.up_date:
            dates.append(f"向上述职 {r.up_date.isoformat()} {r.up_place}")
        if r.down_date:
            dates.append(f"向下述职 {r.down_date.isoformat()} {r.down_place}")
        self.info.setText(f"<b>{r.title}</b>（{r.status.value}）　述职人{len(r.reporters)}名　"
                          f"权重：{weights}　{'　'.join(dates)}")
        self.reporter_box.blockSignals(True)
        self.reporter_box.clear()
        for p in r.reporters:
            self.reporter_box.addItem(p.label, p.id)
        self.reporter_box.blockSignals(False)
        self.audience_box.blockSignals(True)
        self.audience_box.clear()
        for a in r.template.audiences:
            self.audience_box.addItem(a.name, a.name)
        self.audience_box.blockSignals(False)
        self.load_tally()
        self._tab_changed(self.tabs.currentIndex())

    def new_round(self) -> None:
        year = max([self._today.year] + [r.year + 1 for r in self.rounds.rows if r.year < self._today.year])
        if any(r.year == year for r in self.rounds.rows):
            year = max(r.year for r in self.rounds.rows) + 1
        self._edit(self._ws.duty.draft(year))

    def edit_round(self) -> None:
        if self.round is not None:
            if self.round.closed:
                inform(self, "本轮评议已结束，如需修改请先“重新开启”。")
                return
            self._edit(self._ws.duty.get(self.round.id))

    def _edit(self, r: DutyRound) -> None:
        from ..dialogs.duty_round_dialog import DutyRoundDialog

        dlg = DutyRoundDialog(self._ws, r, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            self._pending.clear()
            self.round = None
            self.reload(select=dlg.saved.id)

    def toggle_closed(self) -> None:
        r = self.round
        if r is None:
            return
        try:
            if r.closed:
                self._ws.duty.reopen(r.id)
            else:
                if self._pending:
                    self.save_tallies()
                if not confirm(self, f"结束“{r.title}”？结束后不能再修改计票（整改事项仍可标记完成）。"):
                    return
                self._ws.duty.close(r.id)
        except DomainError as e:
            show_error(self, e)
        self.round = None
        self.reload(select=r.id)

    def delete_round(self) -> None:
        r = self.round
        if r is None or not confirm(self, f"删除“{r.title}”及其全部计票和整改事项？此操作不能撤销。"):
            return
        self._ws.duty.delete(r.id)
        self._pending.clear()
        self.round = None
        self.reload()

    # --- tallies -----------------------------------------------------------------------
    def _tally_tab(self) -> QWidget:
        page = QWidget(self)
        self.reporter_box = QComboBox(page)
        self.audience_box = QComboBox(page)
        self.reporter_box.currentIndexChanged.connect(lambda _i: self.load_tally())
        self.audience_box.currentIndexChanged.connect(lambda _i: self.load_tally())
        self.entitled = QSpinBox(page)
        self.returned = QSpinBox(page)
        for s in (self.entitled, self.returned):
            s.setRange(0, 100000)
            s.setSuffix(" 人")
        self.entitled.valueChanged.connect(self._entitled_changed)
        self.returned.valueChanged.connect(self._returned_changed)
        self.tally = TallyModel(page, on_refused=self._refused)
        self.tally_view = _view(self.tally, page, 1)
        self.tally_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # Count columns narrow, so the item names (the stretched column) can be read.
        self.tally_view.horizontalHeader().setDefaultSectionSize(64)
        self.message = QLabel("", page)
        self.message.setStyleSheet("color: #b02a1f;")
        self.message.setWordWrap(True)
        self.save_button = QPushButton("保存计票", page)
        self.save_button.clicked.connect(self.save_tallies)
        self.by_ballot_button = QPushButton("逐张录入…", page)
        self.by_ballot_button.setToolTip("人数较少时，按每张测评表逐张录入")
        self.by_ballot_button.clicked.connect(self.enter_by_ballot)
        top = QHBoxLayout()
        top.addWidget(QLabel("述职人：", page))
        top.addWidget(self.reporter_box, 2)
        top.addWidget(QLabel("评议类别：", page))
        top.addWidget(self.audience_box, 1)
        counts = QHBoxLayout()
        counts.addWidget(QLabel("应参评：", page))
        counts.addWidget(self.entitled)
        counts.addWidget(QLabel("收回测评表（实参评）：", page))
        counts.addWidget(self.returned)
        counts.addStretch(1)
        counts.addWidget(self.by_ballot_button)
        counts.addWidget(self.save_button)
        lay = QVBoxLayout(page)
        lay.addLayout(top)
        lay.addLayout(counts)
        lay.addWidget(self.tally_view, 1)
        lay.addWidget(self.message)
        return page

    def load_tally(self) -> None:
        r, rid, aud = self.round, self.reporter_box.currentData(), self.audience_box.currentData()
        self.message.clear()
        if r is None or rid is None or aud is None:
            self._current = None
            self.tally.clear()
            return
        t = self._pending.get((rid, aud)) or self._ws.duty.tally(rid, aud)
        self._current = t
        for box, value in ((self.entitled, t.entitled), (self.returned, t.returned)):
            box.blockSignals(True)
            box.setValue(value)
            box.setEnabled(not r.closed)
            box.blockSignals(False)
        place = f"{self.reporter_box.currentText()}·{aud}"
        self.tally.load(r.template, t, place, read_only=r.closed)
        self.save_button.setEnabled(not r.closed)
        self.by_ballot_button.setEnabled(not r.closed)

    def _touched(self) -> None:
        t = self._current
        if t is not None:
            self._pending[(t.reporter_id, t.audience)] = t

    def _refused(self, why: str) -> None:
        self.message.setText(why)

    def _entitled_changed(self, value: int) -> None:
        if self._current is not None:
            self._current.entitled = value
            self._touched()

    def _returned_changed(self, value: int) -> None:
        t = self._current
        if t is None:
            return
        most = max((t.item_total(i) for i in self.round.template.item_names), default=0)
        if value < most:
            self.returned.blockSignals(True)
            self.returned.setValue(t.returned)
            self.returned.blockSignals(False)
            self._refused(f"已有项目计了{most}票，收回的测评表不能少于{most}张")
            return
        t.returned = value
        self.message.clear()
        self._touched()
        self.tally.layoutChanged.emit()

    def enter_by_ballot(self) -> None:
        from ..dialogs.duty_ballot_entry_dialog import DutyBallotEntryDialog

        t = self._current
        if t is None or self.round is None or self.round.closed:
            return
        dlg = DutyBallotEntryDialog(self.round.template, t, self.tally.place, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.entered:
            t.returned, t.counts = dlg.tally.returned, dlg.tally.counts
            self._touched()
            self.load_tally()

    def set_count(self, item_row: int, rating: str, value: int) -> bool:
        """Enter one count as the grid does (for scripts and tests)."""
        col = 2 + self.round.template.rating_labels.index(rating)
        return self.tally.setData(self.tally.index(item_row, col), value)

    def save_tallies(self) -> bool:
        if not self._pending:
            return True
        try:
            self._ws.duty.save_tallies(list(self._pending.values()))
        except DomainError as e:
            self.message.setText(str(e))
            show_error(self, e)
            return False
        self._pending.clear()
        self.message.setText("")
        self._tab_changed(self.tabs.currentIndex())
        return True

    # --- results -----------------------------------------------------------------------
    def _results_tab(self) -> QWidget:
        page = QWidget(self)
        self.results = ResultModel(page)
        self.results_view = _view(self.results, page, 1)
        self.results_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.ballots_button = QPushButton("打印民主测评表…", page)
        self.preview_button = QPushButton("预览/打印汇总表…", page)
        self.export_button = QPushButton("导出汇总表…", page)
        self.ballots_button.clicked.connect(self.print_ballots)
        self.preview_button.clicked.connect(self.preview_results)
        self.export_button.clicked.connect(self.export_results)
        row = QHBoxLayout()
        for b in (self.ballots_button, self.preview_button, self.export_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addWidget(self.results_view, 1)
        lay.addLayout(row)
        return page

    def _tab_changed(self, index: int) -> None:
        if self.round is None:
            return
        if index == 1:
            if self._pending and not self.save_tallies():
                return
            res = self._ws.duty.results(self.round.id)
            self.results.load(res.secretaries, [a.name for a in self.round.template.audiences])
        elif index == 2:
            self.fixes.set_rows(self._ws.duty.fixes(self.round.id))

    def _temp_pdf(self, name: str) -> Path:
        import tempfile

        return Path(tempfile.mkdtemp(prefix="dangjian-")) / f"{name}.pdf"

    def print_ballots(self) -> None:
        from ..dialogs.duty_ballot_dialog import DutyBallotDialog

        if self.round is None:
            return
        entitled = max((t.entitled for t in self._ws.duty.tallies(self.round.id)), default=0)
        dlg = DutyBallotDialog(self.round, entitled, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        target = self._temp_pdf("民主测评表")
        ds, rid, choice = self._ws.duty, self.round.id, dlg.choice()
        self._preview_after("民主测评表", target, lambda progress, cancel: ds.export_ballots(
            target, rid, progress=progress, cancel=cancel, **choice))

    def preview_results(self) -> None:
        if self.round is None or not self.save_tallies():
            return
        target = self._temp_pdf("述职评议结果汇总表")
        ds, rid, today = self._ws.duty, self.round.id, self._today
        self._preview_after("述职评议结果汇总表", target, lambda progress, cancel: ds.export_results(
            target, rid, today, progress, cancel))

    def _preview_after(self, title: str, target: Path, work) -> None:
        from ..dialogs.pdf_preview import preview_pdf

        run_task(self, title, work, on_done=lambda _: preview_pdf(self, target, title),
                 on_failed=lambda e: show_error(self, e))

    def export_results(self) -> None:
        if self.round is None or not self.save_tallies():
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出述职评议结果汇总表", f"{self.round.year}年述职评议结果汇总表.xlsx",
            "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)")
        if path:
            self.write_results(Path(path))

    def write_results(self, path: Path):
        ds, rid, today = self._ws.duty, self.round.id, self._today
        return run_task(self, "导出汇总表", lambda progress, cancel: ds.export_results(
            path, rid, today, progress, cancel),
            on_done=lambda p: inform(self, f"已导出述职评议结果汇总表：\n{p}"),
            on_failed=lambda e: show_error(self, e))

    # --- 整改清单 ----------------------------------------------------------------------
    def _fix_tab(self) -> QWidget:
        page = QWidget(self)
        self.fixes = FixModel([], page)
        self.fixes_view = _view(self.fixes, page, 2)
        self.fixes_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fixes_view.doubleClicked.connect(lambda _i: self.edit_fix())
        add, edit = QPushButton("添加…", page), QPushButton("编辑…", page)
        done, remove = QPushButton("标记完成", page), QPushButton("删除", page)
        add.clicked.connect(self.add_fix)
        edit.clicked.connect(self.edit_fix)
        done.clicked.connect(self.mark_fix_done)
        remove.clicked.connect(self.delete_fix)
        row = QHBoxLayout()
        for b in (add, edit, done, remove):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addWidget(QLabel("本轮提出的问题，以及往年尚未完成的整改事项：", page))
        lay.addWidget(self.fixes_view, 1)
        lay.addLayout(row)
        return page

    def _selected_fix(self) -> FixItem | None:
        rows = self.fixes_view.selectionModel().selectedRows()
        return self.fixes.rows[rows[0].row()] if rows else None

    def _fix_dialog(self, fix: FixItem) -> None:
        from ..dialogs.duty_fix_dialog import DutyFixDialog

        dlg = DutyFixDialog(self._ws, fix, self.round.reporters, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.fixes.set_rows(self._ws.duty.fixes(self.round.id))

    def add_fix(self) -> None:
        if self.round is not None:
            self._fix_dialog(FixItem(self.round.id, "", reporter_id=self.reporter_box.currentData()))

    def edit_fix(self) -> None:
        f = self._selected_fix()
        if f is not None:
            self._fix_dialog(f)

    def mark_fix_done(self) -> None:
        f = self._selected_fix()
        if f is not None and f.open:
            self._ws.duty.set_fix_done(f.id, self._today)
            self.fixes.set_rows(self._ws.duty.fixes(self.round.id))

    def delete_fix(self) -> None:
        f = self._selected_fix()
        if f is not None and confirm(self, f"删除整改事项“{f.problem[:30]}”？"):
            self._ws.duty.delete_fix(f.id)
            self.fixes.set_rows(self._ws.duty.fixes(self.round.id))
