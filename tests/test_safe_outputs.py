"""Safe outputs: texts that look like formulas stay text in every xlsx written, a text longer than a
cell holds is whole in JSON and cut with a warning in xlsx, and no output replaces an input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.model.values import CELL_CHARS, formula_like
from catalog_cli.read.grid import Grid
from catalog_cli.report.annotate import annotated_workbook
from catalog_cli.report.shape import Report, Table
from catalog_cli.report.xlsx import render_xlsx

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# the leaf fields each value goes to: all texts a reader keeps as they are
FORMULAS = {
    "事项名称": '=HYPERLINK("http://x")',
    "受理条件": "=1+1",
    "办理地点": "+1",
    "结果名称": "-1+1",
    "实施主体": "@SUM(1)",
}
LONG = "长" * 40_000


def formula_workbook(rows: dict[str, list[dict[str, Any]]], write: Any) -> Path:
    """The base catalog with the formula-like texts in its first leaf, stored as strings (openpyxl
    would store them as formulas)."""
    rows["子项"][0].update(FORMULAS)
    path = write(rows)
    wb = openpyxl.load_workbook(path)
    for row in wb["子项"].iter_rows():
        for cell in row:
            if cell.value in FORMULAS.values():
                cell.data_type = "s"
    wb.save(path)
    return path


def cells(path: Path | bytes) -> list[Any]:
    """Every non-empty cell of a workbook (a path or its bytes), opened with openpyxl."""
    wb = openpyxl.load_workbook(io.BytesIO(path) if isinstance(path, bytes) else path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def sample_csv(path: Path, values: dict[str, str]) -> Path:
    """The messy sample CSV (UTF-8) with ``values`` in the named columns of its first data row."""
    text = (SAMPLES / "messy" / "市级目录-导出.csv").read_bytes().decode("gb18030")
    records = list(csv.reader(io.StringIO(text)))
    for name, value in values.items():
        records[1][records[0].index(name)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def assert_texts(path: Path | bytes, expected: set[str]) -> None:
    """No cell is a formula; every expected formula-like text is there unchanged, as a string with
    Excel's quote prefix."""
    found = cells(path)
    assert [c.coordinate for c in found if c.data_type == "f"] == []
    texts = {c.value for c in found if c.data_type == "s"}
    assert expected <= texts
    for c in found:
        if c.value in expected:
            assert c.quotePrefix, c.coordinate


def test_formula_like() -> None:
    for text in ("=1+1", "+1", "-1+1", "@SUM(1)", "\tx", "\rx", '=HYPERLINK("http://x")'):
        assert formula_like(text)
    for text in ("1+1", "行政许可", " =1", "", "http://x"):
        assert not formula_like(text)


def test_ingest_and_normalize_write_text(tmp_path: Path, rows, write) -> None:
    src = formula_workbook(rows, write)
    for command in ("ingest", "normalize"):
        out = tmp_path / f"{command}.xlsx"
        result = runner.invoke(app, [command, str(src), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert_texts(out, set(FORMULAS.values()))


def test_validate_xlsx_writes_text_for_xlsx_and_csv_inputs(tmp_path: Path, rows, write) -> None:
    src = formula_workbook(rows, write)
    out = tmp_path / "标注.xlsx"
    result = runner.invoke(app, ["validate", str(src), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert_texts(out, set(FORMULAS.values()))

    csv_names = {"受理条件": "申请条件", "实施主体": "实施机关"}
    values = {csv_names.get(k, k): v for k, v in FORMULAS.items()} | {"办理时间": "\t带制表符"}
    csv_src = sample_csv(tmp_path / "导出.csv", values)
    out = tmp_path / "标注-csv.xlsx"
    result = runner.invoke(app, ["validate", str(csv_src), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert_texts(out, set(values.values()))


def test_stats_and_reduce_xlsx_write_text(tmp_path: Path, rows, write) -> None:
    src = formula_workbook(rows, write)
    for command in ("stats", "reduce"):
        out = tmp_path / f"{command}.xlsx"
        result = runner.invoke(app, [command, str(src), "-f", "xlsx", "-o", str(out)])
        assert result.exit_code == 0, result.output
        found = cells(out)
        assert [c.coordinate for c in found if c.data_type == "f"] == []
        shown = {c.value for c in found if isinstance(c.value, str) and formula_like(c.value)}
        assert shown, command  # the names and agencies are listed
        assert shown <= set(FORMULAS.values())
        assert all(c.quotePrefix for c in found if c.value in shown)


def test_report_xlsx_keeps_every_text() -> None:
    report = Report(
        title="=1+1",
        sentences=["@SUM(1)"],
        tables=[Table("+1", ["-1+1", "\t名称"], [["=A1", 1]])],
    )
    assert_texts(render_xlsx(report), {"=1+1", "@SUM(1)", "+1", "-1+1", "\t名称", "=A1"})


def test_template_has_no_formula_cells(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out)]).exit_code == 0
    assert [c.coordinate for c in cells(out) if c.data_type == "f"] == []


def test_long_text_whole_in_json_cut_with_a_warning_in_xlsx(tmp_path: Path, rows, write) -> None:
    # an xlsx cell cannot hold the text: it comes in through catalog JSON
    as_json = tmp_path / "目录.json"
    assert runner.invoke(app, ["ingest", str(write(rows)), "-o", str(as_json)]).exit_code == 0
    conditions = rows["子项"][0]["受理条件"]
    src = tmp_path / "长文字.json"
    src.write_text(as_json.read_text(encoding="utf-8").replace(conditions, LONG), encoding="utf-8")
    again = tmp_path / "再次.json"
    assert runner.invoke(app, ["ingest", str(src), "-o", str(again)]).exit_code == 0
    assert LONG in again.read_text(encoding="utf-8")

    for command in ("ingest", "normalize"):
        out = tmp_path / f"{command}.xlsx"
        result = runner.invoke(app, [command, str(src), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert LONG[:CELL_CHARS] in {c.value for c in cells(out)}
        lines = [x for x in result.stderr.splitlines() if "受理条件" in x]
        assert len(lines) == 3  # the three leaves
        assert str(out) in lines[0] and "“子项”第 2 行" in lines[0]
        assert f"截去 {40_000 - CELL_CHARS:,} 个" in lines[0]
        assert "3 个单元格" in result.stderr

    summary = tmp_path / "摘要.json"
    out = tmp_path / "again.xlsx"
    args = ["normalize", str(src), "-o", str(out), "--summary", str(summary)]
    assert runner.invoke(app, args).exit_code == 0
    cut_cells = json.loads(summary.read_text(encoding="utf-8"))["cut_cells"]
    assert [(c["sheet"], c["row"], c["element"]) for c in cut_cells] == [
        ("子项", row, "受理条件") for row in (2, 3, 4)
    ]
    assert all(f"截去 {40_000 - CELL_CHARS:,} 个" in c["message"] for c in cut_cells)


def test_annotated_copy_cuts_long_texts_and_says_so(tmp_path: Path) -> None:
    src = sample_csv(tmp_path / "导出.csv", {"申请条件": LONG})
    out = tmp_path / "标注.xlsx"
    result = runner.invoke(app, ["validate", str(src), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    wb = openpyxl.load_workbook(out)
    assert wb["导出"]["V2"].value == LONG[:CELL_CHARS]
    assert wb["导出"]["V2"].comment is not None
    results = [[c.value for c in row] for row in wb["校验结果"].iter_rows(min_row=2)]
    cut = [r for r in results if r[1] == "cell-truncated"]
    assert [r[2:6] for r in cut] == [["导出", 2, "V", "申请条件"]]
    assert f"截去 {40_000 - CELL_CHARS:,} 个" in cut[0][8]
    # and on stderr, where the person who ran it reads: the cell, then how many
    lines = [x for x in result.stderr.splitlines() if "申请条件" in x]
    assert len(lines) == 1 and "“导出”第 2 行（V 列）" in lines[0]
    assert f"截去 {40_000 - CELL_CHARS:,} 个" in lines[0]
    assert f"{out} 中有 1 个单元格" in result.stderr and "输入文件保留全文" in result.stderr


def test_annotated_csv_copy_cuts_long_cells(tmp_path: Path) -> None:
    grid = Grid(str(tmp_path / "导出.csv"), "导出", [["事项名称", "受理条件"], ["甲", LONG]])
    data = annotated_workbook(tmp_path / "导出.csv", [], [grid])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["导出"]["B2"].value == LONG[:CELL_CHARS]
    cut = [[c.value for c in row] for row in wb["校验结果"].iter_rows(min_row=2)]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in cut] == [
        ("cell-truncated", "导出", 2, "B", "受理条件")
    ]


# ---- no output replaces an input -------------------------------------------------------------


def refused(args: list[str], src: Path) -> None:
    before = src.read_bytes()
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (args, result.output)
    assert "是输入文件" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert src.read_bytes() == before


def test_output_that_is_an_input_is_refused(tmp_path: Path, rows, write) -> None:
    src = write(rows)
    link = tmp_path / "链接.xlsx"
    link.symlink_to(src)
    other = write(rows, name="基线.xlsx")
    (tmp_path / "sub").mkdir()
    for out in (src, link, tmp_path / "sub" / ".." / src.name):
        refused(["ingest", str(src), "-o", str(out)], src)
        refused(["normalize", str(src), "-o", str(out)], src)
        refused(["normalize", str(src), "-o", str(tmp_path / "x.xlsx"), "--summary", str(out)], src)
        refused(["validate", str(src), "-f", "xlsx", "-o", str(out)], src)
        refused(["validate", str(src), "-f", "json", "-o", str(out)], src)
        refused(["stats", str(src), "-f", "xlsx", "-o", str(out)], src)
        refused(["reduce", str(src), "-f", "xlsx", "-o", str(out)], src)
        refused(["reduce", str(other), "--baseline", str(src), "-o", str(out)], src)
    refused(["ingest", str(tmp_path), "-o", str(src)], src)  # a folder holding the output


def test_annotated_copies_in_a_folder_do_not_land_on_inputs(tmp_path: Path, rows, write) -> None:
    out = tmp_path / "结果"
    out.mkdir()
    src = write(rows, name="甲.xlsx")
    copy = out / "甲-校验结果.xlsx"
    copy.write_bytes(src.read_bytes())
    refused(["validate", str(src), str(copy), "-f", "xlsx", "-o", str(out)], copy)
    ok = runner.invoke(app, ["validate", str(src), "-f", "xlsx", "-o", str(tmp_path / "别处")])
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize("sample", ["市级目录.xlsx"])
def test_samples_annotated_without_formulas(tmp_path: Path, sample: str) -> None:
    out = tmp_path / "标注.xlsx"
    result = runner.invoke(app, ["validate", str(SAMPLES / sample), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [c.coordinate for c in cells(out) if c.data_type == "f"] == []
