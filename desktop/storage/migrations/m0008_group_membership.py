"""v8: 党小组 membership keeps its dates, so a past 党小组会 expects the group of its day.

A member with no row has the group the roster holds on every date (every member
before this version); each later change of group ends one stretch and starts the next.
"""
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table

VERSION = 8


def upgrade(conn) -> None:
    md = MetaData()
    # Referenced tables, declared only so the foreign keys resolve; they exist already.
    Table("organization", md, Column("id", Integer, primary_key=True))
    Table("member", md, Column("id", Integer, primary_key=True))
    Table("group_membership", md,
          Column("uuid", String(36), nullable=False, unique=True),
          Column("created_at", DateTime, nullable=False),
          Column("modified_at", DateTime, nullable=False, index=True),
          Column("id", Integer, primary_key=True),
          Column("member_id", Integer, ForeignKey("member.id"), nullable=False, index=True),
          Column("group_id", Integer, ForeignKey("organization.id"), nullable=False, index=True),
          Column("started_on", Date),
          Column("ended_on", Date)).create(conn)
