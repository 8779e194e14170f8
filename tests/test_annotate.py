"""Annotated copies of the inputs (catalog_cli/report/annotate.py, `validate -f xlsx`)."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from types import SimpleNamespace

import openpyxl
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.model import Source
from catalog_cli.model.findings import make_finding
from catalog_cli.report.annotate import annotated_workbook

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_annotated_copy_marks_cells_and_lists_findings(rows, write, tmp_path):
    rows["子项"][0]["承诺办结时限"] = "25个工作日"  # error at 子项!U2
    rows["子项"][1]["承诺办结时限"] = "10个自然日"  # warning at 子项!U3
    src = write(rows)
    before = _digest(src)
    out = tmp_path / "校验结果.xlsx"
    result = runner.invoke(app, ["validate", str(src), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 1
    assert _digest(src) == before  # the input is never modified
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "校验结果"
    leaf = wb["子项"]
    assert (
        leaf["U2"].fill.fgColor.rgb.endswith("FFC7CE")
        and "超过法定办结时限" in leaf["U2"].comment.text
    )
    assert leaf["U3"].fill.fgColor.rgb.endswith("FFEB9C") and "单位不同" in leaf["U3"].comment.text
    assert leaf["U4"].comment is None
    listing = list(wb["校验结果"].iter_rows(values_only=True))
    assert listing[0][:3] == ("级别", "规则", "工作表") and len(listing) == 3
    link = wb["校验结果"].cell(2, 9).hyperlink
    assert link.location == "'子项'!U2" or (link.target or "").endswith("子项'!U2")


def test_missing_column_finding_marks_column_a(rows, write, tmp_path):
    rows["子项"][2]["办理地点"] = None
    out = tmp_path / "结果.xlsx"
    runner.invoke(app, ["validate", str(write(rows)), "-f", "xlsx", "-o", str(out)])
    cell = openpyxl.load_workbook(out)["子项"]["AG4"]
    assert "办理地点" in cell.comment.text


def test_several_inputs_go_to_a_folder_and_csv_becomes_xlsx(tmp_path):
    csv = SAMPLES / "messy" / "市级目录-导出.csv"
    county = SAMPLES / "县级目录-东湖县.xlsx"
    out = tmp_path / "标注"
    result = runner.invoke(app, ["validate", str(csv), str(county), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 1
    names = sorted(p.name for p in out.iterdir())
    assert names == ["县级目录-东湖县-校验结果.xlsx", "市级目录-导出-校验结果.xlsx"]
    wb = openpyxl.load_workbook(out / "县级目录-东湖县-校验结果.xlsx")
    assert "fee-standard-missing" in wb["子项"]["Z19"].comment.text  # 收费依据及标准, row 19


def test_xlsx_format_needs_an_output(rows, write):
    result = runner.invoke(app, ["validate", str(write(rows)), "-f", "xlsx"])
    assert result.exit_code == 2 and "-o" in result.stderr


def _formulas(wb) -> list[str]:
    return [
        c.coordinate
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def test_values_starting_with_an_equals_sign_stay_text(tmp_path):
    source = SAMPLES / "messy" / "市级目录-导出.csv"
    rows = list(csv.reader(io.StringIO(source.read_bytes().decode("gb18030"))))
    rows[1][rows[0].index("承诺办结时限")] = '=HYPERLINK("http://x")'
    rows[1][rows[0].index("法定办结时限")] = "=1+1"
    src = tmp_path / "导出.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "结果.xlsx"
    result = runner.invoke(app, ["validate", str(src), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 1
    wb = openpyxl.load_workbook(out)
    values = [row[7] for row in wb["校验结果"].iter_rows(min_row=2, values_only=True)]
    assert '=HYPERLINK("http://x")' in values and "=1+1" in values
    assert _formulas(wb) == []


def test_annotated_workbook_writes_findings_as_text(tmp_path):
    grid = SimpleNamespace(sheet="子项", rows=[["事项名称", "承诺办结时限"], ["甲", "=1+1"]])
    where = Source("目录.csv", "子项", 2, {"承诺办结时限": "B"})
    finding = make_finding(
        "x", "error", where, '=HYPERLINK("http://x")', key="承诺办结时限", value="=1+1"
    )
    data = annotated_workbook("目录.csv", [finding], [grid])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["校验结果", "子项"] and _formulas(wb) == []
    assert wb["校验结果"]["H2"].value == "=1+1" and wb["校验结果"]["I2"].value.startswith("=")
    assert wb["子项"]["B2"].value == "=1+1" and wb["子项"]["B2"].fill.fgColor.rgb.endswith("FFC7CE")
