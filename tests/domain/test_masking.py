"""domain/masking.py: the one place that hides personal numbers in documents leaving the office."""
from desktop.domain.masking import FULL_NOTE, MASKED_NOTE, mask_id_number, mask_phone, privacy_note


def test_id_number_keeps_first_six_and_last_four():
    assert mask_id_number("11010519800517003X") == "110105********003X"
    assert mask_id_number(" 123 ") == "***"


def test_phones_keep_first_three_and_last_four_digits():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("010-65001234") == "010-****1234"
    assert mask_phone("0755 8888 1234") == "075* **** 1234"
    assert mask_phone("+86 139 1234 5678") == "+86 1** **** 5678"
    assert mask_phone("13912345678（本人）/ 010-65001234") == "139****5678（本人）/ 010-****1234"
    assert mask_phone("12345") == "***45"
    assert mask_phone("") == "" and mask_phone(None) == ""
    assert mask_phone("无") == "无"


def test_the_note_says_which():
    assert privacy_note(True) == MASKED_NOTE == "身份证号、电话已隐去部分数字"
    assert privacy_note(False) == FULL_NOTE == "含完整身份证号、电话，注意保密"
