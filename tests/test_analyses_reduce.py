"""Reductions worked out by hand (catalog_cli/analyses/reduce.py) on the catalogs of
reduce_catalogs.py (its docstring has the table of the six leaves)."""

from __future__ import annotations

from pathlib import Path

from reduce_catalogs import baseline, current  # noqa: F401  (the shared fixtures)

from catalog_cli.analyses.reduce import ReduceResult, compute_reduction
from catalog_cli.model.values import pct_text, percent
from catalog_cli.read import read_catalog
from catalog_cli.read.bundles import load_bundles

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def reduce_of(
    path: Path,
    *,
    baseline_path: Path | None = None,
    ceiling: float | None = None,
    bundles: bool | Path = False,
) -> ReduceResult:
    """Read the inputs as the command does and compute every reduction."""
    read = read_catalog([path], strict=False)
    assert not read.errors
    old = read_catalog([baseline_path], strict=False) if baseline_path else None
    assert not (old and old.errors)
    if isinstance(bundles, Path):
        chosen = load_bundles(bundles)
    else:
        chosen = read.catalog.bundles if bundles else None
    return compute_reduction(
        read.catalog,
        ceiling=ceiling,
        baseline=old.catalog if old else None,
        baseline_files=old.files if old else (),
        bundles=chosen,
        files=read.files,
    )


def test_against_the_legal_limit(current):  # noqa: F811
    report = reduce_of(current[0], ceiling=0.3)
    totals = {t.unit: (t.leaves, t.legal, t.saved, t.rate) for t in report.totals()}
    assert totals == {"工作日": (2, 40, 35, 87.5), "自然日": (1, 60, 15, 25.0)}
    assert report.excluded() == {
        "无法定时限": 1,
        "单位不同（法定自然日，承诺工作日）": 1,
        "法定时限为即办": 1,
    }
    assert report.compared() == 3
    assert dict(report.distribution()) == {
        "0%": 0,
        "0–20%": 0,
        "20–40%": 1,
        "40–60%": 0,
        "60–80%": 1,
        "80–100%": 1,
    }
    assert [r.name for r in report.over_ceiling()] == ["事项6"]  # 45 > 0.3 × 60; L1: 5 ≤ 6


def test_against_the_baseline(current, baseline):  # noqa: F811
    report = reduce_of(current[0], baseline_path=baseline)
    measures = {(m.name, m.unit): (m.before, m.after, m.rate) for m in report.measures()}
    # required materials: B1 2+2, B2 2+1, B3 2 = 9 → L1 2, L2 2, L6 2 = 6
    assert measures[("申请材料", "份")] == (9, 6, 33.33)
    # by situation: L1 worst 2 / best 1, the others 2 each; the baseline has no situations
    assert measures[("申请材料（按情形最多）", "份")] == (9, 6, 33.33)
    assert measures[("申请材料（按情形最少）", "份")] == (9, 5, 44.44)
    assert measures[("办理环节", "个")] == (12, 9, 25.0)  # 5 + 4 + 3 → 3 × 3
    assert measures[("承诺办结时限", "个工作日")] == (13, 5, 61.54)  # 10 + 3 → 5 + 即办
    assert measures[("承诺办结时限", "个自然日")] == (60, 45, 25.0)
    assert measures[("到办事现场次数", "次")] == (4, 2, 50.0)  # 2 + 1 + 1 → 1 + 0 + 1
    assert (report.baseline_items, len(report.legal)) == (4, 6)
    # one department: materials 9 → 6, steps 12 → 9, visits 4 → 2
    assert report.baseline_by_department() == (("江淮市市场监督管理局", 9, 6, 12, 9, 4, 2),)


def test_bundles(current):  # noqa: F811
    report = reduce_of(current[0], bundles=True)
    a, b = report.bundles
    assert (a.materials_sum, a.materials_unique, a.steps_sum, a.time_sum, a.visits_sum) == (
        4,
        2,
        6,
        5,
        1,
    )
    assert a.rates() == {"materials": 25.0, "steps": 83.33, "time": 40.0, "visits": 100.0}
    assert (b.materials_sum, b.materials_unique, b.time_sum) == (
        6,
        2,
        None,
    )  # 工作日 and 自然日 members
    assert b.rates() == {"materials": 50.0, "steps": 66.67, "time": None, "visits": 50.0}
    assert report.bundle_averages() == {
        "materials": 37.5,
        "steps": 75.0,
        "time": 40.0,
        "visits": 75.0,
    }


def test_division_by_zero_is_undefined_not_an_error():
    assert percent(3, 0) is None and pct_text(None) == "—"
    report = compute_reduction(read_catalog([]).catalog)
    assert report.totals() == [] and report.compared() == 0 and report.excluded() == {}


def test_samples_against_the_baseline():
    report = reduce_of(
        SAMPLES / "市级目录.xlsx", baseline_path=SAMPLES / "市级目录-2021版.xlsx", bundles=True
    )
    assert len(report.pairs) == 85 and len(report.before_only) == 4 and len(report.after_only) == 2
    assert [p.matched_by for p in report.pairs].count("基本编码") == 3 and [
        p.matched_by for p in report.pairs
    ].count("名称") == 2


def test_sample_legal_totals_are_plain_sums():
    catalog = read_catalog([SAMPLES / "市级目录.xlsx"]).catalog
    report = compute_reduction(catalog)
    expected: dict[str, list[float]] = {}
    for leaf in catalog.iter_leaves():
        legal, promised = leaf.legal_limit, leaf.promised_limit
        if (
            legal
            and legal.value
            and legal.unit not in ("无", "即办")
            and promised
            and promised.unit in (legal.unit, "即办")
        ):
            acc = expected.setdefault(legal.unit, [0, 0])
            acc[0] += legal.value
            acc[1] += legal.value - (0 if promised.unit == "即办" else promised.value)
    assert {t.unit: [t.legal, t.saved] for t in report.totals()} == expected
