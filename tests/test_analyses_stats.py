"""Statistics worked out by hand (catalog_cli/analyses/stats.py) on the six-leaf catalog of
reduce_catalogs.py."""

from __future__ import annotations

import json
from pathlib import Path

from reduce_catalogs import current  # noqa: F401  (the shared fixture)
from typer.testing import CliRunner

from catalog_cli.analyses.stats import StatsResult, compute_stats
from catalog_cli.cli import app
from catalog_cli.read import read_catalog
from catalog_cli.schema import load_share_rules

runner = CliRunner()


def stats_of(path: Path, rules: Path | None = None) -> StatsResult:
    """Read one input as the command does and compute its statistics."""
    read = read_catalog([path], strict=False)
    assert not read.errors
    return compute_stats(read.catalog, load_share_rules(rules), read.files)


def test_shares_counts_and_means(current):  # noqa: F811
    report = stats_of(current[0])
    assert (report.main_items, report.leaves, report.situations) == (1, 6, 2)
    shares = {s.name: (s.count, s.pct) for s in report.shares}
    assert shares == {
        "马上办": (2, 33.33),  # L2, L5 即办件
        "网上办": (6, 100.0),
        "全程网办": (1, 16.67),  # L2
        "就近办": (1, 16.67),  # L4 镇（乡、街道）级
        "一次办": (5, 83.33),  # visits 1,0,2,1,0,1 → all but L3
        "零跑动": (2, 33.33),
        "收费": (1, 16.67),  # L3
    }
    assert report.visits == ((0, 2), (1, 3), (2, 1)) and report.visits_mean == 0.83  # 5 / 6
    assert (report.materials_mean, report.materials_max, report.steps_mean, report.steps_max) == (
        3.0,
        3,
        3.0,
        3,
    )
    by_level = {b.dimension: b.rows for b in report.breakdowns}["行使层级"]
    assert by_level == (
        ("县级", 0, 6, 2),
        ("市级", 1, 5, 2),
        ("镇（乡、街道）级", 0, 1, 0),
    )  # fixture leaves are 市级、县级; L4 县级、镇级


def test_rules_file_overrides_the_defaults(current, tmp_path):  # noqa: F811
    rules = tmp_path / "口径.json"
    rules.write_text(
        json.dumps(
            {"shares": [{"name": "两次以内", "when": {"field": "visits", "le": 2}}]},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report = stats_of(current[0], rules)
    assert [(s.name, s.count, s.pct) for s in report.shares] == [("两次以内", 6, 100.0)]
    bad = tmp_path / "坏.json"
    bad.write_text('{"shares": [{"name": "x", "when": {"field": "visits"}}]}', encoding="utf-8")
    result = runner.invoke(app, ["stats", str(current[0]), "--rules", str(bad)])
    assert result.exit_code == 2 and "统计口径文件不正确" in result.stderr


def test_an_empty_catalog_has_no_means():
    report = compute_stats(read_catalog([]).catalog, load_share_rules())
    assert (report.leaves, report.visits_mean, report.materials_max) == (0, None, 0)
    assert {s.pct for s in report.shares} == {None}  # 0 / 0 is undefined, not an error
