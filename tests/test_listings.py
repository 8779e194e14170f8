"""Repeated listings (catalog_cli/read/listings.py): one leaf listed once per 服务对象."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from conftest import IMPL_3
from helpers import validate_files
from typer.testing import CliRunner

from catalog_cli.analyses.validate import validate, validate_tables
from catalog_cli.cli import app
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables

HEADER = "实施编码,基本编码,事项名称,事项类型,实施主体,服务对象,申请材料,办理地点\n"
ROW = "A1,340164213001,甲事项,行政许可,某局,{audience},身份证；申请书,{address}\n"


def _csv(tmp_path: Path, *rows: tuple[str, str], name: str = "目录.csv") -> Path:
    """A flat CSV of listings of one 实施编码: (服务对象, 办理地点) per row."""
    path = tmp_path / name
    text = HEADER + "".join(ROW.format(audience=a, address=b) for a, b in rows)
    path.write_text(text, encoding="utf-8")
    return path


def test_listings_that_differ_only_in_service_object_are_one_leaf(tmp_path):
    path = _csv(tmp_path, ("个人", "大厅"), ("法人", "大厅"), ("事业法人；个人", "大厅"))
    result = read_catalog([path])
    leaves = list(result.catalog.iter_leaves())
    assert len(leaves) == 1 and leaves[0].service_object == ["1", "2", "3"]
    assert leaves[0].source.row == 2 and len(leaves[0].materials) == 2
    found = [f for f in result.findings if f.code == "repeated-listing"]
    assert [(f.severity, f.row, f.element, f.item, f.value) for f in found] == [
        ("info", 2, "服务对象", "A1", "自然人、企业法人、事业法人")
    ]
    assert "第 3 行" in found[0].message and "第 4 行" in found[0].message
    report = validate_files([path])
    assert "duplicate-impl-code" not in report.by_code
    assert report.by_code["repeated-listing"] == 1


def test_listings_that_differ_in_anything_else_stay_duplicates(tmp_path):
    path = _csv(tmp_path, ("个人", "大厅"), ("法人", "二楼"))
    leaves = list(read_catalog([path]).catalog.iter_leaves())
    assert [leaf.service_object for leaf in leaves] == [["1"], ["2"]]
    report = validate_files([path])
    assert report.by_code["duplicate-impl-code"] == 1 and "repeated-listing" not in report.by_code


def test_equal_listings_and_other_materials_are_not_merged(tmp_path):
    same = _csv(tmp_path, ("个人", "大厅"), ("个人", "大厅"), name="同.csv")
    assert read_catalog([same]).catalog.count_leaves() == 2
    other = tmp_path / "材料.csv"
    other.write_text(
        HEADER
        + ROW.format(audience="个人", address="大厅")
        + ROW.format(audience="法人", address="大厅").replace("身份证；申请书", "营业执照"),
        encoding="utf-8",
    )
    result = read_catalog([other])
    assert result.catalog.count_leaves() == 2
    assert not [f for f in result.findings if f.code == "repeated-listing"]


def test_merging_runs_before_versions_are_chosen(tmp_path):
    """Two listings of one item and an older version of it: the listings merge, the version
    rule still sees one current record and one old one (Guangxi columns, version order)."""
    head = "rowguid,task_code,task_name,anticipate_day,promise_day,task_version,serve_type\n"
    path = tmp_path / "AUDIT_ITEM.csv"
    path.write_text(
        head + "g1,T1,甲,20,5,2,1\ng2,T1,甲,20,5,2,2\ng3,T1,甲,20,8,1,1\n", encoding="utf-8"
    )
    result = read_catalog([path])
    leaves = list(result.catalog.iter_leaves())
    assert [(leaf.service_object, leaf.extra["task_version"]) for leaf in leaves] == [
        (["1", "2"], "2")
    ]
    assert len(result.catalog.main_items) == 1  # the rows' own main items went with them
    codes = [f.code for f in result.findings]
    assert codes.index("repeated-listing") < codes.index("item-versions")


def _workbook_with_repeat(rows, write, address: str | None = None) -> Path:
    """The base workbook with IMPL_3 listed again for 企业法人 (its child rows removed, so
    that both listings have the same, empty, materials and steps)."""
    leaf = next(r for r in rows["子项"] if r["实施编码"] == IMPL_3)
    leaf["服务对象"] = "自然人"
    again = copy.deepcopy(leaf)
    again["服务对象"] = "企业法人"
    if address is not None:
        again["办理地点"] = address
    rows["子项"].append(again)
    for sheet in ("申请材料", "办理流程"):
        rows[sheet] = [r for r in rows[sheet] if r["实施编码"] != IMPL_3]
    return write(rows)


def test_a_standard_workbook_with_repeated_listings_is_validated_on_records(rows, write):
    path = _workbook_with_repeat(rows, write)
    with pytest.raises(CatalogInputError, match="按服务对象重复列出"):
        read_tables(path)
    out = CliRunner().invoke(app, ["validate", str(path), "-f", "json"])
    assert '"repeated-listing"' in out.stdout and '"duplicate-impl-code"' not in out.stdout
    leaves = list(read_catalog([path]).catalog.iter_leaves())
    assert [leaf.service_object for leaf in leaves if leaf.impl_code == IMPL_3] == [["1", "2"]]


def test_a_standard_workbook_with_differing_repeats_stays_on_tables(rows, write):
    path = _workbook_with_repeat(rows, write, address="另一个大厅")
    tables = read_tables(path)  # not a repeated listing: no fallback
    on_tables = validate_tables(tables, files=[str(path)])
    read = read_catalog([path])
    on_records = validate(read.catalog, files=read.files, reading_findings=read.findings)
    assert [f.to_dict() for f in on_tables.findings] == [f.to_dict() for f in on_records.findings]
    assert on_tables.by_code["duplicate-impl-code"] == 1
