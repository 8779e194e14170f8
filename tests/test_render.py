"""Text and JSON renderings of a validation report, against golden files.

The report is built in catalog_cli/report/validate.py and rendered by the one text renderer
(catalog_cli/report/text.py, findings section included) and the JSON renderer
(catalog_cli/report/json.py). After an intended change of the output, regenerate the golden files
in tests/golden/ with::

    UPDATE_GOLDEN=1 python -m pytest -q -p no:cacheprovider tests/test_render.py

and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import write_rows
from helpers import validate_files

from catalog_cli.model.findings import FINDING_KEYS
from catalog_cli.report.json import render_json
from catalog_cli.report.shape import Report, Table
from catalog_cli.report.text import render_text
from catalog_cli.report.validate import validation_report

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def result(rows, tmp_path, monkeypatch):
    rows["子项"][0]["承诺办结时限"] = "25个工作日"
    rows["子项"][1]["实施主体编码"] = "11511301008778183M"
    rows["子项"][2]["到办事现场次数"] = 2
    rows["子项"][2]["必须现场办理原因说明"] = None
    rows["申请材料"].append(
        {"实施编码": "NOSUCHCODE", "序号": 1, "材料名称": "申请书", "是否必需": "必要"}
    )
    monkeypatch.chdir(tmp_path)
    write_rows(Path("县级目录.xlsx"), rows)
    return validate_files(["县级目录.xlsx"])


@pytest.fixture
def report(result):
    return validation_report(result, "error")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_text_matches_golden(report):
    _golden("validate.txt", render_text(report))


def test_json_matches_golden_and_has_exactly_the_finding_keys(report):
    text = render_json(report)
    _golden("validate.json", text)
    data = json.loads(text)
    assert set(data) == {"summary", "findings"}
    assert all(tuple(f) == FINDING_KEYS for f in data["findings"])
    assert data["summary"]["by_severity"]["error"] == len(data["findings"])


def test_text_verdict_line_and_counts(report):
    text = render_text(report)
    assert (
        text.rstrip()
        .splitlines()[-1]
        .startswith("校验不通过：1 个文件，主项 2 项，子项 3 项；错误 6 个")
    )
    assert "按规则统计" in text and "orphan-material" in text


def test_report_summary_is_the_json_summary(report):
    assert report.summary == report.json_data()["summary"]
    assert report.sentences == (render_text(report).rstrip().splitlines()[-1],)


def test_a_cut_list_says_so_between_the_findings_and_the_counts(rows, write):
    rows["子项"][0]["承诺办结时限"] = "25个工作日"
    rows["子项"][1]["承诺办结时限"] = "10个自然日"
    report = validation_report(validate_files([write(rows)], max_findings=1))
    lines = render_text(report).splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("（只列出前 1 条，共 2 条"))
    assert lines[note - 1].startswith("└") and lines[note + 1].startswith("按规则统计")
    assert report.summary["shown"] == 1 and report.summary["truncated"] is True


def test_a_clean_catalog_prints_only_the_verdict(rows, write):
    report = validation_report(validate_files([write(rows)]))
    assert (
        render_text(report)
        == "校验通过：1 个文件，主项 2 项，子项 3 项；错误 0 个，警告 0 个，提示 0 个。\n"
    )


def test_reports_without_findings_keep_the_stats_layout():
    table = Table("部门", ("部门", "事项数"), (("市场监管局", 3),))
    text = render_text(Report("统计", tables=(table,), sentences=("共 3 项。",)))
    assert text.endswith("┘\n\n共 3 项。\n") and text.startswith("部门")


def test_values_that_look_like_markup_are_printed_as_they_are(rows, write):
    rows["子项"][0]["承诺办结时限"] = "[/]25个工作日[bold]"
    text = render_text(validation_report(validate_files([write(rows)])))
    assert "[/]25个工作日[bold]" in text


def test_an_80_column_console_gets_the_narrow_findings_table(report):
    import io

    import wcwidth
    from rich.console import Console

    console = Console(width=80, record=True, no_color=True, file=io.StringIO())
    render_text(report, console)
    text = console.export_text()
    _golden("validate-80.txt", text)
    assert max(wcwidth.wcswidth(line) for line in text.splitlines()) <= 80
    assert text.splitlines()[2].split() == ["┃", "行", "┃", "级别", "┃", "要素", "┃", "说明", "┃"]
    for f in report.findings:  # each keeps its rule code and item, under the message
        assert f.code in text and (f.item or "")[:20] in text
