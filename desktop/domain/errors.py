"""Errors that carry a Chinese message for the clerk and the place it belongs to."""
from __future__ import annotations

from dataclasses import dataclass


class DomainError(Exception):
    """A rule of the domain was broken; str(e) is a Chinese message fit to show."""


@dataclass
class FieldError(DomainError):
    """One field's value is wrong. `field` is the Chinese field label (e.g. 公民身份号码)."""

    field: str
    message: str

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.field}：{self.message}"


class ValidationErrors(DomainError):
    """Several field errors found at once (a dialog shows each next to its field)."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("；".join(str(e) for e in self.errors))

    def by_field(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for e in self.errors:
            out.setdefault(e.field, e.message)
        return out


class NotFound(DomainError):
    """A record named by the clerk does not exist."""


class Conflict(DomainError):
    """The change clashes with existing data (a duplicate ID number, a non-empty organisation)."""
