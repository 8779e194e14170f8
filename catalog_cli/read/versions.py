"""Versions of one item: several records of the same leaf that differ by version or date.

An interface dump (the Guangxi 事项库) holds each published version of an item as its own
record. Which fields say what one item is and which say how recent a record is are data: an
input profile's table names them under ``versions`` (``schemas/profiles/*.json``)::

    "versions": {
      "identity": ["impl_code", "extra.ywcode"],
      "order": ["extra.task_version", "extra.version_date"],
      "titles": {"extra.task_version": "版本号", "extra.version_date": "版本时间"}
    }

Leaves with the same identity and more than one distinct order value are versions: by
default (``latest``) the one with the highest order value is kept and the others are dropped
from the catalog, named in an ``item-versions`` finding; ``all`` keeps every record. A field
``extra.<name>`` is the extra attribute ``<name>`` (unmapped interface fields are kept under
their own names, also after a JSON or standard-workbook round trip), any other a leaf field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from catalog_cli.model import Catalog, Leaf
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.read.profiles import load_profiles


class VersionMode(StrEnum):
    """What to do with several versions of one item: keep the latest, or keep them all."""

    latest = "latest"
    all = "all"


VERSION_MODES = tuple(VersionMode)
EXTRA = "extra."


@dataclass(frozen=True)
class VersionRule:
    """Which fields identify an item and which order its versions (from a profile)."""

    profile: str
    identity: tuple[str, ...]
    order: tuple[str, ...]
    titles: dict[str, str]

    def title(self, name: str) -> str:
        return self.titles.get(name, name.removeprefix(EXTRA))


def version_rules() -> list[VersionRule]:
    """Every profile table's ``versions`` rule, in profile order."""
    rules = []
    for name, profile in load_profiles().items():
        for table in profile["tables"]:
            spec = table.get("versions")
            if spec:
                rules.append(
                    VersionRule(
                        name,
                        tuple(spec["identity"]),
                        tuple(spec["order"]),
                        dict(spec.get("titles", {})),
                    )
                )
    return rules


def check_versions(mode: str) -> None:
    """A usage error unless ``mode`` is one of :data:`VERSION_MODES`."""
    if mode not in VERSION_MODES:
        raise CatalogInputError(
            "", f"--versions：应为 {' 或 '.join(VERSION_MODES)}，而不是“{mode}”"
        )


def leaf_value(leaf: Leaf, name: str) -> Any:
    """A rule field of a leaf: an extra attribute (``extra.<name>``) or a leaf field."""
    if name.startswith(EXTRA):
        return leaf.extra.get(name.removeprefix(EXTRA))
    return getattr(leaf, name, None)


def _rank(value: Any) -> tuple[int, Any]:
    """An order value as something to compare: numbers as numbers, before any text."""
    if value is None or value == "":
        return (0, 0)
    text = str(value).strip()
    try:
        return (1, float(text))
    except ValueError:
        return (2, text)


def version_groups(
    identities: Sequence[tuple[Any, ...]], orders: Sequence[tuple[Any, ...] | None]
) -> list[tuple[list[int], list[int]]]:
    """(all records, the latest records) of every group of versions, by record index.

    ``orders[i]`` is None for a record without any order value (it is no version). A group is
    the records of one identity with more than one distinct order value; the latest are those
    with the highest (several when the highest is repeated: duplicates, not versions).
    """
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, (identity, order) in enumerate(zip(identities, orders, strict=True)):
        if order is not None and any(identity):
            groups.setdefault(identity, []).append(index)
    found = []
    for members in groups.values():
        ranks = {i: tuple(map(_rank, orders[i] or ())) for i in members}
        if len(set(ranks.values())) < 2:
            continue
        top = max(ranks.values())
        found.append((members, [i for i in members if ranks[i] == top]))
    return found


def _rule_values(leaves: list[Leaf], rule: VersionRule) -> tuple[list, list]:
    identities = [tuple(leaf_value(leaf, n) for n in rule.identity) for leaf in leaves]
    orders = []
    for leaf in leaves:
        order = tuple(leaf_value(leaf, n) for n in rule.order)
        orders.append(order if any(v not in (None, "") for v in order) else None)
    return identities, orders


def select_versions(catalog: Catalog, mode: str = "latest") -> list[Finding]:
    """Keep only the latest version of each item (``latest``) and name the others in an
    ``item-versions`` finding on the kept record; ``all`` keeps every record and changes
    nothing. Main items left without leaves by dropping versions are dropped too.
    """
    check_versions(mode)
    if mode == "all":
        return []
    findings: list[Finding] = []
    dropped: set[int] = set()
    for rule in version_rules():
        leaves = [leaf for leaf in catalog.iter_leaves() if id(leaf) not in dropped]
        identities, orders = _rule_values(leaves, rule)
        for members, latest in version_groups(identities, orders):
            kept = leaves[latest[-1]]
            others = [leaves[i] for i in members if i not in latest]
            dropped.update(id(leaf) for leaf in others)
            findings.append(_finding(rule, kept, others, len(members)))
    if dropped:
        _drop(catalog, dropped)
    return findings


def _shown(rule: VersionRule, leaf: Leaf) -> str:
    """A record's order values and where it was read, for the finding's message."""
    values = "，".join(
        f"{rule.title(n)} {v}" for n in rule.order if (v := leaf_value(leaf, n)) not in (None, "")
    )
    row = leaf.source.row if leaf.source is not None else None
    return f"{values}（第 {row} 行）" if row else values


def _finding(rule: VersionRule, kept: Leaf, others: list[Leaf], count: int) -> Finding:
    return make_finding(
        "item-versions",
        "info",
        kept.source,
        f"“{kept.name or kept.impl_code}”共有 {count} 个版本记录，按最新的（{_shown(rule, kept)}）"
        f"读取；未计入：{'；'.join(_shown(rule, leaf) for leaf in others)}。"
        "加 --versions all 保留全部版本",
        element=rule.title(rule.order[0]),
        item=kept.impl_code or kept.name,
        value=leaf_value(kept, rule.order[0]),
    )


def _drop(catalog: Catalog, dropped: set[int]) -> None:
    kept = []
    for main in catalog.main_items:
        if any(id(leaf) in dropped for leaf in main.leaves):
            main.leaves = [leaf for leaf in main.leaves if id(leaf) not in dropped]
            if not main.leaves:
                continue
        kept.append(main)
    catalog.main_items = kept
    catalog.orphans.leaves = [leaf for leaf in catalog.orphans.leaves if id(leaf) not in dropped]
