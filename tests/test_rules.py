"""Cross-field rules (catalog_cli/checks/rules.py): a fixture that breaks each, one that passes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import findings_of, located

from catalog_cli.checks.rules import check_leaf
from catalog_cli.model import Leaf, Material, Situation, TimeLimit

Rows = dict[str, list[dict[str, Any]]]


def leaf0(rows: Rows) -> dict[str, Any]:
    return rows["子项"][0]


def set_leaf(**changes: Any) -> Callable[[Rows], None]:
    def mutate(rows: Rows) -> None:
        leaf0(rows).update(changes)

    return mutate


BREAKS = [
    ("promise-exceeds-legal", set_leaf(承诺办结时限="25个工作日"), ("子项", 2, "承诺办结时限")),
    ("limit-unit-mismatch", set_leaf(承诺办结时限="10个自然日"), ("子项", 2, "承诺办结时限")),
    ("instant-case-mismatch", set_leaf(承诺办结时限="即办"), ("子项", 2, "办件类型")),
    ("instant-case-mismatch", set_leaf(办件类型="即办件"), ("子项", 2, "承诺办结时限")),
    (
        "onsite-reason-missing",
        set_leaf(必须现场办理原因说明=None),
        ("子项", 2, "必须现场办理原因说明"),
    ),
    ("full-online-visits", set_leaf(网上办理深度="全程网办"), ("子项", 2, "到办事现场次数")),
    ("fee-standard-missing", set_leaf(是否收费="是"), ("子项", 2, "收费依据及标准")),
    ("entrusting-dept-missing", set_leaf(实施主体性质="受委托组织"), ("子项", 2, "委托部门")),
    ("entrusting-dept-missing", set_leaf(权力来源="上级委托"), ("子项", 2, "委托部门")),
    ("power-source-missing", set_leaf(权力来源=None), ("子项", 2, "权力来源")),
]


@pytest.mark.parametrize(
    ("code", "mutate", "where"), BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKS)]
)
def test_rule_fires_at_the_cell(rows, write, code, mutate, where):
    mutate(rows)
    found = located(findings_of(write(rows)))
    assert (code, *where) in found


PASSES = [
    ("promise-exceeds-legal", set_leaf(承诺办结时限="20个工作日")),
    ("limit-unit-mismatch", set_leaf(法定办结时限="30个自然日", 承诺办结时限="10个自然日")),
    ("instant-case-mismatch", set_leaf(承诺办结时限="即办", 办件类型="即办件")),
    ("onsite-reason-missing", set_leaf(到办事现场次数=0, 必须现场办理原因说明=None)),
    (
        "full-online-visits",
        set_leaf(网上办理深度="全程网办", 到办事现场次数=0, 必须现场办理原因说明=None),
    ),
    ("fee-standard-missing", set_leaf(是否收费="是", 收费依据及标准="按《XX收费标准》每件10元")),
    ("entrusting-dept-missing", set_leaf(实施主体性质="受委托组织", 委托部门="江淮市人民政府")),
    ("power-source-missing", set_leaf(权力来源=None, 事项类型="公共服务", 基本编码="342064213001")),
]


@pytest.mark.parametrize(("code", "mutate"), PASSES, ids=[p[0] for p in PASSES])
def test_rule_passes_when_satisfied(rows, write, code, mutate):
    mutate(rows)
    assert code not in {f.code for f in findings_of(write(rows))}


def test_base_fixture_is_clean(rows, write):
    assert findings_of(write(rows)) == []


def test_fee_rows_alone_satisfy_fee_rule_and_no_charge_with_rows_warns(rows, write):
    leaf0(rows)["是否收费"] = "是"
    rows["收费"] = [
        {
            "实施编码": leaf0(rows)["实施编码"],
            "收费项目": "工本费",
            "收费标准": "10元/件",
            "收费依据": "物价文件",
            "是否允许减免": "否",
        }
    ]
    assert "fee-standard-missing" not in {f.code for f in findings_of(write(rows, "a.xlsx"))}
    leaf0(rows)["是否收费"] = "否"
    found = [f for f in findings_of(write(rows, "b.xlsx")) if f.code == "fee-rows-not-charged"]
    assert [(f.severity, f.row) for f in found] == [("warning", 2)]


def test_situation_materials_must_be_the_leafs(rows, write):
    rows["办理情形"][1]["情形材料"] = "申请书；户口簿；营业执照"
    found = [f for f in findings_of(write(rows)) if f.code == "situation-material-unknown"]
    assert [(f.sheet, f.row, f.element, f.value) for f in found] == [
        ("办理情形", 3, "情形材料", "户口簿；营业执照")
    ]


def test_duplicate_material_seq_and_situation_name(rows, write):
    rows["申请材料"][1]["序号"] = 1
    rows["办理情形"][1]["情形名称"] = "本人办理"
    found = located(findings_of(write(rows)))
    assert ("duplicate-seq", "申请材料", 3, "序号") in found
    assert ("duplicate-situation", "办理情形", 3, "情形名称") in found


def test_rules_work_on_the_model_directly():
    leaf = Leaf(
        impl_code="X",
        case_type="2",
        visits=2,
        online_depth="4",
        fee_charged=True,
        agency_nature="3",
        item_type="01",
        legal_limit=TimeLimit(10, "工作日", "10个工作日"),
        promised_limit=TimeLimit(12, "工作日", "12个工作日"),
        materials=[Material(seq=1, name="申请书")],
        situations=[Situation(name="本人", materials=["申请书 "])],
    )
    codes = sorted(f.code for f in check_leaf(leaf))
    assert codes == sorted(
        [
            "promise-exceeds-legal",
            "onsite-reason-missing",
            "full-online-visits",
            "fee-standard-missing",
            "entrusting-dept-missing",
            "power-source-missing",
        ]
    )


def test_no_legal_limit_is_not_compared(rows, write):
    leaf0(rows)["法定办结时限"] = "无"
    leaf0(rows)["承诺办结时限"] = "30个工作日"
    codes = {f.code for f in findings_of(write(rows))}
    assert not codes & {"promise-exceeds-legal", "limit-unit-mismatch"}
