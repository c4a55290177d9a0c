"""The main window driven as a clerk: pick an organisation, search, sort, manage the tree,
record that a member left, restart."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.domain.member import Status
from desktop.domain.member_event import EventKind
from desktop.domain.organization import OrgKind
from desktop.domain.roster_view import COLUMN_KEYS, STATUS_LEFT
from desktop.ui.dialogs.leave_dialog import LeaveDialog
from desktop.ui.dialogs.org_dialog import MoveOrgDialog, OrgDialog
from tests.ui.conftest import wait_roster


def names(window) -> list[str]:
    model = window.roster.model
    col = COLUMN_KEYS.index("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def tree_text(window, org_id) -> str:
    return window.tree.model.index_of(org_id).data()


def click_tree(qtbot, window, org_id) -> None:
    view = window.tree.view
    index = window.tree.model.index_of(org_id)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert window.tree.current_id() == org_id
    wait_roster(qtbot, window)


def click_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_opens_with_tree_counts_and_whole_street(window, populated):
    assert window.windowTitle() == "街道党建工作台 — test.sqlite3"
    assert tree_text(window, populated["street"]) == "测试街道党工委 (4)"
    assert tree_text(window, populated["community"]) == "幸福社区党委 (4)"
    assert tree_text(window, populated["b1"]) == "第一网格党支部 (3)"
    assert window.tree.model.index_of(populated["b1"]).siblingAtColumn(1).data() == "网格党支部"
    assert window.tree.view.isExpanded(window.tree.model.index_of(populated["street"]))
    assert names(window) == ["李四", "王五", "张三", "赵六"]
    assert window.count_label.text() == "共 4 人"


def test_synchronous_window_shows_its_count_from_the_first_query(qtbot, workspace, populated):
    """The roster's first query starts early in the constructor (start-up runs it beside the
    rest of the window); the count it reports must still reach the status bar."""
    from desktop.ui.main_window import MainWindow

    w = MainWindow(workspace, asynchronous=False)
    qtbot.addWidget(w)
    assert names(w) == ["李四", "王五", "张三", "赵六"]
    assert w.count_label.text() == "共 4 人"
    w.close()


def test_selecting_a_branch_shows_only_its_members(qtbot, window, populated):
    click_tree(qtbot, window, populated["b2"])
    assert names(window) == ["王五"]
    assert window.count_label.text() == "共 1 人"
    window.tree.view.expand(window.tree.model.index_of(populated["community"]))
    click_tree(qtbot, window, populated["b1"])
    assert names(window) == ["李四", "张三", "赵六"]  # with its 党小组
    assert "含下级组织" in window.roster.scope_label.text()


def test_search_as_you_type_and_escape_clears(qtbot, window):
    search = window.roster.search
    window.find_action.trigger()  # Ctrl+F
    assert search.hasFocus() or qtbot.waitUntil(search.hasFocus, timeout=1000) is None
    qtbot.keyClicks(search, "zs")
    wait_roster(qtbot, window)
    assert names(window) == ["张三"]
    assert window.count_label.text() == "共 1 人"
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    wait_roster(qtbot, window)
    assert search.text() == "" and len(names(window)) == 4
    search.setText("李")  # Chinese text as an input method would commit it
    wait_roster(qtbot, window)
    assert names(window) == ["李四"]


def test_filters_by_category(qtbot, window):
    combo = window.roster.category
    combo.setCurrentIndex(combo.findText("预备党员"))
    wait_roster(qtbot, window)
    assert names(window) == ["王五"]


def test_clicking_a_header_sorts_in_sql(qtbot, window):
    view = window.roster.view
    header = view.horizontalHeader()
    col = COLUMN_KEYS.index("birth_date")
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    wait_roster(qtbot, window)
    assert names(window) == ["赵六", "李四", "张三", "王五"]  # oldest first
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    wait_roster(qtbot, window)
    assert names(window) == ["王五", "张三", "李四", "赵六"]


def test_hidden_column_and_sort_are_remembered_by_a_new_window(qtbot, workspace, window):
    from desktop.ui.main_window import MainWindow

    col = COLUMN_KEYS.index("ethnicity")
    assert window.roster.column_visible("ethnicity")
    window.columns_menu.aboutToShow.emit()
    action = next(a for a in window.columns_menu.actions() if a.text() == "民族")
    action.trigger()
    assert not window.roster.column_visible("ethnicity")
    window.roster.model.sort(COLUMN_KEYS.index("mobile"), Qt.SortOrder.DescendingOrder)
    window.roster.view.horizontalHeader().setSortIndicator(COLUMN_KEYS.index("mobile"),
                                                           Qt.SortOrder.DescendingOrder)
    window.close()

    again = MainWindow(workspace)
    qtbot.addWidget(again)
    wait_roster(qtbot, again)
    assert not again.roster.column_visible("ethnicity")
    assert again.roster.view.horizontalHeader().isSectionHidden(col)
    assert again.roster.model.filter.sort_key == "mobile"
    again.close()


def test_create_community_and_branch_through_the_dialog(qtbot, modal, window, workspace, populated):
    click_tree(qtbot, window, populated["street"])

    def fill_community(dlg):
        assert isinstance(dlg, OrgDialog)
        dlg.name.setText("和平社区党委")
        click_ok(qtbot, dlg)

    modal(window.tree.new_action.trigger, fill_community)
    community = workspace.orgs.find("和平社区党委")
    assert (community.kind, community.parent_id) == (OrgKind.COMMUNITY, populated["street"])
    assert window.tree.current_id() == community.id
    assert tree_text(window, community.id) == "和平社区党委 (0)"

    def fill_branch(dlg):
        dlg.name.setText("和平社区第一网格党支部")
        click_ok(qtbot, dlg)

    modal(window.tree.new_action.trigger, fill_branch)
    branch = workspace.orgs.find("和平社区第一网格党支部")
    assert (branch.kind, branch.parent_id) == (OrgKind.BRANCH, community.id)
    assert window.tree.current_id() == branch.id


def test_dialog_left_open_on_error_saves_nothing(qtbot, modal, window, workspace, populated):
    click_tree(qtbot, window, populated["community"])
    before = len(workspace.orgs.all())

    def duplicate(dlg):
        dlg.name.setText("第一网格党支部")
        click_ok(qtbot, dlg)
        assert "已有" in dlg.errors()["组织名称"]

    state = modal(window.tree.new_action.trigger, duplicate)
    assert state["left_open"]
    assert len(workspace.orgs.all()) == before


def test_dissolving_a_non_empty_org_is_refused(qtbot, window, workspace, messages, populated):
    click_tree(qtbot, window, populated["b2"])
    window.tree.dissolve_action.trigger()
    assert "离退休党支部" in messages.texts("question")[0]
    assert "还有1名在册党员" in messages.texts("warning")[0]
    assert workspace.orgs.get(populated["b2"]).dissolved is None


def test_dissolving_an_empty_org_after_confirming(qtbot, window, workspace, messages, populated):
    workspace.roster.leave(populated["zhaoliu"], EventKind.DECEASED, date(2020, 7, 1))
    window.refresh()
    window.tree.view.expand(window.tree.model.index_of(populated["community"]))
    window.tree.view.expand(window.tree.model.index_of(populated["b1"]))
    click_tree(qtbot, window, populated["group"])
    messages.answer = False
    window.tree.dissolve_action.trigger()
    assert workspace.orgs.get(populated["group"]).dissolved is None
    messages.answer = True
    window.tree.dissolve_action.trigger()
    assert workspace.orgs.get(populated["group"]).dissolved is not None
    assert window.tree.model.node_by_id(populated["group"]) is None
    assert window.tree.current_id() == populated["b1"]


def test_move_to_dialog_moves_branch_with_its_members(qtbot, modal, window, workspace, populated):
    from desktop.domain.organization import Organization

    c2 = workspace.orgs.create(Organization("和平社区党委", OrgKind.COMMUNITY,
                                            parent_id=populated["street"]))
    window.refresh()
    click_tree(qtbot, window, populated["b2"])

    def choose_target(dlg):
        assert isinstance(dlg, MoveOrgDialog)
        dlg.select(c2.id)
        click_ok(qtbot, dlg)

    modal(window.tree.move_action.trigger, choose_target)
    assert workspace.orgs.get(populated["b2"]).parent_id == c2.id
    assert tree_text(window, c2.id) == "和平社区党委 (1)"
    assert tree_text(window, populated["community"]) == "幸福社区党委 (3)"
    click_tree(qtbot, window, c2.id)
    assert names(window) == ["王五"]


def test_drag_and_drop_moves_after_confirming(qtbot, window, workspace, messages, populated):
    from desktop.domain.organization import Organization

    c2 = workspace.orgs.create(Organization("和平社区党委", OrgKind.COMMUNITY,
                                            parent_id=populated["street"]))
    window.refresh()
    model = window.tree.model
    data = model.mimeData([model.index_of(populated["b2"])])
    target = model.index_of(c2.id)
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1,
                                     model.index_of(populated["b1"]))  # a branch under a branch
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    qtbot.waitUntil(lambda: workspace.orgs.get(populated["b2"]).parent_id == c2.id, timeout=2000)
    assert "和平社区党委" in messages.texts("question")[0]
    assert tree_text(window, c2.id) == "和平社区党委 (1)"


def test_rename_in_place(qtbot, window, workspace, messages, populated):
    model = window.tree.model
    model.setData(model.index_of(populated["b2"]), "老干部党支部")
    qtbot.waitUntil(lambda: workspace.orgs.get(populated["b2"]).name == "老干部党支部", timeout=2000)
    assert tree_text(window, populated["b2"]) == "老干部党支部 (1)"
    model.setData(model.index_of(populated["b2"]), "第一网格党支部")  # the sibling's name
    qtbot.waitUntil(lambda: bool(messages.texts("warning")), timeout=2000)
    assert "已有" in messages.texts("warning")[0]


def test_delete_key_records_leaving_and_member_moves_to_left(qtbot, modal, window, workspace,
                                                             populated):
    roster = window.roster
    assert roster.select_member(populated["zhangsan"])
    roster.view.setFocus()
    window.activateWindow()
    qtbot.waitUntil(roster.view.hasFocus, timeout=2000)

    def transfer_out(dlg):
        assert isinstance(dlg, LeaveDialog)
        dlg.kind.setCurrentIndex(dlg.kind.findData(EventKind.TRANSFER_OUT.value))
        dlg.detail.setText("区机关工委第二党支部")
        click_ok(qtbot, dlg)

    modal(lambda: qtbot.keyClick(roster.view, Qt.Key.Key_Delete), transfer_out)
    wait_roster(qtbot, window)
    member = workspace.roster.get(populated["zhangsan"])
    assert member.status is Status.TRANSFERRED_OUT
    assert workspace.roster.events(member.id)[-1].detail == "区机关工委第二党支部"
    assert "张三" not in names(window)
    assert roster.current_member_id() is not None  # the next member is selected
    assert window.count_label.text() == "共 3 人"
    assert tree_text(window, populated["street"]) == "测试街道党工委 (3)"

    roster.status.setCurrentIndex(roster.status.findText(STATUS_LEFT))
    wait_roster(qtbot, window)
    assert names(window) == ["张三"]
    assert roster.column_visible("status") and roster.column_visible("left_date")
    model = roster.model
    assert model.data(model.index(0, COLUMN_KEYS.index("status"))) == "已转出"


def test_restart_shows_the_same_data(qtbot, window, workspace, db_path, populated):
    from desktop.services.workspace import open_workspace
    from desktop.ui.main_window import MainWindow

    window.close()
    workspace.close()
    again = open_workspace(db_path, create=False)
    try:
        w = MainWindow(again)
        qtbot.addWidget(w)
        wait_roster(qtbot, w)
        assert tree_text(w, populated["street"]) == "测试街道党工委 (4)"
        assert names(w) == ["李四", "王五", "张三", "赵六"]
        w.close()
    finally:
        again.close()


def test_first_start_tells_where_the_database_is(qtbot, workspace, messages):
    from desktop.ui.main_window import MainWindow

    w = MainWindow(workspace, created=True)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: bool(messages.texts("info")), timeout=2000)
    assert str(workspace.path) in messages.texts("info")[0]
    assert w.tree.new_action.text() == "新建组织…"  # an empty database: start with the street
    w.close()


def test_missing_optional_dialog_is_reported(messages):
    from desktop.ui import errors

    assert errors.load_optional(None, "no_such_dialog", "NoSuchDialog") is None
    assert messages.texts("info") == ["该功能尚未安装。"]


def test_double_click_edits_member_and_keeps_the_selection(qtbot, modal, window, workspace,
                                                            populated):
    from desktop.ui.dialogs.member_dialog import MemberDialog

    roster = window.roster
    assert roster.select_member(populated["lisi"])
    view = roster.view
    index = view.currentIndex()

    def change_mobile(dlg):
        assert isinstance(dlg, MemberDialog)
        dlg.mobile_edit.setText("13700001111")
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    pos = view.visualRect(index).center()

    def double_click():  # a real double-click starts with a press on the same row
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    modal(double_click, change_mobile)
    wait_roster(qtbot, window)
    assert workspace.roster.get(populated["lisi"]).mobile == "13700001111"
    assert roster.current_member_id() == populated["lisi"]
    row = roster.model.row_of(populated["lisi"])
    assert roster.model.index(row, COLUMN_KEYS.index("mobile")).data() == "13700001111"


def test_enter_and_ctrl_n_open_the_member_dialog(qtbot, modal, window, populated):
    from desktop.ui.dialogs.member_dialog import MemberDialog

    roster = window.roster
    roster.select_member(populated["wangwu"])
    roster.view.setFocus()
    window.activateWindow()
    qtbot.waitUntil(roster.view.hasFocus, timeout=2000)
    seen = []
    modal(lambda: qtbot.keyClick(roster.view, Qt.Key.Key_Return),
          lambda dlg: seen.append((type(dlg), dlg.saved_id)) or dlg.reject())
    click_tree(qtbot, window, populated["b2"])
    tree = window.tree.view
    window.activateWindow()  # back from the dialog
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus, timeout=2000)
    modal(lambda: qtbot.keyClick(tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
          lambda dlg: seen.append((type(dlg), dlg.saved_id)) or dlg.reject())
    assert seen == [(MemberDialog, None), (MemberDialog, None)]


def test_sorting_keeps_the_selected_member_selected(qtbot, window, populated):
    roster = window.roster
    roster.select_member(populated["zhaoliu"])
    roster.model.sort(COLUMN_KEYS.index("birth_date"), Qt.SortOrder.DescendingOrder)
    wait_roster(qtbot, window)
    assert names(window)[-1] == "赵六"
    assert roster.current_member_id() == populated["zhaoliu"]


def test_open_another_database_switches_everything(qtbot, window, tmp_path, messages):
    from desktop.domain.organization import Organization
    from desktop.services.workspace import open_workspace

    other_path = tmp_path / "另一个街道.sqlite3"
    other = open_workspace(other_path)
    other.orgs.create(Organization("另一个街道党工委", OrgKind.STREET))
    other.close()
    assert not window.switch_database(tmp_path / "不存在.sqlite3")
    assert "不存在" in messages.texts("warning")[0]
    assert window.switch_database(other_path)
    wait_roster(qtbot, window)
    assert window.windowTitle() == "街道党建工作台 — 另一个街道.sqlite3"
    [root] = window.tree.model.roots()
    assert tree_text(window, root.id) == "另一个街道党工委 (0)"
    assert names(window) == [] and window.count_label.text() == "共 0 人"
    window.workspace.close()


def test_a_header_sort_on_a_long_roster_finds_the_selected_member_again(qtbot, window, workspace,
                                                                         populated, monkeypatch):
    """The first page of a new order is shown before the full list: a member selected
    before the sort and now far down is selected again once the full list arrives."""
    import threading

    from tests.conftest import make_member

    surnames, given = "赵钱孙李周吴郑王冯陈", "一二三四五六七八九十明华国民建军芳丽强伟"
    for i in range(230):
        workspace.roster.add(make_member(populated["b1"], surnames[i % 10] + given[i // 10 % 20]
                                         + given[i % 20], 100 + i))
    window.roster.refresh()
    wait_roster(qtbot, window)
    roster = window.roster
    assert roster.model.rowCount() > 230
    roster.select_row(0)
    first = roster.current_member_id()
    release, full_list = threading.Event(), workspace.roster.ordered_ids
    monkeypatch.setattr(workspace.roster, "ordered_ids",
                        lambda f: release.wait(10) and full_list(f))
    roster.view.sortByColumn(COLUMN_KEYS.index("name"), Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: roster.model.member_id(roster.model.rowCount() - 1) is None)
    assert roster.current_member_id() != first  # only the new first page is known yet
    release.set()
    wait_roster(qtbot, window)
    assert roster.current_member_id() == first
    assert roster.model.row_of(first) == roster.model.rowCount() - 1


def test_a_failed_integrity_check_beside_start_up_is_told_with_the_way_out(qtbot, workspace,
                                                                            populated, messages):
    from types import SimpleNamespace

    from desktop.ui.main_window import MainWindow

    workspace.integrity = SimpleNamespace(done=False, problem=None, wait=lambda: None,
                                          start=lambda: None)
    w = MainWindow(workspace)
    qtbot.addWidget(w)
    qtbot.wait(300)
    assert messages.texts("question") == []  # still running: nothing to say
    messages.answer = False
    workspace.integrity.problem = "数据库文件已损坏（page 7）。请通过“文件 → 备份/恢复”从最近的备份恢复。"
    workspace.integrity.done = True
    qtbot.waitUntil(lambda: bool(messages.texts("question")), timeout=3000)
    assert "page 7" in messages.texts("question")[0] and "备份/恢复" in messages.texts("question")[0]
    assert not w._integrity_poll.isActive()
    w.roster.model.shutdown()
