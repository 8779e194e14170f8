"""catalog_cli/read/values.py: cells → model values and back.

The values are time limits, enums, lists, yes/no and integers.
"""

from __future__ import annotations

import datetime as dt

import pytest

from catalog_cli.model import TimeLimit
from catalog_cli.model.values import cell_text, format_time_limit, format_value, parse_time_limit
from catalog_cli.read.values import parse_value, split_multi
from catalog_cli.schema import load_schema, time_unit_of

SCHEMA = load_schema()
LEAF = SCHEMA.records["leaf"].fields
SITUATION = SCHEMA.records["situation"].fields
MATERIAL = SCHEMA.records["material"].fields

# --- time limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("20个工作日", 20, "工作日"),
        ("30个自然日", 30, "自然日"),
        ("30日", 30, "自然日"),  # schema: 日 is a variant of 自然日
        ("15天", 15, "自然日"),
        ("即办", 0, "即办"),
        ("即时办理", 0, "即办"),
        ("当场办结", 0, "即办"),
        ("1个工作日内", 1, "工作日"),
        ("3个月", 3, "月"),
        ("5小时", 5, "小时"),
        ("无", None, "无"),
        ("5", 5, "工作日"),  # a bare number: 工作日 is the default unit
        ("20工作日", 20, "工作日"),
        (" 20 个工作日 ", 20, "工作日"),
        ("2.5个工作日", 2.5, "工作日"),
        ("10日以内", 10, "自然日"),
        ("0", 0, "即办"),
    ],
)
def test_parse_time_limit(text, value, unit):
    limit = parse_time_limit(text, time_unit_of)
    assert (limit.value, limit.unit, limit.text) == (value, unit, text)
    if value is not None:
        assert type(limit.value) is type(value)  # 20, not 20.0


@pytest.mark.parametrize(
    "text", ["二十日", "详见说明", "法定：20个工作日，承诺：5个工作日", "20个星期"]
)
def test_parse_time_limit_unreadable_keeps_text(text):
    assert parse_time_limit(text, time_unit_of) == TimeLimit(None, None, text)


@pytest.mark.parametrize(
    "text",
    [
        "20个工作日",
        "30个自然日",
        "30日",
        "15天",
        "即办",
        "即时办理",
        "当场办结",
        "1个工作日内",
        "3个月",
        "5小时",
        "无",
        "5",
        "二十日",
        "详见说明",
    ],
)
def test_format_time_limit_keeps_original_text(text):
    limit = parse_time_limit(text, time_unit_of)
    assert format_time_limit(limit, time_unit_of) == text
    assert parse_time_limit(format_time_limit(limit, time_unit_of), time_unit_of) == limit


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (TimeLimit(20, "工作日"), "20个工作日"),
        (TimeLimit(20.0, "工作日"), "20个工作日"),
        (TimeLimit(2.5, "工作日"), "2.5个工作日"),
        (TimeLimit(30, "自然日"), "30个自然日"),
        (TimeLimit(5, "小时"), "5个小时"),
        (TimeLimit(3, "月"), "3个月"),
        (TimeLimit(0, "即办"), "即办"),
        (TimeLimit(None, "无"), "无"),
    ],
)
def test_format_time_limit_without_text_round_trips(limit, text):
    assert format_time_limit(limit, time_unit_of) == text
    back = parse_time_limit(text, time_unit_of)
    assert (back.value, back.unit) == (limit.value, limit.unit)


def test_format_time_limit_prefers_value_over_stale_text():
    assert format_time_limit(TimeLimit(10, "工作日", "20个工作日"), time_unit_of) == "10个工作日"
    assert format_time_limit(TimeLimit(0, "即办", "20个工作日"), time_unit_of) == "即办"


# --- enums, lists, yes/no, integers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "cell", "expected"),
    [
        ("item_type", "行政许可", "01"),
        ("item_type", "01", "01"),
        ("item_type", "1", "01"),
        ("item_type", 1, "01"),
        ("item_type", 7.0, "07"),
        ("item_type", "许可", "01"),
        ("item_type", " 行政 许可 ", "01"),
        ("item_type", "公共服务", "20"),
        ("case_type", "承诺件", "2"),
        ("case_type", "即办", "1"),
        ("agency_nature", "法定机关", "1"),
        ("power_source", "上级下放", "2"),
        ("online_depth", "Ⅲ级", "3"),
        ("result_type", "许可证", "证照"),
    ],
)
def test_parse_value_enum(key, cell, expected):
    assert parse_value(LEAF[key], cell) == expected


@pytest.mark.parametrize("cell", ["行政许可类", "不知道", "行政"])
def test_parse_value_unknown_enum_keeps_text(cell):
    assert parse_value(LEAF["item_type"], cell) == cell


def test_parse_value_enum_on_material():
    assert parse_value(MATERIAL["necessity"], "容缺") == "容缺后补"
    assert parse_value(MATERIAL["material_type"], "原件/复印件") == "原件或复印件"


@pytest.mark.parametrize(
    "cell",
    [
        "市级、县级",
        "市级，县级",
        "市级,县级",
        "市级;县级",
        "市级；县级",
        "市级^县级",
        "3^4",
        "市级\n县级",
        "市级、\n县级",
        " 市级 、 县级 ",
        "市级、、县级",
    ],
)
def test_parse_value_multi_splits_on_every_separator(cell):
    assert parse_value(LEAF["exercise_level"], cell) == ["3", "4"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("镇（乡、街道）级", ["5"]),
        ("市级、镇（乡、街道）级", ["3", "5"]),
        ("县（市、区）级", ["4"]),
        ("县（市、区）级、镇（乡、街道）级", ["4", "5"]),
    ],
)
def test_parse_value_multi_does_not_split_inside_brackets(cell, expected):
    assert parse_value(LEAF["exercise_level"], cell) == expected


def test_parse_value_multi_keeps_unknown_parts():
    assert parse_value(LEAF["service_object"], "自然人、外星人、企业") == ["1", "外星人", "2"]
    assert parse_value(LEAF["handling_form"], "窗口办理、网上办理、移动端") == ["1", "2", "3"]


def test_parse_value_list_of_names():
    assert parse_value(SITUATION["materials"], "申请书；身份证明;授权委托书\n其他") == [
        "申请书",
        "身份证明",
        "授权委托书",
        "其他",
    ]
    assert parse_value(SITUATION["materials"], "申请书、身份证明") == [
        "申请书、身份证明"
    ]  # 、 is inside a material name


def test_parse_value_blank():
    assert parse_value(LEAF["exercise_level"], None) == []
    assert parse_value(SITUATION["materials"], "  ") == []
    assert parse_value(LEAF["item_type"], "") is None
    assert parse_value(LEAF["visits"], None) is None
    assert parse_value(LEAF["legal_limit"], None) is None
    assert parse_value(LEAF["name"], "   ") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("是", True),
        ("否", False),
        ("有", True),
        ("无", False),
        ("√", True),
        ("×", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        (1.0, True),
        (0.0, False),
        (True, True),
        (False, False),
        ("Y", True),
        ("n", False),
        (" 是 ", True),
    ],
)
def test_parse_value_yes_no(cell, expected):
    assert parse_value(LEAF["fee_charged"], cell) is expected


def test_parse_value_yes_no_unknown_kept():
    assert parse_value(LEAF["online"], "部分") == "部分"


@pytest.mark.parametrize(
    ("cell", "expected"), [(2.0, 2), (2, 2), ("2", 2), ("2次", 2), (" 3 次 ", 3), (0, 0), ("0", 0)]
)
def test_parse_value_integer(cell, expected):
    result = parse_value(LEAF["visits"], cell)
    assert result == expected and type(result) is int


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("两次", "两次"), ("1-2次", "1-2次"), (2.5, "2.5"), ("不超过1次", "不超过1次")],
)
def test_parse_value_unreadable_integer_keeps_text(cell, expected):
    assert parse_value(LEAF["visits"], cell) == expected


def test_parse_value_time_limit():
    assert parse_value(LEAF["legal_limit"], "20个工作日") == TimeLimit(20, "工作日", "20个工作日")
    assert parse_value(LEAF["legal_limit"], 20.0) == TimeLimit(20, "工作日", "20")


def test_parse_value_text_from_number():
    assert parse_value(LEAF["name"], 12.0) == "12"


def test_split_multi():
    assert split_multi("a、b；c", ("、", "；")) == ["a", "b", "c"]
    assert split_multi("、 、", ("、",)) == []
    assert split_multi("县级、镇（乡、街道）级、村（社区）级", ("、",)) == [
        "县级",
        "镇（乡、街道）级",
        "村（社区）级",
    ]
    assert split_multi("a(b,c),d", (",",)) == ["a(b,c)", "d"]


# --- cell_text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (20.0, "20"),
        (20.5, "20.5"),
        (0.0, "0"),
        (-3.0, "-3"),
        (340720015000.0, "340720015000"),
        (7, "7"),
        (0, "0"),
        (None, None),
        ("", None),
        ("   ", None),
        ("\n", None),
        (" 江淮市 ", "江淮市"),
        (True, "是"),
        (False, "否"),
        (dt.date(2024, 1, 2), "2024-01-02"),
        (dt.datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05"),
    ],
)
def test_cell_text(cell, expected):
    assert cell_text(cell) == expected


# --- format_value ------------------------------------------------------------------------------


def test_format_value_writes_labels_and_joins():
    assert format_value(LEAF["item_type"], "01", time_unit_of) == "行政许可"
    assert format_value(LEAF["item_type"], "行政许可类", time_unit_of) == "行政许可类"
    assert format_value(LEAF["exercise_level"], ["3", "4"], time_unit_of) == "市级、县级"
    assert format_value(LEAF["exercise_level"], ["3", "乡下"], time_unit_of) == "市级、乡下"
    assert format_value(LEAF["fee_charged"], False, time_unit_of) == "否"
    assert format_value(LEAF["online"], True, time_unit_of) == "是"
    assert (
        format_value(SITUATION["materials"], ["申请书", "身份证明"], time_unit_of)
        == "申请书；身份证明"
    )
    assert format_value(LEAF["legal_limit"], TimeLimit(20, "工作日"), time_unit_of) == "20个工作日"
    assert format_value(LEAF["visits"], 0, time_unit_of) == 0
    assert format_value(LEAF["exercise_level"], [], time_unit_of) is None
    assert format_value(LEAF["name"], None, time_unit_of) is None


@pytest.mark.parametrize(
    "key",
    [
        "item_type",
        "exercise_level",
        "service_object",
        "case_type",
        "handling_form",
        "fee_charged",
        "online_depth",
    ],
)
def test_format_then_parse_is_identity(key):
    field = LEAF[key]
    table = field.table
    values = (
        [[c] for c in table.codes] + [list(table.codes[:2])]
        if field.kind == "multi"
        else list(table.codes)
    )
    for value in values:
        assert parse_value(field, format_value(field, value, time_unit_of)) == value


# --- per-column converters (cached) -------------------------------------------------------------


def test_converter_gives_parse_value_results_and_fresh_lists():
    from catalog_cli.read.values import converter

    convert = converter(LEAF["exercise_level"])
    first = convert("市级、县级")
    assert first == ["3", "4"]
    first.append("9")
    assert convert("市级、县级") == ["3", "4"]
    limit = converter(LEAF["legal_limit"])
    assert limit("20个工作日") == TimeLimit(20, "工作日", "20个工作日")
    assert limit("即办") == TimeLimit(0, "即办", "即办")
    assert converter(LEAF["name"])(" 名称 ") == "名称"


@pytest.mark.parametrize(
    ("key", "first", "second"),
    [("visits", False, 0), ("visits", 0, False), ("item_type", True, 1), ("legal_limit", 1, True)],
)
def test_converter_does_not_confuse_booleans_and_numbers(key, first, second):
    from catalog_cli.read.values import converter

    convert = converter(LEAF[key])
    assert convert(first) == parse_value(LEAF[key], first)
    assert convert(second) == parse_value(LEAF[key], second)


_CELLS = [
    " 淮北市水利局\u3000",
    "即办",
    "20个工作日",
    "二十个工作日",
    "30日",
    "√",
    "×",
    "是",
    "1.0",
    1.0,
    0,
    2,
    "",
    "  ",
    "窗口办理、网上办理",
    "１２３",
    "書法",
    "1134060069936222393340612001001",
    "行政检查",
    "许可",
    "法定：20个工作日；承诺：5个工作日",
    None,
    "行政許可",
    "镇（乡、街道）级、县级",
    dt.date(2024, 1, 2),
    1.5e17,
]


def _fields():
    return [
        (f.key, f)
        for record in load_schema().records.values()
        for f in record.fields.values()
        if f.kind not in ("children", "extra")
    ]


@pytest.mark.parametrize(("key", "field"), _fields(), ids=[k for k, _ in _fields()])
def test_convert_distinct_gives_what_the_cell_converter_gives(key, field):
    from catalog_cli.read.values import convert_distinct, converter

    values, kinds = convert_distinct(field, _CELLS + _CELLS[::-1])
    for cell in _CELLS:
        reported: list[str] = []
        value = converter(field, reported.extend)(cell)
        assert values[cell] == value, cell
        assert kinds.get(cell, ()) == tuple(reported), cell


def test_convert_distinct_declines_a_column_mixing_booleans_and_numbers():
    from catalog_cli.read.values import convert_distinct

    online = load_schema().records["leaf"].fields["online"]
    assert convert_distinct(online, [True, 1.0, "是"]) is None
    assert convert_distinct(online, [True, False, "否"])[0] == {
        True: True,
        False: False,
        "否": False,
    }
