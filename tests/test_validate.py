"""Validation as an analysis: every check, de-duplicated, sorted, counted (analyses/validate.py)."""

from __future__ import annotations

from helpers import validate_files

from catalog_cli.analyses.validate import validate
from catalog_cli.model import Catalog, Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import make_finding


def _broken(rows):
    rows["子项"][0]["承诺办结时限"] = "25个工作日"  # error
    rows["子项"][1]["承诺办结时限"] = "10个自然日"  # warning
    rows["申请材料"].append(
        {"实施编码": "NOSUCHCODE", "序号": 1, "材料名称": "x", "是否必需": "必要"}
    )  # error
    rows["主项"][0]["设定依据"] = None  # error
    return rows


def test_counts_everything_by_severity_and_code(rows, write):
    result = validate_files([write(_broken(rows))])
    assert result.by_severity == {"error": 3, "warning": 1, "info": 0}
    assert result.by_code == {
        "orphan-material": 1,
        "promise-exceeds-legal": 1,
        "schema-required": 1,
        "limit-unit-mismatch": 1,
    }
    assert (result.main_items, result.leaves, result.total, result.truncated) == (2, 3, 4, False)


def test_findings_are_ordered_by_sheet_then_row(rows, write):
    result = validate_files([write(_broken(rows))])
    assert [(f.sheet, f.row) for f in result.findings] == [
        ("主项", 2),
        ("子项", 2),
        ("子项", 3),
        ("申请材料", 11),
    ]


def test_max_findings_cuts_the_list_not_the_counts(rows, write):
    result = validate_files([write(_broken(rows))], max_findings=2)
    assert len(result.findings) == 2 and result.total == 4
    assert result.truncated is True and result.shown == 2


def test_fail_on_levels(rows, write):
    rows["子项"][1]["承诺办结时限"] = "10个自然日"  # only a warning
    result = validate_files([write(rows)])
    assert not result.failed("error")
    assert result.failed("warning")


def test_repeated_reading_findings_are_counted_once_and_unreadable_inputs_kept():
    where = Source("a.xlsx", "子项", 2)
    twice = [make_finding("sheet-skipped", "info", where, "x")] * 2
    missing = CatalogInputError("b.xlsx", "文件不存在")
    result = validate(
        Catalog(), files=["a.xlsx", "b.xlsx"], reading_findings=twice, errors=[missing]
    )
    # a.xlsx was read but holds nothing: the empty catalog is a warning of its own
    assert result.total == 2 and result.by_code == {"empty-catalog": 1, "sheet-skipped": 1}
    assert result.findings[-1].code == "empty-catalog" and result.findings[-1].file == "a.xlsx"
    assert result.errors == ("b.xlsx：文件不存在",) and result.unreadable_files == ("b.xlsx",)
    assert result.readable_files == ["a.xlsx"] and result.failed("warning")
