"""Render a report as text: its findings, rich tables, then the sentences as a report has them."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from rich.console import Console, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from catalog_cli.model.findings import Finding
from catalog_cli.model.values import number_text
from catalog_cli.report.findings import SEVERITY_LABEL
from catalog_cli.report.shape import Report, Table

WIDTH = 160  # the width of text written to a file or a pipe
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_COLUMN = "级别"  # a table column of severity labels: coloured like the findings
FINDING_COLUMNS = ("行", "级别", "规则", "要素", "事项", "值", "说明")
NARROW_COLUMNS = ("行", "级别", "要素", "说明")  # below NARROW columns: rule, item, value in 说明
NARROW = 120
LABEL_STYLE = {SEVERITY_LABEL[s]: style for s, style in SEVERITY_STYLE.items()}


def cell_text(value: Any) -> str:
    """A table cell as a person reads it: 20 rather than 20.0, blank for None."""
    if value is None:
        return ""
    return number_text(value) if isinstance(value, float) else str(value)


def severity_text(label: str) -> Text:
    """A severity label in its colour."""
    return Text(label, style=LABEL_STYLE.get(label, ""))


def rich_table(table: Table) -> RichTable:
    """A report table as a rich table (long cells fold inside their column; severities coloured)."""
    rich = RichTable(title=table.title, title_justify="left")
    for header in table.headers:
        rich.add_column(header, overflow="fold")
    for row in table.rows:
        rich.add_row(*(_cell(table.headers, i, v) for i, v in enumerate(row)))
    return rich


def _cell(headers: tuple[str, ...], index: int, value: Any) -> RenderableType:
    """A cell's text; a severity label in a 级别 column in its colour."""
    text = cell_text(value)
    header = headers[index] if index < len(headers) else None
    return severity_text(text) if header == SEVERITY_COLUMN and text in LABEL_STYLE else text


def short(value: str | None, limit: int = 40) -> str:
    """A value cut to ``limit`` characters (an ellipsis marks the cut)."""
    if value is None:
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def narrow_message(f: Finding) -> Text:
    """The 说明 cell of a narrow findings table: the message, then (dimmed) the rule, the item
    and the value when the message does not quote it."""
    text = Text(f.message)
    extra = [f.code, *([f"事项 {f.item}"] if f.item else [])]
    if f.value and f.value not in f.message:
        extra.append(f"值“{short(f.value)}”")
    text.append("\n" + " · ".join(extra), style="dim")
    return text


def findings_table(title: str, findings: Iterable[Finding], width: int = WIDTH) -> RichTable:
    """One table of findings: row, severity (coloured), rule, element, item, value, message;
    on a console narrower than NARROW, row, severity, element and the message with the rest
    under it (an 80-column terminal keeps a readable message column)."""
    if width < NARROW:
        narrow = RichTable(title=title, title_justify="left", show_lines=True)
        for column in NARROW_COLUMNS:
            narrow.add_column(column, overflow="fold", ratio=1 if column == "说明" else None)
        for f in findings:
            narrow.add_row(
                Text(str(f.row or "")),
                Text(SEVERITY_LABEL[f.severity], style=SEVERITY_STYLE[f.severity]),
                Text(f.element or "", overflow="fold"),
                narrow_message(f),
            )
        return narrow
    table = RichTable(title=title, title_justify="left", show_lines=False)
    for column in FINDING_COLUMNS:
        table.add_column(column, overflow="fold", max_width=60 if column == "说明" else 28)
    for f in findings:
        table.add_row(
            Text(str(f.row or "")),
            Text(SEVERITY_LABEL[f.severity], style=SEVERITY_STYLE[f.severity]),
            Text(f.code),
            Text(f.element or ""),
            Text(f.item or ""),
            Text(short(f.value)),
            Text(f.message),
        )
    return table


def findings_tables(findings: Iterable[Finding], width: int = WIDTH) -> Iterator[RichTable]:
    """A table per file and sheet, in the findings' order (“（整体）” for catalog-wide ones)."""
    for (file, sheet), group in groupby(findings, key=lambda f: (f.file, f.sheet)):
        yield findings_table(f"{file} · {sheet or '（整体）'}", group, width)


def render_text(report: Report, console: Console | None = None, *, details: bool = False) -> str:
    """Print the findings, notes and tables (detail tables with ``details``), then the sentences.

    The report's :class:`~catalog_cli.report.shape.TextLayout` places the notes and the blank line
    before the sentences. With no ``console`` the text is returned (plain, :data:`WIDTH` wide);
    with one it is printed there and "" is returned.
    """
    layout = report.layout
    buffer = io.StringIO()
    out = console or Console(
        file=buffer, width=WIDTH, no_color=True, highlight=False, soft_wrap=not layout.wrap
    )
    for table in findings_tables(report.findings, out.width):
        out.print(table)
    if layout.notes_first:
        print_lines(out, report.notes)
    for table in report.tables + (report.details if details else ()):
        out.print(rich_table(table))
    if not layout.notes_first:
        print_lines(out, report.notes)
    if layout.gap:
        out.print()
    print_lines(out, report.sentences)
    return buffer.getvalue()


def print_lines(out: Console, lines: Iterable[str]) -> None:
    """Print each line as it is (no markup, no highlighting)."""
    for line in lines:
        out.print(line, markup=False, highlight=False)
