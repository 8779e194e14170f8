"""Leaf matching (catalog_cli/analyses/match.py) on the catalogs of reduce_catalogs.py."""

from __future__ import annotations

from reduce_catalogs import baseline, current  # noqa: F401  (the shared fixtures)

from catalog_cli.analyses.match import Pair, match_leaves
from catalog_cli.model import Leaf
from catalog_cli.read import read_catalog


def test_matching_falls_back_from_code_to_basic_code_to_name(current, baseline):  # noqa: F811
    now = list(read_catalog([current[0]]).catalog.iter_leaves())
    old = list(read_catalog([baseline]).catalog.iter_leaves())
    pairs, before_only, after_only = match_leaves(old, now)
    assert [(p.before.name, p.after.name, p.matched_by) for p in pairs] == [
        ("事项1", "事项1", "实施编码"),
        ("事项2", "事项2", "基本编码"),
        ("事项6", "事项6", "名称"),
    ]
    assert [leaf.name for leaf in before_only] == ["事项7"]
    assert [leaf.name for leaf in after_only] == ["事项3", "事项4", "事项5"]


def test_each_leaf_is_matched_once_and_unmatched_leaves_are_kept():
    a1, a2 = Leaf(impl_code="A", name="甲"), Leaf(impl_code="B", name="乙（新办）")
    b1, b2, b3 = Leaf(impl_code="A", name="丙"), Leaf(name="乙(新办) "), Leaf(name="甲")
    pairs, before_only, after_only = match_leaves([a1, a2], [b1, b2, b3])
    assert pairs == [Pair(a1, b1, "实施编码"), Pair(a2, b2, "名称")]
    assert (before_only, after_only) == ([], [b3])
    assert match_leaves([], [b1]) == ([], [], [b1])
