"""A catalog is a file: validate, stats and reduce treat each input file as its own catalog.

Catalog-wide rules (duplicates, code suffixes, agency codes) run within one file, so two counties
that share the city's codes do not "duplicate" each other; ``--merge`` reads all inputs as one
catalog (today's behaviour); a file given or reached twice is read once, with a warning.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import SAMPLES, validate_files
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.read import expand_inputs, gather_inputs

runner = CliRunner()
EAST = SAMPLES / "县级目录-东湖县.xlsx"
WEST = SAMPLES / "县级目录-西山县.xlsx"
CITY = SAMPLES / "市级目录.xlsx"


def _json(args: list[str]) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, args)
    return result.exit_code, json.loads(result.stdout), result.stderr


def _by_file(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        out.setdefault(f["file"], []).append(f)
    return out


def _expected(path: Path) -> list[tuple[str, str, int, str]]:
    """The documented errors of a sample (samples/expected/)."""
    data = json.loads((SAMPLES / "expected" / f"{path.stem}.json").read_text(encoding="utf-8"))
    return sorted((e["code"], e["sheet"], e["row"], e["element"]) for e in data)


def _located(findings: list[dict[str, Any]]) -> list[tuple[str, str, int, str]]:
    return sorted((f["code"], f["sheet"], f["row"], f["element"]) for f in findings)


# --- validate -----------------------------------------------------------------------------------


def test_two_counties_each_get_their_own_seven_findings():
    code, both, _ = _json(["validate", str(EAST), str(WEST), "-f", "json"])
    assert code == 1
    found = _by_file(both["findings"])
    assert set(found) == {str(EAST), str(WEST)}
    for path in (EAST, WEST):
        _, alone, _ = _json(["validate", str(path), "-f", "json"])
        assert found[str(path)] == alone["findings"]  # the same findings, in the same order
        assert _located(found[str(path)]) == _expected(path)
        assert len(found[str(path)]) == 7
    assert both["summary"]["total"] == 14
    assert not {"duplicate-basic-code", "main-code-suffix"} & set(both["summary"]["by_code"])


def test_the_json_summary_has_a_line_per_file_and_the_totals():
    _, both, _ = _json(["validate", str(EAST), str(WEST), "-f", "json"])
    _, east, _ = _json(["validate", str(EAST), "-f", "json"])
    per_file = both["summary"]["per_file"]
    assert [p["file"] for p in per_file] == [str(EAST), str(WEST)]
    assert per_file[0] == {
        "file": str(EAST),
        "status": "read",
        "main_items": east["summary"]["main_items"],
        "leaves": east["summary"]["leaves"],
        "total": 7,
        "by_severity": east["summary"]["by_severity"],
    }
    assert both["summary"]["main_items"] == sum(p["main_items"] for p in per_file)
    assert both["summary"]["leaves"] == sum(p["leaves"] for p in per_file)
    assert "per_file" not in east["summary"]  # one file: the summary as it always was


def test_text_prints_a_summary_line_per_file_then_the_totals():
    result = runner.invoke(app, ["validate", str(EAST), str(WEST)])
    lines = result.stdout.splitlines()
    east = next(line for line in lines if line.startswith(f"{EAST}："))
    assert "不通过" in east and "主项 44 项，子项 76 项" in east and "错误 7 个" in east
    assert any(line.startswith(f"{WEST}：") and "主项 43 项" in line for line in lines)
    assert lines[-1].startswith("校验不通过：2 个文件，每个文件作为一个目录校验，2 个不通过，合计")
    assert "主项 87 项，子项 150 项" in lines[-1]


def test_a_folder_is_the_union_of_its_files_validated_alone():
    _, folder, _ = _json(["validate", str(SAMPLES), "-f", "json"])
    files = expand_inputs([SAMPLES])
    assert len(files) == 4
    expected = []
    for path in files:
        _, alone, _ = _json(["validate", str(path), "-f", "json"])
        expected += alone["findings"]
    assert folder["findings"] == expected
    assert folder["summary"]["total"] == len(expected) == 14
    assert [p["file"] for p in folder["summary"]["per_file"]] == [str(p) for p in files]


def test_merge_reads_all_inputs_as_one_catalog_as_before():
    merged = validate_files([EAST, WEST])  # the library's merged read: today's result
    code, data, _ = _json(["validate", str(EAST), str(WEST), "--merge", "-f", "json"])
    assert code == 1
    assert data["findings"] == [f.to_dict() for f in merged.findings]
    assert data["summary"]["total"] == merged.total > 14  # the shared codes collide when merged
    assert "duplicate-basic-code" in data["summary"]["by_code"]
    assert "per_file" not in data["summary"]


# --- the same file twice -------------------------------------------------------------------------


def test_the_same_file_given_twice_is_read_once_with_a_warning():
    once = runner.invoke(app, ["validate", str(EAST), "-f", "json"])
    twice = runner.invoke(app, ["validate", str(EAST), str(EAST), "-f", "json"])
    assert twice.exit_code == once.exit_code == 1
    assert twice.stdout == once.stdout  # not a duplicate of itself
    assert f"警告：{EAST}重复给出，只读取一次" in twice.stderr
    assert "重复给出" not in once.stderr


def test_a_file_reached_again_through_a_folder_or_another_spelling_is_read_once(tmp_path):
    folder = tmp_path / "目录"
    folder.mkdir()
    copy = shutil.copy(EAST, folder / EAST.name)
    other = folder / ".." / "目录" / EAST.name  # the same file, spelled differently
    inputs = gather_inputs([copy, folder, other])
    assert inputs.files == [Path(copy)]
    assert [again for again, _ in inputs.repeated] == [Path(copy), other]
    result = runner.invoke(app, ["stats", str(folder), str(other), "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"] == [str(copy)]
    assert f"{other}（与 {copy} 是同一文件）重复给出" in result.stderr


# --- stats and reduce ---------------------------------------------------------------------------


def test_stats_reports_each_file_and_their_total():
    code, both, _ = _json(["stats", str(EAST), str(WEST), "-f", "json"])
    assert code == 0
    alone = [_json(["stats", str(p), "-f", "json"])[1] for p in (EAST, WEST)]
    assert both["per_file"] == alone
    assert both["files"] == [str(EAST), str(WEST)]
    assert both["counts"] == {
        key: alone[0]["counts"][key] + alone[1]["counts"][key] for key in alone[0]["counts"]
    }
    for i, share in enumerate(both["shares"]):
        parts = [a["shares"][i] for a in alone]
        assert share["count"] == sum(p["count"] for p in parts)
        assert share["total"] == sum(p["total"] for p in parts)
    text = runner.invoke(app, ["stats", str(EAST), str(WEST)]).stdout
    assert f"【{EAST}】" in text and f"【{WEST}】" in text and "【合计：2 个文件" in text
    assert "按文件" in text


def test_stats_of_several_files_equals_the_merged_figures_where_they_add_up():
    _, each, _ = _json(["stats", str(EAST), str(WEST), "-f", "json"])
    _, merged, _ = _json(["stats", str(EAST), str(WEST), "--merge", "-f", "json"])
    assert "per_file" not in merged
    # the leaves are the same leaves: the shares' counts add up either way
    assert [s["count"] for s in each["shares"]] == [s["count"] for s in merged["shares"]]
    assert each["counts"]["leaves"] == merged["counts"]["leaves"]


def test_reduce_reports_each_file_and_their_total():
    code, both, _ = _json(["reduce", str(EAST), str(WEST), "-f", "json"])
    assert code == 0
    alone = [_json(["reduce", str(p), "-f", "json"])[1] for p in (EAST, WEST)]
    assert both["per_file"] == alone
    assert both["legal"]["leaves"] == alone[0]["legal"]["leaves"] + alone[1]["legal"]["leaves"]
    saved = {t["unit"]: t["saved"] for t in both["legal"]["totals"]}
    for unit, total in saved.items():
        parts = [t["saved"] for a in alone for t in a["legal"]["totals"] if t["unit"] == unit]
        assert total == pytest.approx(sum(parts))
    text = runner.invoke(app, ["reduce", str(EAST), str(WEST)]).stdout
    assert "【合计：2 个文件" in text and "按文件" in text


def test_reduce_of_several_files_against_one_baseline():
    baseline = SAMPLES / "市级目录-2021版.xlsx"
    args = ["reduce", str(CITY), str(EAST), "--baseline", str(baseline), "-f", "json"]
    code, both, _ = _json(args)
    assert code == 0
    alone = [
        _json(["reduce", str(p), "--baseline", str(baseline), "-f", "json"])[1]
        for p in (CITY, EAST)
    ]
    assert both["per_file"] == alone
    assert both["baseline"]["files"] == [str(baseline)]


@pytest.mark.parametrize("command", ["stats", "reduce"])
def test_one_file_renders_as_before_whatever_the_merge(command):
    for fmt in ("text", "json", "md"):
        plain = runner.invoke(app, [command, str(EAST), "-f", fmt])
        merged = runner.invoke(app, [command, str(EAST), "--merge", "-f", fmt])
        assert plain.exit_code == merged.exit_code == 0
        assert plain.stdout == merged.stdout
        assert "【" not in plain.stdout


# --- ingest -------------------------------------------------------------------------------------


def test_ingest_merges_and_says_so(tmp_path):
    out = tmp_path / "目录.json"
    result = runner.invoke(app, ["ingest", str(EAST), str(WEST), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "已把 2 个文件合并为一个目录" in result.stderr
    one = runner.invoke(app, ["ingest", str(EAST), "-o", str(tmp_path / "一个.json")])
    assert "合并" not in one.stderr


# --- an interface export split into linked files is one catalog --------------------------------

GUANGXI = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "realdata"
    / "guangxi_lingshan_audit_items"
)


@pytest.mark.skipif(not GUANGXI.is_dir(), reason="../shared/realdata is not beside this checkout")
def test_the_linked_tables_of_an_export_are_one_catalog_as_files_or_as_a_folder():
    files = sorted(map(str, GUANGXI.glob("AUDIT_*.csv")))
    _, merged, _ = _json(["validate", *files, "--merge", "-f", "json"])
    _, as_files, _ = _json(["validate", *files, "-f", "json"])
    _, as_folder, _ = _json(["validate", str(GUANGXI), "-f", "json"])
    assert merged["summary"]["leaves"] == 7
    assert as_files["summary"]["leaves"] == merged["summary"]["leaves"]
    assert as_files["summary"]["by_code"] == merged["summary"]["by_code"]
    # the folder: the linked tables are one catalog where the first stands; items.json, the
    # same export as one JSON record per item (its tables under their names), is another, and
    # the same; the field notes are skipped
    per_file = {Path(f["file"]).name: f for f in as_folder["summary"]["per_file"]}
    assert {name: f["status"] for name, f in per_file.items()} == {
        "AUDIT_ITEM.csv": "read",
        "field_labels_ANNOTATION.csv": "skipped",
        "items.json": "read",
    }
    for name in ("AUDIT_ITEM.csv", "items.json"):
        assert per_file[name]["leaves"] == 7
        assert per_file[name]["total"] == merged["summary"]["total"]
        assert per_file[name]["by_severity"] == merged["summary"]["by_severity"]


@pytest.mark.skipif(not GUANGXI.is_dir(), reason="../shared/realdata is not beside this checkout")
def test_only_the_tables_a_profile_links_go_together(tmp_path):
    from catalog_cli.read.profiles import linked_profile

    item = tmp_path / "AUDIT_ITEM.csv"
    shutil.copy(GUANGXI / "AUDIT_ITEM.csv", item)
    plain = tmp_path / "导出.csv"
    plain.write_text("事项名称,实施编码\n甲,1\n", encoding="utf-8")
    assert linked_profile(plain) is None
    assert linked_profile(CITY) is None  # a workbook is its own catalog
    assert linked_profile(item) == "guangxi-audit"
    assert linked_profile(item, "sichuan-bszl") is None
    units = gather_inputs([plain, item, CITY]).each()
    assert [u.files for u in units] == [[plain], [item], [CITY]]
    material = tmp_path / "AUDIT_MATERIAL.csv"
    shutil.copy(GUANGXI / "AUDIT_MATERIAL.csv", material)
    units = gather_inputs([item, plain, material]).each()
    assert [u.files for u in units] == [[item, material], [plain]]
