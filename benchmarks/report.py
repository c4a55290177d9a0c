"""One machine-readable line per measured operation; run_all.py gathers them into one table.

Each benchmark prints its own readable table too; these lines are for the summary.
"""
from __future__ import annotations

MARK = "BENCH-ROW"


def row(operation: str, size: str | int, ours_s: float, baseline_s: float | None,
        goal: str, baseline: str = "") -> None:
    """ours and baseline in seconds; `baseline` names what the baseline is."""
    base = "" if baseline_s is None else f"{baseline_s:.6f}"
    print("\t".join([MARK, operation, str(size), f"{ours_s:.6f}", base, goal, baseline]),
          flush=True)


def parse(line: str) -> dict | None:
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 7 or parts[0] != MARK:
        return None
    _, operation, size, ours, base, goal, baseline = parts
    return {"operation": operation, "size": size, "ours": float(ours),
            "base": float(base) if base else None, "goal": goal, "baseline": baseline}


def table(rows: list[dict]) -> str:
    """The rows as one aligned text table (times in ms below 10 s, else s)."""
    def t(s: float | None) -> str:
        if s is None:
            return "—"
        return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"

    head = ("operation", "size", "ours", "baseline", "ratio", "goal", "baseline is")
    body = [(r["operation"], r["size"], t(r["ours"]), t(r["base"]),
             f"{r['ours'] / r['base']:.2f}" if r["base"] else "—", r["goal"], r["baseline"])
            for r in rows]
    widths = [max(_width(x[i]) for x in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(_pad(x[i], widths[i], right=i in (1, 2, 3, 4)) for i in range(len(head)))
             for x in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(s: str) -> int:  # CJK characters take two columns in a terminal
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(s))
    return gap + s if right else s + gap
