"""Shared fixtures: a small valid catalog as literal rows, written to xlsx with openpyxl.

Headers are spelled out here (not taken from the schema) so the tests also check the schema's
titles. Each test copies :func:`base_rows`, breaks one thing and writes the workbook.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import openpyxl
import pytest

USCC_A = "11511301008778183N"  # valid (domain reference examples)
USCC_B = "115113010833722043"
USCC_C = "12441500196720244T"

MAIN_SUBS = "34016421300Y"
SUB_1 = "340164213001"
SUB_2 = "340164213002"
MAIN_ONE = "340720015000"
IMPL_1 = USCC_A + "3" + SUB_1
IMPL_2 = USCC_A + "3" + SUB_2
IMPL_3 = USCC_B + "3" + MAIN_ONE

SHEET_ORDER = ("主项", "子项", "办理情形", "申请材料", "办理流程", "收费", "一件事")


def _leaf(
    impl: str, basic: str, main: str, name: str, agency: str, uscc: str, item_type: str
) -> dict[str, Any]:
    return {
        "实施编码": impl,
        "基本编码": basic,
        "主项编码": main,
        "业务办理项编码": None,
        "事项名称": name,
        "事项类型": item_type,
        "设定依据": "《中华人民共和国行政许可法》第十二条：下列事项可以设定行政许可……",
        "行使层级": "市级、县级",
        "权力来源": "法定本级行使",
        "实施主体": agency,
        "实施主体编码": uscc,
        "实施主体性质": "法定机关",
        "委托部门": None,
        "联办机构": None,
        "服务对象": "自然人、企业法人",
        "办件类型": "承诺件",
        "受理条件": "申请人具有完全民事行为能力；材料齐全、符合法定形式。",
        "办理形式": "窗口办理、网上办理",
        "法定办结时限": "20个工作日",
        "法定办结时限说明": None,
        "承诺办结时限": "5个工作日",
        "承诺办结时限说明": "自受理之日起计算",
        "到办事现场次数": 1,
        "必须现场办理原因说明": "需核验原件",
        "是否收费": "否",
        "收费依据及标准": None,
        "结果名称": "准予许可决定书",
        "结果类型": "批文",
        "结果样本": None,
        "特别程序": None,
        "中介服务": None,
        "数量限制": None,
        "办理地点": "江淮市政务服务中心二楼",
        "办理时间": "工作日 9:00-17:00",
        "咨询方式": "0551-12345678",
        "监督投诉方式": "12345",
        "是否网办": "是",
        "网上办理深度": "在线办理",
        "网办地址": "https://zwfw.example.gov.cn/item",
    }


def base_rows() -> dict[str, list[dict[str, Any]]]:
    """A valid catalog: one main item with two sub-items, one main item that is its own leaf."""
    mains = [
        {
            "基本编码": MAIN_SUBS,
            "事项名称": "食品经营许可",
            "事项类型": "行政许可",
            "设定依据": "《中华人民共和国食品安全法》第三十五条",
            "行使层级": "市级、县级",
            "主管部门": "江淮市市场监督管理局",
        },
        {
            "基本编码": MAIN_ONE,
            "事项名称": "居民身份证换领",
            "事项类型": "行政确认",
            "设定依据": "《中华人民共和国居民身份证法》第十一条",
            "行使层级": "市级",
            "主管部门": "江淮市公安局",
        },
    ]
    leaves = [
        _leaf(
            IMPL_1,
            SUB_1,
            MAIN_SUBS,
            "食品经营许可（新办）",
            "江淮市市场监督管理局",
            USCC_A,
            "行政许可",
        ),
        _leaf(
            IMPL_2,
            SUB_2,
            MAIN_SUBS,
            "食品经营许可（变更）",
            "江淮市市场监督管理局",
            USCC_A,
            "行政许可",
        ),
        _leaf(IMPL_3, MAIN_ONE, MAIN_ONE, "居民身份证换领", "江淮市公安局", USCC_B, "行政确认"),
    ]
    leaves[2]["设定依据"] = "《中华人民共和国居民身份证法》第十一条"
    leaves[2]["行使层级"] = "市级"
    situations = [
        {
            "实施编码": IMPL_1,
            "情形名称": "本人办理",
            "情形说明": None,
            "情形材料": "申请书；身份证明",
            "承诺办结时限": None,
        },
        {
            "实施编码": IMPL_1,
            "情形名称": "委托代理人办理",
            "情形说明": "代理人持委托书",
            "情形材料": "申请书；身份证明；授权委托书",
            "承诺办结时限": None,
        },
    ]
    materials = []
    steps = []
    for impl in (IMPL_1, IMPL_2, IMPL_3):
        for seq, name in enumerate(("申请书", "身份证明", "授权委托书"), start=1):
            materials.append(
                {
                    "实施编码": impl,
                    "序号": seq,
                    "材料名称": name,
                    "材料类型": "原件",
                    "材料形式": "纸质",
                    "份数": "1",
                    "是否必需": "必要" if seq < 3 else "非必要",
                    "来源渠道": "申请人自备",
                    "空白表格": None,
                    "示例样表": None,
                    "备注": None,
                }
            )
        for seq, (name, limit) in enumerate(
            (("受理", "1个工作日"), ("审查", "3个工作日"), ("决定", "1个工作日")), start=1
        ):
            steps.append(
                {
                    "实施编码": impl,
                    "序号": seq,
                    "环节名称": name,
                    "办理岗位": "窗口工作人员",
                    "审查标准": "材料齐全",
                    "办理结果": "通过",
                    "环节时限": limit,
                }
            )
    return {
        "主项": mains,
        "子项": leaves,
        "办理情形": situations,
        "申请材料": materials,
        "办理流程": steps,
        "收费": [],
        "一件事": [],
    }


def write_rows(
    path: Path,
    sheets: dict[str, list[dict[str, Any]]],
    *,
    headers: dict[str, list[str]] | None = None,
) -> Path:
    """Write sheets of dict rows to an xlsx with openpyxl (header = keys of the first row)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in [n for n in SHEET_ORDER if n in sheets] + [
        n for n in sheets if n not in SHEET_ORDER
    ]:
        rows = sheets[name]
        ws = wb.create_sheet(name)
        header = (headers or {}).get(name) or (list(rows[0]) if rows else [])
        ws.append(header)
        for row in rows:
            ws.append([row.get(h) for h in header])
    wb.save(path)
    return path


@pytest.fixture
def rows() -> dict[str, list[dict[str, Any]]]:
    """A fresh copy of the valid base rows, to break in one place."""
    return copy.deepcopy(base_rows())


@pytest.fixture
def write(tmp_path: Path):
    """write(rows, name="目录.xlsx") → path of an openpyxl workbook."""

    def _write(
        sheets: dict[str, list[dict[str, Any]]], name: str = "目录.xlsx", **kwargs: Any
    ) -> Path:
        return write_rows(tmp_path / name, sheets, **kwargs)

    return _write


def excel_row(sheet: str, index: int) -> int:
    """The Excel row of the index-th data row (header on row 1)."""
    return index + 2
