"""The ``catalog stats`` report (report/stats.py): sentences, tables, JSON and the CLI."""

from __future__ import annotations

import json

from reduce_catalogs import current  # noqa: F401  (the shared fixture)
from test_analyses_stats import stats_of
from typer.testing import CliRunner

from catalog_cli.analyses.stats import compute_stats
from catalog_cli.cli import app
from catalog_cli.read import read_catalog
from catalog_cli.report.stats import stats_report
from catalog_cli.schema import load_share_rules

runner = CliRunner()


def test_sentences_tables_and_data(current):  # noqa: F811
    report = stats_report(stats_of(current[0]))
    assert report.title == "目录统计"
    assert report.sentences[0] == "共有主项 1 项、子项 6 项、办理情形 2 个。"
    assert "一次办 5 项，占子项 6 项的 83.33%" in report.sentences
    assert report.sentences[-1] == (
        "平均到办事现场次数 0.83 次；每个子项平均申请材料 3 份（最多 3 份）、"
        "办理环节 3 个（最多 3 个）。"
    )
    assert [t.title for t in report.tables] == [
        "按事项类型",
        "按部门",
        "按行使层级",
        "占比",
        "到办事现场次数分布",
    ]
    assert report.tables[-1].rows == (("0", 2, "33.33%"), ("1", 3, "50.00%"), ("2", 1, "16.67%"))
    assert report.details == () and report.data["sentences"] == list(report.sentences)


def test_cli_json_and_markdown(current):  # noqa: F811
    data = json.loads(runner.invoke(app, ["stats", str(current[0]), "-f", "json"]).stdout)
    assert data["counts"] == {"main_items": 1, "leaves": 6, "situations": 2}
    assert data["shares"][0] == {
        "name": "马上办",
        "count": 2,
        "total": 6,
        "percent": 33.33,
        "unfilled": 0,
        "note": "办件类型为即办件",
    }
    md = runner.invoke(app, ["stats", str(current[0]), "-f", "md"]).stdout
    assert "| 马上办 | 2 | 6 | 33.33% | 0 | 办件类型为即办件 |" in md


def test_a_list_no_leaf_has_is_no_data_not_zero(current):  # noqa: F811
    read = read_catalog([current[0]]).catalog
    for leaf in read.iter_leaves():
        leaf.steps = []
    report = stats_report(compute_stats(read, load_share_rules(None)))
    assert report.sentences[-1] == (
        "平均到办事现场次数 0.83 次；每个子项平均申请材料 3 份（最多 3 份）、"
        "办理环节无数据（6 项未填写）。"
    )
