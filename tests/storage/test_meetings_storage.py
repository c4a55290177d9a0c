"""The meeting tables: the v3 step, round trips, attendance rows keeping their uuids."""
from __future__ import annotations

from datetime import date, datetime

from desktop.domain.meeting import (AbsenceReason, Attendee, Guest, Meeting, MeetingKind,
                                    Resolution, UnitDelegate)
from desktop.domain.member import Category
from desktop.storage import meetings as repo
from desktop.storage import migrations
from desktop.storage.database import _set_meta, _sqlite_engine, open_database
from tests.conftest import make_member


def test_a_v2_database_gains_the_meeting_tables(db_path):
    engine = _sqlite_engine(db_path)
    with engine.begin() as conn:
        for step in migrations.steps()[:2]:
            step.upgrade(conn)
        _set_meta(conn, "schema_version", "2")
        _set_meta(conn, "app", "dangjian")
    engine.dispose()
    db = open_database(db_path)
    assert db.schema_version() >= 3
    with db.reading() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"meeting", "meeting_attendance", "meeting_attachment"} <= names
    db.close()


def test_round_trip_and_attendance_rows_keep_their_uuids(workspace, street):
    a = workspace.roster.add(make_member(street["b1"], "张三", 1))
    b = workspace.roster.add(make_member(street["b1"], "李四", 2))
    m = Meeting(street["b1"], MeetingKind.ASSEMBLY, datetime(2026, 3, 1, 9, 0),
                datetime(2026, 3, 1, 10, 0), topics=["甲", "乙"], guests=[Guest("王五", "街道干部")],
                resolutions=[Resolution("决议一", 2, 0, 0, election=True)],
                units=[UnitDelegate("医院党委", "刘", "书记", False)],
                attendees=[Attendee(a, "张三"), Attendee(b, "李四", Category.PROBATIONARY, False,
                                                        AbsenceReason.DUTY, "出差")])
    with workspace.db.transaction() as conn:
        mid = repo.insert(conn, m)
    with workspace.db.reading() as conn:
        got = repo.get(conn, mid)
        uuids = dict(conn.exec_driver_sql(
            "SELECT member_id, uuid FROM meeting_attendance WHERE meeting_id = ?", (mid,)).all())
    assert (got.topics, got.guests, got.resolutions, got.units) == (m.topics, m.guests, m.resolutions, m.units)
    assert got.attendees == m.attendees
    got.attendees[1].present, got.attendees[1].reason = True, None
    with workspace.db.transaction() as conn:
        repo.update(conn, got)
    with workspace.db.reading() as conn:
        again = dict(conn.exec_driver_sql(
            "SELECT member_id, uuid FROM meeting_attendance WHERE meeting_id = ?", (mid,)).all())
        assert repo.get(conn, mid).attendees[1].note == ""  # a reason goes with the absence
    assert again == uuids


def test_histories_include_members_who_left_or_moved_away(workspace, street):
    r = workspace.roster
    gone = r.add(make_member(street["b1"], "张三", 1))
    r.transfer_out(gone, date(2026, 1, 1), "外区")
    moved = r.add(make_member(street["b1"], "李四", 2))
    m = r.get(moved)
    m.org_id = street["b2"]
    r.update(m)
    with workspace.db.reading() as conn:
        names = {h.name for h in repo.histories_for(conn, [street["b1"]])}
    assert names == {"张三", "李四"}
