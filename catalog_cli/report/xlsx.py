"""Render a report as an xlsx workbook: a 汇总 sheet and a 子项明细 sheet of the details.

Every text is written as a string, never as a formula, number or link.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from catalog_cli.report.shape import Report, Table
from catalog_cli.report.text import cell_text

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "子项明细"
TEXT_ONLY = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def render_xlsx(report: Report) -> bytes:
    """The title, sentences and summary tables on 汇总; the first detail table on 子项明细."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_ONLY})
    bold = wb.add_format({"bold": True})
    header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    ws = wb.add_worksheet(SUMMARY_SHEET)
    ws.write_string(0, 0, report.title, bold)
    row = 2
    for sentence in report.sentences:
        ws.write_string(row, 0, sentence)
        row += 1
    for table in report.tables:
        row += 1
        ws.write_string(row, 0, table.title, bold)
        row = write_table(ws, row + 1, table, header)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 12, 14)
    if report.details:
        detail = report.details[0]
        ds = wb.add_worksheet(DETAIL_SHEET)
        write_table(ds, 0, detail, header)
        ds.freeze_panes(1, 0)
        ds.autofilter(0, 0, max(len(detail.rows), 1), len(detail.headers) - 1)
        ds.set_column(0, len(detail.headers) - 1, 16)
    wb.close()
    return buffer.getvalue()


def write_table(ws: Any, row: int, table: Table, header: Any) -> int:
    """Write a table's header and rows from ``row``; return the row after it."""
    for col, title in enumerate(table.headers):
        ws.write_string(row, col, title, header)
    for values in table.rows:
        row += 1
        for col, value in enumerate(values):
            if isinstance(value, bool) or value is None:
                ws.write_string(row, col, cell_text(value))
            elif isinstance(value, int | float):
                ws.write_number(row, col, value)
            else:
                ws.write_string(row, col, str(value))
    return row + 1
