"""Time the standard-workbook writer against xlsxwriter alone writing the same cells.

Usage: python bench/write_probe.py CATALOG.json OUT_DIR — prints one JSON line
{"writer_s": …, "xlsxwriter_s": …, "ratio": …, "rows": …}. Both write with constant_memory; the
bare run gets the cell values precomputed, so the difference is what the writer adds.

The bare write runs before and after the writer and counts as the mean of the two: a machine whose
speed drifts over the minutes these take (virtual machines do) then shifts both sides alike.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import xlsxwriter

from catalog_cli.ingest.policy import set_gc_policy
from catalog_cli.model.values import format_value
from catalog_cli.read import read_catalog
from catalog_cli.schema import load_schema, time_unit_of
from catalog_cli.write.workbook import _sheet_rows, write_workbook


def sheet_cells(catalog) -> dict[str, list[list[object]]]:
    """Every sheet's rows as the writer would put them, computed up front."""
    schema = load_schema()
    out = {}
    for sheet in schema.sheets:
        record = schema.records[sheet.record]
        keys = ([sheet.parent] if sheet.parent else []) + list(sheet.columns)
        rows = []
        for parent, _parent_key, _own_key, item in _sheet_rows(catalog, sheet):
            rows.append(
                [
                    parent
                    if k == sheet.parent
                    else format_value(record.fields[k], getattr(item, k), time_unit_of)
                    for k in keys
                ]
            )
        out[sheet.name] = [[title for _, title in schema.header_titles(sheet)], *rows]
    return out


def bare_write(cells: dict[str, list[list[object]]], path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for name, rows in cells.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
    wb.close()


def main() -> int:
    set_gc_policy()  # a process entry point, as the command line is
    catalog = read_catalog([sys.argv[1]]).catalog
    out = Path(sys.argv[2])
    cells = sheet_cells(catalog)
    t0 = time.perf_counter()
    bare_write(cells, out / "bare.xlsx")
    t1 = time.perf_counter()
    write_workbook(catalog, out / "writer.xlsx", links=False)  # the cells xlsxwriter writes
    t2 = time.perf_counter()
    bare_write(cells, out / "bare.xlsx")
    t3 = time.perf_counter()
    bare = ((t1 - t0) + (t3 - t2)) / 2
    result = {
        "writer_s": round(t2 - t1, 2),
        "xlsxwriter_s": round(bare, 2),
        "ratio": round((t2 - t1) / bare, 3),
        "xlsxwriter_runs_s": [round(t1 - t0, 2), round(t3 - t2, 2)],
        "rows": sum(len(rows) for rows in cells.values()),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
