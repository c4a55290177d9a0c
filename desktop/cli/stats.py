"""`export stats`: the street's 党员统计表 (counts by organisation) as .xlsx or .pdf."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..domain.dates import parse_date


def add_parsers(sub, export_sub, db_opt) -> None:
    stats = export_sub.add_parser("stats", parents=[db_opt],
                                  help="导出党员统计表（按组织统计人员类别、性别、年龄、学历、民族；.xlsx 或 .pdf）")
    stats.add_argument("--out", type=Path, required=True, help="输出文件，扩展名为 .xlsx 或 .pdf")
    stats.add_argument("--org", help="组织名称，统计该组织及其下级（默认：整个街道）")
    stats.add_argument("--date", help="统计日期（计算年龄用，默认今天），如 2026-12-31")


def run(ws, args) -> int | None:
    if args.command != "export" or args.export_command != "stats":
        return None
    org_id = ws.orgs.find(args.org).id if args.org else None
    day = parse_date(args.date, "统计日期") if args.date else date.today()
    table = ws.home.export_stats(args.out, org_id, day)
    print(f"已导出{table.scope_name}党员统计表（{len(table.rows)}个组织，{table.total.total}名党员）"
          f"到 {args.out}")
    return 0
