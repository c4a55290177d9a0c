"""Fixed choice lists: 民族, 学历, 工作岗位, 社区党员分类."""
import pytest

from desktop.domain.classification import CLASSIFICATIONS, normalize_classification
from desktop.domain.education import EDUCATION_CODES, EDUCATIONS, education_code, normalize_education
from desktop.domain.errors import FieldError
from desktop.domain.ethnicity import ETHNICITIES, ETHNICITY_CODES, normalize_ethnicity
from desktop.domain.job_post import (
    JOB_POST_TREE,
    JOB_POSTS,
    job_post_code,
    job_post_name,
    normalize_job_post,
)


# --- 民族 -------------------------------------------------------------------

def test_ethnicities_follow_gbt_3304_order():
    assert len(ETHNICITIES) == 58
    assert ETHNICITIES[0] == "汉族"
    assert ETHNICITIES[1] == "蒙古族"
    assert ETHNICITIES[55] == "基诺族"
    assert ETHNICITIES[-2:] == ("其他", "外国血统")
    assert len(set(ETHNICITIES)) == 58


def test_ethnicity_codes():
    assert ETHNICITY_CODES["汉族"] == "01"
    assert ETHNICITY_CODES["朝鲜族"] == "10"
    assert ETHNICITY_CODES["满族"] == "11"
    assert ETHNICITY_CODES["土家族"] == "15"
    assert ETHNICITY_CODES["柯尔克孜族"] == "29"
    assert ETHNICITY_CODES["基诺族"] == "56"
    assert ETHNICITY_CODES["其他"] == "97"
    assert ETHNICITY_CODES["外国血统"] == "98"
    assert list(ETHNICITY_CODES) == list(ETHNICITIES)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("汉", "汉族"), ("汉族", "汉族"), (" 汉 族", "汉族"), ("汉\u3000族", "汉族"),
        ("蒙古", "蒙古族"), ("蒙古族", "蒙古族"), ("维族", "维吾尔族"), ("维吾尔", "维吾尔族"),
        ("土", "土族"), ("土家", "土家族"), ("京", "京族"), ("01", "汉族"), ("56", "基诺族"),
        ("其它", "其他"), ("外国血统中国籍人士", "外国血统"),
    ],
)
def test_normalize_ethnicity(raw, name):
    assert normalize_ethnicity(raw) == name


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_empty_ethnicity(raw):
    assert normalize_ethnicity(raw) == ""


@pytest.mark.parametrize("raw", ["汉人", "穿青人", "族", "1", "99", "Han"])
def test_unknown_ethnicity(raw):
    with pytest.raises(FieldError) as e:
        normalize_ethnicity(raw)
    assert e.value.field == "民族"
    assert e.value.message == f"“{raw}”不是GB/T 3304中的民族名称"


# --- 学历 -------------------------------------------------------------------

def test_education_order_and_codes():
    assert EDUCATIONS == ("博士研究生", "硕士研究生", "大学本科", "大学专科", "中等专科", "高中", "初中", "小学", "其他")
    codes = [EDUCATION_CODES[name] for name in EDUCATIONS]
    assert codes == sorted(codes)  # codes follow the statistics order
    assert all(len(c) == 2 and c.isdigit() for c in codes)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("博士", "博士研究生"), ("研究生(博士)", "博士研究生"), ("研究生（博士）", "博士研究生"),
        ("研究生", "硕士研究生"), ("硕士", "硕士研究生"), ("研究生(硕士)", "硕士研究生"),
        ("硕士研究生毕业", "硕士研究生"),
        ("本科", "大学本科"), ("大学", "大学本科"), ("大学本科", "大学本科"), ("本科学历", "大学本科"),
        ("大专", "大学专科"), ("专科", "大学专科"), ("大学专科", "大学专科"), ("大专 毕业", "大学专科"),
        ("中专", "中等专科"), ("中技", "中等专科"), ("技校", "中等专科"), ("中等专科", "中等专科"),
        ("高中", "高中"), ("职高", "高中"), ("中专及高中", "高中"),
        ("初中", "初中"), ("小学", "小学"), ("其他", "其他"), ("其它", "其他"),
    ],
)
def test_normalize_education(raw, name):
    assert normalize_education(raw) == name


def test_empty_education():
    assert normalize_education(None) == ""
    assert normalize_education(" ") == ""


@pytest.mark.parametrize("raw", ["大学肄业", "幼儿园", "博士后", "毕业"])
def test_unknown_education(raw):
    with pytest.raises(FieldError) as e:
        normalize_education(raw)
    assert e.value.field == "学历"
    assert raw in e.value.message


def test_education_code():
    assert education_code("本科") == EDUCATION_CODES["大学本科"]
    assert education_code("博士研究生") == "11"
    with pytest.raises(FieldError):
        education_code("")


# --- 工作岗位 -----------------------------------------------------------------

def test_job_posts_flat_list_in_tree_order():
    assert JOB_POSTS[0] == ("0", "在岗职工", 0)
    assert JOB_POSTS[1] == ("01", "公有制单位", 1)
    assert JOB_POSTS[2] == ("011", "党政机关", 2)
    assert ("42", "退休人员", 1) in JOB_POSTS
    assert JOB_POSTS[-1] == ("53", "其他无业人员", 1)
    top = [name for code, name, depth in JOB_POSTS if depth == 0]
    assert top == ["在岗职工", "农牧渔民", "军人、武警", "学生", "离退休人员", "其他"]


def test_job_post_codes_extend_their_parent():
    def walk(posts, parent=""):
        for post in posts:
            assert post.code.startswith(parent) and len(post.code) == len(parent) + 1
            walk(post.children, post.code)

    walk(JOB_POST_TREE)
    codes = [code for code, _, _ in JOB_POSTS]
    names = [name for _, name, _ in JOB_POSTS]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("退休人员", "退休人员"), ("退休", "退休人员"), ("离休", "离休干部"), ("离退休人员", "离退休人员"),
        ("学生", "学生"), ("在校学生", "学生"), ("军人", "军人、武警"), ("武警", "军人、武警"),
        ("农民", "农牧渔民"), ("公有制单位", "公有制单位"), ("国企", "国有企业"), ("民企", "民营企业"),
        ("自由职业", "自由职业人员"), ("无业", "其他无业人员"), ("社区工作者", "社区工作人员"),
        (" 党政 机关 ", "党政机关"), ("013", "国有企业"), ("5", "其他"), ("其它", "其他"),
    ],
)
def test_normalize_job_post(raw, name):
    assert normalize_job_post(raw) == name


def test_job_post_code_and_name():
    assert job_post_code("退休") == "42"
    assert job_post_code("党政机关") == "011"
    assert job_post_code("在岗职工") == "0"
    assert job_post_name("023") == "社会组织"
    with pytest.raises(FieldError):
        job_post_name("99")
    with pytest.raises(FieldError):
        job_post_code("")


def test_empty_job_post():
    assert normalize_job_post(None) == ""


@pytest.mark.parametrize("raw", ["工人", "6", "退休干部啊"])
def test_unknown_job_post(raw):
    with pytest.raises(FieldError) as e:
        normalize_job_post(raw)
    assert e.value.field == "工作岗位"
    assert raw in e.value.message


# --- 社区党员分类 --------------------------------------------------------------

def test_classifications():
    assert CLASSIFICATIONS == ("社区直管党员", "在职党员", "离退休党员", "流动党员")


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("直管", "社区直管党员"), ("社区直管党员", "社区直管党员"), ("在职", "在职党员"),
        ("离退休", "离退休党员"), ("退休", "离退休党员"), ("流动", "流动党员"), (" 流动 党员 ", "流动党员"),
    ],
)
def test_normalize_classification(raw, name):
    assert normalize_classification(raw) == name


def test_unknown_classification():
    assert normalize_classification("") == ""
    with pytest.raises(FieldError) as e:
        normalize_classification("失联党员")
    assert e.value.field == "社区党员分类"
    assert "失联党员" in e.value.message
