"""Figures the safety tests report at the end of the run, whatever pytest's -s/-q.

A test calls ``record("kills survived: 30 …")``; tests/safety/conftest.py prints every
line in the terminal summary, so CI logs show how many cases were tried.
"""
from __future__ import annotations

LINES: list[str] = []


def record(line: str) -> None:
    LINES.append(line)
