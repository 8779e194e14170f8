"""How a standard workbook would be read, from its header rows alone: the layouts ``--explain``
prints when a command reads the workbook as tables (read/tables.py builds no Layout)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import openpyxl

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read.archive import check_archive
from catalog_cli.read.layout import HEADER_SCAN_ROWS, Layout, find_header, map_header
from catalog_cli.read.workbook import link_indexes
from catalog_cli.schema import load_schema


def header_rows(path: Path, sheets: Collection[str]) -> dict[str, list[list[Any]]]:
    """The first rows of each named sheet that the workbook has (streamed: nothing below them
    is parsed)."""
    check_archive(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for corrupt files
        raise CatalogInputError(str(path), f"无法打开工作簿：{exc}") from None
    try:
        return {
            name: [
                list(row)
                for row in wb[name].iter_rows(max_row=HEADER_SCAN_ROWS + 1, values_only=True)
            ]
            for name in wb.sheetnames
            if name in sheets
        }
    finally:
        wb.close()


def standard_layouts(path: Path, records: Collection[str] | None = None) -> list[Layout]:
    """The layout of each sheet of a standard workbook (only those of ``records`` when given),
    as the standard reader maps its header: element names and aliases, link columns left out."""
    schema = load_schema()
    wanted = [s for s in schema.sheets if records is None or s.record in records]
    rows = header_rows(path, {s.name for s in wanted})
    layouts = []
    for sheet in wanted:
        if sheet.name not in rows:
            continue
        lookup = schema.header_lookup(sheet)
        found = find_header(rows[sheet.name], lookup, min_hits=2)
        if found is None:
            continue
        start, end, names = found
        columns, headers, extras = map_header(names, lookup)
        for index in link_indexes(names, sheet).values():
            extras.pop(index, None)
        layouts.append(
            Layout(
                str(path),
                sheet.name,
                "standard",
                tuple(range(start + 1, end + 1)),
                columns,
                headers,
                extras,
            )
        )
    return layouts
