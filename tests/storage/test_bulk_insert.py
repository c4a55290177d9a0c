"""audit.bulk_insert: rows at driver speed, stored exactly as Core would store them, logged."""
from __future__ import annotations

import sqlite3
from datetime import date, datetime

from desktop.storage import audit
from desktop.storage.database import open_database
from desktop.storage.tables import MemberEventRow, MemberRow, OrganizationRow

M, E, O = MemberRow.__table__, MemberEventRow.__table__, OrganizationRow.__table__
WHEN = datetime(2026, 3, 1, 8, 0, 0)  # whole seconds: Core still writes the microseconds


def _rows() -> tuple[dict, list[dict], list[dict]]:
    org = dict(id=1, uuid="o-1", created_at=WHEN, modified_at=WHEN, name="第一党支部", kind="党支部",
               sort_order=0)
    members = [dict(uuid=f"m-{i}", created_at=WHEN, modified_at=datetime(2026, 3, 1, 8, 0, 0, 5),
                    name=f"党员{i}", org_id=1, id_number=f"11010519800517{i:03d}X"[:18],
                    birth_date=date(1980, 5, 17), joined=date(2005, 7, 1),
                    confirmed=None if i == 2 else date(2006, 7, 1), lost_contact=bool(i % 2),
                    is_mobile=False, status="在册", category="正式党员")
               for i in range(1, 4)]
    events = [dict(uuid=f"e-{i}", created_at=WHEN, modified_at=WHEN, member_id=i, kind="入党",
                   date=date(2005, 7, 1), detail="", org_id=1) for i in range(1, 4)]
    return org, members, events


def _dump(path) -> list[tuple]:
    with sqlite3.connect(path) as c:
        return [c.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("member", "member_event")]


def test_stored_exactly_as_core_stores_them_and_logged_once(tmp_path):
    org, members, events = _rows()
    by_core, by_driver = tmp_path / "core.sqlite3", tmp_path / "driver.sqlite3"
    for path, insert in ((by_core, lambda conn, t, rows: conn.execute(t.insert(), rows)),
                         (by_driver, audit.bulk_insert)):
        db = open_database(path)
        with db.transaction() as conn:
            conn.execute(O.insert(), org)
            insert(conn, M, members)
            insert(conn, E, events)
        db.close()
    assert _dump(by_driver) == _dump(by_core)
    with sqlite3.connect(by_driver) as c:
        logged = c.execute("SELECT table_name, note FROM audit_log WHERE action='insert' "
                           "AND table_name IN ('member', 'member_event') ORDER BY id").fetchall()
        assert logged == [("member", "批量新增3条"), ("member_event", "批量新增3条")]
        assert c.execute("SELECT confirmed FROM member WHERE name='党员2'").fetchone() == (None,)
        assert c.execute("SELECT lost_contact FROM member WHERE name='党员1'").fetchone() == (1,)


def test_a_failed_bulk_insert_leaves_nothing_behind(tmp_path):
    org, members, _ = _rows()
    members[2]["id_number"] = members[0]["id_number"]  # unique: the third row fails
    db = open_database(tmp_path / "x.sqlite3")
    try:
        try:
            with db.transaction() as conn:
                conn.execute(O.insert(), org)
                audit.bulk_insert(conn, M, members)
        except Exception:  # noqa: BLE001 - the driver's IntegrityError
            pass
        else:
            raise AssertionError("a duplicate ID number must fail")
    finally:
        db.close()
    with sqlite3.connect(tmp_path / "x.sqlite3") as c:
        assert c.execute("SELECT count(*) FROM member").fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)


def test_new_uuids_are_random_version_4_uuids():
    import uuid

    from desktop.storage.tables import new_uuid

    made = [new_uuid() for _ in range(2000)]
    assert len(set(made)) == len(made)
    for text in made:
        u = uuid.UUID(text)
        assert str(u) == text and u.version == 4 and u.variant == uuid.RFC_4122
