"""``catalog stats``: counts and shares of a catalog."""

from __future__ import annotations

from pathlib import Path

import typer

from catalog_cli.analyses.stats import compute_stats
from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    ReportFormat,
    emit_report,
    handle_errors,
    print_input_errors,
)
from catalog_cli.read import read_catalog
from catalog_cli.report.stats import stats_report
from catalog_cli.schema import load_share_rules


@handle_errors
def stats(
    sources: list[Path] = typer.Argument(..., help="目录文件或文件夹", show_default=False),
    fmt: ReportFormat = typer.Option(
        ReportFormat.text, "--format", "-f", help="输出格式：text、json、xlsx、md"
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="把结果写入文件（默认输出到屏幕）"
    ),
    rules: Path | None = typer.Option(
        None, "--rules", help="统计口径文件（默认 schemas/stats-rules.json）"
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="CSV 编码（默认自动识别）"),
) -> None:
    """统计事项数和马上办、网上办、就近办、一次办等占比。

    按事项类型、部门、行使层级计数；跑动次数分布、收费占比、每个子项的材料和环节数。
    """
    read = read_catalog(sources, encoding=encoding, strict=False)
    result = compute_stats(read.catalog, load_share_rules(rules), read.files)
    emit_report(stats_report(result), fmt, output)
    raise typer.Exit(EXIT_BAD_INPUT if print_input_errors(read.errors) else EXIT_CLEAN)
