"""``catalog ingest`` as a library function: read inputs, write one normalized catalog."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from catalog_cli.model import Catalog
from catalog_cli.read import ReadResult, read_catalog
from catalog_cli.write.json import write_catalog_json
from catalog_cli.write.workbook import write_workbook

OUTPUT_SUFFIXES = {".json", ".xlsx"}


def write_catalog(catalog: Catalog, output: Path) -> None:
    """Write a catalog in the format its file name asks for."""
    if Path(output).suffix.lower() == ".json":
        write_catalog_json(catalog, output)
    else:
        write_workbook(catalog, output)


def ingest_paths(sources: Iterable[Path | str], output: Path, *, encoding: str | None = None, profile: str | None = None) -> ReadResult:
    """Read every readable source into one catalog and write it to ``output`` (.json or .xlsx).

    Unreadable inputs are listed in the result's ``errors``; nothing is written when none could be read.
    """
    result = read_catalog(sources, encoding=encoding, strict=False, profile=profile)
    if len(result.errors) < len(result.files):
        write_catalog(result.catalog, output)
    return result
