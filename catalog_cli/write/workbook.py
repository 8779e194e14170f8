"""Write the standard workbook (and the empty template) with xlsxwriter.

Layout — sheets, columns, headers, code tables — comes from the schema. Rows follow model
order, so the same catalog always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from catalog_cli.model import Catalog, Leaf, Source
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.values import CELL_CHARS, FORMULA_FIRST, format_value, formula_like
from catalog_cli.schema import Field, Schema, SheetSpec, load_schema, time_unit_of
from catalog_cli.write.atomic import atomic_path

FIXED_CREATED = dt.datetime(2024, 1, 1)
CODES_SHEET = "代码表"
REQUIREMENT_LABEL = {"M": "必填", "C": "按条件必填", "O": "选填"}
KIND_GUIDE = {
    "time_limit": "填写数字加单位，如“20个工作日”“30个自然日”“即办”；没有法定时限填“无”。",
    "multi": "可填多个值，用“、”分隔。",
    "list": "多个值用“；”分隔。",
    "integer": "填写整数。",
    "yes_no": "填写“是”或“否”。",
}
WIDTHS = {
    "text": 24,
    "time_limit": 14,
    "integer": 8,
    "enum": 14,
    "multi": 18,
    "yes_no": 8,
    "list": 30,
}


def leaf_rows(catalog: Catalog) -> list[Leaf]:
    """Leaves in the order the reader rebuilds them from 子项.

    Those under a main item with a code first, then those a 主项编码 cannot link (main item
    without a code, orphans).
    """
    linked = [leaf for main in catalog.main_items if main.basic_code for leaf in main.leaves]
    unlinked = [leaf for main in catalog.main_items if not main.basic_code for leaf in main.leaves]
    return linked + unlinked + catalog.orphans.leaves


Row = tuple[str | None, int | None, int | None, Any]
"""(parent implementation code, parent's row key, own row key, record) of one row."""


def _sheet_rows(catalog: Catalog, sheet: SheetSpec) -> Iterator[Row]:
    """Every row of a sheet, in model order, with the row keys that link it to its parent.

    A main item's key is its place among the main items, a leaf's its row among the leaves
    (:func:`leaf_rows`), both from 1; orphans have no parent key.
    """
    if sheet.record == "main_item":
        yield from ((None, None, key, m) for key, m in enumerate(catalog.main_items, start=1))
    elif sheet.record == "leaf":
        main_keys = {
            id(leaf): key
            for key, main in enumerate(catalog.main_items, start=1)
            for leaf in main.leaves
        }
        for key, leaf in enumerate(leaf_rows(catalog), start=1):
            yield None, main_keys.get(id(leaf)), key, leaf
    elif sheet.record == "bundle":
        yield from ((None, None, None, b) for b in catalog.bundles)
    else:
        attr = {"situation": "situations", "material": "materials", "step": "steps", "fee": "fees"}[
            sheet.record
        ]
        for key, leaf in enumerate(leaf_rows(catalog), start=1):
            yield from ((leaf.impl_code, key, None, child) for child in getattr(leaf, attr))
        yield from ((code, None, None, child) for code, child in getattr(catalog.orphans, attr))


def _extra_keys(records: Iterable[Any]) -> list[str]:
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record.extra))
    return list(keys)


def _element_requirements(schema: Schema) -> dict[int, str]:
    return {e.no: e.requirement for e in schema.elements}


def header_comment(field: Field, required: bool, schema: Schema) -> str:
    """The explanation shown on a header cell: element number, requirement, how to fill it."""
    lines = []
    requirement = _element_requirements(schema).get(field.element or 0)
    if field.element:
        element = next(e for e in schema.elements if e.no == field.element)
        lines.append(
            f"实施清单要素第{field.element}项“{element.name}”，"
            f"{REQUIREMENT_LABEL[requirement or 'O']}。"
        )
    else:
        lines.append(f"{field.title}，{'必填' if required else '选填'}。")
    if field.kind in KIND_GUIDE:
        lines.append(KIND_GUIDE[field.kind])
    if field.table is not None and field.kind != "yes_no":
        lines.append("可选值：" + "、".join(field.table.label(c) for c in field.table.codes))
    if field.hint:
        lines.append(field.hint + "。")
    if field.aliases:
        lines.append("也认：" + "、".join(field.aliases))
    return "\n".join(lines)


def _column_range(col: int, count: int) -> str:
    """The absolute range of one code table's labels on the codes sheet (a dropdown's source)."""
    letter = xl_col_to_name(col)
    return f"='{CODES_SHEET}'!${letter}$2:${letter}${count + 1}"


class _Book:
    """Shared formats and the hidden code-table sheet of one workbook."""

    def __init__(self, wb: xlsxwriter.Workbook, schema: Schema) -> None:
        self.wb = wb
        self.schema = schema
        self.header = wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = wb.add_format({"num_format": "@"})
        self.quoted: Any = None  # text Excel keeps as text when edited (see _write_special)
        self.cuts: list[tuple[str, int, int, int]] = []  # (sheet, Excel row, column, length)
        self.titles: dict[str, list[str]] = {}  # each sheet's column titles
        self.tables = sorted(schema.tables.items())
        self.table_ranges = {
            name: _column_range(col, len(table.codes))
            for col, (name, table) in enumerate(self.tables)
        }

    def write_code_tables(self) -> None:
        """A hidden sheet listing every code table's labels, the source of the dropdowns."""
        ws = self.wb.add_worksheet(CODES_SHEET)
        columns = [
            [name] + [table.label(code) for code in table.codes] for name, table in self.tables
        ]
        for row in range(
            max(len(c) for c in columns)
        ):  # row by row: the workbook streams (constant_memory)
            for col, values in enumerate(columns):
                if row < len(values):
                    ws.write_string(row, col, values[row])
        ws.hide()


def _write_sheet(
    book: _Book, sheet: SheetSpec, rows: list[Row], data_rows_hint: int, links: bool = True
) -> None:
    schema = book.schema
    record = schema.records[sheet.record]
    leaf_fields = schema.records["leaf"].fields
    columns: list[tuple[str, Field]] = []
    if sheet.parent:
        columns.append((sheet.parent, leaf_fields[sheet.parent]))
    columns.extend((key, record.fields[key]) for key in sheet.columns)
    links = sheet.links if links else []
    extras = _extra_keys(r[-1] for r in rows)

    ws = book.wb.add_worksheet(sheet.name)
    ws.catalog_book = book  # for the cells _write_cell cannot write plainly
    ws.freeze_panes(1, 0)
    for col, (key, field) in enumerate(columns):
        required = key in record.required or key == sheet.parent
        ws.write_string(0, col, field.title, book.header)
        ws.write_comment(
            0, col, header_comment(field, required, schema), {"x_scale": 2.2, "y_scale": 2.5}
        )
        fmt = book.text if field.is_code or field.kind == "text" else None
        ws.set_column(col, col, WIDTHS.get(field.kind, 16), fmt)
        if field.table is not None:
            last = max(data_rows_hint, len(rows))  # 0-based: data rows are 1..last
            ws.data_validation(
                1,
                col,
                last,
                col,
                {
                    "validate": "list",
                    "source": book.table_ranges[field.table.name],
                    "error_type": "information" if field.kind == "multi" else "stop",
                    "error_message": f"请从下拉列表中选择{field.title}。",
                },
            )
    notes = schema.raw["x-link-notes"]
    for offset, (role, title) in enumerate(links, start=len(columns)):
        ws.write_string(0, offset, title, book.header)
        ws.write_comment(0, offset, notes[role], {"x_scale": 2.2, "y_scale": 1.2})
        ws.set_column(offset, offset, 8)
    fixed = len(columns) + len(links)  # extra attributes follow the link columns
    for offset, name in enumerate(extras):
        ws.write_string(0, fixed + offset, name, book.header)
    ws.autofilter(0, 0, max(len(rows), 1), fixed + len(extras) - 1)
    book.titles[sheet.name] = [field.title for _, field in columns] + [t for _, t in links] + extras

    first = 1 if sheet.parent else 0  # column A holds the parent's code
    own = [key for key, _ in columns[first:]]
    values_of = (
        operator.attrgetter(*own)
        if len(own) > 1
        else (lambda item: (getattr(item, own[0]),) if own else ())
    )
    formats = [
        None if field.kind == "text" else field for _, field in columns[first:]
    ]  # text is written as it is
    slots = [(offset, role == "row_key") for offset, (role, _) in enumerate(links, len(columns))]
    for row, (parent, parent_key, own_key, item) in enumerate(rows, start=1):
        if sheet.parent:
            _write_cell(ws, row, 0, parent)
        for col, (value, field) in enumerate(
            zip(values_of(item), formats, strict=True), start=first
        ):
            _write_cell(
                ws, row, col, value if field is None else format_value(field, value, time_unit_of)
            )
        for offset, is_own in slots:
            key = own_key if is_own else parent_key
            if key is not None:
                ws.write_number(row, offset, key)
        for offset, name in enumerate(extras):
            _write_cell(ws, row, fixed + offset, item.extra.get(name))


def _write_cell(ws: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        return
    cls = value.__class__
    if cls is str:
        if value:
            # formula_like(value), inlined: this runs for every text cell
            if value[0] in FORMULA_FIRST or len(value) > CELL_CHARS:
                _write_special(ws, row, col, value)
            else:
                ws.write_string(row, col, value)
    elif cls is bool:
        ws.write_string(row, col, "是" if value else "否")
    elif cls is int or cls is float or isinstance(value, int | float):
        ws.write_number(row, col, value)
    elif value != "":
        _write_cell(ws, row, col, str(value))


def _write_special(ws: Any, row: int, col: int, text: str) -> None:
    """A text that looks like a formula (kept text, with Excel's quote prefix) or is longer than a
    cell holds (its first :data:`CELL_CHARS` characters, the cut recorded for a warning)."""
    book: _Book = ws.catalog_book
    if len(text) > CELL_CHARS:
        book.cuts.append((ws.name, row + 1, col, len(text)))
        text = text[:CELL_CHARS]
    if formula_like(text):
        if book.quoted is None:
            book.quoted = book.wb.add_format({"num_format": "@", "quote_prefix": True})
        ws.write_string(row, col, text, book.quoted)
    else:
        ws.write_string(row, col, text)


def cut_findings(
    path: Path, cuts: list[tuple[str, int, int, int]], titles: dict[str, list[str]]
) -> list[Finding]:
    """A warning for every text cut to fit a cell of the workbook at ``path``."""
    findings = []
    for sheet, row, col, length in cuts:
        names = titles.get(sheet, [])
        letter = xl_col_to_name(col)
        findings.append(
            make_finding(
                "cell-truncated",
                "warning",
                Source(str(path), sheet, row, {"text": letter}),
                f"有 {length:,} 个字符，超过 xlsx 单元格的上限 {CELL_CHARS:,}：只写入前 "
                f"{CELL_CHARS:,} 个，截去 {length - CELL_CHARS:,} 个（目录 JSON 保留全文）",
                element=names[col] if col < len(names) else f"{letter} 列",
                key="text",
            )
        )
    return findings


def write_workbook(
    catalog: Catalog, path: Path, *, template_rows: int = 1000, links: bool = True
) -> list[Finding]:
    """Write ``catalog`` as the standard workbook at ``path`` (atomically, deterministic bytes).

    Return a warning for every text longer than a cell holds (cut to its first
    :data:`~catalog_cli.model.values.CELL_CHARS` characters); formula-like texts stay text.
    ``links``: write the link columns (主项序号, 子项序号; the empty template has none: a
    workbook filled by hand links by codes).
    """
    schema = load_schema()
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        wb.set_properties(
            {"created": FIXED_CREATED, "title": catalog.name or "政务服务事项实施清单"}
        )
        book = _Book(wb, schema)
        for sheet in schema.sheets:
            _write_sheet(
                book,
                sheet,
                list(_sheet_rows(catalog, sheet)),
                template_rows if not catalog.main_items else 0,
                links,
            )
        book.write_code_tables()
        wb.close()
    return cut_findings(path, book.cuts, book.titles)


def write_template(path: Path, rows: int = 1000) -> None:
    """Write the empty standard workbook: headers, comments, dropdowns for ``rows`` rows."""
    write_workbook(Catalog(), path, template_rows=rows, links=False)
