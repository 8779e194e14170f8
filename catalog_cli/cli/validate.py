"""``catalog validate``: check catalogs against the schema and the rules."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    PROFILE_HELP,
    Severity,
    err_console,
    fail,
    handle_errors,
    stdout_console,
)
from catalog_cli.report.render import render_json, render_text, verdict
from catalog_cli.validate import validate_paths
from catalog_cli.write.atomic import write_text_atomic

SCREEN_LIMIT = 200


class Format(str, Enum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


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
) -> None:
    """校验目录：要素、跨字段规则、编码规则。

    退出码 0 通过，1 有达到 --fail-on 级别的问题，2 输入无法读取或用法错误。
    """
    if fmt is Format.xlsx and output is None:
        raise fail("--format xlsx 需要用 -o 指定输出文件（一个输入）或文件夹（多个输入）")
    if max_findings is None and fmt is Format.text and output is None:
        max_findings = (
            SCREEN_LIMIT  # a screen of 25,000 rows helps nobody; counts still cover everything
        )
    err_console.print(f"正在校验 {len(sources)} 个输入……", style="dim")
    report = validate_paths(
        sources, max_findings=max_findings, encoding=encoding, strict=False, profile=profile
    )
    if fmt is Format.xlsx:
        from catalog_cli.report.annotate import (
            write_annotated,
        )  # openpyxl: only loaded when asked for

        for path in write_annotated(report, output, encoding):  # type: ignore[arg-type]
            err_console.print(f"已写入标注结果 {path}")
    elif output is not None:
        write_text_atomic(
            output,
            render_json(report) if fmt is Format.json else render_text(report, fail_on.value),
        )
        err_console.print(f"结果已写入 {output}")
    elif fmt is Format.json:
        typer.echo(render_json(report), nl=False)
    else:
        render_text(report, fail_on.value, console=stdout_console())
    if output is not None:
        err_console.print(verdict(report, fail_on.value))
    for line in report.errors:
        err_console.print(f"[red]错误：[/]{line}", soft_wrap=True, highlight=False)
    if report.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_FINDINGS if report.failed(fail_on.value) else EXIT_CLEAN)
