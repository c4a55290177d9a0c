"""The optional start-up password (启动密码) and the idle lock's delay.

The password is never stored: the database's settings hold a scrypt hash
(hashlib.scrypt, standard library) with its random salt and parameters, as
``scrypt$<n>$<r>$<p>$<salt base64>$<hash base64>``. It keeps a casual visitor
from opening the program; it does NOT encrypt the file, and anyone who copies
the database file can read it with other tools. The texts below say so.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from ..domain.errors import FieldError
from ..storage import audit as audit_repo
from ..storage import settings as settings_repo
from ..storage.database import Database

PASSWORD_KEY = audit_repo.PASSWORD_SETTING
IDLE_KEY = audit_repo.IDLE_SETTING
ENV_PASSWORD = "DANGJIAN_PASSWORD"
DEFAULT_IDLE_MINUTES = 10
MAX_IDLE_MINUTES = 24 * 60
MIN_LENGTH = 4
MAX_LENGTH = 128
# scrypt cost: 2**14 × 8 × 128 bytes = 16 MB and ~50 ms per try on an office PC.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LEN = 2 ** 14, 8, 1, 32

LIMITS_NOTE = ("启动密码只防止他人随手打开本程序查看数据，数据库文件本身并未加密："
               "拿到文件副本的人仍可用其他工具读取。请同时保管好电脑和备份文件。")


class WrongPassword(FieldError):
    def __init__(self, message: str = "密码不正确，请重新输入", field: str = "密码"):
        super().__init__(field, message)


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_LEN,
                         maxmem=256 * r * n + 1024 * 1024)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(key).decode()}"


def verify_hash(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        n_, r_, p_ = int(n), int(r), int(p)
        expected = base64.b64decode(key)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=n_, r=r_,
                             p=p_, dklen=len(expected), maxmem=256 * r_ * n_ + 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def check_new_password(password: str, repeat: str) -> None:
    if len(password) < MIN_LENGTH:
        raise FieldError("新密码", f"至少{MIN_LENGTH}个字符")
    if len(password) > MAX_LENGTH:
        raise FieldError("新密码", f"不能超过{MAX_LENGTH}个字符")
    if password != repeat:
        raise FieldError("再次输入", "两次输入的新密码不一致")


class SecurityService:
    def __init__(self, db: Database):
        self.db = db

    # --- the password ----------------------------------------------------------------
    def _stored(self) -> str | None:
        with self.db.reading() as conn:
            return settings_repo.get(conn, PASSWORD_KEY)

    def has_password(self) -> bool:
        return bool(self._stored())

    def verify(self, password: str) -> bool:
        """True when no password is set, or when `password` is the one set."""
        stored = self._stored()
        return not stored or verify_hash(password or "", stored)

    def require(self, password: str) -> None:
        if not self.verify(password):
            raise WrongPassword()

    def set_password(self, current: str, new: str, repeat: str) -> None:
        """Set or change; the current password must be given when one is set."""
        if self.has_password() and not self.verify(current):
            raise WrongPassword("不正确", "当前密码")
        check_new_password(new, repeat)
        with self.db.transaction() as conn:
            settings_repo.put(conn, PASSWORD_KEY, hash_password(new))

    def remove_password(self, current: str) -> None:
        if not self.has_password():
            return
        if not self.verify(current):
            raise WrongPassword("不正确", "当前密码")
        with self.db.transaction() as conn:
            settings_repo.delete(conn, PASSWORD_KEY)

    # --- the idle lock -------------------------------------------------------------------
    def idle_minutes(self) -> int:
        """Minutes without keyboard or mouse before the window locks (0: never)."""
        with self.db.reading() as conn:
            value = settings_repo.get(conn, IDLE_KEY)
        try:
            return max(0, min(MAX_IDLE_MINUTES, int(value))) if value is not None else DEFAULT_IDLE_MINUTES
        except ValueError:
            return DEFAULT_IDLE_MINUTES

    def set_idle_minutes(self, minutes: int) -> None:
        if not 0 <= int(minutes) <= MAX_IDLE_MINUTES:
            raise FieldError("自动锁定", f"请填写0到{MAX_IDLE_MINUTES}之间的分钟数（0表示不自动锁定）")
        with self.db.transaction() as conn:
            settings_repo.put(conn, IDLE_KEY, str(int(minutes)))


def password_from_env() -> str | None:
    """The password a script passes in DANGJIAN_PASSWORD (None when unset)."""
    return os.environ.get(ENV_PASSWORD)
