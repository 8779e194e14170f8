"""The ``catalog`` command line: parses options, calls one library function per command, prints."""

from __future__ import annotations

import typer

from catalog_cli import __version__
from catalog_cli.cli.common import parse_size, state
from catalog_cli.cli.diff import diff
from catalog_cli.cli.guide import guide
from catalog_cli.cli.help import fold_help_text
from catalog_cli.cli.ingest import ingest
from catalog_cli.cli.normalize import normalize
from catalog_cli.cli.profiles import profiles
from catalog_cli.cli.reduce import reduce
from catalog_cli.cli.stats import stats
from catalog_cli.cli.template import blank
from catalog_cli.cli.validate import validate
from catalog_cli.ingest import set_gc_policy, set_memory_policy
from catalog_cli.read.archive import DEFAULT_MAX_UNCOMPRESSED, set_max_uncompressed, size_text

fold_help_text()  # option help in Chinese wraps at 80 columns instead of being cut

app = typer.Typer(
    name="catalog",
    help=(
        "政务服务事项目录（实施清单）标准化工具。\n\n"
        "退出码：0 通过，1 有问题或差异，2 输入无法读取或用法错误。"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"catalog-cli {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的调用栈"),
    max_uncompressed: str | None = typer.Option(
        None,
        "--max-uncompressed",
        metavar="SIZE",
        help="xlsx 解压后的大小上限（如 2GB），超过时拒绝读取；"
        f"默认 {size_text(DEFAULT_MAX_UNCOMPRESSED)}",
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="显示版本"
    ),
) -> None:
    """政务服务事项目录（实施清单）标准化工具。"""
    state["debug"] = debug
    state["max_uncompressed"] = (
        parse_size(max_uncompressed) if max_uncompressed else DEFAULT_MAX_UNCOMPRESSED
    )
    set_max_uncompressed(state["max_uncompressed"])  # the readers' setting (read/archive.py)


app.command("validate")(validate)
app.command("ingest")(ingest)
app.command("normalize")(normalize)
app.command("stats")(stats)
app.command("reduce")(reduce)
app.command("blank")(blank)
app.command("template", hidden=True)(blank)  # the old name, kept as an alias
app.command("guide")(guide)
app.command("profiles")(profiles)
app.command("diff")(diff)


def main() -> None:
    """Console-script entry point, also behind ``python -m catalog_cli``.

    An entry point sets the process-wide policies (:mod:`catalog_cli.ingest.policy`: the cyclic
    collector off, Arrow on the C heap); library calls leave them as their caller has them.
    """
    set_gc_policy()
    set_memory_policy()
    app()
