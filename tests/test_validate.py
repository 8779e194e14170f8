"""The validate library function and its report model (catalog_cli/validate.py)."""

from __future__ import annotations

from catalog_cli.validate import validate_paths


def _broken(rows):
    rows["子项"][0]["承诺办结时限"] = "25个工作日"  # error
    rows["子项"][1]["承诺办结时限"] = "10个自然日"  # warning
    rows["申请材料"].append(
        {"实施编码": "NOSUCHCODE", "序号": 1, "材料名称": "x", "是否必需": "必要"}
    )  # error
    rows["主项"][0]["设定依据"] = None  # error
    return rows


def test_summary_counts_everything_by_severity_and_code(rows, write):
    report = validate_paths([write(_broken(rows))])
    summary = report.summary()
    assert summary["by_severity"] == {"error": 3, "warning": 1, "info": 0}
    assert summary["by_code"] == {
        "orphan-material": 1,
        "promise-exceeds-legal": 1,
        "schema-required": 1,
        "limit-unit-mismatch": 1,
    }
    assert (summary["main_items"], summary["leaves"], summary["total"], summary["truncated"]) == (
        2,
        3,
        4,
        False,
    )


def test_findings_are_ordered_by_sheet_then_row(rows, write):
    report = validate_paths([write(_broken(rows))])
    assert [(f.sheet, f.row) for f in report.findings] == [
        ("主项", 2),
        ("子项", 2),
        ("子项", 3),
        ("申请材料", 11),
    ]


def test_max_findings_cuts_the_list_not_the_counts(rows, write):
    report = validate_paths([write(_broken(rows))], max_findings=2)
    assert len(report.findings) == 2 and report.total == 4
    assert report.summary()["truncated"] is True and report.summary()["shown"] == 2


def test_fail_on_levels(rows, write):
    rows["子项"][1]["承诺办结时限"] = "10个自然日"  # only a warning
    report = validate_paths([write(rows)])
    assert not report.failed("error")
    assert report.failed("warning")
