"""Shared fixtures: a real SQLite file in a temporary directory, and a small street."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

# Qt tests must never need a display; PDFs must not depend on the machine's fonts.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DANGJIAN_PDF_FONT_SHIPPED_ONLY", "1")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Nothing a test does may touch the real user's data directory."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(data))
    monkeypatch.delenv("DANGJIAN_DB", raising=False)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def workspace(db_path):
    from desktop.services.workspace import open_workspace

    ws = open_workspace(db_path)
    yield ws
    ws.close()


@pytest.fixture
def street(workspace):
    """街道 → 社区 → two branches (one with a group); returns a dict of ids."""
    from desktop.domain.organization import BranchKind, OrgKind, Organization

    o = workspace.orgs
    s = o.create(Organization("测试街道党工委", OrgKind.STREET))
    c = o.create(Organization("幸福社区党委", OrgKind.COMMUNITY, parent_id=s.id,
                              term_start=date(2022, 3, 1)))
    b1 = o.create(Organization("第一网格党支部", OrgKind.BRANCH, parent_id=c.id,
                               branch_kind=BranchKind.GRID))
    b2 = o.create(Organization("离退休党支部", OrgKind.BRANCH, parent_id=c.id,
                               branch_kind=BranchKind.COURTYARD))
    g = o.create(Organization("第一党小组", OrgKind.GROUP, parent_id=b1.id))
    return {"street": s.id, "community": c.id, "b1": b1.id, "b2": b2.id, "group": g.id}


def make_member(org_id: int, name: str = "张三", seq: int = 1, birth=date(1980, 5, 17),
                sex: str = "男", **kw):
    from desktop.domain.idcard import make_id_number
    from desktop.domain.member import Member

    fields = dict(name=name, org_id=org_id, id_number=make_id_number("110105", birth, seq, sex),
                  ethnicity="汉族", education="大学本科", joined=date(2005, 7, 1),
                  confirmed=date(2006, 7, 1), mobile="13800000000")
    fields.update(kw)
    return Member(**fields)


_exit_status: list[int] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without interpreter teardown once Qt was used.

    PySide6 6.12.0 miscounts references for QTimer.singleShot(ms, callable) and for
    queued/cross-thread signals to Python slots; the damage surfaces as an abort while
    the interpreter tears down, after every test has passed and the summary is printed.
    The result is already known, so report it and skip the teardown.
    """
    import sys

    if "PySide6" in sys.modules and _exit_status:
        config.get_terminal_writer().flush()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[-1])
