"""`dangjian`: start the GUI, or run a headless command over the same services."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config
from .domain.errors import DomainError


def _parser() -> argparse.ArgumentParser:
    db_opt = argparse.ArgumentParser(add_help=False)
    db_opt.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                        help="数据库文件（默认：用户数据目录中的 dangjian.sqlite3）")
    p = argparse.ArgumentParser(prog="dangjian", description=config.APP_TITLE, parents=[db_opt])
    sub = p.add_subparsers(dest="command")

    sub.add_parser("gui", parents=[db_opt], help="启动图形界面（默认）")

    demo = sub.add_parser("demo", parents=[db_opt], help="生成示例数据（到空数据库）")
    demo.add_argument("--members", type=int, default=2000, help="党员人数（默认2000）")
    demo.add_argument("--seed", type=int, default=20261122)

    org = sub.add_parser("org", parents=[db_opt], help="组织管理")
    org_sub = org.add_subparsers(dest="org_command", required=True)
    add = org_sub.add_parser("add", parents=[db_opt], help="新建组织")
    add.add_argument("name")
    add.add_argument("--kind", required=True, help="街道党工委/社区党委/社区党总支/党支部/党小组，或支部类型")
    add.add_argument("--parent", help="上级组织名称")
    org_sub.add_parser("list", parents=[db_opt], help="列出组织树及党员人数")

    export = sub.add_parser("export", parents=[db_opt], help="导出")
    export_sub = export.add_subparsers(dest="export_command", required=True)
    roster_out = export_sub.add_parser("roster", parents=[db_opt], help="导出党员花名册（.xlsx 或 .pdf）")
    roster_out.add_argument("--out", type=Path, required=True, help="输出文件，扩展名为 .xlsx 或 .pdf")
    roster_out.add_argument("--org", help="组织名称，导出该组织及其下级（默认：整个街道）")
    roster_out.add_argument("--include-left", action="store_true",
                            help="同时列出已离开（转出、停止党籍、出党、去世）的党员")
    roster_out.add_argument("--mask-id", action="store_true",
                            help="隐藏公民身份号码中间8位（对外提供时使用）")
    roster_out.add_argument("--one-sheet", action="store_true",
                            help=".xlsx：全部党员放在一个工作表（默认每个党支部一个工作表）")
    _meeting_export_parsers(export_sub, db_opt)

    _exchange_parser(sub, db_opt)

    _import_parser(sub, db_opt)

    _backup_parser(sub, db_opt)

    sub.add_parser("where", parents=[db_opt], help="显示数据库文件位置")
    return p


def _db_path(args) -> Path:
    return getattr(args, "db", None) or config.default_db_path()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in (None, "gui"):
        from .app import main as gui_main

        return gui_main(_db_path(args))
    try:
        return _run(args)
    except DomainError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        return 0


def _run(args) -> int:
    from .services.workspace import open_workspace

    path = _db_path(args)
    if args.command == "where":
        print(path)
        return 0
    if args.command in ("backup", "restore"):
        return _backup(path, args)
    if args.command == "import":
        from .services.importing import check_roster_file

        check_roster_file(args.file)  # a missing or .xls file is refused before the database is touched
    ws = open_workspace(path, read_only=_reads_only(args))
    try:
        if args.command == "demo":
            return _demo(ws, args)
        if args.command == "org":
            return _org(ws, args)
        if args.command == "exchange":
            return _exchange(ws, args)
        if args.command == "export":
            return _export(ws, args)
        if args.command == "import":
            return _import(ws, args)
    finally:
        ws.close()
    return 1


def _demo(ws, args) -> int:
    from .services.demo import DemoGenerator

    def progress(done: int, total: int, message: str) -> None:
        print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    result = DemoGenerator(ws.db, seed=args.seed).run(args.members, progress)
    print(file=sys.stderr)
    print(f"已在 {ws.path} 生成示例数据：{result['branches']}个党支部，{result['members']}名党员")
    return 0


def _org(ws, args) -> int:
    from .domain.organization import BranchKind, Organization, parse_org_kind

    if args.org_command == "add":
        kind = parse_org_kind(args.kind)
        branch_kind = next((b for b in BranchKind if b.value == args.kind.strip()), None)
        parent_id = ws.orgs.find(args.parent).id if args.parent else None
        org = ws.orgs.create(Organization(args.name, kind, parent_id=parent_id,
                                          branch_kind=branch_kind))
        print(f"已创建：{org.name}（{org.kind.value}，编号{org.id}）")
        return 0
    for root in ws.orgs.tree():
        _print_tree(root, 0)
    return 0


def _export(ws, args) -> int:
    if args.export_command in ("minutes", "ledger", "signin"):
        return _export_meetings(ws, args)
    from .services.exporting import ExportService, RosterExportOptions

    org_id = ws.orgs.find(args.org).id if args.org else None
    options = RosterExportOptions(org_id=org_id, include_left=args.include_left,
                                  mask_ids=args.mask_id, sheet_per_branch=not args.one_sheet)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        if tty:
            text = f"{message}（{done * 100 // total}%）" if total else message
            print(f"\r{text:<50}", end="", file=sys.stderr, flush=True)

    result = ExportService(ws.db).export_roster(args.out, options, progress=progress)
    if tty:
        print(file=sys.stderr)
    pages = f"，共{result.pages}页" if result.pages else ""
    print(f"已导出{result.members}名党员到 {result.path}{pages}")
    return 0


def _meeting_export_parsers(export_sub, db_opt) -> None:
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


def _export_meetings(ws, args) -> int:
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


def _exchange_parser(sub, db_opt) -> None:
    ex = sub.add_parser("exchange", parents=[db_opt], help="上报包：在社区与街道的数据库之间交换数据")
    ex_sub = ex.add_subparsers(dest="exchange_command", required=True)
    out = ex_sub.add_parser("export", parents=[db_opt], help="导出上报包（一个组织及其全部下级）")
    out.add_argument("--org", help="组织名称（默认：最上级组织）")
    out.add_argument("--out", type=Path, required=True, help="输出文件（.djpkg）")
    inp = ex_sub.add_parser("import", parents=[db_opt], help="导入上报包：校验、预览并合并")
    inp.add_argument("file", type=Path, help="上报包文件")
    inp.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    inp.add_argument("--prefer-package", action="store_true", help="冲突时一律以上报包为准（默认保留本库）")


def _exchange(ws, args) -> int:
    from .domain.exchange import Decision, Resolution
    from .services.exchange import ExchangeService

    x = ExchangeService(ws.db)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        if tty:
            print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    def end_progress() -> None:
        if tty:
            print(file=sys.stderr)

    if args.exchange_command == "export":
        if args.org:
            org_id = ws.orgs.find(args.org).id
        else:
            roots = ws.orgs.tree()
            if len(roots) != 1:
                print("错误：请用 --org 指定要导出的组织", file=sys.stderr)
                return 2
            org_id = roots[0].id
        summary = x.export_package(org_id, args.out, progress)
        end_progress()
        print(summary.describe())
        return 0
    package = x.read_package(args.file, progress)
    plan = x.plan_merge(package)
    end_progress()
    print(package.describe())
    print(f"预览：{plan.describe()}")
    moved = [i for i in plan.moved if i.decision is not Decision.CONFLICT]
    for title, items in (("冲突", plan.conflicts), ("调动", moved), ("无法导入", plan.blocked)):
        for item in items:
            print(f"  [{title}] {item.describe()}")
    if args.dry_run:
        print("（预览模式，数据库未作修改）")
        return 0
    take = Resolution.TAKE_PACKAGE if args.prefer_package else None
    result = x.apply_merge(plan, take_all=take, progress=progress)
    end_progress()
    print(result.describe())
    return 0


def _import_parser(sub, db_opt) -> None:
    imp = sub.add_parser("import", parents=[db_opt], help="导入")
    imp_sub = imp.add_subparsers(dest="import_command", required=True)
    roster = imp_sub.add_parser("roster", parents=[db_opt],
                                help="导入党员花名册（.xlsx）：先检查并报告，没有问题才写入")
    roster.add_argument("file", type=Path, help="花名册文件（.xlsx）")
    roster.add_argument("--org", help="导入到的组织：文件未写明所在党支部时所用的党支部，"
                                      "或新建党支部所在的社区党组织")
    roster.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    roster.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余各行")
    roster.add_argument("--create-branches", action="store_true",
                        help="在 --org 指定的组织下新建文件中出现、尚未建立的党支部")


def _import(ws, args) -> int:
    """Exit 0: imported (or a clean dry run); 1: rows refused, nothing written."""
    from .services.importing import ImportService

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


def _reads_only(args) -> bool:
    """Commands that only read the database may run while a program has it open."""
    return (args.command == "export"
            or (args.command == "org" and args.org_command == "list")
            or (args.command == "exchange" and args.exchange_command == "export"))


def _backup_parser(sub, db_opt) -> None:
    b = sub.add_parser("backup", parents=[db_opt], help="备份数据库（默认存入数据库旁的 backups 文件夹）")
    b.add_argument("--out", type=Path, help="备份到指定文件")
    r = sub.add_parser("restore", parents=[db_opt], help="从备份文件恢复数据库（先备份当前数据库）")
    r.add_argument("file", type=Path, help="备份文件")
    r.add_argument("--yes", action="store_true", help="不再询问，直接恢复")


def _backup(path: Path, args) -> int:
    from .services.backup import REASON_MANUAL, check_backup, restore_database
    from .services.workspace import open_workspace

    if args.command == "backup":
        ws = open_workspace(path, create=False, backup=False, read_only=True)
        try:
            target = ws.backups.snapshot_to(args.out) if args.out else ws.backups.snapshot(REASON_MANUAL)
        finally:
            ws.close()
        print(f"已备份到 {target}")
        return 0
    facts = check_backup(args.file, path)
    print(f"备份文件：{args.file}（{facts.org_count}个组织，{facts.member_count}名在册党员）")
    if not args.yes:
        try:
            answer = input("确认恢复？此操作会先备份当前数据库 [y/N] ")
        except EOFError:
            print("\n未确认，未作任何修改。非交互运行时请加 --yes。", file=sys.stderr)
            return 1
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("已取消，未作任何修改。", file=sys.stderr)
            return 1
    before = restore_database(path, args.file)
    print(f"已从 {args.file} 恢复数据库 {path}。")
    if before:
        print(f"恢复前的数据库已备份到 {before}")
    return 0


def _print_tree(node, depth: int) -> None:
    print(f"{'  ' * depth}{node.name}  [{node.label}]  {node.total_members}人")
    for child in node.children:
        _print_tree(child, depth + 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
