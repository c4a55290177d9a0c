"""The 双报到 page: register a member (linked to the roster), record a group service
activity, and produce that member's employer's 反馈表."""
from __future__ import annotations

import subprocess
from datetime import date

import pytest

from desktop.domain.registration import RegisteredMember, ServicePost

TODAY = date(2026, 11, 22)


@pytest.fixture
def page(qtbot, workspace, populated):
    from desktop.ui.pages.registrations_page import RegistrationsPage

    workspace.registrations.register(RegisteredMember(
        populated["community"], "钱七", "区税务局", "区税务局机关党委", phone="13600001234",
        reported_on=date(2026, 1, 1)), TODAY)
    p = RegistrationsPage(workspace, today=TODAY)
    qtbot.addWidget(p)
    p.resize(1000, 700)
    p.show()
    p.set_org(populated["b1"])  # a branch: its community
    return p


def test_register_record_group_service_and_print_feedback(page, workspace, populated, modal,
                                                          qtbot, messages, tmp_path):
    assert page.scope.text() == "社区：幸福社区党委"
    assert [r.name for r in page.members.rows] == ["钱七"]

    def register(dlg):
        dlg.roster_search.setText("李四")
        dlg.search_roster()
        assert dlg.roster_hits.count() == 1 and "李四" in dlg.roster_hits.currentText()
        dlg.link_selected()
        assert dlg.name.text() == "李四" and not dlg.name.isEnabled()
        dlg.employer.setText("市供电公司")
        dlg.employer_org.setText("市供电公司党委")
        dlg.posts[ServicePost.PATROL].setChecked(True)
        dlg.save()
        assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()

    modal(page.new_member, register)
    rows = {r.name: r for r in page.members.rows}
    assert rows["李四"].member_id == populated["lisi"] and rows["李四"].phone == "13800000000"
    assert page.members.index(list(rows).index("李四"), 8).data() == "已关联"

    def group_entry(dlg):
        assert {p.name for p in dlg.people.rows} == {"钱七", "李四"}
        dlg.activity.setText("夜间平安巡逻")
        dlg.post.setCurrentText(ServicePost.PATROL.value)
        dlg.hours.setValue(2.5)
        dlg.day.setDate(date(2026, 10, 8))
        dlg.save()
        assert "确认人" in dlg.error.text()  # nothing saved yet
        dlg.confirmed_by.setText("社区干事")
        dlg.tick_all()
        assert dlg.count.text() == "已选2人"
        dlg.save()
        assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()

    modal(page.new_service, group_entry)
    (service,) = page.services.rows
    assert {p.name for p in service.participants} == {"钱七", "李四"}
    assert page.shortfalls.rows  # the quarter quota is 2 contacts: both still short

    page.employer.setCurrentIndex(page.employer.findText("市供电公司"))
    year, quarter, employer, masked = page.feedback_choice()
    assert (year, quarter, employer, masked) == (2026, None, "市供电公司", True)
    target = tmp_path / "fb.pdf"
    task = page.write_feedback(target, year, quarter, employer, masked)
    qtbot.waitUntil(lambda: not task.running and target.exists(), timeout=15000)
    qtbot.waitUntil(lambda: any("已导出反馈表" in t for t in messages.texts()), timeout=5000)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "市供电公司党组织：" in text and "李四" in text and "钱七" not in text
    assert "共1次，累计2.5小时" in text and "夜间平安巡逻" in text
    assert "身份证号、电话已隐去部分数字" in text
    page.grab().save(str(tmp_path / "page.png"))


def test_a_recorded_activity_is_edited_and_gets_a_photo(page, workspace, populated, modal, tmp_path):
    from desktop.domain.registration import Participant, ServiceRecord

    who = {p.name: p for p in workspace.registrations.participants_for(populated["community"])}
    workspace.registrations.record_service(ServiceRecord(
        populated["community"], date(2026, 10, 8), "清理楼道", 2.0, confirmed_by="社区干事",
        participants=[Participant(who["钱七"].ref, hours=3.0)]), TODAY)
    page.reload()
    page.services_view.selectRow(0)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")

    def edit(dlg):
        assert dlg.windowTitle() == "修改服务活动" and dlg.activity.text() == "清理楼道"
        assert dlg.count.text() == "已选1人" and not dlg.community.isEnabled()
        dlg.activity.setText("清理楼道杂物")
        dlg.set_photo(photo)
        dlg.save()
        assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()

    modal(page.edit_service, edit)
    (s,) = workspace.registrations.services(2026)
    assert s.activity == "清理楼道杂物" and s.participants[0].hours == 3.0  # kept
    assert s.photo.file_name == "现场.jpg"
    assert workspace.registrations.file_path(s.photo).read_bytes() == photo.read_bytes()


def test_import_dialog_previews_then_imports_all(page, workspace, populated, qtbot, tmp_path):
    from desktop.ui.dialogs.registration_import import RegistrationImportDialog
    from tests.importing.test_registration_import import ID_1, ID_2, _book

    path = _book(tmp_path / "l.xlsx", [
        [1, "孙一", "男", "13900001111", ID_1, "市供电公司", "市供电公司党委", "安全巡逻", "2026-03-01", ""],
        [2, "周二", "女", "13900002222", ID_2, "", "", "", "", ""]])
    dlg = RegistrationImportDialog(workspace, page.communities(), page, TODAY)
    qtbot.addWidget(dlg)
    task = dlg.preview(path)
    qtbot.waitUntil(lambda: not task.running and dlg.plan is not None, timeout=10000)
    assert not dlg.ok.isEnabled() and "第4行，F列 工作单位：不能为空" in dlg.problems.toPlainText()
    path = _book(tmp_path / "l2.xlsx", [
        [1, "孙一", "男", "13900001111", ID_1, "市供电公司", "市供电公司党委", "安全巡逻", "2026-03-01", ""]])
    dlg.plan = None
    task = dlg.preview(path)
    qtbot.waitUntil(lambda: not task.running and dlg.plan is not None, timeout=10000)
    assert dlg.ok.isEnabled()
    dlg.commit()
    assert dlg.imported == 1
    assert "孙一" in {r.name for r in workspace.registrations.members()}


def test_main_window_builds_the_tab_on_first_use(qtbot, window, populated):
    from desktop.ui.pages.registrations_page import RegistrationsPage

    i = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == "双报到")
    window.tabs.setCurrentIndex(i)
    assert isinstance(window.tabs.widget(i), RegistrationsPage)
    assert window.tabs.widget(i).scope.text().startswith(("社区：", "全部社区"))


def test_lists_commitments_and_appraisal(page, workspace, populated, modal):
    def add_item(dlg):
        dlg.kind.setCurrentText("需求清单")
        dlg.title_edit.setText("独居老人助餐")
        dlg.save()

    modal(page.new_item, add_item)
    assert [i.title for i in page.items.rows] == ["独居老人助餐"]
    page.items_view.selectRow(0)
    modal(page.claim_item, lambda dlg: dlg.save())
    assert page.items.rows[0].claimed_by == "钱七" and page.items.rows[0].status.value == "已认领"
    page.items_view.selectRow(0)
    page.finish_item()  # the recorded question box answers yes
    assert page.items.rows[0].status.value == "已完成" and page.items.rows[0].claimed_by == "钱七"

    def promise(dlg):
        dlg.content.setText("结对帮扶一户")
        dlg.save()

    modal(page.new_commitment, promise)
    page.commitments_view.selectRow(0)

    def keep(dlg):
        dlg.evidence.setText("每月走访")
        dlg.save()

    modal(page.keep_commitment, keep)
    assert page.commitments.rows[0].status_text == "已践诺"

    page.tabs.setCurrentIndex(page.tabs.count() - 1)
    assert [s.name for s in page.sheets.rows] == ["钱七"]
    page.sheets_view.selectRow(0)

    def grade(dlg):
        dlg.grade.setCurrentText("优秀")
        dlg.comment.setPlainText("带头服务")
        dlg.save()

    modal(page.appraise, grade)
    assert page.sheets.rows[0].appraisal.value == "优秀" and not page.sheets.rows[0].appraisal_suggested
    assert page.sheets.index(0, 4).data() == "1/1"
