"""Share-rule conditions (analyses/rules.py) and loading the rules file (schema.py)."""

from __future__ import annotations

import json

import pytest

from catalog_cli.analyses.rules import OPERATORS, holds, matches
from catalog_cli.model import Leaf
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.schema import load_share_rules


def test_conditions():
    leaf = Leaf(visits="两次", exercise_level=["4"], online=True, extra={"通办范围": "全市"})
    assert not holds({"field": "visits", "le": 1}, leaf)  # unreadable counts satisfy nothing
    assert holds({"field": "extra.通办范围", "in": ["全市"]}, leaf)
    assert holds(
        {
            "any": [
                {"field": "exercise_level", "contains_any": ["5"]},
                {"field": "online", "eq": True},
            ]
        },
        leaf,
    )
    assert not holds({"not": {"field": "online", "eq": True}}, leaf)
    assert not holds({"field": "online", "eq": 1}, Leaf(online=True))  # 1 is not 是


@pytest.mark.parametrize(
    "condition, value, expected",
    [
        ({"eq": True}, True, True),
        ({"eq": True}, 1, False),  # eq compares the type: 1 is not 是
        ({"eq": 0}, False, False),
        ({"eq": 0}, 0, True),
        ({"in": ["1"]}, "1", True),
        ({"in": ["1"]}, 1, False),
        ({"le": 1}, 1, True),
        ({"le": 1}, True, False),  # a boolean is not a number
        ({"le": 1}, "1", False),
        ({"ge": 2}, 2.5, True),
        ({"ge": 2}, None, False),
        ({"contains_any": ["5", "6"]}, ["4", "6"], True),
        ({"contains_any": ["5"]}, "5", False),  # needs a list
        ({"contains_any": ["5"]}, [], False),
    ],
)
def test_one_value_matches_as_the_leaf_holds(condition, value, expected):
    assert matches(condition, value) is expected
    leaf = Leaf(visits=value)
    assert holds({"field": "visits", **condition}, leaf) is expected


def test_a_condition_without_an_operator_raises():
    with pytest.raises(ValueError, match="条件缺少运算"):
        matches({"field": "visits"}, 1)


def test_default_rules_are_the_schema_file():
    names = [rule["name"] for rule in load_share_rules()]
    assert names == ["马上办", "网上办", "全程网办", "就近办", "一次办", "零跑动", "收费"]
    assert OPERATORS == ("eq", "in", "le", "ge", "contains_any")


def test_a_rule_without_an_operator_is_bad_input(tmp_path):
    bad = tmp_path / "坏.json"
    bad.write_text(
        json.dumps({"shares": [{"name": "x", "when": {"all": [{"field": "visits"}]}}]}),
        encoding="utf-8",
    )
    with pytest.raises(CatalogInputError, match="统计口径文件不正确"):
        load_share_rules(bad)
    with pytest.raises(CatalogInputError, match="统计口径文件不正确"):
        load_share_rules(tmp_path / "没有.json")
