"""Time reading the flat rendering with column inference on against off, in one process.

Usage: python bench/infer_probe.py FLAT.xlsx — prints one JSON line
{"on_s": …, "off_s": …, "ratio": …, "infer_s": …, "runs_s": {…}, "inferred": …, "guessed": …}.

The bench rendering names every column by an alias, which leaves inference nothing to do. So the
grids are read once and a copy gets six headers renamed to names no alias knows (RENAMED): four
of them inference maps by content (基本编码, 事项类型, 行使层级, 实施主体编码), one it only guesses
(是否收费: yes / no) and one it leaves alone (特别程序: free text).

- off: the original grids with inference off (the columns are known by their headers);
- on: the renamed grids with inference on (the same columns known by their content).

Both read the same catalog, so the ratio is what knowing columns by content costs over knowing
them by header. Each read takes fresh copies of the grids (``read_flat_grids``; the file parse,
the same either way, is left out, which makes the ratio stricter). After one uncounted warm-up
read the runs alternate off, on, off, on, off; the ratio is the on seconds over the mean of the
off runs around each.
``infer_s`` is the time spent inside ``infer_columns`` in the on runs.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from catalog_cli.ingest.policy import set_gc_policy
from catalog_cli.read import flat, read_flat_grids
from catalog_cli.read.grid import Grid, workbook_grids
from catalog_cli.read.layout import HEADER_SCAN_ROWS
from catalog_cli.read.normalize import Changes

RENAMED = {
    "基本编码": "ml_bm",
    "事项类型": "sx_lx",
    "行使层级": "use_level",
    "实施主体编码": "tyxydm",
    "是否收费": "sfsf",
    "特别程序": "tbcx",
}


def renamed(grids: list[Grid]) -> list[Grid]:
    """The grids with the RENAMED header cells renamed (within the first rows)."""
    for grid in grids:
        for row in grid.rows[: HEADER_SCAN_ROWS + 1]:
            for j, cell in enumerate(row):
                if isinstance(cell, str) and cell in RENAMED:
                    row[j] = RENAMED[cell]
    return grids


def read(grids: list[Grid], infer: bool) -> tuple[float, list]:
    """Seconds to read fresh copies of the grids, and the findings."""
    copies = [replace(g, rows=[list(r) for r in g.rows], findings=[]) for g in grids]
    findings: list = []
    t0 = time.perf_counter()
    read_flat_grids(copies, Changes(), findings, [], None, infer)
    return time.perf_counter() - t0, findings


def timed_inference() -> list[float]:
    """Time every ``infer_columns`` call the flat reader makes (seconds, appended per call)."""
    spent: list[float] = []
    inner = flat.infer_columns

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - t0)

    flat.infer_columns = wrapper
    return spent


PAIRS = 2


def main() -> int:
    set_gc_policy()  # a process entry point, as the command line is
    original = workbook_grids(Path(sys.argv[1]))
    grids = renamed([replace(g, rows=[list(r) for r in g.rows]) for g in original])
    read(original, False)  # warm-up, not counted: the first read pays for lazy imports and caches
    spent = timed_inference()
    off_runs, on_runs, findings = [read(original, False)[0]], [], []
    for _ in range(PAIRS):
        seconds, findings = read(grids, True)
        on_runs.append(seconds)
        off_runs.append(read(original, False)[0])
    on = sum(on_runs)
    off = sum((a + b) / 2 for a, b in itertools.pairwise(off_runs))
    result = {
        "on_s": round(on / PAIRS, 3),
        "off_s": round(off / PAIRS, 3),
        "ratio": round(on / off, 3),
        "infer_s": round(sum(spent) / PAIRS, 4),
        "runs_s": {"off": [round(t, 3) for t in off_runs], "on": [round(t, 3) for t in on_runs]},
        "inferred": sum(f.code == "column-inferred" for f in findings),
        "guessed": sum(f.code == "column-guess" for f in findings),
        "sheets": len(grids),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
