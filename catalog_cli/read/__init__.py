"""Readers: files → the catalog model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog_cli.model import Catalog
from catalog_cli.read.assemble import FlatRecords, assemble
from catalog_cli.read.errors import CatalogInputError
from catalog_cli.read.json import read_catalog_json
from catalog_cli.read.normalize import Changes
from catalog_cli.read.workbook import read_standard_workbook
from catalog_cli.report.findings import Finding

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
INPUT_SUFFIXES = WORKBOOK_SUFFIXES | {".json"}

__all__ = ["CatalogInputError", "ReadResult", "expand_inputs", "read_catalog"]


@dataclass
class ReadResult:
    """A catalog read from one or more inputs, with the findings reading made and the files read."""

    catalog: Catalog
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)


def expand_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Inputs as files: a folder stands for every workbook and JSON file in it (sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in INPUT_SUFFIXES and not p.name.startswith((".", "~$"))))
        elif not path.exists():
            raise CatalogInputError(str(path), "文件不存在")
        else:
            files.append(path)
    return files


def read_one(path: Path, changes: Changes) -> tuple[FlatRecords, list[Finding]]:
    """Read one input file as flat records."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_standard_workbook(path, changes)
    if suffix == ".json":
        return read_catalog_json(path), []
    raise CatalogInputError(str(path), f"不支持的文件类型“{suffix or '无扩展名'}”（支持 xlsx、xlsm、xls、json）")


def read_catalog(paths: Iterable[Path | str]) -> ReadResult:
    """Read every input and merge them into one catalog."""
    files = expand_inputs(paths)
    parts: list[FlatRecords] = []
    findings: list[Finding] = []
    changes = Changes()
    for path in files:
        flat, found = read_one(path, changes)
        parts.append(flat)
        findings.extend(found)
    return ReadResult(assemble(parts), findings, [str(p) for p in files], changes)
