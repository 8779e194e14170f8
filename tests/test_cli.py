"""The command line through typer's CliRunner: exit codes, formats, outputs, errors."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.read import read_catalog

runner = CliRunner()


def test_validate_clean_exits_0(rows, write):
    result = runner.invoke(app, ["validate", str(write(rows))])
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.stdout


def test_validate_with_errors_exits_1_and_json_lists_them(rows, write):
    rows["子项"][0]["承诺办结时限"] = "25个工作日"
    result = runner.invoke(app, ["validate", str(write(rows)), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(f["code"], f["sheet"], f["row"]) for f in data["findings"]] == [
        ("promise-exceeds-legal", "子项", 2)
    ]


def test_fail_on_warning_and_output_file(rows, write, tmp_path):
    rows["子项"][1]["承诺办结时限"] = "10个自然日"
    src = write(rows)
    assert runner.invoke(app, ["validate", str(src)]).exit_code == 0
    out = tmp_path / "结果.json"
    result = runner.invoke(
        app, ["validate", str(src), "--fail-on", "warning", "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["by_severity"]["warning"] == 1
    assert result.stdout == ""


def test_max_findings_is_reported_in_summary(rows, write):
    for leaf in rows["子项"]:
        leaf["办理地点"] = None
    result = runner.invoke(app, ["validate", str(write(rows)), "-f", "json", "--max-findings", "1"])
    summary = json.loads(result.stdout)["summary"]
    assert (summary["total"], summary["shown"], summary["truncated"]) == (3, 1, True)


def test_unreadable_input_is_one_line_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "坏文件.xlsx" in result.stderr and "Traceback" not in result.output + result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # progress line + the error line


def test_missing_file_and_bad_usage_exit_2(tmp_path):
    assert runner.invoke(app, ["validate", str(tmp_path / "无.xlsx")]).exit_code == 2
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", "x.xlsx", "--fail-on", "info"]).exit_code == 2


def test_debug_shows_the_exception(tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    result = runner.invoke(app, ["--debug", "validate", str(bad)])
    assert result.exit_code != 0 and result.exception is not None


def test_ingest_to_json_and_xlsx_round_trip(rows, write, tmp_path):
    src = write(rows)
    as_json = tmp_path / "catalog.json"
    as_xlsx = tmp_path / "catalog.xlsx"
    assert runner.invoke(app, ["ingest", str(src), "-o", str(as_json)]).exit_code == 0
    assert runner.invoke(app, ["ingest", str(as_json), "-o", str(as_xlsx)]).exit_code == 0
    assert (
        read_catalog([as_xlsx]).catalog
        == read_catalog([src]).catalog
        == read_catalog([as_json]).catalog
    )
    assert runner.invoke(app, ["ingest", str(src), "-o", str(tmp_path / "x.txt")]).exit_code == 2


def test_blank_has_dropdowns_and_frozen_header(tmp_path):
    out = tmp_path / "目录模板.xlsx"
    result = runner.invoke(app, ["blank", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    ws = openpyxl.load_workbook(out)["子项"]
    assert ws.freeze_panes == "A2"
    assert ws["F1"].value == "事项类型" and ws["F1"].comment is not None
    assert any("F2" in str(dv.sqref) for dv in ws.data_validations.dataValidation)


def test_template_is_a_hidden_alias_of_blank(tmp_path):
    out = tmp_path / "空白.xlsx"
    result = runner.invoke(app, ["template", "-o", str(out)])
    assert result.exit_code == 0 and openpyxl.load_workbook(out).sheetnames[:2] == ["主项", "子项"]
    listed = runner.invoke(app, ["--help"]).output
    assert "blank" in listed and "template" not in listed.replace("templates", "")


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "catalog-cli" in result.stdout


def test_folder_skips_files_that_are_not_catalogs_but_named_files_fail(rows, write, tmp_path):
    write(rows, "目录.xlsx")
    note = tmp_path / "说明.csv"
    note.write_text("甲,乙\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(tmp_path), "-f", "json"])
    assert result.exit_code == 0  # the skipped note is a warning, below --fail-on error
    skipped = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "file-skipped"]
    assert [(f["file"], f["severity"]) for f in skipped] == [(str(note), "warning")]
    assert runner.invoke(app, ["validate", str(note)]).exit_code == 2


def test_screen_output_is_capped_but_counts_everything(rows, write):
    for i in range(3):
        rows["子项"][i]["办理地点"] = None
        rows["子项"][i]["办理时间"] = None
    src = str(write(rows))
    result = runner.invoke(app, ["validate", src, "--max-findings", "2"])
    assert "只列出前 2 条，共 6 条" in result.stdout and "错误 6 个" in result.stdout
    from catalog_cli.cli.validate import SCREEN_LIMIT

    assert SCREEN_LIMIT == 200
    assert (
        len(json.loads(runner.invoke(app, ["validate", src, "-f", "json"]).stdout)["findings"]) == 6
    )


@pytest.mark.parametrize(
    "command",
    [
        "",
        "validate",
        "ingest",
        "normalize",
        "stats",
        "reduce",
        "blank",
        "guide",
        "profiles",
        "diff",
    ],
)
def test_help_fits_80_columns_and_keeps_every_word(command):
    import wcwidth

    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(wcwidth.wcswidth(line) for line in lines) <= 80
    assert "…" not in result.stdout  # Chinese help folds at the edge, it is not cut
    # Chinese wraps between characters, never before closing punctuation: no line (of the
    # description or of an option's help) begins with a stray "，" or "。"
    pieces = [part.strip() for line in lines for part in line.split("│")]
    assert not [x for x in pieces if x[:1] in tuple("，。；、）")]
