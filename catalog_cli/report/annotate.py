"""Write validation findings back onto copies of the input workbooks.

Every cell with a finding is filled (red for errors, yellow for warnings, blue for notes) and
carries the messages as a comment; a 校验结果 sheet lists all findings with links to their cells.
An xlsx / xlsm input is opened here (that copy is annotated); CSV and xls inputs come from the
caller as the grids it read, copied into a new xlsx. Inputs are never modified: the workbooks are
returned as bytes, and the caller writes them.

Texts are written as strings (a formula-like one also gets Excel's quote prefix). A text longer
than a cell holds (a CSV cell, a value in 校验结果) keeps its first 32,767 characters, and the copy
says so: a ``cell-truncated`` warning on that cell and in 校验结果.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook

from catalog_cli.model import Source
from catalog_cli.model.findings import Finding, make_finding, severity_rank
from catalog_cli.model.values import CELL_CHARS, formula_like
from catalog_cli.report.findings import SEVERITY_LABEL

EDITABLE_SUFFIXES = (".xlsx", ".xlsm")  # inputs openpyxl opens and annotates as they are
RESULT_SHEET = "校验结果"
FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
RESULT_HEADERS = ("级别", "规则", "工作表", "行", "列", "要素", "事项", "值", "说明")

Cut = tuple[str, int, int, int]  # (sheet, Excel row, column from 1, characters the text had)


class SheetGrid(Protocol):
    """A sheet as the reader gave it: its name and its rows of cell values."""

    sheet: str
    rows: list[list[Any]]


def opens_itself(file: str | Path) -> bool:
    """True for inputs annotated as they are (xlsx, xlsm); others need their grids passed in."""
    return Path(file).suffix.lower() in EDITABLE_SUFFIXES


def _copy_of(path: Path, grids: Iterable[SheetGrid], cuts: list[Cut]) -> Workbook:
    """An editable copy of an input: the workbook itself, or a new one holding its grids.

    Every text cut to fit its cell is added to ``cuts``.
    """
    if opens_itself(path):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:  # a workbook not written by Excel may hold longer texts
            for row in ws.iter_rows():
                for cell in row:
                    value = cell.value
                    if value.__class__ is not str or cell.data_type != "s":
                        continue  # numbers, dates and the input's own formulas stay as they are
                    if len(value) > CELL_CHARS:
                        cuts.append((ws.title, cell.row, cell.column, len(value)))
                        cell.value = value[:CELL_CHARS]
                        cell.data_type = "s"
                    if formula_like(value):
                        cell.quotePrefix = True
        return wb
    wb = Workbook()
    wb.remove(wb.active)
    for grid in grids:
        ws = wb.create_sheet(grid.sheet[:31])
        for row in grid.rows:
            append_text(ws, row, cuts)
    return wb


def _cut_findings(file: str, wb: Workbook, cuts: list[Cut]) -> list[Finding]:
    """A warning for every text cut to fit its cell; the element is the column's first cell."""
    findings = []
    for sheet, row, col, length in cuts:
        letter = get_column_letter(col)
        head = wb[sheet].cell(1, col).value if sheet in wb.sheetnames else None
        findings.append(
            make_finding(
                "cell-truncated",
                "warning",
                Source(file, sheet, row, {"text": letter}),
                f"有 {length:,} 个字符，超过 xlsx 单元格的上限 {CELL_CHARS:,}：这份副本只保留前 "
                f"{CELL_CHARS:,} 个，截去 {length - CELL_CHARS:,} 个（输入文件保留全文）",
                element=head if isinstance(head, str) and row > 1 else f"{letter} 列",
                key="text",
            )
        )
    return findings


def _mark(wb: Workbook, findings: list[Finding]) -> None:
    """Fill and comment every cell that has findings (the worst severity picks the colour)."""
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet in wb.sheetnames and f.row:
            by_cell[(f.sheet, f"{f.column or 'A'}{f.row}")].append(f)
    for (sheet, ref), found in by_cell.items():
        cell = wb[sheet][ref]
        worst = min((f.severity for f in found), key=severity_rank)
        cell.fill = FILLS[worst]
        text = "\n".join(f"【{SEVERITY_LABEL[f.severity]}】{f.message}（{f.code}）" for f in found)
        cell.comment = Comment(
            text, "catalog-cli", width=360, height=min(60 + 40 * len(found), 400)
        )


def _results_sheet(wb: Workbook, findings: list[Finding], file: str) -> list[Finding]:
    """A sheet listing the findings, each linked to its cell (a value cut to fit its cell is
    followed by a row saying so); returns those cuts."""
    cut_values: list[Finding] = []
    if RESULT_SHEET in wb.sheetnames:
        del wb[RESULT_SHEET]
    ws = wb.create_sheet(RESULT_SHEET, 0)
    ws.append(RESULT_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for f in findings:
        values = (
            SEVERITY_LABEL[f.severity],
            f.code,
            f.sheet,
            f.row,
            f.column,
            f.element,
            f.item,
            f.value,
            f.message,
        )
        cuts: list[Cut] = []
        append_text(ws, values, cuts)
        if f.sheet in wb.sheetnames and f.row:
            link = ws.cell(ws.max_row, 9)
            link.hyperlink = f"#{quote_sheetname(f.sheet)}!{f.column or 'A'}{f.row}"
            link.style = "Hyperlink"
        for cut in _cut_findings(file, wb, cuts):
            cut_values.append(cut)
            append_text(
                ws,
                (
                    SEVERITY_LABEL[cut.severity],
                    cut.code,
                    cut.sheet,
                    cut.row,
                    cut.column,
                    cut.element,
                    None,
                    None,
                    cut.message,
                ),
            )
    for letter, width in zip("ABCDEFGHI", (6, 24, 14, 6, 5, 16, 34, 24, 70), strict=True):
        ws.column_dimensions[letter].width = width
    return cut_values


def append_text(ws: Any, values: Iterable[Any], cuts: list[Cut] | None = None) -> None:
    """Append a row whose strings stay text: openpyxl would make one starting with "=" a formula.

    A formula-like text also gets Excel's quote prefix; one longer than a cell holds keeps its
    first :data:`CELL_CHARS` characters, and the cut goes to ``cuts``.
    """
    row = ws._current_row + 1  # the row ws.append() fills
    cells = []
    for col, value in enumerate(values, start=1):
        if isinstance(value, str):
            if len(value) > CELL_CHARS:
                if cuts is not None:
                    cuts.append((ws.title, row, col, len(value)))
                value = value[:CELL_CHARS]
            cells.append(_text_cell(ws, value))
        else:
            cells.append(value)
    ws.append(cells)


def _text_cell(ws: Any, value: str) -> Cell:
    cell = Cell(ws, value=value)
    cell.data_type = "s"
    if formula_like(value):
        cell.quotePrefix = True
    return cell


def annotated_paths(files: list[str], output: Path) -> dict[str, Path]:
    """Where each input's annotated copy goes.

    ``output`` itself for one input, else files in the folder ``output``.
    """
    if len(files) == 1 and output.suffix.lower() == ".xlsx":
        return {files[0]: output}
    return {f: output / f"{Path(f).stem}-校验结果.xlsx" for f in files}


def annotated_workbook(
    file: str | Path,
    findings: Sequence[Finding],
    grids: Iterable[SheetGrid] = (),
    cut: list[Finding] | None = None,
) -> bytes:
    """An annotated copy of one input as xlsx bytes.

    An xlsx / xlsm input is opened from ``file``; for any other input ``grids`` are its sheets as
    read (none for JSON: the copy holds only the 校验结果 sheet). Every text the copy cuts to fit
    its cell (a ``cell-truncated`` finding, also in the copy) is added to ``cut``.
    """
    cuts: list[Cut] = []
    wb = _copy_of(Path(file), grids, cuts)
    cut_cells = _cut_findings(str(file), wb, cuts)
    found = list(findings) + cut_cells
    _mark(wb, found)
    cut_values = _results_sheet(wb, found, str(file))
    if cut is not None:
        cut.extend(cut_cells + cut_values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def findings_by_file(findings: Iterable[Finding]) -> dict[str | None, list[Finding]]:
    """The findings of each input file (in their order)."""
    by_file: dict[str | None, list[Finding]] = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    return by_file
