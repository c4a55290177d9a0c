"""启动密码 in the GUI: the settings dialog, the start-up prompt, the idle lock that keeps typed text."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLineEdit

from desktop.ui.dialogs.password_dialog import PasswordDialog
from desktop.ui.lock_screen import PasswordPrompt, ask_password
from tests.ui.conftest import wait_roster

PW = "口令1234"


def test_password_dialog_set_change_remove(qtbot, workspace, messages):
    dlg = PasswordDialog(workspace)
    qtbot.addWidget(dlg)
    dlg.show()
    texts = " ".join(w.text() for w in dlg.findChildren(type(dlg.state)))
    assert "并未加密" in texts and "拿到文件副本" in texts  # what the password does not do
    assert "未设置" in dlg.state.text() and not dlg.current.isEnabled()
    dlg.new.setText("abc")
    dlg.repeat.setText("abc")
    dlg.set_button.click()
    assert "至少4个字符" in dlg.error.text() and not workspace.security.has_password()
    dlg.new.setText(PW)
    dlg.repeat.setText(PW)
    dlg.set_button.click()
    assert workspace.security.has_password() and "已设置" in dlg.state.text()
    assert dlg.current.isEnabled() and dlg.set_button.text() == "修改密码"

    dlg.current.setText("wrong")
    dlg.remove_button.click()
    assert "当前密码" in dlg.error.text() and workspace.security.has_password()
    dlg.current.setText(PW)
    dlg.remove_button.click()
    assert not workspace.security.has_password() and "已取消" in dlg.status.text()

    dlg.idle.setValue(3)
    dlg.idle_button.click()
    assert workspace.security.idle_minutes() == 3


def test_start_up_prompt(qtbot, workspace, modal):
    assert ask_password(workspace)  # no password: no question
    workspace.security.set_password("", PW, PW)

    def wrong_then_right(dlg: PasswordPrompt):
        dlg.password.setText("nope")
        dlg.ok_button.click()
        assert dlg.isVisible() and "不正确" in dlg.error.text() and dlg.password.text() == ""
        dlg.password.setText(PW)
        dlg.ok_button.click()

    result = {}
    modal(lambda: result.setdefault("ok", ask_password(workspace)), wrong_then_right)
    assert result["ok"] is True
    modal(lambda: result.__setitem__("ok", ask_password(workspace)), lambda d: d.reject())
    assert result["ok"] is False


def test_idle_lock_covers_every_window_and_keeps_typed_text(qtbot, workspace, populated):
    from desktop.ui.main_window import MainWindow

    workspace.security.set_password("", PW, PW)
    workspace.security.set_idle_minutes(1)
    w = MainWindow(workspace)
    qtbot.addWidget(w)
    w.show()
    wait_roster(qtbot, w)
    titles = [a.text() for a in w.menuBar().actions()[0].menu().actions()]
    assert "操作日志…" in titles and "启动密码与自动锁定…" in titles
    other = QDialog(w)  # an open dialog with half-typed text
    edit = QLineEdit(other)
    edit.setText("写了一半的内容")
    other.show()
    lock = w.privacy.idle
    lock.check()
    assert not lock.locked  # not idle yet
    lock._last -= 61
    lock.check()
    assert lock.locked and lock.prompt.isVisible()
    assert {c.parentWidget() for c in lock.covers} >= {w, other}
    assert all(c.isVisible() and c.geometry() == c.parentWidget().rect() for c in lock.covers)
    lock.prompt.reject()  # Esc does not unlock
    lock.prompt.password.setText("错误")
    lock.prompt.ok_button.click()
    assert lock.locked and "不正确" in lock.prompt.error.text()
    lock.prompt.password.setText(PW)
    lock.prompt.ok_button.click()
    assert not lock.locked and lock.covers == []
    assert other.isVisible() and edit.text() == "写了一半的内容"
    w.close()
    w.roster.model.shutdown()


def test_no_lock_without_a_password(qtbot, window):
    lock = window.privacy.idle
    lock._last -= 3600
    lock.check()
    assert not lock.locked


def test_input_is_watched_only_while_a_lock_can_happen(qtbot, window, workspace):
    lock = window.privacy.idle
    assert not lock.watching  # no password: no application-wide event filter
    workspace.security.set_password("", PW, PW)
    workspace.security.set_idle_minutes(1)
    lock._last -= 3600  # long idle before watching began does not count
    lock.check()
    assert lock.watching and not lock.locked
    workspace.security.set_idle_minutes(0)
    lock.check()
    assert not lock.watching
