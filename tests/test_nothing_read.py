"""Nothing is not a pass: no catalog read is bad input (exit 2), an empty catalog is a warning,
and a share whose elements nobody filled in has no data rather than 0 %."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from helpers import SAMPLES
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.cli.common import NO_FILES

runner = CliRunner()
COMMANDS = ["validate", "stats", "reduce"]
# the published real data, where tests/test_realdata.py finds it
REALDATA = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "realdata"
    / "sichuan_guangan_district_catalog"
)


@pytest.fixture
def notes(tmp_path) -> Path:
    """A folder of documents that are not catalogs."""
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "说明.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4")
    (folder / "备注.txt").write_text("事项名称 实施编码", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_without_catalog_files_exits_2_with_one_line(command, notes):
    result = runner.invoke(app, [command, str(notes)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    assert errors == [f"错误：{notes}：{NO_FILES}"]
    assert "没有可读取的目录文件" in NO_FILES
    assert result.stdout == ""


@pytest.mark.parametrize("command", [*COMMANDS, "ingest"])
def test_an_empty_folder_exits_2(command, tmp_path):
    extra = ["-o", str(tmp_path / "out.json")] if command == "ingest" else []
    result = runner.invoke(app, [command, str(tmp_path), *extra])
    assert result.exit_code == 2 and "没有可读取的目录文件" in result.stderr
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("merge", [[], ["--merge"]])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_whose_files_hold_no_catalog_exits_2(command, merge, notes):
    (notes / "导出.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")  # no catalog header
    result = runner.invoke(app, [command, str(notes), *merge])
    assert result.exit_code == 2
    assert (
        f"错误：{notes}：没有读到任何目录：文件都不是目录数据，已跳过（1 个文件）" in result.stderr
    )
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["ingest", "normalize"])
def test_ingest_and_normalize_of_files_holding_no_catalog_exit_2_and_write_nothing(
    command, notes, tmp_path
):
    (notes / "导出.csv").write_text("甲,乙\n1,2\n", encoding="utf-8")  # no catalog header
    out = tmp_path / "目录.json"
    result = runner.invoke(app, [command, str(notes), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "没有读到任何目录：文件都不是目录数据，已跳过（1 个文件）" in result.stderr
    assert not out.exists()


@pytest.fixture
def template(tmp_path) -> Path:
    out = tmp_path / "目录模板.xlsx"
    assert runner.invoke(app, ["template", "-o", str(out)]).exit_code == 0
    return out


@pytest.mark.parametrize("tables", [True, False], ids=["tables", "records"])
def test_the_empty_template_is_a_warning(template, tables, monkeypatch):
    if not tables:
        command = importlib.import_module("catalog_cli.cli.validate")
        monkeypatch.setattr(command, "table_input", lambda path: None)
    result = runner.invoke(app, ["validate", str(template), "-f", "json"])
    assert result.exit_code == 0  # a warning: not a failure at the default --fail-on error
    data = json.loads(result.stdout)
    assert [(f["code"], f["severity"], f["file"]) for f in data["findings"]] == [
        ("empty-catalog", "warning", str(template))
    ]
    strict = runner.invoke(app, ["validate", str(template), "--fail-on", "warning"])
    assert strict.exit_code == 1
    verdict = strict.stdout.strip().splitlines()[-1]
    assert verdict == (
        "校验不通过：1 个文件，主项 0 项，子项 0 项；目录为空；错误 0 个，警告 1 个，提示 0 个。"
    )


def test_an_empty_catalog_among_others_is_named(template):
    result = runner.invoke(app, ["validate", str(SAMPLES / "市级目录.xlsx"), str(template)])
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith(f"{template}：通过，主项 0 项，子项 0 项；") for line in lines)
    assert "其中 1 个目录为空" in lines[-1]


def test_stats_names_the_denominator(tmp_path):
    result = runner.invoke(app, ["stats", str(SAMPLES / "市级目录.xlsx")])
    assert result.exit_code == 0
    shares = [line for line in result.stdout.splitlines() if "占子项" in line]
    assert len(shares) == 7
    assert all("占子项 87 项的 " in line for line in shares)
    assert "项，占比" not in result.stdout


@pytest.mark.skipif(not REALDATA.is_dir(), reason="real data not published here")
def test_stats_on_sichuan_has_no_data_for_online_rather_than_0_percent():
    source = REALDATA / "bszl_flat.csv"
    result = runner.invoke(app, ["stats", str(source)])
    assert result.exit_code == 0, result.stderr
    assert "网上办 无数据（1135 项未填写）" in result.stdout
    assert "网上办 0 项" not in result.stdout
    data = json.loads(runner.invoke(app, ["stats", str(source), "-f", "json"]).stdout)
    online = next(s for s in data["shares"] if s["name"] == "网上办")
    assert online == {
        "name": "网上办",
        "count": 0,
        "total": 1135,
        "percent": None,
        "unfilled": 1135,
        "note": "是否网办为是",
    }
    filled = [s for s in data["shares"] if s["unfilled"] < s["total"]]
    assert all(s["percent"] is not None for s in filled)


@pytest.mark.parametrize("tables", [True, False], ids=["tables", "records"])
def test_a_share_nobody_filled_in_has_no_data(rows, write, tables, monkeypatch):
    if not tables:
        command = importlib.import_module("catalog_cli.cli.stats")
        monkeypatch.setattr(command, "table_input", lambda path: None)
    for leaf in rows["子项"]:
        leaf["是否网办"] = None
        leaf["网上办理深度"] = None
    rows["子项"][0]["到办事现场次数"] = None  # one leaf without a count: noted, still counted
    src = write(rows)
    text = runner.invoke(app, ["stats", str(src)]).stdout
    assert "网上办 无数据（3 项未填写）" in text
    assert "全程网办 无数据（3 项未填写）" in text
    assert "一次办 2 项，占子项 3 项的 66.67%（1 项未填写）" in text
    data = json.loads(runner.invoke(app, ["stats", str(src), "-f", "json"]).stdout)
    shares = {s["name"]: (s["count"], s["percent"], s["unfilled"]) for s in data["shares"]}
    assert shares["网上办"] == (0, None, 3)
    assert shares["一次办"] == (2, 66.67, 1)
    assert shares["马上办"][2] == 0
