"""启动密码: a scrypt hash with salt and parameters in the settings, never the password."""
from __future__ import annotations

import pytest

from desktop.domain.errors import FieldError
from desktop.services.security import (DEFAULT_IDLE_MINUTES, PASSWORD_KEY, WrongPassword,
                                       hash_password, verify_hash)
from desktop.storage import settings as settings_repo


def stored(ws):
    with ws.db.reading() as conn:
        return settings_repo.get(conn, PASSWORD_KEY)


def test_hash_is_salted_scrypt_and_verifies():
    a, b = hash_password("党建2026", n=2 ** 10), hash_password("党建2026", n=2 ** 10)
    assert a != b  # a fresh salt each time
    scheme, n, r, p, salt, key = a.split("$")
    assert (scheme, n, r, p) == ("scrypt", "1024", "8", "1") and salt and key
    assert verify_hash("党建2026", a) and not verify_hash("党建2025", a)
    assert not verify_hash("x", "garbage") and not verify_hash("x", "md5$1$2$3$4$5")


def test_set_change_remove(workspace):
    sec = workspace.security
    assert not sec.has_password() and sec.verify("anything")
    with pytest.raises(FieldError, match="至少4个字符"):
        sec.set_password("", "abc", "abc")
    with pytest.raises(FieldError, match="不一致"):
        sec.set_password("", "abcd", "abce")
    sec.set_password("", "秘密口令", "秘密口令")
    assert sec.has_password()
    raw = stored(workspace)
    assert raw.startswith("scrypt$") and "秘密口令" not in raw
    assert sec.verify("秘密口令") and not sec.verify("秘密") and not sec.verify("")
    with pytest.raises(WrongPassword, match="当前密码"):
        sec.set_password("wrong", "新的口令", "新的口令")
    sec.set_password("秘密口令", "新的口令", "新的口令")
    assert sec.verify("新的口令") and not sec.verify("秘密口令")
    with pytest.raises(WrongPassword):
        sec.remove_password("秘密口令")
    sec.remove_password("新的口令")
    assert not sec.has_password() and stored(workspace) is None


def test_idle_minutes(workspace):
    sec = workspace.security
    assert sec.idle_minutes() == DEFAULT_IDLE_MINUTES == 10
    sec.set_idle_minutes(0)
    assert sec.idle_minutes() == 0
    with pytest.raises(FieldError, match="自动锁定"):
        sec.set_idle_minutes(-1)
    sec.set_idle_minutes(25)
    assert sec.idle_minutes() == 25
