"""``catalog reduce``: reductions against the legal limit, a baseline catalog and 一件事 bundles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from catalog_cli.analyses.reduce import ReduceResult, combine_reductions, compute_reduction
from catalog_cli.analyses.reduce_tables import (
    compute_reduction_tables,
    reduce_records,
    workbook_bundles,
)
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
from catalog_cli.model import Bundle
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import Inputs, ReadResult, read_catalog
from catalog_cli.read.bundles import load_bundles
from catalog_cli.read.explain import standard_layouts
from catalog_cli.read.tables import read_tables
from catalog_cli.read.versions import VersionMode
from catalog_cli.report.normalize import layout_lines
from catalog_cli.report.reduce import files_report, reduce_report


def reduce_on_tables(
    workbook: Path,
    bundles: bool,
    chosen: list[Bundle] | None,
    ceiling: float | None,
    explain: list[str] | None = None,
) -> ReduceResult | None:
    """The reduction of one standard workbook read as tables (``chosen`` bundles, else the
    workbook's own with ``bundles``); None when the tables reader cannot take it.

    Only the sheets the figures need are read (:func:`reduce_records`): a broken sheet among the
    others, which makes the records reader reject the whole file, goes unnoticed here.
    ``explain`` collects the ``--explain`` lines of those sheets (from their header rows).
    """
    sheet = chosen is None and bundles
    records = reduce_records(bundles or chosen is not None, sheet)
    try:
        tables = read_tables(workbook, records)
    except CatalogInputError:
        return None
    if explain is not None:
        explain.extend(layout_lines([str(workbook)], standard_layouts(workbook, records)))
    return compute_reduction_tables(
        tables,
        ceiling=ceiling,
        bundles=workbook_bundles(tables) if sheet else chosen,
        files=[str(workbook)],
    )


@dataclass(frozen=True)
class ReduceOptions:
    """What every catalog of one ``catalog reduce`` run is reduced with."""

    old: ReadResult | None = None  # the baseline, read once for every catalog
    bundles: bool = False  # the workbook's own 一件事 sheet
    chosen: list[Bundle] | None = None  # bundles from --bundles-file
    ceiling: float | None = None
    encoding: str | None = None
    versions: str = "latest"
    explain: list[str] | None = None  # collects the --explain lines of every catalog read
    infer: bool = True  # read unknown flat columns by their content (read/infer.py)


def reduce_on_records(
    unit: Inputs, options: ReduceOptions
) -> tuple[ReduceResult | None, list[CatalogInputError], int]:
    """The reduction of one catalog read as records (against the baseline, if any): (result or
    None when no file held a catalog, the unreadable inputs, how many files were skipped)."""
    read = read_catalog(
        unit,
        encoding=options.encoding,
        strict=False,
        versions=options.versions,
        infer=options.infer,
    )
    if options.explain is not None:
        options.explain.extend(layout_lines(read.files, read.layouts))
    left, skipped = left_out(read)
    if len(left) == len(read.files):
        return None, read.errors, skipped
    old = options.old
    own = read.catalog.bundles if options.bundles else None
    result = compute_reduction(
        read.catalog,
        ceiling=options.ceiling,
        baseline=old.catalog if old else None,
        baseline_files=old.files if old else (),
        bundles=options.chosen if options.chosen is not None else own,
        files=read.files,
    )
    return result, read.errors, skipped


def reduce_unit(
    unit: Inputs, options: ReduceOptions
) -> tuple[ReduceResult | None, list[CatalogInputError], int]:
    """One catalog's reduction: one standard workbook without a baseline on tables (the same
    result, faster), anything else on records."""
    one = len(unit.files) == 1 and not unit.missing and options.old is None
    workbook = table_input(unit.files[0]) if one else None
    result = (
        reduce_on_tables(
            workbook, options.bundles, options.chosen, options.ceiling, options.explain
        )
        if workbook
        else None
    )
    if result is not None:
        return result, [], 0
    return reduce_on_records(unit, options)


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
    merge: bool = typer.Option(False, "--merge", help=MERGE_HELP),
    versions: Versions = VersionMode.latest,
    explain: Explain = False,
    no_infer: NoInfer = False,
) -> None:
    """计算减材料、减环节、减时限、减跑动。

    较法定时限；--baseline 较改革前目录；--bundles 一件事前后对比。
    输出报告句子。
    每个输入文件是一个目录（各自与基线比较），多个文件时分文件列出并给出合计；
    --merge 把全部输入合并为一个目录。基线的输入总是合并为一个目录。
    """
    refuse_overwriting_inputs([*sources, *baseline, bundles_file], [output])
    chosen = load_bundles(bundles_file) if bundles_file is not None else None
    inputs = gather(sources)
    errors: list[CatalogInputError] = []
    lines: list[str] | None = [] if explain else None
    old = None
    if baseline:
        old = read_catalog(gather(baseline), encoding=encoding, strict=False, infer=not no_infer)
        errors += old.errors
        if lines is not None:
            lines.extend(f"基线：{line}" for line in layout_lines(old.files, old.layouts))
    options = ReduceOptions(
        old, bundles, chosen, ceiling, encoding, versions, explain=lines, infer=not no_infer
    )
    results, unit_errors, skipped = read_units(
        inputs, merge, lambda unit: reduce_unit(unit, options)
    )
    print_explain(lines or [])
    errors = unit_errors + errors
    if not results and not print_input_errors(errors):
        raise nothing_read(sources, skipped)
    if results:
        one = len(results) == 1
        report = (
            reduce_report(results[0]) if one else files_report(results, combine_reductions(results))
        )
        emit_report(report, fmt, output, details)
        print_input_errors(errors)
    raise typer.Exit(EXIT_BAD_INPUT if errors else EXIT_CLEAN)
