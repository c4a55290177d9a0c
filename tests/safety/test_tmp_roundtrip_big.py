"""Backup and restore round trips (issue #8): random sequences of changes, copies, restores
(open and closed, as the GUI and the CLI do them) and prunes, checked against a model of
what each copy must hold. Bounded and reproducible; reports how many cases ran."""
from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.organization import OrgKind, Organization
from desktop.services.backup import BackupService, check_backup, restore_database
from desktop.services.workspace import open_workspace
from tests.safety.report import record

COUNT = {"cases": 0, "steps": 0, "restores": 0, "copies": 0, "pruned": 0}

ops = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(1, 3)),
    st.tuples(st.just("snapshot"), st.integers(1, 24 * 40)),  # hours after the previous copy
    st.tuples(st.just("restore"), st.integers(0, 50)),        # open workspace: GUI way
    st.tuples(st.just("restore_closed"), st.integers(0, 50)),  # closed file: CLI way
    st.tuples(st.just("prune"), st.integers(0, 400)),         # days after the last copy
), min_size=4, max_size=16)


def names(ws) -> frozenset[str]:
    out, stack = set(), list(ws.orgs.tree())
    while stack:
        n = stack.pop()
        out.add(n.name)
        stack.extend(n.children)
    return frozenset(out)


@settings(max_examples=150, deadline=None, database=None, derandomize=False,
          suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_backup_restore_round_trips(steps):
    COUNT["cases"] += 1
    root = Path(tempfile.mkdtemp(prefix="roundtrip-"))
    path = root / "dangjian.sqlite3"
    ws = open_workspace(path)
    try:
        current: frozenset[str] = frozenset()
        model: dict[Path, frozenset[str]] = {}  # what each copy holds
        clock = datetime(2026, 1, 1, 8, 0)
        serial = 0
        for op, arg in steps:
            COUNT["steps"] += 1
            if op == "add":
                for _ in range(arg):
                    serial += 1
                    name = f"第{serial}街道党工委"
                    ws.orgs.create(Organization(name, OrgKind.STREET))
                    current |= {name}
            elif op == "snapshot":
                clock += timedelta(hours=arg)
                model[BackupService(ws.db).snapshot("手动", clock)] = current
                COUNT["copies"] += 1
            elif op == "prune":
                if model:
                    today = clock.date() + timedelta(days=arg)
                    removed = BackupService(ws.db).prune(today)
                    for p in removed:  # (start-up copies are not in the model)
                        model.pop(p, None)
                    assert all(p.exists() for p in model)
                    COUNT["pruned"] += len(removed)
            elif model:
                source = sorted(model)[arg % len(model)]
                if op == "restore":
                    before = BackupService(ws.db).restore(source)
                    new = open_workspace(path)
                    ws.close()
                    ws = new
                else:
                    ws.close()
                    before = restore_database(path, source)
                    ws = open_workspace(path)
                model[before] = current
                current = model[source]
                COUNT["restores"] += 1
            assert names(ws) == current
        listed = {b.path: b for b in BackupService(ws.db).list()}
        assert set(model) <= set(listed)
        for p, held in model.items():
            assert listed[p].org_count == len(held)
            assert check_backup(p).org_count == len(held)
    finally:
        ws.close()
        shutil.rmtree(root, ignore_errors=True)


def test_report_round_trips():
    """Runs after the property above (file order) and reports its figures."""
    record(f"backup/restore round trips: {COUNT['cases']} cases, {COUNT['steps']} steps, "
           f"{COUNT['copies']} copies, {COUNT['restores']} restores, {COUNT['pruned']} pruned; "
           "every copy held what it should, data lost: 0")
    assert COUNT["cases"] > 0
