"""``catalog validate``: check catalogs against the schema and the rules."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from catalog_cli.analyses.validate import (
    SKIPPED,
    ValidationResult,
    combine_results,
    validate_tables,
)
from catalog_cli.analyses.validate import validate as validate_catalog
from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    MERGE_HELP,
    PROFILE_HELP,
    Explain,
    NoInfer,
    Severity,
    Versions,
    err_console,
    fail,
    gather,
    handle_errors,
    nothing_read,
    print_cut_cells,
    print_explain,
    refuse_overwriting_inputs,
    stdout_console,
    table_input,
    units,
)
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding
from catalog_cli.read import Inputs, read_catalog
from catalog_cli.read.explain import standard_layouts
from catalog_cli.read.grid import Grid, csv_grid, workbook_grids
from catalog_cli.read.tables import read_tables
from catalog_cli.read.versions import VersionMode
from catalog_cli.report.json import render_json
from catalog_cli.report.normalize import layout_lines
from catalog_cli.report.text import render_text
from catalog_cli.report.validate import validation_report, verdict
from catalog_cli.write.atomic import write_bytes_atomic, write_text_atomic

SCREEN_LIMIT = 200
ANNOTATED_CUT_HINT = "输入文件保留全文；副本的“校验结果”表中有每一处的说明"


class Format(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


def write_annotated(
    result: ValidationResult, output: Path, encoding: str | None = None
) -> list[Path]:
    """Write an annotated copy of every readable input (atomically), each named on stderr with
    the texts it had to cut; return the files written."""
    from catalog_cli.report import annotate  # openpyxl: only loaded when asked for

    by_file = annotate.findings_by_file(result.findings)
    written = []
    for file, target in annotate.annotated_paths(result.readable_files, Path(output)).items():
        grids = [] if annotate.opens_itself(file) else copy_grids(Path(file), encoding)
        cut: list[Finding] = []
        copy = annotate.annotated_workbook(file, by_file.get(file, []), grids, cut)
        write_bytes_atomic(target, copy)
        err_console.print(f"已写入标注结果 {target}")
        print_cut_cells(cut, target, ANNOTATED_CUT_HINT)
        written.append(target)
    return written


def copy_grids(path: Path, encoding: str | None) -> list[Grid]:
    """The sheets of a CSV or xls input, for its annotated copy (none for other inputs)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [csv_grid(path, encoding)]
    return workbook_grids(path) if suffix == ".xls" else []


def validate_inputs(
    sources: list[Path],
    encoding: str | None,
    profile: str | None,
    max_findings: int | None,
    merge: bool = False,
    versions: str = "latest",
    *,
    explain: list[str] | None = None,
    infer: bool = True,
) -> ValidationResult:
    """Read and validate the inputs: each file as its own catalog (one result with a line per
    file), or with ``merge`` all of them as one catalog.

    A file given or reached twice is read once (named on stderr); no file at all is bad input.
    ``explain`` (a list) collects the ``--explain`` lines of every file; ``infer`` reads
    unknown flat columns by their content.
    """
    inputs = gather(sources)
    if merge:
        return validate_unit(
            inputs, encoding, profile, max_findings, versions, explain=explain, infer=infer
        )
    results = [
        validate_unit(unit, encoding, profile, None, versions, explain=explain, infer=infer)
        for unit in units(inputs, merge, profile)
    ]
    return combine_results(results, max_findings)


def validate_unit(
    unit: Inputs,
    encoding: str | None,
    profile: str | None,
    max_findings: int | None,
    versions: str = "latest",
    *,
    explain: list[str] | None = None,
    infer: bool = True,
) -> ValidationResult:
    """Validate one catalog: one standard workbook on tables, anything else on records.

    Both give the same result (tests/test_validate_tables.py); a workbook the tables reader
    cannot take is read on records, which also reports why it cannot be read. On tables the
    ``explain`` lines come from the sheets' header rows alone (read/explain.py).
    """
    one = len(unit.files) == 1 and not unit.missing and profile is None
    workbook = table_input(unit.files[0]) if one else None
    if workbook is not None:
        try:
            tables = read_tables(workbook)
        except CatalogInputError:
            pass
        else:
            if explain is not None:
                explain.extend(layout_lines([str(workbook)], standard_layouts(workbook)))
            return validate_tables(tables, files=[str(workbook)], max_findings=max_findings)
    read = read_catalog(
        unit, encoding=encoding, strict=False, profile=profile, versions=versions, infer=infer
    )
    if explain is not None:
        explain.extend(layout_lines(read.files, read.layouts))
    return validate_catalog(
        read.catalog,
        files=read.files,
        reading_findings=read.findings,
        max_findings=max_findings,
        errors=read.errors,
    )


@handle_errors
def validate(
    sources: list[Path] = typer.Argument(
        ..., help="目录文件或文件夹（xlsx、xls、csv、json）", show_default=False
    ),
    fmt: Format = typer.Option(
        Format.text,
        "--format",
        "-f",
        help="输出格式：text、json，或 xlsx（在输入工作簿的副本上标出问题单元格）",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="把结果写入文件（默认输出到屏幕）；xlsx 格式多个输入时为文件夹"
    ),
    fail_on: Severity = typer.Option(
        Severity.error, "--fail-on", help="有该级别或更严重的问题时退出码为 1"
    ),
    max_findings: int | None = typer.Option(
        None,
        "--max-findings",
        min=0,
        help=f"最多列出多少条问题（统计仍计全部）；文字输出到屏幕时默认 {SCREEN_LIMIT} 条",
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", help="CSV 编码（默认自动识别 UTF-8 / GB18030）"
    ),
    profile: str | None = typer.Option(None, "--profile", help=PROFILE_HELP),
    merge: bool = typer.Option(False, "--merge", help=MERGE_HELP),
    versions: Versions = VersionMode.latest,
    explain: Explain = False,
    no_infer: NoInfer = False,
) -> None:
    """校验目录：要素、跨字段规则、编码规则。

    每个输入文件是一个目录（重复、孤立、编码规则在文件之内检查）；
    --merge 把全部输入合并为一个目录。
    退出码 0 通过，1 有达到 --fail-on 级别的问题，2 输入无法读取或用法错误。
    """
    if fmt is Format.xlsx and output is None:
        raise fail("--format xlsx 需要用 -o 指定输出文件（一个输入）或文件夹（多个输入）")
    refuse_overwriting_inputs(sources, [output], annotated=fmt is Format.xlsx)
    if max_findings is None and fmt is Format.text and output is None:
        max_findings = (
            SCREEN_LIMIT  # a screen of 25,000 rows helps nobody; counts still cover everything
        )
    err_console.print(f"正在校验 {len(sources)} 个输入……", style="dim")
    lines: list[str] | None = [] if explain else None
    result = validate_inputs(
        sources,
        encoding,
        profile,
        max_findings,
        merge,
        versions,
        explain=lines,
        infer=not no_infer,
    )
    print_explain(lines or [])
    if not result.catalogs_read and not result.errors:
        raise nothing_read(sources, result.by_code.get(SKIPPED, 0))
    report = validation_report(result, fail_on.value)
    if fmt is Format.xlsx:
        write_annotated(result, output, encoding)  # type: ignore[arg-type]
    elif output is not None:
        write_text_atomic(
            output, render_json(report) if fmt is Format.json else render_text(report)
        )
        err_console.print(f"结果已写入 {output}")
    elif fmt is Format.json:
        typer.echo(render_json(report), nl=False)
    else:
        render_text(report, console=stdout_console())
    if output is not None:
        err_console.print(verdict(result, fail_on.value))
    for line in result.errors:
        err_console.print(f"[red]错误：[/]{line}", soft_wrap=True, highlight=False)
    if result.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_FINDINGS if result.failed(fail_on.value) else EXIT_CLEAN)
