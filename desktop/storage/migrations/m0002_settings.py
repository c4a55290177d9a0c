"""v2: settings that travel with the database (frequencies, quotas, weights)."""
from sqlalchemy import Column, DateTime, MetaData, String, Table

VERSION = 2


def upgrade(conn) -> None:
    md = MetaData()
    Table("setting", md,
          Column("key", String(80), primary_key=True),
          Column("value", String(4000), nullable=False),
          Column("modified_at", DateTime, nullable=False))
    md.create_all(conn)
