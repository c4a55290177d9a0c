"""Text clean-up shared by every rule that reads what people typed."""
from __future__ import annotations

import re

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_SPACES = re.compile(r"[\s\u00a0\u3000]+")


def to_halfwidth(s: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３) to half-width, ideographic space to a plain space."""
    return s.translate(_FULLWIDTH)


def squeeze(s: str) -> str:
    """Half-width, collapse runs of whitespace to one space, strip the ends."""
    return _SPACES.sub(" ", to_halfwidth(s)).strip()


def strip_all_spaces(s: str) -> str:
    return _SPACES.sub("", to_halfwidth(s))
