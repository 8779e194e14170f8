"""``catalog blank`` (空白工作簿; ``catalog template`` is its hidden old name): write the empty
standard workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from catalog_cli.cli.common import err_console, handle_errors
from catalog_cli.write.workbook import write_template


@handle_errors
def blank(
    output: Path = typer.Option(
        Path("目录模板.xlsx"), "--output", "-o", help="空白工作簿的文件路径"
    ),
    rows: int = typer.Option(1000, "--rows", min=1, help="下拉选项覆盖的数据行数"),
) -> None:
    """生成空白的标准目录工作簿。

    冻结表头，每个表头有批注说明要素，枚举要素带下拉选项。
    """
    write_template(output, rows)
    err_console.print(f"已生成空白工作簿 {output}")
