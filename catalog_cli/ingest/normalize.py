"""``catalog normalize`` as a library function: read messy inputs, write the standard workbook,
and say what was changed, per kind and per file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_cli.ingest import write_catalog
from catalog_cli.read import ReadResult, read_catalog
from catalog_cli.read.normalize import CHANGE_LABELS
from catalog_cli.schema import flat_columns, load_schema


@dataclass(frozen=True)
class NormalizeReport:
    """What normalizing did: the catalog read, changes per file and kind, layouts, unreadable inputs."""

    result: ReadResult
    output: Path | None

    def summary(self) -> dict[str, Any]:
        """The JSON form of the summary (stable keys, documented in docs/normalize.md)."""
        catalog = self.result.catalog
        return {
            "output": str(self.output) if self.output else None,
            "files": self.result.files,
            "main_items": len(catalog.main_items),
            "leaves": catalog.count_leaves(),
            "changes": {
                "by_kind": self.result.changes.by_kind(),
                "by_file": self.result.changes.by_file(),
            },
            "layouts": [
                {
                    "file": l.file,
                    "sheet": l.sheet,
                    "layout": l.kind,
                    "header_rows": list(l.header_rows),
                    "columns": {l.headers[i]: l.columns[i] for i in sorted(l.columns)},
                    "extra_columns": [l.extras[i] for i in sorted(l.extras)],
                }
                for l in self.result.layouts
            ],
            "errors": [e.line() for e in self.result.errors],
        }

    def lines(self) -> list[str]:
        """The human summary (Chinese), one line per file and kind."""
        out = []
        by_file = self.result.changes.by_file()
        for file in self.result.files:
            kinds = by_file.get(file, {})
            text = (
                "，".join(f"{CHANGE_LABELS.get(k, k)} {n} 处" for k, n in kinds.items()) or "无改动"
            )
            out.append(f"{file}：{text}")
        return out


def explain_lines(result: ReadResult) -> list[str]:
    """Which layout and header mapping each sheet was read with."""
    titles = {key: title for key, (title, _) in flat_columns(load_schema()).items()}
    for record in load_schema().records.values():
        for key, f in record.fields.items():
            titles.setdefault(key, f.title)
    return [line for layout in result.layouts for line in layout.explain(titles)]


def normalize_paths(
    sources: Iterable[Path | str],
    output: Path | None,
    *,
    encoding: str | None = None,
    profile: str | None = None,
) -> NormalizeReport:
    """Read every readable source into one catalog and write it (standard workbook or JSON) to ``output``."""
    result = read_catalog(sources, encoding=encoding, strict=False, profile=profile)
    if output is not None and result.files and len(result.errors) < len(result.files):
        write_catalog(result.catalog, output)
    return NormalizeReport(result, output)
