"""Reading flat inputs on several cores writes the catalog JSON of one process, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from test_realdata import GUANGXI, REALDATA

from catalog_cli.ingest import ingest_paths
from catalog_cli.ingest.shards import _self_contained, stream_json
from catalog_cli.model import MainItem
from catalog_cli.read import read_catalog
from catalog_cli.read.assemble import FlatRecords
from catalog_cli.write.json import write_catalog_json

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FLAT = SAMPLES / "messy" / "市级目录-平铺.xlsx"
CSV = SAMPLES / "messy" / "市级目录-导出.csv"


def _serial(paths: list[Path], out: Path):
    result = read_catalog(paths, strict=False)
    write_catalog_json(result.catalog, out)
    return result


def _assert_same(paths: list[Path], tmp_path: Path) -> None:
    streamed = stream_json(paths, tmp_path / "多进程.json", jobs=2, min_bytes=0)
    assert streamed is not None
    serial = _serial(paths, tmp_path / "单进程.json")
    assert (tmp_path / "多进程.json").read_bytes() == (tmp_path / "单进程.json").read_bytes()
    assert streamed.main_items == len(serial.catalog.main_items) > 0
    assert streamed.leaves == serial.catalog.count_leaves()
    assert streamed.result.findings == serial.findings
    assert streamed.result.changes.by_file() == serial.changes.by_file()
    assert streamed.result.layouts == serial.layouts
    assert streamed.result.files == serial.files
    assert streamed.result.catalog.main_items == []  # streamed, never held


def test_flat_workbook_and_csv_stream_to_the_same_json(tmp_path):
    _assert_same([FLAT, CSV], tmp_path)


def test_sheets_without_header_are_skipped_as_in_one_process(tmp_path):
    path = tmp_path / "带说明页.xlsx"
    shutil.copy(FLAT, path)
    wb = openpyxl.load_workbook(path)
    notes = wb.create_sheet("填表说明", 0)
    notes.append(["本表由各部门填报，每行一个子项。"])
    wb.save(path)
    _assert_same([path], tmp_path)
    streamed = stream_json([path], tmp_path / "again.json", jobs=2, min_bytes=0)
    assert [f.code for f in streamed.result.findings].count("sheet-skipped") == 1


def test_the_output_folder_is_made_and_no_scratch_is_left(tmp_path):
    out = tmp_path / "新建" / "目录.json"
    assert stream_json([FLAT, CSV], out, jobs=2, min_bytes=0) is not None
    assert [p.name for p in out.parent.iterdir()] == ["目录.json"]


def test_a_missing_input_is_an_error_and_the_rest_is_read(tmp_path):
    streamed = stream_json(
        [FLAT, tmp_path / "没有.xlsx"], tmp_path / "out.json", jobs=2, min_bytes=0
    )
    assert [e.message for e in streamed.result.errors] == ["文件不存在"]
    assert streamed.leaves > 0


@pytest.mark.parametrize("case", ["standard", "json", "no-header", "corrupt"])
def test_inputs_it_is_not_for_leave_nothing_written(tmp_path, case):
    other = (
        tmp_path
        / {
            "standard": "标准.xlsx",
            "json": "目录.json",
            "no-header": "无表头.xlsx",
            "corrupt": "坏.xlsx",
        }[case]
    )
    if case == "standard":
        shutil.copy(SAMPLES / "市级目录.xlsx", other)
    elif case == "json":
        _serial([CSV], other)
    elif case == "no-header":
        wb = openpyxl.Workbook()
        wb.active.append(["随便写点什么"])
        wb.save(other)
    else:
        other.write_bytes(b"PK\x03\x04 not really a workbook")
    out = tmp_path / "out.json"
    assert stream_json([FLAT, other], out, jobs=2, min_bytes=0) is None
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == [other.name]


def test_small_inputs_and_one_job_read_in_one_process(tmp_path):
    assert (
        stream_json([FLAT, CSV], tmp_path / "a.json", jobs=2) is None
    )  # the samples are below the threshold
    assert stream_json([FLAT, CSV], tmp_path / "b.json", jobs=1, min_bytes=0) is None
    assert not list(tmp_path.iterdir())


def test_records_linked_by_code_or_key_are_not_self_contained():
    main = MainItem(basic_code="1")
    assert _self_contained(FlatRecords(mains=[main]))
    assert not _self_contained(FlatRecords(leaves=[("1", None)]))
    assert not _self_contained(FlatRecords(keyed={"k": None}))
    part = FlatRecords()
    part.children["materials"].append(("code", None))
    assert not _self_contained(part)


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout")
def test_profile_tables_linked_by_key_fall_back_to_one_process(tmp_path):
    out = tmp_path / "广西.json"
    assert stream_json(GUANGXI, out, jobs=2, min_bytes=0) is None
    ingested = ingest_paths(GUANGXI, out, jobs=2)
    assert ingested.leaves == ingested.result.catalog.count_leaves() > 0
    assert out.exists()


def test_cli_ingest_on_several_cores_reports_counts_and_matches_one_job(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from catalog_cli.cli import app
    from catalog_cli.ingest import shards

    monkeypatch.setattr(shards, "MIN_BYTES", 0)
    runner = CliRunner()
    many, one = tmp_path / "多进程.json", tmp_path / "单进程.json"
    result = runner.invoke(
        app, ["ingest", str(FLAT), str(CSV), "-o", str(many), "-j", "2", "--explain"]
    )
    assert result.exit_code == 0, result.output
    catalog = read_catalog([FLAT, CSV]).catalog
    assert (
        f"主项 {len(catalog.main_items)} 项，子项 {catalog.count_leaves()} 项（读取 2 个文件）"
        in result.stderr.replace("\n", " ")
    )
    assert "平铺表" in result.stderr  # --explain has the layouts the workers used
    assert (
        runner.invoke(app, ["ingest", str(FLAT), str(CSV), "-o", str(one), "-j", "1"]).exit_code
        == 0
    )
    assert many.read_bytes() == one.read_bytes()
    assert runner.invoke(app, ["ingest", str(FLAT), "-o", str(one), "-j", "0"]).exit_code == 2


def test_workers_started_by_spawn_give_the_same_json(tmp_path, monkeypatch):
    """Where there is no fork (Windows, macOS by default) the workers are spawned: same bytes."""
    import multiprocessing

    from catalog_cli.ingest import shards

    monkeypatch.setattr(shards, "process_context", lambda: multiprocessing.get_context("spawn"))
    _assert_same([FLAT, CSV], tmp_path)


def test_the_same_workbook_twice_is_read_once_as_in_one_process(tmp_path):
    path = tmp_path / "带说明页.xlsx"
    shutil.copy(FLAT, path)
    wb = openpyxl.load_workbook(path)
    first = wb.worksheets[0]
    first.cell(
        row=2, column=first.max_column + 1, value="内部备注"
    )  # an unmapped column: a finding per copy
    wb.create_sheet("填表说明").append(["本表由各部门填报。"])
    wb.save(path)
    _assert_same([path, path], tmp_path)
    streamed = stream_json([path, path], tmp_path / "again.json", jobs=2, min_bytes=0)
    codes = [f.code for f in streamed.result.findings]
    assert codes.count("sheet-skipped") == 1  # a file given twice is read once
    assert streamed.result.files == [str(path)]
