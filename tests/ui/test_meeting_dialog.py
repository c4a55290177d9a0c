"""Recording a meeting through the dialog, as a clerk would, and what the database then holds."""
from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain.meeting import AbsenceReason, AttachmentKind, MeetingKind, MeetingStatus
from desktop.ui.table_models.meeting_models import AttendanceModel, ResolutionModel
from tests.services.test_meetings import branch  # noqa: F401  (fixture)

K = MeetingKind
DAY = date(2026, 3, 12)


@pytest.fixture
def dialog_for(qtbot, workspace, branch):  # noqa: F811
    from desktop.ui.dialogs.meeting_dialog import MeetingDialog

    def make(**kw):
        kw.setdefault("today", DAY)
        if "meeting_id" not in kw:
            kw.setdefault("org_id", branch["b1"])
        d = MeetingDialog(workspace, **kw)
        qtbot.addWidget(d)
        d.show()
        return d

    return make


def row_of(model, name: str) -> int:
    return next(i for i, a in enumerate(model.rows) if a.name == name)


def tick(model: AttendanceModel, name: str, present: bool) -> None:
    r = row_of(model, name)
    state = Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
    assert model.setData(model.index(r, AttendanceModel.PRESENT), state.value, Qt.ItemDataRole.CheckStateRole)


def test_record_an_assembly_end_to_end(dialog_for, workspace, branch, qtbot):  # noqa: F811
    d = dialog_for(kind=K.ASSEMBLY, start=datetime(2026, 3, 12, 14, 30))
    assert d.current_status() is MeetingStatus.HELD
    assert d.host.currentText() == "张三"  # the secretary chairs by default
    assert [a.name for a in d.attendance.rows] == ["李四", "钱七", "孙八", "王五", "张三", "赵六"]
    d.topics.setPlainText("学习党章\n讨论接收孙八为预备党员")
    d.place.setText("社区党群服务中心")
    d.recorder.setCurrentIndex(d.recorder.findText("李四"))
    d.guests.setPlainText("刘芳 街道党工委组织委员")
    d.content.setPlainText("张三：宣布开会。\n李四：介绍情况。")
    tick(d.attendance, "王五", False)
    tick(d.attendance, "赵六", False)
    assert "应到6人，实到4人，缺席2人" in d.summary.text()
    assert "有表决权的应到5人，实到3人，超过半数，会议有效" in d.summary.text()
    assert "预备党员等列席无表决权1人" in d.summary.text()

    qtbot.mouseClick(d.add_resolution, Qt.MouseButton.LeftButton)
    res = d.resolutions
    res.setData(res.index(0, ResolutionModel.TEXT), "同意接收孙八为预备党员")
    res.setData(res.index(0, ResolutionModel.YES), "2")
    assert res.index(0, ResolutionModel.RESULT).data() == "未通过"  # 2 of 5 voters is not over half
    res.setData(res.index(0, ResolutionModel.YES), "3")
    assert res.index(0, ResolutionModel.RESULT).data() == "通过"

    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)  # no reasons yet: refused
    assert d.result() == 0 and d.tabs.currentIndex() == 1
    assert "王五" in d.error.text() and "缺席原因" in d.error.text()

    r = row_of(d.attendance, "王五")
    d.attendance.setData(d.attendance.index(r, AttendanceModel.REASON), "病假")
    r = row_of(d.attendance, "赵六")
    d.attendance.setData(d.attendance.index(r, AttendanceModel.REASON), "其他")
    d.attendance.setData(d.attendance.index(r, AttendanceModel.NOTE), "外出务工")
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert d.result() == 1

    (summary,) = workspace.meetings.list(branch["b1"], 2026)
    m = workspace.meetings.get(summary.id)
    assert (m.kind, m.status, m.late, m.recorded_on) == (K.ASSEMBLY, MeetingStatus.HELD, False, DAY)
    assert m.topics == ["学习党章", "讨论接收孙八为预备党员"] and m.place == "社区党群服务中心"
    assert (m.host_name, m.recorder_name, m.host_id) == ("张三", "李四", branch["张三"])
    assert [g.text() for g in m.guests] == ["刘芳（街道党工委组织委员）"]
    assert [(a.name, a.reason, a.note) for a in m.absent] == [
        ("王五", AbsenceReason.SICK, ""), ("赵六", AbsenceReason.OTHER, "外出务工")]
    assert [(r.text, r.yes) for r in m.resolutions] == [("同意接收孙八为预备党员", 3)]
    assert m.start == datetime(2026, 3, 12, 14, 30)


def test_errors_show_under_their_fields(dialog_for):
    d = dialog_for(kind=K.LECTURE)
    d.topics.setPlainText("")
    d.end_time.setTime(d.start_time.time().addSecs(-3600))
    assert not d.save()
    assert d.form.rows["主题"].error() == "请填写会议主题或议题"
    assert d.form.rows["授课人"].error() == "党课请填写授课人"
    assert d.form.rows["时间"].error() == "应晚于开始时间"


def test_changing_date_or_kind_rebuilds_who_should_attend(dialog_for, workspace, branch):  # noqa: F811
    d = dialog_for(kind=K.ASSEMBLY, start=datetime(2026, 3, 12, 9, 0))
    tick(d.attendance, "李四", False)
    d.day.setDate(date(2025, 8, 1))  # before 孙八 joined
    assert "孙八" not in [a.name for a in d.attendance.rows]
    assert [a.name for a in d.attendance.rows if not a.present] == ["李四"]  # ticks kept
    d.kind.setCurrentIndex(d.kind.findData(K.COMMITTEE))
    assert [(a.name, a.role) for a in d.attendance.rows] == [("张三", "书记"), ("李四", "组织委员"), ("王五", "宣传委员")]
    assert not d.attendance_view.isColumnHidden(AttendanceModel.ROLE)


def test_plan_then_complete_later_is_marked_late(dialog_for, workspace, branch):  # noqa: F811
    d = dialog_for(kind=K.THEME_DAY, start=datetime(2026, 3, 20, 9, 0))
    assert d.current_status() is MeetingStatus.PLANNED  # a future date
    assert "计划会议：应到6人" in d.summary.text()
    d.topics.setPlainText("重温入党誓词")
    assert d.save()
    mid = d.meeting.id
    later = dialog_for(meeting_id=mid, today=date(2026, 3, 25))
    later.status.setCurrentIndex(later.status.findData(MeetingStatus.HELD))
    assert later.save()
    m = workspace.meetings.get(mid)
    assert m.status is MeetingStatus.HELD and m.late and m.recorded_on == date(2026, 3, 25)
    again = dialog_for(meeting_id=mid, today=date(2026, 3, 25))
    assert again.late_note.text() == "补记（记录于2026-03-25）"


def test_joint_meeting_lists_units(dialog_for, workspace, branch):  # noqa: F811
    d = dialog_for(org_id=branch["community"], kind=K.JOINT, start=datetime(2026, 3, 5, 9, 0))
    assert not d.units_view.isHidden() and d.attendance_view.isHidden()
    d.add_unit.click()
    d.add_unit.click()
    u = d.units
    u.setData(u.index(0, 0), "区人民医院党委")
    u.setData(u.index(0, 1), "王院长")
    u.setData(u.index(1, 0), "实验中学党支部")
    u.setData(u.index(1, 3), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert "应到单位2个，实到1个，缺席1个" in d.summary.text()
    d.topics.setPlainText("共建项目")
    assert d.save()
    m = workspace.meetings.get(d.meeting.id)
    assert [(x.unit, x.representative, x.present) for x in m.units] == [
        ("区人民医院党委", "王院长", True), ("实验中学党支部", "", False)]


def test_attachments_after_saving(dialog_for, workspace, tmp_path):
    from PIL import Image

    d = dialog_for(kind=K.THEME_DAY, start=datetime(2026, 3, 1, 9, 0))
    assert not d.add_photo.isEnabled()  # nothing to attach to yet
    d.topics.setPlainText("环境整治")
    assert d._save()
    assert d.add_photo.isEnabled()
    big = tmp_path / "现场.png"
    Image.new("RGB", (4000, 3000), (30, 120, 30)).save(big)
    d.add_attachment_files([big], AttachmentKind.PHOTO)
    assert d.attachment_list.count() == 1
    (a,) = workspace.meetings.get(d.meeting.id).attachments
    stored = workspace.meetings.attachment_path(a)
    assert a.file_name == "现场.jpg" and stored.is_file()  # scaled down to a JPEG
    with Image.open(stored) as img:
        assert max(img.size) == 2400
    d.attachment_list.setCurrentRow(0)
    d.remove_attachment()
    assert d.attachment_list.count() == 0 and workspace.meetings.get(d.meeting.id).attachments == []


def test_preview_and_signin_produce_pdfs(dialog_for, monkeypatch):
    from desktop.ui.dialogs import pdf_preview

    shown: list[tuple[Path, str]] = []
    monkeypatch.setattr(pdf_preview, "preview_pdf", lambda parent, path, title: shown.append((path, title)))
    d = dialog_for(kind=K.ASSEMBLY, start=datetime(2026, 3, 12, 14, 30))
    d.topics.setPlainText("学习党章")
    d.preview_button.click()
    d.signin_button.click()
    assert [t for _, t in shown] == ["会议记录", "签到表"]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(shown[0][0]), "-"],
                          capture_output=True, check=True).stdout.decode()
    assert "支部党员大会记录" in re.sub(r"\s+", "", text)
    assert d.meeting.id is not None  # saved first


def test_preview_dialog(qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from desktop.domain.meeting import Meeting, PrintableMeeting
    from desktop.exports.pdf.minutes import write_minutes
    from desktop.ui.dialogs.pdf_preview import PdfPreviewDialog, qtpdf_available

    pdf = tmp_path / "m.pdf"
    write_minutes(pdf, [PrintableMeeting(Meeting(1, K.THEME_DAY, datetime(2026, 3, 1, 9, 0),
                                                 topics=["环境整治"]), "第一支部")])
    d = PdfPreviewDialog(pdf, "会议记录")
    qtbot.addWidget(d)
    if not qtpdf_available():
        assert not d.print_button.isEnabled() and "QtPdf" in d.info.text()
        assert str(pdf) in d.info.text()
        return
    assert len(d.page_labels) == 1 and not d.page_labels[0].pixmap().isNull()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert d.print_pdf(printer)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"Pages:\s+1", info)


def test_models_pass_the_model_tester(qtmodeltester, workspace, branch):  # noqa: F811
    from desktop.domain.meeting import Resolution

    people = workspace.meetings.expected_attendees(branch["b1"], K.ASSEMBLY, DAY)
    qtmodeltester.check(AttendanceModel(people))
    qtmodeltester.check(ResolutionModel([Resolution("甲", 1, 0, 0)]))
