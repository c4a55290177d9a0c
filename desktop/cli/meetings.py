"""`export minutes|ledger|signin`: 三会一课 records on paper."""
from __future__ import annotations

import sys
from pathlib import Path


def add_parsers(sub, export_sub, db_opt) -> None:
    minutes = export_sub.add_parser("minutes", parents=[db_opt],
                                    help="导出会议记录 PDF（一次会议，或某组织一年的全部会议）")
    minutes.add_argument("--meeting", type=int, help="会议编号")
    minutes.add_argument("--org", help="组织名称（与 --year 一起：导出该组织当年已召开的全部会议）")
    minutes.add_argument("--year", type=int, help="年度")
    minutes.add_argument("--out", type=Path, required=True, help="输出文件（.pdf）")
    minutes.add_argument("--continuous", action="store_true", help="连续排版（默认每次会议另起一页）")
    minutes.add_argument("--photos", action="store_true", help="附上会议照片")
    ledger = export_sub.add_parser("ledger", parents=[db_opt], help="导出三会一课台账（.xlsx 或 .pdf）")
    ledger.add_argument("--year", type=int, required=True, help="年度")
    ledger.add_argument("--out", type=Path, required=True, help="输出文件，扩展名为 .xlsx 或 .pdf")
    signin = export_sub.add_parser("signin", parents=[db_opt], help="导出会议签到表 PDF")
    signin.add_argument("--meeting", type=int, required=True, help="会议编号")
    signin.add_argument("--out", type=Path, required=True, help="输出文件（.pdf）")


def run(ws, args) -> int | None:
    if args.command != "export" or args.export_command not in ("minutes", "ledger", "signin"):
        return None
    ms = ws.meetings
    if args.export_command == "ledger":
        ms.export_ledger(args.out, args.year)
        print(f"已导出{args.year}年三会一课台账到 {args.out}")
        return 0
    if args.out.suffix.lower() != ".pdf":
        print("错误：请用 .pdf 作为输出文件的扩展名", file=sys.stderr)
        return 2
    if args.export_command == "signin":
        pages = ms.export_signin(args.out, args.meeting)
        print(f"已导出签到表到 {args.out}，共{pages}页")
        return 0
    if args.meeting is not None:
        ids = [args.meeting]
    elif args.org and args.year:
        ids = ms.meeting_ids(ws.orgs.find(args.org).id, args.year)
        if not ids:
            print(f"错误：“{args.org}”{args.year}年没有已召开的会议", file=sys.stderr)
            return 2
    else:
        print("错误：请用 --meeting 指定会议，或用 --org 与 --year 指定组织和年度", file=sys.stderr)
        return 2
    pages = ms.export_minutes(args.out, ids, one_per_page=not args.continuous,
                              with_photos=args.photos)
    print(f"已导出{len(ids)}次会议的记录到 {args.out}，共{pages}页")
    return 0
