"""导出上报包… and 导入上报包…: exchange packages between a community and the street.

Export: choose the organisation (it and everything below it travel) and the file.
Import: choose a file; it is verified and previewed in the background (新增, 修改, 冲突,
调动, 删除, 无法导入 with counts); each conflict may be ticked “以上报包为准”; 导入
merges in one transaction on a worker thread. Nothing is written before 导入.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QStandardPaths, Qt
from PySide6.QtWidgets import (QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableView, QTabWidget, QVBoxLayout,
                               QWidget)

from ...domain.errors import DomainError
from ...domain.exchange import MergeItem, MergeResult, Resolution
from ...domain.organization import walk_tree
from ...exports.package_format import SUFFIX, fresh_package_name
from ...services.exchange import ExchangeService
from .. import errors
from ..settings import settings
from ..tasks import Task, run_task
from ..widgets.field_form import TreeComboBox
from .base import RememberingDialog

FOLDER_KEY = "exchange/folder"
FILTER = f"上报包 (*{SUFFIX});;所有文件 (*)"


def _folder() -> Path:
    saved = settings().value(FOLDER_KEY)
    if saved and Path(str(saved)).is_dir():
        return Path(str(saved))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def _remember_folder(path: Path) -> None:
    settings().setValue(FOLDER_KEY, str(path.parent))


def _status_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.hide()
    return label


def _say(label: QLabel, text: str, error: bool = False) -> None:
    label.setStyleSheet("color: #b00020;" if error else "")
    label.setText(text)
    label.show()


# --- export ----------------------------------------------------------------------------

class ExchangeExportDialog(RememberingDialog):
    """导出上报包: one organisation and all below it, to one file."""

    default_size = (560, 240)

    def __init__(self, workspace, org_id: int | None, parent: QWidget | None = None):
        super().__init__(parent, "导出上报包")
        self._service = ExchangeService(workspace.db)
        self.task: Task | None = None
        self.summary = None
        self.org = TreeComboBox(self)
        for node, depth, path in walk_tree(workspace.orgs.tree()):
            self.org.add_node(node.name, node.id, depth, path)
        if org_id is None or not self.org.set_value(org_id):
            self.org.setCurrentIndex(0 if self.org.count() else -1)
        self.org.currentIndexChanged.connect(self._org_changed)
        self.path_edit = QLineEdit(self)
        self.browse_button = QPushButton("浏览…", self)
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        self._org_changed()

        hint = QLabel("上报包包含所选组织及其全部下级组织、党员、党员事记、所在党小组记录和班子成员，"
                      "可用U盘或电子邮件交给街道（或下发给社区）导入。"
                      "其中有完整的公民身份号码等个人信息，请妥善保管，用后删除。", self)
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("保存到：", self))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        org_row = QHBoxLayout()
        org_row.addWidget(QLabel("组织：", self))
        org_row.addWidget(self.org, 1)
        self.status = _status_label(self)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton("导出", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(org_row)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addStretch(1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        if self.org.count() == 0:
            self.export_button.setEnabled(False)
            _say(self.status, "数据库中还没有组织，无法导出上报包。", error=True)

    def _org_changed(self) -> None:
        name = self.org.currentText().strip()
        self.path_edit.setText(str(_folder() / fresh_package_name(name or "上报包")))

    def target(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存上报包", str(self.target() or _folder()), FILTER)
        if path:
            self.path_edit.setText(path)

    def start_export(self) -> None:
        if self.task is not None and self.task.running:
            return
        target, org_id = self.target(), self.org.value()
        if target is None or org_id is None:
            _say(self.status, "请选择组织和保存位置。", error=True)
            return
        if not target.parent.is_dir():
            _say(self.status, f"文件夹“{target.parent}”不存在，请重新选择保存位置。", error=True)
            return
        if target.exists() and not errors.confirm(self, f"文件“{target.name}”已存在，要替换它吗？",
                                                  "替换文件"):
            return
        self.path_edit.setText(str(target))
        service = self._service

        def work(progress, cancel):
            return service.export_package(org_id, target, progress, cancel)

        self._busy(True)
        _say(self.status, "正在导出…")
        self.task = run_task(self, "正在导出上报包", work, on_done=self._done,
                             on_failed=self._failed, on_cancelled=self._cancelled)

    def _busy(self, busy: bool) -> None:
        for w in (self.export_button, self.browse_button, self.path_edit, self.org):
            w.setEnabled(not busy)

    def _done(self, summary) -> None:
        self.summary = summary
        self._busy(False)
        _remember_folder(Path(summary.path))
        _say(self.status, summary.describe())
        errors.inform(self, summary.describe(), "导出完成")
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        _say(self.status, "导出失败，没有生成文件。", error=True)
        errors.show_error(self, error, "导出失败")

    def _cancelled(self) -> None:
        self._busy(False)
        _say(self.status, "已取消导出，没有生成文件。")

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel_token.cancel()
            return
        super().reject()


# --- import ----------------------------------------------------------------------------

class MergeItemsModel(QAbstractTableModel):
    """The records of one preview tab. With `choices`, the first column is a check box
    “以上报包为准” for each conflict that can be resolved so."""

    def __init__(self, items: list[MergeItem], kind: str, parent=None):
        super().__init__(parent)
        self.items = items
        self.kind = kind
        self.choices = kind == "conflict"
        self.taken: set[tuple[str, str]] = set()
        self.headers = (["以上报包为准"] if self.choices else []) + ["类别", "记录", "说明"]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def _explain(self, item: MergeItem) -> str:
        parts = []
        if self.kind == "moved":
            parts.append(f"本库：{item.moved_from} → 上报包：{item.moved_to}（{item.decision.value}）")
        if item.conflict:
            parts.append(item.conflict.value)
        if item.fields and self.kind != "new":
            parts.append("不同的字段：" + "、".join(item.fields))
        if item.moved and self.kind != "moved":
            parts.append(f"调动：{item.moved_from} → {item.moved_to}")
        if item.reason:
            parts.append(item.reason)
        if self.choices and item.local_modified and item.package_modified:
            parts.append(f"本库修改于{item.local_modified:%Y-%m-%d %H:%M}，"
                         f"上报包中修改于{item.package_modified:%Y-%m-%d %H:%M}（UTC）")
        return "；".join(parts)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        col = index.column() - (1 if self.choices else 0)
        if self.choices and index.column() == 0:
            if role == Qt.ItemDataRole.CheckStateRole and item.resolvable:
                return (Qt.CheckState.Checked if item.key in self.taken
                        else Qt.CheckState.Unchecked)
            if role == Qt.ItemDataRole.DisplayRole and not item.resolvable:
                return "不可"
            if role == Qt.ItemDataRole.ToolTipRole:
                return ("勾选：以上报包为准；不勾选：保留本库（下次导入仍会提示）" if item.resolvable
                        else "此冲突须先在一方修改后再导入")
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (item.table_label, item.title, self._explain(item))[col] if 0 <= col < 3 else None
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.choices and index.column() == 0 and self.items[index.row()].resolvable:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def setData(self, index: QModelIndex, value: Any, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not (self.choices and index.isValid() and index.column() == 0
                and role == Qt.ItemDataRole.CheckStateRole):
            return False
        item = self.items[index.row()]
        if not item.resolvable:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        (self.taken.add if checked else self.taken.discard)(item.key)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_all(self, take: bool) -> None:
        self.taken = {i.key for i in self.items if i.resolvable} if take else set()
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])


TABS = (("new", "新增"), ("changed", "修改"), ("conflict", "冲突"), ("moved", "调动"),
        ("removed", "删除"), ("blocked", "无法导入"))


class ExchangeImportDialog(RememberingDialog):
    """导入上报包: verify, preview, choose for conflicts, merge."""

    default_size = (900, 620)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent, "导入上报包")
        self._service = ExchangeService(workspace.db)
        self.task: Task | None = None
        self.plan = None
        self.result: MergeResult | None = None
        self.models: dict[str, MergeItemsModel] = {}

        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("请选择社区或街道导出的上报包文件（.djpkg）")
        self.choose_button = QPushButton("选择文件…", self)
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self.choose)
        row = QHBoxLayout()
        row.addWidget(QLabel("上报包：", self))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.views: dict[str, QTableView] = {}
        for key, label in TABS:
            view = QTableView(self)
            view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
            view.setAlternatingRowColors(True)
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            self.views[key] = view
            if key == "conflict":
                box = QWidget(self)
                v = QVBoxLayout(box)
                v.setContentsMargins(0, 0, 0, 0)
                note = QLabel("冲突：同一记录在两边都被修改过。不勾选则保留本库的记录（不覆盖，下次导入仍会提示）；"
                              "勾选“以上报包为准”则用上报包中的记录覆盖。", box)
                note.setWordWrap(True)
                buttons = QHBoxLayout()
                self.take_all_button = QPushButton("全部以上报包为准", box)
                self.keep_all_button = QPushButton("全部保留本库", box)
                for b in (self.take_all_button, self.keep_all_button):
                    b.setAutoDefault(False)
                    buttons.addWidget(b)
                buttons.addStretch(1)
                self.take_all_button.clicked.connect(lambda: self._set_all(True))
                self.keep_all_button.clicked.connect(lambda: self._set_all(False))
                v.addWidget(note)
                v.addLayout(buttons)
                v.addWidget(view, 1)
                self.tabs.addTab(box, label)
            else:
                self.tabs.addTab(view, label)

        self.status = _status_label(self)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._show_plan(None)

    # --- choosing and previewing ----------------------------------------------------
    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择上报包", str(_folder()), FILTER)
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Verify and preview `path` in the background (nothing is written)."""
        if self.task is not None and self.task.running:
            return
        self.path_edit.setText(str(path))
        self._show_plan(None)
        service = self._service

        def work(progress, cancel):
            package = service.read_package(path, progress, cancel)
            progress(0, 0, "正在比对记录…")
            return service.plan_merge(package)

        self._busy(True)
        _say(self.status, "正在校验上报包并比对记录…")
        self.task = run_task(self, "正在读取上报包", work, on_done=self._previewed,
                             on_failed=self._preview_failed, on_cancelled=self._cancelled)

    def _previewed(self, plan) -> None:
        self._busy(False)
        _remember_folder(plan.package.path)
        self._show_plan(plan)
        if plan.has_changes or plan.conflicts:
            _say(self.status, "请检查预览；点击“导入”后才会写入数据库。")
        else:
            _say(self.status, "上报包中没有需要导入的改动。")

    def _preview_failed(self, error: BaseException) -> None:
        self._busy(False)
        _say(self.status, str(error) if isinstance(error, DomainError) else "无法读取上报包。",
             error=True)
        errors.show_error(self, error, "无法导入上报包")

    def _show_plan(self, plan) -> None:
        self.plan = plan
        lists = {"new": [], "changed": [], "conflict": [], "moved": [], "removed": [], "blocked": []}
        if plan is not None:
            lists = {"new": plan.new, "changed": plan.changed, "conflict": plan.conflicts,
                     "moved": plan.moved, "removed": plan.removed, "blocked": plan.blocked}
            self.summary.setText(f"{plan.package.describe()}\n{plan.describe()}")
        else:
            self.summary.setText("")
        for i, (key, label) in enumerate(TABS):
            model = MergeItemsModel(lists[key], key, self)
            model.dataChanged.connect(self._update_buttons)
            self.models[key] = model
            self.views[key].setModel(model)
            self.views[key].setColumnWidth(0, 110 if key == "conflict" else 90)
            self.tabs.setTabText(i, f"{label}（{len(lists[key])}）")
        first = next((i for i, (k, _) in enumerate(TABS) if k in ("conflict", "blocked") and lists[k]),
                     None)
        if first is not None:
            self.tabs.setCurrentIndex(first)
        self._update_buttons()

    def _set_all(self, take: bool) -> None:
        self.models["conflict"].set_all(take)

    def _update_buttons(self, *_args) -> None:
        plan = self.plan
        busy = self.task is not None and self.task.running
        taking = bool(self.models.get("conflict") and self.models["conflict"].taken)
        self.import_button.setEnabled(plan is not None and not busy and (plan.has_changes or taking))
        resolvable = plan is not None and any(i.resolvable for i in plan.conflicts)
        self.take_all_button.setEnabled(resolvable and not busy)
        self.keep_all_button.setEnabled(resolvable and not busy)

    def resolutions(self) -> dict[tuple[str, str], Resolution]:
        return {key: Resolution.TAKE_PACKAGE for key in self.models["conflict"].taken}

    # --- importing ------------------------------------------------------------------
    def start_import(self) -> None:
        plan = self.plan
        if plan is None or (self.task is not None and self.task.running):
            return
        resolutions, service = self.resolutions(), self._service
        left = len([i for i in plan.conflicts if i.key not in resolutions])
        if left and not errors.confirm(
                self, f"还有{left}条冲突将保留本库的记录（不会被覆盖，下次导入仍会提示）。继续导入吗？",
                "确认导入"):
            return

        def work(progress, cancel):
            return service.apply_merge(plan, resolutions, progress, cancel)

        self._busy(True)
        _say(self.status, "正在导入…")
        self.task = run_task(self, "正在导入上报包", work, on_done=self._imported,
                             on_failed=self._import_failed, on_cancelled=self._cancelled)

    def _imported(self, result: MergeResult) -> None:
        self.result = result
        self._busy(False)
        _say(self.status, result.describe())
        errors.inform(self, result.describe(), "导入完成")
        self.accept()

    def _import_failed(self, error: BaseException) -> None:
        self._busy(False)
        _say(self.status, "导入失败，数据库未作任何修改。", error=True)
        errors.show_error(self, error, "导入失败")

    def _cancelled(self) -> None:
        self._busy(False)
        _say(self.status, "已取消，数据库未作任何修改。")

    def _busy(self, busy: bool) -> None:
        self.choose_button.setEnabled(not busy)
        for view in self.views.values():
            view.setEnabled(not busy)
        self._update_buttons()
        if busy:
            self.import_button.setEnabled(False)

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel_token.cancel()
            return
        super().reject()

