"""Schema step m0006: an older database gains the 双报到 tables; minutes and paths stored as such."""
from __future__ import annotations

from datetime import date

from desktop.domain.registration import Participant, RegisteredMember, ServiceRecord
from desktop.storage import migrations
from desktop.storage.database import _set_meta, _sqlite_engine, open_database
from desktop.storage.migrations import m0006_registrations

TABLES = {"registration_member", "registration_unit", "registration_item", "registration_claim",
          "registration_commitment", "registration_service", "registration_participant",
          "registration_appraisal"}


def test_an_older_database_gains_the_registration_tables(db_path):
    before = m0006_registrations.VERSION - 1
    engine = _sqlite_engine(db_path)
    with engine.begin() as conn:
        for step in migrations.steps()[:before]:
            step.upgrade(conn)
        _set_meta(conn, "schema_version", str(before))
        _set_meta(conn, "app", "dangjian")
    engine.dispose()
    db = open_database(db_path)
    assert db.schema_version() >= m0006_registrations.VERSION
    with db.reading() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    assert TABLES <= names
    db.close()


def test_hours_are_whole_minutes_and_no_file_is_null(workspace, street):
    rs = workspace.registrations
    r = rs.register(RegisteredMember(street["community"], "王五", "税务局", phone="139",
                                     reported_on=date(2026, 1, 1)), date(2026, 11, 22))
    rs.record_service(ServiceRecord(street["community"], date(2026, 2, 1), "巡逻", 1.25,
                                    confirmed_by="干事", participants=[Participant(r.ref, hours=0.5)]),
                      date(2026, 11, 22))
    with workspace.db.reading() as conn:
        row = conn.exec_driver_sql("SELECT minutes, photo_path FROM registration_service").one()
        part = conn.exec_driver_sql("SELECT minutes FROM registration_participant").scalar()
    assert tuple(row) == (75, None) and part == 30
