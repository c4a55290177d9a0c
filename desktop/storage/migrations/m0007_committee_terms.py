"""v7: committee seats keep their dates, so a past 支委会 expects the committee of its day.

A seat with no start date is as old as the records (every seat before this version);
a seat with an end date is history.
"""
from sqlalchemy import text

VERSION = 7


def upgrade(conn) -> None:
    conn.execute(text("ALTER TABLE committee_seat ADD COLUMN started_on DATE"))
    conn.execute(text("ALTER TABLE committee_seat ADD COLUMN ended_on DATE"))
