"""Reports as tables plus sentences, and the renderers that draw them: text (rich), Markdown, xlsx."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import xlsxwriter
from rich.console import Console
from rich.table import Table as RichTable

from catalog_cli.model.values import number_text, pct_text, percent
from catalog_cli.write.atomic import atomic_path

__all__ = ["Table", "number_text", "pct_text", "percent"]


@dataclass(frozen=True)
class Table:
    """A titled table of plain values."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


class TabularReport(Protocol):
    """What the stats and reduction reports offer every renderer."""

    title: str

    def sentences(self) -> list[str]: ...

    def summary_tables(self) -> list[Table]: ...

    def detail_table(self) -> Table | None: ...

    def to_dict(self) -> dict[str, Any]: ...


def _cell(value: Any) -> str:
    return "" if value is None else number_text(value) if isinstance(value, float) else str(value)


def render_text(
    report: TabularReport, console: Console | None = None, *, details: bool = False
) -> str:
    """Rich tables, then the report sentences exactly as a report prints them."""
    buffer = io.StringIO()
    out = console or Console(file=buffer, width=160, no_color=True, highlight=False, soft_wrap=True)
    tables = report.summary_tables() + (
        [report.detail_table()] if details and report.detail_table() else []
    )
    for table in tables:
        rich = RichTable(title=table.title, title_justify="left")
        for header in table.headers:
            rich.add_column(header, overflow="fold")
        for row in table.rows:
            rich.add_row(*(_cell(v) for v in row))
        out.print(rich)
    out.print()
    for sentence in report.sentences():
        out.print(sentence, markup=False, highlight=False)
    return buffer.getvalue()


def render_markdown(report: TabularReport) -> str:
    """A Markdown report: title, sentences, then every table (details included)."""
    lines = [f"# {report.title}", ""]
    lines += [f"- {s}" for s in report.sentences()]
    detail = report.detail_table()
    for table in report.summary_tables() + ([detail] if detail else []):
        lines += [
            "",
            f"## {table.title}",
            "",
            "| " + " | ".join(table.headers) + " |",
            "|" + "---|" * len(table.headers),
        ]
        lines += [
            "| " + " | ".join(_cell(v).replace("|", "\\|").replace("\n", " ") for v in row) + " |"
            for row in table.rows
        ]
    return "\n".join(lines) + "\n"


def write_xlsx(report: TabularReport, path: Path) -> None:
    """A 汇总 sheet (sentences, then the summary tables) and a 子项明细 sheet (the per-leaf table)."""
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
        )
        bold = wb.add_format({"bold": True})
        header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        ws = wb.add_worksheet("汇总")
        ws.write_string(0, 0, report.title, bold)
        row = 2
        for sentence in report.sentences():
            ws.write_string(row, 0, sentence)
            row += 1
        for table in report.summary_tables():
            row += 1
            ws.write_string(row, 0, table.title, bold)
            row = _write_table(ws, row + 1, table, header)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 12, 14)
        detail = report.detail_table()
        if detail is not None:
            ds = wb.add_worksheet("子项明细")
            _write_table(ds, 0, detail, header)
            ds.freeze_panes(1, 0)
            ds.autofilter(0, 0, max(len(detail.rows), 1), len(detail.headers) - 1)
            ds.set_column(0, len(detail.headers) - 1, 16)
        wb.close()


def _write_table(ws: Any, row: int, table: Table, header: Any) -> int:
    for col, title in enumerate(table.headers):
        ws.write_string(row, col, title, header)
    for values in table.rows:
        row += 1
        for col, value in enumerate(values):
            if isinstance(value, bool) or value is None:
                ws.write_string(row, col, _cell(value))
            elif isinstance(value, int | float):
                ws.write_number(row, col, value)
            else:
                ws.write_string(row, col, str(value))
    return row + 1
