"""The column path of the leaf rules (checks/column_rules.py) pinned to checks/rules.py.

The reference is ``check_leaf`` on every leaf of ``read_catalog([path]).catalog``. The column
path must give the same multiset of (code, severity, sheet, row, element, item, value, message)
on the bundled samples, on a workbook that breaks every rule (and the join's edge cases), and on
the 20k-leaf bench workbook when it is cached.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import USCC_B
from helpers import SAMPLE_WORKBOOKS, SAMPLES, bench_workbook

from catalog_cli.checks.column_rules import check_column_rules
from catalog_cli.checks.rules import LEAF_RULES, check_leaf
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables

SAMPLE_FILES = SAMPLE_WORKBOOKS


Rows = dict[str, list[dict[str, Any]]]


def _key(f: Finding) -> tuple[Any, ...]:
    return (f.code, f.severity, f.sheet, f.row, f.element, f.item, f.value, f.message, f.column)


def _compare(path: Path) -> tuple[Counter, Counter]:
    mine = Counter(map(_key, check_column_rules(read_tables(path))))
    catalog = read_catalog([path]).catalog
    reference = Counter(_key(f) for leaf in catalog.iter_leaves() for f in check_leaf(leaf))
    return mine, reference


def _leaf_like(rows: Rows, index: int, impl: str, **changes: Any) -> dict[str, Any]:
    leaf = copy.deepcopy(rows["子项"][index])
    leaf.update(实施编码=impl, **changes)
    rows["子项"].append(leaf)
    return leaf


def _breaks(rows: Rows) -> None:
    """Break every rule at least once, with the cases the join has to get right."""
    leaves = rows["子项"]
    impl_1, impl_2, impl_3 = (leaf["实施编码"] for leaf in leaves)
    b = USCC_B + "3"
    _leaf_like(rows, 0, b + "340164213101", 办件类型="即办件")  # instant-case (promised_limit)
    _leaf_like(rows, 0, b + "340164213102", 必须现场办理原因说明=None, 到办事现场次数=2)
    _leaf_like(rows, 0, b + "340164213103", 网上办理深度="全程网办")  # full-online-visits
    _leaf_like(rows, 0, b + "340164213104", 是否收费="是")  # fee-standard-missing
    _leaf_like(rows, 0, b + "340164213105", 是否收费="是")  # fee rows alone satisfy it
    _leaf_like(rows, 0, b + "340164213106", 权力来源="同级委托")  # entrusting-dept-missing
    _leaf_like(rows, 0, b + "340164213107", 承诺办结时限="0个工作日", 办件类型="即办件")  # ok
    _leaf_like(rows, 0, b + "340164213108", 到办事现场次数="三次", 必须现场办理原因说明=None)
    _leaf_like(rows, 0, b + "340164213109", 是否收费="也许", 事项类型="公共服务", 权力来源=None)
    _leaf_like(rows, 0, b + "340164213110", 承诺办结时限="无", 办件类型="即办件")
    _leaf_like(rows, 0, b + "340164213111", 主项编码="999999999999", 权力来源=None)  # orphan leaf
    _leaf_like(rows, 0, None, 事项名称="无编码事项", 权力来源=None)  # labelled by its name
    _leaf_like(rows, 0, impl_1, 权力来源=None, 是否收费="否")  # duplicate code: no children
    _leaf_like(rows, 0, b + "340164213199")  # no materials of its own but those below
    leaves[0].update(承诺办结时限="25个工作日", 是否收费="否")  # promise-exceeds-legal; fee rows
    leaves[1].update(承诺办结时限="10个自然日", 权力来源=None)  # unit mismatch; power source
    leaves[2].update(承诺办结时限="即办", 实施主体性质="受委托组织")  # instant; entrusting
    fee = {
        "收费项目": "工本费",
        "收费标准": "10元/件",
        "收费依据": "物价文件",
        "是否允许减免": "否",
    }
    rows["收费"] = [
        {"实施编码": impl_1, **fee},
        {"实施编码": impl_1, **fee, "收费项目": "证书费"},  # two fee rows on leaf 1
        {"实施编码": b + "340164213105", **fee},
        {"实施编码": "不存在的编码", **fee},  # orphan
    ]
    situation = rows["办理情形"][0]
    rows["办理情形"] += [
        {**situation, "情形名称": "本人办理"},  # duplicate name (third row of the leaf: 1 finding)
        {**situation, "情形名称": "本人办理", "情形材料": "申请书"},  # again: a second finding
        {**situation, "情形名称": None},  # blank names are never duplicates
        {**situation, "情形名称": None},
        {**situation, "情形名称": "名称相近", "情形材料": "申请书 ；身份证明(复印件)；户口簿"},
        {**situation, "实施编码": impl_2, "情形名称": "本人办理", "情形材料": "营业执照"},
        {**situation, "实施编码": impl_3, "情形名称": "空材料", "情形材料": None},
        {**situation, "实施编码": "不存在的编码", "情形材料": "户口簿"},  # orphan: not checked
        {**situation, "实施编码": b + "340164213199", "情形材料": "申请书"},  # leaf without mats
    ]
    materials = rows["申请材料"]
    materials[1].update(序号=1)  # duplicate seq (number)
    materials[2].update(序号="1")  # the text "1" converts to the same integer
    materials[4].update(序号=None)  # a blank seq never counts
    materials[5].update(序号=None)
    materials.append(
        {**materials[0], "序号": 4, "材料名称": "身份证明（复印件）"}
    )  # folds as (复印件)
    materials.append({**materials[6], "实施编码": "不存在的编码"})  # orphan duplicate
    materials.append({**materials[6], "实施编码": b + "340164213199", "序号": "第二"})
    materials.append({**materials[6], "实施编码": b + "340164213199", "序号": "第二"})  # text dup
    steps = rows["办理流程"]
    steps[4].update(序号=1)  # duplicate step seq on leaf 2
    steps[8].update(序号=7)
    steps.append({**steps[8]})  # duplicate of the last step of leaf 3


@pytest.fixture
def broken(rows: Rows, write) -> Path:
    _breaks(rows)
    return write(rows, "规则错误.xlsx")


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_samples_equal_the_reference(name: str) -> None:
    mine, reference = _compare(SAMPLES / name)
    assert mine == reference


def test_every_rule_equals_the_reference(broken: Path) -> None:
    mine, reference = _compare(broken)
    codes = Counter(key[0] for key in reference.elements())
    assert set(codes) == {
        "promise-exceeds-legal",
        "limit-unit-mismatch",
        "instant-case-mismatch",
        "onsite-reason-missing",
        "full-online-visits",
        "fee-standard-missing",
        "fee-rows-not-charged",
        "entrusting-dept-missing",
        "power-source-missing",
        "situation-material-unknown",
        "duplicate-seq",
        "duplicate-situation",
    }
    assert codes["duplicate-situation"] >= 2 and codes["duplicate-seq"] >= 3
    assert mine - reference == Counter() and reference - mine == Counter()


def test_every_rule_is_covered() -> None:
    from catalog_cli.checks import column_rules

    covered = {rule for rule, _ in column_rules.LEAF_LEVEL}
    covered |= {column_rules.situation_materials_subset, column_rules.children_unique}
    assert covered == set(LEAF_RULES)


def test_clean_workbook_has_no_findings(rows: Rows, write) -> None:
    assert check_column_rules(read_tables(write(rows))) == []


def test_bench_workbook_equals_the_reference() -> None:
    path = bench_workbook()
    mine, reference = _compare(path)
    assert sum(reference.values()) > 0
    assert mine == reference
