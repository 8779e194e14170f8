"""``catalog stats``: counts by type, department and level; the 马上办 / 网上办 / 就近办 / 一次办 shares;
visits, fees, materials and steps per leaf — with percentages to two decimals as reports write them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog_cli.analyses.rules import holds
from catalog_cli.model import Catalog, Leaf, MainItem
from catalog_cli.read import read_catalog
from catalog_cli.report.tables import Table, number_text, pct_text, percent
from catalog_cli.schema import load_schema, load_share_rules

UNKNOWN = "（未填）"


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
    """Main items, leaves and situations counted by one dimension."""

    dimension: str
    rows: tuple[tuple[str, int, int, int], ...]


@dataclass(frozen=True)
class StatsReport:
    """Everything ``catalog stats`` reports, for every renderer."""

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
    title: str = field(default="目录统计")

    def sentences(self) -> list[str]:
        out = [
            f"共有主项 {self.main_items} 项、子项 {self.leaves} 项、办理情形 {self.situations} 个。"
        ]
        out += [f"{s.name} {s.count} 项，占比 {pct_text(s.pct)}" for s in self.shares]
        out.append(
            f"平均到办事现场次数 {number_text(self.visits_mean)} 次；每个子项平均申请材料 {number_text(self.materials_mean)} 份"
            f"（最多 {self.materials_max} 份）、办理环节 {number_text(self.steps_mean)} 个（最多 {self.steps_max} 个）。"
        )
        return out

    def summary_tables(self) -> list[Table]:
        tables = [
            Table(f"按{b.dimension}", (b.dimension, "主项", "子项", "办理情形"), b.rows)
            for b in self.breakdowns
        ]
        tables.append(
            Table(
                "占比",
                ("口径", "子项数", "占比", "说明"),
                tuple((s.name, s.count, pct_text(s.pct), s.note) for s in self.shares),
            )
        )
        visits = [(str(v), n, pct_text(percent(n, self.leaves))) for v, n in self.visits]
        if self.visits_unknown:
            visits.append(
                (UNKNOWN, self.visits_unknown, pct_text(percent(self.visits_unknown, self.leaves)))
            )
        tables.append(Table("到办事现场次数分布", ("次数", "子项数", "占比"), tuple(visits)))
        return tables

    def detail_table(self) -> Table | None:
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (keys documented in docs/stats.md)."""
        return {
            "files": list(self.files),
            "counts": {
                "main_items": self.main_items,
                "leaves": self.leaves,
                "situations": self.situations,
            },
            "by": {
                b.dimension: [
                    {"name": n, "main_items": m, "leaves": l, "situations": s}
                    for n, m, l, s in b.rows
                ]
                for b in self.breakdowns
            },
            "shares": [
                {
                    "name": s.name,
                    "count": s.count,
                    "total": s.total,
                    "percent": s.pct,
                    "note": s.note,
                }
                for s in self.shares
            ],
            "visits": {
                "distribution": [{"visits": v, "leaves": n} for v, n in self.visits],
                "unknown": self.visits_unknown,
                "mean": self.visits_mean,
            },
            "materials_per_leaf": {"mean": self.materials_mean, "max": self.materials_max},
            "steps_per_leaf": {"mean": self.steps_mean, "max": self.steps_max},
            "sentences": self.sentences(),
        }


def _label(table: str, code: str | None) -> str:
    if not code:
        return UNKNOWN
    return load_schema().tables[table].label(code)


def breakdown(
    dimension: str,
    catalog: Catalog,
    main_keys: Callable[[MainItem], Iterable[str]],
    leaf_keys: Callable[[Leaf], Iterable[str]],
) -> Breakdown:
    """Count main items, leaves and situations under each key of one dimension (a multi-valued key counts in each)."""
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


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def compute_stats(
    catalog: Catalog, rules: list[dict[str, Any]] | None = None, files: Iterable[str] = ()
) -> StatsReport:
    """All the figures ``catalog stats`` prints, for a catalog already read."""
    rules = rules if rules is not None else load_share_rules()
    leaves = list(catalog.iter_leaves())
    levels = lambda codes: [_label("exercise_level", c) for c in codes] or [UNKNOWN]  # noqa: E731
    breakdowns = (
        breakdown(
            "事项类型",
            catalog,
            lambda m: [_label("item_type", m.item_type)],
            lambda l: [_label("item_type", l.item_type)],
        ),
        breakdown(
            "部门", catalog, lambda m: [m.department or UNKNOWN], lambda l: [l.agency or UNKNOWN]
        ),
        breakdown(
            "行使层级",
            catalog,
            lambda m: levels(m.exercise_level),
            lambda l: levels(l.exercise_level),
        ),
    )
    shares = tuple(
        Share(
            r["name"], r.get("note", ""), sum(1 for l in leaves if holds(r["when"], l)), len(leaves)
        )
        for r in rules
    )
    visits = [
        l.visits for l in leaves if isinstance(l.visits, int) and not isinstance(l.visits, bool)
    ]
    materials = [len(l.materials) for l in leaves]
    steps = [len(l.steps) for l in leaves]
    return StatsReport(
        files=tuple(files),
        main_items=len(catalog.main_items),
        leaves=len(leaves),
        situations=sum(len(l.situations) for l in leaves),
        breakdowns=breakdowns,
        shares=shares,
        visits=tuple(sorted(Counter(visits).items())),
        visits_unknown=len(leaves) - len(visits),
        visits_mean=_mean(visits),
        materials_mean=_mean(materials),
        materials_max=max(materials, default=0),
        steps_mean=_mean(steps),
        steps_max=max(steps, default=0),
    )


def stats_paths(
    sources: Iterable[Path | str], *, rules: Path | None = None, encoding: str | None = None
) -> tuple[StatsReport, list]:
    """Read inputs and compute their statistics; returns the report and the inputs that could not be read."""
    result = read_catalog(sources, encoding=encoding, strict=False)
    return compute_stats(result.catalog, load_share_rules(rules), result.files), result.errors
