"""Write validation findings back onto copies of the input workbooks.

Every cell with a finding is filled (red for errors, yellow for warnings, blue for notes) and
carries the messages as a comment; a 校验结果 sheet lists all findings with links to their cells.
An xlsx / xlsm input is opened here (that copy is annotated); CSV and xls inputs come from the
caller as the grids it read, copied into a new xlsx. Inputs are never modified: the workbooks are
returned as bytes, and the caller writes them.
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
from openpyxl.utils import quote_sheetname
from openpyxl.workbook import Workbook

from catalog_cli.model.findings import Finding, severity_rank
from catalog_cli.report.findings import SEVERITY_LABEL

EDITABLE_SUFFIXES = (".xlsx", ".xlsm")  # inputs openpyxl opens and annotates as they are
RESULT_SHEET = "校验结果"
FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
RESULT_HEADERS = ("级别", "规则", "工作表", "行", "列", "要素", "事项", "值", "说明")


class SheetGrid(Protocol):
    """A sheet as the reader gave it: its name and its rows of cell values."""

    sheet: str
    rows: list[list[Any]]


def opens_itself(file: str | Path) -> bool:
    """True for inputs annotated as they are (xlsx, xlsm); others need their grids passed in."""
    return Path(file).suffix.lower() in EDITABLE_SUFFIXES


def _copy_of(path: Path, grids: Iterable[SheetGrid]) -> Workbook:
    """An editable copy of an input: the workbook itself, or a new one holding its grids."""
    if opens_itself(path):
        return openpyxl.load_workbook(path)
    wb = Workbook()
    wb.remove(wb.active)
    for grid in grids:
        ws = wb.create_sheet(grid.sheet[:31])
        for row in grid.rows:
            append_text(ws, row)
    return wb


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


def _results_sheet(wb: Workbook, findings: list[Finding]) -> None:
    """A sheet listing the findings, each linked to its cell."""
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
        append_text(ws, values)
        if f.sheet in wb.sheetnames and f.row:
            link = ws.cell(ws.max_row, 9)
            link.hyperlink = f"#{quote_sheetname(f.sheet)}!{f.column or 'A'}{f.row}"
            link.style = "Hyperlink"
    for letter, width in zip("ABCDEFGHI", (6, 24, 14, 6, 5, 16, 34, 24, 70), strict=True):
        ws.column_dimensions[letter].width = width


def append_text(ws: Any, values: Iterable[Any]) -> None:
    """Append a row whose strings stay text: openpyxl would make one starting with "=" a formula."""
    ws.append([_text_cell(ws, v) if isinstance(v, str) else v for v in values])


def _text_cell(ws: Any, value: str) -> Cell:
    cell = Cell(ws, value=value)
    cell.data_type = "s"
    return cell


def annotated_paths(files: list[str], output: Path) -> dict[str, Path]:
    """Where each input's annotated copy goes.

    ``output`` itself for one input, else files in the folder ``output``.
    """
    if len(files) == 1 and output.suffix.lower() == ".xlsx":
        return {files[0]: output}
    return {f: output / f"{Path(f).stem}-校验结果.xlsx" for f in files}


def annotated_workbook(
    file: str | Path, findings: Sequence[Finding], grids: Iterable[SheetGrid] = ()
) -> bytes:
    """An annotated copy of one input as xlsx bytes.

    An xlsx / xlsm input is opened from ``file``; for any other input ``grids`` are its sheets as
    read (none for JSON: the copy holds only the 校验结果 sheet).
    """
    wb = _copy_of(Path(file), grids)
    found = list(findings)
    _mark(wb, found)
    _results_sheet(wb, found)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def findings_by_file(findings: Iterable[Finding]) -> dict[str | None, list[Finding]]:
    """The findings of each input file (in their order)."""
    by_file: dict[str | None, list[Finding]] = defaultdict(list)
    for f in findings:
        by_file[f.file].append(f)
    return by_file
