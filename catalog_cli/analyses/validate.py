"""Validation as an analysis: a catalog already read in, every check run, one plain result out.

Reading the inputs is the caller's job (``catalog_cli.read.read_catalog``); this module never
opens a file. Its sentences, tables and JSON shape are built in ``catalog_cli.report.validate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from catalog_cli.checks import check_catalog, check_workbook_tables
from catalog_cli.model import Catalog, Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import SEVERITIES, Finding, make_finding, severity_rank
from catalog_cli.schema import load_schema

if TYPE_CHECKING:  # analyses never import readers: the tables come from the caller
    from catalog_cli.read.tables import WorkbookTables

__all__ = [
    "FileSummary",
    "ValidationResult",
    "combine_results",
    "empty_catalog_finding",
    "sort_findings",
    "unique_findings",
    "validate",
    "validate_tables",
]


EMPTY_CATALOG = "empty-catalog"
SKIPPED = "file-skipped"  # the reading finding of a folder's file that holds no catalog


@dataclass(frozen=True)
class FileSummary:
    """One input file validated as its own catalog: its counts and findings per severity.

    ``read`` is False for a file that could not be read or was skipped (it holds no catalog).
    """

    file: str
    main_items: int
    leaves: int
    by_severity: dict[str, int]
    read: bool = True
    unreadable: bool = False


@dataclass(frozen=True)
class ValidationResult:
    """What validation found: the findings (maybe cut to ``max_findings``) and their counts.

    ``total``, ``by_severity`` and ``by_code`` always count every finding; ``errors`` holds one
    line per unreadable input and ``unreadable_files`` those inputs' files.
    """

    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    total: int
    by_severity: dict[str, int]
    by_code: dict[str, int]
    code_severity: dict[str, str] = field(default_factory=dict)
    main_items: int = 0
    leaves: int = 0
    max_findings: int | None = None
    errors: tuple[str, ...] = ()
    unreadable_files: tuple[str, ...] = ()
    per_file: tuple[FileSummary, ...] = ()
    catalogs_read: int = 1  # how many catalogs were read (0: nothing was, not a pass)

    @property
    def readable_files(self) -> list[str]:
        """The inputs that were read (in input order)."""
        return [f for f in self.files if f not in self.unreadable_files]

    @property
    def shown(self) -> int:
        """How many findings are listed."""
        return len(self.findings)

    @property
    def truncated(self) -> bool:
        """True when the list was cut to ``max_findings``."""
        return len(self.findings) < self.total

    def failed(self, fail_on: str = "error") -> bool:
        """True when any finding is at or above ``fail_on`` (error or warning)."""
        limit = severity_rank(fail_on)
        return any(self.by_severity.get(s, 0) for s in SEVERITIES[: limit + 1])


def sort_findings(findings: Iterable[Finding], files: Iterable[str]) -> list[Finding]:
    """File order, then the standard sheets' order, then Excel row; rule order kept within a row."""
    sheet_order = {s.name: i for i, s in enumerate(load_schema().sheets)}
    file_order = {f: i for i, f in enumerate(files)}
    return sorted(
        findings,
        key=lambda f: (
            file_order.get(f.file or "", len(file_order)),
            sheet_order.get(f.sheet or "", len(sheet_order)),
            f.sheet or "",
            f.row or 0,
        ),
    )


def unique_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Drop repeats (a leaf standing as its own main item is checked twice).

    Of equal findings the first is kept, placed where the last one stood.
    """
    unique = {
        (f.code, f.file, f.sheet, f.row, f.element, f.value): f for f in reversed(list(findings))
    }
    return list(reversed(unique.values()))


def code_counts(findings: list[Finding]) -> tuple[dict[str, int], dict[str, str]]:
    """(findings per rule: errors first, then the commonest, then by code; each rule's severity)."""
    counts = Counter(f.code for f in findings)
    code_severity = {f.code: f.severity for f in findings}
    by_code = dict(
        sorted(counts.items(), key=lambda kv: (severity_rank(code_severity[kv[0]]), -kv[1], kv[0]))
    )
    return by_code, code_severity


def validate(
    catalog: Catalog,
    *,
    files: Iterable[str],
    reading_findings: Iterable[Finding] = (),
    max_findings: int | None = None,
    reference: bool = False,
    errors: Iterable[CatalogInputError] = (),
) -> ValidationResult:
    """Run every check on ``catalog`` and count the findings with those reading made.

    ``files`` are the inputs in order (the unreadable ones too), ``errors`` the inputs that could
    not be read; the list is cut to ``max_findings``, the counts are not.
    """
    found = list(reading_findings) + check_catalog(catalog, reference=reference)
    counts = (len(catalog.main_items), catalog.count_leaves())
    files, errors = tuple(files), tuple(errors)
    read = catalog_files(files, found, errors)
    if counts == (0, 0) and read:
        found.append(empty_catalog_finding(read))
    return _result(found, files, counts, max_findings, errors, catalogs=1 if read else 0)


def validate_tables(
    tables: WorkbookTables, *, files: Iterable[str], max_findings: int | None = None
) -> ValidationResult:
    """Validate a standard workbook read as tables: the same result :func:`validate` gives for
    the catalog read from the same file (``tests/test_validate_tables.py`` holds the two
    together), computed on columns instead of records."""
    found = list(tables.findings) + check_workbook_tables(tables)
    counts = tuple(
        tables.tables[r].table.num_rows if r in tables.tables else 0 for r in ("main_item", "leaf")
    )
    files = tuple(files)
    if counts == (0, 0):
        found.append(empty_catalog_finding(list(files)))
    return _result(found, files, counts, max_findings, ())  # type: ignore[arg-type]


def catalog_files(
    files: Iterable[str], found: Iterable[Finding], errors: Iterable[CatalogInputError]
) -> list[str]:
    """The files that were read as (part of) the catalog: not unreadable, not skipped."""
    left = {e.file for e in errors} | {f.file for f in found if f.code == SKIPPED}
    return [f for f in files if f not in left]


def empty_catalog_finding(files: list[str]) -> Finding:
    """The warning for a catalog with no main item and no leaf (the empty template, say)."""
    many = len(files) > 1
    where = f"这 {len(files)} 个文件合起来" if many else "文件中"
    return make_finding(
        EMPTY_CATALOG,
        "warning",
        None if many else Source(files[0]),
        f"目录为空：{where}没有任何主项和子项（空白模板？），没有可校验的事项",
    )


def file_summary(result: ValidationResult) -> FileSummary:
    """The summary of a result for one file."""
    return FileSummary(
        file=result.files[0] if result.files else "",
        main_items=result.main_items,
        leaves=result.leaves,
        by_severity=dict(result.by_severity),
        read=result.catalogs_read > 0,
        unreadable=bool(result.errors),
    )


def combine_results(
    results: Iterable[ValidationResult], max_findings: int | None = None
) -> ValidationResult:
    """Results of files validated each as its own catalog, as one result with a line per file.

    The findings keep their file and their order (file by file); the counts add up; the list is
    cut to ``max_findings``. Each result should be uncut (``max_findings`` None).
    """
    results = list(results)
    found = [f for r in results for f in r.findings]
    by_code, code_severity = code_counts(found)
    severities = Counter(f.severity for f in found)
    return ValidationResult(
        files=tuple(f for r in results for f in r.files),
        findings=tuple(found if max_findings is None else found[:max_findings]),
        total=len(found),
        by_severity={s: severities.get(s, 0) for s in SEVERITIES},
        by_code=by_code,
        code_severity=code_severity,
        main_items=sum(r.main_items for r in results),
        leaves=sum(r.leaves for r in results),
        max_findings=max_findings,
        errors=tuple(e for r in results for e in r.errors),
        unreadable_files=tuple(f for r in results for f in r.unreadable_files),
        per_file=tuple(file_summary(r) for r in results),
        catalogs_read=sum(r.catalogs_read for r in results),
    )


def _result(
    found: list[Finding],
    files: tuple[str, ...],
    counts: tuple[int, int],
    max_findings: int | None,
    errors: tuple[CatalogInputError, ...],
    catalogs: int = 1,
) -> ValidationResult:
    """Sort, de-duplicate and count the findings; cut the list to ``max_findings``."""
    ordered = sort_findings(unique_findings(found), files)
    by_code, code_severity = code_counts(ordered)
    severities = Counter(f.severity for f in ordered)
    return ValidationResult(
        files=files,
        findings=tuple(ordered if max_findings is None else ordered[:max_findings]),
        total=len(ordered),
        by_severity={s: severities.get(s, 0) for s in SEVERITIES},
        by_code=by_code,
        code_severity=code_severity,
        main_items=counts[0],
        leaves=counts[1],
        max_findings=max_findings,
        errors=tuple(e.line() for e in errors),
        unreadable_files=tuple(e.file for e in errors),
        catalogs_read=catalogs,
    )
