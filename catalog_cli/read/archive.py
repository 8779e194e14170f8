"""Zip bombs: a workbook archive is checked before a reader inflates it.

An xlsx / xlsm is a zip archive. Before python-calamine, fastexcel (or, for the annotated copies
of ``validate -f xlsx``, openpyxl) reads one, :func:`check_archive` reads its central directory
with :mod:`zipfile` (nothing is inflated) and refuses it when (the bounds are data, in
``schemas/archive-limits.json``)

- the members together would inflate to more than the limit (default 1 GiB; the bench workbook of
  100,000 leaves inflates to 0.92 GiB), raised for a run with ``catalog --max-uncompressed 2GB``
  (the command line calls :func:`set_max_uncompressed`; library callers may too, or pass
  ``max_uncompressed``); or
- one member over :data:`RATIO_FLOOR` (16 MiB) inflates to more than :data:`MAX_RATIO` (100)
  times its compressed size. Worksheet XML compresses 8–17:1 (samples, bench, real data); a
  stream of zeros compresses 1000:1.

The sizes are those the archive declares; a reader that finds more than declared stops with a
corrupt-archive error. A file that is not a zip archive (an xls, a damaged file) passes: its reader
says what is wrong with it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.schema import resource_dir

LIMITS_FILE = "archive-limits.json"  # the bounds are data, in schemas/
_LIMITS = json.loads((resource_dir("schemas") / LIMITS_FILE).read_text(encoding="utf-8"))
DEFAULT_MAX_UNCOMPRESSED: int = _LIMITS["max_uncompressed_bytes"]  # 1 GiB
MAX_RATIO: int = _LIMITS["max_ratio"]  # 100
RATIO_FLOOR: int = _LIMITS["ratio_floor_bytes"]  # 16 MiB: smaller members compress as they like

settings = {"max_uncompressed": DEFAULT_MAX_UNCOMPRESSED}


def set_max_uncompressed(size: int) -> None:
    """Set the limit :func:`check_archive` applies when not given one (for this process and the
    worker processes it forks)."""
    settings["max_uncompressed"] = size


def size_text(size: float) -> str:
    """A size as people read it: “1.5 GB”, “800 MB” (binary units)."""
    for unit, factor in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{int(size)} 字节"


def check_archive(path: Path | str, max_uncompressed: int | None = None) -> None:
    """Raise :class:`CatalogInputError` when the zip archive at ``path`` looks like a zip bomb.

    Only the central directory is read. ``max_uncompressed`` defaults to the process setting.
    """
    limit = settings["max_uncompressed"] if max_uncompressed is None else max_uncompressed
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return  # not a zip archive: the reader says what it is
    total = 0
    for member in members:
        total += member.file_size
        size = member.file_size
        if size > RATIO_FLOOR and size > MAX_RATIO * max(member.compress_size, 1):
            raise CatalogInputError(
                str(path),
                f"压缩包中的 {member.filename} 解压后 {size_text(size)}，是压缩后大小的 "
                f"{size // max(member.compress_size, 1):,} 倍（上限 {MAX_RATIO} 倍），"
                "像是“压缩炸弹”，未读取",
            )
    if total > limit:
        raise CatalogInputError(
            str(path),
            f"解压后共 {size_text(total)}，超过上限 {size_text(limit)}，未读取"
            "（确是目录数据时可用 catalog --max-uncompressed 调高上限，如 --max-uncompressed 2GB）",
        )
