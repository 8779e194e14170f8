"""``catalog normalize`` as a library function: read messy inputs, write the standard workbook,
and return what was read and changed (presented by :mod:`catalog_cli.report.normalize`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog_cli.ingest import write_catalog
from catalog_cli.model.findings import Finding
from catalog_cli.read import ReadResult, read_catalog


@dataclass(frozen=True)
class NormalizeReport:
    """What normalizing did: the catalog read (with changes, layouts, unreadable inputs) and where
    it was written."""

    result: ReadResult
    output: Path | None
    written: list[Finding] = field(default_factory=list)  # texts cut to fit an xlsx cell


def normalize_paths(
    sources: Iterable[Path | str],
    output: Path | None,
    *,
    encoding: str | None = None,
    profile: str | None = None,
    versions: str = "latest",
    infer: bool = True,
) -> NormalizeReport:
    """Read every readable source into one catalog and write it (standard workbook or JSON) to
    ``output``."""
    result = read_catalog(
        sources, encoding=encoding, strict=False, profile=profile, versions=versions, infer=infer
    )
    written: list[Finding] = []
    if output is not None and result.catalogs_read():  # none held a catalog: nothing written
        written = write_catalog(result.catalog, output)
    return NormalizeReport(result, output, written)
