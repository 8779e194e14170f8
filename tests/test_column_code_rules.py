"""The column path of the code rules (checks/column_code_rules.py) pinned to checks/code_rules.py.

The reference is ``check_main_codes`` over ``catalog.main_items`` and ``check_leaf_codes`` over
``catalog.iter_leaves()`` of ``read_catalog([path]).catalog``. The column path must give the same
multiset of (code, severity, sheet, row, element, item, value, message, column) on the bundled
samples, on a workbook that breaks every code rule (and the join's edge cases), and on the
20k-leaf bench workbook when it is cached.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import MAIN_ONE, MAIN_SUBS, USCC_A, USCC_B, USCC_C, base_rows
from helpers import SAMPLE_WORKBOOKS, SAMPLES, bench_workbook

from catalog_cli.checks.code_rules import check_leaf_codes, check_main_codes, local_codes
from catalog_cli.checks.column_code_rules import check_column_codes
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables

SAMPLE_FILES = SAMPLE_WORKBOOKS
CODES = {
    "uscc-check-digit",
    "basic-code-unknown-form",
    "basic-code-legacy",
    "basic-code-type-mismatch",
    "main-code-suffix",
    "basic-code-main-mismatch",
    "sub-code-suffix",
    "handling-code-mismatch",
    "impl-code-missing-uscc",
    "impl-code-missing-basic",
    "local-code-scheme",
}


Rows = dict[str, list[dict[str, Any]]]


def _key(f: Finding) -> tuple[Any, ...]:
    return (f.code, f.severity, f.sheet, f.row, f.element, f.item, f.value, f.message, f.column)


def _reference(path: Path) -> Counter:
    catalog = read_catalog([path]).catalog
    found = [f for main in catalog.main_items for f in check_main_codes(main)]
    found += [f for leaf in catalog.iter_leaves() for f in check_leaf_codes(leaf)]
    found += local_codes(catalog)
    return Counter(map(_key, found))


def _compare(path: Path) -> tuple[Counter, Counter]:
    return Counter(map(_key, check_column_codes(read_tables(path)))), _reference(path)


def _main(rows: Rows, basic: str, name: str, item_type: str = "行政确认") -> None:
    """Append a main item (type 07 by default, as the 3407… codes below say)."""
    main = copy.deepcopy(base_rows()["主项"][0])
    main.update(基本编码=basic, 事项名称=name, 事项类型=item_type)
    rows["主项"].append(main)


def _leaf(rows: Rows, basic: Any, main: Any, **changes: Any) -> dict[str, Any]:
    """Append a valid leaf of USCC_A with these codes (impl = USCC_A + 3 + basic code)."""
    leaf = copy.deepcopy(base_rows()["子项"][0])
    impl = changes.pop("impl", USCC_A + "3" + str(basic))
    leaf.update(基本编码=basic, 主项编码=main, 实施编码=impl, 事项类型="行政确认")
    leaf.update(changes)
    rows["子项"].append(leaf)
    return leaf


def _breaks(rows: Rows) -> None:
    """Break every code rule at least once, with the cases the join has to get right."""
    leaves = rows["子项"]
    leaves[0].update(实施主体编码=USCC_A[:-1] + "M")  # uscc-check-digit; impl lacks it too
    leaves[1].update(业务办理项编码="34016421300201")  # a good handling code
    leaves[2].update(业务办理项编码="3407200150001A")  # handling-code-mismatch (suffix)
    # legacy and unknown forms, on a main and its own leaf
    _main(rows, "511A0138000000", "四川编码事项")
    _leaf(rows, "511A0138000000", "511A0138000000", 事项名称="四川编码子项")
    _main(rows, "ABC123", "未知编码事项")
    _leaf(rows, "ABC123", None, 事项名称="未知编码子项")  # blank 主项编码: attaches by 基本编码
    _leaf(rows, "XK0010100Y", None, 事项名称="省级字母编码孤儿")  # orphan, legacy form
    # a 00Y main without subs (its only leaf reuses its code)
    _main(rows, "34072001600Y", "无子项的00Y主项")
    _leaf(rows, "34072001600Y", "34072001600Y", 事项名称="同码子项")
    # a 000 main with subs: main-code-suffix; its subs are not under a 00Y main
    _main(rows, "340720017000", "有子项的000主项")
    _leaf(rows, "340720017001", "340720017000", 事项名称="子项一")
    _leaf(rows, "340720017000", "340720017000", 事项名称="与主项同码的子项")
    # a main ending neither in 000 nor 00Y, no subs
    _main(rows, "340720018005", "末三位错误的主项")
    _leaf(rows, "340720018005", "340720018005", 事项名称="末三位错误的子项")
    # a duplicated basic code among mains: leaves attach to the first one only
    _main(rows, MAIN_SUBS, "重复的主项")
    _main(rows, "34072001900Y", "有子项的00Y主项")
    _main(rows, "34072001900Y", "重复的00Y主项")
    _leaf(rows, "340720019001", "34072001900Y", 事项名称="正常子项")
    _leaf(rows, "34072001900Y", "34072001900Y", 事项名称="子项用了主项编码")  # sub-code-suffix
    _leaf(rows, "340720019000", "34072001900Y", 事项名称="子项以000结尾")  # sub-code-suffix
    _leaf(rows, "340799019002", "34072001900Y", 事项名称="前9位不同")  # basic-code-main-mismatch
    # a sub under the wrong main, and a leaf whose 主项编码 names no main (an orphan, even
    # though its 基本编码 is a main's)
    _leaf(rows, "340164213003", MAIN_ONE, 事项名称="挂错主项的子项")
    _leaf(rows, MAIN_ONE, "999999999999", 事项名称="主项编码不存在")
    # type digits against 事项类型, on a leaf and on a main
    _leaf(rows, "340720019003", "34072001900Y", 事项名称="类型不符", 事项类型="行政许可")
    _main(rows, "340120020000", "类型不符的主项", item_type="行政确认")
    _leaf(rows, "340120020000", None, 事项名称="未知事项类型", 事项类型="不存在的类型")
    # implementation codes: missing the USCC, missing the basic code, containing both in the
    # middle, a blank agency code, no code at all (labelled by its name)
    _leaf(rows, "340720019004", "34072001900Y", impl=USCC_C + "3340720019004", 事项名称="缺USCC")
    _leaf(rows, "340720019005", "34072001900Y", impl=USCC_A + "3340720019099", 事项名称="缺基本")
    _leaf(rows, "340720019006", "34072001900Y", impl="X" + USCC_A + "3340720019006X")
    _leaf(rows, "340720019007", "34072001900Y", 实施主体编码=None, 事项名称="无主体编码")
    _leaf(
        rows, "340720019008", "34072001900Y", impl=None, 事项名称="无实施编码", 实施主体编码=USCC_B
    )
    # handling codes: too long, another basic code, full-width digits, non-national basic code
    _leaf(rows, "340720019009", "34072001900Y", 业务办理项编码="340720019009001")
    _leaf(rows, "340720019010", "34072001900Y", 业务办理项编码="34072001901101")
    _leaf(rows, "340720019012", "34072001900Y", 业务办理项编码="340720019012０１")
    _leaf(rows, "ABC123", "ABC123", 业务办理项编码="ABC12301", 事项名称="未知编码办理项")
    # a code cell stored as a number (the reader turns it into text)
    _leaf(rows, 340720019013, "34072001900Y", 事项名称="数字基本编码")
    # a bad USCC repeated on several leaves, and one that is not well formed (no finding)
    for n in (14, 15):
        _leaf(rows, f"3407200190{n}", "34072001900Y", 实施主体编码=USCC_B[:-1] + "0")
    _leaf(rows, "340720019016", "34072001900Y", 实施主体编码="不是信用代码")
    # implementation codes in a built-in local scheme (Sichuan's): one warning for both
    for n in (17, 18):
        basic = f"3407200190{n}"
        _leaf(rows, basic, "34072001900Y", impl=f"{basic}-511602000000-000-{USCC_A}-1-00")


@pytest.fixture
def broken(rows: Rows, write) -> Path:
    _breaks(rows)
    return write(rows, "编码错误.xlsx")


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_samples_equal_the_reference(name: str) -> None:
    mine, reference = _compare(SAMPLES / name)
    assert mine == reference


def test_county_samples_have_their_code_errors() -> None:
    east, _ = _compare(SAMPLES / "县级目录-东湖县.xlsx")
    west, _ = _compare(SAMPLES / "县级目录-西山县.xlsx")
    assert ("uscc-check-digit", "子项", 77) in {(k[0], k[2], k[3]) for k in east}
    assert {k[0] for k in west} >= {"impl-code-missing-uscc", "basic-code-main-mismatch"}


def test_every_code_rule_equals_the_reference(broken: Path) -> None:
    mine, reference = _compare(broken)
    codes = Counter(key[0] for key in reference.elements())
    assert set(codes) == CODES
    messages = {key[7] for key in reference if key[0] == "main-code-suffix"}
    for kind in ("没有子项：应以000结尾", "该主项有子项", "末三位应为000（无子项）或00Y"):
        assert any(kind in message for message in messages)
    assert codes["sub-code-suffix"] >= 2 and codes["uscc-check-digit"] >= 3
    assert mine - reference == Counter() and reference - mine == Counter()


def test_clean_workbook_has_no_findings(rows: Rows, write) -> None:
    assert check_column_codes(read_tables(write(rows))) == []


def test_without_main_sheet_every_leaf_is_an_orphan(rows: Rows, write) -> None:
    _breaks(rows)
    del rows["主项"]
    mine, reference = _compare(write(rows, "无主项.xlsx"))
    assert sum(reference.values()) > 0
    assert mine == reference


def test_without_leaf_sheet_mains_have_no_leaves(rows: Rows, write) -> None:
    _breaks(rows)
    for sheet in ("子项", "办理情形", "申请材料", "办理流程"):
        del rows[sheet]
    mine, reference = _compare(write(rows, "无子项.xlsx"))
    assert sum(reference.values()) > 0
    assert mine == reference


def test_bench_workbook_equals_the_reference() -> None:
    path = bench_workbook()
    mine, reference = _compare(path)
    assert sum(reference.values()) > 0
    assert mine == reference
