"""`dangjian --db PATH export registrations|feedback …`."""
from __future__ import annotations

from openpyxl import load_workbook

from desktop.cli import main
from tests.exports.test_registration_exports import ID_A, filled, pdf_text  # noqa: F401 (fixture)


def test_export_registrations_and_feedback(filled, db_path, tmp_path, capsys):  # noqa: F811
    xlsx = tmp_path / "regs.xlsx"
    assert main(["--db", str(db_path), "export", "registrations", "--year", "2026",
                 "--out", str(xlsx)]) == 0
    assert "在职党员3人，驻区单位1个" in capsys.readouterr().out
    ws = load_workbook(xlsx)["在职党员"]
    assert ID_A not in [c.value for c in ws["E"]]

    pdf = tmp_path / "fb.pdf"
    assert main(["--db", str(db_path), "export", "feedback", "--year", "2026", "--quarter", "1",
                 "--employer", "市供电公司", "--full-ids", "--out", str(pdf)]) == 0
    assert "含完整身份证号" in capsys.readouterr().out
    text = pdf_text(pdf)
    assert "市供电公司党组织：" in text and "赵丁" not in text and ID_A in text

    assert main(["--db", str(db_path), "export", "feedback", "--year", "2026",
                 "--employer", "没有的单位", "--out", str(tmp_path / "x.pdf")]) == 2
    assert "没有在社区报到" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_registrations_import_shortfalls_and_quotas(workspace, street, db_path, tmp_path, capsys):
    from tests.importing.test_registration_import import ID_1, _book

    good = _book(tmp_path / "ok.xlsx", [[1, "孙一", "男", "13900001111", ID_1, "市供电公司",
                                         "市供电公司党委", "安全巡逻", "2026-01-01", ""]])
    db = ["--db", str(db_path)]
    assert main(db + ["registrations", "import", str(good), "--community", "幸福社区党委",
                      "--dry-run"]) == 0
    assert "预览模式" in capsys.readouterr().out and workspace.registrations.members() == []
    bad = _book(tmp_path / "bad.xlsx", [[1, "孙一", "男", "", "", "", "", "", "", ""]])
    assert main(db + ["registrations", "import", str(bad), "--community", "幸福社区党委"]) == 1
    out = capsys.readouterr().out
    assert "第3行，F列 工作单位：不能为空" in out and "未写入任何数据" in out
    assert main(db + ["registrations", "import", str(good), "--community", "幸福社区党委"]) == 0
    assert [r.name for r in workspace.registrations.members()] == ["孙一"]
    assert main(db + ["registrations", "quotas", "--quarter-contacts", "3"]) == 0
    assert "每季度至少联系社区3次" in capsys.readouterr().out
    assert main(db + ["registrations", "shortfalls", "--date", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "2026年第四季度未达标：1人" in out and "孙一（市供电公司）：已联系0次，应至少3次" in out
