"""Render a validation report as text (rich tables) or JSON."""

from __future__ import annotations

import io
import json
from itertools import groupby

from rich.console import Console
from rich.table import Table

from catalog_cli.report.findings import SEVERITY_LABEL
from catalog_cli.validate import ValidationReport

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_json(report: ValidationReport) -> str:
    """``{"summary": {...}, "findings": [...]}``."""
    data = {"summary": report.summary(), "findings": [f.to_dict() for f in report.findings]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def verdict(report: ValidationReport, fail_on: str) -> str:
    """The one-line verdict."""
    counts = "，".join(
        f"{SEVERITY_LABEL[s]} {report.by_severity.get(s, 0)} 个"
        for s in ("error", "warning", "info")
    )
    outcome = "未完成" if report.errors else "不通过" if report.failed(fail_on) else "通过"
    unread = f"（其中 {len(report.errors)} 个无法读取）" if report.errors else ""
    scope = (
        f"{len(report.files)} 个文件{unread}，主项 {report.main_items} 项，子项 {report.leaves} 项"
    )
    return f"校验{outcome}：{scope}；{counts}。"


def render_text(
    report: ValidationReport, fail_on: str = "error", console: Console | None = None
) -> str:
    """Findings grouped by file and sheet, counts per rule, and a verdict line."""
    buffer = io.StringIO()
    out = console or Console(
        file=buffer, width=160, no_color=True, highlight=False, soft_wrap=False
    )
    for (file, sheet), group in groupby(report.findings, key=lambda f: (f.file, f.sheet)):
        table = Table(
            title=f"{file} · {sheet or '（整体）'}", title_justify="left", show_lines=False
        )
        for column in ("行", "级别", "规则", "要素", "事项", "值", "说明"):
            table.add_column(column, overflow="fold", max_width=60 if column == "说明" else 28)
        for f in group:
            table.add_row(
                str(f.row or ""),
                f"[{SEVERITY_STYLE[f.severity]}]{SEVERITY_LABEL[f.severity]}[/]",
                f.code,
                f.element or "",
                f.item or "",
                _short(f.value),
                f.message,
            )
        out.print(table)
    if report.truncated:
        out.print(
            f"（只列出前 {len(report.findings)} 条，共 {report.total} 条；用 --max-findings 调整，或用 -f xlsx / -f json 查看全部）"
        )
    if report.by_code:
        counts = Table(title="按规则统计", title_justify="left")
        for column in ("规则", "级别", "数量"):
            counts.add_column(column)
        for code, n in report.by_code.items():
            severity = report.code_severity[code]
            counts.add_row(
                code, f"[{SEVERITY_STYLE[severity]}]{SEVERITY_LABEL[severity]}[/]", str(n)
            )
        out.print(counts)
    out.print(verdict(report, fail_on))
    return buffer.getvalue()


def _short(value: str | None, limit: int = 40) -> str:
    if value is None:
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"
