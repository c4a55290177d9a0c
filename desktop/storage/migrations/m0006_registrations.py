"""v6: 双报到 — in-service members and resident units registered with a community,
their lists and claims, commitments, service records with participants, appraisals."""
from sqlalchemy import (Column, Date, DateTime, ForeignKey, Index, Integer, MetaData, String,
                        Table)

VERSION = 6


def _tracked() -> list[Column]:
    return [
        Column("uuid", String(36), nullable=False, unique=True),
        Column("created_at", DateTime, nullable=False),
        Column("modified_at", DateTime, nullable=False, index=True),
        Column("id", Integer, primary_key=True),
    ]


def _text(name: str, length: int | None, **kw) -> Column:
    return Column(name, String(length), nullable=False, **kw)


def _who() -> list[Column]:
    """A registered member or a resident unit: exactly one of the two is set."""
    return [Column("reg_member_id", Integer, ForeignKey("registration_member.id"), index=True),
            Column("reg_unit_id", Integer, ForeignKey("registration_unit.id"), index=True)]


def _file(prefix: str) -> list[Column]:
    """An attached file; the path is NULL when there is none."""
    return [_text(f"{prefix}_file_name", 200), Column(f"{prefix}_path", String(260)),
            _text(f"{prefix}_sha256", 64), Column(f"{prefix}_size", Integer, nullable=False)]


def upgrade(conn) -> None:
    md = MetaData()
    # Referenced tables, declared only so the foreign keys resolve; they exist already.
    Table("organization", md, Column("id", Integer, primary_key=True))
    Table("member", md, Column("id", Integer, primary_key=True))
    community = lambda: Column("community_id", Integer, ForeignKey("organization.id"),  # noqa: E731
                               nullable=False, index=True)
    tables = [
        Table("registration_member", md, *_tracked(), community(),
              Column("member_id", Integer, ForeignKey("member.id"), index=True),
              _text("name", 30), _text("sex", 2), _text("phone", 30),
              _text("id_number", 18, index=True), _text("employer", 100),
              _text("employer_org", 100), _text("employer_contact", 100),
              _text("address", 200), _text("grid", 30), _text("skills", 500), _text("posts", 200),
              Column("reported_on", Date, nullable=False), _text("remarks", 2000)),
        Table("registration_unit", md, *_tracked(), community(),
              _text("name", 100), _text("party_org", 100), _text("secretary", 30),
              _text("liaison", 30), _text("liaison_phone", 30),
              Column("members_count", Integer, nullable=False),
              Column("reported_on", Date, nullable=False), _text("agreement_parties", 200),
              Column("agreement_start", Date), Column("agreement_end", Date),
              _text("agreement_commitments", 4000), *_file("scan"), _text("remarks", 2000)),
        Table("registration_item", md, *_tracked(), community(),
              _text("kind", 10), _text("title", 200), _text("detail", 2000), _text("owner", 100),
              _text("status", 10), Column("created_on", Date)),
        Table("registration_claim", md, *_tracked(), community(),
              Column("item_id", Integer, ForeignKey("registration_item.id"), nullable=False,
                     index=True), *_who(), Column("claimed_on", Date)),
        Table("registration_commitment", md, *_tracked(), community(), *_who(),
              Column("year", Integer, nullable=False), _text("content", 500),
              Column("kept_on", Date), _text("evidence", 1000)),
        Table("registration_service", md, *_tracked(), community(),
              Column("day", Date, nullable=False), _text("activity", 200),
              Column("minutes", Integer, nullable=False), _text("place", 100), _text("post", 10),
              _text("confirmed_by", 30), *_file("photo"),
              Index("ix_registration_service_day", "day")),
        Table("registration_participant", md, *_tracked(), community(),
              Column("service_id", Integer, ForeignKey("registration_service.id"),
                     nullable=False, index=True), *_who(), _text("name", 100),
              Column("minutes", Integer)),
        Table("registration_appraisal", md, *_tracked(), community(), *_who(),
              Column("year", Integer, nullable=False), Column("quarter", Integer, nullable=False),
              _text("grade", 10), _text("comment", 500)),
    ]
    for t in tables:
        t.create(conn)
