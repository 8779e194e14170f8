"""Versions of one item (the Guangxi interface dump holds every published version of an item
as its own record): the latest is read, the others are named in an ``item-versions`` finding,
``--versions all`` keeps them all, and stats and reduce never count a version as a leaf.

Which fields identify an item and which order its versions is data: the ``versions`` rule of
schemas/profiles/guangxi-audit.json (实施编码 + ywcode, the 业务办理项编码; task_version, then
version_date).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from test_realdata import GUANGXI, REALDATA
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.model import Catalog, Leaf, MainItem
from catalog_cli.read import read_catalog
from catalog_cli.read.versions import VersionRule, select_versions, version_groups
from catalog_cli.write.workbook import write_workbook

needs_realdata = pytest.mark.skipif(
    not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout"
)
runner = CliRunner()

RELIGIOUS = "11450721MB155808114000141005000"  # 7 records: 3 业务办理项, each in 2-3 versions


def _versions(leaves: list[Leaf]) -> Counter:
    return Counter(
        (leaf.impl_code, leaf.extra.get("ywcode"), leaf.extra.get("task_version"))
        for leaf in leaves
    )


@needs_realdata
def test_guangxi_reads_the_latest_version_of_each_item():
    result = read_catalog(GUANGXI)
    leaves = list(result.catalog.iter_leaves())
    assert len(leaves) == 7
    assert _versions(leaves) == Counter(
        {
            ("11450721MB155808114000104002000", None, "13"): 1,
            ("11450721348531435D4001033002000", None, "12"): 1,
            (RELIGIOUS, None, "16"): 1,
            (RELIGIOUS, RELIGIOUS + "01", "8"): 1,
            (RELIGIOUS, RELIGIOUS + "02", "8"): 1,
            ("TE45072110000000034450708001W01", None, "16"): 1,
            ("1145072100811537184452004020000", None, "11"): 1,
        }
    )
    latest = next(
        leaf for leaf in leaves if leaf.impl_code == RELIGIOUS and not leaf.extra.get("ywcode")
    )
    assert latest.promised_limit.value == 5  # 承诺 10 → 8 → 5 across versions
    # each kept version keeps its own materials
    assert all(leaf.materials for leaf in leaves)
    notes = [f for f in result.findings if f.code == "item-versions"]
    assert len(notes) == 4 and all(f.severity == "info" for f in notes)
    main = next(f for f in notes if f.item == RELIGIOUS and "14" in f.message)
    assert (
        "版本号 16" in main.message and "版本号 14" in main.message and "版本号 15" in main.message
    )
    assert main.row is not None and main.file.endswith("AUDIT_ITEM.csv")


@needs_realdata
def test_versions_all_keeps_every_record():
    result = read_catalog(GUANGXI, versions="all")
    assert result.catalog.count_leaves() == 12
    assert not [f for f in result.findings if f.code == "item-versions"]
    assert sum(len(leaf.materials) for leaf in result.catalog.iter_leaves()) == 55


@needs_realdata
def test_only_the_latest_counts_as_a_duplicate_impl_code():
    """The three 业务办理项 of one 实施编码 remain; the dropped versions are no duplicates."""
    from helpers import validate_files

    latest = validate_files(GUANGXI).by_code
    every = validate_files(GUANGXI, versions="all").by_code
    assert every["duplicate-impl-code"] == 7 and latest.get("duplicate-impl-code", 0) == 2
    assert latest["item-versions"] == 4


@needs_realdata
@pytest.mark.parametrize(("options", "leaves"), [([], 7), (["--versions", "all"], 12)])
def test_stats_counts_versions_once(options, leaves, tmp_path):
    done = runner.invoke(app, ["stats", *map(str, GUANGXI), "-f", "json", *options])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["counts"]["leaves"] == leaves


@needs_realdata
@pytest.mark.parametrize(("options", "leaves"), [([], 7), (["--versions", "all"], 12)])
def test_a_normalized_workbook_keeps_counting_versions_once(options, leaves, tmp_path):
    """Written with every version, the workbook still holds them as versions: stats reads the
    latest unless told otherwise (on records: the tables count rows)."""
    out = tmp_path / "all.xlsx"
    done = runner.invoke(
        app, ["normalize", *map(str, GUANGXI), "-o", str(out), "--versions", "all"]
    )
    assert done.exit_code == 0, done.output
    stats = runner.invoke(app, ["stats", str(out), "-f", "json", *options])
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["counts"]["leaves"] == leaves
    reduce = runner.invoke(app, ["reduce", str(out), "-f", "json", *options])
    assert reduce.exit_code == 0, reduce.output
    assert json.dumps(json.loads(reduce.stdout), ensure_ascii=False).count(RELIGIOUS) >= 1


@needs_realdata
@pytest.mark.parametrize("command", ["ingest", "normalize"])
def test_ingest_and_normalize_take_the_option(command, tmp_path):
    out = tmp_path / "out.json"
    done = runner.invoke(app, [command, *map(str, GUANGXI), "-o", str(out), "--versions", "all"])
    assert done.exit_code == 0, done.output
    assert read_catalog([out], versions="all").catalog.count_leaves() == 12
    assert read_catalog([out]).catalog.count_leaves() == 7  # the JSON keeps the version fields


def test_a_wrong_mode_is_a_usage_error():
    done = runner.invoke(app, ["stats", "x.xlsx", "--versions", "newest"])
    assert done.exit_code == 2


def _leaf(code: str, version: str | None, date: str | None = None, **extra: str) -> Leaf:
    values = {k: v for k, v in {"task_version": version, "version_date": date}.items() if v}
    return Leaf(impl_code=code, name=code, extra={**values, **extra})


def test_records_without_version_fields_are_no_versions():
    catalog = Catalog(
        main_items=[MainItem(basic_code="1", leaves=[_leaf("A", None), _leaf("A", None)])]
    )
    assert select_versions(catalog) == [] and catalog.count_leaves() == 2


def test_equal_versions_are_duplicates_not_versions():
    catalog = Catalog(
        main_items=[MainItem(basic_code="1", leaves=[_leaf("A", "3"), _leaf("A", "3")])]
    )
    assert select_versions(catalog) == [] and catalog.count_leaves() == 2


def test_versions_compare_as_numbers_then_by_date_and_empty_mains_go():
    old, new, newer = _leaf("A", "9"), _leaf("A", "10", "1"), _leaf("A", "10", "2")
    catalog = Catalog(
        main_items=[
            MainItem(basic_code="1", leaves=[old]),
            MainItem(basic_code="2", leaves=[new, newer]),
        ]
    )
    found = select_versions(catalog)
    assert list(catalog.iter_leaves()) == [newer] and len(catalog.main_items) == 1
    assert len(found) == 1 and found[0].code == "item-versions"


def test_version_groups_are_per_identity():
    rule_ids = [("A",), ("A",), ("B",), ("B",)]
    orders = [("1",), ("2",), ("1",), None]
    assert version_groups(rule_ids, orders) == [([0, 1], [1])]
    assert VersionRule("p", ("impl_code",), ("extra.v",), {}).title("extra.v") == "v"


@needs_realdata
def test_materials_per_leaf_survive_the_round_trip(tmp_path):
    for versions in ("latest", "all"):
        original = read_catalog(GUANGXI, versions=versions).catalog
        out = tmp_path / f"{versions}.xlsx"
        write_workbook(original, out)
        again = read_catalog([out], versions=versions).catalog
        per_leaf = [len(leaf.materials) for leaf in original.iter_leaves()]
        assert [len(leaf.materials) for leaf in again.iter_leaves()] == per_leaf
        if versions == "all":
            assert per_leaf == [2, 1, 1, 5, 5, 5, 5, 5, 5, 5, 7, 9]
