"""``catalog guide``: 办事指南 (一表一图一说明) for every 一件事 and every leaf, in HTML,
Markdown and DOCX."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from catalog_cli.analyses.validate import validate
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
    nothing_read,
    print_explain,
    print_input_errors,
    print_overlaps,
    refuse_overwriting_inputs,
)
from catalog_cli.guides.model import GuideSet, build_guides
from catalog_cli.guides.render import RENDERERS, Output, Templates, safe_output
from catalog_cli.model import Bundle, Catalog
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog
from catalog_cli.read.bundles import load_bundles
from catalog_cli.report.normalize import layout_lines
from catalog_cli.write.atomic import write_bytes_atomic

PROGRESS_MIN = 50  # show a progress bar from this many guides on


class GuideFormat(StrEnum):
    html = "html"
    md = "md"
    docx = "docx"


def strict_refusals(findings: Iterable[Finding]) -> dict[str, list[str]]:
    """Item label → its error lines (``--strict`` leaves these items out)."""
    refused: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f.severity == "error" and f.item:
            refused[f.item].append(f"{f.code}：{f.message}")
    return dict(refused)


def check_names(
    catalog: Catalog, bundles: list[Bundle], items: list[str], names: list[str]
) -> None:
    """Exit 2 when ``--item`` or ``--bundle`` names something the inputs do not have."""
    codes = {leaf.impl_code for leaf in catalog.iter_leaves()}
    unknown = [f"实施编码 {c}" for c in items if c not in codes]
    titles = {b.name for b in bundles}
    unknown += [f"一件事“{n}”" for n in names if n not in titles]
    if unknown:
        raise fail(f"输入中没有{'、'.join(unknown)}")


def rendered(
    guides: GuideSet, formats: list[GuideFormat], templates: Templates
) -> Iterator[Output]:
    """Every file of every format, one guide at a time (written as it comes, only one page is
    in memory), with a progress bar on stderr when there are many guides."""
    count = (len(guides.items) + len(guides.bundles) + 1) * len(formats)
    columns = (TextColumn("生成指南"), BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, console=err_console, transient=True, disable=count < PROGRESS_MIN
    ) as bar:
        task = bar.add_task("guides", total=count)
        for fmt in formats:
            renderer = RENDERERS[fmt.value]
            for item in guides.items:
                yield from renderer.item(item, guides, templates)
                bar.advance(task)
            for bundle in guides.bundles:
                yield from renderer.bundle(bundle, guides, templates)
                bar.advance(task)
            yield from renderer.index(guides, templates)
            bar.advance(task)


def write_guides(files: Iterable[Output], output: Path, inputs: Iterable[Path | None]) -> None:
    """Write each file (atomically) under ``output``; exit 2 before writing one that would
    replace an input."""
    protected = {p.resolve(): p for p in inputs if p is not None}
    for path, data in files:
        target = output / safe_output(path)
        if target.resolve() in protected:
            shown = protected[target.resolve()]
            raise fail(f"输出文件 {shown} 是输入文件：不会覆盖输入，请换一个输出文件夹")
        write_bytes_atomic(target, data)


@handle_errors
def guide(
    sources: list[Path] = typer.Argument(..., help="目录文件或文件夹", show_default=False),
    output: Path = typer.Option(
        ..., "--output", "-o", help="输出文件夹（不存在时新建）", show_default=False
    ),
    formats: list[GuideFormat] = typer.Option(
        [GuideFormat.html.value, GuideFormat.md.value, GuideFormat.docx.value],
        "--format",
        "-f",
        help="输出格式：html、md、docx；可重复，同时生成几种；默认三种都生成",
    ),
    bundle: list[str] = typer.Option(
        [], "--bundle", help="只生成这个一件事的指南（一件事名称），可重复", show_default=False
    ),
    item: list[str] = typer.Option(
        [], "--item", help="只生成这个事项的指南（实施编码），可重复", show_default=False
    ),
    per_situation: bool = typer.Option(
        False, "--per-situation", help="有办理情形的事项，每个情形一份指南"
    ),
    template_dir: Path | None = typer.Option(
        None, "--template-dir", help="自己的模板文件夹：其中的同名模板替换内置模板"
    ),
    strict: bool = typer.Option(
        False, "--strict", help="有错误的事项不生成指南，逐个列出（退出码 1）"
    ),
    bundles_file: Path | None = typer.Option(
        None, "--bundles-file", help="一件事另存在 JSON / YAML 文件中（代替目录的“一件事”表）"
    ),
    encoding: str | None = typer.Option(None, "--encoding", help="CSV 编码（默认自动识别）"),
    explain: Explain = False,
) -> None:
    """生成办事指南（一表一图一说明）。

    每个一件事和每个事项一份，另有可搜索的目录页 index。
    全部输入合并为一个目录读取。
    HTML 自带样式和流程图，可离线打开、按 A4 打印；
    Markdown 的流程图另存为同名 .svg 文件；
    DOCX 的表格是 Word 表格，流程图是可编辑的表格。
    退出码：0 完成，1 --strict 时有事项因错误未生成，2 输入无法读取或用法错误。
    """
    refuse_overwriting_inputs([*sources, bundles_file], [output])
    if output.exists() and not output.is_dir():
        raise fail(f"{output} 不是文件夹：-o 需要一个输出文件夹")
    templates = Templates(template_dir)
    read = read_catalog(gather(sources), encoding=encoding, strict=False)
    if explain:
        print_explain(layout_lines(read.files, read.layouts))
    print_overlaps(read.findings)
    left, skipped = left_out(read)
    if len(left) == len(read.files):
        if not print_input_errors(read.errors):
            raise nothing_read(sources, skipped)
        raise typer.Exit(EXIT_BAD_INPUT)
    catalog = read.catalog
    bundles = load_bundles(bundles_file) if bundles_file is not None else catalog.bundles
    check_names(catalog, bundles, item, bundle)
    refused: dict[str, list[str]] = {}
    if strict:
        result = validate(catalog, files=read.files, reading_findings=read.findings)
        refused = strict_refusals(result.findings)
    chosen = bool(item or bundle)
    guides = build_guides(
        catalog,
        bundles,
        items=item if chosen else None,
        bundle_names=bundle if chosen else None,
        per_situation=per_situation,
        refused=refused,
    )
    inputs = [*(Path(f) for f in read.files), bundles_file]
    write_guides(rendered(guides, formats, templates), output, inputs)
    for label, reasons in guides.refused.items():
        err_console.print(
            f"[red]未生成：[/]{escape(label)}（{len(reasons)} 个错误）：{escape(reasons[0])}",
            soft_wrap=True,
            highlight=False,
            markup=True,
        )
    shown = "、".join(f.value for f in formats)
    err_console.print(
        f"已生成 {len(guides.items)} 份事项指南、{len(guides.bundles)} 份一件事指南"
        f"（{shown}）到 {output}",
        highlight=False,
    )
    print_input_errors(read.errors)
    if read.errors:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(EXIT_FINDINGS if guides.refused else EXIT_CLEAN)
