"""The messy renderings of the city sample (samples/make_messy.py) normalize back to the same
catalog.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.ingest.normalize import normalize_paths
from catalog_cli.model import Catalog
from catalog_cli.read import read_catalog

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
MESSY = [SAMPLES / "messy" / "市级目录-平铺.xlsx", SAMPLES / "messy" / "市级目录-导出.csv"]
runner = CliRunner()


def _messy_module():
    sys.path.insert(0, str(SAMPLES))
    spec = importlib.util.spec_from_file_location("make_messy", SAMPLES / "make_messy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _by_code(catalog: Catalog) -> Catalog:
    catalog.main_items.sort(key=lambda m: m.basic_code or "")
    return catalog


@pytest.fixture(scope="module")
def expected() -> Catalog:
    city = read_catalog([SAMPLES / "市级目录.xlsx"]).catalog
    return _by_code(_messy_module().flat_projection(city))


@pytest.mark.parametrize("path", MESSY, ids=lambda p: p.name)
def test_messy_sample_normalizes_to_the_city_catalog(path, expected, tmp_path):
    out = tmp_path / "标准目录.xlsx"
    result = runner.invoke(app, ["normalize", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert _by_code(read_catalog([out]).catalog) == expected


def test_flat_workbook_layout_and_changes():
    report = normalize_paths([MESSY[0]], None)
    layouts = report.result.layouts
    assert len(layouts) >= 8 and {layout.kind for layout in layouts} == {"flat"}
    assert {layout.header_rows for layout in layouts} == {(2, 3)}
    counts = report.result.changes.by_kind()
    for kind in ("merged_cell", "traditional", "list_split", "fullwidth", "yes_no", "whitespace"):
        assert counts.get(kind, 0) > 0, kind
    assert report.result.findings == [] or {f.code for f in report.result.findings} <= {
        "unknown-column"
    }


def test_csv_export_is_gb18030_and_read_without_flag():
    data = MESSY[1].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = read_catalog([MESSY[1]])
    assert result.catalog.count_leaves() == 87
    assert read_catalog([MESSY[1]], encoding="gbk").catalog == result.catalog


def test_normalize_is_byte_stable(tmp_path):
    first, second = tmp_path / "一.xlsx", tmp_path / "二.xlsx"
    normalize_paths([MESSY[0]], first)
    normalize_paths([first], second)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("path", [SAMPLES / "市级目录.xlsx", *MESSY], ids=lambda p: p.name)
def test_ingest_json_ingest_gives_an_equal_catalog(path, tmp_path):
    as_json = tmp_path / "目录.json"
    normalize_paths([path], as_json)
    assert read_catalog([as_json]).catalog == read_catalog([path]).catalog


def test_every_changed_cell_of_the_csv_is_counted():
    import csv
    import io

    rows = list(csv.reader(io.StringIO(MESSY[1].read_bytes().decode("gb18030"))))
    header = rows[0]
    columns = [header.index("是否收费"), header.index("是否网办")]
    ticks = sum(1 for row in rows[1:] for c in columns if row[c] in ("√", "×"))
    changes = normalize_paths([MESSY[1]], None).result.changes.by_kind()
    assert ticks > 0 and changes["yes_no"] == ticks
