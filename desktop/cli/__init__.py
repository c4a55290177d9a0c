"""`dangjian`: start the GUI, or run a headless command over the same services."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import config
from ..domain.errors import DomainError

# Feature commands, each in its own module with add_parsers(sub, export_sub, db_opt) and
# run(ws, args) -> exit code, or None when the command is not its own; optionally
# reads_only(args) (may run beside a program holding the database) and before_open(args)
# (checks made before the database is touched). Imported when a command line needs them:
# a plain start of the GUI does not.
FEATURE_MODULES = ("meetings", "exchange", "importing", "stats", "registrations", "duty")


def _features() -> list:
    import importlib

    return [importlib.import_module(f"{__name__}.{name}") for name in FEATURE_MODULES]


def _gui_db(argv: list[str]) -> tuple[bool, Path | None]:
    """(True, --db or None) when the command line only starts the GUI (nothing, `gui`,
    `--db PATH`): the double-click start skips building every command's parser."""
    rest = list(argv)
    if rest[:1] == ["gui"]:
        rest = rest[1:]
    db = None
    if len(rest) == 2 and rest[0] == "--db" and not rest[1].startswith("-"):
        db = Path(rest[1])
    elif len(rest) == 1 and rest[0].startswith("--db=") and len(rest[0]) > 5:
        db = Path(rest[0][5:])
    elif rest:
        return False, None
    return True, db


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
    roster_out.add_argument("--full-ids", action="store_true",
                            help="包含完整身份证号和电话（默认隐去部分数字；含完整号码的文件注意保密）")
    roster_out.add_argument("--mask-id", action="store_true",
                            help="（已是默认，保留以兼容旧脚本）隐去身份证号和电话的部分数字")
    roster_out.add_argument("--one-sheet", action="store_true",
                            help=".xlsx：全部党员放在一个工作表（默认每个党支部一个工作表）")
    for feature in _features():
        feature.add_parsers(sub, export_sub, db_opt)

    _backup_parser(sub, db_opt)

    sub.add_parser("where", parents=[db_opt], help="显示数据库文件位置")
    return p


def _db_path(args) -> Path:
    return getattr(args, "db", None) or config.default_db_path()


def main(argv: list[str] | None = None) -> int:
    gui_only, db = _gui_db(sys.argv[1:] if argv is None else argv)
    if gui_only:
        from ..app import main as gui_main

        return gui_main(db or config.default_db_path())
    args = _parser().parse_args(argv)
    if args.command in (None, "gui"):
        from ..app import main as gui_main

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
    from ..services.workspace import open_workspace

    path = _db_path(args)
    if args.command == "where":
        print(path)
        return 0
    if args.command in ("backup", "restore"):
        return _backup(path, args)
    features = _features()
    for feature in features:
        if hasattr(feature, "before_open"):
            feature.before_open(args)
    ws = open_workspace(path, read_only=_reads_only(args))
    try:
        _unlock(ws)
        if args.command == "demo":
            return _demo(ws, args)
        if args.command == "org":
            return _org(ws, args)
        for feature in features:
            code = feature.run(ws, args)
            if code is not None:
                return code
        if args.command == "export" and args.export_command == "roster":
            return _export(ws, args)
    finally:
        ws.close()
    return 1


def _unlock(ws) -> None:
    """A database with a start-up password: from DANGJIAN_PASSWORD, else asked (not echoed)."""
    from ..services.security import ENV_PASSWORD, WrongPassword, password_from_env

    if not ws.security.has_password():
        return
    password = password_from_env()
    if password is None:
        if not sys.stdin.isatty():
            raise WrongPassword(f"该数据库设有启动密码，请在终端中运行以输入密码，"
                                f"或通过环境变量 {ENV_PASSWORD} 提供")
        import getpass

        password = getpass.getpass("启动密码：")
    ws.security.require(password)


def _demo(ws, args) -> int:
    from ..services.demo import DemoGenerator

    def progress(done: int, total: int, message: str) -> None:
        print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    result = DemoGenerator(ws.db, seed=args.seed).run(args.members, progress)
    print(file=sys.stderr)
    print(f"已在 {ws.path} 生成示例数据：{result['branches']}个党支部，{result['members']}名党员")
    return 0


def _org(ws, args) -> int:
    from ..domain.organization import BranchKind, Organization, parse_org_kind

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
    from ..services.exporting import ExportService, RosterExportOptions

    org_id = ws.orgs.find(args.org).id if args.org else None
    options = RosterExportOptions(org_id=org_id, include_left=args.include_left,
                                  mask_ids=not args.full_ids, sheet_per_branch=not args.one_sheet)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, message: str) -> None:
        if tty:
            text = f"{message}（{done * 100 // total}%）" if total else message
            print(f"\r{text:<50}", end="", file=sys.stderr, flush=True)

    result = ExportService(ws.db).export_roster(args.out, options, progress=progress)
    if tty:
        print(file=sys.stderr)
    pages = f"，共{result.pages}页" if result.pages else ""
    from ..domain.masking import privacy_note
    print(f"已导出{result.members}名党员到 {result.path}{pages}（{privacy_note(options.mask_ids)}）")
    return 0


def _reads_only(args) -> bool:
    """Commands that only read the database may run while a program has it open."""
    return (args.command == "export"
            or (args.command == "org" and args.org_command == "list")
            or any(f.reads_only(args) for f in _features() if hasattr(f, "reads_only")))


def _backup_parser(sub, db_opt) -> None:
    b = sub.add_parser("backup", parents=[db_opt], help="备份数据库（默认存入数据库旁的 backups 文件夹）")
    b.add_argument("--out", type=Path, help="备份到指定文件")
    r = sub.add_parser("restore", parents=[db_opt], help="从备份文件恢复数据库（先备份当前数据库）")
    r.add_argument("file", type=Path, help="备份文件")
    r.add_argument("--yes", action="store_true", help="不再询问，直接恢复")


def _backup(path: Path, args) -> int:
    from ..services.backup import REASON_MANUAL, check_backup, restore_database
    from ..services.workspace import open_workspace

    if args.command == "backup":
        ws = open_workspace(path, create=False, backup=False, read_only=True)
        try:
            _unlock(ws)
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
