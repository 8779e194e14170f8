"""``catalog diff``: county catalogs against the city's on the six unified elements (六个统一)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from catalog_cli.analyses.diff import Change, CountyDiff, align_catalog, diff_catalogs
from catalog_cli.analyses.diff_rules import DiffOptions, choose_elements, load_synonyms
from catalog_cli.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_CLEAN,
    EXIT_FINDINGS,
    Explain,
    err_console,
    fail,
    gather,
    handle_errors,
    left_out,
    print_explain,
    print_input_errors,
    refuse_overwriting_inputs,
    stdout_console,
    units,
)
from catalog_cli.ingest.policy import set_gc_policy
from catalog_cli.ingest.shards import default_jobs, process_context
from catalog_cli.model import Catalog
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import Inputs, read_catalog
from catalog_cli.report.diff import (
    diff_report,
    render_changes_xlsx,
    render_diff_xlsx,
)
from catalog_cli.report.normalize import layout_lines
from catalog_cli.schema import load_synonym_groups
from catalog_cli.write.atomic import write_bytes_atomic, write_text_atomic
from catalog_cli.write.workbook import write_workbook


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    html = "html"


SUFFIX_FORMATS = {
    ".txt": DiffFormat.text,
    ".json": DiffFormat.json,
    ".xlsx": DiffFormat.xlsx,
    ".html": DiffFormat.html,
    ".htm": DiffFormat.html,
}
SUFFIXES = "、".join(SUFFIX_FORMATS)


Plan = list[tuple[DiffFormat, Path | None]]  # each report's format and file (None: stdout)


def output_plan(fmt: DiffFormat | None, outputs: list[Path]) -> Plan:
    """What is written where, decided before anything is read: each ``-o`` file in the format
    its suffix names (``-f`` for a suffix that names none; a clash is a usage error), or the
    ``-f`` format (text by default) on stdout when no file is given."""
    if not outputs:
        chosen = fmt or DiffFormat.text
        if chosen in (DiffFormat.xlsx, DiffFormat.html):
            raise fail(f"--format {chosen.value} 需要用 -o 指定输出文件")
        return [(chosen, None)]
    plan: Plan = []
    for out in outputs:
        named = SUFFIX_FORMATS.get(out.suffix.lower())
        if named is not None and fmt is not None and named is not fmt:
            raise fail(f"{out}：后缀是 {named.value} 的，与 --format {fmt.value} 不符")
        chosen = named or fmt
        if chosen is None:
            raise fail(f"{out}：从后缀看不出输出格式（{SUFFIXES}），请用 -f 指定")
        plan.append((chosen, out))
    return plan


@dataclass(frozen=True)
class CountyInput:
    """One county to compare: the files of its catalog, and with --per-folder the folder they
    stand for (the county's name in the report and in its --align outputs)."""

    unit: Inputs
    folder: Path | None = None

    @property
    def path(self) -> Path:
        """What the county is called by: its folder, or its (first) file."""
        if self.folder is not None:
            return self.folder
        return self.unit.files[0] if self.unit.files else Path("county")

    @property
    def stem(self) -> str:
        """The stem of its --align outputs."""
        return self.path.resolve().name if self.folder is not None else self.path.stem


def county_inputs(sources: list[Path], per_folder: bool) -> list[CountyInput]:
    """The counties the inputs stand for: each file its own county; with ``per_folder`` each
    folder given is one county (its files read together as one catalog)."""
    if not per_folder:
        return [CountyInput(u) for u in units(gather(sources), False)]
    out: list[CountyInput] = []
    for source in sources:
        inputs = gather([source])
        if source.is_dir():
            out.append(CountyInput(inputs, source))
        else:
            out += [CountyInput(u) for u in units(inputs, False)]
    return out


def align_stems(counties: list[CountyInput]) -> list[str]:
    """Every county's --align stem; two counties with the same stem would write the same
    files, which is a usage error named before anything is read."""
    seen: dict[str, Path] = {}
    for county in counties:
        if county.stem in seen:
            raise fail(
                f"{county.path} 与 {seen[county.stem]} 同名：--align 为它们写出的文件会重名，"
                "请先改名其中一个"
            )
        seen[county.stem] = county.path
    return list(seen)


@dataclass
class CountyOutcome:
    """What one county gave: its diff (None when unreadable), its input errors, files skipped,
    and the align outputs written."""

    diff: CountyDiff | None
    errors: list[CatalogInputError] = field(default_factory=list)
    skipped: int = 0
    written: list[str] = field(default_factory=list)
    explained: list[str] = field(default_factory=list)  # the --explain lines of its files


_worker: dict[str, Any] = {}  # the city catalog and options, set once per worker process


def _init_worker(
    city: Catalog, options: DiffOptions, align: str | None, explain: bool = False
) -> None:
    set_gc_policy()
    _worker.update(city=city, options=options, align=align, explain=explain)


def read_one_catalog(
    unit: Inputs, explain: list[str] | None = None
) -> tuple[Catalog | None, list[CatalogInputError], int]:
    """(the catalog or None when no file held one, unreadable inputs, files skipped);
    ``explain`` (a list) collects the --explain lines of its files."""
    read = read_catalog(unit, strict=False)
    if explain is not None:
        explain.extend(layout_lines(read.files, read.layouts))
    left, skipped = left_out(read)
    if len(left) == len(read.files):
        return None, read.errors, skipped
    return read.catalog, read.errors, skipped


def compare_county(job: CountyInput) -> CountyOutcome:
    """Read one county, diff it with the city, and with --align write its aligned workbook and
    change log (in the worker: only the city and the counties in flight are in memory)."""
    explained: list[str] | None = [] if _worker.get("explain") else None
    county, errors, skipped = read_one_catalog(job.unit, explained)
    if county is None:
        return CountyOutcome(None, errors, skipped, explained=explained or [])
    options: DiffOptions = _worker["options"]
    diff = diff_catalogs(_worker["city"], county, options)
    if job.folder is not None:
        diff = replace(diff, county_file=str(job.folder))
    outcome = CountyOutcome(diff, errors, skipped, explained=explained or [])
    if _worker["align"]:
        aligned, changes = align_catalog(_worker["city"], county, diff, options)
        folder = Path(_worker["align"])
        outcome.written = write_aligned(folder, job.stem, aligned, changes)
    outcome.diff = diff.compact()
    return outcome


def aligned_paths(folder: Path, stem: str) -> tuple[Path, Path]:
    """(the aligned workbook, its change log) of the county whose file stem is ``stem``."""
    return folder / f"{stem}-对齐.xlsx", folder / f"{stem}-对齐修改记录.xlsx"


def write_aligned(folder: Path, stem: str, aligned: Catalog, changes: list[Change]) -> list[str]:
    """The aligned workbook and its change log (a workbook of text cells) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    book, log = aligned_paths(folder, stem)
    write_workbook(aligned, book)
    write_bytes_atomic(log, render_changes_xlsx(changes))
    return [str(book), str(log)]


def run_counties(
    city: Catalog,
    counties: list[CountyInput],
    options: DiffOptions,
    align: Path | None,
    jobs: int,
    explain: bool = False,
) -> list[CountyOutcome]:
    """Every county's outcome, in the order given; in worker processes when ``jobs`` > 1, with
    a progress bar on stderr."""
    args = (city, options, str(align) if align else None, explain)
    outcomes: dict[int, CountyOutcome] = {}
    progress = Progress(
        TextColumn("比对县级目录"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    with progress:
        task = progress.add_task("diff", total=len(counties))
        if jobs <= 1 or len(counties) <= 1:
            _init_worker(*args)
            for n, county in enumerate(counties):
                outcomes[n] = compare_county(county)
                progress.advance(task)
        else:
            with ProcessPoolExecutor(
                max_workers=min(jobs, len(counties)),
                mp_context=process_context(),
                initializer=_init_worker,
                initargs=args,
            ) as pool:
                futures = {pool.submit(compare_county, u): n for n, u in enumerate(counties)}
                for future in as_completed(futures):
                    outcomes[futures[future]] = future.result()
                    progress.advance(task)
    return [outcomes[n] for n in range(len(counties))]


def render_html(city: str, diffs: list[CountyDiff]) -> str:
    """The HTML page (the renderer lives in report/diff_html.py)."""
    from catalog_cli.report.diff_html import render_diff_html

    return render_diff_html(city, diffs)


def emit(
    city: str,
    diffs: list[CountyDiff],
    unreadable: list[str],
    plan: Plan,
) -> None:
    """Print or write the report as :func:`output_plan` decided; when every report goes to a
    file, each county's summary sentence is still shown on stderr."""
    from catalog_cli.report.json import render_json
    from catalog_cli.report.text import render_text

    report = diff_report(city, diffs, unreadable)
    for fmt, output in plan:
        if fmt is DiffFormat.xlsx:
            write_bytes_atomic(output, render_diff_xlsx(city, diffs))  # type: ignore[arg-type]
        elif fmt is DiffFormat.html:
            write_text_atomic(output, render_html(city, diffs))  # type: ignore[arg-type]
        elif fmt is DiffFormat.json:
            text = render_json(report)
            write_text_atomic(output, text) if output else typer.echo(text, nl=False)
        elif output is not None:
            write_text_atomic(output, render_text(report))
        else:
            render_text(report, stdout_console())
    if all(output is not None for _, output in plan):
        for line in report.sentences[1:]:
            err_console.print(line, highlight=False)
        for _, output in plan:
            err_console.print(f"结果已写入 {output}", highlight=False)


@handle_errors
def diff(
    city: Path = typer.Argument(
        ..., help="市级目录文件（或版本比对时的旧版本）", show_default=False
    ),
    counties: list[Path] = typer.Argument(
        ..., help="县级目录文件或文件夹（可多个）", show_default=False
    ),
    fmt: DiffFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="输出格式：text（默认）、json、xlsx、html；有 -o 时默认按文件后缀",
        show_default=False,
    ),
    output: list[Path] = typer.Option(
        [],
        "--output",
        "-o",
        help="把结果写入文件，可重复（如 -o 比对.xlsx -o 比对.html），格式按后缀",
        show_default=False,
    ),
    elements: str | None = typer.Option(
        None,
        "--elements",
        help="只比对这些要素（逗号分隔，如 事项名称,申请材料；all 为全部要素，用于版本比对）；"
        "默认六个统一的要素",
    ),
    ignore: str | None = typer.Option(None, "--ignore", help="不比对这些要素（逗号分隔）"),
    synonyms: Path | None = typer.Option(
        None,
        "--synonyms",
        help="申请材料名称同义词的 JSON 文件，补充自带的 schemas/material-synonyms.json",
    ),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行的工作进程数（默认按 CPU 核数，最多 8）"),
    per_folder: bool = typer.Option(
        False,
        "--per-folder",
        help="每个文件夹是一个县的目录（一个县的目录按部门分成多个文件时）；"
        "默认文件夹中的每个文件是一个县",
    ),
    align: Path | None = typer.Option(
        None,
        "--align",
        help="把每个县的六个统一要素设为市级的值，写出标准工作簿和修改记录到这个文件夹",
    ),
    explain: Explain = False,
) -> None:
    """六个统一比对：县级目录与市级目录逐项比对。

    比对事项名称、事项编码、受理条件、申请材料、办理时限、办理流程。
    按基本编码（及业务办理项编码）、再按规范化名称匹配子项，
    列出未认领、县级自有的事项和每处差异，给出各要素和总的一致率。
    退出码：0 无差异，1 有差异，2 有输入无法读取。
    """
    plan = output_plan(fmt, output)
    county_units = county_inputs(counties, per_folder)
    planned = [p for _, p in plan]
    if align is not None:
        for stem in align_stems(county_units):
            planned += aligned_paths(align, stem)
    refuse_overwriting_inputs([city, *counties, synonyms], planned)
    options = DiffOptions(
        choose_elements([elements] if elements else None, [ignore] if ignore else None),
        load_synonyms(load_synonym_groups(synonyms)),
    )
    explained: list[str] | None = [] if explain else None
    city_catalog, city_errors, _ = read_one_catalog(units(gather([city]), True)[0], explained)
    print_explain(explained or [])
    if city_catalog is None:
        print_input_errors(city_errors)
        raise fail(f"{city}：无法读取市级目录，不能比对")
    outcomes = run_counties(
        city_catalog, county_units, options, align, jobs if jobs > 0 else default_jobs(), explain
    )
    print_explain([line for o in outcomes for line in o.explained])
    diffs = [o.diff for o in outcomes if o.diff is not None]
    errors = [e for o in outcomes for e in o.errors]
    unreadable = [e.file for e in errors]
    if diffs:
        emit(str(city), diffs, unreadable, plan)
    for o in outcomes:
        for path in o.written:
            err_console.print(f"已写出 {path}", highlight=False)
    print_input_errors(errors)
    if errors or not diffs:
        raise typer.Exit(EXIT_BAD_INPUT)
    has_deviations = any(d.deviations or d.findings for d in diffs)
    raise typer.Exit(EXIT_FINDINGS if has_deviations else EXIT_CLEAN)
