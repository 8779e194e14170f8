"""Read JSON inputs: the tool's own catalog JSON, and any other JSON as record exports.

A ``.json`` file whose top level is an object with ``"format"`` naming catalog-cli
(``catalog-cli/…``) is a catalog JSON; every other document (a list of records, records wrapped
in an object, JSON Lines in a ``.json`` file) is read as records (read/records.py).
"""

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
from catalog_cli.read.grid import Grid
from catalog_cli.read.records import decode_error, document_grids, lines_grid, looks_like_lines
from catalog_cli.schema import FORMAT

FORMAT_FAMILY = FORMAT.split("/")[0] + "/"  # any version of our format: read as catalog JSON

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


def is_catalog_json(data: Any) -> bool:
    """Whether a parsed document is (meant to be) the tool's catalog JSON."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("format"), str)
        and data["format"].startswith(FORMAT_FAMILY)
    )


def load_json(path: Path) -> Any:
    """Parse a JSON file (a UTF-8 BOM is allowed)."""
    try:
        raw = Path(path).read_bytes()
        return orjson.loads(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    except OSError as exc:
        raise CatalogInputError(str(path), f"无法读取 JSON：{exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise CatalogInputError(
            str(path), f"无法读取 JSON：第 {exc.lineno} 行{decode_error(exc)}"
        ) from None


def read_json(path: Path, profile: str | None = None) -> FlatRecords | list[Grid]:
    """A ``.json`` input: a catalog JSON as flat records, anything else as grids of records
    (one, or one per table when the records bundle an input profile's tables).

    A file that is not one JSON document but whose first line is an object is JSON Lines.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogInputError(str(path), f"无法读取 JSON：{exc.strerror}") from None
    try:
        data = orjson.loads(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    except orjson.JSONDecodeError as exc:
        if not looks_like_lines(raw):
            raise CatalogInputError(
                str(path), f"无法读取 JSON：第 {exc.lineno} 行{decode_error(exc)}"
            ) from None
        del raw
        return [lines_grid(path)]
    del raw
    if is_catalog_json(data):
        return flatten(catalog_from_json(data, str(path)))
    return document_grids(data, str(path), profile)


def read_catalog_json(path: Path) -> FlatRecords:
    """Read a catalog JSON file as flat records, so it merges with other inputs."""
    data = load_json(path)
    if not isinstance(data, dict):
        raise CatalogInputError(
            str(path), "不是 catalog-cli 目录 JSON（顶层应为对象）", not_catalog=True
        )
    return flatten(catalog_from_json(data, str(path)))
