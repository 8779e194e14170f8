"""Reductions worked out by hand (catalog_cli/analyses/reduce.py) on the catalogs of reduce_catalogs.py."""

from __future__ import annotations

import json

from reduce_catalogs import baseline, current  # noqa: F401  (the shared fixtures)
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.read import read_catalog
from catalog_cli.reduce import compute_reduction, reduce_paths
from catalog_cli.report.tables import pct_text, percent

runner = CliRunner()


def test_against_the_legal_limit(current):
    path, _ = current
    report, errors = reduce_paths([path], ceiling=0.3)
    assert not errors
    totals = {t.unit: (t.leaves, t.legal, t.saved, t.rate) for t in report.totals()}
    assert totals == {"工作日": (2, 40, 35, 87.5), "自然日": (1, 60, 15, 25.0)}
    assert report.excluded() == {
        "无法定时限": 1,
        "单位不同（法定自然日，承诺工作日）": 1,
        "法定时限为即办": 1,
    }
    assert dict(report.distribution()) == {
        "0%": 0,
        "0–20%": 0,
        "20–40%": 1,
        "40–60%": 0,
        "60–80%": 1,
        "80–100%": 1,
    }
    assert [r.name for r in report.legal if r.over_ceiling] == ["事项6"]  # 45 > 0.3 × 60; L1: 5 ≤ 6
    sentences = report.sentences()
    assert sentences[:2] == [
        "较法定时限减少 35 个工作日、精简 87.50%",
        "较法定时限减少 15 个自然日、精简 25.00%",
    ]
    assert (
        sentences[2]
        == "参与计算的子项 3 项；未计入 3 项（无法定时限 1 项，单位不同（法定自然日，承诺工作日） 1 项，法定时限为即办 1 项）"
    )
    assert sentences[3] == "承诺时限超过法定时限 30% 的子项 1 项"


def test_against_the_baseline(current, baseline):
    report, _ = reduce_paths([current[0]], baseline=[baseline])
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
    sentences = report.sentences()
    assert "事项由 4 项增加为 6 项，增加 2 项" in sentences
    assert "申请材料由 9 份减少为 6 份，减材料 3 份，精简 33.33%" in sentences
    assert "办理环节由 12 个减少为 9 个，精简 25.00%" in sentences
    assert "承诺办结时限由 13 个工作日缩短至 5 个工作日，压缩 61.54%" in sentences
    assert "到办事现场次数由 4 次减少为 2 次，平均办事跑动减少 50.00%" in sentences


def test_bundles(current):
    report, _ = reduce_paths([current[0]], bundles=True)
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
    sentences = report.sentences()
    assert (
        "甲一件事：申请材料由 4 份简化为 3 份（重复材料只计一次为 2 份），办理环节由 6 个减少为 1 个，办理时限由 5 个工作日缩短至 3 个工作日，跑动由 1 次减少为 0 次"
        in sentences
    )
    assert (
        sentences[-1]
        == "一件事平均申请材料减少 37.50%、平均办事环节减少 75.00%、平均办理时限缩短 40.00%、平均跑动减少 75.00%"
    )


def test_division_by_zero_is_undefined_not_an_error():
    assert percent(3, 0) is None and pct_text(None) == "—"
    report = compute_reduction(read_catalog([]).catalog)
    assert report.totals() == [] and report.sentences() == ["参与计算的子项 0 项"]


def test_cli_formats(current, baseline, tmp_path):
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


def test_bundles_from_a_json_file(current, tmp_path):
    _, leaves = current
    spec = tmp_path / "一件事.json"
    spec.write_text(
        json.dumps(
            [
                {
                    "name": "丙一件事",
                    "members": [leaves[0]["实施编码"], "NOPE"],
                    "material_count": 1,
                    "step_count": 1,
                    "promised_limit": "即办",
                    "visits": 0,
                }
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    report, _ = reduce_paths([current[0]], bundles=spec)
    (bundle,) = report.bundles
    assert (bundle.members, bundle.missing, bundle.time_sum, bundle.time_after) == (
        1,
        ("NOPE",),
        5,
        0,
    )
    assert "1 个成员实施编码不在目录中" in report.sentences()[-2]


def test_samples_report_sentences():
    from pathlib import Path

    samples = Path(__file__).resolve().parent.parent / "samples"
    report, errors = reduce_paths(
        [samples / "市级目录.xlsx"], baseline=[samples / "市级目录-2021版.xlsx"], bundles=True
    )
    sentences = report.sentences()
    assert not errors
    # the totals samples/README.md states for the baseline, computed there independently
    for expected in (
        "事项由 89 项减少为 87 项，减少 2 项",
        "申请材料由 452 份减少为 322 份，减材料 130 份，精简 28.76%",
        "办理环节由 375 个减少为 325 个，精简 13.33%",
        "到办事现场次数由 114 次减少为 61 次，平均办事跑动减少 46.49%",
    ):
        assert expected in sentences
    assert len(report.pairs) == 85 and len(report.before_only) == 4 and len(report.after_only) == 2
    assert [p.matched_by for p in report.pairs].count("基本编码") == 3 and [
        p.matched_by for p in report.pairs
    ].count("名称") == 2


def test_bundles_from_a_yaml_file(current, tmp_path):
    _, leaves = current
    spec = tmp_path / "一件事.yaml"
    spec.write_text(
        "bundles:\n"
        "  - name: 丁一件事\n"
        f"    members: [{leaves[0]['实施编码']}, {leaves[1]['实施编码']}]\n"
        "    material_count: 2\n    step_count: 2\n    promised_limit: 2个工作日\n    visits: 1\n",
        encoding="utf-8",
    )
    (bundle,) = reduce_paths([current[0]], bundles=spec)[0].bundles
    assert (
        bundle.name,
        bundle.materials_sum,
        bundle.materials_after,
        bundle.time_sum,
        bundle.time_after,
    ) == ("丁一件事", 4, 2, 5, 2)
    broken = tmp_path / "坏.yaml"
    broken.write_text("bundles: [name: x", encoding="utf-8")
    result = runner.invoke(app, ["reduce", str(current[0]), "--bundles-file", str(broken)])
    assert result.exit_code == 2 and "一件事文件不正确" in result.stderr


def test_sample_legal_totals_are_plain_sums():
    from pathlib import Path

    catalog = read_catalog(
        [Path(__file__).resolve().parent.parent / "samples" / "市级目录.xlsx"]
    ).catalog
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
