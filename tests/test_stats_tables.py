"""The figures of one standard workbook on tables equal those of its records.

``compute_stats_tables(read_tables(path, records=stats_records(rules)))`` (the path
``catalog stats`` takes for one standard workbook) against
``compute_stats(read_catalog([path]).catalog)``: the same :class:`StatsResult` — on the bundled
samples, the empty template, a clean workbook, workbooks broken by every test module of the
column path, a workbook with the linking cases spelled out, the real data normalized to a
standard workbook and the bench workbook, under the default rules and rules on every kind of
field.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pytest
import test_column_code_rules
import test_column_rules
import test_column_tree
import test_columns
from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS
from helpers import SAMPLE_WORKBOOKS, SAMPLES, bench_workbook
from test_realdata import REALDATA, SETS
from typer.testing import CliRunner

import catalog_cli.read.tables as tables_module
from catalog_cli.analyses.stats import StatsResult, compute_stats
from catalog_cli.analyses.stats_tables import compute_stats_tables, rule_fields, stats_records
from catalog_cli.cli import app
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables
from catalog_cli.schema import load_share_rules
from catalog_cli.write.workbook import write_template, write_workbook

BREAKERS = {
    "elements": test_columns._breaks,
    "leaf-rules": test_column_rules._breaks,
    "code-rules": test_column_code_rules._breaks,
    "tree-rules": test_column_tree._breaks,
}

# rules on every kind of field: a code assembly fills in, multi-valued and list fields, counts,
# the children lists, extras (present or not), attributes that are no column, any / all / not
FIELD_RULES: list[dict[str, Any]] = [
    {"name": "主项编码同主项", "when": {"field": "main_code", "in": [MAIN_ONE, MAIN_SUBS]}},
    {"name": "无主项编码", "when": {"field": "main_code", "eq": None}},
    {"name": "自然人", "when": {"field": "service_object", "contains_any": ["1"]}},
    {"name": "跑两次以上", "when": {"field": "visits", "ge": 2}},
    {"name": "次数为文字", "when": {"not": {"field": "visits", "le": 1e9}}},
    {"name": "无情形", "when": {"field": "situations", "eq": []}},
    {"name": "有材料", "when": {"not": {"field": "materials", "eq": []}}},
    {"name": "无收费项", "when": {"field": "fees", "in": [[]]}},
    {"name": "无附加属性", "when": {"field": "extra", "eq": {}}},
    {"name": "名称", "when": {"field": "label", "in": [IMPL_1, IMPL_2, ""]}},
    {"name": "没有的要素", "when": {"field": "nosuch", "eq": None}},
    {"name": "通办", "when": {"field": "extra.通办范围", "in": ["全市", "全省"]}},
    {"name": "没有的附加", "when": {"field": "extra.没有这列", "eq": None}},
    {
        "name": "组合",
        "when": {
            "all": [
                {"any": [{"field": "online", "eq": True}, {"field": "case_type", "in": ["1"]}]},
                {"not": {"field": "fee_charged", "eq": True}},
                {"all": []},
            ]
        },
    },
    {"name": "空的任一", "when": {"any": []}},
]


def _both(path: Path, rules: list[dict[str, Any]]) -> tuple[StatsResult, StatsResult]:
    """(on tables, on records) for one workbook."""
    read = read_catalog([path])
    reference = compute_stats(read.catalog, rules, read.files)
    tables = read_tables(path, records=stats_records(rules))
    return compute_stats_tables(tables, rules, [str(path)]), reference


def _assert_same(path: Path, extra_rules: bool = True) -> StatsResult:
    """The tables' figures equal the records' (default rules, and the field rules too)."""
    rules = load_share_rules() + (FIELD_RULES if extra_rules else [])
    on_tables, reference = _both(path, rules)
    assert on_tables == reference
    return on_tables


@pytest.mark.parametrize("name", SAMPLE_WORKBOOKS)
def test_samples_count_the_same_on_tables(name):
    result = _assert_same(SAMPLES / name)
    assert result.leaves > 0 and result.materials_max > 0


def test_the_bench_workbook_counts_the_same_on_tables():
    result = _assert_same(bench_workbook(), extra_rules=False)
    assert result.leaves == 20000 and result.situations > 0


def test_a_clean_workbook_and_the_empty_template_count_the_same(rows, write, tmp_path):
    clean = _assert_same(write(rows))
    assert (clean.main_items, clean.leaves, clean.situations) == (2, 3, 2)
    write_template(tmp_path / "模板.xlsx", 5)
    assert _assert_same(tmp_path / "模板.xlsx").leaves == 0


@pytest.mark.parametrize("kind", sorted(BREAKERS))
def test_broken_workbooks_count_the_same_on_tables(kind, rows, write):
    BREAKERS[kind](rows)
    _assert_same(write(rows, f"{kind}.xlsx"))


def test_every_breaker_at_once_counts_the_same(rows, write):
    for breaker in BREAKERS.values():
        breaker(rows)
    _assert_same(write(rows, "全部.xlsx"))


def _linking_cases(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Orphans, duplicate codes, children pointing nowhere, blank 主项编码, numeric codes."""
    leaves = rows["子项"]
    for leaf, scope in zip(leaves, ("全市", "全省", None), strict=True):
        leaf["通办范围"] = scope  # an unmapped header: extra.通办范围
    template = {**leaves[0], "通办范围": None}
    leaves += [
        {**template, "实施编码": "ORPHAN-1", "主项编码": "999999999999", "通办范围": "全国"},
        {**template, "实施编码": IMPL_1, "实施主体": "另一部门"},  # children go to the first
        {**template, "实施编码": "BY-BASIC", "主项编码": None, "基本编码": MAIN_ONE},
        {**template, "实施编码": "NO-MAIN", "主项编码": None, "基本编码": "340799999999"},
        {**template, "实施编码": None, "主项编码": None, "基本编码": None, "实施主体": None},
        {**template, "实施编码": 12345, "事项类型": None, "行使层级": "乡级、乡级、村级"},
        {**template, "实施编码": "TEXT-VISITS", "到办事现场次数": "两次", "是否网办": "否"},
    ]
    rows["主项"].append({**rows["主项"][0], "事项名称": "重复主项", "主管部门": None})
    rows["主项"].append({**rows["主项"][1], "基本编码": None, "行使层级": None})
    situation = rows["办理情形"][0]
    rows["办理情形"] += [
        {**situation, "实施编码": "ORPHAN-1"},  # a child of an orphan leaf counts
        {**situation, "实施编码": "NOWHERE"},
        {**situation, "实施编码": None},
        {**situation, "实施编码": "12345"},  # the number's text finds the numeric code
        {**situation, "实施编码": "BY-BASIC"},
    ]
    material = rows["申请材料"][0]
    rows["申请材料"] += [
        {**material, "实施编码": 12345},
        {**material, "实施编码": 12345},
        {**material, "实施编码": "NOWHERE"},
    ]
    rows["办理流程"] += [{**rows["办理流程"][0], "实施编码": IMPL_3}] * 4


def test_linking_cases_count_the_same_on_tables(rows, write):
    _linking_cases(rows)
    path = write(rows, "关联.xlsx")
    catalog = read_catalog([path]).catalog
    assert catalog.orphans.leaves and catalog.orphans.situations and catalog.orphans.materials
    result = _assert_same(path)
    shares = {s.name: s.count for s in result.shares}
    assert shares["通办"] == 2 and shares["无主项编码"] == 2 and shares["次数为文字"] == 1
    assert result.situations == 5 and result.steps_max == 7 and result.materials_max == 3


def test_a_wrong_count_would_be_seen(rows, write, monkeypatch):
    """The comparison notices a child attached to the last leaf with a code, not the first."""
    _linking_cases(rows)
    path = write(rows, "关联.xlsx")
    stats_tables = importlib.import_module("catalog_cli.analyses.stats_tables")
    first_leaf = stats_tables._first_leaf

    def last_leaf(parents, codes):
        return pc.subtract(len(codes) - 1, first_leaf(parents, codes[::-1]))

    monkeypatch.setattr(stats_tables, "_first_leaf", last_leaf)
    on_tables, reference = _both(path, load_share_rules())
    assert on_tables != reference


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout")
@pytest.mark.parametrize("name", list(SETS))
def test_real_data_normalized_counts_the_same(name, tmp_path):
    """The real items lack codes or repeat them: the link columns say where each row belongs
    and the codes do not, so the tables reader refuses the workbook and the command counts on
    records — what the source counts."""
    out = tmp_path / f"{name}.xlsx"
    done = CliRunner().invoke(app, ["normalize", *map(str, SETS[name]), "-o", str(out)])
    assert done.exit_code == 0, done.output
    rules = load_share_rules() + FIELD_RULES
    with pytest.raises(CatalogInputError, match="按记录读取"):
        read_tables(out, records=stats_records(rules))
    results, errors, _ = importlib.import_module("catalog_cli.cli.stats").stats_inputs(
        [out], rules, None
    )
    (mine,) = results
    source = read_catalog(SETS[name])
    assert not errors and mine.leaves == source.catalog.count_leaves() > 0
    reference = compute_stats(source.catalog, rules, source.files)
    assert dataclasses.replace(mine, files=()) == dataclasses.replace(reference, files=())


@pytest.mark.parametrize("name", SAMPLE_WORKBOOKS)
def test_samples_written_with_link_columns_count_the_same_on_tables(name, tmp_path):
    out = tmp_path / name
    write_workbook(read_catalog([SAMPLES / name]).catalog, out)
    assert _assert_same(out).leaves > 0


def test_the_sheets_read_are_those_the_figures_need(monkeypatch):
    read: list[str] = []
    real = tables_module.read_sheet_table
    monkeypatch.setattr(
        tables_module,
        "read_sheet_table",
        lambda path, reader, sheet, *a, **k: (
            read.append(sheet.record) or real(path, reader, sheet, *a, **k)
        ),
    )
    records = stats_records(load_share_rules())
    tables = read_tables(SAMPLES / "市级目录.xlsx", records=records)
    assert set(read) == records == {"main_item", "leaf", "situation", "material", "step"}
    assert set(tables.tables) == records
    read.clear()
    everything = read_tables(SAMPLES / "市级目录.xlsx")
    assert set(read) > records and set(everything.tables) >= records


def test_a_rule_on_the_fees_list_reads_the_fee_sheet():
    assert "fee" not in stats_records(load_share_rules())
    assert "fee" in stats_records([{"name": "x", "when": {"field": "fees", "eq": []}}])
    assert "fee" not in stats_records([{"name": "x", "when": {"field": "extra.收费", "eq": 1}}])
    assert rule_fields({"any": [{"field": "a", "eq": 1}, {"not": {"field": "b", "eq": 1}}]}) == {
        "a",
        "b",
    }


def _run(args: list[str]) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, args)
    return done.exit_code, done.stdout, done.stderr


def test_the_command_takes_the_tables_path_and_prints_what_records_give(monkeypatch, tmp_path):
    command = importlib.import_module("catalog_cli.cli.stats")
    taken: list[Path] = []
    real = command.read_tables
    monkeypatch.setattr(
        command, "read_tables", lambda p, records=None: taken.append(p) or real(p, records)
    )
    workbook = SAMPLES / "县级目录-东湖县.xlsx"
    rules = tmp_path / "口径.json"
    rules.write_text(json.dumps({"shares": FIELD_RULES}, ensure_ascii=False), encoding="utf-8")
    runs = [["stats", str(workbook), "-f", fmt] for fmt in ("json", "text", "md")]
    runs.append(["stats", str(workbook), "-f", "json", "--rules", str(rules)])
    on_tables = [_run(args) for args in runs]
    assert taken == [workbook] * len(runs)
    monkeypatch.setattr(command, "table_input", lambda sources: None)
    on_records = [_run(args) for args in runs]
    assert len(taken) == len(runs)
    assert on_tables == on_records
    assert json.loads(on_tables[0][1])  # the JSON report is not empty
    assert on_tables[0][0] == 0


def test_the_command_falls_back_to_records_for_other_inputs(monkeypatch):
    command = importlib.import_module("catalog_cli.cli.stats")
    taken: list[Path] = []
    real = command.read_tables
    monkeypatch.setattr(
        command, "read_tables", lambda p, records=None: taken.append(p) or real(p, records)
    )
    flat = SAMPLES / "messy" / "市级目录-平铺.xlsx"  # not a standard workbook: the tables reader
    code, out, _ = _run(["stats", str(flat), "-f", "json"])  # refuses it, records read it
    assert taken == [flat] and code == 0 and json.loads(out)["counts"]["leaves"] > 0
    code, _, err = _run(["stats", str(SAMPLES / "市级目录.xlsx"), str(SAMPLES / "没有.xlsx")])
    # each file its own catalog: the standard workbook of several inputs is still read as tables
    assert taken == [flat, SAMPLES / "市级目录.xlsx"] and code == 2 and "没有.xlsx" in err
    code, _, _ = _run(["stats", str(SAMPLES / "市级目录.xlsx"), str(flat), "--merge"])
    assert len(taken) == 2 and code == 0  # one catalog of several files: records
