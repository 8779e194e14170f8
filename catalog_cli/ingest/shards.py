"""Read large flat inputs on several cores, straight to catalog-JSON lines.

A flat sheet is self-contained: its leaves hang under main items read from the same rows, and
nothing in it is linked to another sheet by code. So each sheet can be read, assembled and
serialized in a worker process, and the catalog JSON is the sheets' main-item lines in input order,
byte for byte what reading everything in one process and writing it would give. Only bytes cross
between processes; model objects never do (pickling them costs more than reading them).

When any input or sheet is not like that (a standard workbook, catalog JSON, an input-profile
table whose records link by key, or a file that cannot be read), :func:`stream_json` gives up
and the caller reads the ordinary way, which also reports the problems.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from catalog_cli.ingest.policy import set_gc_policy
from catalog_cli.model import Catalog, MainItem, record_to_dict
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding
from catalog_cli.read import WORKBOOK_SUFFIXES, ReadResult, input_files, read_grid, skipped_findings
from catalog_cli.read.assemble import CHILD_ATTRS, FlatRecords, assemble
from catalog_cli.read.grid import csv_grid, iter_grids
from catalog_cli.read.layout import Layout
from catalog_cli.read.listings import merge_listings
from catalog_cli.read.normalize import Changes
from catalog_cli.read.overlap import impl_codes_by_file, overlap_findings
from catalog_cli.read.profiles import check_profile
from catalog_cli.read.workbook import is_standard_workbook, open_workbook, sheet_names
from catalog_cli.write.json import (
    LINE_BREAK,
    json_document,
    record_lines,
    write_json_chunks,
    write_pieces,
)

MIN_BYTES = 4 * 1024 * 1024  # below this, starting processes costs more than it saves


def default_jobs() -> int:
    """Worker processes to use: the cores this process may run on, at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


@dataclass(frozen=True)
class SheetTask:
    """One sheet of a workbook (or a whole CSV file when ``sheet`` is None) for a worker, and
    where to put its lines."""

    file: str
    sheet: str | None
    encoding: str | None
    profile: str | None
    lines_file: str
    input_index: int  # which input it comes from (the same file may be given twice)
    infer: bool = True  # columns with unknown headers known by their content (read/infer.py)


@dataclass
class SheetOutcome:
    """What a worker made of one sheet (or CSV file)."""

    file: str
    sheet: str | None
    status: str  # read | skipped | linked | error
    lines: Path | None = None  # the main items' JSON lines, when there are any
    main_items: int = 0
    leaves: int = 0
    findings: list[Finding] = field(default_factory=list)
    changes: dict[tuple[str, str], int] = field(default_factory=dict)
    layout: Layout | None = None
    impl_codes: set[str] = field(default_factory=set)  # for the inputs-overlap check


@dataclass
class StreamedRead:
    """A catalog read and written straight to JSON: everything a :class:`ReadResult` says but the
    catalog itself."""

    result: ReadResult
    main_items: int = 0
    leaves: int = 0
    written: list[Finding] = field(default_factory=list)  # texts cut to fit an xlsx cell
    impl_codes: dict[str, set[str]] = field(default_factory=dict)  # each file's, in order


def process_context() -> Any:
    """Fork where there is fork: workers start at once and a caller's script is not imported again
    (spawn would run an unguarded script a second time); spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _GiveUp(Exception):
    """Some input is not for this path: read it the ordinary way."""


def _workbook(path: str) -> Any:
    """The workbook, opened once per worker process (never shared across a fork: its file offset
    would be)."""
    return _open_in_process(path, os.getpid())


@lru_cache(maxsize=1)
def _open_in_process(path: str, pid: int) -> Any:
    return open_workbook(Path(path))


def _self_contained(part: FlatRecords) -> bool:
    """Whether a sheet's records need nothing from other sheets to be assembled."""
    return (
        all(isinstance(parent, MainItem) for parent, _ in part.leaves)
        and not any(part.children[attr] for attr in CHILD_ATTRS)
        and not (
            part.keyed or part.keyed_children or part.keyed_fields or part.bundles or part.name
        )
    )


def read_sheet_task(task: SheetTask) -> SheetOutcome:
    """Worker: read one sheet (or CSV file), assemble it, write its main items' JSON lines to file.

    The lines go through a file, not back through the pipe: the parent then appends them to the
    output in the kernel, and spends no time of the cores the workers need.
    """
    path, sheet = task.file, task.sheet
    changes = Changes()
    findings: list[Finding] = []
    try:
        grid = (
            csv_grid(Path(path), task.encoding)
            if sheet is None
            else next(iter_grids(Path(path), [sheet], _workbook(path)))
        )
        found = read_grid(grid, changes, findings, task.profile, task.infer)
    except CatalogInputError:
        return SheetOutcome(path, sheet, "error")
    if found is None:
        return SheetOutcome(path, grid.sheet, "skipped")
    part, layout = found
    if not _self_contained(part):
        return SheetOutcome(path, grid.sheet, "linked")
    # self-contained: every leaf finds its main item, nothing is left over
    catalog = assemble([part])
    findings.extend(merge_listings(catalog))  # as read_catalog does: one sheet, one parent
    lines = None
    if catalog.main_items:
        lines = Path(task.lines_file)
        with lines.open("wb") as fh:
            for i, run in enumerate(record_lines(record_to_dict(m) for m in catalog.main_items)):
                write_pieces([LINE_BREAK, *run] if i else run, fh)
    return SheetOutcome(
        path,
        grid.sheet,
        "read",
        lines,
        len(catalog.main_items),
        catalog.count_leaves(),
        findings,
        dict(changes.counts),
        layout,
        set(impl_codes_by_file(catalog).get(path, ())),
    )


def _tasks(
    files: list[Path], encoding: str | None, profile: str | None, scratch: Path, infer: bool = True
) -> list[SheetTask]:
    """One task per sheet of each flat workbook and per CSV file; gives up on anything else."""
    sheets: list[tuple[int, str, str | None]] = []
    for number, path in enumerate(files):
        suffix = path.suffix.lower()
        if suffix == ".csv":
            sheets.append((number, str(path), None))
            continue
        if suffix not in WORKBOOK_SUFFIXES:
            raise _GiveUp
        try:
            names = sheet_names(path)
        except CatalogInputError:
            raise _GiveUp from None
        if is_standard_workbook(names):
            raise _GiveUp
        sheets.extend((number, str(path), name) for name in names)
    return [
        SheetTask(file, sheet, encoding, profile, str(scratch / f"{i:05d}.json"), number, infer)
        for i, (number, file, sheet) in enumerate(sheets)
    ]


def _collect(
    outcomes: Iterable[SheetOutcome], tasks: list[SheetTask], streamed: StreamedRead
) -> Iterator[Path]:
    """The main-item lines of every sheet in input order, noting findings, changes and layouts on
    the way."""
    result = streamed.result
    skipped: list[tuple[str, str]] = []
    read_in_file = False
    for index, outcome in enumerate(outcomes):
        if outcome.status in ("linked", "error"):
            raise _GiveUp
        if outcome.status == "skipped":
            skipped.append((outcome.file, outcome.sheet or ""))
        else:
            read_in_file = True
            result.findings.extend(outcome.findings)
            result.changes.counts.update(outcome.changes)
            result.layouts.append(outcome.layout)  # type: ignore[arg-type]
            streamed.main_items += outcome.main_items
            streamed.leaves += outcome.leaves
            if outcome.impl_codes:
                streamed.impl_codes.setdefault(outcome.file, set()).update(outcome.impl_codes)
            if outcome.lines is not None:
                yield outcome.lines
        if (
            index + 1 == len(tasks) or tasks[index + 1].input_index != tasks[index].input_index
        ):  # the last sheet of its file
            if not read_in_file:
                raise _GiveUp  # no sheet with a header: the ordinary path says so
            result.findings.extend(skipped_findings(skipped))
            skipped, read_in_file = [], False


def stream_json(
    paths: Iterable[Path | str],
    output: Path,
    *,
    encoding: str | None = None,
    profile: str | None = None,
    jobs: int | None = None,
    min_bytes: int | None = None,
    infer: bool = True,
) -> StreamedRead | None:
    """Read flat inputs in ``jobs`` processes and write the catalog JSON to ``output``.

    Returns None, having written nothing, when the inputs are small (under ``min_bytes``, default
    :data:`MIN_BYTES`), not all flat, or not all readable: the caller then reads them the ordinary
    way.
    """
    check_profile(profile)
    jobs = jobs or default_jobs()
    min_bytes = MIN_BYTES if min_bytes is None else min_bytes
    files, _, missing = input_files(paths, strict=False)
    if jobs < 2 or not files or sum(p.stat().st_size for p in files) < min_bytes:
        return None
    Path(output).parent.mkdir(parents=True, exist_ok=True)  # as writing in one process does
    scratch = Path(tempfile.mkdtemp(prefix=f".{Path(output).name}.", dir=Path(output).parent))
    try:
        tasks = _tasks(files, encoding, profile, scratch, infer)
        if len(tasks) < 2:
            return None
        streamed = StreamedRead(
            ReadResult(
                Catalog(), files=[str(p) for p in files] + [e.file for e in missing], errors=missing
            )
        )
        # a worker is an entry point too: the process-wide policy (a spawned one inherits nothing)
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(tasks)),
            mp_context=process_context(),
            initializer=set_gc_policy,
        ) as pool:
            try:
                write_json_chunks(
                    json_document(
                        main_item_runs=_collect(pool.map(read_sheet_task, tasks), tasks, streamed)
                    ),
                    output,
                )
            except (
                _GiveUp,
                BrokenProcessPool,
            ):  # a worker that died (out of memory, killed) gets the same answer
                pool.shutdown(wait=True, cancel_futures=True)
                return None
        streamed.result.findings.extend(overlap_findings(streamed.impl_codes))  # as read_catalog
        return streamed
    except _GiveUp:
        return None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
