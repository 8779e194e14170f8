"""The one name folding (catalog_cli/model/text.py) and the checks and analyses that use it."""

from __future__ import annotations

import pytest

from catalog_cli.analyses.reduce import situation_range
from catalog_cli.checks.rules import check_leaf
from catalog_cli.model import Leaf, Material, Situation
from catalog_cli.model.text import fold_name


def test_name_matching_ignores_width_brackets_and_spaces():
    assert (
        fold_name("食品经营许可（新办） ")
        == fold_name("食品经营许可(新办)")
        == fold_name("食品经营许可（新办）")
    )
    assert fold_name("事项６") == fold_name("事项6") != fold_name("事项7")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("【原件】申请书", "[原件]申请书"),
        ("《营业执照》", "<营业执照>"),
        ("“身份证”", '"身份证"'),
        ("ＡＢＣ 证明", "abc证明"),
        ("申请书\n（样本）", "申请书(样本)"),
    ],
)
def test_punctuation_width_case_and_whitespace_fold_together(a, b):
    assert fold_name(a) == fold_name(b)


def test_different_names_stay_different():
    assert fold_name("营业执照（副本）") != fold_name("营业执照（正本）")
    assert fold_name(None) == fold_name("") == ""


def _leaf_with_bracket_widths() -> Leaf:
    return Leaf(
        impl_code="X1",
        name="测试事项",
        materials=[Material(seq=1, name="营业执照（副本）", necessity="必要")],
        situations=[Situation(name="新办", materials=["营业执照(副本)"])],
    )


def test_a_situation_material_in_other_bracket_width_is_not_a_false_error():
    leaf = _leaf_with_bracket_widths()
    assert [f.code for f in check_leaf(leaf) if f.code == "situation-material-unknown"] == []
    # reduce matches the same two names: one required material in the situation
    assert situation_range(leaf) == (1, 1)


def test_a_situation_material_the_leaf_lacks_is_still_reported():
    leaf = _leaf_with_bracket_widths()
    leaf.situations[0].materials.append("身份证明")
    found = [f for f in check_leaf(leaf) if f.code == "situation-material-unknown"]
    assert [f.value for f in found] == ["身份证明"]
