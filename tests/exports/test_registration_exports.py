"""双报到 exports read back: 反馈表 PDF per employer, 报到单+回执 PDF, the .xlsx overview;
ID and telephone numbers masked unless asked for in full, and the choice in the footer."""
from __future__ import annotations

import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from desktop.domain.idcard import make_id_number
from desktop.domain.registration import (Commitment, Participant, RegisteredMember, ResidentUnit,
                                         ServicePost, ServiceRecord)
from desktop.domain.registration_feedback import Appraisal, AppraisalRecord

TODAY = date(2026, 11, 22)
ID_A = make_id_number("110105", date(1986, 3, 4), 51, "男")


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture
def filled(workspace, street):
    rs = workspace.registrations
    c = street["community"]
    a = rs.register(RegisteredMember(c, "王五", "市供电公司", "市供电公司党委", "周联络 88886666",
                                     phone="13912345678", id_number=ID_A, grid="第一网格",
                                     posts=[ServicePost.PATROL], reported_on=date(2026, 1, 5)), TODAY)
    b = rs.register(RegisteredMember(c, "李梅", "市供电公司", "市供电公司党委", phone="13700001234",
                                     reported_on=date(2026, 2, 1)), TODAY)
    d = rs.register(RegisteredMember(c, "赵丁", "区税务局", "区税务局机关党委", phone="13600001234",
                                     reported_on=date(2026, 2, 1)), TODAY)
    u = rs.save_unit(ResidentUnit(c, "市供电公司", "市供电公司党委", "钱书记", "孙联络", "13511112222",
                                  35, date(2026, 2, 1), "幸福社区党委、市供电公司党委",
                                  date(2026, 1, 1), date(2027, 12, 31), "共建党员活动室"), TODAY)
    rs.record_service(ServiceRecord(c, date(2026, 3, 10), "安全巡逻", 2.5, "幸福路", ServicePost.PATROL,
                                    "社区干事", participants=[Participant(a.ref), Participant(b.ref),
                                                          Participant(u.ref)]), TODAY)
    rs.record_service(ServiceRecord(c, date(2026, 7, 1), "义诊", 3.0, "活动室", ServicePost.HEALTH,
                                    "社区干事", participants=[Participant(a.ref), Participant(d.ref)]),
                      TODAY)
    rs.save_commitment(Commitment(a.ref, 2026, "结对帮扶独居老人", date(2026, 6, 1), "每月走访"))
    rs.set_appraisal(AppraisalRecord(a.ref, 2026, 0, Appraisal.EXCELLENT, "服务积极"))
    return {"a": a, "b": b, "d": d, "u": u}


def test_feedback_pdf_one_document_per_employer_masked(workspace, filled, tmp_path):
    out = tmp_path / "fb.pdf"
    pages = workspace.registrations.export_feedback(out, 2026, today=TODAY)
    text = pdf_text(out)
    assert pages >= 2
    assert text.count("市供电公司党组织：") == 1 and text.count("区税务局党组织：") == 1
    assert "王五" in text and "李梅" in text and "赵丁" in text
    assert "共2次，累计5.5小时" in text  # 王五: 2.5 + 3
    assert "结对帮扶独居老人：已践诺" in text and "■优秀" in text and "服务积极" in text
    assert "13912345678" not in text and "139****5678" in text
    assert ID_A not in text
    assert "身份证号、电话已隐去部分数字" in text


def test_feedback_pdf_for_one_employer_and_quarter_in_full(workspace, filled, tmp_path):
    out = tmp_path / "q1.pdf"
    workspace.registrations.export_feedback(out, 2026, 1, "市供电公司", masked=False, today=TODAY)
    text = pdf_text(out)
    assert "2026年第一季度" in text and "区税务局" not in text and "赵丁" not in text
    assert "共1次，累计2.5小时" in text  # the July activity is not in Q1
    assert ID_A in text and "13912345678" in text
    assert "含完整身份证号、电话，注意保密" in text


def test_registration_form_with_receipt(workspace, filled, tmp_path):
    out = tmp_path / "form.pdf"
    assert workspace.registrations.export_form(out, filled["a"].ref, today=TODAY) == 1
    text = pdf_text(out)
    assert "在职党员到社区报到单" in text and "回" in text and "执" in text
    assert "市供电公司党委：" in text and "贵单位党员王五同志已于2026年1月5日到幸福社区党委报到" in text
    assert ID_A not in text and ID_A[:6] in text
    out2 = tmp_path / "unit.pdf"
    workspace.registrations.export_form(out2, filled["u"].ref, masked=False, today=TODAY)
    text2 = pdf_text(out2)
    assert "驻区单位党组织到社区报到单" in text2 and "共建党员活动室" in text2
    assert "13511112222" in text2


def test_overview_xlsx_masked_by_default(workspace, filled, tmp_path):
    out = tmp_path / "ov.xlsx"
    workspace.registrations.export_overview(out, 2026, today=TODAY)
    wb = load_workbook(out)
    assert wb.sheetnames == ["在职党员", "驻区单位"]
    ws = wb["在职党员"]
    header = [c.value for c in ws[3]]
    rows = {r[1]: dict(zip(header, r)) for r in ws.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {"王五", "李梅", "赵丁"}
    w = rows["王五"]
    assert (w["服务次数"], w["服务时长（小时）"], w["已践诺"], w["社区评价"]) == (2, 5.5, 1, "优秀")
    assert w["联系电话"] == "139****5678" and w["公民身份号码"] == ID_A[:6] + "********" + ID_A[-4:]
    assert rows["李梅"]["社区评价"].endswith("（建议）")
    assert "身份证号、电话已隐去部分数字" in ws["A2"].value
    assert "隐去" in ws.oddFooter.left.text
    units = list(wb["驻区单位"].iter_rows(min_row=4, values_only=True))
    assert units[0][1] == "市供电公司" and units[0][6] == 1
    full = tmp_path / "full.xlsx"
    workspace.registrations.export_overview(full, 2026, masked=False, today=TODAY)
    ws = load_workbook(full)["在职党员"]
    assert ID_A in [c.value for c in ws["E"]] and "注意保密" in ws["A2"].value
