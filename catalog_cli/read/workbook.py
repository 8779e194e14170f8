"""Read the standard workbook (xlsx / xlsm / xls) with python-calamine."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine
from xlsxwriter.utility import xl_col_to_name

from catalog_cli.model import RECORD_CLASSES, Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.values import cell_text
from catalog_cli.read.archive import check_archive
from catalog_cli.read.assemble import FlatRecords
from catalog_cli.read.layout import (
    Layout,
    code_as_number,
    find_header,
    map_header,
    unmapped_findings,
)
from catalog_cli.read.normalize import Changes
from catalog_cli.read.values import converter
from catalog_cli.schema import Field, Schema, SheetSpec, fold_header, load_schema

CHILD_ATTR = {"situation": "situations", "material": "materials", "step": "steps", "fee": "fees"}
PARENT_RECORD = {
    "leaf": "main_item"
}  # a sheet's parent key names a row of this record (else: leaf)


@dataclass(frozen=True)
class Column:
    """A mapped column: its index, the field it fills and how a cell becomes a value."""

    index: int
    key: str
    field: Field
    parse: Callable[[Any], Any]


def open_workbook(path: Path) -> python_calamine.CalamineWorkbook:
    """Open a workbook or raise a one-line :class:`CatalogInputError`.

    An xlsx / xlsm is first checked for a zip bomb (:func:`~.archive.check_archive`).
    """
    check_archive(path)
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for corrupt files
        raise CatalogInputError(
            str(path), f"无法打开工作簿（文件损坏、加密或不是 Excel 文件）：{exc}"
        ) from None


def link_indexes(names: list[str], sheet: SheetSpec) -> dict[str, int]:
    """Where a sheet's link columns are (role → column index; see :attr:`SheetSpec.links`).

    The first column with a link header counts; a workbook without them links by codes.
    """
    found: dict[str, int] = {}
    for role, title in sheet.links:
        wanted = fold_header(title)
        index = next(
            (i for i, name in enumerate(names) if name and fold_header(name) == wanted), None
        )
        if index is not None:
            found[role] = index
    return found


def map_columns(
    names: list[str],
    sheet: SheetSpec,
    schema: Schema,
    source: Source,
    findings: list[Finding],
    changes: Changes | None = None,
) -> tuple[list[Column], dict[int, str]]:
    """Map header names to fields.

    Unmapped ones become extra attributes (with a finding); missing required columns are findings.
    """
    lookup = schema.header_lookup(sheet)
    record = schema.records[sheet.record]
    fields = dict(record.fields)
    if sheet.parent:
        fields[sheet.parent] = schema.records["leaf"].fields[sheet.parent]
    mapped, _, extras = map_header(names, lookup)
    for index in link_indexes(names, sheet).values():
        extras.pop(index, None)  # link columns are neither elements nor extra attributes
    findings.extend(unmapped_findings(extras, lookup, source))
    count = changes.counter(source.file) if changes is not None else None
    columns = []
    for index, key in mapped.items():
        source.columns[key] = xl_col_to_name(index)
        columns.append(Column(index, key, fields[key], converter(fields[key], count)))
    required = set(record.required) | ({sheet.parent} if sheet.parent else set())
    for key in sorted(
        required - set(mapped.values()) - {"leaves", "materials", "steps", "situations", "fees"}
    ):
        title = fields[key].title
        findings.append(
            make_finding(
                "missing-column",
                "error",
                source,
                f"缺少“{title}”列，请按标准模板补上该列",
                element=title,
            )
        )
    return columns, extras


def read_sheet(
    path: Path,
    wb: Any,
    sheet: SheetSpec,
    schema: Schema,
    flat: FlatRecords,
    findings: list[Finding],
    changes: Changes,
    keys: dict[str, dict[str, Any]] | None = None,
) -> Layout | None:
    """Read one sheet of the standard workbook into ``flat``.

    ``keys`` (record kind → row key → record) collects the rows of sheets with a row key and
    gives the parents of rows with a parent key (:attr:`SheetSpec.links`): a row whose parent
    key names a row read before is linked to that record, any other by its codes.
    """
    keys = keys if keys is not None else {}
    file = str(path)
    try:
        rows = wb.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise CatalogInputError(file, f"无法读取：{exc}", sheet.name) from None
    found = find_header(rows, schema.header_lookup(sheet), min_hits=2)
    if found is None:
        if any(any(c != "" for c in row) for row in rows):
            raise CatalogInputError(file, "找不到表头（前15行中没有可识别的要素名称）", sheet.name)
        return None
    start, end, names = found
    header_index = end - 1
    header_source = Source(file, sheet.name, end, {})
    columns, extras = map_columns(names, sheet, schema, header_source, findings, changes)
    letters = header_source.columns
    cls = RECORD_CLASSES[sheet.record]
    plan = [(c.index, c.key, c.parse) for c in columns]
    code_columns = [c for c in columns if c.field.is_code]
    links = link_indexes(names, sheet)
    own_at, parent_at = links.get("row_key"), links.get("parent_key")
    own_keys = keys.setdefault(sheet.record, {})
    parents = keys.get(PARENT_RECORD.get(sheet.record, "leaf"), {})
    extra_plan = list(extras.items())
    needed = max([c.index for c in columns] + list(extras) + list(links.values()), default=-1) + 1
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if row.count("") == len(row) or all(_blank(c) for c in row):
            continue  # a row of empty or whitespace-only cells (stops at the first filled one)
        if len(row) < needed:
            row = row + [""] * (needed - len(row))
        values = {key: parse(row[i]) for i, key, parse in plan}
        source = Source(file, sheet.name, index + 1, letters)
        parent = values.pop(sheet.parent, None) if sheet.parent else None
        for column in code_columns:
            if row[column.index].__class__ is float:
                item = (
                    parent
                    or values.get("impl_code")
                    or values.get("basic_code")
                    or values.get("name")
                )
                findings.append(
                    code_as_number(column.field.title, column.key, row[column.index], source, item)
                )
        extra = (
            {name: text for i, name in extra_plan if (text := cell_text(row[i])) is not None}
            if extra_plan
            else {}
        )
        record = cls(**values, extra=extra, source=source)
        if own_at is not None and (key := cell_text(row[own_at])) is not None:
            own_keys.setdefault(key, record)
        linked = (
            parents.get(key)
            if parent_at is not None and (key := cell_text(row[parent_at])) is not None
            else None
        )
        _place(flat, sheet.record, record, parent, linked)
    return Layout(
        file,
        sheet.name,
        "standard",
        tuple(range(start + 1, end + 1)),
        {c.index: c.key for c in columns},
        {c.index: names[c.index] for c in columns},
        extras,
    )


def _place(
    flat: FlatRecords, record_name: str, record: Any, parent: str | None, linked: Any = None
) -> None:
    """Put a record in ``flat`` under its parent: the ``linked`` record, else by code."""
    if record_name == "main_item":
        flat.mains.append(record)
    elif record_name == "leaf":
        code = record.main_code or record.basic_code
        flat.leaves.append((linked if linked is not None else code, record))
    elif record_name == "bundle":
        flat.bundles.append(record)
    else:
        flat.children[CHILD_ATTR[record_name]].append(
            (linked if linked is not None else parent, record)
        )


def _blank(cell: Any) -> bool:
    """An empty cell, or one holding only whitespace (a writer may keep “  ” in a cell)."""
    return cell == "" or (cell.__class__ is str and cell.isspace())


def is_standard_workbook(names: Iterable[str]) -> bool:
    """Whether a workbook with these sheets is a standard workbook: it has a 主项 or 子项 sheet."""
    names = set(names)
    return any(s.name in names for s in load_schema().sheets if s.record in ("main_item", "leaf"))


_SPREADSHEETML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def sheet_names(path: Path) -> list[str]:
    """A workbook's sheet names without reading its cells.

    Reading an xlsx's shared strings can take a second.
    """
    check_archive(path)  # xl/workbook.xml is inflated below
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        names = [sheet.get("name", "") for sheet in root.iter(f"{_SPREADSHEETML}sheet")]
        if names:
            return names
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        pass  # an xls, or an xlsx written oddly: let calamine say
    return list(open_workbook(path).sheet_names)


def read_standard_workbook(
    path: Path,
    changes: Changes | None = None,
    layouts: list[Layout] | None = None,
    wb: python_calamine.CalamineWorkbook | None = None,
) -> tuple[FlatRecords, list[Finding]]:
    """Read a standard workbook.

    Missing optional sheets are fine; a missing required one is a finding.
    """
    schema = load_schema()
    wb = wb if wb is not None else open_workbook(path)
    names = set(wb.sheet_names)
    if not is_standard_workbook(names):
        raise CatalogInputError(str(path), "不是标准目录工作簿：找不到“主项”“子项”工作表")
    flat = FlatRecords()
    findings: list[Finding] = []
    keys: dict[str, dict[str, Any]] = {}  # the rows' own keys, by record kind
    for sheet in schema.sheets:
        if sheet.name in names:
            layout = read_sheet(
                path,
                wb,
                sheet,
                schema,
                flat,
                findings,
                changes if changes is not None else Changes(),
                keys,
            )
            if layout is not None and layouts is not None:
                layouts.append(layout)
        elif sheet.required:
            findings.append(
                make_finding(
                    "missing-sheet",
                    "error",
                    Source(str(path), sheet.name),
                    f"缺少“{sheet.name}”工作表",
                )
            )
    return flat, findings
