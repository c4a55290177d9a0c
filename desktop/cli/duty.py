"""`duty list`, `export ballots`, `export duty-results`: 书记抓党建述职评议 on paper."""
from __future__ import annotations

import sys
from pathlib import Path


def add_parsers(sub, export_sub, db_opt) -> None:
    duty = sub.add_parser("duty", parents=[db_opt], help="述职评议")
    duty_sub = duty.add_subparsers(dest="duty_command", required=True)
    duty_sub.add_parser("list", parents=[db_opt], help="列出述职评议（含编号）")
    ballots = export_sub.add_parser("ballots", parents=[db_opt], help="导出民主测评表 PDF")
    ballots.add_argument("--round", type=int, required=True, help="述职评议编号（见 duty list）")
    ballots.add_argument("--reporter", help="只印这位述职人的测评表（姓名）；默认所有述职人合印一张")
    ballots.add_argument("--audience", help="评议类别，如“上级评议”（默认由评议人勾选）")
    ballots.add_argument("--copies", type=int, help="份数（默认为已登记的应参评人数）")
    ballots.add_argument("--out", type=Path, required=True, help="输出文件（.pdf）")
    results = export_sub.add_parser("duty-results", parents=[db_opt],
                                    help="导出述职评议结果汇总表（.xlsx 或 .pdf）")
    results.add_argument("--round", type=int, required=True, help="述职评议编号（见 duty list）")
    results.add_argument("--out", type=Path, required=True, help="输出文件，扩展名为 .xlsx 或 .pdf")


def reads_only(args) -> bool:
    return args.command == "duty" and args.duty_command == "list"


def run(ws, args) -> int | None:
    ds = ws.duty
    if args.command == "duty":
        rounds = ds.rounds()
        if not rounds:
            print("还没有述职评议")
        for r in rounds:
            print(f"{r.id}\t{r.year}年\t{r.status.value}\t{r.reporters}人\t{r.title}")
        return 0
    if args.command != "export" or args.export_command not in ("ballots", "duty-results"):
        return None
    if args.export_command == "duty-results":
        ds.export_results(args.out, args.round)
        print(f"已导出述职评议结果汇总表到 {args.out}")
        return 0
    if args.out.suffix.lower() != ".pdf":
        print("错误：请用 .pdf 作为输出文件的扩展名", file=sys.stderr)
        return 2
    reporter_id = None
    if args.reporter:
        found = [p for p in ds.get(args.round).reporters if p.name == args.reporter.strip()]
        if len(found) != 1:
            why = "没有" if not found else f"有{len(found)}位"
            print(f"错误：本轮述职人中{why}“{args.reporter}”", file=sys.stderr)
            return 2
        reporter_id = found[0].id
    pages = ds.export_ballots(args.out, args.round, reporter_id=reporter_id,
                              audience=args.audience, copies=args.copies)
    print(f"已导出民主测评表到 {args.out}，共{pages}页")
    return 0
