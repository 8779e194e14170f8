"""``catalog reduce``: reductions as the reform reports state them (domain §5, §7).

- against the legal limit: per leaf saved = 法定 − 承诺 in the same unit (即办 promised = 0);
- against a baseline catalog: leaves matched by 实施编码, then 基本编码 (+ 业务办理项编码), then
  normalized name; before → after for items, required materials, steps, promised time, visits;
- 一件事 bundles: the members summed (and with shared materials counted once) against the bundle.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from catalog_cli.analyses.match import Pair, match_leaves
from catalog_cli.model import Bundle, Catalog, Leaf, TimeLimit, record_from_dict
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.text import fold_name
from catalog_cli.model.values import parse_time_limit
from catalog_cli.read import read_catalog
from catalog_cli.report.tables import Table, number_text, pct_text, percent
from catalog_cli.schema import load_schema, time_unit_of

BUCKETS = (
    (0, 0, "0%"),
    (0, 20, "0–20%"),
    (20, 40, "20–40%"),
    (40, 60, "40–60%"),
    (60, 80, "60–80%"),
    (80, 100, "80–100%"),
)
OPTIONAL = ("非必要",)


# --- helpers ---------------------------------------------------------------------------------


def comparable(
    legal: TimeLimit | None, promised: TimeLimit | None
) -> tuple[str, float, float] | str:
    """(unit, legal value, promised value) when the two limits can be compared, else the reason why not."""
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
    """(unit, before, after) when two promised limits share a unit (即办 = 0 in the other's unit), else None."""
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
    """Names of the materials an applicant must hand in (necessity other than 非必要; unknown counts as required)."""
    return [m.name or "" for m in leaf.materials if m.necessity not in OPTIONAL]


def situation_range(leaf: Leaf) -> tuple[int, int]:
    """(most, fewest) required materials over the leaf's situations; the leaf's own count without situations."""
    required = {fold_name(n) for n in required_materials(leaf)}
    counts = [sum(1 for n in s.materials if fold_name(n) in required) for s in leaf.situations]
    if not counts:
        n = len(required_materials(leaf))
        return n, n
    return max(counts), min(counts)


def _visits(leaf: Leaf) -> int | None:
    return (
        leaf.visits if isinstance(leaf.visits, int) and not isinstance(leaf.visits, bool) else None
    )


def _type_label(code: str | None) -> str:
    return load_schema().tables["item_type"].label(code) if code else "（未填）"


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


def legal_rows(catalog: Catalog, ceiling: float | None = None) -> list[LegalRow]:
    """Every leaf against its legal limit, with the reason when it cannot be compared."""
    rows = []
    for leaf in catalog.iter_leaves():
        found = comparable(leaf.legal_limit, leaf.promised_limit)
        legal_text = leaf.legal_limit.text if leaf.legal_limit else ""
        promised_text = leaf.promised_limit.text if leaf.promised_limit else ""
        common = (
            leaf.impl_code,
            leaf.name,
            leaf.agency,
            _type_label(leaf.item_type),
            legal_text,
            promised_text,
        )
        if isinstance(found, str):
            rows.append(LegalRow(*common, None, None, None, None, None, found))
            continue
        unit, legal, promised = found
        saved = legal - promised
        over = ceiling is not None and promised > ceiling * legal
        rows.append(
            LegalRow(*common, unit, legal, promised, saved, percent(saved, legal), None, over)
        )
    return rows


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
    """Required materials (leaf; worst and best situation), steps, promised time per unit, visits."""
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
        if (v_b := _visits(p.before)) is not None and (v_a := _visits(p.after)) is not None
    ]
    measures.append(
        Measure("到办事现场次数", "次", sum(b for b, _ in visits), sum(a for _, a in visits))
    )
    return measures


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


def bundle_result(bundle: Bundle, leaves: dict[str, Leaf]) -> BundleResult:
    members = [leaves[code] for code in bundle.members if code in leaves]
    missing = tuple(code for code in bundle.members if code not in leaves)
    names = [fold_name(n) for leaf in members for n in required_materials(leaf)]
    units = {
        l.promised_limit.unit
        for l in members
        if l.promised_limit and l.promised_limit.unit not in (None, "即办")
    }
    unit = next(iter(units)) if len(units) == 1 else ("工作日" if not units else None)
    time_sum = None
    if unit and all(l.promised_limit and l.promised_limit.unit in (unit, "即办") for l in members):
        time_sum = sum(
            0 if l.promised_limit.unit == "即办" else l.promised_limit.value or 0 for l in members
        )  # type: ignore[union-attr]
    after = bundle.promised_limit
    time_after = None
    if after is not None and after.unit == "即办":
        time_after = 0
    elif after is not None and after.unit == unit:
        time_after = after.value
    visits = [v for l in members if (v := _visits(l)) is not None]
    as_int = lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None  # noqa: E731
    return BundleResult(
        name=bundle.name or "",
        members=len(members),
        missing=missing,
        materials_sum=len(names),
        materials_unique=len(set(names)),
        materials_after=as_int(bundle.material_count),
        steps_sum=sum(len(l.steps) for l in members),
        steps_after=as_int(bundle.step_count),
        time_unit=unit,
        time_sum=time_sum,
        time_after=time_after,
        visits_sum=sum(visits),
        visits_after=as_int(bundle.visits),
    )


def load_bundles(path: Path) -> list[Bundle]:
    """Bundles from a JSON or YAML file: a list of {name, members, material_count, step_count, promised_limit, visits}."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
        items = data.get("bundles", data) if isinstance(data, dict) else data
        bundles = []
        for item in items:
            item = dict(item)
            limit = item.pop("promised_limit", None)
            bundle = record_from_dict(Bundle, item)
            if limit is not None:
                bundle.promised_limit = (
                    parse_time_limit(str(limit), time_unit_of)
                    if not isinstance(limit, dict)
                    else TimeLimit(limit.get("value"), limit.get("unit"), limit.get("text", ""))
                )
            bundles.append(bundle)
        return bundles
    except (OSError, ValueError, TypeError, AttributeError, KeyError, yaml.YAMLError) as exc:
        raise CatalogInputError(
            str(path), f"一件事文件不正确：{str(exc).splitlines()[0]}"
        ) from None


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReduceReport:
    """Everything ``catalog reduce`` reports, for every renderer."""

    files: tuple[str, ...]
    legal: tuple[LegalRow, ...]
    ceiling: float | None = None
    baseline_files: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    before_only: tuple[Leaf, ...] = ()
    after_only: tuple[Leaf, ...] = ()
    baseline_items: int = 0
    bundles: tuple[BundleResult, ...] = ()
    title: str = field(default="减材料、减环节、减时限、减跑动")

    @property
    def has_baseline(self) -> bool:
        return bool(self.baseline_files)

    def totals(self) -> list[UnitTotal]:
        return unit_totals(self.legal)

    def excluded(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.legal:
            if row.excluded:
                counts[row.excluded] += 1
        return dict(counts)

    def distribution(self) -> list[tuple[str, int]]:
        rates = [r.rate for r in self.legal if r.rate is not None]
        out = []
        for low, high, label in BUCKETS:
            out.append((label, sum(1 for x in rates if (x == 0 if high == 0 else low < x <= high))))
        return out

    def by_group(self, key: str) -> list[UnitTotal]:
        groups: dict[str, list[LegalRow]] = defaultdict(list)
        for row in self.legal:
            groups[getattr(row, key) or "（未填）"].append(row)
        return [t for name in sorted(groups) for t in unit_totals(groups[name], name)]

    def measures(self) -> list[Measure]:
        return baseline_measures(list(self.pairs)) if self.has_baseline else []

    def sentences(self) -> list[str]:
        out = [
            f"较法定时限减少 {number_text(t.saved)} 个{t.unit}、精简 {pct_text(t.rate)}"
            for t in self.totals()
        ]
        compared = sum(1 for r in self.legal if r.excluded is None)
        excluded = self.excluded()
        if excluded:
            detail = "，".join(f"{reason} {n} 项" for reason, n in excluded.items())
            out.append(
                f"参与计算的子项 {compared} 项；未计入 {sum(excluded.values())} 项（{detail}）"
            )
        else:
            out.append(f"参与计算的子项 {compared} 项")
        if self.ceiling is not None:
            over = sum(1 for r in self.legal if r.over_ceiling)
            out.append(f"承诺时限超过法定时限 {self.ceiling * 100:.0f}% 的子项 {over} 项")
        if self.has_baseline:
            after = len(self.legal)
            change = "减少" if self.baseline_items >= after else "增加"
            out.append(
                f"事项由 {self.baseline_items} 项{change}为 {after} 项，{change} {abs(self.baseline_items - after)} 项"
            )
            for m in self.measures():
                out.append(_measure_sentence(m))
        for b in self.bundles:
            out.append(_bundle_sentence(b))
        if self.bundles:
            out.append(_bundle_average(self.bundles))
        return out

    def summary_tables(self) -> list[Table]:
        tables = [
            Table(
                "较法定时限",
                ("单位", "子项数", "法定时限合计", "减少", "精简"),
                tuple(
                    (t.unit, t.leaves, t.legal, t.saved, pct_text(t.rate)) for t in self.totals()
                ),
            ),
            Table("未计入的子项", ("原因", "子项数"), tuple(self.excluded().items())),
            Table(
                "按部门（较法定时限）",
                ("部门", "单位", "子项数", "法定时限合计", "减少", "精简"),
                tuple(
                    (t.group, t.unit, t.leaves, t.legal, t.saved, pct_text(t.rate))
                    for t in self.by_group("department")
                ),
            ),
            Table(
                "按事项类型（较法定时限）",
                ("事项类型", "单位", "子项数", "法定时限合计", "减少", "精简"),
                tuple(
                    (t.group, t.unit, t.leaves, t.legal, t.saved, pct_text(t.rate))
                    for t in self.by_group("item_type")
                ),
            ),
            Table("压缩比例分布", ("压缩比例", "子项数"), tuple(self.distribution())),
        ]
        if self.ceiling is not None:
            tables.append(
                Table(
                    f"承诺时限超过法定时限 {self.ceiling * 100:.0f}% 的子项",
                    ("实施编码", "事项名称", "法定", "承诺"),
                    tuple(
                        (r.impl_code, r.name, r.legal, r.promised)
                        for r in self.legal
                        if r.over_ceiling
                    ),
                )
            )
        if self.has_baseline:
            tables.append(
                Table(
                    "较基线目录",
                    ("项目", "之前", "现在", "减少", "精简"),
                    (
                        (
                            "事项（项）",
                            self.baseline_items,
                            len(self.legal),
                            self.baseline_items - len(self.legal),
                            pct_text(
                                percent(self.baseline_items - len(self.legal), self.baseline_items)
                            ),
                        ),
                    )
                    + tuple(
                        (f"{m.name}（{m.unit}）", m.before, m.after, m.reduced, pct_text(m.rate))
                        for m in self.measures()
                    ),
                )
            )
            tables.append(
                Table(
                    "按部门（较基线目录）",
                    (
                        "部门",
                        "材料之前",
                        "材料现在",
                        "环节之前",
                        "环节现在",
                        "跑动之前",
                        "跑动现在",
                    ),
                    self._baseline_by_department(),
                )
            )
            tables.append(
                Table(
                    "基线中有、现在没有的子项",
                    ("实施编码", "事项名称"),
                    tuple((l.impl_code, l.name) for l in self.before_only),
                )
            )
            tables.append(
                Table(
                    "现在新增的子项",
                    ("实施编码", "事项名称"),
                    tuple((l.impl_code, l.name) for l in self.after_only),
                )
            )
        if self.bundles:
            tables.append(
                Table(
                    "一件事",
                    (
                        "名称",
                        "成员",
                        "材料（合计）",
                        "材料（去重）",
                        "材料（之后）",
                        "环节之前",
                        "环节之后",
                        "时限之前",
                        "时限之后",
                        "跑动之前",
                        "跑动之后",
                    ),
                    tuple(
                        (
                            b.name,
                            b.members,
                            b.materials_sum,
                            b.materials_unique,
                            b.materials_after,
                            b.steps_sum,
                            b.steps_after,
                            _limit(b.time_sum, b.time_unit),
                            _limit(b.time_after, b.time_unit),
                            b.visits_sum,
                            b.visits_after,
                        )
                        for b in self.bundles
                    ),
                )
            )
        return tables

    def _baseline_by_department(self) -> tuple[tuple[Any, ...], ...]:
        acc: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
        for p in self.pairs:
            row = acc[p.after.agency or "（未填）"]
            row[0] += len(required_materials(p.before))
            row[1] += len(required_materials(p.after))
            row[2] += len(p.before.steps)
            row[3] += len(p.after.steps)
            row[4] += _visits(p.before) or 0
            row[5] += _visits(p.after) or 0
        return tuple((name, *values) for name, values in sorted(acc.items()))

    def detail_table(self) -> Table | None:
        return Table(
            "子项明细",
            (
                "实施编码",
                "事项名称",
                "部门",
                "事项类型",
                "法定",
                "承诺",
                "单位",
                "减少",
                "压缩比例",
                "未计入原因",
            ),
            tuple(
                (
                    r.impl_code,
                    r.name,
                    r.department,
                    r.item_type,
                    r.legal,
                    r.promised,
                    r.unit,
                    r.saved,
                    pct_text(r.rate) if r.rate is not None else None,
                    r.excluded,
                )
                for r in self.legal
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (keys documented in docs/reduce.md)."""
        data: dict[str, Any] = {
            "files": list(self.files),
            "legal": {
                "totals": [
                    {
                        "unit": t.unit,
                        "leaves": t.leaves,
                        "legal": t.legal,
                        "saved": t.saved,
                        "percent": t.rate,
                    }
                    for t in self.totals()
                ],
                "excluded": self.excluded(),
                "by_department": [
                    {
                        "department": t.group,
                        "unit": t.unit,
                        "leaves": t.leaves,
                        "legal": t.legal,
                        "saved": t.saved,
                        "percent": t.rate,
                    }
                    for t in self.by_group("department")
                ],
                "by_item_type": [
                    {
                        "item_type": t.group,
                        "unit": t.unit,
                        "leaves": t.leaves,
                        "legal": t.legal,
                        "saved": t.saved,
                        "percent": t.rate,
                    }
                    for t in self.by_group("item_type")
                ],
                "distribution": [
                    {"bucket": label, "leaves": n} for label, n in self.distribution()
                ],
                "ceiling": self.ceiling,
                "over_ceiling": [r.impl_code for r in self.legal if r.over_ceiling],
                "leaves": [
                    {
                        "impl_code": r.impl_code,
                        "name": r.name,
                        "department": r.department,
                        "item_type": r.item_type,
                        "legal": r.legal,
                        "promised": r.promised,
                        "unit": r.unit,
                        "saved": r.saved,
                        "percent": r.rate,
                        "excluded": r.excluded,
                    }
                    for r in self.legal
                ],
            },
        }
        if self.has_baseline:
            data["baseline"] = {
                "files": list(self.baseline_files),
                "items": {"before": self.baseline_items, "after": len(self.legal)},
                "measures": [
                    {
                        "name": m.name,
                        "unit": m.unit,
                        "before": m.before,
                        "after": m.after,
                        "reduced": m.reduced,
                        "percent": m.rate,
                    }
                    for m in self.measures()
                ],
                "matched": [
                    {"before": p.before.impl_code, "after": p.after.impl_code, "by": p.matched_by}
                    for p in self.pairs
                ],
                "before_only": [l.impl_code or l.name for l in self.before_only],
                "after_only": [l.impl_code or l.name for l in self.after_only],
            }
        if self.bundles:
            data["bundles"] = {
                "items": [
                    {
                        "name": b.name,
                        "members": b.members,
                        "missing": list(b.missing),
                        "materials": {
                            "before": b.materials_sum,
                            "before_unique": b.materials_unique,
                            "after": b.materials_after,
                        },
                        "steps": {"before": b.steps_sum, "after": b.steps_after},
                        "time": {"unit": b.time_unit, "before": b.time_sum, "after": b.time_after},
                        "visits": {"before": b.visits_sum, "after": b.visits_after},
                        "percent": b.rates(),
                    }
                    for b in self.bundles
                ],
                "average_percent": _averages(self.bundles),
            }
        data["sentences"] = self.sentences()
        return data


def _limit(value: float | None, unit: str | None) -> str | None:
    return None if value is None or unit is None else f"{number_text(value)}个{unit}"


def change_text(before: float, after: float, unit: str, down: str, up: str = "增加为") -> str:
    """“由 19 份简化为 4 份” in the direction the numbers went (“未变” when they did not)."""
    if after == before:
        return f"仍为 {number_text(before)} {unit}"
    return f"由 {number_text(before)} {unit}{down if after < before else up} {number_text(after)} {unit}"


def _measure_sentence(m: Measure) -> str:
    if m.name == "申请材料":
        return f"申请材料{change_text(m.before, m.after, '份', '减少为')}，减材料 {number_text(m.reduced)} 份，精简 {pct_text(m.rate)}"
    if m.name.startswith("申请材料（"):
        return (
            f"{m.name}：{change_text(m.before, m.after, '份', '减少为')}，精简 {pct_text(m.rate)}"
        )
    if m.name == "办理环节":
        return f"办理环节{change_text(m.before, m.after, '个', '减少为')}，精简 {pct_text(m.rate)}"
    if m.name == "承诺办结时限":
        return f"承诺办结时限{change_text(m.before, m.after, m.unit, '缩短至', '延长至')}，压缩 {pct_text(m.rate)}"
    return f"到办事现场次数{change_text(m.before, m.after, '次', '减少为')}，平均办事跑动减少 {pct_text(m.rate)}"


def _bundle_sentence(b: BundleResult) -> str:
    parts = []
    if b.materials_after is not None:
        parts.append(
            f"申请材料{change_text(b.materials_sum, b.materials_after, '份', '简化为')}（重复材料只计一次为 {b.materials_unique} 份）"
        )
    if b.steps_after is not None:
        parts.append(f"办理环节{change_text(b.steps_sum, b.steps_after, '个', '减少为')}")
    if b.time_sum is not None and b.time_after is not None:
        parts.append(
            f"办理时限{change_text(b.time_sum, b.time_after, '个' + (b.time_unit or ''), '缩短至', '延长至')}"
        )
    if b.visits_after is not None:
        parts.append(f"跑动{change_text(b.visits_sum, b.visits_after, '次', '减少为')}")
    missing = f"（{len(b.missing)} 个成员实施编码不在目录中，未计入）" if b.missing else ""
    return f"{b.name}：" + "，".join(parts) + missing


def _averages(bundles: Iterable[BundleResult]) -> dict[str, float | None]:
    rates = [b.rates() for b in bundles]
    out = {}
    for key in ("materials", "steps", "time", "visits"):
        values = [r[key] for r in rates if r[key] is not None]
        out[key] = round(sum(values) / len(values), 2) if values else None
    return out


def _bundle_average(bundles: Iterable[BundleResult]) -> str:
    avg = _averages(bundles)
    return (
        f"一件事平均申请材料减少 {pct_text(avg['materials'])}、平均办事环节减少 {pct_text(avg['steps'])}、"
        f"平均办理时限缩短 {pct_text(avg['time'])}、平均跑动减少 {pct_text(avg['visits'])}"
    )


def compute_reduction(
    catalog: Catalog,
    *,
    ceiling: float | None = None,
    baseline: Catalog | None = None,
    baseline_files: Iterable[str] = (),
    bundles: list[Bundle] | None = None,
    files: Iterable[str] = (),
) -> ReduceReport:
    """The reduction report for a catalog already read (and optionally a baseline and bundles)."""
    leaves = list(catalog.iter_leaves())
    pairs: list[Pair] = []
    before_only: list[Leaf] = []
    after_only: list[Leaf] = []
    baseline_items = 0
    if baseline is not None:
        old = list(baseline.iter_leaves())
        baseline_items = len(old)
        pairs, before_only, after_only = match_leaves(old, leaves)
    by_code = {}
    for leaf in leaves:
        if leaf.impl_code:
            by_code.setdefault(leaf.impl_code, leaf)
    results = tuple(bundle_result(b, by_code) for b in (bundles or []))
    return ReduceReport(
        files=tuple(files),
        legal=tuple(legal_rows(catalog, ceiling)),
        ceiling=ceiling,
        baseline_files=tuple(baseline_files),
        pairs=tuple(pairs),
        before_only=tuple(before_only),
        after_only=tuple(after_only),
        baseline_items=baseline_items,
        bundles=results,
    )


def reduce_paths(
    sources: Iterable[Path | str],
    *,
    baseline: Iterable[Path | str] = (),
    ceiling: float | None = None,
    bundles: bool | Path = False,
    encoding: str | None = None,
) -> tuple[ReduceReport, list[CatalogInputError]]:
    """Read the inputs (and the baseline) and compute every reduction; returns the report and unreadable inputs.

    ``bundles``: True uses the catalog's own 一件事 sheet, a path reads bundles from JSON / YAML.
    """
    result = read_catalog(sources, encoding=encoding, strict=False)
    errors = list(result.errors)
    old = None
    old_files: list[str] = []
    baseline = list(baseline)
    if baseline:
        old_result = read_catalog(baseline, encoding=encoding, strict=False)
        errors += old_result.errors
        old, old_files = old_result.catalog, old_result.files
    chosen = None
    if bundles is True:
        chosen = result.catalog.bundles
    elif bundles:
        chosen = load_bundles(Path(bundles))
    report = compute_reduction(
        result.catalog,
        ceiling=ceiling,
        baseline=old,
        baseline_files=old_files,
        bundles=chosen,
        files=result.files,
    )
    return report, errors
