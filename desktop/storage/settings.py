"""Settings that travel with the database: small get/set over the `setting` table."""
from __future__ import annotations

from sqlalchemy import Connection, select

from .tables import SettingRow, utcnow

S = SettingRow.__table__


def get(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = conn.execute(select(S.c.value).where(S.c.key == key)).scalar()
    return default if value is None else value


def get_prefixed(conn: Connection, prefix: str) -> dict[str, str]:
    """key → value of every setting whose key starts with `prefix`."""
    q = select(S.c.key, S.c.value).where(S.c.key.startswith(prefix, autoescape=True))
    return dict(conn.execute(q).all())


def put(conn: Connection, key: str, value: str) -> None:
    done = conn.execute(S.update().where(S.c.key == key).values(value=value, modified_at=utcnow()))
    if done.rowcount == 0:
        conn.execute(S.insert().values(key=key, value=value, modified_at=utcnow()))


def delete(conn: Connection, key: str) -> None:
    conn.execute(S.delete().where(S.c.key == key))
