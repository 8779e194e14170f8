"""Read the tool's own catalog JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from catalog_cli.model import (
    CHILD_CLASSES,
    Bundle,
    Catalog,
    Leaf,
    MainItem,
    Orphans,
    Source,
    record_from_dict,
)
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read.assemble import FlatRecords, flatten
from catalog_cli.schema import FORMAT

ORPHAN_CHILD = {"situations", "materials", "steps", "fees"}


def _with_sources(record: Any, file: str, pointer: str) -> Any:
    """Give a record (and its children) a Source naming its JSON pointer in place of a sheet."""
    record.source = Source(file, pointer)
    for attr in ("leaves", "situations", "materials", "steps", "fees"):
        for index, child in enumerate(getattr(record, attr, ())):
            if not isinstance(child, str):  # a situation's materials are names, not records
                _with_sources(child, file, f"{pointer}/{attr}/{index}")
    return record


def catalog_from_json(data: dict[str, Any], file: str = "") -> Catalog:
    """A catalog from its JSON form (already parsed)."""
    if data.get("format") != FORMAT:
        raise CatalogInputError(
            file, f'不是 catalog-cli 目录 JSON（缺少 "format": "{FORMAT}"）', not_catalog=True
        )
    try:
        mains = [
            _with_sources(record_from_dict(MainItem, m), file, f"/main_items/{i}")
            for i, m in enumerate(data.get("main_items", []))
        ]
        bundles = [
            _with_sources(record_from_dict(Bundle, b), file, f"/bundles/{i}")
            for i, b in enumerate(data.get("bundles", []))
        ]
        raw_orphans = data.get("orphans", {})
        orphans = Orphans(
            leaves=[
                _with_sources(record_from_dict(Leaf, x), file, f"/orphans/leaves/{i}")
                for i, x in enumerate(raw_orphans.get("leaves", []))
            ]
        )
        for attr in ORPHAN_CHILD:
            cls = CHILD_CLASSES[attr]
            setattr(
                orphans,
                attr,
                [
                    (
                        o["impl_code"],
                        _with_sources(
                            record_from_dict(cls, o["record"]), file, f"/orphans/{attr}/{i}/record"
                        ),
                    )
                    for i, o in enumerate(raw_orphans.get(attr, []))
                ],
            )
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise CatalogInputError(file, f"目录 JSON 结构不正确：{exc}") from None
    return Catalog(main_items=mains, bundles=bundles, orphans=orphans, name=data.get("name"))


def read_catalog_json(path: Path) -> FlatRecords:
    """Read a catalog JSON file as flat records, so it merges with other inputs."""
    try:
        raw = Path(path).read_bytes()
        data = orjson.loads(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    except OSError as exc:
        raise CatalogInputError(str(path), f"无法读取 JSON：{exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise CatalogInputError(str(path), f"无法读取 JSON：{exc}") from None
    if not isinstance(data, dict):
        raise CatalogInputError(
            str(path), "不是 catalog-cli 目录 JSON（顶层应为对象）", not_catalog=True
        )
    return flatten(catalog_from_json(data, str(path)))
