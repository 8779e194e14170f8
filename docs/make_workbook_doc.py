"""Write docs/standard-workbook.md from schemas/catalog.schema.json.

Run it after changing the schema.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog_cli.schema import flat_columns, is_coded_alias, load_schema

REQUIREMENT = {"M": "必填", "C": "按条件必填", "O": "选填"}
INTRO = """# 标准工作簿

`catalog blank -o 目录模板.xlsx` 写出空白的标准工作簿（冻结表头，\
每个表头的批注说明要素、是否必填、
可选值和别名，枚举要素带下拉选项）；`catalog normalize` 把其他版式整理成它。本页由
`python docs/make_workbook_doc.py` 从 `schemas/catalog.schema.json` 生成，请勿手改。

- 子表（办理情形、申请材料、办理流程、收费）每行第一列是所属子项的 **实施编码**。
- 枚举要素可填名称、代码或常见写法；多值要素用“、”分隔；时限写“20个工作日”“30个自然日”“即办”“无”。
- 不认识的列按附加属性保留（读入时以“提示”列出）。
- **连接列** `主项序号`、`子项序号`：程序写出工作簿时，每个主项、子项行填上它的序号（从 1 起），
  子项行另填所属主项的 `主项序号`，子表每行填所属子项的 `子项序号`。读入时，一行的上级序号
  指向上级表中的某一行，就挂到那一行下；没有填（旧工作簿、样例、手工做的工作簿）或指向不存在的
  序号时，仍按编码找上级（子项按 `主项编码`，没有时按 `基本编码`；子表按 `实施编码`；同一编码
  有多行时挂到第一行）。所以编码缺失或重复的事项（接口导出的多个版本、没有编码的主项）写出
  再读入时，子项、材料、流程都留在原来的上级下。连接列不是要素，也不作为附加属性保留。
  `validate`、`stats`、`reduce` 的按表计算按编码连接：连接列与编码所指的上级不同时，
  这个工作簿改为按记录读取（结果相同，只是慢一些）。
"""


def render() -> str:
    schema = load_schema()
    elements = {e.no: e for e in schema.elements}
    lines = [INTRO]
    for sheet in schema.sheets:
        record = schema.records[sheet.record]
        need = "必需" if sheet.required else "可选"
        lines += [
            f"## {sheet.name}（{need}工作表）",
            "",
            "| 列 | 要素 | 必填 | 可选值 / 格式 | 也认 |",
            "|---|---|---|---|---|",
        ]
        for key, title in schema.header_titles(sheet):
            field = (
                schema.records["leaf"] if key == sheet.parent and sheet.parent else record
            ).fields[key]
            element = elements.get(field.element or 0)
            if key in record.required or key == sheet.parent:
                required = "必填"
            elif element and key in element.properties:
                required = REQUIREMENT[element.requirement]
            else:
                required = "选填"
            where = f"第{element.no}项 {element.name}" if element else ""
            values = (
                "、".join(field.table.label(c) for c in field.table.codes)
                if field.table and field.kind != "yes_no"
                else "是 / 否"
                if field.kind == "yes_no"
                else "数字+单位"
                if field.kind == "time_limit"
                else "整数"
                if field.kind == "integer"
                else (field.hint or "")
            )
            chinese = "、".join(a for a in field.aliases if not is_coded_alias(a))
            lines.append(f"| {title} | {where} | {required} | {values} | {chinese} |")
        for role, title in sheet.links:
            what = "本行序号" if role == "row_key" else "所属上级的序号"
            lines.append(f"| {title} | 连接列：{what} | 程序填写 | 整数 |  |")
        lines.append("")
    lines += coded_aliases(schema)
    return "\n".join(lines)


ALIAS_RULES = """## 别名：英文与代码列名

接口导出和各地系统的表头常用英文或代码列名。读入时这些列名不分写法：`taskName`、`TaskName`、
`TASK_NAME`、`task-name`、`task name` 都按 `task_name` 识别（按大小写变化和分隔符拆成词，
小写后用 `_` 连接；缩写和数字各成一词：`catalogID` 即 `catalog_id`）；中文表头照旧折叠
（全半角、括号、空白）。下表的别名由 `python docs/make_english_aliases.py <vocabulary 目录>`
从国家政务服务事项交换表的字段注释、广东权责清单模板的“中文/pkEnglish”表头生成，规则是：

- 字段注释就是某要素的名称或中文别名时，才作为该要素的别名；同一张表有两列对应同一要素时，
  只取注释与要素名称完全相同的一列。
- 只有主项、子项（以及平铺表中主项、办理情形的列）有英文别名。申请材料、收费、办理流程、办理情形表
  只认中文表头，子表的实施编码列也只认中文写法：接口的材料表、收费表用输入配置读入，配置没有映射的列
  （`material_type`、`task_code` 等）以原名作为附加属性保留，整理成标准工作簿再读入时不会被当成
  标准列的重复列。
- 含义不清的列名不映射，按附加属性保留：`local_catalog_code`、`local_task_code`（地方自己的编码）、
  `service_type`（列名是服务类型，注释却是中介服务）、`source_explain`、`link_addr`、
  `pkserviceObjects`（中文是适用范围）、`zxmc`（主项名称、子项名称的拼音首字母相同）。
- 既可能是主项也可能是子项的列名（`task_name`、`catalog_code`、`by_law`、`use_level`）在平铺表中
  归子项；列名写明主项或上级的（`main_item_name`、`parent_name`、`mainItemName`）归主项：
  同一行有 `main_item_name` 和 `task_name` 时，前者是主项名称，后者是子项的事项名称。
- 每个要素的键名（`legal_limit`、`impl_code`）也是它的别名。
- 只写数字的时限列旁边的单位列（`anticipate_day` + `anticipate_type`、`promise_day` +
  `promise_type`、`legal_limit` + `legal_limit_unit`）合成一个时限：单位列可填代码或单位名称；
  不认识的单位代码报 `time-unit-unknown`，保留数值、不猜单位。
"""


def coded_aliases(schema: Any) -> list[str]:
    """The section on English and coded aliases: the rules, then each sheet's and flat column's."""
    lines = [ALIAS_RULES, "| 工作表 / 平铺表 | 列 | 英文与代码列名 |", "|---|---|---|"]
    for sheet in schema.sheets:
        record = schema.records[sheet.record]
        for key, title in schema.header_titles(sheet):
            if key == sheet.parent:  # a child sheet's link column: Chinese names only
                continue
            field = record.fields[key]
            coded = [f"`{a}`" for a in field.aliases if is_coded_alias(a)]
            if coded:
                lines.append(f"| {sheet.name} | {title} | {'、'.join(coded)} |")
    for key, (title, aliases) in flat_columns(schema).items():
        coded = [f"`{a}`" for a in aliases if is_coded_alias(a)]
        if "." in key and coded:
            lines.append(f"| 平铺表 | {title} | {'、'.join(coded)} |")
    codes = schema.raw["$defs"]["time_unit"]["x-unit-codes"]["codes"]
    lines += [
        "",
        "时限单位代码：" + "、".join(f"`{code}` {unit}" for code, unit in codes.items()) + "。",
        "",
    ]
    return lines


if __name__ == "__main__":
    (Path(__file__).resolve().parent / "standard-workbook.md").write_text(
        render(), encoding="utf-8"
    )
