"""The six-leaf catalog and four-leaf baseline the reduce, stats and match tests work out by hand.

Six current leaves (L1–L6) and a baseline of four (B1–B4). Each leaf has the fixture's three
materials — 申请书 (必要), 身份证明 (必要), 授权委托书 (非必要) — so 2 required, and 3 steps.

| leaf | 法定 | 承诺 | result |
|---|---|---|---|
| L1 | 20个工作日 | 5个工作日 | saved 15, 75% |
| L2 | 20个工作日 | 即办 | saved 20, 100% |
| L3 | 无 | 5个工作日 | excluded: 无法定时限 |
| L4 | 30个自然日 | 10个工作日 | excluded: 单位不同 |
| L5 | 即办 | 即办 | excluded: 法定时限为即办 |
| L6 | 60个自然日 | 45个自然日 | saved 15, 25% |

工作日: Σ法定 40, Σ减少 35 → 87.50%.  自然日: 60, 15 → 25.00%.
"""

from __future__ import annotations

import pytest
from conftest import USCC_A, USCC_B, _leaf, write_rows

MAIN = "340164213000"


def leaf_row(n: int, legal: str, promised: str, **changes):
    code = f"3401642130{n:02d}"
    row = _leaf(
        USCC_A + "3" + code, code, MAIN, f"事项{n}", "江淮市市场监督管理局", USCC_A, "行政许可"
    )
    row.update(法定办结时限=legal, 承诺办结时限=promised, **changes)
    return row


def children(impl: str, steps: int = 3) -> tuple[list[dict], list[dict]]:
    materials = [
        {"实施编码": impl, "序号": i, "材料名称": name, "是否必需": need}
        for i, (name, need) in enumerate(
            (("申请书", "必要"), ("身份证明", "必要"), ("授权委托书", "非必要")), start=1
        )
    ]
    step_rows = [{"实施编码": impl, "序号": i, "环节名称": f"环节{i}"} for i in range(1, steps + 1)]
    return materials, step_rows


def catalog_rows(
    leaves: list[dict],
    steps: dict[str, int] | None = None,
    extra_materials: dict[str, int] | None = None,
) -> dict:
    mains = [
        {
            "基本编码": MAIN,
            "事项名称": "主项",
            "事项类型": "行政许可",
            "设定依据": "依据",
            "行使层级": "市级",
        }
    ]
    materials, step_rows = [], []
    for leaf in leaves:
        m, s = children(leaf["实施编码"], (steps or {}).get(leaf["实施编码"], 3))
        for k in range((extra_materials or {}).get(leaf["实施编码"], 0)):
            m.append(
                {
                    "实施编码": leaf["实施编码"],
                    "序号": 4 + k,
                    "材料名称": f"旧材料{k}",
                    "是否必需": "必要",
                }
            )
        materials += m
        step_rows += s
    return {
        "主项": mains,
        "子项": leaves,
        "办理情形": [],
        "申请材料": materials,
        "办理流程": step_rows,
    }


@pytest.fixture
def current(tmp_path):
    leaves = [
        leaf_row(1, "20个工作日", "5个工作日", 到办事现场次数=1),
        leaf_row(
            2, "20个工作日", "即办", 办件类型="即办件", 到办事现场次数=0, 网上办理深度="全程网办"
        ),
        leaf_row(3, "无", "5个工作日", 到办事现场次数=2, 是否收费="是", 收费依据及标准="每件10元"),
        leaf_row(
            4, "30个自然日", "10个工作日", 到办事现场次数=1, 行使层级="县级、镇（乡、街道）级"
        ),
        leaf_row(5, "即办", "即办", 办件类型="即办件", 到办事现场次数=0),
        leaf_row(6, "60个自然日", "45个自然日", 到办事现场次数=1),
    ]
    rows = catalog_rows(leaves)
    rows["办理情形"] = [  # L1: 本人 needs 申请书 (1 required); 代理 needs all three (2 required)
        {"实施编码": leaves[0]["实施编码"], "情形名称": "本人办理", "情形材料": "申请书"},
        {
            "实施编码": leaves[0]["实施编码"],
            "情形名称": "代理办理",
            "情形材料": "申请书；身份证明；授权委托书",
        },
    ]
    rows["一件事"] = [
        # A: L1 + L2 → materials 4 (2 unique) → 3 = 25%; steps 6 → 1 = 83.33%;
        #    time 5+0 → 3 = 40%; visits 1 → 0 = 100%
        {
            "一件事名称": "甲一件事",
            "成员实施编码": f"{leaves[0]['实施编码']}；{leaves[1]['实施编码']}",
            "申请材料数": 3,
            "办理环节数": 1,
            "承诺办结时限": "3个工作日",
            "到办事现场次数": 0,
        },
        # B: L1 + L2 + L6 share 申请书 and 身份证明 → 6 (2 unique) → 3 = 50%; steps 9 → 3 = 66.67%;
        #    time: 工作日 and 自然日 members cannot be added → none; visits 2 → 1 = 50%
        {
            "一件事名称": "乙一件事",
            "成员实施编码": "；".join(row["实施编码"] for row in (leaves[0], leaves[1], leaves[5])),
            "申请材料数": 3,
            "办理环节数": 3,
            "承诺办结时限": "10个工作日",
            "到办事现场次数": 1,
        },
    ]
    return write_rows(tmp_path / "现在.xlsx", rows), leaves


@pytest.fixture
def baseline(tmp_path, current):
    _, leaves = current
    b1 = dict(leaves[0], 承诺办结时限="10个工作日", 到办事现场次数=2)  # same 实施编码 as L1
    b2 = dict(
        leaves[1],
        实施编码=USCC_B + "3" + leaves[1]["基本编码"],
        实施主体编码=USCC_B,
        承诺办结时限="3个工作日",
        办件类型="承诺件",
        到办事现场次数=1,
    )  # same 基本编码
    b3 = dict(
        leaves[5],
        实施编码=USCC_A + "3340164213099",
        基本编码="340164213099",
        事项名称="事项６ ",
        承诺办结时限="60个自然日",
    )  # same name only
    b4 = leaf_row(7, "20个工作日", "15个工作日")  # only in the baseline
    rows = catalog_rows(
        [b1, b2, b3, b4],
        steps={b1["实施编码"]: 5, b2["实施编码"]: 4},
        extra_materials={b1["实施编码"]: 2, b2["实施编码"]: 1},
    )
    return write_rows(tmp_path / "基线.xlsx", rows)
