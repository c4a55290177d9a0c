"""The schema as the program uses it now (SQLModel). Migrations build it step by step.

Every table carries a stable `uuid` beside its local id and a `modified_at` (UTC, naive:
decided once, annotated NaiveDatetime) so that databases from several communities can
be merged and the same record recognised.
"""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from typing import Optional

from pydantic import NaiveDatetime
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

# The RFC 4122 variant bits (10xx) over the random nibble at that place.
_VARIANT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}


def new_uuid() -> str:
    """A random (version 4) UUID as text, as str(uuid.uuid4()) gives, without building a
    UUID object: bulk imports make one per record and per event."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Tracked(SQLModel):
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True, nullable=False)
    created_at: NaiveDatetime = Field(default_factory=utcnow, nullable=False)
    modified_at: NaiveDatetime = Field(default_factory=utcnow, nullable=False, index=True)


class AppMeta(SQLModel, table=True):
    __tablename__ = "app_meta"
    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(default="", max_length=200)


class OrganizationRow(Tracked, table=True):
    __tablename__ = "organization"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, index=True)
    kind: str = Field(max_length=10)
    branch_kind: Optional[str] = Field(default=None, max_length=10)
    parent_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True)
    founded: Optional[date] = None
    term_start: Optional[date] = None
    term_end: Optional[date] = None
    contact: str = Field(default="", max_length=200)
    remarks: str = Field(default="", max_length=2000)
    dissolved: Optional[date] = None
    sort_order: int = 0


class MemberRow(Tracked, table=True):
    __tablename__ = "member"
    # The roster's default order and its pinyin search read only this covering index.
    # Deliberately few single-column indexes: with them SQLite walks an index and
    # fetches 100k wide rows at random, slower than one sequential scan.
    __table_args__ = (Index("ix_member_roster", "name_pinyin", "name_initials", "status"),
                      Index("ix_member_org_status", "org_id", "status"),  # tree counts: index only
                      Index("ix_member_group_status", "group_id", "status"))
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=30)
    name_pinyin: str = Field(default="", max_length=200)
    # Search key despite its name: initials, a space, flat pinyin ("zs zhangsan"),
    # so both "zs" and "zhangs" find 张三 by prefix without a function per row.
    name_initials: str = Field(default="", max_length=200)
    org_id: int = Field(foreign_key="organization.id")
    group_id: Optional[int] = Field(default=None, foreign_key="organization.id")
    id_number: str = Field(max_length=18, unique=True)
    sex: str = Field(default="", max_length=2)
    ethnicity: str = Field(default="", max_length=10)
    birth_date: Optional[date] = None
    education: str = Field(default="", max_length=10)
    category: str = Field(default="正式党员", max_length=10, index=True)
    joined: Optional[date] = None
    confirmed: Optional[date] = None
    job: str = Field(default="", max_length=20)
    mobile: str = Field(default="", max_length=20)
    phone: str = Field(default="", max_length=30)
    address: str = Field(default="", max_length=200)
    standing: str = Field(default="正常", max_length=10)
    lost_contact: bool = False
    lost_contact_date: Optional[date] = None
    is_mobile: bool = False
    outflow: str = Field(default="", max_length=100)
    remarks: str = Field(default="", max_length=2000)
    classification: str = Field(default="", max_length=10, index=True)
    party_post: str = Field(default="", max_length=30)
    probation_extension_months: int = 0
    status: str = Field(default="在册", max_length=10)
    left_date: Optional[date] = None


class MemberEventRow(Tracked, table=True):
    __tablename__ = "member_event"
    id: Optional[int] = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    kind: str = Field(max_length=10)
    date: date
    detail: str = Field(default="", max_length=500)
    org_id: Optional[int] = Field(default=None, foreign_key="organization.id")


class MemberExtraOrgRow(Tracked, table=True):
    """多重组织生活: organisations whose life a member also attends."""

    __tablename__ = "member_extra_org"
    id: Optional[int] = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    org_id: int = Field(foreign_key="organization.id", index=True)


class CommitteeSeatRow(Tracked, table=True):
    __tablename__ = "committee_seat"
    id: Optional[int] = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organization.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    role: str = Field(max_length=10)
    sort_order: int = 0
    started_on: Optional[date] = None
    """None: held since before the records began."""
    ended_on: Optional[date] = None
    """Set when the member left the seat: the row stays as history."""


class SettingRow(SQLModel, table=True):
    """Settings that travel with the database (meeting frequencies, quotas, weights)."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(default="", max_length=4000)
    modified_at: NaiveDatetime = Field(default_factory=utcnow, nullable=False)
