"""Catalog-wide rules: duplicate codes, orphans, one USCC per agency, bundle members."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from catalog_cli.model import Catalog, Leaf
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.schema import load_schema

ORPHAN_CODES = {
    "situations": ("orphan-situation", "situation"),
    "materials": ("orphan-material", "material"),
    "steps": ("orphan-step", "step"),
    "fees": ("orphan-fee", "fee"),
}


def _where(obj: Any) -> str:
    source = obj.source
    if source is None:
        return ""
    if source.row is None:
        return f"（{source.file} {source.sheet or ''}）"
    return f"（{source.file}“{source.sheet}”第{source.row}行）"


def duplicate_codes(catalog: Catalog) -> Iterator[Finding]:
    """实施编码 unique among leaves, 基本编码 unique among main items."""
    schema = load_schema()
    for records, key, record, code in (
        (list(catalog.iter_leaves()), "impl_code", "leaf", "duplicate-impl-code"),
        (catalog.main_items, "basic_code", "main_item", "duplicate-basic-code"),
    ):
        first: dict[str, Any] = {}
        title = schema.records[record].fields[key].title
        for obj in records:
            value = getattr(obj, key)
            if not value:
                continue
            if value in first:
                yield make_finding(
                    code,
                    "error",
                    obj.source,
                    f"{title}“{value}”重复，与{_where(first[value])}相同",
                    element=title,
                    key=key,
                    item=obj.label,
                    value=value,
                )
            else:
                first[value] = obj


def orphans(catalog: Catalog) -> Iterator[Finding]:
    """Leaves whose main item is missing; situations, materials, steps and fees whose leaf is
    missing.
    """
    schema = load_schema()
    main_title = schema.records["leaf"].fields["main_code"].title
    for leaf in catalog.orphans.leaves:
        parent = leaf.main_code or leaf.basic_code
        yield make_finding(
            "orphan-leaf",
            "error",
            leaf.source,
            f"找不到{main_title}为“{parent}”的主项：请在主项表补上该主项或更正主项编码",
            element=main_title,
            key="main_code",
            item=leaf.label,
            value=parent,
        )
    impl_title = schema.records["leaf"].fields["impl_code"].title
    for attr, (code, record) in ORPHAN_CODES.items():
        label = schema.records[record].title
        for impl_code, child in getattr(catalog.orphans, attr):
            yield make_finding(
                code,
                "error",
                child.source,
                f"{label}所属的实施编码“{impl_code}”在子项表中不存在",
                element=impl_title,
                key="impl_code",
                item=impl_code,
                value=impl_code,
            )


def one_code_per_agency(catalog: Catalog) -> Iterator[Finding]:
    """One agency name has one USCC: rows using a minority code are flagged."""
    by_agency: dict[str, list[Leaf]] = defaultdict(list)
    for leaf in catalog.iter_leaves():
        if leaf.agency and leaf.agency_code:
            by_agency[leaf.agency].append(leaf)
    title = load_schema().records["leaf"].fields["agency_code"].title
    for agency, leaves in by_agency.items():
        counts = Counter(leaf.agency_code for leaf in leaves)
        if len(counts) < 2:
            continue
        usual = counts.most_common(1)[0][0]
        for leaf in leaves:
            if leaf.agency_code != usual:
                yield make_finding(
                    "agency-code-conflict",
                    "error",
                    leaf.source,
                    f"实施主体“{agency}”在其他 {counts[usual]} 行"
                    f"使用统一社会信用代码“{usual}”，同一实施主体只能有一个代码",
                    element=title,
                    key="agency_code",
                    item=leaf.label,
                    value=leaf.agency_code,
                )


def bundle_members_exist(catalog: Catalog) -> Iterator[Finding]:
    """Every 一件事 member names a leaf of the catalog."""
    codes = {leaf.impl_code for leaf in catalog.iter_leaves()}
    title = load_schema().records["bundle"].fields["members"].title
    for bundle in catalog.bundles:
        missing = [m for m in bundle.members if m not in codes]
        if missing:
            yield make_finding(
                "bundle-member-missing",
                "error",
                bundle.source,
                f"一件事“{bundle.name}”的成员实施编码在子项表中不存在：{'；'.join(missing)}",
                element=title,
                key="members",
                item=bundle.name,
                value="；".join(missing),
            )


def check_tree(catalog: Catalog) -> list[Finding]:
    """Every catalog-wide finding."""
    return [
        *duplicate_codes(catalog),
        *orphans(catalog),
        *one_code_per_agency(catalog),
        *bundle_members_exist(catalog),
    ]
