"""The ingest pipeline: readers meet writers here and nowhere else.

``catalog ingest`` as a library function (read inputs, write one normalized catalog); the
parallel flat path is :mod:`catalog_cli.ingest.shards`, ``catalog normalize`` is
:mod:`catalog_cli.ingest.normalize`. This package is the one place that imports both
:mod:`catalog_cli.read` and :mod:`catalog_cli.write`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from catalog_cli.ingest.policy import set_gc_policy, set_memory_policy
from catalog_cli.ingest.shards import StreamedRead, stream_json
from catalog_cli.model import Catalog
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog
from catalog_cli.write.json import write_catalog_json
from catalog_cli.write.workbook import write_workbook

__all__ = [
    "OUTPUT_SUFFIXES",
    "StreamedRead",
    "ingest_paths",
    "set_gc_policy",
    "set_memory_policy",
    "write_catalog",
]

OUTPUT_SUFFIXES = {".json", ".xlsx"}


def write_catalog(catalog: Catalog, output: Path) -> list[Finding]:
    """Write a catalog in the format its file name asks for.

    Return a warning for every text cut to fit an xlsx cell (JSON keeps every text whole).
    """
    if Path(output).suffix.lower() == ".json":
        write_catalog_json(catalog, output)
        return []
    return write_workbook(catalog, output)


def ingest_paths(
    sources: Iterable[Path | str],
    output: Path,
    *,
    encoding: str | None = None,
    profile: str | None = None,
    jobs: int | None = None,
    versions: str = "latest",
    infer: bool = True,
) -> StreamedRead:
    """Read every readable source into one catalog and write it to ``output`` (.json or .xlsx).

    Large flat inputs going to JSON are read on ``jobs`` cores (default: all) and streamed
    straight to the file, so the result's catalog stays empty; its counts are in the result.
    Unreadable inputs are listed in the result's ``errors``; nothing is written when none could be
    read.
    """
    sources = list(sources)
    if Path(output).suffix.lower() == ".json" and jobs != 1:
        streamed = stream_json(
            sources, output, encoding=encoding, profile=profile, jobs=jobs, infer=infer
        )
        if streamed is not None:
            return streamed
    result = read_catalog(
        sources, encoding=encoding, strict=False, profile=profile, versions=versions, infer=infer
    )
    written: list[Finding] = []
    if result.catalogs_read():  # nothing is written when no file held a catalog
        written = write_catalog(result.catalog, output)
    leaves = result.catalog.count_leaves()
    return StreamedRead(result, len(result.catalog.main_items), leaves, written)
