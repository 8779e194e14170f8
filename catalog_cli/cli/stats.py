"""``catalog stats``: counts and shares of a catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from catalog_cli.analyses.stats import StatsResult, compute_stats
from catalog_cli.analyses.stats_tables import compute_stats_tables, stats_records
from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    ReportFormat,
    emit_report,
    handle_errors,
    print_input_errors,
    table_input,
)
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import read_tables
from catalog_cli.read.versions import VersionMode
from catalog_cli.report.stats import stats_report
from catalog_cli.schema import load_share_rules


def stats_inputs(
    sources: list[Path], rules: list[dict[str, Any]], encoding: str | None, versions: str = "latest"
) -> tuple[StatsResult, list[CatalogInputError]]:
    """Read the inputs and compute the figures: one standard workbook on tables (only the
    sheets the figures need), anything else on records; (result, unreadable inputs).

    Both give the same result (tests/test_stats_tables.py); a workbook the tables reader
    cannot take is read on records, which also reports why it cannot be read.
    """
    workbook = table_input(sources)
    if workbook is not None:
        try:
            tables = read_tables(workbook, records=stats_records(rules))
        except CatalogInputError:
            pass
        else:
            return compute_stats_tables(tables, rules, [str(workbook)]), []
    read = read_catalog(sources, encoding=encoding, strict=False, versions=versions)
    return compute_stats(read.catalog, rules, read.files), read.errors


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
    versions: VersionMode = typer.Option(
        VersionMode.latest,
        "--versions",
        help="同一事项的多个版本：latest 只用最新的（默认），all 全部保留",
    ),
) -> None:
    """统计事项数和马上办、网上办、就近办、一次办等占比。

    按事项类型、部门、行使层级计数；跑动次数分布、收费占比、每个子项的材料和环节数。
    """
    result, errors = stats_inputs(sources, load_share_rules(rules), encoding, versions)
    emit_report(stats_report(result), fmt, output)
    raise typer.Exit(EXIT_BAD_INPUT if print_input_errors(errors) else EXIT_CLEAN)
