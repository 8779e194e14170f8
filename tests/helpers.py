"""Small helpers shared by the rule tests."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from catalog_cli.analyses.validate import ValidationResult, validate
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SAMPLE_WORKBOOKS = (
    "市级目录.xlsx",
    "县级目录-东湖县.xlsx",
    "县级目录-西山县.xlsx",
    "市级目录-2021版.xlsx",
)
BENCH_WORKBOOK = "catalog-n20000-s20240101-g3.xlsx"


def bench_workbook(name: str = BENCH_WORKBOOK) -> Path:
    """A 20k-leaf bench workbook (the standard one, or ``name``: its flat rendering) from
    ``bench/.cache`` or the folder ``$CATALOG_BENCH_CACHE`` names; the test is skipped when it
    has not been built."""
    import pytest

    folders = [REPO / "bench" / ".cache"]
    if os.environ.get("CATALOG_BENCH_CACHE"):
        folders.insert(0, Path(os.environ["CATALOG_BENCH_CACHE"]))
    for folder in folders:
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"{name} is not cached (python bench/bench_validate.py --leaves 20000)")


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
