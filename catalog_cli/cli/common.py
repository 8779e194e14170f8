"""What every command shares: consoles, the debug switch, and errors → exit codes (in one place)."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding
from catalog_cli.read import SUPPORTED, Inputs, ReadResult, gather_inputs
from catalog_cli.read.overlap import OVERLAP
from catalog_cli.read.versions import VersionMode

if TYPE_CHECKING:
    from catalog_cli.report.shape import Report

EXIT_CLEAN, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

state: dict[str, Any] = {"debug": False, "max_uncompressed": None}  # the app's global options
# soft_wrap: a message is one line, whatever the width (a pipe, a log, CI)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


PIPE_WIDTH = 160  # the width of results written to a pipe or a file, unless COLUMNS says


def stdout_console() -> Console:
    """Results go to stdout; colour only on a terminal (rich honours NO_COLOR too). On a
    terminal the width is the terminal's; elsewhere it is $COLUMNS when set, else PIPE_WIDTH."""
    columns = os.environ.get("COLUMNS", "")
    piped = None if columns.isdigit() else PIPE_WIDTH
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else piped)


PROFILE_HELP = "输入配置名（schemas/profiles/ 中的 name，如 guangxi-audit）；默认按表头自动识别"


TABLE_SUFFIXES = (".xlsx", ".xlsm")  # standard workbooks the tables reader takes


def table_input(path: Path) -> Path | None:
    """The input ``path`` when a command may read it as tables (an .xlsx / .xlsm file), else None.

    The tables reader takes standard workbooks only; the caller falls back to the records
    reader when it raises :class:`CatalogInputError`.
    """
    if path.suffix.lower() in TABLE_SUFFIXES and path.is_file():
        return path
    return None


MERGE_HELP = "把全部输入合并为一个目录（一个目录分成多个部门文件时）；默认每个文件是一个目录"
EXPLAIN_HELP = (
    "在标准错误输出中说明每个文件、每个工作表按什么版式读入，"
    "各列按要素名或别名、按输入配置还是按内容识别"
)
NO_INFER_HELP = "表头认不出的列不按内容识别为要素，一律作为附加属性保留"
VERSIONS_HELP = "同一事项的多个版本：latest 只用最新的（默认），all 全部保留"

# options every reading command takes, declared once: ``versions: Versions = VersionMode.latest``
Versions = Annotated[VersionMode, typer.Option("--versions", help=VERSIONS_HELP)]
Explain = Annotated[bool, typer.Option("--explain", help=EXPLAIN_HELP)]
NoInfer = Annotated[bool, typer.Option("--no-infer", help=NO_INFER_HELP)]


def print_explain(lines: list[str]) -> None:
    """The ``--explain`` lines, on stderr (stdout keeps the report, ``-f json`` stays clean)."""
    for line in lines:
        err_console.print(line, highlight=False, markup=False)


def gather(sources: list[Path]) -> Inputs:
    """The files the inputs stand for, each once: a file given or reached twice is named on
    stderr and read once. No file at all (an empty folder, one of notes and scans) is bad input.
    """
    inputs = gather_inputs(sources, strict=False)
    for again, first in inputs.repeated:
        same = "" if str(again) == str(first) else f"（与 {first} 是同一文件）"
        err_console.print(
            f"[yellow]警告：[/]{again}{same}重复给出，只读取一次", soft_wrap=True, highlight=False
        )
    if not inputs.files and not inputs.missing:
        raise fail(f"{names(sources)}：{NO_FILES}")
    return inputs


NO_FILES = f"没有可读取的目录文件（支持 {SUPPORTED}；文件夹中的其他文件不读）"
NOTHING_READ = "没有读到任何目录：文件都不是目录数据，已跳过"


def names(sources: list[Path]) -> str:
    """The inputs as the user gave them, for an error line."""
    return "、".join(str(s) for s in sources)


def units(inputs: Inputs, merge: bool, profile: str | None = None) -> list[Inputs]:
    """The catalogs to read: each file its own (the default; the linked tables of one input
    profile's export together), or all of them as one (--merge)."""
    return [inputs] if merge else inputs.each(profile)


def read_units(
    inputs: Inputs,
    merge: bool,
    analyse: Callable[[Inputs], tuple[T | None, list[CatalogInputError], int]],
) -> tuple[list[T], list[CatalogInputError], int]:
    """``analyse`` each catalog of :func:`units`: (the results of the catalogs read, every
    unreadable input, how many files were skipped as holding no catalog)."""
    results: list[T] = []
    errors: list[CatalogInputError] = []
    skipped = 0
    for unit in units(inputs, merge):
        result, unit_errors, unit_skipped = analyse(unit)
        if result is not None:
            results.append(result)
        errors += unit_errors
        skipped += unit_skipped
    return results, errors, skipped


def left_out(read: ReadResult) -> tuple[set[str], int]:
    """(the files of a read that gave no catalog: unreadable or skipped, how many were skipped)."""
    skipped = {f.file for f in read.findings if f.code == "file-skipped" and f.file}
    return skipped | {e.file for e in read.errors}, len(skipped)


def nothing_read(sources: list[Path], skipped: int) -> typer.Exit:
    """The exit when every file was skipped (none holds a catalog): nothing is not a pass."""
    return fail(f"{names(sources)}：{NOTHING_READ}（{skipped} 个文件）")


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


def print_overlaps(findings: Iterable[Finding]) -> None:
    """The inputs-overlap warnings on stderr: merging one export twice doubles every item, which
    a count of reading findings would hide."""
    for f in findings:
        if f.code == OVERLAP:
            err_console.print(f"[yellow]警告：[/]{escape(f.message)}", soft_wrap=True)


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


CUT_HINT = "要保留全文请输出目录 JSON（-o 目录.json）"


def print_cut_cells(findings: list[Finding], output: Path, hint: str = CUT_HINT) -> None:
    """One warning line on stderr per text cut to fit an xlsx cell, then how many there were."""
    for f in findings:
        where = f"{f.file}，工作表“{f.sheet}”第 {f.row} 行（{f.column} 列）“{f.element}”"
        err_console.print(f"[yellow]警告：[/]{where}：{f.message}", soft_wrap=True, highlight=False)
    if findings:
        err_console.print(
            f"[yellow]警告：[/]{output} 中有 {len(findings)} 个单元格的文字超过 32,767 个字符，"
            f"已截断；{hint}",
            soft_wrap=True,
            highlight=False,
        )
