"""Tables of 双报到 (schema step m0006_registrations).

A registered member or resident unit is referred to by two nullable columns,
`reg_member_id` and `reg_unit_id`, exactly one of which is set: claims,
commitments, service participants and appraisals all point the same way. The
preferred service posts are a JSON list in the registration row. The agreement
scan and service photos are files in the database's files folder (as meeting
attachments), the row keeping name, relative path, hash and size. Hours are
kept as whole minutes (integers travel and sum exactly). Every table carries
its community, so one community's rows can be picked out alone.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import Index
from sqlmodel import Field

from .tables import Tracked


class _Who(Tracked):
    community_id: int = Field(foreign_key="organization.id", index=True)
    reg_member_id: Optional[int] = Field(default=None, foreign_key="registration_member.id",
                                         index=True)
    reg_unit_id: Optional[int] = Field(default=None, foreign_key="registration_unit.id", index=True)


class RegistrationMemberRow(Tracked, table=True):
    __tablename__ = "registration_member"
    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="organization.id", index=True)
    member_id: Optional[int] = Field(default=None, foreign_key="member.id", index=True)
    name: str = Field(max_length=30)
    sex: str = Field(default="", max_length=2)
    phone: str = Field(default="", max_length=30)
    id_number: str = Field(default="", max_length=18, index=True)
    employer: str = Field(default="", max_length=100)
    employer_org: str = Field(default="", max_length=100)
    employer_contact: str = Field(default="", max_length=100)
    address: str = Field(default="", max_length=200)
    grid: str = Field(default="", max_length=30)
    skills: str = Field(default="", max_length=500)
    posts: str = Field(default="[]", max_length=200)
    reported_on: date
    remarks: str = Field(default="", max_length=2000)


class RegistrationUnitRow(Tracked, table=True):
    __tablename__ = "registration_unit"
    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=100)
    party_org: str = Field(default="", max_length=100)
    secretary: str = Field(default="", max_length=30)
    liaison: str = Field(default="", max_length=30)
    liaison_phone: str = Field(default="", max_length=30)
    members_count: int = 0
    reported_on: date
    agreement_parties: str = Field(default="", max_length=200)
    agreement_start: Optional[date] = None
    agreement_end: Optional[date] = None
    agreement_commitments: str = Field(default="", max_length=4000)
    scan_file_name: str = Field(default="", max_length=200)
    scan_path: Optional[str] = Field(default=None, max_length=260)
    scan_sha256: str = Field(default="", max_length=64)
    scan_size: int = 0
    remarks: str = Field(default="", max_length=2000)


class RegistrationItemRow(Tracked, table=True):
    __tablename__ = "registration_item"
    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="organization.id", index=True)
    kind: str = Field(max_length=10)
    title: str = Field(max_length=200)
    detail: str = Field(default="", max_length=2000)
    owner: str = Field(default="", max_length=100)
    status: str = Field(default="待认领", max_length=10)
    created_on: Optional[date] = None


class RegistrationClaimRow(_Who, table=True):
    __tablename__ = "registration_claim"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="registration_item.id", index=True)
    claimed_on: Optional[date] = None


class RegistrationCommitmentRow(_Who, table=True):
    __tablename__ = "registration_commitment"
    id: Optional[int] = Field(default=None, primary_key=True)
    year: int
    content: str = Field(max_length=500)
    kept_on: Optional[date] = None
    evidence: str = Field(default="", max_length=1000)


class RegistrationServiceRow(Tracked, table=True):
    __tablename__ = "registration_service"
    __table_args__ = (Index("ix_registration_service_day", "day"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    community_id: int = Field(foreign_key="organization.id", index=True)
    day: date
    activity: str = Field(max_length=200)
    minutes: int = 0
    place: str = Field(default="", max_length=100)
    post: str = Field(default="其他", max_length=10)
    confirmed_by: str = Field(default="", max_length=30)
    photo_file_name: str = Field(default="", max_length=200)
    photo_path: Optional[str] = Field(default=None, max_length=260)
    photo_sha256: str = Field(default="", max_length=64)
    photo_size: int = 0


class RegistrationParticipantRow(_Who, table=True):
    __tablename__ = "registration_participant"
    id: Optional[int] = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="registration_service.id", index=True)
    name: str = Field(default="", max_length=100)
    minutes: Optional[int] = None


class RegistrationAppraisalRow(_Who, table=True):
    __tablename__ = "registration_appraisal"
    id: Optional[int] = Field(default=None, primary_key=True)
    year: int
    quarter: int = 0
    grade: str = Field(max_length=10)
    comment: str = Field(default="", max_length=500)
