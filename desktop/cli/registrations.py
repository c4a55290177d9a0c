"""`export registrations|feedback`: 双报到 overview for the street and 反馈表 for employers;
`registrations import|shortfalls|quotas`: lists in from .xlsx, who falls short, the quotas."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ..domain.masking import privacy_note

COMMANDS = ("registrations", "feedback")


def add_parsers(sub, export_sub, db_opt) -> None:
    regs = export_sub.add_parser("registrations", parents=[db_opt],
                                 help="导出双报到情况汇总（.xlsx：在职党员、驻区单位各一个工作表）")
    regs.add_argument("--out", type=Path, required=True, help="输出文件（.xlsx）")
    regs.add_argument("--year", type=int, help="统计年度（默认今年）")
    regs.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="统计季度（默认全年）")
    fb = export_sub.add_parser("feedback", parents=[db_opt],
                               help="导出双报到反馈表 PDF（每个工作单位一份，含其全部报到党员）")
    fb.add_argument("--year", type=int, required=True, help="年度")
    fb.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help="季度（默认全年）")
    fb.add_argument("--employer", help="只导出该工作单位（名称须与登记的工作单位一致）")
    fb.add_argument("--out", type=Path, required=True, help="输出文件（.pdf）")
    for p in (regs, fb):
        p.add_argument("--full-ids", action="store_true",
                       help="包含完整的公民身份号码和电话（默认隐去部分数字）")
    top = sub.add_parser("registrations", parents=[db_opt], help="双报到：导入报到名单、未达标提醒、指标设置")
    top_sub = top.add_subparsers(dest="registrations_command", required=True)
    imp = top_sub.add_parser("import", parents=[db_opt],
                             help="导入在职党员报到名单（.xlsx 或 .xls）：先检查，全部没有问题才写入")
    imp.add_argument("file", type=Path, help="报到名单文件（.xlsx 或 .xls）")
    imp.add_argument("--community", required=True, help="报到的社区党组织名称")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    short = top_sub.add_parser("shortfalls", parents=[db_opt], help="列出本季度、本年度未达到指标的在职党员及未践诺的承诺")
    short.add_argument("--date", type=date.fromisoformat, help="按哪一天统计（默认今天，格式2026-11-22）")
    quotas = top_sub.add_parser("quotas", parents=[db_opt], help="查看或修改双报到指标")
    quotas.add_argument("--quarter-contacts", type=int, help="每季度至少联系社区次数")
    quotas.add_argument("--year-activities", type=int, help="每年至少参加活动次数")
    quotas.add_argument("--year-hours", type=float, help="或每年至少服务小时数")


def reads_only(args) -> bool:
    return args.command == "registrations" and args.registrations_command == "shortfalls"


def run(ws, args) -> int | None:
    if args.command == "registrations":
        return _registrations(ws, args)
    if args.command != "export" or args.export_command not in COMMANDS:
        return None
    rs = ws.registrations
    masked = not args.full_ids
    if args.export_command == "registrations":
        if args.out.suffix.lower() != ".xlsx":
            print("错误：请用 .xlsx 作为输出文件的扩展名", file=sys.stderr)
            return 2
        year = args.year or date.today().year
        ov = rs.overview(year, args.quarter, masked)
        from ..exports.xlsx.registrations import write_registrations_xlsx

        write_registrations_xlsx(args.out, ov)
        units = sum(1 for r in ov.rows if r.sheet.is_unit)
        print(f"已导出{ov.period}双报到情况（在职党员{len(ov.rows) - units}人，驻区单位{units}个）"
              f"到 {args.out}（{privacy_note(masked)}）")
        return 0
    if args.out.suffix.lower() != ".pdf":
        print("错误：请用 .pdf 作为输出文件的扩展名", file=sys.stderr)
        return 2
    pages = rs.export_feedback(args.out, args.year, args.quarter, args.employer, masked)
    who = f"“{args.employer}”的" if args.employer else ""
    print(f"已导出{who}反馈表到 {args.out}，共{pages}页（{privacy_note(masked)}）")
    return 0


def _registrations(ws, args) -> int:
    rs = ws.registrations
    if args.registrations_command == "import":
        community = ws.orgs.find(args.community)
        plan = rs.importer.preview(args.file, community.id)
        print(f"报到名单：{args.file.name}（工作表：{'、'.join(plan.sheets)}）")
        print(plan.summary)
        for p in plan.problems:
            print(f"  {p}")
        if plan.problems:
            print("未写入任何数据。请修改文件后重新导入。")
            return 1
        if args.dry_run:
            print("（预览模式，数据库未作修改）")
            return 0
        print(f"已导入{rs.importer.commit(plan)}名在职党员到“{community.name}”")
        return 0
    if args.registrations_command == "shortfalls":
        report = rs.shortfalls(args.date)
        print(f"指标：{rs.quotas().text}")
        for label, rows in ((report.quarter_label, report.quarter), (report.year_label, report.year)):
            print(f"{label}未达标：{len(rows)}人")
            for s in rows:
                print(f"  {s.name}（{s.employer}）：{s.text}")
        print(f"{report.year_label}未践诺的承诺：{len(report.open_commitments)}项")
        for c in report.open_commitments:
            print(f"  {c.name}：{c.content}")
        return 0
    from dataclasses import replace

    q = rs.quotas()
    changes = {k: v for k, v in (("quarter_contacts", args.quarter_contacts),
                                 ("year_activities", args.year_activities),
                                 ("year_hours", args.year_hours)) if v is not None}
    if changes:
        q = replace(q, **changes)
        rs.set_quotas(q)
    print(f"双报到指标：{q.text}")
    return 0
