"""Columns known by their content (read/infer.py) and ``--explain`` on every reading command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from catalog_cli.checks.codes import make_uscc
from catalog_cli.cli import app
from catalog_cli.read import read_catalog
from catalog_cli.read.explain import standard_layouts
from catalog_cli.read.infer import inference_rules

runner = CliRunner()
ROWS = 30


def basic(i: int) -> str:
    return f"370100{i:03d}001"


def uscc(i: int) -> str:
    return make_uscc("11", "370100", f"MB{i:06d}")


def impl(i: int) -> str:
    return f"{uscc(i)}3{basic(i)}"


def write_csv(path: Path, columns: dict[str, list[str]]) -> Path:
    """A CSV with one column per entry (header → cells)."""
    headers = list(columns)
    rows = [headers] + [list(cells) for cells in zip(*columns.values(), strict=True)]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def base(n: int = ROWS, **more: list[str]) -> dict[str, list[str]]:
    """The columns every test sheet has (known headers), then ``more``."""
    return {
        "事项名称": [f"事项{i}" for i in range(n)],
        "实施主体": ["某市市场监管局"] * n,
        "实施编码": [impl(i) for i in range(n)],
        **more,
    }


def by_code(findings: list, code: str) -> list:
    return [f for f in findings if f.code == code]


def leaves(read) -> list:
    return [leaf for main in read.catalog.main_items for leaf in main.leaves]


# --- inference --------------------------------------------------------------------------------


def test_a_code_column_with_an_unknown_header_is_read_as_the_basic_code(tmp_path):
    path = write_csv(tmp_path / "省级.csv", base(ml_bm=[basic(i) for i in range(ROWS)]))
    read = read_catalog([path])
    assert {leaf.basic_code for leaf in leaves(read)} == {basic(i) for i in range(ROWS)}
    assert all("ml_bm" not in leaf.extra for leaf in leaves(read))
    [found] = by_code(read.findings, "column-inferred")
    assert found.severity == "warning" and found.column == "D"
    assert (
        found.message == "列“ml_bm”按内容识别为 基本编码（30 个非空值中 30 个符合 12 位基本编码）"
    )
    assert not [f for f in read.findings if f.code == "unknown-column" and f.value == "ml_bm"]
    [layout] = read.layouts
    assert layout.columns[3] == "basic_code" and 3 not in layout.extras


def test_validate_gives_no_missing_basic_code_errors_for_an_inferred_column(tmp_path):
    path = write_csv(tmp_path / "省级.csv", base(目录编号=[basic(i) for i in range(ROWS)]))

    def required(*extra: str) -> list[dict]:
        result = runner.invoke(app, ["validate", str(path), "-f", "json", *extra])
        assert result.exit_code in (0, 1), result.output
        findings = json.loads(result.stdout)["findings"]
        return [
            f for f in findings if f["code"] == "schema-required" and f["element"] == "基本编码"
        ]

    assert required() == []
    assert len(required("--no-infer")) == ROWS  # inference off: the column is an extra again


def test_time_limits_when_neither_limit_is_mapped_are_ambiguous(tmp_path):
    path = write_csv(tmp_path / "a.csv", base(sx=[f"{i + 1}个工作日" for i in range(ROWS)]))
    read = read_catalog([path])
    assert all(leaf.extra["sx"] for leaf in leaves(read))
    assert all(leaf.legal_limit is None and leaf.promised_limit is None for leaf in leaves(read))
    [guess] = by_code(read.findings, "column-guess")
    assert guess.severity == "warning"
    assert "法定办结时限或承诺办结时限" in guess.message and "30 个非空值中 30 个" in guess.message
    assert not by_code(read.findings, "column-inferred")
    assert not [f for f in read.findings if f.code == "unknown-column" and f.value == "sx"]


def test_a_time_limit_column_is_the_other_limit_when_one_is_mapped(tmp_path):
    columns = base(承诺时限=["1个工作日"] * ROWS, sx=[f"{i + 5}个工作日" for i in range(ROWS)])
    read = read_catalog([write_csv(tmp_path / "a.csv", columns)])
    assert {leaf.legal_limit.value for leaf in leaves(read)} == set(range(5, 5 + ROWS))
    [found] = by_code(read.findings, "column-inferred")
    assert "法定办结时限" in found.message


def test_too_few_values_keep_the_column_as_an_extra(tmp_path):
    few = inference_rules().min_cells - 1
    path = write_csv(tmp_path / "a.csv", base(few, ml_bm=[basic(i) for i in range(few)]))
    read = read_catalog([path])
    assert all(leaf.basic_code is None and leaf.extra["ml_bm"] for leaf in leaves(read))
    [guess] = by_code(read.findings, "column-guess")
    assert guess.severity == "info" and "基本编码" in guess.message and "不足" in guess.message


def test_a_mixed_column_below_the_share_is_only_a_guess(tmp_path):
    cells = [basic(i) if i % 3 else "待定" for i in range(ROWS)]  # two thirds fit
    read = read_catalog([write_csv(tmp_path / "a.csv", base(ml_bm=cells))])
    assert all(leaf.basic_code is None for leaf in leaves(read))
    [guess] = by_code(read.findings, "column-guess")
    assert guess.severity == "info" and "30 个非空值中 20 个" in guess.message


def test_a_recognised_header_beats_content(tmp_path):
    columns = base(
        基本编码=[basic(i) for i in range(ROWS)], 旧编码=[basic(i + 100) for i in range(ROWS)]
    )
    read = read_catalog([write_csv(tmp_path / "a.csv", columns)])
    assert {leaf.basic_code for leaf in leaves(read)} == {basic(i) for i in range(ROWS)}
    assert all(leaf.extra["旧编码"] for leaf in leaves(read))
    [guess] = by_code(read.findings, "column-guess")
    assert "“基本编码” 已有对应的列" in guess.message
    assert not by_code(read.findings, "column-inferred")


def test_a_uscc_column_is_the_agency_code(tmp_path):
    path = write_csv(tmp_path / "a.csv", base(tyshxydm=[uscc(i) for i in range(ROWS)]))
    read = read_catalog([path])
    assert {leaf.agency_code for leaf in leaves(read)} == {uscc(i) for i in range(ROWS)}
    [found] = by_code(read.findings, "column-inferred")
    assert "实施主体编码" in found.message and "统一社会信用代码" in found.message


def test_an_implementation_code_column_is_known_by_the_uscc_inside(tmp_path):
    columns = base(子项编码=[basic(i) for i in range(ROWS)], ssbm=[impl(i) for i in range(ROWS)])
    del columns["实施编码"]
    read = read_catalog([write_csv(tmp_path / "a.csv", columns)])
    assert {leaf.impl_code for leaf in leaves(read)} == {impl(i) for i in range(ROWS)}


def test_item_type_names_are_the_item_type(tmp_path):
    names = ["行政许可", "行政确认", "公共服务"] * (ROWS // 3)
    read = read_catalog([write_csv(tmp_path / "a.csv", base(sxlx=names))])
    assert {leaf.item_type for leaf in leaves(read)} == {"01", "07", "20"}
    assert by_code(read.findings, "column-inferred")[0].message.startswith(
        "列“sxlx”按内容识别为 事项类型"
    )


def test_exercise_level_lists_are_the_exercise_level(tmp_path):
    cells = ["省级、市级", "市级", "县级；镇（乡、街道）级"] * (ROWS // 3)
    read = read_catalog([write_csv(tmp_path / "a.csv", base(use_level=cells))])
    assert {tuple(leaf.exercise_level) for leaf in leaves(read)} == {("2", "3"), ("3",), ("4", "5")}


def test_yes_no_columns_are_only_guessed(tmp_path):
    read = read_catalog([write_csv(tmp_path / "a.csv", base(sfsf=["是", "否"] * (ROWS // 2)))])
    assert all(leaf.fee_charged is None and leaf.online is None for leaf in leaves(read))
    [guess] = by_code(read.findings, "column-guess")
    assert guess.severity == "warning" and "是否收费或是否网办" in guess.message


def test_inference_off_keeps_the_column_as_an_extra(tmp_path):
    path = write_csv(tmp_path / "a.csv", base(ml_bm=[basic(i) for i in range(ROWS)]))
    read = read_catalog([path], infer=False)
    assert all(leaf.basic_code is None and leaf.extra["ml_bm"] for leaf in leaves(read))
    assert [f.value for f in by_code(read.findings, "unknown-column")] == ["ml_bm"]
    assert not by_code(read.findings, "column-inferred")


def test_a_flat_workbook_column_is_inferred_and_explained(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门一"
    columns = base(ml_bm=[basic(i) for i in range(ROWS)])
    ws.append(list(columns))
    for row in zip(*columns.values(), strict=True):
        ws.append(list(row))
    path = tmp_path / "平铺.xlsx"
    wb.save(path)
    read = read_catalog([path])
    assert {leaf.basic_code for leaf in leaves(read)} == {basic(i) for i in range(ROWS)}
    titles = {"basic_code": "基本编码"}
    assert "  D 列“ml_bm” → 基本编码（按内容识别：30/30 个值是 12 位基本编码）" in (
        read.layouts[0].explain(titles)
    )


# --- --explain on validate, stats and reduce ---------------------------------------------------


def _run(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "80"})
    assert result.exit_code in (0, 1), result.output
    return result


EXPLAINED = "  D 列“ml_bm” → 基本编码（按内容识别：30/30 个值是 12 位基本编码）"


def test_validate_explain_prints_the_layout_on_stderr(tmp_path):
    path = write_csv(tmp_path / "省级.csv", base(ml_bm=[basic(i) for i in range(ROWS)]))
    result = _run("validate", str(path), "--explain", "-f", "json")
    lines = result.stderr.splitlines()
    assert f"{path} · 省级：平铺表（每行一个子项或办理情形），表头在第 1 行" in lines
    assert "  A 列“事项名称” → 事项名称" in lines and EXPLAINED in lines
    json.loads(result.stdout)  # stdout stays the report alone
    assert "按内容识别" not in _run("validate", str(path), "-f", "json").stderr


def test_stats_explain_prints_the_layout_on_stderr(tmp_path):
    path = write_csv(tmp_path / "省级.csv", base(ml_bm=[basic(i) for i in range(ROWS)]))
    result = _run("stats", str(path), "--explain", "-f", "json")
    assert EXPLAINED in result.stderr.splitlines()
    json.loads(result.stdout)


def test_reduce_explain_prints_the_layout_on_stderr(tmp_path):
    path = write_csv(tmp_path / "省级.csv", base(ml_bm=[basic(i) for i in range(ROWS)]))
    result = _run("reduce", str(path), "--explain", "-f", "json")
    assert EXPLAINED in result.stderr.splitlines()
    json.loads(result.stdout)


def _standard(tmp_path: Path) -> Path:
    """A standard workbook: the flat CSV normalized."""
    path = write_csv(tmp_path / "省级.csv", base(ml_bm=[basic(i) for i in range(ROWS)]))
    out = tmp_path / "标准.xlsx"
    result = runner.invoke(app, ["normalize", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_explain_of_a_standard_workbook_read_as_tables_matches_the_records_reader(tmp_path):
    out = _standard(tmp_path)
    assert standard_layouts(out) == read_catalog([out]).layouts
    for command in ("validate", "stats", "reduce"):
        lines = _run(command, str(out), "--explain", "-f", "json").stderr.splitlines()
        assert f"{out} · 子项：标准工作簿，表头在第 1 行" in lines, command
        assert "  B 列“基本编码” → 基本编码" in lines, command
    # stats and reduce explain only the sheets they read
    reduce_lines = _run("reduce", str(out), "--explain").stderr
    assert "申请材料" not in reduce_lines and "· 主项：" in reduce_lines


@pytest.mark.parametrize("command", ["ingest", "normalize"])
def test_ingest_and_normalize_take_no_infer_too(tmp_path, command):
    path = write_csv(tmp_path / "省级.csv", base(目录编号=[basic(i) for i in range(ROWS)]))

    def codes(*extra: str) -> set[str | None]:
        out = tmp_path / f"{command}{len(extra)}.json"
        result = runner.invoke(app, [command, str(path), "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        back = read_catalog([out]).catalog
        return {leaf.basic_code for leaf in back.iter_leaves()}

    assert codes() == {basic(i) for i in range(ROWS)}
    assert codes("--no-infer") == {None}  # the column stays an extra attribute
