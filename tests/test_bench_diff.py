"""The diff bench's own generator: every drift it plants in a derived county is found by
``catalog diff`` exactly (the bench's self-check, run here on a small city so it cannot rot)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from helpers import REPO
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.write.workbook import write_workbook

sys.path.insert(0, str(REPO / "bench"))
import bench_diff

LEAVES, SEED = 400, 7


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], dict]:
    """A city of LEAVES leaves and two counties derived from it, written as workbooks."""
    folder = tmp_path_factory.mktemp("bench-diff")
    city = folder / "city.xlsx"
    write_workbook(bench_diff.city_catalog(LEAVES, SEED), city, links=False)
    plan: dict = {"leaves": LEAVES, "counties": {}}
    books = []
    for number in (1, 2):
        county = bench_diff.derive_county(bench_diff.city_catalog(LEAVES, SEED), number, SEED)
        book = folder / f"{county.name}.xlsx"
        write_workbook(county.catalog, book, links=False)
        books.append(book)
        plan["counties"][book.stem] = {
            "deviations": dict(sorted(county.planted.items())),
            "unclaimed": county.unclaimed,
            "county_only": county.county_only,
            "matched": LEAVES - county.unclaimed,
        }
    return city, books, plan


def test_every_drift_kind_is_planted(planted: tuple[Path, list[Path], dict]) -> None:
    _, _, plan = planted
    kinds = {kind for _, kind in bench_diff.DRIFT.values() if kind}
    for entry in plan["counties"].values():
        assert set(entry["deviations"]) == kinds
        assert entry["unclaimed"] > 0 and entry["county_only"] > 0


def test_the_diff_finds_exactly_what_was_planted(planted: tuple[Path, list[Path], dict]) -> None:
    city, books, plan = planted
    result = CliRunner().invoke(app, ["diff", str(city), *map(str, books), "-f", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert bench_diff.check_plan(report, plan) == []
    first = report["counties"][0]
    assert Counter(d["kind"] for d in first["deviations"])["promise-longer"] > 0


def test_the_self_check_sees_a_missed_deviation(planted: tuple[Path, list[Path], dict]) -> None:
    city, books, plan = planted
    result = CliRunner().invoke(app, ["diff", str(city), str(books[0]), "-f", "json"])
    report = json.loads(result.stdout)
    report["counties"][0]["deviations"].pop()
    report["counties"][0]["county_only"].pop()
    one = {"counties": {books[0].stem: plan["counties"][books[0].stem]}}
    problems = bench_diff.check_plan(report, one)
    assert len(problems) == 2 and "county_only" in problems[1]
