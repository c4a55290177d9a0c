"""Print what the safety tests tried (kills, fuzzed cases, round trips) in the terminal summary."""
from __future__ import annotations

from tests.safety.report import LINES


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if LINES:
        terminalreporter.section("safety: cases tried")
        for line in LINES:
            terminalreporter.write_line(line)
