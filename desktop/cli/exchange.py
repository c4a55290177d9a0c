"""`exchange export|import`: 上报包 between databases."""
from __future__ import annotations

import sys
from pathlib import Path


def add_parsers(sub, export_sub, db_opt) -> None:
    ex = sub.add_parser("exchange", parents=[db_opt], help="上报包：在社区与街道的数据库之间交换数据")
    ex_sub = ex.add_subparsers(dest="exchange_command", required=True)
    out = ex_sub.add_parser("export", parents=[db_opt], help="导出上报包（一个组织及其全部下级）")
    out.add_argument("--org", help="组织名称（默认：最上级组织）")
    out.add_argument("--out", type=Path, required=True, help="输出文件（.djpkg）")
    inp = ex_sub.add_parser("import", parents=[db_opt], help="导入上报包：校验、预览并合并")
    inp.add_argument("file", type=Path, help="上报包文件")
    inp.add_argument("--dry-run", action="store_true", help="只预览，不写入数据库")
    inp.add_argument("--prefer-package", action="store_true", help="冲突时一律以上报包为准（默认保留本库）")


def reads_only(args) -> bool:
    return args.command == "exchange" and args.exchange_command == "export"


def run(ws, args) -> int | None:
    if args.command != "exchange":
        return None
    from ..domain.exchange import Decision, Resolution
    from ..services.exchange import ExchangeService

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
