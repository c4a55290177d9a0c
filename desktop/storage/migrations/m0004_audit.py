"""v4: the audit log (操作日志): one row per changed record, written with the change itself."""
from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, Text

VERSION = 4


def upgrade(conn) -> None:
    md = MetaData()
    Table("audit_log", md,
          Column("uuid", String(36), nullable=False, unique=True),
          Column("created_at", DateTime, nullable=False),
          Column("modified_at", DateTime, nullable=False),
          Column("id", Integer, primary_key=True),
          Column("actor", String(100), nullable=False),
          Column("table_name", String(40), nullable=False),
          Column("record_id", String(80), nullable=False),
          Column("record_uuid", String(36), nullable=False),
          Column("action", String(10), nullable=False),
          Column("old_values", Text, nullable=False),
          Column("new_values", Text, nullable=False),
          Column("note", String(200), nullable=False),
          Index("ix_audit_log_created_at", "created_at"))
    md.create_all(conn)
