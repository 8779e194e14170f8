"""Statistics worked out by hand (catalog_cli/stats.py, catalog_cli/rules.py) on the six-leaf catalog of reduce_catalogs.py."""

from __future__ import annotations

import json

from reduce_catalogs import current  # noqa: F401  (the shared fixture)
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.stats import stats_paths

runner = CliRunner()


def test_shares_counts_and_means(current):  # noqa: F811
    report, errors = stats_paths([current[0]])
    assert not errors and (report.main_items, report.leaves, report.situations) == (1, 6, 2)
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
    assert "一次办 5 项，占比 83.33%" in report.sentences()
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
    report, _ = stats_paths([current[0]], rules=rules)
    assert [(s.name, s.count, s.pct) for s in report.shares] == [("两次以内", 6, 100.0)]
    bad = tmp_path / "坏.json"
    bad.write_text('{"shares": [{"name": "x", "when": {"field": "visits"}}]}', encoding="utf-8")
    result = runner.invoke(app, ["stats", str(current[0]), "--rules", str(bad)])
    assert result.exit_code == 2 and "统计口径文件不正确" in result.stderr


def test_cli_json_and_markdown(current):  # noqa: F811
    data = json.loads(runner.invoke(app, ["stats", str(current[0]), "-f", "json"]).stdout)
    assert data["counts"] == {"main_items": 1, "leaves": 6, "situations": 2}
    assert data["shares"][0] == {
        "name": "马上办",
        "count": 2,
        "total": 6,
        "percent": 33.33,
        "note": "办件类型为即办件",
    }
    md = runner.invoke(app, ["stats", str(current[0]), "-f", "md"]).stdout
    assert "| 马上办 | 2 | 33.33% | 办件类型为即办件 |" in md
