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

from catalog_cli.analyses.rules import field_value, holds
from catalog_cli.model import Catalog, Leaf, MainItem
from catalog_cli.model.values import percent
from catalog_cli.schema import load_schema

UNKNOWN = "（未填）"  # the group of a leaf whose value is not filled in


@dataclass(frozen=True)
class Share:
    """How many leaves satisfy a share rule, of how many (``total``, the denominator).

    ``unfilled`` leaves have every element the rule reads empty: when that is every leaf there
    is no data (``no_data``) and no percentage, rather than a false 0 %.
    """

    name: str
    note: str
    count: int
    total: int
    unfilled: int = 0

    @property
    def no_data(self) -> bool:
        """True when the rule's elements are empty for every leaf (and there are leaves)."""
        return self.total > 0 and self.unfilled == self.total

    @property
    def pct(self) -> float | None:
        return None if self.no_data else percent(self.count, self.total)


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
    materials_total: int = 0
    steps_total: int = 0

    def visits_share(self, leaves: int) -> float | None:
        """The share of all leaves that ``leaves`` is (a row of the visits distribution)."""
        return percent(leaves, self.leaves)


def _label(table: str, code: str | None) -> str:
    if not code:
        return UNKNOWN
    return load_schema().tables[table].label(code)


def _levels(codes: Sequence[str]) -> list[str]:
    return [_label("exercise_level", c) for c in codes] or [UNKNOWN]


def _type_keys(code: str | None) -> list[str]:
    return [_label("item_type", code)]


def _name_keys(name: str | None) -> list[str]:
    return [name or UNKNOWN]


KeysOf = Callable[[Any], Iterable[str]]

# (dimension, main item field, leaf field, the keys a field's value counts under)
DIMENSIONS: tuple[tuple[str, str, str, KeysOf], ...] = (
    ("事项类型", "item_type", "item_type", _type_keys),
    ("部门", "department", "agency", _name_keys),
    ("行使层级", "exercise_level", "exercise_level", _levels),
)


def ranked(
    dimension: str, mains: Counter[str], leaves: Counter[str], situations: Counter[str]
) -> Breakdown:
    """A breakdown from its counts: by leaves, then main items (both descending), then name."""
    names = sorted(set(mains) | set(leaves), key=lambda k: (-leaves[k], -mains[k], k))
    return Breakdown(dimension, tuple((n, mains[n], leaves[n], situations[n]) for n in names))


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
    return ranked(dimension, mains, leaves, situations)


def _keys_by(field: str, keys: KeysOf) -> Callable[[Any], Iterable[str]]:
    return lambda record: keys(getattr(record, field))


def breakdowns(catalog: Catalog) -> tuple[Breakdown, ...]:
    """By 事项类型, by 部门 (the leaf's agency, the main item's department) and by 行使层级."""
    return tuple(
        breakdown(dimension, catalog, _keys_by(main_field, keys), _keys_by(leaf_field, keys))
        for dimension, main_field, leaf_field, keys in DIMENSIONS
    )


def rule_fields(condition: dict[str, Any]) -> set[str]:
    """The fields a share-rule condition reads."""
    for key in ("any", "all"):
        if key in condition:
            return set().union(*(rule_fields(c) for c in condition[key]))
    if "not" in condition:
        return rule_fields(condition["not"])
    return {condition["field"]} if "field" in condition else set()


def blank(value: Any) -> bool:
    """Whether an element's value is empty (not filled in): None, blank text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple | dict) and not value


def share(rule: dict[str, Any], leaves: list[Leaf]) -> Share:
    """How many of ``leaves`` satisfy one share rule (and how many leave its elements empty)."""
    count = sum(1 for leaf in leaves if holds(rule["when"], leaf))
    fields = sorted(rule_fields(rule["when"]))
    unfilled = (
        sum(1 for leaf in leaves if all(blank(field_value(leaf, f)) for f in fields))
        if fields
        else 0
    )
    return Share(rule["name"], rule.get("note", ""), count, len(leaves), unfilled)


def ratio(total: int, count: int) -> float | None:
    """``total / count`` rounded to two decimals (None for no values): the means reported."""
    return round(total / count, 2) if count else None


def mean(values: list[int]) -> float | None:
    return ratio(sum(values), len(values))


def visits_of(value: Any) -> int | None:
    """A 到办事现场次数 value as a count (None for text, a boolean or a blank)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _visits(leaf: Leaf) -> int | None:
    return visits_of(leaf.visits)


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
        visits_mean=mean(visits),
        materials_mean=mean(materials),
        materials_max=max(materials, default=0),
        steps_mean=mean(steps),
        steps_max=max(steps, default=0),
        materials_total=sum(materials),
        steps_total=sum(steps),
    )


def combine_breakdowns(dimension: str, parts: Iterable[Breakdown]) -> Breakdown:
    """One dimension's breakdowns of several catalogs added up (ranked as one)."""
    mains: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    situations: Counter[str] = Counter()
    for part in parts:
        for name, m, n, s in part.rows:
            mains[name] += m
            leaves[name] += n
            situations[name] += s
    return ranked(dimension, mains, leaves, situations)


def combine_stats(results: Sequence[StatsResult]) -> StatsResult:
    """The figures of several catalogs (files) added up: counts and shares summed, the means of
    all their leaves. Every result must come from the same share rules."""
    visits: Counter[int] = Counter()
    for r in results:
        visits.update(dict(r.visits))
    counted = sum(visits.values())
    leaves = sum(r.leaves for r in results)
    materials = sum(r.materials_total for r in results)
    steps = sum(r.steps_total for r in results)
    first = results[0]
    return StatsResult(
        files=tuple(f for r in results for f in r.files),
        main_items=sum(r.main_items for r in results),
        leaves=leaves,
        situations=sum(r.situations for r in results),
        breakdowns=tuple(
            combine_breakdowns(b.dimension, (r.breakdowns[i] for r in results))
            for i, b in enumerate(first.breakdowns)
        ),
        shares=tuple(
            Share(
                s.name,
                s.note,
                sum(r.shares[i].count for r in results),
                sum(r.shares[i].total for r in results),
                sum(r.shares[i].unfilled for r in results),
            )
            for i, s in enumerate(first.shares)
        ),
        visits=tuple(sorted(visits.items())),
        visits_unknown=sum(r.visits_unknown for r in results),
        visits_mean=ratio(sum(v * c for v, c in visits.items()), counted),
        materials_mean=ratio(materials, leaves),
        materials_max=max(r.materials_max for r in results),
        steps_mean=ratio(steps, leaves),
        steps_max=max(r.steps_max for r in results),
        materials_total=materials,
        steps_total=steps,
    )
