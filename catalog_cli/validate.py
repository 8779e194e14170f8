"""``catalog validate`` as a library function: read inputs, run every check, build one report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from catalog_cli.checks import check_catalog
from catalog_cli.model import Catalog
from catalog_cli.model.findings import SEVERITIES, Finding, severity_rank
from catalog_cli.read import ReadResult, read_catalog
from catalog_cli.schema import load_schema


def sort_findings(findings: Iterable[Finding], files: list[str]) -> list[Finding]:
    """File order, then the standard sheets' order, then Excel row; rule order is kept within a row."""
    sheet_order = {s.name: i for i, s in enumerate(load_schema().sheets)}
    file_order = {f: i for i, f in enumerate(files)}
    return sorted(
        findings,
        key=lambda f: (
            file_order.get(f.file or "", len(files)),
            sheet_order.get(f.sheet or "", len(sheet_order)),
            f.sheet or "",
            f.row or 0,
        ),
    )


@dataclass(frozen=True)
class ValidationReport:
    """What ``catalog validate`` found: the findings (maybe cut to ``max_findings``) and their counts."""

    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    total: int
    by_severity: dict[str, int]
    by_code: dict[str, int]
    main_items: int = 0
    leaves: int = 0
    max_findings: int | None = None
    code_severity: dict[str, str] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    unreadable_files: tuple[str, ...] = ()

    @property
    def readable_files(self) -> list[str]:
        return [f for f in self.files if f not in self.unreadable_files]

    @property
    def truncated(self) -> bool:
        return len(self.findings) < self.total

    def failed(self, fail_on: str = "error") -> bool:
        """True when any finding is at or above ``fail_on`` (error or warning)."""
        limit = severity_rank(fail_on)
        return any(self.by_severity.get(s, 0) for s in SEVERITIES[: limit + 1])

    def summary(self) -> dict[str, Any]:
        """The counts the JSON output puts under ``summary``."""
        return {
            "files": list(self.files),
            "main_items": self.main_items,
            "leaves": self.leaves,
            "total": self.total,
            "by_severity": {s: self.by_severity.get(s, 0) for s in SEVERITIES},
            "by_code": dict(self.by_code),
            "shown": len(self.findings),
            "truncated": self.truncated,
            "max_findings": self.max_findings,
            "unreadable": list(self.errors),
        }


def build_report(
    findings: list[Finding],
    files: list[str],
    catalog: Catalog | None = None,
    max_findings: int | None = None,
) -> ValidationReport:
    """Drop repeats (a leaf standing as its own main item is checked twice), sort, count, cut."""
    unique = {(f.code, f.file, f.sheet, f.row, f.element, f.value): f for f in reversed(findings)}
    ordered = sort_findings(reversed(unique.values()), files)
    by_code = Counter(f.code for f in ordered)
    code_severity = {f.code: f.severity for f in ordered}
    return ValidationReport(
        files=tuple(files),
        findings=tuple(ordered if max_findings is None else ordered[:max_findings]),
        total=len(ordered),
        by_severity=dict(Counter(f.severity for f in ordered)),
        by_code=dict(
            sorted(
                by_code.items(), key=lambda kv: (severity_rank(code_severity[kv[0]]), -kv[1], kv[0])
            )
        ),
        main_items=len(catalog.main_items) if catalog else 0,
        leaves=catalog.count_leaves() if catalog else 0,
        max_findings=max_findings,
        code_severity=code_severity,
    )


def validate_result(
    result: ReadResult, *, max_findings: int | None = None, reference: bool = False
) -> ValidationReport:
    """Validate a catalog already read (with the findings reading made)."""
    findings = result.findings + check_catalog(result.catalog, reference=reference)
    report = build_report(findings, result.files, result.catalog, max_findings)
    return replace(
        report,
        errors=tuple(e.line() for e in result.errors),
        unreadable_files=tuple(e.file for e in result.errors),
    )


def validate_paths(
    paths: Iterable[Path | str],
    *,
    max_findings: int | None = None,
    reference: bool = False,
    encoding: str | None = None,
    strict: bool = True,
    profile: str | None = None,
) -> ValidationReport:
    """Read ``paths`` into one catalog and validate it (``strict=False``: unreadable inputs go to ``errors``)."""
    result = read_catalog(paths, encoding=encoding, strict=strict, profile=profile)
    return validate_result(result, max_findings=max_findings, reference=reference)
