"""What every command shares: consoles, the debug switch, and errors → exit codes (in one place)."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding

if TYPE_CHECKING:
    from catalog_cli.report.shape import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])

state: dict[str, Any] = {"debug": False, "max_uncompressed": None}  # the app's global options
# soft_wrap: a message is one line, whatever the width (a pipe, a log, CI)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def stdout_console() -> Console:
    """Results go to stdout; colour only on a terminal (rich honours NO_COLOR too)."""
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


PROFILE_HELP = "输入配置名（schemas/profiles/ 中的 name，如 guangxi-audit）；默认按表头自动识别"


TABLE_SUFFIXES = (".xlsx", ".xlsm")  # standard workbooks the tables reader takes


def table_input(sources: list[Path]) -> Path | None:
    """The one input a command may read as tables (one .xlsx / .xlsm file), else None.

    The tables reader takes standard workbooks only; the caller falls back to the records
    reader when it raises :class:`CatalogInputError`.
    """
    if len(sources) == 1 and sources[0].suffix.lower() in TABLE_SUFFIXES and sources[0].is_file():
        return sources[0]
    return None


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    md = "md"


def emit_report(
    report: Report, fmt: ReportFormat, output: Path | None, details: bool = False
) -> None:
    """Print or write a report in the chosen format (atomically when written); xlsx needs -o.

    Text output lists the detail tables only with ``details``; Markdown and xlsx always do.
    """
    from catalog_cli.report.json import render_json
    from catalog_cli.report.markdown import render_markdown
    from catalog_cli.report.text import render_text
    from catalog_cli.report.xlsx import render_xlsx
    from catalog_cli.write.atomic import write_bytes_atomic, write_text_atomic

    if fmt is ReportFormat.xlsx:
        if output is None:
            raise fail("--format xlsx 需要用 -o 指定输出文件")
        write_bytes_atomic(output, render_xlsx(report))
    elif fmt in (ReportFormat.json, ReportFormat.md):
        text = render_json(report) if fmt is ReportFormat.json else render_markdown(report)
        write_text_atomic(output, text) if output else typer.echo(text, nl=False)
    elif output is not None:
        write_text_atomic(output, render_text(report, details=details))
    else:
        render_text(report, stdout_console(), details=details)
    if output is not None:
        err_console.print(f"结果已写入 {output}")


class Severity(StrEnum):
    error = "error"
    warning = "warning"


def fail(message: str) -> typer.Exit:
    """Print one line to stderr and give the exit for bad input or usage."""
    err_console.print(f"[red]错误：[/]{message}", soft_wrap=True)
    return typer.Exit(EXIT_BAD_INPUT)


def print_input_errors(errors: list[CatalogInputError]) -> bool:
    """One line per unreadable input on stderr; True when there were any."""
    for error in errors:
        err_console.print(f"[red]错误：[/]{error.line()}", soft_wrap=True, highlight=False)
    return bool(errors)


def handle_errors(command: F) -> F:
    """Turn exceptions into one Chinese line and exit code 2 (tracebacks only with --debug)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except typer.Exit:
            raise
        except CatalogInputError as exc:
            if state["debug"]:
                raise
            raise fail(exc.line()) from None
        except OSError as exc:
            if state["debug"]:
                raise
            raise fail(f"{exc.filename or ''}：{exc.strerror or exc}") from None
        except Exception as exc:  # an unexpected failure: still one line unless debugging
            if state["debug"]:
                raise
            raise fail(
                f"内部错误（{type(exc).__name__}: {exc}）；加 --debug 查看详情并报告此问题"
            ) from None

    return wrapper  # type: ignore[return-value]


def _input_files(inputs: Iterable[Path]) -> list[Path]:
    """The inputs and, for a folder, the files in it (a missing input is left to the reader)."""
    files = []
    for path in inputs:
        files.append(path)
        if path.is_dir():
            files.extend(p for p in path.iterdir() if p.is_file())
    return files


def _same_file(a: Path, b: Path) -> bool:
    """True when two paths name one file (through symbolic links, hard links, ``..``)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def refuse_overwriting_inputs(
    inputs: Iterable[Path | None],
    outputs: Iterable[Path | None],
    *,
    annotated: bool = False,
) -> None:
    """Exit 2 with one line when an output would replace an input (or another output).

    With ``annotated`` the outputs are ``validate -f xlsx -o``: the annotated copy (one input) or
    the folder of copies (several); the copies' own paths are what is checked.
    """
    sources = [Path(p) for p in inputs if p is not None]
    targets = [Path(p) for p in outputs if p is not None]
    files = _input_files(sources)
    if annotated:
        from catalog_cli.read import expand_inputs
        from catalog_cli.report.annotate import annotated_paths

        try:
            readable = [str(p) for p in expand_inputs(sources)]
        except CatalogInputError:
            readable = [str(p) for p in files if p.is_file()]
        targets = [path for out in targets for path in annotated_paths(readable, out).values()]
    for n, target in enumerate(targets):
        for source in files:
            if _same_file(target, source):
                shown = source if target == source else f"{target}（即 {source}）"
                raise fail(f"输出文件 {shown} 是输入文件：不会覆盖输入，请换一个输出路径")
        for other in targets[:n]:
            if _same_file(target, other):
                raise fail(f"两个输出都写到 {target}：请给它们不同的路径")


SIZE_UNITS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A size such as “2GB”, “1.5G”, “800MB”, “1GiB” or bytes, in binary units (1 GB = 1024³)."""
    m = _SIZE.match(text)
    if m is None:
        raise typer.BadParameter(f"“{text}”不是大小：请写成 2GB、800MB 或字节数")
    return int(float(m.group(1)) * SIZE_UNITS[m.group(2).lower()])


def print_cut_cells(findings: list[Finding], output: Path) -> None:
    """One warning line on stderr per text cut to fit an xlsx cell, then how many there were."""
    for f in findings:
        where = f"{f.file}，工作表“{f.sheet}”第 {f.row} 行（{f.column} 列）“{f.element}”"
        err_console.print(f"[yellow]警告：[/]{where}：{f.message}", soft_wrap=True, highlight=False)
    if findings:
        err_console.print(
            f"[yellow]警告：[/]{output} 中有 {len(findings)} 个单元格的文字超过 32,767 个字符，"
            "已截断；要保留全文请输出目录 JSON（-o 目录.json）",
            soft_wrap=True,
            highlight=False,
        )
