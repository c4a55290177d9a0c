from datetime import date

import pytest

from desktop.domain.errors import FieldError
from desktop.domain.idcard import (
    IdInfo,
    check_digit,
    make_id_number,
    mask_id_number,
    normalize_id_number,
    parse_id_number,
)

TODAY = date(2024, 6, 1)
# The worked example printed in GB 11643-1999.
SAMPLE = "11010519491231002X"
PRECISION_LOST = "以数字形式保存，超过15位的精度已丢失，请将该列设为文本后重新录入"


def message(excinfo) -> str:
    assert excinfo.value.field == "公民身份号码"
    return excinfo.value.message


def test_check_digit_of_standard_examples():
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"


def test_parse_standard_example():
    info = parse_id_number(SAMPLE, today=TODAY)
    assert info == IdInfo(number=SAMPLE, birth_date=date(1949, 12, 31), sex="女", region="110105")


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５\u3000１９４９１２３１００２ｘ",
        "\ufeff11010519491231002X\u200b",
        "110105\u00a019491231002X",
    ],
)
def test_normalize_cleans_typed_and_pasted_text(raw):
    assert normalize_id_number(raw) == SAMPLE


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_normalize_empty(raw):
    assert normalize_id_number(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        110105194912310021,  # an int of 18 digits came through a double
        1101051949123100,  # 16 digits
        1.10105194912310e17,
        110105194912310021.0,
        1101051949123100.0,
        "1.10105194912310E+17",  # what a CSV export prints for the number
        "110105194912310021.0",
    ],
)
def test_numbers_beyond_15_digits_are_refused_not_guessed(raw):
    with pytest.raises(FieldError) as e:
        normalize_id_number(raw)
    assert message(e) == PRECISION_LOST


def test_numbers_within_15_digits_are_kept_exactly():
    assert normalize_id_number(110105491231002) == "110105491231002"
    assert normalize_id_number(110105491231002.0) == "110105491231002"
    assert normalize_id_number("110105491231002.0") == "110105491231002"


def test_fractional_or_boolean_cells_are_refused():
    with pytest.raises(FieldError):
        normalize_id_number(1234.5)
    with pytest.raises(FieldError):
        normalize_id_number(float("nan"))
    with pytest.raises(FieldError):
        normalize_id_number(True)


def test_parse_refuses_a_precision_lost_number():
    with pytest.raises(FieldError) as e:
        parse_id_number(110105194912310021)
    assert message(e) == PRECISION_LOST


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "不能为空"),
        ("11010519491231002", "应为18位，现为17位"),
        ("11010519491231002X1", "应为18位，现为19位"),
        ("110105491231002", "应为18位，现为15位"),
        ("1101051949123100AX", "前17位应为数字"),
        ("11010519491231002A", "第18位应为数字或X，现为A"),
        ("000000199001011234", "地区码000000无效"),
        ("012345199001011234", "地区码012345无效"),
        ("110105201902300011", "出生日期20190230无效"),
        ("110105199013010011", "出生日期19901301无效"),
        ("440524188001010014", "出生日期18800101早于1900年"),  # valid check digit, too old
        ("110105202406020011", "出生日期20240602晚于今天"),
        ("110105194912310023", "校验位应为X，现为3"),
        ("11010519491231003X", "校验位应为8，现为X"),
    ],
)
def test_parse_explains_each_failure(raw, reason):
    with pytest.raises(FieldError) as e:
        parse_id_number(raw, today=TODAY)
    assert message(e) == reason


def test_birth_date_today_is_accepted():
    number = make_id_number("110105", TODAY, 0, "男")
    assert parse_id_number(number, today=TODAY).birth_date == TODAY


def test_sex_follows_parity_of_17th_digit():
    for seq in range(0, 500, 37):
        for sex in ("男", "女"):
            number = make_id_number("320102", date(1985, 2, 28), seq, sex)
            assert parse_id_number(number, today=TODAY).sex == sex


def test_make_id_number_is_valid_and_distinct():
    numbers = {make_id_number("440305", date(2000, 2, 29), seq, sex) for seq in range(500) for sex in ("男", "女")}
    assert len(numbers) == 1000
    for number in numbers:
        info = parse_id_number(number, today=TODAY)
        assert info.region == "440305"
        assert info.birth_date == date(2000, 2, 29)


def test_make_id_number_can_end_in_x():
    numbers = [make_id_number("110105", date(1970, 1, 1), seq, "女") for seq in range(100)]
    assert any(n.endswith("X") for n in numbers)


@pytest.mark.parametrize(
    "args",
    [("11010", date(1990, 1, 1), 0, "男"), ("010105", date(1990, 1, 1), 0, "男"),
     ("110105", date(1990, 1, 1), 500, "男"), ("110105", date(1990, 1, 1), -1, "女"),
     ("110105", date(1990, 1, 1), 0, "M")],
)
def test_make_id_number_rejects_bad_arguments(args):
    with pytest.raises(ValueError):
        make_id_number(*args)


def test_mask():
    assert mask_id_number(SAMPLE) == "110105********002X"
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""
    # Too short to hide anything by keeping 10 characters: hide all of it.
    assert mask_id_number("1234567890") == "**********"
    assert mask_id_number("110105491231002") == "110105*****1002"
