"""The sample catalogs in samples/: current, deterministic, large enough, and with exactly the
documented errors.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest
from helpers import validate_files

from catalog_cli.model import Leaf
from catalog_cli.read import read_catalog

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CITY = SAMPLES / "市级目录.xlsx"
BASELINE = SAMPLES / "市级目录-2021版.xlsx"
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
    assert {p.name for p in written if p.suffix == ".xlsx" and p.parent == tmp_path} == {
        CITY.name,
        BASELINE.name,
        *(p.name for p in COUNTIES),
    }
    assert {p.name for p in written if p.parent.name == "messy"} == {
        "市级目录-平铺.xlsx",
        "市级目录-导出.csv",
    }
    for path in written:
        committed = SAMPLES / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} 未提交"
        assert _same_content(path, committed), (
            f"{committed.name} 与生成器输出不一致：请运行 python samples/make_samples.py"
        )


def _same_content(generated: Path, committed: Path) -> bool:
    """Byte-identical; or, when a newer xlsxwriter lays the file out differently, identical in
    every cell and merge.
    """
    if generated.read_bytes() == committed.read_bytes():
        return True
    if generated.suffix != ".xlsx":
        return False
    import python_calamine

    def cells(path: Path) -> list[tuple[str, list[list[object]], list[object]]]:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        out = []
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            out.append(
                (
                    name,
                    sheet.to_python(skip_empty_area=False),
                    sorted(sheet.merged_cell_ranges or []),
                )
            )
        return out

    return cells(generated) == cells(committed)


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
    report = validate_files([CITY])
    errors = [f for f in report.findings if f.severity == "error"]
    assert errors == []
    assert _expected(CITY) == []


@pytest.mark.parametrize("workbook", COUNTIES, ids=lambda p: p.stem)
def test_county_sample_has_exactly_the_documented_errors(workbook: Path) -> None:
    expected = _expected(workbook)
    assert 5 <= len(expected) <= 8
    assert len({e["code"] for e in expected}) == len(expected), "每个文档化的错误应是不同的规则"
    report = validate_files([workbook])
    found = {(f.code, f.sheet, f.row) for f in report.findings}
    missing = [e for e in expected if (e["code"], e["sheet"], e["row"]) not in found]
    assert missing == []
    documented = {(e["code"], e["sheet"], e["row"]) for e in expected}
    undocumented = [
        (f.code, f.sheet, f.row, f.message)
        for f in report.findings
        if f.severity == "error" and (f.code, f.sheet, f.row) not in documented
    ]
    assert undocumented == []


@pytest.mark.parametrize("workbook", COUNTIES, ids=lambda p: p.stem)
def test_readme_lists_the_documented_errors(workbook: Path) -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"### {workbook.stem.split('-')[-1]}", 1)[1].split("###", 1)[0]
    for e in _expected(workbook):
        assert f"| `{e['code']}` | {e['sheet']} | {e['row']} |" in section


# ---- the 2021 baseline of the city catalog (for ``catalog reduce --baseline``) ----


def _norm(name: str | None) -> str:
    """Name as the matcher compares it: NFKC (full width → half width, （） → ()), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _match(
    current: list[Leaf], baseline: list[Leaf]
) -> tuple[list[tuple[str, Leaf, Leaf]], list[Leaf], list[Leaf]]:
    """Pair leaves by impl code, then basic code (+ handling code), then normalized name.

    Each baseline leaf is paired at most once.

    Returns (how, before, after) pairs, the baseline-only leaves and the current-only leaves.
    """
    tables = (
        ("impl", lambda lf: lf.impl_code, {lf.impl_code: lf for lf in baseline}),
        (
            "basic",
            lambda lf: (lf.basic_code, lf.handling_code),
            {(lf.basic_code, lf.handling_code): lf for lf in baseline},
        ),
        ("name", lambda lf: _norm(lf.name), {_norm(lf.name): lf for lf in baseline}),
    )
    used: set[int] = set()
    pairs, current_only = [], []
    for after in current:
        for how, key, table in tables:
            before = table.get(key(after))
            if before is not None and id(before) not in used:
                used.add(id(before))
                pairs.append((how, before, after))
                break
        else:
            current_only.append(after)
    return pairs, [lf for lf in baseline if id(lf) not in used], current_only


@pytest.fixture(scope="module")
def baseline_pairs() -> tuple[list[tuple[str, Leaf, Leaf]], list[Leaf], list[Leaf]]:
    current = list(read_catalog([CITY]).catalog.iter_leaves())
    baseline = list(read_catalog([BASELINE]).catalog.iter_leaves())
    return _match(current, baseline)


def _required(leaf: Leaf) -> int:
    return sum(1 for m in leaf.materials if m.necessity == "必要")


def _situation_required(leaf: Leaf) -> tuple[int, int]:
    """(worst, best) count of 必要 materials over the leaf's situations.

    The whole leaf counts when it has no situations.
    """
    required = {m.name for m in leaf.materials if m.necessity == "必要"}
    counts = [sum(1 for name in s.materials if name in required) for s in leaf.situations] or [
        len(required)
    ]
    return max(counts), min(counts)


def test_baseline_sample_has_no_errors() -> None:
    report = validate_files([BASELINE])
    assert [f for f in report.findings if f.severity == "error"] == []
    assert _expected(BASELINE) == []
    assert read_catalog([BASELINE]).catalog.bundles == []


def test_baseline_has_the_four_structural_cases(baseline_pairs) -> None:
    pairs, baseline_only, current_only = baseline_pairs
    by_how = {how: [(b, a) for h, b, a in pairs if h == how] for how in ("impl", "basic", "name")}
    assert {how: len(v) for how, v in by_how.items()} == {"impl": 80, "basic": 3, "name": 2}
    assert len(baseline_only) == 4 and len(current_only) == 2
    for before, after in by_how["basic"]:  # (a) another agency: same basic code, other impl code
        assert before.agency_code != after.agency_code and before.impl_code != after.impl_code
    for before, after in by_how[
        "name"
    ]:  # (b) other basic code, name differs only in width / brackets / spaces
        assert before.basic_code != after.basic_code and before.name != after.name
    names_now = {_norm(lf.name) for _, _, lf in pairs} | {_norm(lf.name) for lf in current_only}
    assert not names_now & {_norm(lf.name) for lf in baseline_only}


def test_baseline_is_the_older_heavier_catalog(baseline_pairs) -> None:
    pairs, _, _ = baseline_pairs
    for _, before, after in pairs:
        assert _required(before) >= _required(after), after.name
        assert len(before.steps) >= len(after.steps) and before.visits >= after.visits, after.name
        assert before.legal_limit == after.legal_limit, after.name
        assert before.case_type == "2", after.name  # no 即办件 in 2021: they were 1–3 day 承诺件
        if before.promised_limit.unit == after.promised_limit.unit:
            assert before.promised_limit.value >= after.promised_limit.value, after.name
    assert sum(1 for _, b, a in pairs if _required(b) > _required(a)) >= len(pairs) * 3 // 4


def test_readme_states_the_baseline_totals(baseline_pairs) -> None:
    pairs, baseline_only, current_only = baseline_pairs
    section = (
        (SAMPLES / "README.md")
        .read_text(encoding="utf-8")
        .split("## 市级目录 2021 版", 1)[1]
        .split("\n## ", 1)[0]
    )
    counts = {how: sum(1 for h, _, _ in pairs if h == how) for how in ("impl", "basic", "name")}
    assert f"| 按实施编码匹配 | {counts['impl']} |" in section
    assert f"| 实施编码不同、按基本编码匹配 | {counts['basic']} |" in section
    assert f"| 基本编码也不同、按规范化名称匹配 | {counts['name']} |" in section
    assert f"| 仅 2021 版有（减事项） | {len(baseline_only)} |" in section
    assert f"| 仅现行版有（新增事项） | {len(current_only)} |" in section

    def row(label: str, before: float, after: float) -> str:
        return f"| {label} | {before:g} | {after:g} | {(before - after) / before:.2%} |"

    def total(f) -> tuple[int, int]:
        return sum(f(b) for _, b, _ in pairs), sum(f(a) for _, _, a in pairs)

    assert row("申请材料（必要）", *total(_required)) in section
    assert row("申请材料（按情形，最多）", *total(lambda lf: _situation_required(lf)[0])) in section
    assert row("申请材料（按情形，最少）", *total(lambda lf: _situation_required(lf)[1])) in section
    assert row("办理环节", *total(lambda lf: len(lf.steps))) in section
    assert row("到办事现场次数", *total(lambda lf: lf.visits)) in section
    for unit, label in (
        ("工作日", "承诺办结时限（工作日）"),
        ("自然日", "承诺办结时限（自然日）"),
        ("月", "承诺办结时限（月）"),
    ):
        same = [
            (b, a) for _, b, a in pairs if b.promised_limit.unit == unit == a.promised_limit.unit
        ]
        assert (
            row(
                f"{label}，{len(same)} 项",
                sum(b.promised_limit.value for b, _ in same),
                sum(a.promised_limit.value for _, a in same),
            )
            in section
        )
