"""Repeated listings: one leaf listed once per audience.

Portals list a leaf once for 个人 and once for 法人: records with the same 实施编码 that
differ only in 服务对象 (a multi-valued element). Such records are one leaf whose 服务对象
holds the values of all of them; a ``repeated-listing`` finding (info) names the rows merged.

Records that differ in anything else (another field, an extra attribute, a material, a step,
a situation, a fee) stay as they are: the checks report them as ``duplicate-impl-code``.
Versions of one item (read/versions.py) differ by version or date, so they are never merged
here. Records that are equal in everything, 服务对象 included, are not a repeated listing
either (nothing to merge): they stay duplicates.

Their main items must be equal too (but for their leaves); the source location is never
compared (records compare without it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from catalog_cli.model import Catalog, Leaf, MainItem, Source
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.schema import load_schema

FIELD = "service_object"


def _rest(leaf: Leaf, parent: MainItem | None) -> tuple[Leaf, MainItem | None]:
    """The leaf without its 服务对象, and its main item without its leaves: what two
    listings of one leaf share."""
    return replace(leaf, service_object=[]), None if parent is None else replace(parent, leaves=[])


def _where(source: Source | None) -> str:
    """A row as a person finds it: “工作表 第 N 行” (the file when no sheet is known)."""
    if source is None:
        return "（位置不明）"
    if source.row is None:
        return source.sheet or source.file
    return f"{source.sheet} 第 {source.row} 行" if source.sheet else f"第 {source.row} 行"


def _merge_group(
    group: list[tuple[Leaf, MainItem | None]],
) -> list[tuple[Leaf, list[Leaf]]]:
    """(kept leaf, the listings merged into it) for each set of repeated listings in
    ``group`` (the leaves of one 实施编码, with their main items)."""
    merged: list[tuple[Leaf, list[Leaf], Any]] = []  # (kept, merged ones, kept's rest)
    for leaf, parent in group:
        rest = _rest(leaf, parent)
        for kept, others, kept_rest in merged:
            if kept_rest == rest and leaf.service_object != kept.service_object:
                others.append(leaf)
                break
        else:
            merged.append((leaf, [], rest))
    return [(kept, others) for kept, others, _ in merged if others]


def _finding(kept: Leaf, others: list[Leaf], before: list[list[str]]) -> Finding:
    table = load_schema().tables[FIELD]
    title = load_schema().records["leaf"].fields[FIELD].title
    listed = "；".join(
        f"{_where(leaf.source)}：{'、'.join(table.label(v) for v in values) or '（空）'}"
        for leaf, values in zip([kept, *others], before, strict=True)
    )
    joined = "、".join(table.label(v) for v in kept.service_object)
    return make_finding(
        "repeated-listing",
        "info",
        kept.source or Source(""),
        f"同一子项按{title}分别列出了 {len(others) + 1} 次（{listed}），其余要素完全相同："
        f"已合并为一个子项，{title}为“{joined}”",
        element=title,
        key=FIELD,
        item=kept.label,
        value=joined,
    )


def merge_listings(catalog: Catalog) -> list[Finding]:
    """Merge the repeated listings of a catalog in place; the ``repeated-listing`` findings,
    in catalog order.

    Leaves are grouped by 实施编码 first (linear in the leaves); only the few groups of more
    than one are compared. Listings under different main items merge when the main items are
    equal too (a flat sheet makes a main item per row that has no main item of its own); a
    main item left without leaves by the merge was one of those and is dropped.
    """
    by_code: dict[str, list[tuple[Leaf, MainItem | None]]] = {}
    for main in catalog.main_items:
        for leaf in main.leaves:
            if leaf.impl_code:
                by_code.setdefault(leaf.impl_code, []).append((leaf, main))
    for leaf in catalog.orphans.leaves:
        if leaf.impl_code:
            by_code.setdefault(leaf.impl_code, []).append((leaf, None))
    dropped: set[int] = set()
    findings: list[Finding] = []
    for group in by_code.values():
        if len(group) < 2:
            continue
        for kept, others in _merge_group(group):
            before = [list(kept.service_object), *(list(o.service_object) for o in others)]
            for other in others:
                kept.service_object.extend(
                    v for v in other.service_object if v not in kept.service_object
                )
                dropped.add(id(other))
            findings.append(_finding(kept, others, before))
    if dropped:
        _drop(catalog, dropped)
    return findings


def _drop(catalog: Catalog, dropped: set[int]) -> None:
    """Remove the merged listings, and the main items they alone filled."""
    mains = []
    for main in catalog.main_items:
        kept = [leaf for leaf in main.leaves if id(leaf) not in dropped]
        if kept or not main.leaves:
            main.leaves = kept
            mains.append(main)
    catalog.main_items = mains
    catalog.orphans.leaves = [leaf for leaf in catalog.orphans.leaves if id(leaf) not in dropped]
