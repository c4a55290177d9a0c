"""v9: the roster's organisation indexes also hold the status, so the tree's member
counts (every organisation's 在册 members, at start-up) read the index alone instead of
every member row: about 35 ms → 10 ms for 100,000 members. They replace the
single-column indexes, whose every use they also serve.
"""
from sqlalchemy import text

VERSION = 9


def upgrade(conn) -> None:
    conn.execute(text("DROP INDEX IF EXISTS ix_member_org_id"))
    conn.execute(text("DROP INDEX IF EXISTS ix_member_group_id"))
    conn.execute(text("CREATE INDEX ix_member_org_status ON member (org_id, status)"))
    conn.execute(text("CREATE INDEX ix_member_group_status ON member (group_id, status)"))
