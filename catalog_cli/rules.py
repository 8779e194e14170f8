"""Conditions on a leaf item written as data (the stats share rules): field, operator, value, any/all/not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalog_cli.model import Leaf
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.schema import resource_dir

OPERATORS = ("eq", "in", "le", "ge", "contains_any")


def field_value(leaf: Leaf, field: str) -> Any:
    """A leaf's value for ``field``; ``extra.名称`` reads an extra attribute."""
    if field.startswith("extra."):
        return leaf.extra.get(field.split(".", 1)[1])
    return getattr(leaf, field, None)


def holds(condition: dict[str, Any], leaf: Leaf) -> bool:
    """Whether ``condition`` holds for ``leaf`` (a value of the wrong type never satisfies a comparison)."""
    if "any" in condition:
        return any(holds(c, leaf) for c in condition["any"])
    if "all" in condition:
        return all(holds(c, leaf) for c in condition["all"])
    if "not" in condition:
        return not holds(condition["not"], leaf)
    value = field_value(leaf, condition["field"])
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


def load_share_rules(path: Path | None = None) -> list[dict[str, Any]]:
    """The share rules: ``schemas/stats-rules.json``, or a file given with --rules."""
    source = Path(path) if path else resource_dir("schemas") / "stats-rules.json"
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        shares = data["shares"]
        for rule in shares:
            _check(rule["when"])
            str(rule["name"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogInputError(str(source), f"统计口径文件不正确：{exc}") from None
    return shares


def _check(condition: dict[str, Any]) -> None:
    for key in ("any", "all"):
        if key in condition:
            for c in condition[key]:
                _check(c)
            return
    if "not" in condition:
        _check(condition["not"])
        return
    if "field" not in condition or not any(op in condition for op in OPERATORS):
        raise ValueError(f"条件应有 field 和一个运算（{'、'.join(OPERATORS)}）：{condition}")
