"""Validating a standard workbook on tables gives the result validating its records gives.

``validate_tables(read_tables(path))`` (the path ``catalog validate`` takes for one standard
workbook) against ``validate(read_catalog([path]).catalog)`` (the record path, with jsonschema
behind the element checks): the same findings in the same order, with the same cell columns,
and the same counts — on the bundled samples, the empty template, a clean workbook and workbooks
broken by every test module of the column path.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import test_column_code_rules
import test_column_rules
import test_column_tree
import test_columns
from helpers import SAMPLE_WORKBOOKS, SAMPLES, bench_workbook
from test_realdata import REALDATA, SETS
from typer.testing import CliRunner

from catalog_cli.analyses.validate import ValidationResult, validate, validate_tables
from catalog_cli.cli import app
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables
from catalog_cli.write.workbook import write_template, write_workbook

BREAKERS = {
    "elements": test_columns._breaks,
    "leaf-rules": test_column_rules._breaks,
    "code-rules": test_column_code_rules._breaks,
    "tree-rules": test_column_tree._breaks,
}


def _shape(result: ValidationResult) -> dict[str, Any]:
    return {
        "findings": [(f.to_dict(), f.column) for f in result.findings],
        "counts": (result.total, result.by_severity, result.by_code, result.code_severity),
        "records": (result.main_items, result.leaves),
        "files": result.files,
    }


def _assert_same(path: Path) -> ValidationResult:
    on_records = read_catalog([path])
    reference = validate(
        on_records.catalog, files=on_records.files, reading_findings=on_records.findings
    )
    on_tables = validate_tables(read_tables(path), files=[str(path)])
    assert _shape(on_tables) == _shape(reference)
    return on_tables


@pytest.mark.parametrize("name", SAMPLE_WORKBOOKS)
def test_samples_validate_the_same_on_tables(name):
    _assert_same(SAMPLES / name)


def test_the_bench_workbook_validates_the_same_on_tables():
    assert _assert_same(bench_workbook()).total > 0


def test_a_clean_workbook_and_the_empty_template_validate_the_same(rows, write, tmp_path):
    _assert_same(write(rows))
    write_template(tmp_path / "模板.xlsx", 5)
    _assert_same(tmp_path / "模板.xlsx")


def test_rows_of_whitespace_only_are_blank_on_both(rows, tmp_path):
    # xlsxwriter keeps “  ” in a cell (openpyxl does too when lxml is installed): such a row is
    # as blank as an empty one, for the records reader and the tables alike
    import xlsxwriter

    rows["子项"].append({"实施编码": None, "事项名称": "  "})
    rows["申请材料"].insert(1, {"实施编码": " ", "材料名称": "\u3000"})
    path = tmp_path / "空白.xlsx"
    book = xlsxwriter.Workbook(path)
    for name, sheet_rows in rows.items():
        if not sheet_rows:
            continue
        sheet = book.add_worksheet(name)
        header = list(sheet_rows[0])
        sheet.write_row(0, 0, header)
        for number, row in enumerate(sheet_rows, start=1):
            sheet.write_row(number, 0, [row.get(h) for h in header])
    book.close()
    assert read_catalog([path]).catalog.count_leaves() == 3
    assert _assert_same(path).total == 0


@pytest.mark.parametrize("kind", sorted(BREAKERS))
def test_broken_workbooks_validate_the_same_on_tables(kind, rows, write):
    BREAKERS[kind](rows)
    result = _assert_same(write(rows, f"{kind}.xlsx"))
    assert result.total > 0


def test_every_breaker_at_once_validates_the_same(rows, write):
    for breaker in BREAKERS.values():
        breaker(rows)
    _assert_same(write(rows, "全部.xlsx"))


@pytest.mark.parametrize("name", SAMPLE_WORKBOOKS)
def test_samples_written_with_link_columns_validate_the_same_on_tables(name, tmp_path):
    out = tmp_path / name
    write_workbook(read_catalog([SAMPLES / name]).catalog, out)
    _assert_same(out)


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout")
@pytest.mark.parametrize("name", sorted(SETS))
def test_real_data_written_validates_on_records_as_the_command_does(name, tmp_path):
    """Links and codes differ on the real data: the tables reader refuses the workbook and the
    command validates on records (the same findings)."""
    out = tmp_path / f"{name}.xlsx"
    write_workbook(read_catalog(SETS[name]).catalog, out)
    with pytest.raises(CatalogInputError, match="按记录读取"):
        read_tables(out)
    command = importlib.import_module("catalog_cli.cli.validate")
    mine = command.validate_inputs([out], None, None, None)
    read = read_catalog([out])
    reference = validate(read.catalog, files=read.files, reading_findings=read.findings)
    assert _shape(mine) == _shape(reference) and mine.leaves == read.catalog.count_leaves()
    assert "orphan-leaf" not in mine.by_code


def test_the_command_reads_one_standard_workbook_as_tables(monkeypatch, tmp_path):
    command = importlib.import_module("catalog_cli.cli.validate")
    taken: list[Path] = []
    real = command.read_tables
    monkeypatch.setattr(command, "read_tables", lambda p: taken.append(p) or real(p))
    runner = CliRunner()
    one = runner.invoke(app, ["validate", str(SAMPLES / "县级目录-东湖县.xlsx"), "-f", "json"])
    assert one.exit_code == 1 and taken == [SAMPLES / "县级目录-东湖县.xlsx"]
    two = runner.invoke(app, ["validate", str(SAMPLES / "市级目录.xlsx"), str(SAMPLES)])
    # several inputs: each file its own catalog, each standard workbook read as tables (once)
    folder = sorted(p for p in SAMPLES.glob("*.xlsx") if p.name != "市级目录.xlsx")
    assert two.exit_code in (0, 1) and taken[1:] == [SAMPLES / "市级目录.xlsx", *folder]
    merged = runner.invoke(
        app, ["validate", str(SAMPLES / "市级目录.xlsx"), str(SAMPLES), "--merge"]
    )
    assert merged.exit_code in (0, 1) and len(taken) == 5  # one catalog of several: records
