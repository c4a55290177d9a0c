"""`dangjian --db PATH exchange export|import`, as a clerk or a script would run it."""
from __future__ import annotations

import pytest

from desktop.cli import main
from tests.services.test_exchange import World, counts, dump, file_digest, member_by_name


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    yield w
    w.close()


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_into_a_new_database(world, tmp_path, capsys):
    street = tmp_path / "street.sqlite3"
    out = tmp_path / "全街道.djpkg"
    code, text, _ = run(capsys, "--db", street, "exchange", "export", "--org", "长青街道党工委",
                        "--out", out)
    assert code == 0 and "已导出上报包" in text and "党员24条" in text
    target = tmp_path / "new.sqlite3"
    code, text, _ = run(capsys, "--db", target, "exchange", "import", out, "--dry-run")
    assert code == 0 and "预览：新增" in text and "数据库未作修改" in text
    assert sum(counts(target).values()) == 0
    code, text, _ = run(capsys, "--db", target, "exchange", "import", out)
    assert code == 0 and "已导入：新增" in text
    assert counts(target) == counts(street)
    before = dump(target)
    code, text, _ = run(capsys, "--db", target, "exchange", "import", out)
    assert code == 0 and "导入过" in text and "没有需要导入的改动" in text
    assert dump(target) == before


def test_export_by_default_takes_the_top_organisation(world, tmp_path, capsys):
    code, text, _ = run(capsys, "--db", tmp_path / "c1.sqlite3", "exchange", "export",
                        "--out", tmp_path / "c1.djpkg")
    assert code == 0 and "党员12条" in text


def test_conflicts_are_listed_and_kept_unless_asked(world, tmp_path, capsys):
    s, c1 = world.street, world.comm["c1"]["ws"]
    for ws, phone in ((s, "010-1"), (c1, "010-2")):
        m = member_by_name(ws, "幸福甲二")
        m.phone = phone
        ws.roster.update(m)
    path = world.export(c1, world.comm["c1"]["org"].id, "up")
    db = tmp_path / "street.sqlite3"
    code, text, _ = run(capsys, "--db", db, "exchange", "import", path)
    assert code == 0
    assert "[冲突] 党员“幸福甲二”：冲突（双方都已修改），不同的字段：固定电话" in text
    assert "1条冲突保留本库的记录，未覆盖" in text
    assert member_by_name(s, "幸福甲二").phone == "010-1"
    code, text, _ = run(capsys, "--db", db, "exchange", "import", path, "--prefer-package")
    assert code == 0 and "修改1条" in text
    assert member_by_name(s, "幸福甲二").phone == "010-2"


def test_damaged_package_fails_with_a_chinese_message(world, tmp_path, capsys):
    good = tmp_path / "up-c1.djpkg"
    bad = tmp_path / "bad.djpkg"
    bad.write_bytes(good.read_bytes()[:-200])
    db = tmp_path / "street.sqlite3"
    before = file_digest(db)
    code, _, err = run(capsys, "--db", db, "exchange", "import", bad)
    assert code == 2
    assert err.startswith("错误：上报包文件“bad.djpkg”") and "未作任何修改" in err
    assert "Traceback" not in err
    assert file_digest(db) == before


def test_unknown_organisation(world, tmp_path, capsys):
    code, _, err = run(capsys, "--db", tmp_path / "street.sqlite3", "exchange", "export",
                       "--org", "不存在社区", "--out", tmp_path / "x.djpkg")
    assert code == 2 and "找不到名为“不存在社区”的组织" in err
