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
    ws = open_workspace(path)
    try:
        if args.command == "demo":
            return _demo(ws, args)
        if args.command == "org":
            return _org(ws, args)
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


def _print_tree(node, depth: int) -> None:
    print(f"{'  ' * depth}{node.name}  [{node.label}]  {node.total_members}人")
    for child in node.children:
        _print_tree(child, depth + 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
