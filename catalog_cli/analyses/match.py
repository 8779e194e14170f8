"""Leaf matching between two catalogs (a baseline and now, a county and its city).

Leaves pair one to one by 实施编码, then 基本编码 + 业务办理项编码, then the folded name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from catalog_cli.model import Leaf
from catalog_cli.model.text import fold_name

KEYS: tuple[tuple[str, Callable[[Leaf], Any]], ...] = (
    ("实施编码", lambda leaf: leaf.impl_code or None),
    (
        "基本编码",
        lambda leaf: (leaf.basic_code, leaf.handling_code) if leaf.basic_code else None,
    ),
    ("名称", lambda leaf: fold_name(leaf.name) or None),
)


@dataclass(frozen=True)
class Pair:
    """A leaf of the first catalog and the same leaf in the second, with the key that matched."""

    before: Leaf
    after: Leaf
    matched_by: str


def match_leaves(
    before: list[Leaf], after: list[Leaf]
) -> tuple[list[Pair], list[Leaf], list[Leaf]]:
    """Pairs, the leaves only in ``before`` and those only in ``after`` (each key in turn)."""
    pairs: list[Pair] = []
    left, right = list(before), list(after)
    for label, key in KEYS:
        index: dict[Any, list[Leaf]] = defaultdict(list)
        for leaf in right:
            if key(leaf) is not None:
                index[key(leaf)].append(leaf)
        unmatched = []
        for leaf in left:
            candidates = index.get(key(leaf)) if key(leaf) is not None else None
            if candidates:
                partner = candidates.pop(0)
                pairs.append(Pair(leaf, partner, label))
                right.remove(partner)
            else:
                unmatched.append(leaf)
        left = unmatched
    return pairs, left, right
