"""The figures of ``catalog reduce``: reductions as the reform reports state them (domain §5, §7).

- against the legal limit: per leaf saved = 法定 − 承诺 in the same unit (即办 promised = 0);
- against a baseline catalog: leaves matched by 实施编码, then 基本编码 (+ 业务办理项编码), then
  folded name (analyses/match.py); before → after for items, required materials, steps,
  promised time, visits;
- 一件事 bundles: the members summed (and with shared materials counted once) against the bundle.

The sentences, tables and JSON are built in ``catalog_cli/report/reduce.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from catalog_cli.analyses.match import Pair, match_leaves
from catalog_cli.model import Bundle, Catalog, Leaf, TimeLimit
from catalog_cli.model.text import fold_name
from catalog_cli.model.values import percent
from catalog_cli.schema import load_schema

BUCKETS = (
    (0, 0, "0%"),
    (0, 20, "0–20%"),
    (20, 40, "20–40%"),
    (40, 60, "40–60%"),
    (60, 80, "60–80%"),
    (80, 100, "80–100%"),
)
OPTIONAL = ("非必要",)
UNKNOWN = "（未填）"  # the group of a leaf whose department or item type is not filled in
RATE_KEYS = ("materials", "steps", "time", "visits")
# (department, materials before, after, steps before, after, visits before, after)
DepartmentRow = tuple[str, int, int, int, int, int, int]


# --- helpers ---------------------------------------------------------------------------------


def comparable(
    legal: TimeLimit | None, promised: TimeLimit | None
) -> tuple[str, float, float] | str:
    """(unit, legal value, promised value) when the limits compare, else the reason they do not."""
    if legal is None or legal.value is None or legal.unit in (None, "无"):
        return "无法定时限"
    if legal.unit == "即办" or legal.value == 0:
        return "法定时限为即办"
    if (
        promised is None
        or promised.unit is None
        or (promised.value is None and promised.unit != "即办")
    ):
        return "承诺时限缺失或无法识别"
    if promised.unit == "即办":
        return legal.unit, legal.value, 0
    if promised.unit != legal.unit:
        return f"单位不同（法定{legal.unit}，承诺{promised.unit}）"
    return legal.unit, legal.value, promised.value  # type: ignore[return-value]


def same_unit(before: TimeLimit | None, after: TimeLimit | None) -> tuple[str, float, float] | None:
    """(unit, before, after) when two promised limits share a unit (即办 = 0 in the other's)."""
    if before is None or after is None or before.unit is None or after.unit is None:
        return None
    units = {before.unit, after.unit} - {"即办"}
    if len(units) != 1 or units & {"无"}:
        return None
    unit = units.pop()

    def value(limit: TimeLimit) -> float | None:
        return 0 if limit.unit == "即办" else limit.value

    b, a = value(before), value(after)
    return None if b is None or a is None else (unit, b, a)


def required_materials(leaf: Leaf) -> list[str]:
    """Names of the materials an applicant must hand in (all but 非必要; unknown is required)."""
    return [m.name or "" for m in leaf.materials if m.necessity not in OPTIONAL]


def situation_range(leaf: Leaf) -> tuple[int, int]:
    """(most, fewest) required materials over the leaf's situations; without any, the leaf's."""
    required = {fold_name(n) for n in required_materials(leaf)}
    counts = [sum(1 for n in s.materials if fold_name(n) in required) for s in leaf.situations]
    if not counts:
        n = len(required_materials(leaf))
        return n, n
    return max(counts), min(counts)


def visits_of(leaf: Leaf) -> int | None:
    """The leaf's 到办事现场次数 when it is a whole number, else None."""
    visits = leaf.visits
    return visits if isinstance(visits, int) and not isinstance(visits, bool) else None


def type_label(code: str | None) -> str:
    """The label of an item type code (``UNKNOWN`` when blank)."""
    return load_schema().tables["item_type"].label(code) if code else UNKNOWN


# --- against the legal limit -----------------------------------------------------------------


@dataclass(frozen=True)
class LegalRow:
    """One leaf against its legal limit."""

    impl_code: str | None
    name: str | None
    department: str | None
    item_type: str
    legal: str
    promised: str
    unit: str | None
    legal_value: float | None
    promised_value: float | None
    saved: float | None
    rate: float | None
    excluded: str | None
    over_ceiling: bool = False


@dataclass(frozen=True)
class UnitTotal:
    """Totals over the leaves compared in one unit."""

    group: str
    unit: str
    leaves: int
    legal: float
    saved: float

    @property
    def rate(self) -> float | None:
        return percent(self.saved, self.legal)


# (legal text, promised text, unit, legal value, promised value, saved, rate, excluded, over)
LegalFigures = tuple[
    str, str, str | None, float | None, float | None, float | None, float | None, str | None, bool
]


def legal_figures(
    legal: TimeLimit | None, promised: TimeLimit | None, ceiling: float | None = None
) -> LegalFigures:
    """The :class:`LegalRow` fields a leaf's two limits decide (all after its labels)."""
    legal_text = legal.text if legal else ""
    promised_text = promised.text if promised else ""
    found = comparable(legal, promised)
    if isinstance(found, str):
        return legal_text, promised_text, None, None, None, None, None, found, False
    unit, legal_value, promised_value = found
    saved = legal_value - promised_value
    over = ceiling is not None and promised_value > ceiling * legal_value
    rate = percent(saved, legal_value)
    return legal_text, promised_text, unit, legal_value, promised_value, saved, rate, None, over


def legal_rows(catalog: Catalog, ceiling: float | None = None) -> list[LegalRow]:
    """Every leaf against its legal limit, with the reason when it cannot be compared."""
    return [
        LegalRow(
            leaf.impl_code,
            leaf.name,
            leaf.agency,
            type_label(leaf.item_type),
            *legal_figures(leaf.legal_limit, leaf.promised_limit, ceiling),
        )
        for leaf in catalog.iter_leaves()
    ]


def unit_totals(rows: Iterable[LegalRow], group: str = "全部") -> list[UnitTotal]:
    """Σ法定 and Σ(法定 − 承诺) per unit over the compared rows."""
    acc: dict[str, list[float]] = {}
    for row in rows:
        if (
            row.excluded is not None
            or row.unit is None
            or row.saved is None
            or row.legal_value is None
        ):
            continue
        totals = acc.setdefault(row.unit, [0, 0.0, 0.0])
        totals[0] += 1
        totals[1] += row.legal_value
        totals[2] += row.saved
    return [
        UnitTotal(group, unit, int(v[0]), round(v[1], 2), round(v[2], 2)) for unit, v in acc.items()
    ]


# --- against a baseline ------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """Before → after for one measure over the matched leaves."""

    name: str
    unit: str
    before: float
    after: float

    @property
    def reduced(self) -> float:
        return self.before - self.after

    @property
    def rate(self) -> float | None:
        return percent(self.reduced, self.before)


def baseline_measures(pairs: list[Pair]) -> list[Measure]:
    """Required materials (leaf; worst and best situation), steps, promised time, visits."""
    measures = [
        Measure(
            "申请材料",
            "份",
            sum(len(required_materials(p.before)) for p in pairs),
            sum(len(required_materials(p.after)) for p in pairs),
        ),
        Measure(
            "申请材料（按情形最多）",
            "份",
            sum(situation_range(p.before)[0] for p in pairs),
            sum(situation_range(p.after)[0] for p in pairs),
        ),
        Measure(
            "申请材料（按情形最少）",
            "份",
            sum(situation_range(p.before)[1] for p in pairs),
            sum(situation_range(p.after)[1] for p in pairs),
        ),
        Measure(
            "办理环节",
            "个",
            sum(len(p.before.steps) for p in pairs),
            sum(len(p.after.steps) for p in pairs),
        ),
    ]
    times: dict[str, list[float]] = {}
    for p in pairs:
        found = same_unit(p.before.promised_limit, p.after.promised_limit)
        if found is not None:
            unit, before, after = found
            acc = times.setdefault(unit, [0.0, 0.0])
            acc[0] += before
            acc[1] += after
    measures += [Measure("承诺办结时限", f"个{unit}", v[0], v[1]) for unit, v in times.items()]
    visits = [
        (v_b, v_a)
        for p in pairs
        if (v_b := visits_of(p.before)) is not None and (v_a := visits_of(p.after)) is not None
    ]
    measures.append(
        Measure("到办事现场次数", "次", sum(b for b, _ in visits), sum(a for _, a in visits))
    )
    return measures


def baseline_by_department(pairs: Iterable[Pair]) -> tuple[DepartmentRow, ...]:
    """Per department now: materials, steps and visits before and after, over the matched leaves."""
    acc: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for p in pairs:
        row = acc[p.after.agency or UNKNOWN]
        row[0] += len(required_materials(p.before))
        row[1] += len(required_materials(p.after))
        row[2] += len(p.before.steps)
        row[3] += len(p.after.steps)
        row[4] += visits_of(p.before) or 0
        row[5] += visits_of(p.after) or 0
    return tuple((name, *values) for name, values in sorted(acc.items()))  # type: ignore[misc]


# --- 一件事 bundles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleResult:
    """A bundle: its members summed (before) against the bundle itself (after)."""

    name: str
    members: int
    missing: tuple[str, ...]
    materials_sum: int
    materials_unique: int
    materials_after: int | None
    steps_sum: int
    steps_after: int | None
    time_unit: str | None
    time_sum: float | None
    time_after: float | None
    visits_sum: int
    visits_after: int | None

    def rates(self) -> dict[str, float | None]:
        """Reduction percentages: materials (against the plain sum), steps, time, visits."""

        def rate(before: float | None, after: float | None) -> float | None:
            return None if before is None or after is None else percent(before - after, before)

        return {
            "materials": rate(self.materials_sum, self.materials_after),
            "steps": rate(self.steps_sum, self.steps_after),
            "time": rate(self.time_sum, self.time_after),
            "visits": rate(self.visits_sum, self.visits_after),
        }


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def bundle_result(bundle: Bundle, leaves: dict[str, Leaf]) -> BundleResult:
    """A bundle against its members (``leaves`` by 实施编码; members not there are missing)."""
    members = [leaves[code] for code in bundle.members if code in leaves]
    missing = tuple(code for code in bundle.members if code not in leaves)
    names = [fold_name(n) for leaf in members for n in required_materials(leaf)]
    units = {
        leaf.promised_limit.unit
        for leaf in members
        if leaf.promised_limit and leaf.promised_limit.unit not in (None, "即办")
    }
    unit = next(iter(units)) if len(units) == 1 else ("工作日" if not units else None)
    time_sum = None
    if unit and all(
        leaf.promised_limit and leaf.promised_limit.unit in (unit, "即办") for leaf in members
    ):
        time_sum = sum(
            0 if leaf.promised_limit.unit == "即办" else leaf.promised_limit.value or 0  # type: ignore[union-attr]
            for leaf in members
        )
    after = bundle.promised_limit
    time_after = None
    if after is not None and after.unit == "即办":
        time_after = 0
    elif after is not None and after.unit == unit:
        time_after = after.value
    visits = [v for leaf in members if (v := visits_of(leaf)) is not None]
    return BundleResult(
        name=bundle.name or "",
        members=len(members),
        missing=missing,
        materials_sum=len(names),
        materials_unique=len(set(names)),
        materials_after=_whole(bundle.material_count),
        steps_sum=sum(len(leaf.steps) for leaf in members),
        steps_after=_whole(bundle.step_count),
        time_unit=unit,
        time_sum=time_sum,
        time_after=time_after,
        visits_sum=sum(visits),
        visits_after=_whole(bundle.visits),
    )


def bundle_averages(bundles: Iterable[BundleResult]) -> dict[str, float | None]:
    """The mean of the bundles' reduction percentages, per measure (None when none has one)."""
    rates = [b.rates() for b in bundles]
    out = {}
    for key in RATE_KEYS:
        values = [r[key] for r in rates if r[key] is not None]
        out[key] = round(sum(values) / len(values), 2) if values else None
    return out


# --- the result ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReduceResult:
    """Every figure ``catalog reduce`` reports."""

    files: tuple[str, ...]
    legal: tuple[LegalRow, ...]
    ceiling: float | None = None
    baseline_files: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    before_only: tuple[Leaf, ...] = ()
    after_only: tuple[Leaf, ...] = ()
    baseline_items: int = 0
    bundles: tuple[BundleResult, ...] = ()

    @property
    def has_baseline(self) -> bool:
        return bool(self.baseline_files)

    def totals(self) -> list[UnitTotal]:
        """Against the legal limit, per unit over all leaves."""
        return unit_totals(self.legal)

    def compared(self) -> int:
        """How many leaves were compared with their legal limit."""
        return sum(1 for r in self.legal if r.excluded is None)

    def excluded(self) -> dict[str, int]:
        """Why leaves were not compared → how many, in order of first appearance."""
        counts: dict[str, int] = defaultdict(int)
        for row in self.legal:
            if row.excluded:
                counts[row.excluded] += 1
        return dict(counts)

    def over_ceiling(self) -> list[LegalRow]:
        """The leaves whose promised limit exceeds the ceiling share of the legal one."""
        return [r for r in self.legal if r.over_ceiling]

    def distribution(self) -> list[tuple[str, int]]:
        """How many compared leaves fall in each bucket of the saved share."""
        rates = [r.rate for r in self.legal if r.rate is not None]
        out = []
        for low, high, label in BUCKETS:
            out.append((label, sum(1 for x in rates if (x == 0 if high == 0 else low < x <= high))))
        return out

    def by_group(self, key: str) -> list[UnitTotal]:
        """Unit totals per value of a row field (``department``, ``item_type``), sorted."""
        groups: dict[str, list[LegalRow]] = defaultdict(list)
        for row in self.legal:
            groups[getattr(row, key) or UNKNOWN].append(row)
        return [t for name in sorted(groups) for t in unit_totals(groups[name], name)]

    def items_rate(self) -> float | None:
        """The share by which the number of leaves fell against the baseline."""
        return percent(self.baseline_items - len(self.legal), self.baseline_items)

    def measures(self) -> list[Measure]:
        """Before → after over the matched leaves (none without a baseline)."""
        return baseline_measures(list(self.pairs)) if self.has_baseline else []

    def baseline_by_department(self) -> tuple[DepartmentRow, ...]:
        """Materials, steps and visits before and after per department, over the matched leaves."""
        return baseline_by_department(self.pairs)

    def bundle_averages(self) -> dict[str, float | None]:
        """The mean reduction percentages over the bundles."""
        return bundle_averages(self.bundles)


def compute_reduction(
    catalog: Catalog,
    *,
    ceiling: float | None = None,
    baseline: Catalog | None = None,
    baseline_files: Iterable[str] = (),
    bundles: list[Bundle] | None = None,
    files: Iterable[str] = (),
) -> ReduceResult:
    """Every reduction for a catalog already read (and optionally a baseline and bundles)."""
    leaves = list(catalog.iter_leaves())
    pairs: list[Pair] = []
    before_only: list[Leaf] = []
    after_only: list[Leaf] = []
    baseline_items = 0
    if baseline is not None:
        old = list(baseline.iter_leaves())
        baseline_items = len(old)
        pairs, before_only, after_only = match_leaves(old, leaves)
    by_code: dict[str, Leaf] = {}
    for leaf in leaves:
        if leaf.impl_code:
            by_code.setdefault(leaf.impl_code, leaf)
    return ReduceResult(
        files=tuple(files),
        legal=tuple(legal_rows(catalog, ceiling)),
        ceiling=ceiling,
        baseline_files=tuple(baseline_files),
        pairs=tuple(pairs),
        before_only=tuple(before_only),
        after_only=tuple(after_only),
        baseline_items=baseline_items,
        bundles=tuple(bundle_result(b, by_code) for b in (bundles or [])),
    )


def combine_reductions(results: Sequence[ReduceResult]) -> ReduceResult:
    """The reductions of several catalogs (files, each against the same baseline) as one: the
    leaves, matched pairs, new leaves and bundles of all of them in file order; the baseline
    leaves that no file matched; the baseline counted once."""
    first = results[0]
    matched_all = [{id(leaf) for leaf in r.before_only} for r in results[1:]]
    before_only = tuple(
        leaf for leaf in first.before_only if all(id(leaf) in ids for ids in matched_all)
    )
    return ReduceResult(
        files=tuple(f for r in results for f in r.files),
        legal=tuple(row for r in results for row in r.legal),
        ceiling=first.ceiling,
        baseline_files=first.baseline_files,
        pairs=tuple(p for r in results for p in r.pairs),
        before_only=before_only,
        after_only=tuple(leaf for r in results for leaf in r.after_only),
        baseline_items=first.baseline_items,
        bundles=tuple(b for r in results for b in r.bundles),
    )
