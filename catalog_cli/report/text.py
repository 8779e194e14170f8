"""Render a report as text: rich tables, then the sentences exactly as a report prints them."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from catalog_cli.model.values import number_text
from catalog_cli.report.shape import Report, Table

WIDTH = 160  # the width of text written to a file or a pipe


def cell_text(value: Any) -> str:
    """A table cell as a person reads it: 20 rather than 20.0, blank for None."""
    if value is None:
        return ""
    return number_text(value) if isinstance(value, float) else str(value)


def rich_table(table: Table) -> RichTable:
    """A report table as a rich table (long cells fold inside their column)."""
    rich = RichTable(title=table.title, title_justify="left")
    for header in table.headers:
        rich.add_column(header, overflow="fold")
    for row in table.rows:
        rich.add_row(*(cell_text(v) for v in row))
    return rich


def render_text(report: Report, console: Console | None = None, *, details: bool = False) -> str:
    """Print the report's tables (and detail tables with ``details``), then its sentences.

    With no ``console`` the text is returned (plain, :data:`WIDTH` wide); with one it is printed
    there and "" is returned.
    """
    buffer = io.StringIO()
    out = console or Console(
        file=buffer, width=WIDTH, no_color=True, highlight=False, soft_wrap=True
    )
    for table in report.tables + (report.details if details else ()):
        out.print(rich_table(table))
    out.print()
    for sentence in report.sentences:
        out.print(sentence, markup=False, highlight=False)
    return buffer.getvalue()
