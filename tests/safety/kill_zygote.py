"""A helper process for the kill tests: prepares one scenario once, then forks a child per
run and SIGKILLs it after the delay the test asks for.

Run as ``python -m tests.safety.kill_zygote SCENARIO WORKDIR SIZE``. Protocol on
stdin/stdout, one line each::

    → go DELAY            (DELAY < 0: let the child finish)
    ← ran STATUS KILLED SECONDS   (KILLED: 1 if the child died of the signal mid-work)

Before each run the zygote resets the scenario's files; the test process checks
the result on its own (it never shares a connection with the child). Forking from
a process that has already imported everything and made its plans keeps each kill
cheap, so many of them fit in a few seconds. The zygote has no threads and no open
database connection when it forks.
"""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import sys
import time
import traceback
from pathlib import Path
from types import SimpleNamespace


def _preload() -> None:
    """Everything a child uses, imported once here rather than in every child."""
    import desktop.exports.pdf.document  # noqa: F401
    import desktop.services.backup  # noqa: F401
    import desktop.services.importing  # noqa: F401
    import desktop.services.workspace  # noqa: F401


def _clear(db: Path) -> None:
    for extra in ("-wal", "-shm", "-journal", ".lock"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    shutil.rmtree(db.parent / "backups", ignore_errors=True)


def _fresh(template: Path, target: Path) -> None:
    _clear(target)
    shutil.copyfile(template, target)


# --------------------------------------------------------------------------- scenarios


class Migration:
    """A v1 database with many members upgraded by the real steps plus a heavy synthetic one."""

    def __init__(self, work: Path, size: int):
        from desktop.storage import migrations

        self.template, self.target, self.size = work / "v1.sqlite3", work / "live" / "db.sqlite3", size
        self.target.parent.mkdir(parents=True, exist_ok=True)
        real = migrations.steps()

        def heavy(conn) -> None:  # touches every row and builds an index: takes a while
            conn.exec_driver_sql("UPDATE member SET remarks = 'migrated-' || id, "
                                 "address = address || '（已核对）'")
            conn.exec_driver_sql("CREATE INDEX ix_member_remarks ON member (remarks, address)")

        synthetic = SimpleNamespace(VERSION=len(real) + 1, upgrade=heavy, __name__="m_synthetic")
        migrations.steps = lambda: [*real, synthetic]  # inherited by every forked child
        _v1_database(self.template, size)

    def reset(self) -> None:
        _fresh(self.template, self.target)

    def run(self, begin) -> None:
        from desktop.services.workspace import open_workspace

        begin()
        open_workspace(self.target).close()


class Import:
    """A roster workbook of `size` new members imported into a street (one transaction)."""

    def __init__(self, work: Path, size: int):
        from desktop.domain.organization import BranchKind, OrgKind, Organization
        from desktop.services.importing import ImportService
        from desktop.services.workspace import open_workspace
        from tests import messy_workbooks as mw

        self.template, self.target = work / "street.sqlite3", work / "live" / "db.sqlite3"
        self.target.parent.mkdir(parents=True, exist_ok=True)
        ws = open_workspace(self.template)
        s = ws.orgs.create(Organization("长青街道党工委", OrgKind.STREET))
        c = ws.orgs.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id))
        b = ws.orgs.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c.id,
                                        branch_kind=BranchKind.GRID))
        adults = [p for p in mw.people(size * 2) if p.birth.year <= 1986][:size]  # 18 by 2005
        book = mw.titled_roster(work / "花名册.xlsx", adults)
        self.plan = ImportService(ws.db).plan_roster_import(book, org_id=b.id)
        counts = self.plan.counts()
        ws.close()
        if counts.new != size or self.plan.problems():
            raise SystemExit(f"the generated workbook does not import cleanly: {counts} "
                             f"{self.plan.problems()[:3]}")
        _clear(self.template)

    def reset(self) -> None:
        _fresh(self.template, self.target)

    def run(self, begin) -> None:
        from desktop.services.importing import ImportService
        from desktop.services.workspace import open_workspace

        ws = open_workspace(self.target)
        begin()
        ImportService(ws.db).apply_roster_import(self.plan)
        ws.close()


class Export:
    """A many-page PDF through build_pdf (atomic_write) onto a file that already exists."""

    def __init__(self, work: Path, size: int):
        from reportlab import rl_config

        from desktop.exports.pdf.fonts import cjk_fonts

        rl_config.invariant = 1  # the same bytes every time: a finished file is recognisable
        cjk_fonts()  # load the fonts once, before forking
        self.target = work / "out" / "党员名册.pdf"
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.old = b"%PDF-1.4\n% the previous export, complete\n%%EOF\n"
        self.rows = [[str(i), f"党员{i:05d}", "男" if i % 2 else "女", "汉族", "大学本科",
                      f"2005-07-{1 + i % 28:02d}", f"第{1 + i % 40}网格党支部"] for i in range(size)]

    def reset(self) -> None:
        for p in self.target.parent.iterdir():
            p.unlink()
        self.target.write_bytes(self.old)

    def run(self, begin) -> None:
        from reportlab.lib.units import mm

        from desktop.exports.pdf.document import build_pdf, chunked_table, para, styles

        def story(layout):
            widths = [12 * mm, 30 * mm, 12 * mm, 16 * mm, 24 * mm, 26 * mm]
            widths.append(layout.frame_width - sum(widths))
            return [para("党员名册", styles().title),
                    *chunked_table(["序号", "姓名", "性别", "民族", "学历", "入党时间", "所在党支部"],
                                   self.rows, widths)]

        begin()
        build_pdf(self.target, story, title="党员名册", orientation="landscape")


class Restore:
    """A database replaced by a backup of different content (restore_database, as the CLI does)."""

    def __init__(self, work: Path, size: int):
        self.template, self.target = work / "live.sqlite3", work / "live" / "db.sqlite3"
        self.backup = work / "backup.sqlite3"
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _street(self.template, size)
        _street(self.backup, size // 2)

    def reset(self) -> None:
        _fresh(self.template, self.target)

    def run(self, begin) -> None:
        from desktop.services.backup import restore_database

        begin()
        restore_database(self.target, self.backup)


SCENARIOS = {"migration": Migration, "import": Import, "export": Export, "restore": Restore}


def _street(path: Path, members: int) -> None:
    """A database of the current schema: a street, a community, a branch and its members."""
    from datetime import date

    from desktop.domain.idcard import make_id_number
    from desktop.domain.member import Member
    from desktop.domain.organization import BranchKind, OrgKind, Organization
    from desktop.services.workspace import open_workspace
    from desktop.storage import members as member_repo

    ws = open_workspace(path)
    s = ws.orgs.create(Organization("长青街道党工委", OrgKind.STREET))
    c = ws.orgs.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id))
    b = ws.orgs.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c.id,
                                    branch_kind=BranchKind.GRID))
    people = []
    for i in range(members):
        birth = date(1940 + i % 45, 1 + i // 45 % 12, 1 + i // 540 % 28)
        people.append(Member(name=f"党员{i}", org_id=b.id, sex="男",
                             id_number=make_id_number("110105", birth, i % 7, "男"),
                             ethnicity="汉族", education="大学本科", birth_date=birth,
                             joined=date(2005, 7, 1), confirmed=date(2006, 7, 1), mobile="13800000000"))
    with ws.db.transaction() as conn:
        member_repo.insert_many(conn, people)
    ws.close()
    _clear(path)


def _v1_database(path: Path, members: int) -> None:
    """The schema of the first release, filled by plain SQL (fast), as the first release wrote it."""
    from desktop.domain.idcard import make_id_number
    from desktop.storage import migrations
    from desktop.storage.database import _set_meta, _sqlite_engine

    path.unlink(missing_ok=True)
    engine = _sqlite_engine(path)
    with engine.begin() as conn:
        migrations.steps()[0].upgrade(conn)
        _set_meta(conn, "schema_version", "1")
        _set_meta(conn, "app", "dangjian")
    engine.dispose()
    con = sqlite3.connect(path)
    now = "2024-01-01 00:00:00"
    with con:
        con.executemany(
            "INSERT INTO organization (id, uuid, created_at, modified_at, name, kind, branch_kind,"
            " parent_id, contact, remarks, sort_order) VALUES (?,?,?,?,?,?,?,?,'','',0)",
            [(1, "o1", now, now, "长青街道党工委", "街道党工委", None, None),
             (2, "o2", now, now, "幸福社区党委", "社区党委", None, 1),
             (3, "o3", now, now, "第一网格党支部", "党支部", "网格党支部", 2)])
        from datetime import date

        rows = []
        for i in range(members):
            birth = date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
            rows.append((f"m{i}", now, now, f"党员{i}", f"dangyuan{i}", "dy", 3,
                         f"{make_id_number('110105', birth, 1, '男')[:6]}{i:012d}", birth))
        con.executemany(
            "INSERT INTO member (uuid, created_at, modified_at, name, name_pinyin,"
            " name_initials, org_id, id_number, sex, ethnicity, birth_date, education, category, job,"
            " mobile, phone, address, standing, lost_contact, is_mobile, outflow, remarks,"
            " classification, party_post, probation_extension_months, status)"
            " VALUES (?,?,?,?,?,?,?,?,'男','汉族',?,'大学本科','正式党员','退休人员','13800000000',"
            "'', '人民路1号', '', 0, 0, '', '', '离退休党员', '', 0, '在册')", rows)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()


# --------------------------------------------------------------------------- the loop


def _run_child(scenario, signal_fd: int) -> None:
    os.dup2(2, 1)  # the zygote's stdout is the protocol; the child prints nowhere near it
    signal.signal(signal.SIGINT, signal.SIG_DFL)

    def begin() -> None:
        os.write(signal_fd, b"b")
        os.close(signal_fd)

    try:
        scenario.run(begin)
    except BaseException:  # noqa: BLE001 - reported, then a distinctive exit code
        traceback.print_exc()
        os._exit(3)
    os._exit(0)


def main(argv: list[str]) -> int:
    name, work, size = argv[0], Path(argv[1]), int(argv[2])
    _preload()
    scenario = SCENARIOS[name](work, size)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd != "go":
            break
        delay = float(arg)
        scenario.reset()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(r)
            _run_child(scenario, w)
        os.close(w)
        began = os.read(r, 1) == b"b"
        os.close(r)
        t0 = time.monotonic()
        if delay >= 0:
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)  # ours and not yet reaped: cannot be another process
        _, status = os.waitpid(pid, 0)
        elapsed = time.monotonic() - t0
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print(f"ran {code} {int(killed and began)} {elapsed:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
