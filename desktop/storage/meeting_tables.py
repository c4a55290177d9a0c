"""Tables of 三会一课 and other organisational life (schema step m0003_meetings).

Lists edited together with their meeting (议题, 列席人员, 决议, 参会单位) are JSON
text in the meeting row: they travel and merge as part of it. Attendance and
attachments are rows of their own, owned by the meeting, because statistics and
the files folder read them one by one.

Attachments are files in the database's files folder (`<db stem>.files/`), named
by their SHA-256 and never rewritten; the row keeps the relative path, so an
exchange package carries the file with its row (exchange_tables `files=`).
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field

from .tables import Tracked


class MeetingRow(Tracked, table=True):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_org_start", "org_id", "starts_at"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organization.id")
    kind: str = Field(max_length=10)
    other_name: str = Field(default="", max_length=30)
    status: str = Field(default="已召开", max_length=10)
    starts_at: NaiveDatetime
    ends_at: Optional[NaiveDatetime] = None
    topics: str = Field(default="[]", max_length=4000)
    place: str = Field(default="", max_length=100)
    host_id: Optional[int] = Field(default=None, foreign_key="member.id")
    host_name: str = Field(default="", max_length=30)
    recorder_id: Optional[int] = Field(default=None, foreign_key="member.id")
    recorder_name: str = Field(default="", max_length=30)
    lecturer: str = Field(default="", max_length=60)
    lecture_title: str = Field(default="", max_length=200)
    guests: str = Field(default="[]", max_length=4000)
    content: str = ""
    resolutions: str = Field(default="[]", max_length=20000)
    units: str = Field(default="[]", max_length=8000)
    remarks: str = Field(default="", max_length=2000)
    recorded_on: Optional[date] = None
    late: bool = False
    expected_count: int = 0
    present_count: int = 0


class MeetingAttendanceRow(Tracked, table=True):
    """应到 as the roster stood on the meeting date, and who came."""

    __tablename__ = "meeting_attendance"
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    name: str = Field(max_length=30)
    category: str = Field(default="正式党员", max_length=10)
    role: str = Field(default="", max_length=10)
    present: bool = True
    reason: str = Field(default="", max_length=10)
    note: str = Field(default="", max_length=200)
    sort_order: int = 0


class MeetingAttachmentRow(Tracked, table=True):
    __tablename__ = "meeting_attachment"
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    kind: str = Field(max_length=10)
    file_name: str = Field(max_length=200)
    path: str = Field(max_length=260)
    sha256: str = Field(max_length=64)
    size: int = 0
    caption: str = Field(default="", max_length=200)
    sort_order: int = 0
