"""Read 一件事 bundles kept beside a catalog in a JSON or YAML file (reduce --bundles-file).

The file is a list — or ``{"bundles": [...]}`` — of ``{name, members, material_count,
step_count, promised_limit, visits}``; ``promised_limit`` is text ("3个工作日") or
``{value, unit, text}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from catalog_cli.model import Bundle, TimeLimit, record_from_dict
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.values import parse_time_limit
from catalog_cli.schema import time_unit_of

YAML_SUFFIXES = (".yaml", ".yml")


def bundle_from_dict(item: dict[str, Any]) -> Bundle:
    """One bundle from its mapping (the promised limit parsed as the catalog's are)."""
    item = dict(item)
    limit = item.pop("promised_limit", None)
    bundle = record_from_dict(Bundle, item)
    if limit is not None:
        bundle.promised_limit = (
            parse_time_limit(str(limit), time_unit_of)
            if not isinstance(limit, dict)
            else TimeLimit(limit.get("value"), limit.get("unit"), limit.get("text", ""))
        )
    return bundle


def load_bundles(path: Path) -> list[Bundle]:
    """Bundles from a JSON or YAML file; CatalogInputError when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        if Path(path).suffix.lower() in YAML_SUFFIXES:
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
        items = data.get("bundles", data) if isinstance(data, dict) else data
        return [bundle_from_dict(item) for item in items]
    except (OSError, ValueError, TypeError, AttributeError, KeyError, yaml.YAMLError) as exc:
        raise CatalogInputError(
            str(path), f"一件事文件不正确：{str(exc).splitlines()[0]}"
        ) from None
