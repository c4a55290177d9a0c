"""Every table module, imported for SQLModel.metadata to hold the whole schema.

tables.py keeps the tables start-up needs (organisations, roster, settings); the
feature tables load with their features. Whoever walks the whole schema (the 上报包
exchange, the audit log browser, schema checks) imports this module first.
"""
from . import tables  # noqa: F401
from . import meeting_tables  # noqa: F401
from . import registration_tables  # noqa: F401
from . import duty_tables  # noqa: F401
from . import group_history  # noqa: F401
from .audit import AuditLogRow  # noqa: F401
