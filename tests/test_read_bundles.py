"""一件事 bundles read from JSON and YAML files (catalog_cli/read/bundles.py), and what reduce
makes of them, on the catalog of reduce_catalogs.py."""

from __future__ import annotations

import json

import pytest
from reduce_catalogs import current  # noqa: F401  (the shared fixture)
from test_analyses_reduce import reduce_of
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read.bundles import load_bundles
from catalog_cli.report.reduce import reduce_report

runner = CliRunner()


def test_bundles_from_a_json_file(current, tmp_path):  # noqa: F811
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
    report = reduce_of(current[0], bundles=spec)
    (bundle,) = report.bundles
    assert (bundle.members, bundle.missing, bundle.time_sum, bundle.time_after) == (
        1,
        ("NOPE",),
        5,
        0,
    )
    assert "1 个成员实施编码不在目录中" in reduce_report(report).sentences[-2]


def test_bundles_from_a_yaml_file(current, tmp_path):  # noqa: F811
    _, leaves = current
    spec = tmp_path / "一件事.yaml"
    spec.write_text(
        "bundles:\n"
        "  - name: 丁一件事\n"
        f"    members: [{leaves[0]['实施编码']}, {leaves[1]['实施编码']}]\n"
        "    material_count: 2\n    step_count: 2\n    promised_limit: 2个工作日\n    visits: 1\n",
        encoding="utf-8",
    )
    (bundle,) = reduce_of(current[0], bundles=spec).bundles
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


def test_limits_as_text_or_a_mapping(tmp_path):
    spec = tmp_path / "一件事.json"
    spec.write_text(
        json.dumps(
            {
                "bundles": [
                    {"name": "甲", "members": ["A"], "promised_limit": "3个工作日"},
                    {"name": "乙", "members": [], "promised_limit": {"value": 2, "unit": "月"}},
                    {"name": "丙", "members": ["B"]},
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    a, b, c = load_bundles(spec)
    assert (a.name, a.members, a.promised_limit.value, a.promised_limit.unit) == (
        "甲",
        ["A"],
        3,
        "工作日",
    )
    assert (b.promised_limit.value, b.promised_limit.unit, b.promised_limit.text) == (2, "月", "")
    assert c.promised_limit is None


@pytest.mark.parametrize("text", ["[1, 2]", "{", '{"bundles": 3}'])
def test_a_malformed_file_is_bad_input(tmp_path, text):
    spec = tmp_path / "一件事.json"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogInputError, match="一件事文件不正确"):
        load_bundles(spec)
    with pytest.raises(CatalogInputError, match="一件事文件不正确"):
        load_bundles(tmp_path / "没有.yaml")
