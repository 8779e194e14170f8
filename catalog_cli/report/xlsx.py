"""Render a report as an xlsx workbook: a 汇总 sheet and a 子项明细 sheet of the details.

Every text is written as a string, never as a formula, number or link; one that looks like a
formula (:func:`~catalog_cli.model.values.formula_like`) also gets Excel's quote prefix, so that
editing the cell keeps it text. A report's texts are short (names, sentences); one longer than a
cell holds is cut to :data:`~catalog_cli.model.values.CELL_CHARS` characters and ends with a note
saying how many were cut.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from catalog_cli.model.values import CELL_CHARS, formula_like
from catalog_cli.report.shape import Report, Table
from catalog_cli.report.text import cell_text

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "子项明细"
TEXT_ONLY = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


STYLES = {
    "plain": {},
    "bold": {"bold": True},
    "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1},
}


def fit_cell(text: str) -> str:
    """``text``, or when longer than a cell holds its beginning and a note of how much was cut."""
    if len(text) <= CELL_CHARS:
        return text
    keep = CELL_CHARS - 40  # room for the note
    return text[:keep] + f"……（超过单元格上限，截去 {len(text) - keep:,} 个字符）"


class _Texts:
    """Writes texts as strings in a style, with the quote prefix for formula-like ones."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.formats: dict[tuple[str, bool], Any] = {}

    def format(self, style: str, quoted: bool = False) -> Any:
        key = (style, quoted)
        if key not in self.formats:
            props = STYLES[style] | ({"quote_prefix": True} if quoted else {})
            self.formats[key] = self.wb.add_format(props) if props else None
        return self.formats[key]

    def write(self, ws: Any, row: int, col: int, text: str, style: str = "plain") -> None:
        text = fit_cell(text)
        ws.write_string(row, col, text, self.format(style, formula_like(text)))


def render_xlsx(report: Report) -> bytes:
    """The title, sentences and summary tables on 汇总; the first detail table on 子项明细."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_ONLY})
    texts = _Texts(wb)
    ws = wb.add_worksheet(SUMMARY_SHEET)
    texts.write(ws, 0, 0, report.title, "bold")
    row = 2
    for sentence in report.sentences:
        texts.write(ws, row, 0, sentence)
        row += 1
    for table in report.tables:
        row += 1
        texts.write(ws, row, 0, table.title, "bold")
        row = write_table(ws, row + 1, table, texts)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 12, 14)
    if report.details:
        detail = report.details[0]
        ds = wb.add_worksheet(DETAIL_SHEET)
        write_table(ds, 0, detail, texts)
        ds.freeze_panes(1, 0)
        ds.autofilter(0, 0, max(len(detail.rows), 1), len(detail.headers) - 1)
        ds.set_column(0, len(detail.headers) - 1, 16)
    wb.close()
    return buffer.getvalue()


def write_table(ws: Any, row: int, table: Table, texts: _Texts) -> int:
    """Write a table's header and rows from ``row``; return the row after it."""
    for col, title in enumerate(table.headers):
        texts.write(ws, row, col, title, "header")
    for values in table.rows:
        row += 1
        for col, value in enumerate(values):
            if isinstance(value, bool) or value is None:
                texts.write(ws, row, col, cell_text(value))
            elif isinstance(value, int | float):
                ws.write_number(row, col, value)
            else:
                texts.write(ws, row, col, str(value))
    return row + 1
