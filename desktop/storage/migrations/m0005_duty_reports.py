"""v5: 书记抓党建述职评议 — rounds, the secretaries reporting, tallies per audience, 整改清单."""
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, MetaData, String, Table

VERSION = 5


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
    rnd = Table(
        "duty_round", md, *_tracked(),
        Column("year", Integer, nullable=False, index=True), _text("title", 100),
        _text("scope", 4000), _text("template", 20000),
        Column("up_date", Date), _text("up_place", 100),
        Column("down_date", Date), _text("down_place", 100),
        _text("status", 10), _text("remarks", 2000))
    reporter = Table(
        "duty_reporter", md, *_tracked(),
        Column("round_id", Integer, ForeignKey("duty_round.id"), nullable=False, index=True),
        Column("org_id", Integer, ForeignKey("organization.id")),
        Column("member_id", Integer, ForeignKey("member.id")),
        _text("name", 30), _text("org_name", 60), _text("post", 30),
        _text("report_text", None), _text("report_file", 260), _text("report_file_name", 200),
        Column("sort_order", Integer, nullable=False))
    tally = Table(
        "duty_tally", md, *_tracked(),
        Column("reporter_id", Integer, ForeignKey("duty_reporter.id"), nullable=False, index=True),
        _text("audience", 30), Column("entitled", Integer, nullable=False),
        Column("returned", Integer, nullable=False), _text("counts", 20000))
    fix = Table(
        "duty_fix", md, *_tracked(),
        Column("round_id", Integer, ForeignKey("duty_round.id"), nullable=False, index=True),
        Column("reporter_id", Integer, ForeignKey("duty_reporter.id")),
        Column("org_id", Integer, ForeignKey("organization.id"), index=True),
        _text("name", 30), _text("problem", 1000), _text("measure", 1000),
        Column("due", Date), Column("done_on", Date), Column("sort_order", Integer, nullable=False))
    for t in (rnd, reporter, tally, fix):
        t.create(conn)
