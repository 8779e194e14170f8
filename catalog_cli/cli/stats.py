"""``catalog stats``: counts and shares of a catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from catalog_cli.analyses.stats import StatsResult, combine_stats, compute_stats
from catalog_cli.analyses.stats_tables import compute_stats_tables, stats_records
from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    MERGE_HELP,
    Explain,
    NoInfer,
    ReportFormat,
    Versions,
    emit_report,
    gather,
    handle_errors,
    left_out,
    nothing_read,
    print_explain,
    print_input_errors,
    read_units,
    refuse_overwriting_inputs,
    table_input,
)
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import Inputs, read_catalog
from catalog_cli.read.explain import standard_layouts
from catalog_cli.read.tables import read_tables
from catalog_cli.read.versions import VersionMode
from catalog_cli.report.normalize import layout_lines
from catalog_cli.report.stats import files_report, stats_report
from catalog_cli.schema import load_share_rules


def stats_inputs(
    sources: list[Path],
    rules: list[dict[str, Any]],
    encoding: str | None,
    merge: bool = False,
    versions: str = "latest",
    *,
    explain: list[str] | None = None,
    infer: bool = True,
) -> tuple[list[StatsResult], list[CatalogInputError], int]:
    """The figures of each input file as its own catalog (or, with ``merge``, of all of them as
    one): (a result per catalog read, the unreadable inputs, how many files were skipped).

    ``explain`` (a list) collects the ``--explain`` lines of every file."""
    return read_units(
        gather(sources),
        merge,
        lambda unit: stats_unit(unit, rules, encoding, versions, explain=explain, infer=infer),
    )


def stats_unit(
    unit: Inputs,
    rules: list[dict[str, Any]],
    encoding: str | None,
    versions: str = "latest",
    *,
    explain: list[str] | None = None,
    infer: bool = True,
) -> tuple[StatsResult | None, list[CatalogInputError], int]:
    """Read one catalog and compute its figures: one standard workbook on tables (only the
    sheets the figures need), anything else on records; (result or None when no file held a
    catalog, unreadable inputs, files skipped).

    Both give the same result (tests/test_stats_tables.py); a workbook the tables reader
    cannot take is read on records, which also reports why it cannot be read.
    """
    workbook = table_input(unit.files[0]) if len(unit.files) == 1 and not unit.missing else None
    if workbook is not None:
        records = stats_records(rules)
        try:
            tables = read_tables(workbook, records=records)
        except CatalogInputError:
            pass
        else:
            if explain is not None:
                explain.extend(layout_lines([str(workbook)], standard_layouts(workbook, records)))
            return compute_stats_tables(tables, rules, [str(workbook)]), [], 0
    read = read_catalog(unit, encoding=encoding, strict=False, versions=versions, infer=infer)
    if explain is not None:
        explain.extend(layout_lines(read.files, read.layouts))
    left, skipped = left_out(read)
    if len(left) == len(read.files):
        return None, read.errors, skipped
    return compute_stats(read.catalog, rules, read.files), read.errors, skipped


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
    merge: bool = typer.Option(False, "--merge", help=MERGE_HELP),
    versions: Versions = VersionMode.latest,
    explain: Explain = False,
    no_infer: NoInfer = False,
) -> None:
    """统计事项数和马上办、网上办、就近办、一次办等占比。

    按事项类型、部门、行使层级计数；
    跑动次数分布、收费占比、每个子项的材料和环节数。
    每个输入文件是一个目录，多个文件时分文件列出并给出合计；
    --merge 把全部输入合并为一个目录。
    """
    refuse_overwriting_inputs([*sources, rules], [output])
    lines: list[str] | None = [] if explain else None
    results, errors, skipped = stats_inputs(
        sources,
        load_share_rules(rules),
        encoding,
        merge,
        versions,
        explain=lines,
        infer=not no_infer,
    )
    print_explain(lines or [])
    if not results and not print_input_errors(errors):
        raise nothing_read(sources, skipped)
    if results:
        one = len(results) == 1
        report = stats_report(results[0]) if one else files_report(results, combine_stats(results))
        emit_report(report, fmt, output)
        print_input_errors(errors)
    raise typer.Exit(EXIT_BAD_INPUT if errors else EXIT_CLEAN)
