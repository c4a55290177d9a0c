"""Roster import against its baseline: openpyxl read-only iterating the same file.

    python benchmarks/bench_import.py [--rows 10000] [--repeat 3] [--plain]

Writes a roster of generated fake people with the application's own exporter
(exports/xlsx/roster.py: a title row, an info row, the national and extra
headers, one sheet per branch, ID numbers as text, dates as real dates
formatted yyyy-mm-dd, 是/否), or with --plain a single sheet laid out the same
way by openpyxl directly. Then, interleaved and best of --repeat, it times
  baseline: load_workbook(read_only=True) and iterate every row's values;
  import:   plan_roster_import + apply_roster_import into an empty database
            (street and community only: the branches are created by the import).
Prints wall-clock and CPU time with their ratio; the goal is at most 1.5.
CPU time is the steadier figure on a busy machine.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402

from desktop.domain.idcard import make_id_number  # noqa: E402
from desktop.domain.roster_fields import ALL_FIELDS  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import report  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉国荣新春梅琴云飞鹏海波"
REGIONS = ["110105", "320102", "330106", "420106", "440104", "510107", "610113", "370102"]
BRANCHES = [f"第{i}网格党支部" for i in range(1, 21)]
COMMUNITY = "幸福社区党委"


def fake_members(rows: int) -> list[dict]:
    """Distinct, valid, invented people, as field key → value."""
    out = []
    for i in range(rows):
        sex = "男" if i % 2 else "女"
        birth = date(1940, 1, 1) + timedelta(days=(i * 37) % 20000 + i // 4000)
        region = REGIONS[i % len(REGIONS)]
        seq = (i // len(REGIONS)) % 500
        joined = birth + timedelta(days=365 * 25)
        out.append({
            "name": SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 13) % len(GIVEN)],
            "org_name": BRANCHES[i % len(BRANCHES)], "id_number": make_id_number(region, birth, seq, sex),
            "sex": sex, "ethnicity": "汉族", "birth_date": birth, "education": "大学本科",
            "category": "正式党员", "joined": joined, "confirmed": joined + timedelta(days=366),
            "job": "退休人员", "mobile": f"138{i:08d}", "phone": "", "address": f"人民路{i % 300 + 1}号",
            "standing": "正常", "lost_contact": False, "lost_contact_date": None, "is_mobile": False,
            "outflow": "", "remarks": "", "classification": "离退休党员", "party_post": "", "group_name": "",
        })
    return out


def write_with_exporter(path: Path, members: list[dict]) -> bool:
    """The file exactly as 导出花名册 writes it; False when the exporter is not there."""
    try:
        from desktop.domain.roster_export import RECORD_KEYS, RosterDocument, RosterSection
        from desktop.exports.xlsx.roster import write_roster_xlsx
    except ImportError:
        return False
    sections = []
    for branch in BRANCHES:
        rows = [tuple(m[k] for k in RECORD_KEYS) for m in members if m["org_name"] == branch]
        sections.append(RosterSection(None, branch, rows))
    write_roster_xlsx(path, RosterDocument(COMMUNITY, date.today(), tuple(sections)))
    return True


def write_plain(path: Path, members: list[dict]) -> None:
    """One sheet in the exporter's layout, written by openpyxl directly."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("党员花名册")
    ws.append([f"{COMMUNITY}党员花名册"])
    ws.append([f"组织：{COMMUNITY}　在册党员：{len(members)}人"])
    ws.append([f.label for f in ALL_FIELDS])

    def cell(value, fmt):
        c = WriteOnlyCell(ws, value=value)
        c.number_format = fmt
        return c

    for i, m in enumerate(members, 1):
        row = [i]
        for f in ALL_FIELDS[1:]:
            v = m[f.key]
            if f.kind == "bool":
                v = "是" if v else "否"
            if f.kind == "date":
                row.append(cell(v, "yyyy-mm-dd") if v else None)
            elif f.key in ("id_number", "mobile", "phone"):
                row.append(cell(v or None, "@"))
            else:
                row.append(v or None)
        ws.append(row)
    wb.save(path)


class Clock:
    """Wall-clock and CPU time of one stretch of work."""

    def __enter__(self) -> "Clock":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def baseline(path: Path) -> Clock:
    with Clock() as c:
        wb = load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()
    return c


def import_once(path: Path, workdir: Path, run: int) -> tuple[Clock, Clock, int]:
    """(plan, apply, members written) for one import into a new database."""
    from desktop.domain.organization import Organization, OrgKind
    from desktop.services.importing import ImportService
    from desktop.services.workspace import open_workspace

    ws = open_workspace(workdir / f"bench-{run}.sqlite3")
    try:
        street = ws.orgs.create(Organization("长青街道党工委", OrgKind.STREET))
        community = ws.orgs.create(Organization(COMMUNITY, OrgKind.COMMUNITY, parent_id=street.id))
        service = ImportService(ws.db)
        with Clock() as plan_clock:
            plan = service.plan_roster_import(path, org_id=community.id)
        with Clock() as apply_clock:
            result = service.apply_roster_import(plan, create_branches=True)
        if plan.problems(True):
            print("unexpected problems:", *plan.problems(True)[:5], sep="\n  ")
        return plan_clock, apply_clock, result.created
    finally:
        ws.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="interleaved runs of each; the best is kept")
    ap.add_argument("--plain", action="store_true", help="write the file with openpyxl, not the exporter")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("DANGJIAN_DATA_DIR", str(workdir / "userdata"))
        path = workdir / "roster.xlsx"
        members = fake_members(args.rows)
        writer = "exporter"
        if args.plain or not write_with_exporter(path, members):
            write_plain(path, members)
            writer = "plain openpyxl"
        size = path.stat().st_size / 1e6
        bases, imports = [], []
        for i in range(args.repeat):  # interleaved, so a busy machine slows both alike
            bases.append(baseline(path))
            imports.append(import_once(path, workdir, i))
    print(f"rows: {args.rows}, file: {size:.1f} MB written by the {writer}, best of {args.repeat}")
    for unit in ("wall", "cpu"):
        base = min(getattr(b, unit) for b in bases)
        plan, apply, created = min(imports, key=lambda r: getattr(r[0], unit) + getattr(r[1], unit))
        total = getattr(plan, unit) + getattr(apply, unit)
        print(f"[{unit}] baseline (openpyxl read_only iterate): {base:.2f} s; "
              f"import: {total:.2f} s (plan {getattr(plan, unit):.2f} + apply {getattr(apply, unit):.2f}), "
              f"{created} members; ratio {total / base:.2f} (goal <= 1.5)")
        if unit == "cpu":
            report.row("import roster .xlsx (CPU time)", f"{args.rows} rows", total, base, "≤ 1.5×",
                       "openpyxl read_only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
