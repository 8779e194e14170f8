"""The column path of the catalog-wide rules (checks/column_tree.py) pinned to checks/tree.py.

The reference is ``check_tree(read_catalog([path]).catalog)``. The column path must give the
same findings — (code, severity, sheet, row, element, item, value, message, column) — in the
same order, on the bundled samples, on a workbook that breaks every tree rule (with the leaf
order's edge cases), and on the 20k-leaf bench workbook when it is cached.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS, USCC_A, USCC_B, USCC_C
from helpers import SAMPLE_WORKBOOKS, SAMPLES, bench_workbook

from catalog_cli.checks.column_tree import check_column_tree
from catalog_cli.checks.tree import check_tree
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables

SAMPLE_FILES = SAMPLE_WORKBOOKS


Rows = dict[str, list[dict[str, Any]]]
Key = tuple[Any, ...]

TREE_CODES = {
    "duplicate-impl-code",
    "duplicate-basic-code",
    "orphan-leaf",
    "orphan-situation",
    "orphan-material",
    "orphan-step",
    "orphan-fee",
    "agency-code-conflict",
    "bundle-member-missing",
}


def _key(f: Finding) -> Key:
    return (f.code, f.severity, f.sheet, f.row, f.element, f.item, f.value, f.message, f.column)


def _compare(path: Path) -> tuple[list[Key], list[Key]]:
    mine = [_key(f) for f in check_column_tree(read_tables(path))]
    reference = [_key(f) for f in check_tree(read_catalog([path]).catalog)]
    return mine, reference


def _leaf(rows: Rows, index: int, impl: str | None, **changes: Any) -> dict[str, Any]:
    leaf = copy.deepcopy(rows["子项"][index])
    leaf.update(实施编码=impl, **changes)
    rows["子项"].append(leaf)
    return leaf


def _breaks(rows: Rows) -> None:
    """Break every tree rule, with the cases the leaf order has to get right."""
    b = USCC_B + "3"
    mains = rows["主项"]
    # a main item ranked first that is defined again at the end (leaves attach to the first)
    mains.insert(0, {**mains[1], "基本编码": "340799000001", "事项名称": "新设主项"})
    mains.append({**mains[0], "事项名称": "重复主项"})  # duplicate-basic-code
    mains.append({**mains[2], "事项名称": "又一个重复"})  # duplicate of MAIN_ONE
    mains.append({**mains[2], "基本编码": None, "事项名称": "无编码主项"})  # blank: not counted
    # duplicate 实施编码 under different mains: the later row under the earlier main is first
    _leaf(rows, 2, b + "340720015101", 主项编码=MAIN_ONE)
    _leaf(rows, 0, b + "340720015101", 主项编码=MAIN_SUBS)
    # a leaf under the main defined first: it comes first in leaf order though its row is late
    _leaf(rows, 2, b + "340720015101", 主项编码="340799000001")
    # duplicates among orphans, and an orphan with the code of an attached leaf (row before it)
    _leaf(rows, 0, b + "340164213201", 主项编码="999999999999")  # orphan-leaf
    _leaf(rows, 0, b + "340164213201", 主项编码="999999999999")
    _leaf(rows, 0, b + "340164213202", 主项编码="999999999998")
    _leaf(rows, 0, b + "340164213202", 主项编码=MAIN_SUBS)
    # blank 主项编码: attached by 基本编码, or an orphan named by its 基本编码, or by nothing
    _leaf(rows, 2, b + "340720015102", 主项编码=None, 基本编码=MAIN_ONE)
    _leaf(rows, 2, b + "340720015103", 主项编码=None, 基本编码="340799999999")
    _leaf(rows, 2, None, 主项编码=None, 基本编码=None, 事项名称=" 无编码　事项 ")
    _leaf(rows, 2, None, 事项名称="无编码事项")  # blank codes are never duplicates
    _leaf(rows, 2, IMPL_1, 主项编码=MAIN_ONE)  # duplicate of a leaf in the first rows
    # agencies: a minority USCC; a tie decided by leaf order (not row order); three codes
    leaves = rows["子项"]
    leaves[1]["实施主体编码"] = USCC_C  # 市场监督管理局: USCC_A elsewhere
    _leaf(rows, 2, b + "340720015104", 实施主体="江淮市教育局", 实施主体编码=USCC_A)
    _leaf(rows, 2, b + "340720015105", 实施主体="江淮市教育局", 主项编码="340799000001")
    _leaf(rows, 2, b + "340720015106", 实施主体="江淮市卫健委", 实施主体编码=USCC_A)
    _leaf(rows, 2, b + "340720015107", 实施主体="江淮市卫健委", 实施主体编码=USCC_C)
    _leaf(rows, 2, b + "340720015108", 实施主体="江淮市卫健委", 实施主体编码=USCC_A)
    _leaf(rows, 2, b + "340720015109", 实施主体="江淮市卫健委")
    _leaf(rows, 2, b + "340720015110", 实施主体="江淮市卫健委", 实施主体编码=None)  # not counted
    _leaf(rows, 2, b + "340720015111", 实施主体=None, 实施主体编码=USCC_C)  # not counted
    # orphan children of every kind (unknown and blank codes); a child of a duplicate code
    rows["办理情形"] += [
        {"实施编码": "NOSUCHCODE", "情形名称": "本人办理"},
        {"实施编码": None, "情形名称": "无编码情形"},
        {"实施编码": b + "340720015101", "情形名称": "重复编码的情形"},
    ]
    rows["申请材料"] += [
        {"实施编码": "NOSUCHCODE", "序号": 1, "材料名称": "申请书", "是否必需": "必要"},
        {"实施编码": "NOSUCHCODE", "序号": 2, "材料名称": "身份证明", "是否必需": "必要"},
    ]
    rows["办理流程"] += [
        {"实施编码": "NOSUCHCODE", "序号": 1, "环节名称": "受理"},
        {"实施编码": None, "序号": 2, "环节名称": "审查"},
    ]
    rows["收费"] = [
        {"实施编码": IMPL_2, "收费项目": "工本费", "收费标准": "10元"},
        {"实施编码": "不存在的编码", "收费项目": "工本费", "收费标准": "10元"},
    ]
    bundle = {
        "一件事名称": "开办餐馆一件事",
        "成员实施编码": f"{IMPL_1}；{IMPL_3}",
        "申请材料数": 4,
        "办理环节数": 2,
        "承诺办结时限": "3个工作日",
        "到办事现场次数": 1,
    }
    rows["一件事"] = [
        bundle,  # every member exists
        {
            **bundle,
            "一件事名称": "  缺成员（試點） ",
            "成员实施编码": f"{IMPL_1}；{USCC_C}3340164213009",
        },
        {**bundle, "一件事名称": "全缺", "成员实施编码": "AAA；BBB；AAA"},
        {**bundle, "一件事名称": "无成员", "成员实施编码": None},
        {**bundle, "一件事名称": "孤儿成员", "成员实施编码": f"{b}340164213201"},
    ]


@pytest.fixture
def broken(rows: Rows, write) -> Path:
    _breaks(rows)
    return write(rows, "树错误.xlsx")


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_samples_equal_the_reference(name: str) -> None:
    mine, reference = _compare(SAMPLES / name)
    assert Counter(mine) == Counter(reference)
    assert mine == reference


def test_every_rule_equals_the_reference(broken: Path) -> None:
    mine, reference = _compare(broken)
    codes = Counter(key[0] for key in reference)
    assert set(codes) == TREE_CODES
    assert codes["duplicate-impl-code"] >= 5 and codes["agency-code-conflict"] >= 3
    assert codes["bundle-member-missing"] == 2 and codes["duplicate-basic-code"] == 2
    assert Counter(mine) == Counter(reference)
    assert mine == reference


def test_the_first_is_first_in_leaf_order(broken: Path) -> None:
    """The later row under the first main item is the first: the earlier row is the duplicate."""
    found = [
        f
        for f in check_column_tree(read_tables(broken))
        if f.code == "duplicate-impl-code" and f.value == USCC_B + "3340720015101"
    ]
    assert [f.row for f in found] == [6, 5]  # row 7 (under the main ranked first) is named
    assert all("第7行" in f.message for f in found)


def test_clean_workbook_has_no_findings(rows: Rows, write) -> None:
    assert check_column_tree(read_tables(write(rows))) == []


def test_workbook_without_main_items(rows: Rows, write) -> None:
    del rows["主项"]
    rows["子项"].append(dict(rows["子项"][0]))
    mine, reference = _compare(write(rows))
    assert {k[0] for k in reference} >= {"orphan-leaf", "duplicate-impl-code"}
    assert mine == reference


def test_bench_workbook_equals_the_reference() -> None:
    path = bench_workbook()
    mine, reference = _compare(path)
    assert Counter(mine) == Counter(reference)
    assert mine == reference
