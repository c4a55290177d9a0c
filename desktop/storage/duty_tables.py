"""Tables of 书记抓党建述职评议 (schema step m0005_duty_reports).

The round keeps its appraisal template and its scope as JSON text: they are edited
and travel as part of the round. Reporters, tallies (one row per secretary ×
audience, the item × rating counts as JSON) and 整改 items are rows of their own.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from sqlmodel import Field

from .tables import Tracked


class DutyRoundRow(Tracked, table=True):
    __tablename__ = "duty_round"
    id: Optional[int] = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    title: str = Field(max_length=100)
    scope: str = Field(default="[]", max_length=4000)
    template: str = Field(default="{}", max_length=20000)
    up_date: Optional[date] = None
    up_place: str = Field(default="", max_length=100)
    down_date: Optional[date] = None
    down_place: str = Field(default="", max_length=100)
    status: str = Field(default="进行中", max_length=10)
    remarks: str = Field(default="", max_length=2000)


class DutyReporterRow(Tracked, table=True):
    __tablename__ = "duty_reporter"
    id: Optional[int] = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="duty_round.id", index=True)
    org_id: Optional[int] = Field(default=None, foreign_key="organization.id")
    member_id: Optional[int] = Field(default=None, foreign_key="member.id")
    name: str = Field(max_length=30)
    org_name: str = Field(default="", max_length=60)
    post: str = Field(default="书记", max_length=30)
    report_text: str = ""
    report_file: str = Field(default="", max_length=260)
    report_file_name: str = Field(default="", max_length=200)
    sort_order: int = 0


class DutyTallyRow(Tracked, table=True):
    __tablename__ = "duty_tally"
    id: Optional[int] = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="duty_reporter.id", index=True)
    audience: str = Field(max_length=30)
    entitled: int = 0
    returned: int = 0
    counts: str = Field(default="{}", max_length=20000)


class DutyFixRow(Tracked, table=True):
    __tablename__ = "duty_fix"
    id: Optional[int] = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="duty_round.id", index=True)
    reporter_id: Optional[int] = Field(default=None, foreign_key="duty_reporter.id")
    org_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True)
    name: str = Field(default="", max_length=30)
    problem: str = Field(max_length=1000)
    measure: str = Field(default="", max_length=1000)
    due: Optional[date] = None
    done_on: Optional[date] = None
    sort_order: int = 0
