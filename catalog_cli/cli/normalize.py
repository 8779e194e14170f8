"""``catalog normalize``: messy spreadsheets in, the standard workbook out, with what changed."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    PROFILE_HELP,
    Explain,
    NoInfer,
    Versions,
    err_console,
    gather,
    handle_errors,
    nothing_read,
    print_cut_cells,
    print_input_errors,
    print_overlaps,
    refuse_overwriting_inputs,
)
from catalog_cli.ingest.normalize import normalize_paths
from catalog_cli.read.versions import VersionMode
from catalog_cli.report.normalize import change_lines, explain_lines, normalize_summary
from catalog_cli.write.atomic import write_text_atomic


@handle_errors
def normalize(
    sources: list[Path] = typer.Argument(
        ..., help="目录文件或文件夹（xlsx、xls、csv、json）", show_default=False
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="输出的标准工作簿（.xlsx）或目录 JSON", show_default=False
    ),
    summary: Path | None = typer.Option(None, "--summary", help="把改动摘要另存为 JSON"),
    explain: Explain = False,
    encoding: str | None = typer.Option(
        None, "--encoding", help="CSV 编码（默认自动识别 UTF-8 / GB18030）"
    ),
    profile: str | None = typer.Option(None, "--profile", help=PROFILE_HELP),
    versions: Versions = VersionMode.latest,
    no_infer: NoInfer = False,
) -> None:
    """整理不规范的表格，写成标准工作簿。

    在标准错误输出按文件、按类别说明改了什么；--summary 另存 JSON 摘要。
    """
    refuse_overwriting_inputs(sources, [output, summary])
    gather(sources)  # a file given twice is named (and read once); no file at all is bad input
    report = normalize_paths(
        sources, output, encoding=encoding, profile=profile, versions=versions, infer=not no_infer
    )
    if explain:
        for line in explain_lines(report.result):
            err_console.print(line, highlight=False, markup=False)
    for line in change_lines(report):
        err_console.print(line, highlight=False, markup=False)
    if summary is not None:
        write_text_atomic(
            summary, json.dumps(normalize_summary(report), ensure_ascii=False, indent=2) + "\n"
        )
    failed = print_input_errors(report.result.errors)
    if not report.result.catalogs_read() and not failed:
        raise nothing_read(sources, report.result.skipped())
    catalog = report.result.catalog
    if report.result.catalogs_read():
        err_console.print(
            f"已写入 {output}：主项 {len(catalog.main_items)} 项，子项 {catalog.count_leaves()} 项"
        )
    print_cut_cells(report.written, output)
    print_overlaps(report.result.findings)
    raise typer.Exit(EXIT_BAD_INPUT if failed else EXIT_CLEAN)
