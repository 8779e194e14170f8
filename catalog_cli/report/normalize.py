"""How ``catalog normalize`` and ``catalog ingest`` read to a person: the JSON summary, the Chinese
lines per file, and which layout and header mapping each sheet was read with.

The pipeline (:mod:`catalog_cli.ingest`) returns plain result objects; this module only presents
them. It takes them by shape (:class:`NormalizeOutcome`) so the report layer never imports the
pipeline above it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from catalog_cli.schema import flat_columns, load_schema

if TYPE_CHECKING:
    from catalog_cli.model.findings import Finding
    from catalog_cli.read import ReadResult
    from catalog_cli.read.layout import Layout

# The Chinese label of each change kind (the slugs counted by catalog_cli.read.normalize.Changes).
CHANGE_LABELS = {
    "whitespace": "整理空白",
    "fullwidth": "全角转半角",
    "traditional": "繁体转简体",
    "yes_no": "统一是否值",
    "enum": "统一代码表取值",
    "time_limit": "解析时限文字",
    "list_split": "拆分一格多项",
    "merged_cell": "展开合并单元格",
}


class NormalizeOutcome(Protocol):
    """What normalizing returns (:class:`catalog_cli.ingest.normalize.NormalizeReport`)."""

    @property
    def result(self) -> ReadResult: ...

    @property
    def output(self) -> Path | None: ...

    @property
    def written(self) -> list[Finding]: ...


def normalize_summary(report: NormalizeOutcome) -> dict[str, Any]:
    """The JSON form of the summary (stable keys, documented in docs/normalize.md)."""
    result = report.result
    catalog = result.catalog
    return {
        "output": str(report.output) if report.output else None,
        "files": result.files,
        "main_items": len(catalog.main_items),
        "leaves": catalog.count_leaves(),
        "changes": {
            "by_kind": result.changes.by_kind(),
            "by_file": result.changes.by_file(),
        },
        "layouts": [
            {
                "file": layout.file,
                "sheet": layout.sheet,
                "layout": layout.kind,
                "header_rows": list(layout.header_rows),
                "columns": {layout.headers[i]: layout.columns[i] for i in sorted(layout.columns)},
                "extra_columns": [layout.extras[i] for i in sorted(layout.extras)],
            }
            for layout in result.layouts
        ],
        "cut_cells": [
            {
                "sheet": f.sheet,
                "row": f.row,
                "column": f.column,
                "element": f.element,
                "message": f.message,
            }
            for f in report.written
        ],
        "errors": [e.line() for e in result.errors],
    }


def change_lines(report: NormalizeOutcome) -> list[str]:
    """The human summary (Chinese): one line per input file, its changes by kind."""
    out = []
    by_file = report.result.changes.by_file()
    for file in report.result.files:
        kinds = by_file.get(file, {})
        text = "，".join(f"{CHANGE_LABELS.get(k, k)} {n} 处" for k, n in kinds.items()) or "无改动"
        out.append(f"{file}：{text}")
    return out


def _titles() -> dict[str, str]:
    titles = {key: title for key, (title, _) in flat_columns(load_schema()).items()}
    for record in load_schema().records.values():
        for key, f in record.fields.items():
            titles.setdefault(key, f.title)
    return titles


def explain_lines(result: ReadResult) -> list[str]:
    """Which layout and header mapping each sheet was read with (Chinese, for ``--explain``)."""
    titles = _titles()
    return [line for layout in result.layouts for line in layout.explain(titles)]


def layout_lines(files: list[str], layouts: list[Layout]) -> list[str]:
    """``--explain`` per input file: each of its sheets' layout and header mapping (by element
    name or alias, by input profile, by content), or how a catalog JSON is read."""
    titles = _titles()
    lines = []
    for file in files:
        own = [layout for layout in layouts if layout.file == file]
        if own:
            lines.extend(line for layout in own for line in layout.explain(titles))
        elif file.lower().endswith(".json"):
            lines.append(f"{file}：目录 JSON，按字段键读取（没有表头）")
    return lines
