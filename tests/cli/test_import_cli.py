"""`dangjian --db PATH import roster FILE.xlsx`: the same report as the preview, exit codes, all or nothing."""
from __future__ import annotations

import pytest

from desktop.cli import main
from desktop.domain.roster_view import STATUS_ALL, RosterFilter
from tests import messy_workbooks as mw
from tests.services.test_importing import SHORT, db_digest


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def member_numbers(workspace) -> set[str]:
    ids = workspace.roster.ordered_ids(RosterFilter(status=STATUS_ALL))
    return {workspace.roster.get(i).id_number for i in ids}


@pytest.fixture
def mixed(workspace, street):
    """Two good rows and one whose ID number was saved as a number."""
    p = mw.people(3)
    path = mw.custom_roster(workspace.path.parent / "混合.xlsx", SHORT,
                            [[p[0].name, p[0].id_number, p[0].joined],
                             [p[1].name, int(p[1].id_number), p[1].joined],
                             [p[2].name, p[2].id_number, "2019.07.01"]], sheet="幸福社区第一支部")
    return path, p


def test_refused_rows_exit_1_and_write_nothing(capsys, workspace, mixed):
    path, p = mixed
    before = db_digest(workspace)
    code, out, _ = run(capsys, "--db", workspace.path, "import", "roster", path, "--org", "第一网格党支部")
    assert code == 1
    assert "工作表“幸福社区第一支部”：表头在第3行，数据3行" in out
    assert "列对应：A 姓名→姓名；B 身份证号→公民身份号码；C 入党时间→加入党组织日期" in out
    assert "新增2人，更新0人，文件内重复0行，有问题1行" in out
    assert ("工作表“幸福社区第一支部”第5行，身份证号：以数字形式保存，超过15位的精度已丢失，"
            "请将该列设为文本后重新录入") in out
    assert "未写入任何数据" in out and "--skip-invalid" in out
    assert db_digest(workspace) == before


def test_skip_invalid_lands_the_good_rows_and_lists_the_refused(capsys, workspace, mixed):
    path, p = mixed
    code, out, _ = run(capsys, "--db", workspace.path, "import", "roster", path,
                       "--org", "第一网格党支部", "--skip-invalid")
    assert code == 0
    assert "第5行，身份证号：以数字形式保存" in out
    assert out.strip().endswith("已导入：新增2人，更新0人，跳过有问题的1行")
    assert member_numbers(workspace) == {p[0].id_number, p[2].id_number}


def test_dry_run_writes_nothing(capsys, workspace, street):
    path = mw.titled_roster(workspace.path.parent / "名册.xlsx", mw.people(3))
    before = db_digest(workspace)
    code, out, _ = run(capsys, "--db", workspace.path, "import", "roster", path,
                       "--org", "第一网格党支部", "--dry-run")
    assert code == 0
    assert "新增3人" in out and "（预览模式，数据库未作修改）" in out
    assert db_digest(workspace) == before


def test_a_clean_file_is_imported(capsys, workspace, street):
    persons = mw.people(3)
    path = mw.titled_roster(workspace.path.parent / "名册.xlsx", persons)
    code, out, _ = run(capsys, "--db", workspace.path, "import", "roster", path, "--org", "第一网格党支部")
    assert code == 0 and "已导入：新增3人，更新0人" in out
    assert member_numbers(workspace) == {p.id_number for p in persons}
    code, out, _ = run(capsys, "--db", workspace.path, "import", "roster", path, "--org", "第一网格党支部")
    assert code == 0 and "新增0人，更新3人（其中3人无变化）" in out


def test_branches_named_in_the_file_are_created_on_request(capsys, workspace, street):
    path = mw.sheets_per_branch(workspace.path.parent / "分支部.xlsx",
                                {"第一网格党支部": mw.people(1), "第五网格党支部": mw.people(2, start=7)})
    code, out, _ = run(capsys, "--db", workspace.path, "import", "roster", path, "--org", "幸福社区党委")
    assert code == 1
    assert "文件中出现、尚未建立的党支部：第五网格党支部（2行）" in out
    assert "可加 --create-branches 在“幸福社区党委”下新建这些党支部" in out
    code, out, _ = run(capsys, "--db", workspace.path, "import", "roster", path, "--org", "幸福社区党委",
                       "--create-branches")
    assert code == 0
    assert "文件中出现、将在“幸福社区党委”下新建的党支部：第五网格党支部（2行）" in out
    assert "新建党支部1个（第五网格党支部）" in out
    assert workspace.orgs.find("第五网格党支部").parent_id == street["community"]


def test_create_branches_needs_an_organisation(capsys, workspace, street):
    path = mw.titled_roster(workspace.path.parent / "名册.xlsx", mw.people(1))
    code, _, err = run(capsys, "--db", workspace.path, "import", "roster", path, "--create-branches")
    assert code == 2 and "--org" in err


@pytest.mark.parametrize("name, words", [("名册.et", ["旧版表格格式", "另存为"]),
                                         ("改名.xls", ["实际上是.xlsx", "改为"]),
                                         ("没有这个文件.xlsx", ["找不到文件"])])
def test_unreadable_files_exit_2_before_touching_the_database(capsys, tmp_path, name, words):
    path = tmp_path / name
    if name.endswith(".et"):
        mw.fake_xls(path)
    elif name.endswith(".xls"):
        path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    db = tmp_path / "never.sqlite3"
    code, out, err = run(capsys, "--db", db, "import", "roster", path)
    assert code == 2 and out == ""
    for w in words:
        assert w in err
    assert not db.exists()


def test_an_unknown_organisation_exits_2(capsys, workspace, street):
    path = mw.titled_roster(workspace.path.parent / "名册.xlsx", mw.people(1))
    code, _, err = run(capsys, "--db", workspace.path, "import", "roster", path, "--org", "不存在的支部")
    assert code == 2 and "找不到名为“不存在的支部”的组织" in err
