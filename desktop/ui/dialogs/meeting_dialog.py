"""Record, plan or complete a meeting (三会一课 and other organisational life).

Tabs: 基本信息 (kind, time, place, chair, recorder, topics, guests), 出席情况 (the
roster on the meeting date: tick who came, a reason for each absentee, with
应到/实到/缺席 and the quorum shown live), 内容与决议 (speeches, resolutions with
votes and whether each passed), 附件 (photos and the signed sheet, copied into the
database's own files folder). Rules live in domain/; this dialog only shows them.
"""
from __future__ import annotations

import tempfile
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QTime, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QStyledItemDelegate,
                               QTableView, QTabWidget, QTimeEdit, QVBoxLayout, QWidget)

from ...domain.errors import DomainError
from ...domain.meeting import (AttachmentKind, Meeting, MeetingKind, MeetingStatus, Resolution,
                               UnitDelegate, guest_lines, parse_guest_lines)
from ...domain.meeting_calendar import meeting_kinds_allowed
from ...domain.meeting_rules import resolution_outcome, tally
from ..errors import errors_by_field, show_error
from ..table_models.meeting_models import REASONS, AttendanceModel, ResolutionModel, UnitModel
from ..widgets.date_edit import DateEdit
from ..widgets.field_form import FieldForm, show_errors
from .base import RememberingDialog, ok_cancel
from .org_dialog import general_error_label

KIND, NAME, STATUS, DAY, START, END, PLACE = "会议类型", "会议名称", "状态", "日期", "时间", "结束时间", "地点"
HOST, RECORDER, TOPIC, LECTURER, TITLE, GUESTS, REMARKS = "主持人", "记录人", "主题", "授课人", "课题", "列席人员", "备注"
ALIASES = {"开始时间": START, "会议主题": TOPIC}
MAX_PHOTO_SIDE = 2400  # photos larger than this are scaled down before they are stored


class ReasonDelegate(QStyledItemDelegate):
    """缺席原因 picked from 病假/事假/公差/其他."""

    def createEditor(self, parent, option, index):  # noqa: N802
        box = QComboBox(parent)
        box.addItems(REASONS)
        return box

    def setEditorData(self, editor, index):  # noqa: N802
        i = editor.findText(index.data() or "")
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText())


class MeetingDialog(RememberingDialog):
    """exec() returns Accepted after the meeting was saved; `meeting` holds it as saved."""

    default_size = (900, 700)

    def __init__(self, workspace, *, meeting_id: int | None = None, org_id: int | None = None,
                 kind: MeetingKind | None = None, start: datetime | None = None,
                 status: MeetingStatus | None = None, parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(parent, "会议记录")
        self._ws = workspace
        self._today = today or date.today()
        if meeting_id is not None:
            self.meeting = workspace.meetings.get(meeting_id)
        else:
            start = start or datetime.combine(self._today, time(9, 0))
            if status is None:
                status = MeetingStatus.PLANNED if start.date() > self._today else MeetingStatus.HELD
            self.meeting = workspace.meetings.draft(org_id, kind or MeetingKind.ASSEMBLY, start, status)
        self.org = workspace.orgs.get(self.meeting.org_id)
        self.setWindowTitle(f"{'新建' if self.meeting.id is None else '编辑'}会议记录 — {self.org.name}")
        self._loading = True
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._basic_tab(), "基本信息")
        self.tabs.addTab(self._attendance_tab(), "出席情况")
        self.tabs.addTab(self._content_tab(), "内容与决议")
        self.tabs.addTab(self._attachments_tab(), "附件")
        self.error = general_error_label(self)
        self.signin_button = QPushButton("打印签到表…", self)
        self.preview_button = QPushButton("预览/打印会议记录…", self)
        self.signin_button.clicked.connect(self.print_signin)
        self.preview_button.clicked.connect(self.preview_minutes)
        buttons = ok_cancel(self, self.save, "保存")
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        bottom = QHBoxLayout()
        bottom.addWidget(self.signin_button)
        bottom.addWidget(self.preview_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)
        self._load()
        self._loading = False
        self._kind_changed()
        self._update_summary()

    # --- tabs ------------------------------------------------------------------------------
    def _basic_tab(self) -> QWidget:
        page = QWidget(self)
        self.form = FieldForm(page)
        self.kind = QComboBox(page)
        for k in meeting_kinds_allowed(self.org.kind):
            self.kind.addItem(k.value, k)
        self.other_name = QLineEdit(page)
        self.other_name.setMaxLength(30)
        self.status = QComboBox(page)
        self.status.addItem("已召开", MeetingStatus.HELD)
        self.status.addItem("计划（尚未召开）", MeetingStatus.PLANNED)
        self.late_note = QLabel(page)
        status_row = QWidget(page)
        sl = QHBoxLayout(status_row)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.status)
        sl.addWidget(self.late_note, 1)
        self.day = DateEdit(page)
        self.start_time, self.end_time = QTimeEdit(page), QTimeEdit(page)
        for t in (self.start_time, self.end_time):
            t.setDisplayFormat("HH:mm")
        times = QWidget(page)
        tl = QHBoxLayout(times)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.start_time)
        tl.addWidget(QLabel("至", page))
        tl.addWidget(self.end_time)
        tl.addStretch(1)
        self.place = QLineEdit(page)
        self.place.setMaxLength(100)
        self.place.setPlaceholderText("如 社区党群服务中心二楼会议室")
        self.host, self.recorder = QComboBox(page), QComboBox(page)
        for box in (self.host, self.recorder):
            box.setEditable(True)
            box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.topics = QPlainTextEdit(page)
        self.topics.setPlaceholderText("每行一个议题")
        self.topics.setFixedHeight(70)
        self.lecturer, self.lecture_title = QLineEdit(page), QLineEdit(page)
        self.lecturer.setMaxLength(60)
        self.lecture_title.setMaxLength(200)
        self.guests = QPlainTextEdit(page)
        self.guests.setPlaceholderText("每行一人：姓名 职务，如“刘芳 街道党工委组织委员”")
        self.guests.setFixedHeight(60)
        self.remarks = QLineEdit(page)
        self.remarks.setMaxLength(2000)
        f = self.form
        self.org_label = QLabel(self.org.name, page)
        f.add_row("组织", self.org_label)
        f.add_row(KIND, self.kind, required=True)
        self._name_row = f.add_row(NAME, self.other_name, required=True)
        f.add_row(STATUS, status_row)
        f.add_row(DAY, self.day, required=True)
        f.add_row(START, times, label="起止时间", required=True)
        self.form.rows[END] = self.form.rows[START]  # 结束时间 errors show under the times
        f.add_row(PLACE, self.place)
        f.add_row(HOST, self.host)
        f.add_row(RECORDER, self.recorder)
        f.add_row(TOPIC, self.topics, label="主题/议题", required=True)
        self._lecturer_row = f.add_row(LECTURER, self.lecturer, required=True)
        self._title_row = f.add_row(TITLE, self.lecture_title)
        f.add_row(GUESTS, self.guests)
        f.add_row(REMARKS, self.remarks)
        f.add_stretch()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.status.currentIndexChanged.connect(self._update_summary)
        self.day.dateChanged.connect(self._date_changed)
        layout = QVBoxLayout(page)
        layout.addWidget(self.form)
        return page

    def _attendance_tab(self) -> QWidget:
        page = QWidget(self)
        self.summary = QLabel(page)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.attendance = AttendanceModel([], self, on_change=self._update_summary)
        self.attendance_view = QTableView(page)
        self.attendance_view.setModel(self.attendance)
        self.attendance_view.setItemDelegateForColumn(AttendanceModel.REASON, ReasonDelegate(self))
        self.attendance_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.attendance_view.horizontalHeader().setSectionResizeMode(AttendanceModel.NOTE, QHeaderView.ResizeMode.Stretch)
        self.all_present = QPushButton("全部出席", page)
        self.all_present.clicked.connect(lambda: self.attendance.set_all_present(True))
        self.reload_people = QPushButton("按会议日期重新生成应到名单", page)
        self.reload_people.clicked.connect(self._refresh_attendance)
        self.units = UnitModel([], self)
        self.units_view = QTableView(page)
        self.units_view.setModel(self.units)
        self.units_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.units.dataChanged.connect(lambda *_: self._update_summary())
        self.add_unit = QPushButton("添加单位", page)
        self.add_unit.clicked.connect(lambda: (self.units.add(UnitDelegate("（单位名称）")), self._update_summary()))
        self.remove_unit = QPushButton("删除单位", page)
        self.remove_unit.clicked.connect(lambda: (self.units.remove(self.units_view.currentIndex().row()),
                                                  self._update_summary()))
        buttons = QHBoxLayout()
        for b in (self.all_present, self.reload_people, self.add_unit, self.remove_unit):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.attendance_view, 1)
        layout.addWidget(self.units_view, 1)
        layout.addLayout(buttons)
        return page

    def _content_tab(self) -> QWidget:
        page = QWidget(self)
        self.content = QPlainTextEdit(page)
        self.content.setPlaceholderText("按发言顺序记录，每段一行，如：\n张三：……\n李四：……")
        self.resolutions = ResolutionModel([], self, outcome=self._outcome, on_change=self._update_summary)
        self.resolutions_view = QTableView(page)
        self.resolutions_view.setModel(self.resolutions)
        self.resolutions_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_resolution = QPushButton("添加决议", page)
        self.add_resolution.clicked.connect(lambda: self.resolutions.add(Resolution("（决议内容）")))
        self.remove_resolution = QPushButton("删除决议", page)
        self.remove_resolution.clicked.connect(
            lambda: self.resolutions.remove(self.resolutions_view.currentIndex().row()))
        row = QHBoxLayout()
        row.addWidget(QLabel("决议及表决情况：", page))
        row.addStretch(1)
        row.addWidget(self.add_resolution)
        row.addWidget(self.remove_resolution)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("主要内容：", page))
        layout.addWidget(self.content, 3)
        layout.addLayout(row)
        layout.addWidget(self.resolutions_view, 1)
        return page

    def _attachments_tab(self) -> QWidget:
        page = QWidget(self)
        self.attachment_list = QListWidget(page)
        self.attachment_list.itemDoubleClicked.connect(lambda _: self.open_attachment())
        self.add_photo = QPushButton("添加会议照片…", page)
        self.add_signin = QPushButton("添加签到表照片…", page)
        self.open_button = QPushButton("打开", page)
        self.remove_button = QPushButton("删除", page)
        self.add_photo.clicked.connect(lambda: self._pick_files(AttachmentKind.PHOTO))
        self.add_signin.clicked.connect(lambda: self._pick_files(AttachmentKind.SIGNIN))
        self.open_button.clicked.connect(self.open_attachment)
        self.remove_button.clicked.connect(self.remove_attachment)
        self.attachment_note = QLabel("附件复制到数据库自己的文件夹中，备份和上报时一并带走。", page)
        self.attachment_note.setWordWrap(True)
        row = QHBoxLayout()
        for b in (self.add_photo, self.add_signin, self.open_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.attachment_note)
        layout.addWidget(self.attachment_list, 1)
        layout.addLayout(row)
        return page

    # --- loading and collecting ----------------------------------------------------------
    def current_kind(self) -> MeetingKind:
        return MeetingKind(self.kind.currentData())  # Qt hands str enums back as plain str

    def current_status(self) -> MeetingStatus:
        return MeetingStatus(self.status.currentData())

    def _load(self) -> None:
        m = self.meeting
        self.kind.setCurrentIndex(max(self.kind.findData(m.kind), 0))
        self.other_name.setText(m.other_name)
        self.status.setCurrentIndex(self.status.findData(m.status))
        if m.late and m.recorded_on:
            self.late_note.setText(f"补记（记录于{m.recorded_on.isoformat()}）")
        self.day.setDate(m.day)
        self.start_time.setTime(QTime(m.start.hour, m.start.minute))
        end = m.end or (m.start.replace(hour=min(m.start.hour + 1, 23)))
        self.end_time.setTime(QTime(end.hour, end.minute))
        self.place.setText(m.place)
        self.topics.setPlainText("\n".join(m.topics))
        self.lecturer.setText(m.lecturer)
        self.lecture_title.setText(m.lecture_title)
        self.guests.setPlainText(guest_lines(m.guests))
        self.remarks.setText(m.remarks)
        self.content.setPlainText(m.content)
        self.attendance.set_rows(m.attendees)
        self.resolutions.set_rows(m.resolutions)
        self.units.set_rows(m.units)
        self._fill_people()
        self._select_person(self.host, m.host_id, m.host_name)
        self._select_person(self.recorder, m.recorder_id, m.recorder_name)
        self._load_attachments()

    def _fill_people(self) -> None:
        for box in (self.host, self.recorder):
            current = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItem("", None)
            for a in self.attendance.rows:
                box.addItem(a.name, a.member_id)
            box.setEditText(current)
            box.blockSignals(False)

    @staticmethod
    def _select_person(box: QComboBox, member_id: int | None, name: str) -> None:
        i = box.findData(member_id) if member_id is not None else -1
        if i >= 0:
            box.setCurrentIndex(i)
        else:
            box.setEditText(name)

    @staticmethod
    def _person(box: QComboBox) -> tuple[int | None, str]:
        text = box.currentText().strip()
        i = box.findText(text)
        return (box.itemData(i), text) if i > 0 else (None, text)

    def collect(self) -> Meeting:
        """The meeting as the form shows it now (the same object, updated)."""
        m = self.meeting
        m.kind = self.current_kind()
        m.other_name = self.other_name.text().strip() if m.kind is MeetingKind.OTHER else ""
        m.status = self.current_status()
        day = self.day.date() or m.day
        st, et = self.start_time.time(), self.end_time.time()
        m.start = datetime(day.year, day.month, day.day, st.hour(), st.minute())
        m.end = datetime(day.year, day.month, day.day, et.hour(), et.minute())
        m.place = self.place.text().strip()
        m.host_id, m.host_name = self._person(self.host)
        m.recorder_id, m.recorder_name = self._person(self.recorder)
        m.topics = [t.strip() for t in self.topics.toPlainText().splitlines() if t.strip()]
        lecture = m.kind is MeetingKind.LECTURE
        m.lecturer = self.lecturer.text().strip() if lecture else ""
        m.lecture_title = self.lecture_title.text().strip() if lecture else ""
        m.guests = parse_guest_lines(self.guests.toPlainText())
        m.remarks = self.remarks.text().strip()
        m.content = self.content.toPlainText().strip()
        m.attendees = self.attendance.rows
        m.resolutions = self.resolutions.rows
        m.units = self.units.rows if m.kind is MeetingKind.JOINT else []
        return m

    # --- reactions -----------------------------------------------------------------------
    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self._name_row.label.setVisible(kind is MeetingKind.OTHER)
        self.other_name.setVisible(kind is MeetingKind.OTHER)
        for row in (self._lecturer_row, self._title_row):
            row.label.setVisible(kind is MeetingKind.LECTURE)
            row.widget.setVisible(kind is MeetingKind.LECTURE)
        joint = kind is MeetingKind.JOINT
        self.attendance_view.setColumnHidden(AttendanceModel.ROLE, kind is not MeetingKind.COMMITTEE)
        self.attendance_view.setVisible(not joint)
        self.all_present.setVisible(not joint)
        self.reload_people.setVisible(not joint)
        for w in (self.units_view, self.add_unit, self.remove_unit):
            w.setVisible(joint)
        if not self._loading and kind is not self.meeting.kind:
            self._refresh_attendance()
        self._update_summary()

    def _date_changed(self, _day) -> None:
        if not self._loading and self.day.date() and self.day.date() != self.meeting.day:
            self._refresh_attendance()

    def _refresh_attendance(self) -> None:
        m = self.collect()
        try:
            self._ws.meetings.refresh_attendance(m)
        except DomainError as e:
            show_error(self, e)
            return
        self.attendance.set_rows(m.attendees)
        self._fill_people()
        self._update_summary()

    def _outcome(self, index: int) -> str:
        m = self.meeting
        m.attendees, m.resolutions = self.attendance.rows, self.resolutions.rows
        if index >= len(m.resolutions) or m.status is MeetingStatus.PLANNED:
            return ""
        out = resolution_outcome(m, index)
        return "" if out.passed is None else ("通过" if out.passed else "未通过")

    def _update_summary(self) -> None:
        if self._loading:
            return
        m = self.meeting
        m.kind = self.current_kind()
        m.status = self.current_status()
        m.units = self.units.rows
        m.attendees = self.attendance.rows
        t = tally(m)
        if m.kind is MeetingKind.JOINT:
            text = f"应到单位{t.expected}个，实到{t.present}个，缺席{t.absent}个"
        elif m.status is MeetingStatus.PLANNED:
            text = f"计划会议：应到{t.expected}人（其中有表决权{t.voters_expected}人）。可打印签到表。"
        else:
            text = t.summary()
            if t.nonvoters_present:
                text += f"（其中预备党员等列席无表决权{t.nonvoters_present}人）"
            if t.verdict():
                text += f"\n{t.verdict()}"
        self.summary.setText(text)
        color = "#b02a1f" if t.valid is False and m.status is MeetingStatus.HELD else "#1e5a1e"
        self.summary.setStyleSheet(f"font-weight: bold; color: {color};")
        self.resolutions.refresh()

    # --- saving --------------------------------------------------------------------------
    def save(self) -> bool:
        """Save and close; on a broken rule show it by its field and stay open."""
        if self._save():
            self.accept()
            return True
        return False

    def _save(self) -> bool:
        m = self.collect()
        try:
            saved = self._ws.meetings.save(m, today=self._today)
        except DomainError as e:
            left = show_errors(self.form.rows, errors_by_field(e), ALIASES)
            if any(k in left for k in ("缺席原因", "参会单位")):
                self.tabs.setCurrentIndex(1)
            elif "决议" in left:
                self.tabs.setCurrentIndex(2)
            else:
                self.tabs.setCurrentIndex(0)
            self.error.setText("\n".join(f"{k}：{v}" if k else v for k, v in left.items()))
            self.error.setVisible(bool(left))
            return False
        show_errors(self.form.rows, {})
        self.error.hide()
        self.meeting = saved
        self._load_attachments()
        return True

    # --- attachments ---------------------------------------------------------------------
    def _load_attachments(self) -> None:
        self.attachment_list.clear()
        for a in self.meeting.attachments:
            item = QListWidgetItem(f"[{a.kind.value}] {a.file_name}" + (f" — {a.caption}" if a.caption else ""))
            item.setData(256, a)
            self.attachment_list.addItem(item)
        saved = self.meeting.id is not None
        for b in (self.add_photo, self.add_signin):
            b.setEnabled(saved)
            b.setToolTip("" if saved else "请先保存会议，再添加附件")

    def _pick_files(self, kind: AttachmentKind) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, f"选择{kind.value}", "",
                                                "图片 (*.jpg *.jpeg *.png *.bmp);;PDF (*.pdf);;所有文件 (*)")
        if paths:
            self.add_attachment_files([Path(p) for p in paths], kind)

    def add_attachment_files(self, paths: list[Path], kind: AttachmentKind) -> None:
        try:
            for p in paths:
                data, name = _shrunk(p)
                a = self._ws.meetings.attach(self.meeting.id, name, data, kind)
                self.meeting.attachments.append(a)
        except (DomainError, OSError) as e:
            show_error(self, e if isinstance(e, DomainError) else DomainError(f"无法读取文件：{e}"))
        self._load_attachments()

    def _current_attachment(self):
        item = self.attachment_list.currentItem()
        return item.data(256) if item else None

    def open_attachment(self) -> None:
        a = self._current_attachment()
        if a is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._ws.meetings.attachment_path(a))))

    def remove_attachment(self) -> None:
        a = self._current_attachment()
        if a is None:
            return
        self._ws.meetings.remove_attachment(a.id)
        self.meeting.attachments = [x for x in self.meeting.attachments if x.id != a.id]
        self._load_attachments()

    # --- printing ------------------------------------------------------------------------
    def _export_then_preview(self, title: str, write) -> None:
        from .pdf_preview import preview_pdf

        folder = Path(tempfile.mkdtemp(prefix="dangjian-"))
        target = folder / f"{self.org.name}{self.meeting.title_kind}{title}.pdf"
        try:
            write(target)
        except DomainError as e:
            show_error(self, e)
            return
        preview_pdf(self, target, title)

    def print_signin(self) -> None:
        if not self._save():
            return
        mid = self.meeting.id
        self._export_then_preview("签到表", lambda p: self._ws.meetings.export_signin(p, mid))

    def preview_minutes(self) -> None:
        if not self._save():
            return
        mid = self.meeting.id
        self._export_then_preview("会议记录", lambda p: self._ws.meetings.export_minutes(
            p, [mid], with_photos=True))


def _shrunk(path: Path) -> tuple[bytes, str]:
    """The file's bytes; a photo larger than MAX_PHOTO_SIDE is scaled down to a JPEG."""
    data = path.read_bytes()
    if path.suffix.lower() not in (".jpg", ".jpeg", ".png", ".bmp"):
        return data, path.name
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage

    img = QImage()
    if not img.loadFromData(data) or max(img.width(), img.height()) <= MAX_PHOTO_SIDE:
        return data, path.name
    img = img.scaled(MAX_PHOTO_SIDE, MAX_PHOTO_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                     Qt.TransformationMode.SmoothTransformation)
    buf = QByteArray()
    dev = QBuffer(buf)
    dev.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(dev, "JPEG", 85)
    return bytes(buf.data()), path.with_suffix(".jpg").name

