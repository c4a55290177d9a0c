"""导出上报包 / 导入上报包 driven as a clerk would: choose, look at the preview, tick, import."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.services.exchange import ExchangeService
from desktop.ui.dialogs.exchange_dialog import ExchangeExportDialog, ExchangeImportDialog
from tests.services.test_exchange import World, dump, file_digest, member_by_name


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


def open_dialog(qtbot, cls, *args):
    dlg = cls(*args)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def tab_texts(dlg) -> list[str]:
    return [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())]


def preview(qtbot, dlg, path):
    dlg.load(path)
    task = dlg.task
    qtbot.waitUntil(lambda: task.result is not None or task.error is not None, timeout=15000)


def test_export_dialog_writes_the_chosen_organisation(qtbot, world, tmp_path, messages):
    c1 = world.comm["c1"]
    dlg = open_dialog(qtbot, ExchangeExportDialog, c1["ws"], c1["org"].id)
    assert dlg.org.current_path() == "长青街道党工委 / 幸福社区党委"
    assert dlg.path_edit.text().endswith(".djpkg") and "幸福社区党委-上报包-" in dlg.path_edit.text()
    dlg.path_edit.setText(str(tmp_path / "幸福上报"))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.summary is not None, timeout=15000)
    out = tmp_path / "幸福上报.djpkg"
    assert out.exists()
    assert any("党员12条" in t for t in messages.texts("info"))
    package = ExchangeService(world.street.db).read_package(out)
    assert package.organization == "幸福社区党委"


def test_import_dialog_previews_and_merges_with_a_choice(qtbot, qtmodeltester, world, messages):
    s, c1 = world.street, world.comm["c1"]["ws"]
    for ws, phone in ((s, "010-1"), (c1, "010-2")):
        m = member_by_name(ws, "幸福甲二")
        m.phone = phone
        ws.roster.update(m)
    m = member_by_name(c1, "幸福甲三")
    m.remarks = "社区补充"
    c1.roster.update(m)
    path = world.export(c1, world.comm["c1"]["org"].id, "up-ui")
    before = dump(world.root / "street.sqlite3")

    dlg = open_dialog(qtbot, ExchangeImportDialog, s)
    assert not dlg.import_button.isEnabled()
    preview(qtbot, dlg, path)
    assert tab_texts(dlg) == ["新增（0）", "修改（1）", "冲突（1）", "调动（0）", "删除（0）", "无法导入（0）"]
    assert dlg.tabs.tabText(dlg.tabs.currentIndex()) == "冲突（1）"
    assert "幸福社区党委" in dlg.summary.text() and "冲突1条" in dlg.summary.text()
    assert dump(world.root / "street.sqlite3") == before  # the preview wrote nothing
    model = dlg.models["conflict"]
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "幸福甲二"
    assert "固定电话" in model.data(model.index(0, 3))
    assert model.data(model.index(0, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert dlg.resolutions() and dlg.import_button.isEnabled()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result is not None, timeout=15000)
    assert member_by_name(s, "幸福甲二").phone == "010-2"
    assert member_by_name(s, "幸福甲三").remarks == "社区补充"
    assert any("已导入：新增0条，修改2条" in t for t in messages.texts("info"))


def test_unresolved_conflicts_are_confirmed_and_kept(qtbot, world, messages):
    s, c1 = world.street, world.comm["c1"]["ws"]
    for ws, phone in ((s, "010-1"), (c1, "010-2")):
        m = member_by_name(ws, "幸福甲二")
        m.phone = phone
        ws.roster.update(m)
    path = world.export(c1, world.comm["c1"]["org"].id, "up-ui2")
    dlg = open_dialog(qtbot, ExchangeImportDialog, s)
    preview(qtbot, dlg, path)
    assert not dlg.import_button.isEnabled()  # nothing to write unless a conflict is ticked
    qtbot.mouseClick(dlg.take_all_button, Qt.MouseButton.LeftButton)
    assert dlg.import_button.isEnabled()
    qtbot.mouseClick(dlg.keep_all_button, Qt.MouseButton.LeftButton)
    assert not dlg.import_button.isEnabled()
    assert member_by_name(s, "幸福甲二").phone == "010-1"


def test_moved_member_is_on_the_transfer_tab(qtbot, world):
    c = world.comm["c1"]
    m = member_by_name(c["ws"], "幸福乙一")
    m.org_id = c["b1"].id
    c["ws"].roster.update(m)
    path = world.export(c["ws"], c["org"].id, "up-moved-ui")
    dlg = open_dialog(qtbot, ExchangeImportDialog, world.street)
    preview(qtbot, dlg, path)
    model = dlg.models["moved"]
    assert model.rowCount() == 1
    assert model.headers == ["类别", "记录", "说明"]
    assert model.data(model.index(0, 1)) == "幸福乙一"
    assert model.data(model.index(0, 2)).startswith("本库：幸福离退休党支部 → 上报包：幸福第一网格党支部")


def test_damaged_package_is_refused_with_a_message(qtbot, world, messages):
    bad = world.root / "bad.djpkg"
    bad.write_bytes((world.root / "up-c1.djpkg").read_bytes()[:300])
    db = world.root / "street.sqlite3"
    before = file_digest(db)
    dlg = open_dialog(qtbot, ExchangeImportDialog, world.street)
    preview(qtbot, dlg, bad)
    assert dlg.plan is None and not dlg.import_button.isEnabled()
    (text,) = messages.texts("warning")
    assert "上报包文件“bad.djpkg”" in text and "未作任何修改" in text
    assert file_digest(db) == before
