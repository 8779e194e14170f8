"""The figures of ``catalog stats``: counts by type, department and level; the 马上办 / 网上办 /
就近办 / 一次办 shares; visits, materials and steps per leaf.

Percentages are rounded to two decimals as reports write them; the sentences, tables and JSON
are built in ``catalog_cli/report/stats.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from catalog_cli.analyses.rules import holds
from catalog_cli.model import Catalog, Leaf, MainItem
from catalog_cli.model.values import percent
from catalog_cli.schema import load_schema

UNKNOWN = "（未填）"  # the group of a leaf whose value is not filled in


@dataclass(frozen=True)
class Share:
    """How many leaves satisfy a share rule."""

    name: str
    note: str
    count: int
    total: int

    @property
    def pct(self) -> float | None:
        return percent(self.count, self.total)


@dataclass(frozen=True)
class Breakdown:
    """(name, main items, leaves, situations) per key of one dimension."""

    dimension: str
    rows: tuple[tuple[str, int, int, int], ...]


@dataclass(frozen=True)
class StatsResult:
    """Every figure ``catalog stats`` reports."""

    files: tuple[str, ...]
    main_items: int
    leaves: int
    situations: int
    breakdowns: tuple[Breakdown, ...]
    shares: tuple[Share, ...]
    visits: tuple[tuple[int, int], ...]
    visits_unknown: int
    visits_mean: float | None
    materials_mean: float | None
    materials_max: int
    steps_mean: float | None
    steps_max: int

    def visits_share(self, leaves: int) -> float | None:
        """The share of all leaves that ``leaves`` is (a row of the visits distribution)."""
        return percent(leaves, self.leaves)


def _label(table: str, code: str | None) -> str:
    if not code:
        return UNKNOWN
    return load_schema().tables[table].label(code)


def _levels(codes: Sequence[str]) -> list[str]:
    return [_label("exercise_level", c) for c in codes] or [UNKNOWN]


def breakdown(
    dimension: str,
    catalog: Catalog,
    main_keys: Callable[[MainItem], Iterable[str]],
    leaf_keys: Callable[[Leaf], Iterable[str]],
) -> Breakdown:
    """Main items, leaves and situations under each key (a multi-valued key counts in each)."""
    mains: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    situations: Counter[str] = Counter()
    for main in catalog.main_items:
        mains.update(set(main_keys(main)))
    for leaf in catalog.iter_leaves():
        keys = set(leaf_keys(leaf))
        leaves.update(keys)
        for key in keys:
            situations[key] += len(leaf.situations)
    names = sorted(set(mains) | set(leaves), key=lambda k: (-leaves[k], -mains[k], k))
    return Breakdown(dimension, tuple((n, mains[n], leaves[n], situations[n]) for n in names))


def breakdowns(catalog: Catalog) -> tuple[Breakdown, ...]:
    """By 事项类型, by 部门 (the leaf's agency, the main item's department) and by 行使层级."""
    return (
        breakdown(
            "事项类型",
            catalog,
            lambda main: [_label("item_type", main.item_type)],
            lambda leaf: [_label("item_type", leaf.item_type)],
        ),
        breakdown(
            "部门",
            catalog,
            lambda main: [main.department or UNKNOWN],
            lambda leaf: [leaf.agency or UNKNOWN],
        ),
        breakdown(
            "行使层级",
            catalog,
            lambda main: _levels(main.exercise_level),
            lambda leaf: _levels(leaf.exercise_level),
        ),
    )


def share(rule: dict[str, Any], leaves: list[Leaf]) -> Share:
    """How many of ``leaves`` satisfy one share rule."""
    count = sum(1 for leaf in leaves if holds(rule["when"], leaf))
    return Share(rule["name"], rule.get("note", ""), count, len(leaves))


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _visits(leaf: Leaf) -> int | None:
    visits = leaf.visits
    return visits if isinstance(visits, int) and not isinstance(visits, bool) else None


def compute_stats(
    catalog: Catalog, rules: list[dict[str, Any]], files: Iterable[str] = ()
) -> StatsResult:
    """All the figures of ``catalog stats`` for a catalog already read and the share rules."""
    leaves = list(catalog.iter_leaves())
    visits = [v for leaf in leaves if (v := _visits(leaf)) is not None]
    materials = [len(leaf.materials) for leaf in leaves]
    steps = [len(leaf.steps) for leaf in leaves]
    return StatsResult(
        files=tuple(files),
        main_items=len(catalog.main_items),
        leaves=len(leaves),
        situations=sum(len(leaf.situations) for leaf in leaves),
        breakdowns=breakdowns(catalog),
        shares=tuple(share(rule, leaves) for rule in rules),
        visits=tuple(sorted(Counter(visits).items())),
        visits_unknown=len(leaves) - len(visits),
        visits_mean=_mean(visits),
        materials_mean=_mean(materials),
        materials_max=max(materials, default=0),
        steps_mean=_mean(steps),
        steps_max=max(steps, default=0),
    )
