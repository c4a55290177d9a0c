"""会议记录 and 签到表 PDFs, read back with poppler: every field, in order, fonts embedded."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from desktop.domain.meeting import (AbsenceReason, Attendee, Guest, Meeting, MeetingKind,
                                    MeetingStatus, PrintableMeeting, Resolution, UnitDelegate)
from desktop.domain.member import Category
from desktop.exports.pdf.minutes import write_minutes
from desktop.exports.pdf.signin import write_signin
from tests.exports.test_pdf_document import embedded_fonts, page_text, pdf_info, poppler

NAMES = ["张建国", "李秀英", "王志强", "赵丽华", "钱明", "孙海波", "周桂兰", "吴宇"]


def assembly(**kw) -> Meeting:
    people = [Attendee(i, n, Category.FULL if i < 6 else Category.PROBATIONARY)
              for i, n in enumerate(NAMES)]
    people[3].present, people[3].reason = False, AbsenceReason.SICK
    people[7].present, people[7].reason, people[7].note = False, AbsenceReason.OTHER, "外出务工"
    fields = dict(
        topics=["学习《中国共产党章程》", "讨论接收吴宇同志为预备党员"], place="幸福社区党群服务中心",
        host_id=0, host_name="张建国", recorder_id=1, recorder_name="李秀英",
        guests=[Guest("刘芳", "街道党工委组织委员")],
        content="张建国宣布会议开始。\n王志强：同意接收吴宇同志为预备党员。\n钱明：同意。",
        resolutions=[Resolution("同意接收吴宇同志为中共预备党员", 5, 0, 0),
                     Resolution("通过下季度活动安排", 3, 1, 1)],
        remarks="照片见附件", attendees=people)
    fields.update(kw)
    return Meeting(1, MeetingKind.ASSEMBLY, datetime(2026, 3, 12, 14, 30),
                   datetime(2026, 3, 12, 16, 0), **fields)


def flat(text: str) -> str:
    """pdftotext output without spaces and line breaks (Chinese wraps anywhere)."""
    return re.sub(r"\s+", "", text)


def test_every_field_is_present_in_order(tmp_path):
    path = tmp_path / "记录.pdf"
    item = PrintableMeeting(assembly(late=True, recorded_on=date(2026, 3, 20)), "第一网格党支部")
    built = write_minutes(path, [item])
    text = flat(page_text(path, 1) + "".join(page_text(path, p) for p in range(2, built.pages + 1)))
    expected = [
        "支部党员大会记录", "第一网格党支部2026年3月", "补记，记录于2026年3月20日",
        "1.学习《中国共产党章程》", "2.讨论接收吴宇同志为预备党员",
        "会议时间", "2026年3月12日14:30—16:00", "会议地点", "幸福社区党群服务中心",
        "主持人", "张建国", "记录人", "李秀英",
        "应到人数", "8人（其中有表决权6人）", "实到人数", "6人（其中有表决权5人）",
        "缺席人员", "赵丽华（病假）、吴宇（其他：外出务工）",
        "出席人员", "张建国、李秀英、王志强、钱明、孙海波、周桂兰（预备党员）",
        "列席人员", "刘芳（街道党工委组织委员）",
        "会议有效性", "有表决权的应到6人，实到5人，超过半数，会议有效",
        "会议主要内容", "张建国宣布会议开始。", "王志强：同意接收吴宇同志为预备党员。", "钱明：同意。",
        "决议事项及表决情况", "序号", "决议内容", "赞成", "反对", "弃权", "表决结果",
        "同意接收吴宇同志为中共预备党员", "5", "0", "0", "通过",
        "通过下季度活动安排", "3", "1", "1", "未通过",
        "赞成票超过其半数（至少4票）为通过",
        "备注：照片见附件", "主持人（签字）", "记录人（签字）", "第1页/共",
    ]
    assert "会议主题" in text  # beside the two topics, vertically centred
    pos = 0
    for piece in expected:
        found = text.find(piece, pos)
        assert found >= 0, f"{piece!r} missing after position {pos}: …{text[pos:pos + 80]}"
        pos = found + len(piece)


def test_fonts_are_embedded_and_metadata_set(tmp_path):
    path = tmp_path / "m.pdf"
    write_minutes(path, [PrintableMeeting(assembly(), "第一网格党支部")])
    fonts = embedded_fonts(path)
    assert fonts and all(emb == "yes" for _, emb in fonts)
    info = pdf_info(path)
    assert info["Title"].strip() == "第一网格党支部支部党员大会记录"
    assert info["Page size"].strip().startswith("595.276 x 841.89")  # A4 portrait


def test_rare_characters_come_from_the_fallback_font(tmp_path):
    path = tmp_path / "m.pdf"
    m = assembly(host_name="李堃", content="王喆发言：同意。")
    write_minutes(path, [PrintableMeeting(m, "第一网格党支部")])
    text = flat(page_text(path, 1))
    assert "李堃" in text and "王喆发言" in text


def test_long_content_flows_over_pages_and_signatures_end_it(tmp_path):
    path = tmp_path / "m.pdf"
    long = "\n".join(f"第{i}位党员发言：" + "结合社区实际谈认识和体会，表示要发挥先锋模范作用。" * 12
                     for i in range(1, 30))
    long += "\n" + "一段没有换行的长发言" * 200
    built = write_minutes(path, [PrintableMeeting(assembly(content=long), "第一网格党支部")])
    assert built.pages >= 3
    last = flat(page_text(path, built.pages))
    assert "主持人（签字）" in last and f"第{built.pages}页/共{built.pages}页" in last
    assert "第29位党员发言" in flat(poppler("pdftotext", "-enc", "UTF-8", str(path), "-"))


def test_batch_one_per_page_or_continuous(tmp_path):
    lecture = Meeting(1, MeetingKind.LECTURE, datetime(2026, 4, 2, 9, 0), lecturer="街道党工委书记",
                      lecture_title="学习二十大精神", host_name="张建国", content="授课内容。")
    items = [PrintableMeeting(lecture, "第一网格党支部"), PrintableMeeting(lecture, "第一网格党支部")]
    paged = write_minutes(tmp_path / "a.pdf", items, one_per_page=True)
    assert paged.pages == 2
    assert "党课记录" in flat(page_text(tmp_path / "a.pdf", 2))
    assert "授课人街道党工委书记课题学习二十大精神" in flat(page_text(tmp_path / "a.pdf", 2))
    write_minutes(tmp_path / "b.pdf", items, one_per_page=False)
    first = flat(page_text(tmp_path / "b.pdf", 1))
    assert first.count("党课记录") + flat(page_text(tmp_path / "b.pdf", 2)).count("党课记录") == 2
    assert first.count("主持人（签字）") == 1  # the first ends on page 1, the next follows on


def test_planned_and_joint_meetings(tmp_path):
    joint = Meeting(1, MeetingKind.JOINT, datetime(2026, 3, 5, 9, 0), topics=["共建项目"],
                    units=[UnitDelegate("区人民医院党委", "王院长", "副书记"),
                           UnitDelegate("实验中学党支部", "李老师", present=False)],
                    status=MeetingStatus.PLANNED)
    path = tmp_path / "j.pdf"
    write_minutes(path, [PrintableMeeting(joint, "幸福社区党委")])
    text = flat(page_text(path, 1))
    assert "党建联席会议记录" in text and "计划，尚未召开" in text
    assert "区人民医院党委（王院长，副书记）" in text and "缺席单位实验中学党支部" in text


def test_photo_appendix(tmp_path):
    from PIL import Image

    photo = tmp_path / "p.png"
    Image.new("RGB", (800, 600), (200, 30, 30)).save(photo)
    path = tmp_path / "m.pdf"
    built = write_minutes(path, [PrintableMeeting(assembly(), "第一网格党支部",
                                                  [("会议现场", str(photo)), ("坏文件", str(tmp_path / "x.png"))])])
    last = flat(page_text(path, built.pages))
    assert "附：支部党员大会照片" in last and "会议现场" in last and "无法读取照片：x.png" in last
    images = poppler("pdfimages", "-list", str(path)).splitlines()[2:]
    assert len(images) == 1


def test_signin_sheet_lists_expected_people_with_a_signature_column(tmp_path):
    path = tmp_path / "签到表.pdf"
    m = assembly(status=MeetingStatus.PLANNED)
    built = write_signin(path, PrintableMeeting(m, "第一网格党支部"))
    assert built.pages == 1
    text = page_text(path, 1)
    lines = [flat(line) for line in text.splitlines() if line.strip()]
    assert lines[0] == "支部党员大会签到表"
    assert "序号姓名人员类别签到备注" in lines
    assert "1张建国正式党员" in lines and "8吴宇预备党员" in lines
    assert "列席人员" in lines
    assert any(line.startswith("应到：8人实到：") for line in lines)
    assert all(emb == "yes" for _, emb in embedded_fonts(path))


@pytest.mark.parametrize("n", [60])
def test_signin_for_a_large_branch_repeats_its_header(tmp_path, n):
    people = [Attendee(i, f"党员{i}", Category.FULL) for i in range(n)]
    m = Meeting(1, MeetingKind.THEME_DAY, datetime(2026, 5, 1, 9, 0), attendees=people,
                status=MeetingStatus.PLANNED)
    path = tmp_path / "s.pdf"
    built = write_signin(path, PrintableMeeting(m, "大支部"))
    assert built.pages >= 3
    assert "序号姓名人员类别签到备注" in flat(page_text(path, 2))
