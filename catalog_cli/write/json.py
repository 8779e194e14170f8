"""Write the tool's own catalog JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from catalog_cli.memory import gc_paused
from catalog_cli.model import Catalog, record_to_dict
from catalog_cli.schema import FORMAT
from catalog_cli.write.atomic import atomic_path


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    """The JSON form of a catalog, as ``schemas/catalog.schema.json`` describes it."""
    data: dict[str, Any] = {"format": FORMAT}
    if catalog.name:
        data["name"] = catalog.name
    data["main_items"] = [record_to_dict(m) for m in catalog.main_items]
    if catalog.bundles:
        data["bundles"] = [record_to_dict(b) for b in catalog.bundles]
    orphans = catalog.orphans
    if orphans:
        data["orphans"] = {"leaves": [record_to_dict(x) for x in orphans.leaves]}
        for attr in ("situations", "materials", "steps", "fees"):
            data["orphans"][attr] = [{"impl_code": code, "record": record_to_dict(r)} for code, r in getattr(orphans, attr)]
    return data


CHUNK = 2000


def _array(items: Iterable[Any]) -> Iterator[bytes]:
    """A JSON array with one element per line, built in chunks so memory stays flat."""
    yield b"[\n"
    chunk: list[bytes] = []
    first = True
    for item in items:
        chunk.append(orjson.dumps(item))
        if len(chunk) == CHUNK:
            yield (b"" if first else b",\n") + b",\n".join(chunk)
            chunk, first = [], False
    if chunk:
        yield (b"" if first else b",\n") + b",\n".join(chunk)
    yield b"\n]"


def catalog_json_chunks(catalog: Catalog) -> Iterator[bytes]:
    """The catalog JSON as byte chunks: the same document as :func:`catalog_to_json`, one record per line."""
    yield b'{"format": ' + orjson.dumps(FORMAT)
    if catalog.name:
        yield b',\n"name": ' + orjson.dumps(catalog.name)
    yield b',\n"main_items": '
    yield from _array(record_to_dict(m) for m in catalog.main_items)
    if catalog.bundles:
        yield b',\n"bundles": '
        yield from _array(record_to_dict(b) for b in catalog.bundles)
    orphans = catalog.orphans
    if orphans:
        yield b',\n"orphans": {"leaves": '
        yield from _array(record_to_dict(x) for x in orphans.leaves)
        for attr in ("situations", "materials", "steps", "fees"):
            yield b',\n"' + attr.encode() + b'": '
            yield from _array({"impl_code": code, "record": record_to_dict(r)} for code, r in getattr(orphans, attr))
        yield b"}"
    yield b"}\n"


def write_catalog_json(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` as JSON at ``path`` atomically: UTF-8, one main item per line."""
    with gc_paused(), atomic_path(Path(path)) as tmp, tmp.open("wb") as fh:
        fh.writelines(catalog_json_chunks(catalog))
