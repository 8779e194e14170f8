"""Two inputs merged into one catalog that hold the same items: an inputs-overlap warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import SAMPLES
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.read import read_catalog

REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"


def overlaps(*paths: Path) -> list[str]:
    read = read_catalog(list(paths), strict=False)
    return [f.message for f in read.findings if f.code == "inputs-overlap"]


def test_the_same_catalog_twice_is_named(tmp_path: Path) -> None:
    copy = tmp_path / "市级目录-副本.xlsx"
    shutil.copy(SAMPLES / "市级目录.xlsx", copy)
    (message,) = overlaps(SAMPLES / "市级目录.xlsx", copy)
    assert message.startswith(f"{copy} 与 {SAMPLES / '市级目录.xlsx'} 有 87 个子项")
    assert "占较少一方的 100%" in message


def test_a_city_and_a_county_do_not_overlap() -> None:
    # the county's 实施编码 hold its own agency's code: no item is the same item
    assert overlaps(SAMPLES / "市级目录.xlsx", SAMPLES / "县级目录-东湖县.xlsx") == []


def test_one_file_alone_is_never_reported() -> None:
    assert overlaps(SAMPLES / "市级目录.xlsx") == []


def test_ingest_says_so_on_real_data(tmp_path: Path) -> None:
    folder = REALDATA / "sichuan_guangan_district_catalog"
    if not folder.is_dir():
        pytest.skip("../shared/realdata is not beside the repository")
    result = CliRunner().invoke(app, ["ingest", str(folder), "-o", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("警告：")]
    assert "bszl_flat.csv 与" in line and "有 1135 个子项的实施编码相同" in line
