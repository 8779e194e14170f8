"""Small helpers shared by the rule tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from catalog_cli.analyses.validate import ValidationResult, validate
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog


def validate_files(
    paths: Iterable[Path | str], *, max_findings: int | None = None, **read_options: Any
) -> ValidationResult:
    """Read ``paths`` (strictly unless told otherwise) and validate the catalog, as the CLI does."""
    read = read_catalog(paths, **read_options)
    return validate(
        read.catalog,
        files=read.files,
        reading_findings=read.findings,
        max_findings=max_findings,
        errors=read.errors,
    )


def findings_of(path: Path) -> list[Finding]:
    return list(validate_files([path]).findings)


def located(findings: list[Finding]) -> set[tuple[str, str | None, int | None, str | None]]:
    """(code, sheet, row, element) of each finding."""
    return {(f.code, f.sheet, f.row, f.element) for f in findings}
