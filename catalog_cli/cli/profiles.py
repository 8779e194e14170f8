"""``catalog profiles``: list the input profiles (schemas/profiles/ and $CATALOG_PROFILES)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import orjson
import typer
from rich.console import Console
from rich.text import Text

from catalog_cli.cli.common import handle_errors
from catalog_cli.read.profiles import load_profiles, local_codes
from catalog_cli.schema import load_schema

WIDTH = 80  # the text listing fits a plain terminal
INDENT = "    "


class ListFormat(StrEnum):
    text = "text"
    json = "json"


def profile_summary(profile: dict[str, Any]) -> dict[str, Any]:
    """What the listing shows of one profile: its name, title, notes, tables (record, detecting
    columns, row keys) and declared local code schemes."""
    return {
        "name": profile["name"],
        "title": profile.get("title", ""),
        "notes": profile.get("notes", ""),
        "tables": [
            {
                "name": table["name"],
                "record": table["record"],
                "extends": bool(table.get("extends")),
                "detect": list(table["detect"]),
                "key": table.get("key"),
                "parent": table.get("parent"),
            }
            for table in profile["tables"]
        ],
        "local_codes": [
            {"field": s.field, "name": s.name, "pattern": s.pattern} for s in local_codes(profile)
        ],
    }


def _record_title(table: dict[str, Any]) -> str:
    title = load_schema().records[table["record"]].title
    return f"{title}（补充字段）" if table["extends"] else title


def text_lines(summaries: list[dict[str, Any]]) -> list[str]:
    """The listing as lines (before wrapping to :data:`WIDTH`)."""
    if not summaries:
        return ["没有输入配置（schemas/profiles/ 中没有 *.json）"]
    fields = load_schema().records["leaf"].fields
    lines: list[str] = []
    for summary in summaries:
        lines.append(summary["name"])
        lines.append(f"  {summary['title']}")
        for table in summary["tables"]:
            links = []
            if table["key"]:
                links.append(f"行键 {table['key']}")
            if table["parent"]:
                links.append(f"上级键 {table['parent']}")
            link = f"；{'，'.join(links)}" if links else ""
            lines.append(f"  表 {table['name']}（{_record_title(table)}{link}）")
            lines.append(f"{INDENT}识别列：{'、'.join(table['detect'])}")
        for scheme in summary["local_codes"]:
            title = fields[scheme["field"]].title
            lines.append(f"  地方编码：{title} {scheme['name']}（{scheme['pattern']}）")
        lines.append("")
    lines.append(f"共 {len(summaries)} 个输入配置。如何新增配置见 schemas/profiles/README.md。")
    return lines


def print_wrapped(lines: list[str]) -> None:
    """Print each line wrapped to :data:`WIDTH` display columns (CJK characters count two),
    continuation lines indented under the line's own indent."""
    console = Console(width=WIDTH, highlight=False, soft_wrap=False)
    for line in lines:
        indent = INDENT if line.startswith(" ") else "  "
        pieces = Text(line).wrap(console, WIDTH - len(indent))
        for i, piece in enumerate(pieces):
            console.print(piece if i == 0 else Text(indent) + piece)


@handle_errors
def profiles(
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="输出格式：text、json"),
) -> None:
    """列出输入配置。

    配置在 schemas/profiles/ 中，以及环境变量 CATALOG_PROFILES 指定的配置文件。
    每个配置列出名称、说明、各表的记录类型和识别列
    （表头含全部识别列时按该配置读取），以及配置声明的地方编码方案。
    """
    summaries = [profile_summary(p) for p in load_profiles().values()]
    if fmt is ListFormat.json:
        typer.echo(orjson.dumps(summaries, option=orjson.OPT_INDENT_2).decode())
        return
    print_wrapped(text_lines(summaries))
