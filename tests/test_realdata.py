"""The published real-world data in ../shared/realdata ingests, validates with meaningful findings,
and survives the JSON and standard-workbook round trips.

It goes through catalog_cli/read/profiles.py and the flat reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import validate_files

from catalog_cli.ingest.normalize import normalize_paths
from catalog_cli.read import read_catalog

REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
GUANGXI = sorted((REALDATA / "guangxi_lingshan_audit_items").glob("AUDIT_*.csv"))
SICHUAN = [REALDATA / "sichuan_guangan_district_catalog" / "bszl_flat.csv"]
JINAN = [REALDATA / "jinan_huaiyin_street_guides" / "guides_sections.csv"]
SETS = {"guangxi": GUANGXI, "sichuan": SICHUAN, "jinan": JINAN}

pytestmark = pytest.mark.skipif(
    not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout"
)


def test_guangxi_interface_tables_map_through_the_profile():
    result = read_catalog(GUANGXI, versions="all")  # every version: tests/test_versions.py
    leaves = list(result.catalog.iter_leaves())
    assert len(leaves) == 12 and not result.errors
    first = next(leaf for leaf in leaves if leaf.impl_code == "11450721MB155808114000104002000")
    assert first.name == "固定资产投资项目节能审查" and first.basic_code == "000104002000"
    assert (first.legal_limit.value, first.legal_limit.unit, first.promised_limit.value) == (
        20,
        "工作日",
        5,
    )
    # from AUDIT_ITEM_BYLAW
    assert first.legal_basis.startswith("《固定资产投资项目节能办法》第三条")
    assert first.address and first.office_hours  # from AUDIT_ITEM_WINDOW
    assert [m.name for m in first.materials] == ["申请书", "固定资产投资项目节能报告"] or len(
        first.materials
    ) == 2
    assert (
        first.materials[0].necessity == "必要" and first.materials[0].source_channel == "申请人自备"
    )
    assert "task_version" in first.extra  # unmapped interface fields are kept
    layouts = {layout.kind for layout in result.layouts}
    assert (
        "profile:guangxi-audit/AUDIT_ITEM" in layouts
        and "profile:guangxi-audit/AUDIT_MATERIAL" in layouts
    )


def test_guangxi_findings_are_the_known_quirks():
    report = validate_files(GUANGXI, versions="all")
    codes = report.by_code
    assert codes["duplicate-impl-code"] == 7  # 12 versions of 5 items in one dump
    assert codes["uscc-check-digit"] == 1  # TE45072110000000… is not a USCC
    located = {(f.code, Path(f.file).name, f.row) for f in report.findings}
    assert ("schema-minimum", "AUDIT_MATERIAL.csv", 4) in located  # 序号 0


def test_sichuan_export_maps_codes_and_groups_main_items():
    result = read_catalog(SICHUAN)
    catalog = result.catalog
    assert catalog.count_leaves() == 1135
    leaf = next(
        candidate
        for candidate in catalog.iter_leaves()
        if candidate.impl_code == "511A0138000000-511602000000-000-115113010833722043-1-00"
    )
    assert leaf.basic_code == "511A0138000000" and leaf.item_type == "01"
    grouped = [m for m in catalog.main_items if len(m.leaves) > 1]
    assert grouped and all(m.name != "未分类" for m in catalog.main_items)
    report = validate_files(SICHUAN)
    assert report.by_code["basic-code-legacy"] > 500  # Sichuan 14-character codes
    assert report.by_code["schema-pattern"] > 0  # 9-character organization codes in a USCC column


def test_jinan_guides_read_generically():
    catalog = read_catalog(JINAN).catalog
    leaves = list(catalog.iter_leaves())
    assert len(leaves) == 2 and len(catalog.main_items) == 2
    retire = next(leaf for leaf in leaves if leaf.name == "企业退休人员档案关系接收")
    assert (
        retire.promised_limit.value,
        retire.promised_limit.unit,
        retire.promised_limit.text,
    ) == (1, "工作日", "1个工作日内")
    assert retire.case_type == "1"
    report = validate_files(JINAN)
    assert "instant-case-mismatch" in report.by_code  # 即办件 with “1个工作日内”


@pytest.mark.parametrize("name", list(SETS))
def test_real_data_round_trips(name, tmp_path):
    sources = SETS[name]
    original = read_catalog(sources).catalog
    as_json, as_xlsx, again = tmp_path / "a.json", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    normalize_paths(sources, as_json)
    assert read_catalog([as_json]).catalog == original
    normalize_paths(sources, as_xlsx)
    normalize_paths([as_xlsx], again)
    assert read_catalog([as_xlsx]).catalog == read_catalog([again]).catalog
    assert as_xlsx.read_bytes() == again.read_bytes()


@pytest.mark.parametrize(
    "folder",
    [
        "guangxi_lingshan_audit_items",
        "sichuan_guangan_district_catalog",
        "jinan_huaiyin_street_guides",
    ],
)
def test_each_real_data_folder_ingests_as_a_folder(folder):
    result = read_catalog([REALDATA / folder], strict=False)
    assert not result.errors and result.catalog.count_leaves() > 0
    skipped = {Path(f.file).name for f in result.findings if f.code == "file-skipped"}
    assert skipped <= {
        "field_labels_ANNOTATION.csv",
        "items.json",
        "bszl-data.json",
        "auditMaterials.csv",
        "guides.json",
    }


def test_profile_can_be_named_and_a_wrong_name_is_a_usage_error():
    from typer.testing import CliRunner

    from catalog_cli.cli import app

    runner = CliRunner()
    named = read_catalog(SICHUAN, profile="sichuan-bszl")
    assert named.catalog.count_leaves() == 1135
    # a named profile that does not fit: the generic reading
    unfit = read_catalog(JINAN, profile="sichuan-bszl")
    assert [layout.kind for layout in unfit.layouts] == ["flat"]
    assert unfit.catalog.count_leaves() == 2
    result = runner.invoke(app, ["validate", str(JINAN[0]), "--profile", "nosuch"])
    assert (
        result.exit_code == 2
        and result.stderr.strip().splitlines()[-1]
        == "错误：--profile：没有名为“nosuch”的输入配置（可用：guangxi-audit、sichuan-bszl）"
    )
