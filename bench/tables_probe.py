"""Probe for docs/tables.md: time the table path against today's path, and compare column libraries.

``python bench/tables_probe.py steps WORKBOOK --rounds 3`` runs each step in a fresh process,
rounds interleaved, and prints min / median / max of wall and CPU seconds:

- ``calamine``: python-calamine ``to_python()`` of every sheet
- ``fastexcel``: fastexcel read of every sheet into Arrow (strings)
- ``tables``: ``read_tables`` + column element checks
- ``reference``: ``read_catalog`` + ``check_elements`` (today's fast path)

``python bench/tables_probe.py libraries WORKBOOK`` times one text-column screen (distinct values,
length, pattern, failing rows) in pyarrow.compute, polars and pandas (Arrow-backed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

STEPS = ("calamine", "fastexcel", "tables", "reference")


def run_step(step: str, path: str) -> None:
    """One step, in this process; prints wall and CPU seconds of the step alone."""
    if step == "calamine":
        import python_calamine

        start, cpu = time.perf_counter(), time.process_time()
        wb = python_calamine.CalamineWorkbook.from_path(path)
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    elif step == "fastexcel":
        import fastexcel

        start, cpu = time.perf_counter(), time.process_time()
        reader = fastexcel.read_excel(path)
        for name in reader.sheet_names:
            reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string").to_arrow()
    elif step == "tables":
        from catalog_cli.checks.columns import check_tables
        from catalog_cli.read.tables import read_tables

        start, cpu = time.perf_counter(), time.process_time()
        tables = read_tables(path)
        read_cpu = time.process_time() - cpu
        found = check_tables(tables)
        print(f"read_cpu={read_cpu:.3f} findings={len(found)}", file=sys.stderr)
    elif step == "reference":
        from catalog_cli.checks.elements import check_elements
        from catalog_cli.read import read_catalog

        start, cpu = time.perf_counter(), time.process_time()
        catalog = read_catalog([path]).catalog
        read_cpu = time.process_time() - cpu
        found = check_elements(catalog)
        print(f"read_cpu={read_cpu:.3f} findings={len(found)}", file=sys.stderr)
    else:
        raise SystemExit(f"unknown step {step}")
    print(f"{time.perf_counter() - start:.3f} {time.process_time() - cpu:.3f}")


def steps(path: str, rounds: int) -> None:
    """Every step in a fresh process, rounds interleaved; a table of min / median / max."""
    times: dict[str, list[tuple[float, float]]] = {s: [] for s in STEPS}
    for _ in range(rounds):
        for step in STEPS:
            out = subprocess.run(
                [sys.executable, __file__, "one", step, path],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONPATH": str(REPO)},
            )
            wall, cpu = map(float, out.stdout.split())
            times[step].append((wall, cpu))
            print(step, wall, cpu, out.stderr.strip(), file=sys.stderr)
    print("| step | wall min / median / max (s) | CPU min / median / max (s) |")
    print("|---|---|---|")
    for step, pairs in times.items():
        cells = []
        for values in (sorted(p[0] for p in pairs), sorted(p[1] for p in pairs)):
            cells.append(f"{values[0]:.2f} / {statistics.median(values):.2f} / {values[-1]:.2f}")
        print(f"| {step} | {cells[0]} | {cells[1]} |")


def libraries(path: str, repeat: int = 5) -> None:
    """The same text-column screen in pyarrow.compute, polars and pandas; best of ``repeat``."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc

    from catalog_cli.read.tables import read_tables

    table = read_tables(path).tables["leaf"].table
    column = table["consult"].combine_chunks()  # ~distinct per row; pattern and minLength
    pattern, limit = "([0-9]{7,}|12345)", 100

    def arrow() -> list[int]:
        encoded = pc.dictionary_encode(column)
        values = encoded.dictionary
        bad = pc.or_(
            pc.greater(pc.utf8_length(values), limit),
            pc.invert(pc.match_substring_regex(values, pattern)),
        )
        ids = pc.indices_nonzero(bad)
        return pc.indices_nonzero(pc.is_in(encoded.indices, value_set=ids)).to_pylist()

    frame = pl.from_arrow(pa.table({"v": column}))

    def polars() -> list[int]:
        distinct = frame.select(pl.col("v").unique())
        bad = distinct.filter(
            (pl.col("v").str.len_chars() > limit) | ~pl.col("v").str.contains(pattern)
        )["v"]
        return frame.with_row_index().filter(pl.col("v").is_in(bad.implode()))["index"].to_list()

    series = pd.Series(pd.arrays.ArrowExtensionArray(column))

    def pandas() -> list[int]:
        codes, uniques = pd.factorize(series)
        uniques = pd.Series(uniques)
        bad = (uniques.str.len() > limit) | ~uniques.str.contains(pattern, regex=True)
        wanted = set(bad[bad.fillna(False)].index)
        return [i for i, c in enumerate(codes) if c in wanted]

    results = {}
    for name, fn in (("pyarrow.compute", arrow), ("polars", polars), ("pandas", pandas)):
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            rows = fn()
            best = min(best, time.perf_counter() - start)
        results[name] = rows
        print(f"| {name} | {best * 1000:.1f} ms | {len(rows)} failing rows |")
    assert len({tuple(sorted(r)) for r in results.values()}) == 1, "libraries disagree"
    start = time.perf_counter()
    distinct_values = pc.unique(column).to_pylist()
    from catalog_cli.read.values import convert_distinct
    from catalog_cli.schema import load_schema

    convert_distinct(load_schema().records["leaf"].fields["consult"], distinct_values)
    print(
        f"| convert_distinct of the same column | {(time.perf_counter() - start) * 1000:.1f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("steps", "one", "libraries"))
    parser.add_argument("args", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    ns = parser.parse_args()
    if ns.mode == "one":
        run_step(ns.args[0], ns.args[1])
    elif ns.mode == "steps":
        steps(ns.args[0], ns.rounds)
    else:
        libraries(ns.args[0])


if __name__ == "__main__":
    main()
