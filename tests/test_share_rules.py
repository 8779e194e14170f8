"""Share-rule conditions (analyses/rules.py) and loading the rules file (schema.py)."""

from __future__ import annotations

import json

import pytest

from catalog_cli.analyses.rules import OPERATORS, holds
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
