"""Small helpers shared by the rule tests."""

from __future__ import annotations

from pathlib import Path

from catalog_cli.model.findings import Finding
from catalog_cli.validate import validate_paths


def findings_of(path: Path) -> list[Finding]:
    return list(validate_paths([path]).findings)


def located(findings: list[Finding]) -> set[tuple[str, str | None, int | None, str | None]]:
    """(code, sheet, row, element) of each finding."""
    return {(f.code, f.sheet, f.row, f.element) for f in findings}
