"""``catalog ingest``: read catalogs, write one normalized catalog (JSON or standard workbook)."""

from __future__ import annotations

from pathlib import Path

import typer

from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    PROFILE_HELP,
    Explain,
    NoInfer,
    Versions,
    err_console,
    fail,
    gather,
    handle_errors,
    nothing_read,
    print_cut_cells,
    print_input_errors,
    print_overlaps,
    refuse_overwriting_inputs,
)
from catalog_cli.ingest import OUTPUT_SUFFIXES, ingest_paths
from catalog_cli.read.versions import VersionMode
from catalog_cli.report.normalize import explain_lines


@handle_errors
def ingest(
    sources: list[Path] = typer.Argument(
        ..., help="目录文件或文件夹（xlsx、xls、json）", show_default=False
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="输出文件：.json 或 .xlsx", show_default=False
    ),
    explain: Explain = False,
    encoding: str | None = typer.Option(
        None, "--encoding", help="CSV 编码（默认自动识别 UTF-8 / GB18030）"
    ),
    profile: str | None = typer.Option(None, "--profile", help=PROFILE_HELP),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, help="读取大文件用的进程数（默认：全部 CPU 核）"
    ),
    versions: Versions = VersionMode.latest,
    no_infer: NoInfer = False,
) -> None:
    """读入并合并目录，写成目录 JSON 或标准工作簿。

    多个输入合并为一个目录（在标准错误上说明合并了几个文件）。
    输入可以是 xlsx、xls、csv、json 或文件夹；
    两个文件的子项大多相同（同一目录的两份导出）时当场警告；
    个别子项出现在两个文件中由 validate 报告。
    """
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise fail(f"{output}：输出文件应以 .json 或 .xlsx 结尾")
    refuse_overwriting_inputs(sources, [output])
    gather(sources)  # a file given twice is named (and read once); no file at all is bad input
    ingested = ingest_paths(
        sources,
        output,
        encoding=encoding,
        profile=profile,
        jobs=jobs,
        versions=versions,
        infer=not no_infer,
    )
    result = ingested.result
    if explain:
        for line in explain_lines(result):
            err_console.print(line, highlight=False, markup=False)
    if not result.catalogs_read() and not result.errors:
        raise nothing_read(sources, result.skipped())
    if result.catalogs_read():
        read = len(result.files) - len(result.errors)
        skipped = result.skipped()
        if read - skipped > 1:
            err_console.print(f"已把 {read - skipped} 个文件合并为一个目录")
        err_console.print(
            f"已写入 {output}：主项 {ingested.main_items} 项，子项 {ingested.leaves} 项"
            f"（读取 {read} 个文件）"
        )
    print_cut_cells(ingested.written, output)
    print_overlaps(result.findings)
    if result.findings:
        err_console.print(f"读取时发现 {len(result.findings)} 个问题，用 catalog validate 查看详情")
    if print_input_errors(result.errors):
        raise typer.Exit(EXIT_BAD_INPUT)
