"""The sample catalogs in samples/: current, deterministic, large enough, and with exactly the documented errors."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from catalog_cli.read import read_catalog
from catalog_cli.validate import validate_paths

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CITY = SAMPLES / "市级目录.xlsx"
COUNTIES = sorted(SAMPLES.glob("县级目录-*.xlsx"))


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def _expected(workbook: Path) -> list[dict]:
    return json.loads((SAMPLES / "expected" / f"{workbook.stem}.json").read_text(encoding="utf-8"))


def test_generator_reproduces_committed_samples(tmp_path: Path) -> None:
    written = _load_generator().generate(tmp_path)
    assert {p.name for p in written if p.suffix == ".xlsx" and p.parent == tmp_path} == {CITY.name, *(p.name for p in COUNTIES)}
    assert {p.name for p in written if p.parent.name == "messy"} == {"市级目录-平铺.xlsx", "市级目录-导出.csv"}
    for path in written:
        committed = SAMPLES / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} 未提交"
        assert path.read_bytes() == committed.read_bytes(), f"{committed.name} 与生成器输出不一致：请运行 python samples/make_samples.py"


def test_city_sample_is_large_enough() -> None:
    catalog = read_catalog([CITY]).catalog
    leaves = list(catalog.iter_leaves())
    assert len(catalog.main_items) >= 40
    assert len(leaves) >= 80
    assert len({leaf.agency for leaf in leaves}) >= 8
    assert len({main.department for main in catalog.main_items}) >= 8
    assert len({leaf.item_type for leaf in leaves}) >= 6
    assert len(catalog.bundles) == 3


def test_city_sample_has_no_errors() -> None:
    report = validate_paths([CITY])
    errors = [f for f in report.findings if f.severity == "error"]
    assert errors == []
    assert _expected(CITY) == []


@pytest.mark.parametrize("workbook", COUNTIES, ids=lambda p: p.stem)
def test_county_sample_has_exactly_the_documented_errors(workbook: Path) -> None:
    expected = _expected(workbook)
    assert 5 <= len(expected) <= 8
    assert len({e["code"] for e in expected}) == len(expected), "每个文档化的错误应是不同的规则"
    report = validate_paths([workbook])
    found = {(f.code, f.sheet, f.row) for f in report.findings}
    missing = [e for e in expected if (e["code"], e["sheet"], e["row"]) not in found]
    assert missing == []
    documented = {(e["code"], e["sheet"], e["row"]) for e in expected}
    undocumented = [(f.code, f.sheet, f.row, f.message) for f in report.findings if f.severity == "error" and (f.code, f.sheet, f.row) not in documented]
    assert undocumented == []


@pytest.mark.parametrize("workbook", COUNTIES, ids=lambda p: p.stem)
def test_readme_lists_the_documented_errors(workbook: Path) -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### {workbook.stem.split('-')[-1]}", 1)[1].split("###", 1)[0]
    for e in _expected(workbook):
        assert f"| `{e['code']}` | {e['sheet']} | {e['row']} |" in section
