"""catalog_cli.read.units: a time limit's number in one column and its unit code in another."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.model import TimeLimit
from catalog_cli.read import read_catalog
from catalog_cli.read.units import joined_limit

IMPL = "11511301008778183N3340164213001"
IMPL2 = "11511301008778183N3340164213002"
runner = CliRunner()


def _csv(path: Path, header: list[str], *rows: list[Any]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def _xlsx(path: Path, header: list[str], *rows: list[Any]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "实施清单"
    for row in (header, *rows):
        ws.append(row)
    wb.save(path)
    return path


def _leaves(path: Path) -> dict[str, Any]:
    result = read_catalog([path])
    return {leaf.impl_code: leaf for leaf in result.catalog.iter_leaves()}


def _limit(limit: TimeLimit | None) -> tuple[Any, Any] | None:
    return None if limit is None else (limit.value, limit.unit)


CAMEL = ["taskCode", "taskName", "deptName", "anticipateDay", "anticipateType"]
CAMEL += ["promiseDay", "promiseType"]


def test_camel_case_number_and_unit_code_make_one_limit(tmp_path):
    path = _csv(
        tmp_path / "a.csv",
        CAMEL,
        [IMPL, "食品经营许可（新办）", "江淮市市场监督管理局", "20", "1", "5", "2"],
        [IMPL2, "食品经营许可（变更）", "江淮市市场监督管理局", "30", "2", "0", "1"],
    )
    leaves = _leaves(path)
    first, second = leaves[IMPL], leaves[IMPL2]
    assert (_limit(first.legal_limit), _limit(first.promised_limit)) == (
        (20, "工作日"),
        (5, "自然日"),
    )
    assert first.legal_limit.text == "20个工作日"
    assert _limit(second.legal_limit) == (30, "自然日")
    assert _limit(second.promised_limit) == (0, "即办")  # 0 工作日 reads as 即办, as “0个工作日”
    assert first.extra == {}  # the unit columns are used, not kept as extras


def test_upper_case_xlsx_with_numbers_stored_as_numbers(tmp_path):
    header = ["TASK_CODE", "TASK_NAME", "LAWLIMIT_DAY", "LAWLIMIT_TYPE", "PROMISE_DAY"]
    header += ["PROMISE_TYPE"]
    path = _xlsx(tmp_path / "a.xlsx", header, [IMPL, "事项甲", 20, 1, 10.0, 2.0])
    leaf = _leaves(path)[IMPL]
    assert _limit(leaf.legal_limit) == (20, "工作日")
    assert _limit(leaf.promised_limit) == (10, "自然日")


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("工作日", (20, "工作日")),
        ("天", (20, "自然日")),
        ("日", (20, "自然日")),
        ("自然日", (20, "自然日")),
        ("小时", (20, "小时")),
        ("个月", (20, "月")),
        ("", (20, "工作日")),  # a blank unit: the number alone, as before
    ],
)
def test_unit_column_may_hold_a_unit_name(tmp_path, unit, expected):
    path = _csv(
        tmp_path / "a.csv",
        ["task_code", "task_name", "legal_limit", "legal_limit_unit"],
        [IMPL, "事项甲", "20", unit],
    )
    result = read_catalog([path])
    leaf = next(result.catalog.iter_leaves())
    assert _limit(leaf.legal_limit) == expected
    assert [f.code for f in result.findings if f.code == "time-unit-unknown"] == []


def test_unknown_unit_code_keeps_the_number_and_guesses_no_unit(tmp_path):
    path = _csv(
        tmp_path / "a.csv",
        ["task_code", "task_name", "anticipate_day", "anticipate_type"],
        [IMPL, "事项甲", "20", "1"],
        [IMPL2, "事项乙", "30", "9"],
    )
    result = read_catalog([path])
    leaves = {leaf.impl_code: leaf for leaf in result.catalog.iter_leaves()}
    assert _limit(leaves[IMPL].legal_limit) == (20, "工作日")
    assert _limit(leaves[IMPL2].legal_limit) == (30, None)
    assert leaves[IMPL2].legal_limit.text == "30（单位：9）"
    [finding] = [f for f in result.findings if f.code == "time-unit-unknown"]
    assert (finding.severity, finding.row, finding.item, finding.value) == (
        "warning",
        3,
        IMPL2,
        "9",
    )
    assert finding.element == "法定办结时限"
    assert finding.column == "D"  # the unit column
    assert "“9”" in finding.message and "1 工作日、2 自然日" in finding.message


def test_a_limit_that_says_its_unit_keeps_it(tmp_path):
    path = _csv(
        tmp_path / "a.csv",
        ["task_code", "task_name", "promise_day", "promise_type"],
        [IMPL, "事项甲", "5个自然日", "1"],
        [IMPL2, "事项乙", "即办", "1"],
    )
    leaves = _leaves(path)
    assert _limit(leaves[IMPL].promised_limit) == (5, "自然日")
    assert _limit(leaves[IMPL2].promised_limit) == (0, "即办")


def test_unit_column_without_its_number_is_kept_as_an_extra(tmp_path):
    path = _csv(
        tmp_path / "a.csv",
        ["task_code", "task_name", "promise_day", "anticipate_type"],
        [IMPL, "事项甲", "5", "2"],
    )
    result = read_catalog([path])
    leaf = next(result.catalog.iter_leaves())
    assert _limit(leaf.promised_limit) == (5, "工作日")  # the promise has no unit column
    assert leaf.legal_limit is None
    assert leaf.extra == {"anticipate_type": "2"}
    [finding] = [f for f in result.findings if f.code == "unknown-column"]
    assert finding.value == "anticipate_type" and finding.severity == "info"
    [layout] = result.layouts
    assert list(layout.extras.values()) == ["anticipate_type"]
    assert "unit.legal_limit" not in layout.columns.values()


def test_number_without_unit_column_reads_as_before(tmp_path):
    path = _csv(
        tmp_path / "a.csv", ["task_code", "task_name", "anticipate_day"], [IMPL, "甲", "20"]
    )
    leaf = next(read_catalog([path]).catalog.iter_leaves())
    assert _limit(leaf.legal_limit) == (20, "工作日")


def test_validate_reports_the_unknown_unit(tmp_path):
    path = _csv(
        tmp_path / "a.csv",
        ["taskCode", "taskName", "anticipateDay", "anticipateType"],
        [IMPL, "事项甲", "30", "7"],
    )
    result = runner.invoke(app, ["validate", str(path), "-f", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    unit = [f for f in findings if f["code"] == "time-unit-unknown"]
    assert [(f["value"], f["row"], f["item"]) for f in unit] == [("7", 2, IMPL)]
    # the limit has no unit, so the element check reports it too
    assert any(
        f["code"] == "time-limit-unreadable" and f["value"] == "30（单位：7）" for f in findings
    )


def test_ingest_explain_names_the_unit_columns(tmp_path):
    path = _csv(
        tmp_path / "a.csv",
        CAMEL,
        [IMPL, "食品经营许可（新办）", "江淮市市场监督管理局", "20", "1", "5", "1"],
    )
    out = tmp_path / "a.json"
    result = runner.invoke(app, ["ingest", str(path), "-o", str(out), "--explain"])
    assert result.exit_code == 0, result.output
    assert "E 列“anticipateType” → 法定办结时限单位" in result.output
    assert "G 列“promiseType” → 承诺办结时限单位" in result.output
    [main] = json.loads(out.read_text(encoding="utf-8"))["main_items"]
    [leaf] = main["leaves"]
    assert leaf["legal_limit"] == {"value": 20, "unit": "工作日", "text": "20个工作日"}
    assert leaf["promised_limit"] == {"value": 5, "unit": "工作日", "text": "5个工作日"}


@pytest.mark.parametrize(
    ("limit", "unit", "expected"),
    [
        (TimeLimit(20, "工作日", "20"), "2", (TimeLimit(20, "自然日", "20个自然日"), False)),
        (TimeLimit(1.5, "工作日", "1.5"), "1", (TimeLimit(1.5, "工作日", "1.5个工作日"), False)),
        (TimeLimit(20, "工作日", "20"), None, (TimeLimit(20, "工作日", "20"), False)),
        (None, "1", (None, False)),
        (TimeLimit(20, "工作日", "20"), "即办", (TimeLimit(20, None, "20（单位：即办）"), True)),
        (TimeLimit(20, "工作日", "20"), "年", (TimeLimit(20, None, "20（单位：年）"), True)),
        (TimeLimit(None, "无", "无"), "1", (TimeLimit(None, "无", "无"), False)),
    ],
)
def test_joined_limit(limit, unit, expected):
    assert joined_limit(limit, unit) == expected
