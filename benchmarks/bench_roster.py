"""Roster view hot paths on a large database, beside raw sqlite3 doing the same work.

    python benchmarks/bench_roster.py [--members 100000] [--db PATH]

Prints, for each operation, two timings beside plain sqlite3 doing the same work:
- first page: what the view shows first (RosterService.first_page: a LIMIT query and the
  count, then the page's rows) against the same LIMIT/count/page SQL in sqlite3;
- full list: every ordered id (built on the worker while the first page is on screen)
  and the first page's rows, against sqlite3 selecting and sorting the same rows.
Goals (issue #2) are for what the clerk waits for, the first page: < 150 ms after a
click on the tree, sort and each search keystroke < 300 ms.
"""
from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.domain.roster_view import COLUMN_KEYS, RosterFilter  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402
from desktop.services.workspace import open_workspace  # noqa: E402

PAGE = 200


def best_of(fn, n=5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def ensure_db(path: Path, members: int) -> None:
    """Generated in a child process, so that the peak memory printed is the roster's own."""
    if path.exists():
        return
    import subprocess

    print(f"generating {members} demo members into {path} …", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "desktop", "--db", str(path), "demo",
                    "--members", str(members)], check=True, cwd=Path(__file__).resolve().parent.parent,
                   stdout=subprocess.DEVNULL)


PAGE_SQL = ("SELECT member.id, " + ", ".join(
    "organization.name" if k == "org_name" else f"member.{k}" for k in COLUMN_KEYS) +
    " FROM member JOIN organization ON organization.id = member.org_id WHERE member.id IN ({})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / f"dangjian-bench-{args.members}.sqlite3"
    ensure_db(path, args.members)

    ws = open_workspace(path)
    roots = ws.orgs.tree()
    community = roots[0].children[0]
    raw = sqlite3.connect(path)

    def ours(f: RosterFilter):
        ids = ws.roster.ordered_ids(f)
        ws.roster.fetch_rows(ids[:PAGE], COLUMN_KEYS)
        return ids

    def ours_first(f: RosterFilter):
        first = ws.roster.first_page(f, PAGE)
        if first is None:  # a search, or an order only the full list gives: the view waits for it
            return ours(f)[:PAGE]
        ws.roster.fetch_rows(first[0], COLUMN_KEYS)
        return first[0]

    def theirs_first(where: str, keys: str, params: tuple, desc: bool = False):
        """The same first page in plain sqlite3: ordered LIMIT query, count, the page's rows."""
        d = " DESC" if desc else ""
        if keys.startswith("member.name_pinyin"):
            order = f"member.name_pinyin{d}, member.name_initials{d}, member.id{d}"
        else:
            v = f"coalesce({keys}, '')"
            order = f"{v} = ''{d}, {v}{d}, member.id{d}"
        page = [r[0] for r in raw.execute(
            f"SELECT member.id FROM member {where} ORDER BY {order} LIMIT {PAGE}", params)]
        raw.execute(f"SELECT count(*) FROM member {where}", params).fetchone()
        raw.execute(PAGE_SQL.format(",".join("?" * len(page))), page).fetchall()
        return page

    def theirs(where: str, keys: str, params: tuple, desc: bool = False):
        """The same work in plain sqlite3: filtered select, sort by (key, id), one page."""
        rows = raw.execute(f"SELECT member.id, {keys} FROM member {where}", params).fetchall()
        rows = [(r[0], r[1] or "", r[2] if len(r) > 2 else "") for r in rows]
        rows.sort(key=lambda r: (r[1] == "", r[1], r[2], r[0]), reverse=desc)
        ids = [r[0] for r in rows]
        page = ids[:PAGE]
        raw.execute(PAGE_SQL.format(",".join("?" * len(page))), page).fetchall()
        return ids

    sub = ws.orgs.subtree_ids(community.id)
    marks = ",".join("?" * len(sub))
    active = "WHERE member.status = '在册'"
    name = "member.name_pinyin, member.name_initials"
    cases = [
        ("click street root (all members)", RosterFilter(), (active, name, ())),
        ("click a community", RosterFilter(org_ids=sub),
         (f"WHERE (member.org_id IN ({marks}) OR member.group_id IN ({marks})) AND member.status = '在册'",
          name, tuple(sub) * 2)),
        ("sort all by 出生日期 desc", RosterFilter(sort_key="birth_date", descending=True),
         (active, "member.birth_date", (), True)),
        ("sort all by 手机号码", RosterFilter(sort_key="mobile"), (active, "member.mobile", ())),
        ("search keystroke 'z'", RosterFilter(text="z"),
         (active + " AND (member.name_initials LIKE 'z%' OR member.name_initials LIKE '% z%')", name, ())),
        ("search keystroke 'zs'", RosterFilter(text="zs"),
         (active + " AND (member.name_initials LIKE 'zs%' OR member.name_initials LIKE '% zs%')", name, ())),
        ("search ID digits '1980'", RosterFilter(text="1980"),
         (active + " AND (member.id_number LIKE '%1980%' OR member.mobile LIKE '%1980%'"
          " OR member.phone LIKE '%1980%')", name, ())),
        ("filter 预备党员", RosterFilter(category="预备党员"),
         (active + " AND member.category = '预备党员'", name, ())),
    ]
    members = ws.roster.first_page(RosterFilter(status="全部"), 1)[1]
    print(f"{'operation':34} {'rows':>7} {'first page: ours':>16} {'sqlite3':>8} {'ratio':>6}"
          f" {'full list: ours':>16} {'sqlite3':>8} {'ratio':>6}  goal (first page)")
    for label, f, raw_args in cases:
        n = len(ours(f))
        assert ours(f) == theirs(*raw_args), label
        early = ws.roster.first_page(f, PAGE) is not None
        baseline = theirs_first if early else (lambda *a: theirs(*a)[:PAGE])
        assert ours_first(f) == baseline(*raw_args), label
        a1 = best_of(lambda: ours_first(f))
        b1 = best_of(lambda: baseline(*raw_args))
        a = best_of(lambda: ours(f))
        b = best_of(lambda: theirs(*raw_args))
        goal = "< 150 ms" if label.startswith("click") else "< 300 ms"
        print(f"{label:34} {n:>7} {a1 * 1000:>13.1f} ms {b1 * 1000:>8.1f} {a1 / b1:>6.2f}"
              f" {a * 1000:>13.1f} ms {b * 1000:>8.1f} {a / b:>6.2f}  {goal}")
        size = f"{members} members"
        report.row(f"roster: {label}, first page", size, a1, b1, goal, "sqlite3")
        report.row(f"roster: {label}, full list (background)", size, a, b, "", "sqlite3")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {rss:.0f} MB (goal < 300 MB)")
    ws.close()


if __name__ == "__main__":
    main()
