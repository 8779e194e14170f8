"""Messy renderings of the city sample, as counties really send them.

- ``messy/市级目录-平铺.xlsx``: one sheet per department, a merged title row, a two-row header
  (“办理时限” over “法定” / “承诺”), main-item and leaf cells merged down their rows, one row per
  handling situation, materials and steps as numbered lists in one cell, header aliases
  (实施机关, 申请条件, 跑动次数, 咨询电话), some traditional characters, full-width digits, stray
  spaces, √ / × for yes and no, and a note row at the bottom.
- ``messy/市级目录-导出.csv``: the same rows as one flat table exported by Excel in GB18030.

A flat sheet cannot carry everything the standard workbook does: a one-cell material list holds
name, type, form, copies, necessity and source but not 空白表格 / 示例样表 / 备注; a one-cell step
list holds name, post and time limit but not 审查标准 / 办理结果; fees rows and 一件事 bundles have
no place. :func:`flat_projection` drops exactly those, and the tests check that normalizing each
messy file gives the projected city catalog.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import opencc
import xlsxwriter

from catalog_cli.model import Catalog, Leaf, MainItem, Material, Situation, Step
from catalog_cli.model.values import format_time_limit, format_value
from catalog_cli.schema import load_schema, time_unit_of
from catalog_cli.write.workbook import FIXED_CREATED

FLAT_FILE = "市级目录-平铺.xlsx"
CSV_FILE = "市级目录-导出.csv"
S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")
FULLWIDTH = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)})

# (header as a county writes it, where the value comes from); None in the second slot of the
# time-limit pair marks the two-row header.
MAIN_COLUMNS = [
    ("主项编码", "main.basic_code"),
    ("主项名称", "main.name"),
    ("主项事项类型", "main.item_type"),
    ("主项设定依据", "main.legal_basis"),
    ("主项行使层级", "main.exercise_level"),
    ("主管部门", "main.department"),
]
LEAF_COLUMNS = [
    ("实施编码", "impl_code"),
    ("基本编码", "basic_code"),
    ("业务办理项编码", "handling_code"),
    ("事项名称", "name"),
    ("事项类型", "item_type"),
    ("实施依据", "legal_basis"),
    ("行使层级", "exercise_level"),
    ("权力来源", "power_source"),
    ("实施机关", "agency"),
    ("实施主体编码", "agency_code"),
    ("实施主体性质", "agency_nature"),
    ("委托部门", "entrusting_dept"),
    ("联办机构", "co_agencies"),
    ("服务对象", "service_object"),
    ("办件类型", "case_type"),
    ("申请条件", "conditions"),
    ("办理形式", "handling_form"),
    ("法定", "legal_limit"),
    ("承诺", "promised_limit"),
    ("法定办结时限说明", "legal_limit_note"),
    ("承诺办结时限说明", "promised_limit_note"),
    ("跑动次数", "visits"),
    ("必须现场办理原因说明", "onsite_reason"),
    ("是否收费", "fee_charged"),
    ("收费依据及标准", "fee_standard"),
    ("结果名称", "result_name"),
    ("结果类型", "result_type"),
    ("结果样本", "result_sample"),
    ("特别程序", "special_procedures"),
    ("中介服务", "intermediary"),
    ("数量限制", "quantity_limit"),
    ("办理地点", "address"),
    ("办理时间", "office_hours"),
    ("咨询电话", "consult"),
    ("监督投诉方式", "complaint"),
    ("是否网办", "online"),
    ("网上办理深度", "online_depth"),
    ("网办地址", "online_url"),
    ("申请材料", "materials"),
    ("办理流程", "steps"),
]
SITUATION_COLUMNS = [
    ("情形名称", "situation.name"),
    ("情形说明", "situation.description"),
    ("情形材料", "situation.materials"),
    ("情形承诺办结时限", "situation.promised_limit"),
]
COLUMNS = MAIN_COLUMNS + LEAF_COLUMNS + SITUATION_COLUMNS
LIMIT_PAIR = ("法定", "承诺")
NUMBERING = ("{n}.{text}\n", "{n}、{text}；", "（{n}）{text}；", "{circled}{text}")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def flat_projection(catalog: Catalog) -> Catalog:
    """The city catalog as far as a flat sheet can carry it (see the module docstring)."""
    out = copy.deepcopy(catalog)
    out.bundles = []
    for leaf in out.iter_leaves():
        leaf.fees = []
        leaf.materials = [
            Material(
                seq=m.seq,
                name=m.name,
                material_type=m.material_type,
                material_form=m.material_form,
                copies=m.copies,
                necessity=m.necessity,
                source_channel=m.source_channel,
            )
            for m in leaf.materials
        ]
        leaf.steps = [
            Step(seq=s.seq, name=s.name, post=s.post, time_limit=s.time_limit) for s in leaf.steps
        ]
    return out


def _traditional(text: str) -> str:
    """Traditional characters where the conversion comes back unchanged."""
    converted = S2T.convert(text)
    return converted if T2S.convert(converted) == text else text


def _bracket(parts: list[str]) -> str:
    return f"（{'，'.join(p for p in parts if p)}）" if any(parts) else ""


def material_list(materials: list[Material], style: int) -> str:
    labels = load_schema().records["material"].fields
    items = []
    for n, m in enumerate(materials, start=1):
        parts = [
            format_value(labels[k], getattr(m, k), time_unit_of) or ""
            for k in ("material_type", "material_form")
        ]
        parts += [m.copies or ""] + [
            format_value(labels[k], getattr(m, k), time_unit_of) or ""
            for k in ("necessity", "source_channel")
        ]
        items.append(
            NUMBERING[style].format(n=n, circled=CIRCLED[n - 1], text=f"{m.name}{_bracket(parts)}")
        )
    return "".join(items).rstrip("\n；")


def step_list(steps: list[Step], style: int) -> str:
    items = []
    for n, s in enumerate(steps, start=1):
        limit = format_time_limit(s.time_limit, time_unit_of) if s.time_limit else ""
        items.append(
            NUMBERING[style].format(
                n=n, circled=CIRCLED[n - 1], text=f"{s.name}{_bracket([s.post or '', limit])}"
            )
        )
    return "".join(items).rstrip("\n；")


def cell(main: MainItem, leaf: Leaf, situation: Situation | None, key: str, index: int) -> Any:
    """The text a county's sheet shows for one column of one row.

    It has the noise a real sheet has.
    """
    schema = load_schema()
    if key.startswith("main."):
        name = key.split(".", 1)[1]
        return format_value(
            schema.records["main_item"].fields[name], getattr(main, name), time_unit_of
        )
    if key.startswith("situation."):
        name = key.split(".", 1)[1]
        return (
            format_value(
                schema.records["situation"].fields[name], getattr(situation, name), time_unit_of
            )
            if situation
            else None
        )
    if key == "materials":
        return material_list(leaf.materials, index % len(NUMBERING))
    if key == "steps":
        return step_list(leaf.steps, (index + 1) % len(NUMBERING))
    value = format_value(schema.records["leaf"].fields[key], getattr(leaf, key), time_unit_of)
    if key in ("fee_charged", "online") and index % 3 == 0 and value in ("是", "否"):
        return {"是": "√", "否": "×"}[value]
    if key == "name" and index % 5 == 0:
        return _traditional(value)
    if key == "conditions" and index % 7 == 0:
        return _traditional(value)
    if key == "consult" and index % 4 == 0:
        return value.translate(FULLWIDTH)
    if key == "agency" and index % 6 == 0:
        return f" {value}　"
    return value


def rows_of(main: MainItem) -> Iterator[tuple[Leaf, Situation | None]]:
    for leaf in main.leaves:
        if leaf.situations:
            yield from ((leaf, s) for s in leaf.situations)
        else:
            yield leaf, None


def departments(catalog: Catalog) -> dict[str, list[MainItem]]:
    groups: dict[str, list[MainItem]] = {}
    for main in catalog.main_items:
        groups.setdefault(main.department or "其他", []).append(main)
    return groups


def write_flat_workbook(catalog: Catalog, path: Path) -> None:
    """One sheet per department with the layout and noise described in the module docstring."""
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    wb.set_properties({"created": FIXED_CREATED})
    bold = wb.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1}
    )
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    last = len(COLUMNS) - 1
    index = 0
    for sheet_no, (dept, mains) in enumerate(departments(catalog).items(), start=1):
        ws = wb.add_worksheet(f"{sheet_no:02d}{dept.removeprefix('江淮市')}"[:31])
        ws.merge_range(0, 0, 0, last, f"{dept}政务服务事项实施清单（2024年版）", bold)
        for col, (header, _) in enumerate(COLUMNS):
            if header in LIMIT_PAIR:
                continue
            ws.merge_range(1, col, 2, col, header, bold)
        first = next(i for i, (h, _) in enumerate(COLUMNS) if h == "法定")
        ws.merge_range(1, first, 1, first + 1, "办理时限", bold)
        ws.write_string(2, first, "法定", bold)
        ws.write_string(2, first + 1, "承诺", bold)
        row = 3
        for main in mains:
            main_top = row
            for leaf in main.leaves:
                leaf_rows = list(rows_of(MainItem(leaves=[leaf])))
                leaf_top = row
                for _, situation in leaf_rows:
                    for col, (_, key) in enumerate(COLUMNS):
                        value = cell(main, leaf, situation, key, index)
                        if value not in (None, ""):
                            _write(ws, row, col, value, wrap)
                    row += 1
                if len(leaf_rows) > 1:
                    _merge_down(
                        ws,
                        leaf_top,
                        row - 1,
                        [i for i, (_, k) in enumerate(COLUMNS) if "." not in k],
                        main,
                        leaf,
                        index,
                        wrap,
                    )
                index += 1
            if row - main_top > 1:
                _merge_down(
                    ws,
                    main_top,
                    row - 1,
                    [i for i, (_, k) in enumerate(COLUMNS) if k.startswith("main.")],
                    main,
                    main.leaves[0],
                    index,
                    wrap,
                )
        ws.merge_range(
            row, 0, row, last, "注：本表由江淮市政务服务管理局汇总，如有疑问请与各部门联系。", wrap
        )
    wb.close()


def _write(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value), fmt)


def _merge_down(
    ws: Any,
    top: int,
    bottom: int,
    cols: list[int],
    main: MainItem,
    leaf: Leaf,
    index: int,
    fmt: Any,
) -> None:
    """Merge each column over a leaf's (or main item's) rows, keeping the top value."""
    for col in cols:
        value = cell(
            main,
            leaf,
            None,
            COLUMNS[col][1],
            index - 1 if COLUMNS[col][1].startswith("main.") else index,
        )
        if value in (None, ""):
            continue
        if isinstance(value, int | float):
            ws.merge_range(top, col, bottom, col, "", fmt)
            ws.write_number(top, col, value, fmt)
        else:
            ws.merge_range(top, col, bottom, col, str(value), fmt)


def write_csv_export(catalog: Catalog, path: Path) -> None:
    """The same rows as one flat table, as Excel exports it.

    GB18030, CRLF and canonical limit headers.
    """
    headers = [{"法定": "法定办结时限", "承诺": "承诺办结时限"}.get(h, h) for h, _ in COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    index = 0
    for main in catalog.main_items:
        for leaf in main.leaves:
            for _, situation in rows_of(MainItem(leaves=[leaf])):
                writer.writerow(
                    [
                        "" if (v := cell(main, leaf, situation, key, index)) is None else v
                        for _, key in COLUMNS
                    ]
                )
            index += 1
    path.write_bytes(buffer.getvalue().encode("gb18030"))


def generate_messy(city: Catalog, outdir: Path) -> list[Path]:
    """Write the messy renderings of ``city`` into ``outdir/messy``."""
    folder = Path(outdir) / "messy"
    folder.mkdir(parents=True, exist_ok=True)
    write_flat_workbook(city, folder / FLAT_FILE)
    write_csv_export(city, folder / CSV_FILE)
    return [folder / FLAT_FILE, folder / CSV_FILE]
