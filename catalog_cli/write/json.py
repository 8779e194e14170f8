"""Write the tool's own catalog JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def write_catalog_json(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` as JSON at ``path`` atomically."""
    with atomic_path(Path(path)) as tmp:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(catalog_to_json(catalog), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
