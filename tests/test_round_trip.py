"""ingest → standard workbook → ingest and ingest → JSON → ingest give the same catalog, and
normalize output validates with no finding its source did not have.

The standard workbook links rows to their parents by the link columns 主项序号 / 子项序号
(docs/standard-workbook.md), so items without codes or with repeated codes (the real data)
keep their sub-items, materials and steps.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import IMPL_1, IMPL_2, MAIN_SUBS
from helpers import SAMPLE_WORKBOOKS, SAMPLES, validate_files
from test_realdata import REALDATA, SETS

from catalog_cli.ingest.normalize import normalize_paths
from catalog_cli.model import Catalog
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables
from catalog_cli.write.json import write_catalog_json
from catalog_cli.write.workbook import write_workbook

SAMPLE_FILES = [SAMPLES / name for name in SAMPLE_WORKBOOKS] + sorted((SAMPLES / "messy").iterdir())
needs_realdata = pytest.mark.skipif(
    not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout"
)


def _shape(catalog: Catalog) -> list[tuple[str | None, list[tuple[str | None, int, int]]]]:
    """Each main item's code and, per leaf, (code, materials, steps): what a lost link changes."""
    return [
        (
            m.basic_code,
            [(leaf.impl_code, len(leaf.materials), len(leaf.steps)) for leaf in m.leaves],
        )
        for m, ls in ((m, m.leaves) for m in catalog.main_items)
    ]


def _assert_round_trips(sources: list[Path], tmp_path: Path, **options) -> Catalog:
    original = read_catalog(sources, **options).catalog
    as_xlsx, as_json = tmp_path / "rt.xlsx", tmp_path / "rt.json"
    write_workbook(original, as_xlsx)
    write_catalog_json(original, as_json)
    from_xlsx = read_catalog([as_xlsx], **options).catalog
    from_json = read_catalog([as_json], **options).catalog
    assert _shape(from_xlsx) == _shape(original)
    assert from_xlsx.main_items == original.main_items
    assert from_xlsx.orphans == original.orphans
    assert from_xlsx.bundles == original.bundles
    assert from_json == original
    return original


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_samples_round_trip_exactly(path, tmp_path):
    _assert_round_trips([path], tmp_path)


@needs_realdata
@pytest.mark.parametrize("name", list(SETS))
@pytest.mark.parametrize("versions", ["latest", "all"])
def test_real_data_round_trips_exactly(name, versions, tmp_path):
    _assert_round_trips(SETS[name], tmp_path, versions=versions)


@needs_realdata
@pytest.mark.parametrize(
    "folder",
    [
        "guangxi_lingshan_audit_items",
        "sichuan_guangan_district_catalog",
        "jinan_huaiyin_street_guides",
    ],
)
def test_real_data_folders_round_trip_exactly(folder, tmp_path):
    original = read_catalog([REALDATA / folder], strict=False).catalog
    as_xlsx = tmp_path / "rt.xlsx"
    write_workbook(original, as_xlsx)
    again = read_catalog([as_xlsx]).catalog
    assert again.main_items == original.main_items and again.orphans == original.orphans


def _no_codes(rows):
    """Every code blanked: only the link columns can say which row belongs where."""
    for sheet in rows.values():
        for row in sheet:
            for key in ("实施编码", "基本编码", "主项编码"):
                if key in row:
                    row[key] = None
    return rows


def _repeated_codes(rows):
    """Both sub-items of the first main item share one 实施编码 (and so do their materials)."""
    for sheet in ("子项", "办理情形", "申请材料", "办理流程"):
        for row in rows[sheet]:
            if row.get("实施编码") == IMPL_2:
                row["实施编码"] = IMPL_1
    return rows


def _main_without_code(rows):
    for row in rows["主项"]:
        if row["基本编码"] == MAIN_SUBS:
            row["基本编码"] = None
    for row in rows["子项"]:
        if row["主项编码"] == MAIN_SUBS:
            row["主项编码"] = None
    return rows


def _orphans(rows):
    rows["子项"][0]["主项编码"] = "999999999999"
    rows["申请材料"][0]["实施编码"] = "no-such-item"
    return rows


def _extra_column(rows):
    for row in rows["子项"]:
        row["备案号"] = "A-1"
    return rows


FIXTURES = {
    "base": lambda rows: rows,
    "no-codes": _no_codes,
    "repeated-codes": _repeated_codes,
    "main-without-code": _main_without_code,
    "orphans": _orphans,
    "extra-column": _extra_column,
}


@pytest.mark.parametrize("name", list(FIXTURES))
def test_fixture_workbooks_round_trip_exactly(name, rows, write, tmp_path):
    _assert_round_trips([write(FIXTURES[name](rows))], tmp_path)


def test_repeated_codes_keep_each_leafs_own_materials(rows, write, tmp_path):
    source = write(_repeated_codes(rows))
    original = read_catalog([source]).catalog
    # read by codes, both sub-items' materials land on the first one
    assert [len(leaf.materials) for leaf in original.iter_leaves()] == [6, 0, 3]
    as_xlsx = tmp_path / "rt.xlsx"
    write_workbook(original, as_xlsx)
    assert [len(leaf.materials) for leaf in read_catalog([as_xlsx]).catalog.iter_leaves()] == [
        6,
        0,
        3,
    ]


def test_hand_made_workbook_without_link_columns_links_by_codes(rows, write):
    catalog = read_catalog([write(rows)]).catalog
    assert [len(m.leaves) for m in catalog.main_items] == [2, 1]
    assert [len(leaf.materials) for leaf in catalog.iter_leaves()] == [3, 3, 3]


def test_items_without_codes_keep_their_parents(rows, write, tmp_path):
    """A catalog whose records lost every code (as flat sheets and interface dumps give them)
    is written and read back with each leaf under its main item and each child under its leaf;
    the link columns are no extra attributes."""
    catalog = read_catalog([write(rows)]).catalog
    for main in catalog.main_items:
        main.basic_code = None
        for leaf in main.leaves:
            leaf.impl_code = leaf.basic_code = leaf.main_code = None
    out = tmp_path / "rt.xlsx"
    write_workbook(catalog, out)
    result = read_catalog([out])
    assert not [f for f in result.findings if f.code == "unknown-column"]
    assert all(not leaf.extra for leaf in result.catalog.iter_leaves())
    assert [len(m.leaves) for m in result.catalog.main_items] == [2, 1]
    assert [len(leaf.materials) for leaf in result.catalog.iter_leaves()] == [3, 3, 3]
    assert result.catalog == catalog


def test_a_parent_key_naming_no_row_falls_back_to_the_code(tmp_path, rows, write):
    import openpyxl

    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "rt.xlsx"
    write_workbook(catalog, out)
    book = openpyxl.load_workbook(out)
    sheet = book["申请材料"]
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("子项序号") + 1, 99)  # no 子项 row has key 99
    book.save(out)
    again = read_catalog([out]).catalog
    assert [len(leaf.materials) for leaf in again.iter_leaves()] == [3, 3, 3]


def _new_findings(before, after) -> dict[str, int]:
    """Per code, the output findings the source did not have: none when the code's count did
    not grow; else those whose (element, value) no source finding of the code has.

    A count may grow without a new problem: the output holds a main item that stood on its
    leaf's row as a row of its own (主项), and a cell listing several materials as a row per
    material, so one problem of the source is reported on each of those rows.
    """
    counts, seen = Counter(f.code for f in before.findings), Counter()
    known = {(f.code, f.element, f.value) for f in before.findings}
    for f in after.findings:
        seen[f.code] += 1
    new: Counter = Counter()
    for f in after.findings:
        if f.code not in counts or (
            seen[f.code] > counts[f.code] and (f.code, f.element, f.value) not in known
        ):
            new[f.code] += 1
    return dict(new)


@needs_realdata
@pytest.mark.parametrize("name", list(SETS))
def test_normalize_output_has_no_finding_its_source_did_not_have(name, tmp_path):
    sources = SETS[name]
    before = validate_files(sources)
    out = tmp_path / "out.xlsx"
    normalize_paths(sources, out)
    after = validate_files([out])
    assert _new_findings(before, after) == {}
    tree = ("orphan", "duplicate")  # lost or doubled links: never more than in the source
    for code, n in after.by_code.items():
        if code.startswith(tree):
            assert n <= before.by_code.get(code, 0), code


def test_a_new_finding_would_be_seen(rows, write, tmp_path):
    before = validate_files([write(rows)])
    rows["申请材料"][1]["序号"] = 1  # a repeated 序号: duplicate-seq
    after = validate_files([write(rows, "broken.xlsx")])
    assert _new_findings(before, after) == {"duplicate-seq": after.by_code["duplicate-seq"]}


@needs_realdata
@pytest.mark.parametrize("name", list(SETS))
def test_normalize_output_is_read_as_records_when_links_and_codes_differ(name, tmp_path):
    """The tables reader links by codes: a workbook whose link columns say otherwise is
    refused (the commands fall back to records), one where they agree is read."""
    from catalog_cli.model.errors import CatalogInputError

    out = tmp_path / "out.xlsx"
    normalize_paths(SETS[name], out)
    catalog = read_catalog([out]).catalog
    try:
        tables = read_tables(out)
    except CatalogInputError as exc:
        assert "按记录读取" in exc.message
    else:
        assert tables.tables["leaf"].table.num_rows == catalog.count_leaves()
