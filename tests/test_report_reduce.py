"""The ``catalog reduce`` report (catalog_cli/report/reduce.py): sentences, tables, JSON and the
CLI, on the catalogs of reduce_catalogs.py and the samples."""

from __future__ import annotations

import json

from reduce_catalogs import baseline, current  # noqa: F401  (the shared fixtures)
from test_analyses_reduce import SAMPLES, reduce_of
from typer.testing import CliRunner

from catalog_cli.analyses.reduce import compute_reduction
from catalog_cli.cli import app
from catalog_cli.read import read_catalog
from catalog_cli.report.reduce import change_text, reduce_report

runner = CliRunner()


def test_legal_limit_sentences(current):  # noqa: F811
    sentences = reduce_report(reduce_of(current[0], ceiling=0.3)).sentences
    assert sentences[:2] == (
        "较法定时限减少 35 个工作日、精简 87.50%",
        "较法定时限减少 15 个自然日、精简 25.00%",
    )
    assert sentences[2] == (
        "参与计算的子项 3 项；未计入 3 项（无法定时限 1 项，"
        "单位不同（法定自然日，承诺工作日） 1 项，法定时限为即办 1 项）"
    )
    assert sentences[3] == "承诺时限超过法定时限 30% 的子项 1 项"


def test_baseline_sentences(current, baseline):  # noqa: F811
    sentences = reduce_report(reduce_of(current[0], baseline_path=baseline)).sentences
    assert "事项由 4 项增加为 6 项，增加 2 项" in sentences
    assert "申请材料由 9 份减少为 6 份，减材料 3 份，精简 33.33%" in sentences
    assert "办理环节由 12 个减少为 9 个，精简 25.00%" in sentences
    assert "承诺办结时限由 13 个工作日缩短至 5 个工作日，压缩 61.54%" in sentences
    assert "到办事现场次数由 4 次减少为 2 次，平均办事跑动减少 50.00%" in sentences


def test_bundle_sentences(current):  # noqa: F811
    sentences = reduce_report(reduce_of(current[0], bundles=True)).sentences
    assert (
        "甲一件事：申请材料由 4 份简化为 3 份（重复材料只计一次为 2 份），"
        "办理环节由 6 个减少为 1 个，办理时限由 5 个工作日缩短至 3 个工作日，"
        "跑动由 1 次减少为 0 次"
    ) in sentences
    assert sentences[-1] == (
        "一件事平均申请材料减少 37.50%、平均办事环节减少 75.00%、"
        "平均办理时限缩短 40.00%、平均跑动减少 75.00%"
    )


def test_change_text_follows_the_direction():
    assert change_text(19, 4, "份", "简化为") == "由 19 份简化为 4 份"
    assert change_text(3, 5, "个工作日", "缩短至", "延长至") == "由 3 个工作日延长至 5 个工作日"
    assert change_text(2.0, 2, "次", "减少为") == "仍为 2 次"


def test_an_empty_catalog_reports_no_leaves():
    report = reduce_report(compute_reduction(read_catalog([]).catalog))
    assert report.sentences == ("参与计算的子项 0 项",)
    assert report.details[0].rows == () and report.data["legal"]["totals"] == []


def test_tables_details_and_data(current, baseline):  # noqa: F811
    report = reduce_report(reduce_of(current[0], baseline_path=baseline, bundles=True, ceiling=0.3))
    assert report.title == "减材料、减环节、减时限、减跑动"
    assert [t.title for t in report.tables] == [
        "较法定时限",
        "未计入的子项",
        "按部门（较法定时限）",
        "按事项类型（较法定时限）",
        "压缩比例分布",
        "承诺时限超过法定时限 30% 的子项",
        "较基线目录",
        "按部门（较基线目录）",
        "基线中有、现在没有的子项",
        "现在新增的子项",
        "一件事",
    ]
    assert report.tables[6].rows[0] == ("事项（项）", 4, 6, -2, "-50.00%")
    assert report.tables[-1].rows[0][7:9] == ("5个工作日", "3个工作日")
    (detail,) = report.details
    assert detail.title == "子项明细" and len(detail.rows) == 6
    assert detail.rows[0][6:9] == ("工作日", 15, "75.00%")
    assert detail.rows[2][-1] == "无法定时限"
    assert set(report.data) == {"files", "legal", "baseline", "bundles", "sentences"}
    assert report.data["sentences"] == list(report.sentences)
    assert report.data["legal"]["by_department"][0]["department"] == "江淮市市场监督管理局"


def test_cli_formats(current, baseline, tmp_path):  # noqa: F811
    path = str(current[0])
    text = runner.invoke(app, ["reduce", path, "--baseline", str(baseline), "--bundles"])
    assert text.exit_code == 0 and "较法定时限减少 35 个工作日、精简 87.50%" in text.stdout
    data = json.loads(
        runner.invoke(
            app, ["reduce", path, "--baseline", str(baseline), "--bundles", "-f", "json"]
        ).stdout
    )
    assert set(data) == {"files", "legal", "baseline", "bundles", "sentences"}
    assert data["legal"]["totals"][0] == {
        "unit": "工作日",
        "leaves": 2,
        "legal": 40,
        "saved": 35,
        "percent": 87.5,
    }
    md = runner.invoke(app, ["reduce", path, "-f", "md"]).stdout
    assert md.startswith("# 减材料") and "| 工作日 | 2 | 40 | 35 | 87.50% |" in md
    out = tmp_path / "减.xlsx"
    assert runner.invoke(app, ["reduce", path, "-f", "xlsx", "-o", str(out)]).exit_code == 0
    import openpyxl

    wb = openpyxl.load_workbook(out)
    assert (
        wb.sheetnames == ["汇总", "子项明细"]
        and wb["汇总"]["A3"].value == "较法定时限减少 35 个工作日、精简 87.50%"
    )
    assert wb["子项明细"].max_row == 7
    assert runner.invoke(app, ["reduce", path, "-f", "xlsx"]).exit_code == 2


def test_samples_report_sentences():
    report = reduce_of(
        SAMPLES / "市级目录.xlsx", baseline_path=SAMPLES / "市级目录-2021版.xlsx", bundles=True
    )
    sentences = reduce_report(report).sentences
    # the totals samples/README.md states for the baseline, computed there independently
    for expected in (
        "事项由 89 项减少为 87 项，减少 2 项",
        "申请材料由 452 份减少为 322 份，减材料 130 份，精简 28.76%",
        "办理环节由 375 个减少为 325 个，精简 13.33%",
        "到办事现场次数由 114 次减少为 61 次，平均办事跑动减少 46.49%",
    ):
        assert expected in sentences
