"""`import roster`: Excel rosters in, checked before anything is written."""
from __future__ import annotations

import sys
from pathlib import Path


def add_parsers(sub, export_sub, db_opt) -> None:
    imp = sub.add_parser("import", parents=[db_opt], help="导入")
    imp_sub = imp.add_subparsers(dest="import_command", required=True)
    roster = imp_sub.add_parser("roster", parents=[db_opt],
                                help="导入党员花名册（.xlsx 或 .xls）：先检查并报告，没有问题才写入")
    roster.add_argument("file", type=Path, help="花名册文件（.xlsx 或 .xls）")
    roster.add_argument("--org", help="导入到的组织：文件未写明所在党支部时所用的党支部，"
                                      "或新建党支部所在的社区党组织")
    roster.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    roster.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余各行")
    roster.add_argument("--create-branches", action="store_true",
                        help="在 --org 指定的组织下新建文件中出现、尚未建立的党支部")


def before_open(args) -> None:
    """A missing or .xls file is refused before the database is touched."""
    if args.command == "import":
        from ..services.importing import check_roster_file

        check_roster_file(args.file)


def run(ws, args) -> int | None:
    """Exit 0: imported (or a clean dry run); 1: rows refused, nothing written."""
    if args.command != "import":
        return None
    from ..services.importing import ImportService

    if args.create_branches and not args.org:
        print("错误：使用 --create-branches 时请用 --org 指定新党支部所在的社区党组织", file=sys.stderr)
        return 2
    org_id = ws.orgs.find(args.org).id if args.org else None
    service = ImportService(ws.db)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        if tty:
            text = f"{message}（{done * 100 // total}%）" if total else message
            print(f"\r{text:<50}", end="", file=sys.stderr, flush=True)

    plan = service.plan_roster_import(args.file, org_id=org_id, progress=progress)
    if tty:
        print(file=sys.stderr)
    for line in plan.report_lines(args.create_branches):
        print(line)
    if plan.unknown_branches and not args.create_branches and args.org:
        print(f"（可加 --create-branches 在“{plan.new_branch_parent_name}”下新建这些党支部）")
    refused = plan.problem_rows(args.create_branches)
    if refused and not args.skip_invalid:
        print(f"有{len(refused)}行有问题，未写入任何数据。请修改文件后重新导入，"
              "或加 --skip-invalid 只导入没有问题的行。")
        return 1
    if args.dry_run:
        print("（预览模式，数据库未作修改）")
        return 0
    result = service.apply_roster_import(plan, skip_invalid=args.skip_invalid,
                                         create_branches=args.create_branches, progress=progress)
    if tty:
        print(file=sys.stderr)
    print(result.summary())
    return 0
