"""Render a report as Markdown: title, sentences, then every table (details included)."""

from __future__ import annotations

from catalog_cli.report.shape import Report, Table
from catalog_cli.report.text import cell_text


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: Table) -> list[str]:
    """A table as Markdown lines, headed by its title."""
    lines = [
        "",
        f"## {table.title}",
        "",
        "| " + " | ".join(table.headers) + " |",
        "|" + "---|" * len(table.headers),
    ]
    lines += ["| " + " | ".join(_escape(cell_text(v)) for v in row) + " |" for row in table.rows]
    return lines


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    lines = [f"# {report.title}", ""]
    lines += [f"- {s}" for s in report.sentences]
    for table in report.tables + report.details:
        lines += markdown_table(table)
    return "\n".join(lines) + "\n"
