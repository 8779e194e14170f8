"""Write the tool's own catalog JSON."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from catalog_cli.model import Catalog, record_to_dict
from catalog_cli.schema import FORMAT
from catalog_cli.write.atomic import atomic_file

ORPHAN_CHILDREN = ("situations", "materials", "steps", "fees")
CHUNK = 2000


def _document(catalog: Catalog | None) -> dict[str, Any]:
    """The document's shape, its record arrays left as iterators (dicts).

    Written once, used by both forms below.
    """
    data: dict[str, Any] = {"format": FORMAT}
    if catalog is not None and catalog.name:
        data["name"] = catalog.name
    data["main_items"] = (
        (record_to_dict(m) for m in catalog.main_items) if catalog is not None else iter(())
    )
    if catalog is not None and catalog.bundles:
        data["bundles"] = (record_to_dict(b) for b in catalog.bundles)
    orphans = catalog.orphans if catalog is not None else None
    if orphans:
        data["orphans"] = {"leaves": (record_to_dict(x) for x in orphans.leaves)}
        for attr in ORPHAN_CHILDREN:
            data["orphans"][attr] = (
                {"impl_code": code, "record": record_to_dict(r)}
                for code, r in getattr(orphans, attr)
            )
    return data


def _materialize(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _materialize(v) for k, v in value.items()}
    return value if isinstance(value, str) else list(value)


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    """The JSON form of a catalog, as ``schemas/catalog.schema.json`` describes it."""
    return _materialize(_document(catalog))


def record_lines(records: Iterable[Any]) -> Iterator[list[bytes]]:
    """Records as JSON, one per line, in runs of up to :data:`CHUNK` lines.

    Each run is the lines with “,\\n” between them.
    """
    run: list[bytes] = []
    for record in records:
        if run:
            run.append(LINE_BREAK)
        run.append(orjson.dumps(record))
        if len(run) == 2 * CHUNK - 1:
            yield run
            run = []
    if run:
        yield run


LINE_BREAK = b",\n"
Run = (
    bytes | list[bytes] | Path
)  # bytes, pieces of bytes to write one after another, or a file whose contents to copy


def _array(runs: Iterable[Run]) -> Iterator[Run]:
    """A JSON array, one element per line, from runs of lines (each non-empty)."""
    yield b"[\n"
    first = True
    for run in runs:
        if run:
            if not first:
                yield LINE_BREAK
            yield run
            first = False
    yield b"\n]"


def _object(data: dict[str, Any], main_item_runs: Iterable[Run] | None = None) -> Iterator[Run]:
    """A JSON object whose record arrays are written one record per line."""
    for index, (key, value) in enumerate(data.items()):
        yield (b"{" if index == 0 else b",\n") + orjson.dumps(key) + b": "
        if isinstance(value, str):
            yield orjson.dumps(value)
        elif isinstance(value, dict):
            yield from _object(value)
        else:
            yield from _array(
                main_item_runs
                if key == "main_items" and main_item_runs is not None
                else record_lines(value)
            )
    yield b"}"


def json_document(
    catalog: Catalog | None = None, main_item_runs: Iterable[Run] | None = None
) -> Iterator[Run]:
    """The catalog JSON document as byte chunks, one record per line.

    The same document as :func:`catalog_to_json`; main items from ``main_item_runs`` when given.
    """
    yield from _object(_document(catalog), main_item_runs)
    yield b"\n"


def write_json_chunks(chunks: Iterable[Run], path: Path) -> None:
    """Write byte chunks to ``path`` atomically.

    A chunk is a piece of bytes, or a file whose contents are copied in.
    """
    with atomic_file(Path(path)) as fh:
        for chunk in chunks:
            if isinstance(chunk, Path):
                append_file(chunk, fh)
            elif isinstance(chunk, list):
                write_pieces(chunk, fh)
            else:
                fh.write(chunk)


def write_pieces(pieces: list[bytes], target: BinaryIO) -> None:
    """Write byte strings one after another without joining them first (``os.writev``: a run of
    catalog lines is tens of MB, and copying it once more costs as much as writing it)."""
    if not hasattr(os, "writev"):  # Windows
        target.write(b"".join(pieces))
        return
    target.flush()
    fd = target.fileno()
    for start in range(0, len(pieces), _IOV_MAX):
        batch = pieces[start : start + _IOV_MAX]
        written = os.writev(fd, batch)
        if written < sum(map(len, batch)):  # a short write (a signal): the rest the ordinary way
            rest = memoryview(b"".join(batch))[written:]
            while rest:
                rest = rest[os.write(fd, rest) :]
    target.seek(0, os.SEEK_END)


def _iov_max() -> int:
    """How many buffers one ``writev`` call takes here.

    POSIX guarantees 16; Linux and macOS take 1024.
    """
    try:
        return max(16, os.sysconf("SC_IOV_MAX"))
    except (AttributeError, ValueError, OSError):
        return 16


_IOV_MAX = _iov_max()


def write_catalog_json(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` as JSON at ``path`` atomically: UTF-8, one main item per line."""
    write_json_chunks(json_document(catalog), path)


def append_file(source: Path, target: BinaryIO) -> None:
    """Append a file's contents to an open file, copying in the kernel where the platform allows."""
    target.flush()
    with source.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        copied = _copy_in_kernel(fh.fileno(), target.fileno(), size)
        target.seek(0, os.SEEK_END)
        if copied < size:
            fh.seek(copied)
            shutil.copyfileobj(fh, target)


def _copy_in_kernel(source: int, target: int, size: int) -> int:
    """Bytes copied with ``copy_file_range`` (Linux); 0 where it is not available."""
    copied = 0
    try:
        while copied < size:
            n = os.copy_file_range(source, target, size - copied)
            if n == 0:
                break
            copied += n
    except (AttributeError, OSError):  # macOS, Windows, or a file system that will not
        pass
    return copied
