"""Annotated copies of the inputs (catalog_cli/report/annotate.py, `validate -f xlsx`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from catalog_cli.cli import app

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
