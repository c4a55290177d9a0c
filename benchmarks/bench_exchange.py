"""Exchange packages (上报包) at street size: export, verify + preview, merge, re-import.

    python benchmarks/bench_exchange.py [--members 10000] [--seed 7]

Builds a demo street of N members, exports the whole street, then imports it into a
fresh database (all new), imports it again (all unchanged) and, after editing 1% of the
members at the source, once more (1% changed). Prints sizes and wall times.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.domain.roster_view import RosterFilter  # noqa: E402
from desktop.services.demo import DemoGenerator  # noqa: E402
from desktop.services.exchange import ExchangeService  # noqa: E402
from desktop.services.workspace import open_workspace  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402


def timed(label: str, fn, size: str = ""):
    t = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t
    print(f"  {label:<34} {elapsed:7.2f} s")
    report.row(f"上报包: {label} (wall)", size, elapsed, None, "", "")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        src = open_workspace(root / "src.sqlite3")
        DemoGenerator(src.db, seed=args.seed).run(args.members)
        street = src.orgs.tree()[0]
        dst = open_workspace(root / "dst.sqlite3")
        xs, xd = ExchangeService(src.db), ExchangeService(dst.db)
        pkg = root / "all.djpkg"
        size = f"{args.members} members"
        print(f"{args.members} members:")
        summary = timed("export (whole street)", lambda: xs.export_package(street.id, pkg), size)
        print(f"  package: {pkg.stat().st_size / 1024 / 1024:.2f} MB; {summary.counts}")
        package = timed("read + verify", lambda: xd.read_package(pkg), size)
        plan = timed("preview (plan, all new)", lambda: xd.plan_merge(package), size)
        result = timed("merge (one transaction)", lambda: xd.apply_merge(plan), size)
        print(f"  -> {result.describe()}")
        plan = timed("re-import: read + preview", lambda: xd.plan_merge(xd.read_package(pkg)), size)
        result = timed("re-import: merge", lambda: xd.apply_merge(plan), size)
        print(f"  -> {result.describe()}")
        ids = src.roster.ordered_ids(RosterFilter())[:: 100]
        for mid in ids:
            m = src.roster.get(mid)
            m.remarks = "已核实"
            src.roster.update(m)
        timed(f"export after {len(ids)} edits", lambda: xs.export_package(street.id, pkg), size)
        plan = timed("read + preview (1% changed)", lambda: xd.plan_merge(xd.read_package(pkg)), size)
        result = timed("merge", lambda: xd.apply_merge(plan), size)
        print(f"  -> {result.describe()}")
        src.close()
        dst.close()


if __name__ == "__main__":
    main()
