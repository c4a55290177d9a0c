"""Masking personal numbers in documents that leave the office.

Every export that is handed to someone else (花名册, 双报到 registrations, feedback
forms …) masks 公民身份号码 and telephone numbers unless the clerk explicitly asks
for them in full, and says which on the document (see :func:`privacy_note`).
Documents that stay with the party organisation itself — the 上报包 exchange
package and backups — carry full data and do not use this module.
"""
from __future__ import annotations

import re

from .idcard import mask_id_number

__all__ = ["mask_id_number", "mask_phone", "privacy_note", "MASKED_NOTE", "FULL_NOTE"]

MASKED_NOTE = "身份证号、电话已隐去部分数字"
FULL_NOTE = "含完整身份证号、电话，注意保密"

# One telephone number inside a free-text field: digits with the usual separators.
_NUMBER = re.compile(r"\+?\d[\d\- ()（）]*\d")


def privacy_note(masked: bool) -> str:
    """The line a document carries (footer, info line) about its personal numbers."""
    return MASKED_NOTE if masked else FULL_NOTE


def mask_phone(s: str | None) -> str:
    """138****5678, 010-****5678: keep the first 3 and last 4 digits of each number.

    Numbers of fewer than 7 digits keep only their last 2 digits. Separators and
    any text around the numbers ("13812345678（本人）") are kept.
    """
    if not s:
        return ""
    return _NUMBER.sub(_mask_number, str(s))


def _mask_number(match: re.Match[str]) -> str:
    token = match.group(0)
    digits = sum(ch.isdigit() for ch in token)
    keep_head, keep_tail = (3, 4) if digits >= 7 else (0, min(2, digits - 1))
    out, seen = [], 0
    for ch in token:
        if ch.isdigit():
            seen += 1
            hidden = keep_head < seen <= digits - keep_tail
            out.append("*" if hidden else ch)
        else:
            out.append(ch)
    return "".join(out)
