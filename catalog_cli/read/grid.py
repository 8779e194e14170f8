"""Sheets as plain grids of cell values: workbooks (xlsx, xlsm, xls) via calamine, CSV via the
csv module.

A grid keeps the rows as Excel numbers them (index 0 is row 1) and its merged ranges, so that
layout detection can expand merged cells without loading a cell object per cell.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from catalog_cli.model import Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.read.workbook import open_workbook

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
MAX_CELL_CHARS = 1_000_000
# control characters but tab, LF and CR: not text (a NUL breaks many tools downstream)
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ENCODING_ALIASES = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "cp936": "gb18030",
    "utf8": "utf-8-sig",
    "utf-8": "utf-8-sig",
}

Merged = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class Grid:
    """One sheet's cells: ``rows[i][j]`` is Excel row i+1, column j+1.

    Merged ranges are 0-based and inclusive.
    """

    file: str
    sheet: str
    rows: list[list[Any]]
    merged: list[Merged] = field(default_factory=list)
    encoding: str | None = None
    findings: list[Finding] = field(default_factory=list)  # what reading the file found

    def expand_merged(self) -> int:
        """Give every cell of a merged range the value of its top-left cell (the same object).

        Return how many cells were filled.
        """
        filled = 0
        rows = self.rows
        height = len(rows)
        width = min(map(len, rows), default=0)
        for (r0, c0), (r1, c1) in self.merged:
            # the common case, one column merged down: kept tight
            if c0 == c1 and r1 < height and c1 < width:
                value = rows[r0][c0]
                if value == "":
                    continue
                if r1 == r0 + 1:
                    rows[r1][c0] = value
                else:
                    for r in range(r0 + 1, r1 + 1):
                        rows[r][c0] = value
                filled += r1 - r0
            elif r0 < height:
                filled += self._expand_range(r0, c0, min(r1, height - 1), c1)
        return filled

    def _expand_range(self, r0: int, c0: int, r1: int, c1: int) -> int:
        """Expand one merged range over several columns, or past the end of short rows."""
        top = self.rows[r0]
        value = top[c0] if c0 < len(top) else ""
        if value == "":
            return 0
        filled = 0
        for r in range(r0, r1 + 1):
            row = self.rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if r != r0 or c != c0:
                    row[c] = value
                    filled += 1
        return filled


def iter_grids(path: Path, sheets: list[str] | None = None, wb: Any = None) -> Iterator[Grid]:
    """Every (or the named) sheet of a workbook as a grid, one at a time.

    A large workbook is never all in memory.
    """
    wb = wb if wb is not None else open_workbook(path)
    for name in sheets or wb.sheet_names:
        try:
            sheet = wb.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except Exception as exc:
            raise CatalogInputError(str(path), f"无法读取：{exc}", name) from None
        cells = itertools.chain.from_iterable(rows)
        longest = max(map(operator.length_hint, cells), default=0)  # only texts have a length
        if longest > MAX_CELL_CHARS:
            raise CatalogInputError(
                str(path), f"有单元格超过 {MAX_CELL_CHARS:,} 个字符，不像目录数据，未读取", name
            )
        yield Grid(str(path), name, rows, merged)


def workbook_grids(path: Path, sheets: list[str] | None = None, wb: Any = None) -> list[Grid]:
    """Every (or the named) sheet of a workbook as a grid."""
    return list(iter_grids(path, sheets, wb))


def decode_csv(data: bytes, path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GB18030 (covers GBK and GB2312)."""
    if encoding:
        name = ENCODING_ALIASES.get(encoding.lower(), encoding)
        try:
            return data.decode(name), name
        except LookupError:
            raise CatalogInputError(
                str(path), f"不认识的编码“{encoding}”（可用 utf-8、gb18030、gbk）"
            ) from None
        except UnicodeDecodeError as exc:
            other = "utf-8" if name.startswith("gb") else "gb18030"
            raise CatalogInputError(
                str(path),
                f"不是 {encoding} 编码（第 {exc.start} 字节无法解码）："
                f"请换用 --encoding {other}，或去掉 --encoding 让程序自动识别",
            ) from None
    for name in CSV_ENCODINGS:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    raise CatalogInputError(
        str(path), "既不是 UTF-8 也不是 GB18030/GBK 编码：请用 --encoding 指定文件的编码"
    )


def csv_grid(path: Path, encoding: str | None = None) -> Grid:
    """A CSV file as one grid (sheet name: the file's stem)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogInputError(str(path), f"无法读取：{exc.strerror}") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CatalogInputError(str(path), "不是文本文件（含有二进制内容），无法按 CSV 读取")
    text, used = decode_csv(data, path, encoding)
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        sample = text[:8192]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise CatalogInputError(
                str(path), f"有单元格超过 {MAX_CELL_CHARS:,} 个字符，不像目录数据，未读取"
            ) from None
        raise CatalogInputError(str(path), f"CSV 格式错误：{exc}") from None
    grid = Grid(str(path), Path(path).stem, rows, [], used)
    if CONTROL_CHARS.search(text):
        grid.findings.extend(remove_control_chars(grid))
    return grid


def remove_control_chars(grid: Grid) -> list[Finding]:
    """Remove control characters (NUL and the others but tab, CR, LF) from a grid's texts.

    Return a warning for each cell they were removed from (file, sheet, row, column).
    """
    findings = []
    for r, row in enumerate(grid.rows):
        for c, value in enumerate(row):
            if value.__class__ is not str or not CONTROL_CHARS.search(value):
                continue
            clean, count = CONTROL_CHARS.subn("", value)
            row[c] = clean
            names = sorted({f"U+{ord(ch):04X}" for ch in CONTROL_CHARS.findall(value)})
            letter = xl_col_to_name(c)
            head = grid.rows[0][c] if r and c < len(grid.rows[0]) else ""
            findings.append(
                make_finding(
                    "control-characters",
                    "warning",
                    Source(grid.file, grid.sheet, r + 1, {"text": letter}),
                    f"第 {letter} 列含有 {count} 个控制字符（{'、'.join(names[:3])}"
                    f"{'等' if len(names) > 3 else ''}），不是文字，已删除；"
                    "请检查导出这个文件的程序",
                    element=head.strip() or f"{letter} 列",
                    key="text",
                    value=clean,
                )
            )
    return findings
