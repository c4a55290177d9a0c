"""v3: meetings (三会一课 and other organisational life), their attendance and attachments."""
from sqlalchemy import (Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData,
                        String, Table)

VERSION = 3


def _tracked() -> list[Column]:
    return [
        Column("uuid", String(36), nullable=False, unique=True),
        Column("created_at", DateTime, nullable=False),
        Column("modified_at", DateTime, nullable=False, index=True),
        Column("id", Integer, primary_key=True),
    ]


def _text(name: str, length: int | None, **kw) -> Column:
    return Column(name, String(length), nullable=False, **kw)


def upgrade(conn) -> None:
    md = MetaData()
    # Referenced tables, declared only so the foreign keys resolve; they exist already.
    Table("organization", md, Column("id", Integer, primary_key=True))
    Table("member", md, Column("id", Integer, primary_key=True))
    meeting = Table(
        "meeting", md, *_tracked(),
        Column("org_id", Integer, ForeignKey("organization.id"), nullable=False),
        _text("kind", 10), _text("other_name", 30), _text("status", 10),
        Column("starts_at", DateTime, nullable=False), Column("ends_at", DateTime),
        _text("topics", 4000), _text("place", 100),
        Column("host_id", Integer, ForeignKey("member.id")), _text("host_name", 30),
        Column("recorder_id", Integer, ForeignKey("member.id")), _text("recorder_name", 30),
        _text("lecturer", 60), _text("lecture_title", 200), _text("guests", 4000),
        _text("content", None), _text("resolutions", 20000), _text("units", 8000),
        _text("remarks", 2000), Column("recorded_on", Date),
        Column("late", Boolean, nullable=False),
        Column("expected_count", Integer, nullable=False),
        Column("present_count", Integer, nullable=False),
        Index("ix_meeting_org_start", "org_id", "starts_at"))
    attendance = Table(
        "meeting_attendance", md, *_tracked(),
        Column("meeting_id", Integer, ForeignKey("meeting.id"), nullable=False, index=True),
        Column("member_id", Integer, ForeignKey("member.id"), nullable=False, index=True),
        _text("name", 30), _text("category", 10), _text("role", 10),
        Column("present", Boolean, nullable=False), _text("reason", 10), _text("note", 200),
        Column("sort_order", Integer, nullable=False))
    attachment = Table(
        "meeting_attachment", md, *_tracked(),
        Column("meeting_id", Integer, ForeignKey("meeting.id"), nullable=False, index=True),
        _text("kind", 10), _text("file_name", 200), _text("path", 260), _text("sha256", 64),
        Column("size", Integer, nullable=False), _text("caption", 200),
        Column("sort_order", Integer, nullable=False))
    for t in (meeting, attendance, attachment):
        t.create(conn)
