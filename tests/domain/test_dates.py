from datetime import date, datetime

import pytest

from desktop.domain.dates import add_months, add_years, format_date, format_date_cn, parse_date
from desktop.domain.errors import FieldError

TODAY = date(2024, 5, 1)
JULY_1 = date(2019, 7, 1)


def parse(value, field="日期"):
    return parse_date(value, field, today=TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "2019-07-01", "2019-7-1", "2019/7/1", "2019/07/01", "2019.7.1", "2019.07.01",
        "2019年7月1日", "2019年07月01日", "2019年7月1号", "2019年7月1", "20190701",
        "2019-07-01 00:00:00", "2019-07-01 08:30", "2019-07-01T08:30:15.123", "2019/7/1  0:00",
        "２０１９年７月１日", "２０１９－０７－０１", " 2019 年 7 月 1 日 ", "\u30002019.7.1\u3000",
        "19年7月1日", "19.7.1", "19-07-01",
    ],
)
def test_full_dates(text):
    assert parse(text) == JULY_1


@pytest.mark.parametrize("text", ["2019-07", "2019-7", "2019.7", "2019/7", "2019年7月", "2019年7", "201907", "19年7月", "19.7"])
def test_month_only_means_first_of_month(text):
    assert parse(text) == JULY_1


def test_two_digit_years_pivot_on_this_year():
    assert parse("24.5") == date(2024, 5, 1)
    assert parse("00年1月") == date(2000, 1, 1)
    assert parse("25.5") == date(1925, 5, 1)
    assert parse("99年12月") == date(1999, 12, 1)
    assert parse_date("25.5", today=date(2025, 1, 1)) == date(2025, 5, 1)


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_empty_is_none(value):
    assert parse(value) is None


def test_date_and_datetime_objects():
    assert parse(JULY_1) == JULY_1
    assert parse(datetime(2019, 7, 1, 23, 59)) == JULY_1
    assert type(parse(datetime(2019, 7, 1))) is date


@pytest.mark.parametrize("value", [20190701, 20190701.0, 201907, 2019.07, 2019.7])
def test_numbers_as_spreadsheets_hold_them(value):
    assert parse(value) == JULY_1


def test_number_cells_keep_two_digit_months():
    assert parse(2019.11) == date(2019, 11, 1)
    assert parse(2019.12) == date(2019, 12, 1)


def test_number_cell_that_lost_a_trailing_zero_is_refused():
    # 2019.10 typed into a number cell reads back as 2019.1: January or October?
    with pytest.raises(FieldError) as e:
        parse(2019.1, "入党日期")
    assert e.value.field == "入党日期"
    assert "无法区分1月和10月" in e.value.message
    # As text it is unambiguous.
    assert parse("2019.1") == date(2019, 1, 1)
    assert parse("2019.10") == date(2019, 10, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-02-30", "日期2019-02-30不存在"),
        ("2019年2月29日", "日期2019-02-29不存在"),
        ("20190431", "日期2019-04-31不存在"),
        ("2019-13", "日期2019-13不存在"),
        ("2019.0", "日期2019-00不存在"),
        ("201900", "日期2019-00不存在"),
    ],
)
def test_impossible_dates(text, message):
    with pytest.raises(FieldError) as e:
        parse(text, "出生日期")
    assert (e.value.field, e.value.message) == ("出生日期", message)


def test_leap_day_exists_in_leap_year():
    assert parse("2020-02-29") == date(2020, 2, 29)


@pytest.mark.parametrize(
    "value",
    ["abc", "2019", "7.1", "2019-7/1", "2019年", "2019-07-01-02", "1.7.2019", "43647", 43647, "2019-07-01 25h", True, float("nan")],
)
def test_unreadable(value):
    with pytest.raises(FieldError) as e:
        parse(value, "转正日期")
    assert e.value.field == "转正日期"
    assert e.value.message.startswith("无法识别的日期“")
    assert e.value.message.endswith("”，请写成 2019-07-01 或 2019年7月1日")


def test_unreadable_message_quotes_the_value():
    with pytest.raises(FieldError) as e:
        parse("七月一日")
    assert e.value.message == "无法识别的日期“七月一日”，请写成 2019-07-01 或 2019年7月1日"


def test_format():
    assert format_date(JULY_1) == "2019-07-01"
    assert format_date(None) == ""
    assert format_date(datetime(2019, 7, 1, 8, 30)) == "2019-07-01"
    assert format_date_cn(JULY_1) == "2019年7月1日"
    assert format_date_cn(date(2019, 12, 31)) == "2019年12月31日"
    assert format_date_cn(None) == ""


def test_format_round_trips():
    for d in (date(1921, 7, 1), date(2000, 2, 29), date(2024, 12, 31)):
        assert parse(format_date(d)) == d
        assert parse(format_date_cn(d)) == d


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2019, 1, 31), 1, date(2019, 2, 28)),
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2019, 8, 31), 6, date(2020, 2, 29)),
        (date(2019, 3, 31), -1, date(2019, 2, 28)),
        (date(2019, 12, 15), 1, date(2020, 1, 15)),
        (date(2020, 1, 15), -1, date(2019, 12, 15)),
        (date(2019, 7, 1), 12, date(2020, 7, 1)),
        (date(2019, 7, 1), 0, date(2019, 7, 1)),
        (date(2019, 10, 31), -14, date(2018, 8, 31)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2020, 2, 29), 1, date(2021, 2, 28)),  # probation admitted on a leap day
        (date(2020, 2, 29), 4, date(2024, 2, 29)),
        (date(2020, 2, 29), -1, date(2019, 2, 28)),
        (date(2018, 11, 30), 5, date(2023, 11, 30)),  # a five-year term
    ],
)
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


def test_add_keeps_datetime_time():
    assert add_years(datetime(2020, 2, 29, 9, 30), 1) == datetime(2021, 2, 28, 9, 30)
