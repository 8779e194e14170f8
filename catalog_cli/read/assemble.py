"""Build one catalog tree from the flat records that readers produce, across any number of
inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog_cli.model import Bundle, Catalog, Leaf, MainItem, Orphans

CHILD_ATTRS = ("situations", "materials", "steps", "fees")


@dataclass
class FlatRecords:
    """What one input holds, before the tree is built: records plus each one's parent.

    A leaf's parent is a main item's code, or the main item itself when the reader already knows
    it (flat sheets, where the main item sits on the same row).
    """

    mains: list[MainItem] = field(default_factory=list)
    leaves: list[tuple[str | MainItem | None, Leaf]] = field(default_factory=list)
    children: dict[str, list[tuple[str | Leaf | None, Any]]] = field(
        default_factory=lambda: {a: [] for a in CHILD_ATTRS}
    )
    bundles: list[Bundle] = field(default_factory=list)
    name: str | None = None
    keyed: dict[str, Leaf] = field(default_factory=dict)
    keyed_children: list[tuple[str, str, Any]] = field(default_factory=list)
    keyed_fields: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def assemble(parts: list[FlatRecords]) -> Catalog:
    """Attach leaves to main items by 主项编码 and children to leaves by 实施编码.

    Records without a parent are kept as orphans.

    The first record with a code is the one its children attach to; duplicates stay in the
    catalog for the checks to report.
    """
    catalog = Catalog(name=next((p.name for p in parts if p.name), None))
    mains_by_code: dict[str, MainItem] = {}
    for part in parts:
        for main in part.mains:
            catalog.main_items.append(main)
            if main.basic_code:
                mains_by_code.setdefault(main.basic_code, main)
    leaves_by_code: dict[str, Leaf] = {}
    for part in parts:
        for parent, leaf in part.leaves:
            main = parent if isinstance(parent, MainItem) else mains_by_code.get(parent or "")
            if main is None:
                catalog.orphans.leaves.append(leaf)
            else:
                if leaf.main_code is None:
                    leaf.main_code = main.basic_code
                main.leaves.append(leaf)
            if leaf.impl_code:
                leaves_by_code.setdefault(leaf.impl_code, leaf)
    _link_keyed(parts, catalog)
    for attr in CHILD_ATTRS:
        orphans = getattr(catalog.orphans, attr)
        for part in parts:
            for parent, record in part.children[attr]:
                leaf = parent if isinstance(parent, Leaf) else leaves_by_code.get(parent or "")
                if leaf is None:
                    orphans.append((parent or "", record))
                else:
                    getattr(leaf, attr).append(record)
    for part in parts:
        catalog.bundles.extend(part.bundles)
    return catalog


def _link_keyed(parts: list[FlatRecords], catalog: Catalog) -> None:
    """Records that name their leaf by a source's own row key (input profiles), across files."""
    keyed: dict[str, Leaf] = {}
    for part in parts:
        keyed.update(part.keyed)
    for part in parts:
        for key, values in part.keyed_fields:
            leaf = keyed.get(key)
            if leaf is None:
                continue
            for name, value in values.items():
                if name.startswith("extra."):
                    label = name.split(".", 1)[1]
                    leaf.extra[label] = (
                        f"{leaf.extra[label]}\n{value}" if label in leaf.extra else value
                    )
                    continue
                current = getattr(leaf, name)
                setattr(
                    leaf,
                    name,
                    value
                    if current in (None, "") or not isinstance(value, str)
                    else f"{current}\n{value}",
                )
        for attr, key, record in part.keyed_children:
            leaf = keyed.get(key)
            if leaf is None:
                getattr(catalog.orphans, attr).append((key, record))
            else:
                getattr(leaf, attr).append(record)


def flatten(catalog: Catalog) -> FlatRecords:
    """The inverse view: a catalog as flat records.

    Used to merge a JSON catalog with other inputs.
    """
    flat = FlatRecords(name=catalog.name, bundles=list(catalog.bundles))
    for main in catalog.main_items:
        flat.mains.append(main)
        # the nesting names the parent exactly
        flat.leaves.extend((main, leaf) for leaf in main.leaves)
        main.leaves = []
    flat.leaves.extend((leaf.main_code or leaf.basic_code, leaf) for leaf in catalog.orphans.leaves)
    for leaf in (leaf for _, leaf in flat.leaves):
        for attr in CHILD_ATTRS:
            flat.children[attr].extend((leaf, child) for child in getattr(leaf, attr))
            setattr(leaf, attr, [])
    for attr in CHILD_ATTRS:
        flat.children[attr].extend(getattr(catalog.orphans, attr))
    catalog.orphans = Orphans()
    return flat
