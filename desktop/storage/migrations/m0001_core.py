"""v1: organisations, members, their events, extra organisations, committees."""
from sqlalchemy import (Boolean, Column, Date, DateTime, ForeignKey, Index, Integer,
                        MetaData, String, Table)

VERSION = 1


def _tracked() -> list[Column]:
    return [
        Column("uuid", String(36), nullable=False, unique=True),
        Column("created_at", DateTime, nullable=False),
        Column("modified_at", DateTime, nullable=False, index=True),
        Column("id", Integer, primary_key=True),
    ]


def _text(name: str, length: int, **kw) -> Column:
    return Column(name, String(length), nullable=False, **kw)


def upgrade(conn) -> None:
    md = MetaData()
    Table("app_meta", md,
          Column("key", String(40), primary_key=True),
          _text("value", 200))
    Table("organization", md, *_tracked(),
          _text("name", 60, index=True), _text("kind", 10),
          Column("branch_kind", String(10)),
          Column("parent_id", Integer, ForeignKey("organization.id"), index=True),
          Column("founded", Date), Column("term_start", Date), Column("term_end", Date),
          _text("contact", 200), _text("remarks", 2000),
          Column("dissolved", Date), Column("sort_order", Integer, nullable=False))
    Table("member", md, *_tracked(),
          _text("name", 30), _text("name_pinyin", 200), _text("name_initials", 200),
          Column("org_id", Integer, ForeignKey("organization.id"), nullable=False, index=True),
          Column("group_id", Integer, ForeignKey("organization.id"), index=True),
          _text("id_number", 18, unique=True), _text("sex", 2), _text("ethnicity", 10),
          Column("birth_date", Date), _text("education", 10),
          _text("category", 10, index=True), Column("joined", Date), Column("confirmed", Date),
          _text("job", 20), _text("mobile", 20), _text("phone", 30),
          _text("address", 200), _text("standing", 10),
          Column("lost_contact", Boolean, nullable=False), Column("lost_contact_date", Date),
          Column("is_mobile", Boolean, nullable=False), _text("outflow", 100),
          _text("remarks", 2000), _text("classification", 10, index=True),
          _text("party_post", 30),
          Column("probation_extension_months", Integer, nullable=False),
          _text("status", 10), Column("left_date", Date),
          Index("ix_member_roster", "name_pinyin", "name_initials", "status"))
    Table("member_event", md, *_tracked(),
          Column("member_id", Integer, ForeignKey("member.id"), nullable=False, index=True),
          _text("kind", 10), Column("date", Date, nullable=False), _text("detail", 500),
          Column("org_id", Integer, ForeignKey("organization.id")))
    Table("member_extra_org", md, *_tracked(),
          Column("member_id", Integer, ForeignKey("member.id"), nullable=False, index=True),
          Column("org_id", Integer, ForeignKey("organization.id"), nullable=False, index=True))
    Table("committee_seat", md, *_tracked(),
          Column("org_id", Integer, ForeignKey("organization.id"), nullable=False, index=True),
          Column("member_id", Integer, ForeignKey("member.id"), nullable=False, index=True),
          _text("role", 10), Column("sort_order", Integer, nullable=False))
    md.create_all(conn)
