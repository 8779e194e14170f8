"""Readers: files → the catalog model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from catalog_cli.model import Catalog, Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.values import cell_text
from catalog_cli.read.assemble import FlatRecords, assemble
from catalog_cli.read.flat import read_flat_grid
from catalog_cli.read.grid import Grid, csv_grid, iter_grids
from catalog_cli.read.json import read_json
from catalog_cli.read.layout import Layout
from catalog_cli.read.listings import merge_listings
from catalog_cli.read.normalize import Changes
from catalog_cli.read.overlap import overlapping_inputs
from catalog_cli.read.profiles import (
    check_profile,
    declared_schemes,
    linked_profile,
    match_table,
    read_profile_grid,
)
from catalog_cli.read.records import LINES_SUFFIXES, lines_grid, no_keys_error
from catalog_cli.read.versions import check_versions, select_versions
from catalog_cli.read.workbook import is_standard_workbook, open_workbook, read_standard_workbook

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
INPUT_SUFFIXES = WORKBOOK_SUFFIXES | {".json", ".csv"} | LINES_SUFFIXES
SUPPORTED = "xlsx、xlsm、xls、csv、json、jsonl、ndjson"  # the input types, as messages name them

__all__ = [
    "CatalogInputError",
    "Inputs",
    "ReadResult",
    "expand_inputs",
    "gather_inputs",
    "read_catalog",
]


@dataclass
class ReadResult:
    """A catalog read from one or more inputs, with the findings reading made and the files read."""

    catalog: Catalog
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    layouts: list[Layout] = field(default_factory=list)
    errors: list[CatalogInputError] = field(default_factory=list)

    def skipped(self) -> int:
        """How many files of a folder held no catalog (``file-skipped``)."""
        return len({f.file for f in self.findings if f.code == "file-skipped" and f.file})

    def catalogs_read(self) -> int:
        """How many files gave catalog data (neither unreadable nor skipped)."""
        return len(self.files) - len(self.errors) - self.skipped()


def expand_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Inputs as files: a folder stands for every workbook and JSON file in it (sorted).

    A file given twice, or reached twice through folders (the same file once resolved), is
    listed once (:func:`gather_inputs` also says which were repeated).
    """
    inputs = gather_inputs(paths, strict=True)
    return inputs.files


@dataclass
class Inputs:
    """The files the inputs stand for, each once, in the order given.

    - ``files``: the files to read (a folder's files sorted, in its place);
    - ``in_folder``: those of them found in a folder (a file there that holds no catalog is
      skipped with a warning, not an input error);
    - ``missing``: one error per input that does not exist;
    - ``repeated``: (the input, the file it repeats) for each file given or reached again,
      which is read once.
    """

    files: list[Path] = field(default_factory=list)
    in_folder: set[Path] = field(default_factory=set)
    missing: list[CatalogInputError] = field(default_factory=list)
    repeated: list[tuple[Path, Path]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Every input's name: the files, then the missing inputs."""
        return [str(p) for p in self.files] + [e.file for e in self.missing]

    def each(self, profile: str | None = None) -> list[Inputs]:
        """One :class:`Inputs` per catalog: each file its own, but the files of one input
        profile's linked tables (an interface export split into files,
        :func:`~catalog_cli.read.profiles.linked_profile`) together, where the first of them
        stands; and one per missing input."""
        ones: list[Inputs] = []
        linked: dict[str, Inputs] = {}
        for path in self.files:
            name = linked_profile(path, profile)
            if name is None:
                ones.append(Inputs([path], {path} & self.in_folder))
            elif name in linked:
                linked[name].files.append(path)
                linked[name].in_folder.update({path} & self.in_folder)
            else:
                linked[name] = Inputs([path], {path} & self.in_folder)
                ones.append(linked[name])
        return ones + [Inputs(missing=[e]) for e in self.missing]


def folder_files(path: Path) -> list[Path]:
    """The input files in a folder (sorted; hidden files and Excel's lock files left out)."""
    return sorted(
        p
        for p in path.iterdir()
        if p.suffix.lower() in INPUT_SUFFIXES
        and not p.name.startswith((".", "~$"))
        and not p.is_dir()
    )


def gather_inputs(paths: Iterable[Path | str] | Inputs, strict: bool = True) -> Inputs:
    """The files ``paths`` stand for (:class:`Inputs`); an :class:`Inputs` is taken as it is.

    With ``strict`` an input that does not exist raises, else it is listed in ``missing``.
    """
    if isinstance(paths, Inputs):
        return paths
    inputs = Inputs()
    seen: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, folder = folder_files(path), True
        elif not path.exists():
            error = CatalogInputError(str(path), "文件不存在")
            if strict:
                raise error
            inputs.missing.append(error)
            continue
        else:
            found, folder = [path], False
        for file in found:
            key = file.resolve()
            if key in seen:
                inputs.repeated.append((file, seen[key]))
                continue
            seen[key] = file
            inputs.files.append(file)
            if folder:
                inputs.in_folder.add(file)
    return inputs


def read_grid(
    grid: Grid,
    changes: Changes,
    findings: list[Finding],
    profile: str | None = None,
    infer: bool = True,
) -> tuple[FlatRecords, Layout] | None:
    """Read one sheet as a flat sheet or as a table an input profile knows.

    None when the sheet has no recognizable header.
    """
    findings.extend(grid.findings)  # what reading the file found (control characters in a CSV)
    table = match_table([cell_text(c) or "" for c in grid.rows[0]], profile) if grid.rows else None
    if table is not None:
        return read_profile_grid(grid, table, changes, findings)
    return read_flat_grid(grid, changes, findings, infer)


def no_header_error(skipped: list[tuple[str, str]]) -> CatalogInputError:
    """The error for a file none of whose sheets has a recognizable header."""
    where, sheet = skipped[0] if skipped else ("", None)
    return CatalogInputError(
        where,
        "找不到可识别的表头（前15行中没有事项名称、实施编码等要素名称）",
        sheet if len(skipped) == 1 else None,
        not_catalog=True,
    )


def skipped_findings(skipped: list[tuple[str, str]]) -> list[Finding]:
    """An info finding for each sheet skipped for want of a header.

    (Only when another sheet of its file was read.)
    """
    return [
        make_finding(
            "sheet-skipped", "info", Source(file, sheet), f"工作表“{sheet}”没有可识别的表头，已跳过"
        )
        for file, sheet in skipped
    ]


def input_files(
    paths: Iterable[Path | str], strict: bool
) -> tuple[list[Path], set[Path], list[CatalogInputError]]:
    """(the files to read, those of them found in folders, the inputs that do not exist).

    With ``strict`` a missing input raises. (:func:`gather_inputs` in a tuple.)
    """
    inputs = gather_inputs(paths, strict)
    return inputs.files, inputs.in_folder, inputs.missing


def read_flat_grids(
    grids: Iterable[Grid],
    changes: Changes,
    findings: list[Finding],
    layouts: list[Layout],
    profile: str | None = None,
    infer: bool = True,
) -> FlatRecords:
    """Read flat sheets (or tables an input profile knows).

    Sheets without a header are skipped unless no sheet has one.

    Grids are read one after the other and let go, so a large workbook need not be in memory whole.
    """
    parts = []
    skipped: list[tuple[str, str]] = []
    for grid in grids:
        found = read_grid(grid, changes, findings, profile, infer)
        if found is None:
            skipped.append((grid.file, grid.sheet))
            continue
        parts.append(found[0])
        layouts.append(found[1])
    if not parts:
        raise no_header_error(skipped)
    findings.extend(skipped_findings(skipped))
    merged = FlatRecords()
    for part in parts:
        merged.mains.extend(part.mains)
        merged.leaves.extend(part.leaves)
        merged.keyed.update(part.keyed)
        merged.keyed_children.extend(part.keyed_children)
        merged.keyed_fields.extend(part.keyed_fields)
    return merged


def read_records(
    grid: Grid,
    changes: Changes,
    findings: list[Finding],
    layouts: list[Layout],
    profile: str | None = None,
    infer: bool = True,
) -> FlatRecords:
    """Read the grid of a record export (read/records.py) as a flat sheet or a profile's table.

    Records none of whose keys names an element are not catalog data.
    """
    found = read_grid(grid, changes, findings, profile, infer)
    if found is None:
        raise no_keys_error(grid)
    layouts.append(found[1])
    return found[0]


def read_one(
    path: Path,
    changes: Changes,
    layouts: list[Layout],
    encoding: str | None = None,
    profile: str | None = None,
    infer: bool = True,
) -> tuple[FlatRecords, list[Finding]]:
    """Read one input file as flat records: standard workbook, flat sheets, CSV, catalog JSON, or
    records (JSON, JSON Lines / NDJSON) read as a flat sheet."""
    suffix = path.suffix.lower()
    findings: list[Finding] = []
    if suffix in WORKBOOK_SUFFIXES:
        wb = open_workbook(path)
        if is_standard_workbook(wb.sheet_names):
            return read_standard_workbook(path, changes, layouts, wb)
        return read_flat_grids(
            iter_grids(path, wb=wb), changes, findings, layouts, profile, infer
        ), findings
    if suffix == ".csv":
        return read_flat_grids(
            [csv_grid(path, encoding)], changes, findings, layouts, profile, infer
        ), findings
    if suffix in LINES_SUFFIXES:
        grid = lines_grid(path)
        return read_records(grid, changes, findings, layouts, profile, infer), findings
    if suffix == ".json":
        read = read_json(path, profile)
        if isinstance(read, FlatRecords):
            return read, findings
        if len(read) == 1:
            return read_records(read[0], changes, findings, layouts, profile, infer), findings
        # the tables of an interface export's items: read as the linked files of its profile
        return read_flat_grids(read, changes, findings, layouts, profile, infer), findings
    raise CatalogInputError(
        str(path),
        f"不支持的文件类型“{suffix or '无扩展名'}”（支持 {SUPPORTED}）",
    )


def file_skipped(exc: CatalogInputError) -> Finding:
    """The warning for a file in a folder that holds no catalog."""
    return make_finding("file-skipped", "warning", Source(exc.file), f"{exc.message}，已跳过")


def read_catalog(
    paths: Iterable[Path | str] | Inputs,
    *,
    encoding: str | None = None,
    strict: bool = True,
    profile: str | None = None,
    versions: str = "latest",
    infer: bool = True,
) -> ReadResult:
    """Read every input and merge them into one catalog.

    ``paths`` may be an :class:`Inputs` already gathered (one of :meth:`Inputs.each` reads one
    file as its own catalog, a folder's file still skipped when it holds no catalog). With
    ``strict`` the first unreadable input raises :class:`CatalogInputError`; otherwise each
    such input is recorded in ``errors`` and the others are still read.

    ``infer``: read a flat sheet's column with an unknown header by its content
    (read/infer.py); off, such a column is always an extra attribute.

    ``versions``: ``latest`` keeps only the latest of several versions of one item (an
    ``item-versions`` finding names the others; read/versions.py), ``all`` keeps them all.
    """
    check_profile(profile)  # a wrong name is a usage error, whatever the inputs
    check_versions(versions)
    inputs = gather_inputs(paths, strict)
    if strict and inputs.missing:
        raise inputs.missing[0]
    files, in_folder = inputs.files, inputs.in_folder
    result = ReadResult(Catalog(), files=inputs.names, errors=list(inputs.missing))
    parts: list[FlatRecords] = []
    for path in files:
        try:
            flat, found = read_one(path, result.changes, result.layouts, encoding, profile, infer)
        except CatalogInputError as exc:
            if exc.not_catalog and path in in_folder:
                # a folder may hold other files (notes, raw dumps): skip them, say so, go on
                result.findings.append(file_skipped(exc))
                continue
            if strict:
                raise
            result.errors.append(exc)
            continue
        parts.append(flat)
        result.findings.extend(found)
    result.catalog = assemble(parts)
    result.catalog.code_schemes = declared_schemes(result.layouts)
    result.findings.extend(merge_listings(result.catalog))
    result.findings.extend(select_versions(result.catalog, versions))
    if len(parts) > 1:  # one file cannot overlap itself: no pass over its leaves
        result.findings.extend(overlapping_inputs(result.catalog))
    return result
