"""Conditions on a leaf written as data (the stats share rules): field, operator, value.

Conditions combine with any / all / not.

The rules file is loaded and checked by :func:`catalog_cli.schema.load_share_rules`.
"""

from __future__ import annotations

from typing import Any

from catalog_cli.model import Leaf
from catalog_cli.schema import SHARE_OPERATORS

OPERATORS = SHARE_OPERATORS


def field_value(leaf: Leaf, field: str) -> Any:
    """A leaf's value for ``field``; ``extra.名称`` reads an extra attribute."""
    if field.startswith("extra."):
        return leaf.extra.get(field.split(".", 1)[1])
    return getattr(leaf, field, None)


def holds(condition: dict[str, Any], leaf: Leaf) -> bool:
    """Whether ``condition`` holds for ``leaf`` (a value of the wrong type compares false)."""
    if "any" in condition:
        return any(holds(c, leaf) for c in condition["any"])
    if "all" in condition:
        return all(holds(c, leaf) for c in condition["all"])
    if "not" in condition:
        return not holds(condition["not"], leaf)
    return matches(condition, field_value(leaf, condition["field"]))


def matches(condition: dict[str, Any], value: Any) -> bool:
    """Whether one field's ``value`` satisfies a single-field ``condition`` (no any / all / not).

    ``eq`` compares the type too (1 is not 是), ``le`` / ``ge`` need a number that is not a
    boolean, ``contains_any`` a list. Both :func:`holds` and the table path (which tests each
    distinct value of a column once) decide with this.
    """
    if "eq" in condition:
        return value == condition["eq"] and type(value) is type(condition["eq"])
    if "in" in condition:
        return value in condition["in"]
    if "le" in condition or "ge" in condition:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        return value <= condition["le"] if "le" in condition else value >= condition["ge"]
    if "contains_any" in condition:
        return isinstance(value, list) and any(v in value for v in condition["contains_any"])
    raise ValueError(f"条件缺少运算：{condition}")
