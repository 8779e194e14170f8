"""``catalog reduce``: reductions against the legal limit, a baseline catalog and 一件事 bundles."""

from __future__ import annotations

from pathlib import Path

import typer

from catalog_cli.analyses.reduce import ReduceResult, compute_reduction
from catalog_cli.analyses.reduce_tables import (
    compute_reduction_tables,
    reduce_records,
    workbook_bundles,
)
from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    ReportFormat,
    emit_report,
    handle_errors,
    print_input_errors,
    table_input,
)
from catalog_cli.model import Bundle
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.bundles import load_bundles
from catalog_cli.read.tables import read_tables
from catalog_cli.read.versions import VersionMode
from catalog_cli.report.reduce import reduce_report


def reduce_on_tables(
    workbook: Path, bundles: bool, chosen: list[Bundle] | None, ceiling: float | None
) -> ReduceResult | None:
    """The reduction of one standard workbook read as tables (``chosen`` bundles, else the
    workbook's own with ``bundles``); None when the tables reader cannot take it.

    Only the sheets the figures need are read (:func:`reduce_records`): a broken sheet among the
    others, which makes the records reader reject the whole file, goes unnoticed here.
    """
    sheet = chosen is None and bundles
    try:
        tables = read_tables(workbook, reduce_records(bundles or chosen is not None, sheet))
    except CatalogInputError:
        return None
    return compute_reduction_tables(
        tables,
        ceiling=ceiling,
        bundles=workbook_bundles(tables) if sheet else chosen,
        files=[str(workbook)],
    )


def reduce_on_records(
    sources: list[Path],
    baseline: list[Path],
    bundles: bool,
    chosen: list[Bundle] | None,
    ceiling: float | None,
    encoding: str | None,
    versions: str = "latest",
) -> tuple[ReduceResult, list[CatalogInputError]]:
    """The reduction of any inputs read as records (and a baseline), with the unreadable ones."""
    read = read_catalog(sources, encoding=encoding, strict=False, versions=versions)
    errors = list(read.errors)
    old = None
    if baseline:
        old = read_catalog(baseline, encoding=encoding, strict=False)
        errors += old.errors
    result = compute_reduction(
        read.catalog,
        ceiling=ceiling,
        baseline=old.catalog if old else None,
        baseline_files=old.files if old else (),
        bundles=chosen if chosen is not None else read.catalog.bundles if bundles else None,
        files=read.files,
    )
    return result, errors


@handle_errors
def reduce(
    sources: list[Path] = typer.Argument(..., help="现在的目录文件或文件夹", show_default=False),
    baseline: list[Path] = typer.Option(
        [], "--baseline", help="基线（改革前）目录，可重复", show_default=False
    ),
    bundles: bool = typer.Option(False, "--bundles", help="计算一件事：用目录的“一件事”表"),
    bundles_file: Path | None = typer.Option(
        None, "--bundles-file", help="一件事另存在 JSON / YAML 文件中"
    ),
    ceiling: float | None = typer.Option(
        None, "--ceiling", min=0, max=1, help="列出承诺时限超过法定时限该比例的子项，如 0.3"
    ),
    fmt: ReportFormat = typer.Option(
        ReportFormat.text, "--format", "-f", help="输出格式：text、json、xlsx、md"
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="把结果写入文件（默认输出到屏幕）"
    ),
    details: bool = typer.Option(False, "--details", help="文字输出也列出每个子项"),
    encoding: str | None = typer.Option(None, "--encoding", help="CSV 编码（默认自动识别）"),
    versions: VersionMode = typer.Option(
        VersionMode.latest,
        "--versions",
        help="同一事项的多个版本：latest 只用最新的（默认），all 全部保留",
    ),
) -> None:
    """计算减材料、减环节、减时限、减跑动。

    较法定时限；--baseline 较改革前目录；--bundles 一件事前后对比。输出报告句子。
    """
    # one standard workbook without a baseline is read as tables (the same result, faster)
    chosen = load_bundles(bundles_file) if bundles_file is not None else None
    workbook = table_input(sources) if not baseline else None
    result = reduce_on_tables(workbook, bundles, chosen, ceiling) if workbook else None
    errors: list[CatalogInputError] = []
    if result is None:
        result, errors = reduce_on_records(
            sources, baseline, bundles, chosen, ceiling, encoding, versions
        )
    emit_report(reduce_report(result), fmt, output, details)
    raise typer.Exit(EXIT_BAD_INPUT if print_input_errors(errors) else EXIT_CLEAN)
