"""Read a standard workbook with fastexcel into one Arrow table per record kind (a prototype).

Each sheet becomes a :class:`pyarrow.Table` whose columns are named by field key, one column per
unmapped header (``extra.<header>``) and :data:`ROW` (the Excel row of each record). Cells are
read as strings (``dtypes="string"``), so fastexcel never coerces a mixed column.

A string read does not say which cells were numbers, booleans or dates, and fastexcel renders
them differently from :func:`catalog_cli.model.values.cell_text` (``true`` for 是, a date with
`` 00:00:00``, 18-digit numbers in full). A column whose texts could be such a rendering is
read a second time with ``dtypes="boolean"`` (only numbers and booleans convert; strings never
do) and, when it has date-like texts, with ``dtypes="datetime"`` (numbers and dates convert,
strings never do). Those cells are rewritten to the text ``cell_text`` gives the cell, and the
column gets a companion ``<key>:cell`` column naming the cell type (``number``, ``boolean``,
``datetime``; null for text). See docs/tables.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import fastexcel
import pyarrow as pa
import pyarrow.compute as pc

from catalog_cli.model import Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.text import CLEANERS, dirty_pattern
from catalog_cli.model.values import cell_text
from catalog_cli.read.archive import check_archive
from catalog_cli.read.layout import HEADER_SCAN_ROWS, code_as_number, find_header
from catalog_cli.read.values import convert_distinct, converter
from catalog_cli.read.versions import version_groups, version_rules
from catalog_cli.read.workbook import PARENT_RECORD, is_standard_workbook, link_indexes, map_columns
from catalog_cli.schema import Field, Schema, SheetSpec, load_schema

ROW = "_row"
EXTRA_PREFIX = "extra."
CELL_SUFFIX = ":cell"
LINK_PREFIX = "link."  # a link column while a sheet is read; kept in SheetTable.links
REPEATS = 4  # a column with a quarter as many distinct texts as cells is kept dictionary-encoded

# how fastexcel writes a non-string cell when it reads it as a string
_NUMBER_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"
_BOOLEAN_TEXT = r"^(true|false)$"
_DATETIME_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$"
_SUSPECT = f"{_NUMBER_TEXT}|{_BOOLEAN_TEXT}|{_DATETIME_TEXT}"


@dataclass
class Distinct:
    """A column as distinct cells: the converted value of each, and each row's distinct id."""

    cells: list[Any]
    values: list[Any]
    ids: pa.Array

    def value(self, row: int) -> Any:
        return self.values[self.ids[row].as_py()]


def distinct(
    column: pa.ChunkedArray | pa.Array, fld: Field, kinds: pa.ChunkedArray | None = None
) -> Distinct:
    """Dictionary-encode a string column and convert each distinct cell once (null cells as '').

    With ``kinds`` (the reader's ``<key>:cell`` column), number and boolean cells are converted
    as the cell values they were (a number -1 is the integer -1, the text "-1" is not).
    """
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if kinds is not None:
        array = pc.binary_join_element_wise(pc.fill_null(kinds.combine_chunks(), ""), array, "\x00")
    encoded = _encoded(array)
    cells = [*map(_cell, encoded.dictionary.to_pylist()), ""] if kinds is not None else None
    cells = cells or [*encoded.dictionary.to_pylist(), ""]
    converted = convert_distinct(fld, cells)
    if converted is None:  # a column mixing booleans with numbers: convert cell by cell
        convert = converter(fld)
        values = [convert(c) for c in cells]
    else:
        values = list(map(converted[0].__getitem__, cells))
    ids = pc.fill_null(encoded.indices, len(cells) - 1)
    return Distinct(cells, values, ids)


def _encoded(array: pa.Array) -> pa.DictionaryArray:
    """A text array dictionary-encoded (as it is when the table keeps it so)."""
    if pa.types.is_dictionary(array.type):
        return array
    return pc.dictionary_encode(pc.cast(array, pa.string()))


@dataclass
class TextDistinct:
    """A text column as distinct converted texts kept in Arrow (null: omitted), and each row's
    distinct id: :class:`Distinct` without a Python object for every distinct text."""

    values: pa.Array
    ids: pa.Array

    def value(self, row: int) -> Any:
        return self.values[self.ids[row].as_py()].as_py()


def text_distinct(column: pa.ChunkedArray | pa.Array, fld: Field) -> TextDistinct:
    """A column of text cells of a ``text`` field, converted as :func:`distinct` converts it.

    Only the distinct texts :func:`~catalog_cli.model.text.dirty_pattern` flags are cleaned in
    Python; the rest are their own value. An empty text (and a null cell) is null.
    """
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_dictionary(array.type) and _all_different(array):
        # each row its own distinct text: hashing long texts to find no repeat costs more
        # than converting every row
        texts, indices = pc.cast(array, pa.string()), pa.array(range(len(array)), pa.int32())
    else:
        encoded = _encoded(array)
        texts, indices = encoded.dictionary, encoded.indices
    dirty = pc.fill_null(pc.match_substring_regex(texts, dirty_pattern(fld.text_style)), False)
    flagged = pc.indices_nonzero(dirty)
    if len(flagged):
        clean = CLEANERS[fld.text_style]
        fixed = [clean(text)[0] for text in pc.take(texts, flagged).to_pylist()]
        texts = pc.replace_with_mask(texts, dirty, pa.array(fixed, pa.string()))
    values = pa.concat_arrays([texts, pa.nulls(1, pa.string())])
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    return TextDistinct(values, pc.fill_null(indices, len(texts)))


SAMPLE_ROWS = 2048  # the first rows that tell whether a column repeats its texts


def _all_different(array: pa.Array) -> bool:
    """Whether a text column looks like one distinct text per row: no repeat among its first
    :data:`SAMPLE_ROWS` filled cells (a guess that only decides how the column is stored and
    converted, never what a value is)."""
    head = pc.drop_null(array.slice(0, SAMPLE_ROWS))
    return len(head) >= SAMPLE_ROWS // 2 and pc.count_distinct(head).as_py() == len(head)


def _cell(joined: str) -> Any:
    """A cell back from ``kind\\x00text``: a float, a boolean or the text."""
    kind, text = joined.split("\x00", 1)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return text == "是"
    return text


@dataclass
class SheetTable:
    """One sheet as a table: records in sheet order, columns named by field key."""

    file: str
    sheet: SheetSpec
    table: pa.Table
    fields: dict[str, Field]
    letters: dict[str, str] = field(default_factory=dict)
    converted: dict[tuple[str, bool], Distinct] = field(
        default_factory=dict, repr=False, compare=False
    )
    links: dict[str, list[str | None]] = field(default_factory=dict, repr=False, compare=False)
    """The link columns (role → each row's key text, None when blank; :attr:`SheetSpec.links`)."""

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The table's column names (the table is never replaced)."""
        return frozenset(self.table.column_names)

    def column(self, key: str) -> pa.ChunkedArray | pa.Array:
        """The column of a field as texts (all nulls when the sheet has no such column)."""
        column = self.stored(key)
        return pc.cast(column, pa.string()) if pa.types.is_dictionary(column.type) else column

    def stored(self, key: str) -> pa.ChunkedArray | pa.Array:
        """The column as the table keeps it: texts, or dictionary-encoded (:func:`_compact`)."""
        if key in self.names:
            return self.table[key]
        return pa.nulls(self.table.num_rows, pa.string())

    def kinds(self, key: str) -> pa.ChunkedArray | None:
        """The cell types of a column re-read for its non-text cells (None when all were text)."""
        name = key + CELL_SUFFIX
        return self.table[name] if name in self.names else None

    def distinct(
        self,
        key: str,
        array: pa.ChunkedArray | pa.Array | None = None,
        kinds: pa.ChunkedArray | None = None,
    ) -> Distinct:
        """A field's column (or ``array`` standing for it) as distinct cells, converted as the
        reader converts them (:func:`distinct`).

        ``kinds``, when given without an ``array``, must be the column's own cell types
        (:meth:`kinds`). A whole column is converted once per table and kept, so every check
        that reads it shares the conversion.
        """
        if array is not None:
            return distinct(array, self.fields[key], kinds)
        memo = (key, kinds is not None)
        if memo not in self.converted:
            self.converted[memo] = distinct(self.stored(key), self.fields[key], kinds)
        return self.converted[memo]

    def typed(self, key: str) -> Distinct:
        """A field's whole column converted with its own cell types (numbers as numbers)."""
        return self.distinct(key, kinds=self.kinds(key))

    def typed_once(self, key: str) -> Distinct:
        """:meth:`typed` without keeping the result: for a column only one check reads (a
        long text), so that its converted values are freed as soon as it is checked."""
        if self.is_converted(key):
            return self.typed(key)
        return distinct(self.stored(key), self.fields[key], self.kinds(key))

    def text(self, key: str) -> TextDistinct | None:
        """A ``text`` field's column converted in Arrow (:func:`text_distinct`), not kept; None
        when the field is not text or the column holds other cells than text."""
        fld = self.fields[key]
        if fld.kind != "text" or self.kinds(key) is not None:
            return None
        return text_distinct(self.stored(key), fld)

    def is_converted(self, key: str) -> bool:
        """Whether :meth:`typed` has already converted this column."""
        return (key, self.kinds(key) is not None) in self.converted

    def source(self, index: int) -> Source:
        """The :class:`Source` of the record at a table index (built only when needed)."""
        return Source(self.file, self.sheet.name, self.table[ROW][index].as_py(), self.letters)


@dataclass
class WorkbookTables:
    """A standard workbook as tables (by record kind) and the findings reading made."""

    file: str
    tables: dict[str, SheetTable] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def open_reader(path: Path) -> fastexcel.ExcelReader:
    """Open a workbook with fastexcel or raise a one-line :class:`CatalogInputError`.

    It is first checked for a zip bomb (:func:`~.archive.check_archive`).
    """
    check_archive(path)
    try:
        return fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own error types for corrupt files
        raise CatalogInputError(
            str(path), f"无法打开工作簿（文件损坏、加密或不是 Excel 文件）：{exc}"
        ) from None


def _load(
    reader: fastexcel.ExcelReader,
    name: str,
    dtypes: str,
    skip_rows: int = 0,
    columns: list[int] | None = None,
) -> tuple[pa.Table, list[int]]:
    """A sheet from row 1 (no header), all cells of one dtype, and each column's absolute index."""
    sheet = reader.load_sheet(
        name, header_row=None, skip_rows=skip_rows, dtypes=dtypes, use_columns=columns
    )
    table = pa.Table.from_batches([sheet.to_arrow()])
    return table, [c.absolute_index for c in sheet.selected_columns]


def _header_rows(
    table: pa.Table, positions: list[int], first: list[str] | None = None
) -> list[list[str]]:
    """The first rows as lists of texts indexed by absolute column (for :func:`find_header`);
    ``first`` (the header texts of a typed read) goes above the table's rows."""
    width = max(positions, default=-1) + 1
    head = table.slice(0, HEADER_SCAN_ROWS + 1 - (first is not None))
    rows = [[""] * width for _ in range(head.num_rows)]
    for position, column in zip(positions, head.columns, strict=True):
        for r, value in enumerate(column.to_pylist()):
            rows[r][position] = value or ""
    return rows if first is None else [first, *rows]


def _datetime_text(value: dt.datetime) -> str:
    """A date cell as :func:`cell_text` shows python-calamine's value (a date without time)."""
    return cell_text(value.date() if value.time() == dt.time() else value) or ""


def _number_text(numbers: pa.Array) -> pa.Array:
    """Float cells as :func:`cell_text` shows them (null stays null), column-wise.

    Whole numbers below 1e15 are cast to int64 and then to text; the rest (fractions, 18-digit
    numbers) take Python's ``repr`` one by one, so the text is exactly ``cell_text``'s.
    """
    whole = pc.and_(pc.equal(numbers, pc.floor(numbers)), pc.less(pc.abs(numbers), pa.scalar(1e15)))
    whole = pc.fill_null(whole, True)
    ints = pc.cast(pc.cast(pc.if_else(whole, numbers, None), pa.int64()), pa.string())
    rest = pc.indices_nonzero(pc.invert(whole)).to_pylist()
    if not rest:
        return ints
    texts = ints.to_pylist()
    for index in rest:
        texts[index] = repr(numbers[index].as_py())
    return pa.array(texts, pa.string())


def _kind(valid: pa.Array, kind: str) -> pa.Array:
    """The ``<key>:cell`` column: ``kind`` where ``valid``, else null."""
    return pc.if_else(valid, pa.scalar(kind), pa.scalar(None, pa.string()))


def _typed_text(column: pa.Array) -> tuple[pa.Array, pa.Array | None] | None:
    """A column of one cell type as (texts, cell type per row; None for text).

    None for a type the reader does not render (durations): the caller reads the sheet the
    careful way.
    """
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind):
        return pc.cast(column, pa.string()), None
    valid = pc.is_valid(column)
    if not pc.any(valid).as_py():
        return pa.nulls(len(column), pa.string()), None
    if pa.types.is_floating(kind):
        return _number_text(pc.cast(column, pa.float64())), _kind(valid, "number")
    if pa.types.is_integer(kind):
        return pc.cast(column, pa.string()), _kind(valid, "number")
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "是", "否"), _kind(valid, "boolean")
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        texts = [None if v is None else _datetime_text(_as_datetime(v)) for v in column.to_pylist()]
        return pa.array(texts, pa.string()), _kind(valid, "datetime")
    return None


def _as_datetime(value: dt.date) -> dt.datetime:
    """A date or datetime as a datetime (a date at midnight)."""
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


@contextlib.contextmanager
def _quiet_guessing() -> Iterator[None]:
    """Silence fastexcel's warning for columns without a cell to guess a dtype from."""
    logger = logging.getLogger("fastexcel.types.dtype")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


_DEDUPLICATED = re.compile(r"^(.*)_[0-9]+$")
_FIRST_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(/?)>")
_ROW_NUMBER = re.compile(rb'\br="([0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)\b")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def rows_start_at_one(path: Path) -> set[str]:
    """The sheets of an xlsx file whose Excel row 1 holds a value.

    fastexcel's ``header_row=0`` names the columns from the first row of the used range, which
    is Excel row 1 only when that row holds a value; this looks at the start of each sheet's XML
    (a few kilobytes decompressed, not the sheet). Empty for a file that is not xlsx.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels}
            out: set[str] = set()
            for sheet in book.iter():
                if not sheet.tag.endswith("}sheet") or sheet.get(_REL_NS) not in targets:
                    continue
                target = targets[sheet.get(_REL_NS)].lstrip("/")
                member = target if target.startswith("xl/") else "xl/" + target
                with archive.open(member) as stream:
                    head = stream.read(1 << 16)
                if _starts_at_one(head):
                    out.add(sheet.get("name", ""))
            return out
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return set()


def _starts_at_one(head: bytes) -> bool:
    """Whether the first ``<row>`` of a sheet's XML is row 1 and holds a value."""
    first = _FIRST_ROW.search(head)
    if first is None or first.group(2):
        return False
    number = _ROW_NUMBER.search(first.group(1))
    if number is not None and number.group(1) != b"1":
        return False
    end = head.find(b"row>", first.end())
    return end != -1 and _VALUE.search(head, first.end(), end) is not None


def _typed_sheet(
    reader: fastexcel.ExcelReader, name: str
) -> tuple[list[str], pa.Table, list[int], dict[int, pa.Array]] | None:
    """The sheet in one read, when its header is Excel row 1 and no column mixes cell types.

    fastexcel takes row 1 as column names and guesses one dtype per column from every data
    row, strictly (a column mixing numbers and texts is an error, so a string column holds
    only text cells). Returns (header texts by absolute column, texts per column, absolute
    indexes, cell types by absolute column), or None when that does not hold (a column mixes
    types, a header name was made unique by fastexcel, a duration column, no data rows).
    """
    try:
        with _quiet_guessing():
            sheet = reader.load_sheet(
                name, header_row=0, schema_sample_rows=None, dtype_coercion="strict"
            )
            batch = sheet.to_arrow()
    except fastexcel.FastExcelError:
        return None
    columns = sheet.selected_columns
    if not columns or batch.num_rows == 0:
        return None
    positions = [c.absolute_index for c in columns]
    width = max(positions) + 1
    header = [""] * width
    seen: set[str] = set()
    for column in columns:
        text = column.name if column.column_name_from != "generated" else ""
        dedup = _DEDUPLICATED.match(text)
        if dedup and dedup.group(1) in seen:
            return None  # fastexcel renamed a repeated header: read its texts the careful way
        seen.add(text)
        header[column.absolute_index] = text
    texts: list[pa.Array] = []
    kinds: dict[int, pa.Array] = {}
    for position, array in zip(positions, batch.columns, strict=True):
        typed = _typed_text(array)
        if typed is None:
            return None
        texts.append(typed[0])
        if typed[1] is not None:
            kinds[position] = typed[1]
    table = pa.table(texts, names=[str(p) for p in positions])
    return header, table, positions, kinds


def _probe_cells(
    reader: fastexcel.ExcelReader,
    name: str,
    start: int,
    texts: dict[int, pa.ChunkedArray],
) -> dict[int, tuple[pa.Array, pa.Array]]:
    """For suspect columns (absolute index → texts): (corrected texts, cell type per row).

    The careful way, for sheets :func:`_typed_sheet` cannot read: the columns whose texts could
    be fastexcel's rendering of a number, boolean or date are read again with
    ``dtypes="boolean"`` (and ``"datetime"``), and the texts rewritten column-wise.
    """
    suspect = [i for i, a in texts.items() if pc.any(pc.match_substring_regex(a, _SUSPECT)).as_py()]
    if not suspect:
        return {}
    as_bool, positions = _load(reader, name, "boolean", start, suspect)
    numeric = dict(zip(positions, as_bool.columns, strict=True))
    dated = [
        i for i in suspect if pc.any(pc.match_substring_regex(texts[i], _DATETIME_TEXT)).as_py()
    ]
    as_date: dict[int, pa.ChunkedArray] = {}
    if dated:
        table, positions = _load(reader, name, "datetime", start, dated)
        as_date = dict(zip(positions, table.columns, strict=True))
    out: dict[int, tuple[pa.Array, pa.Array]] = {}
    for i in suspect:
        text = texts[i].combine_chunks()
        flag = pc.is_valid(numeric[i].combine_chunks())
        boolean = pc.and_(flag, pc.is_in(text, value_set=pa.array(["true", "false"])))
        number = pc.and_(flag, pc.invert(boolean))
        date = (
            pc.and_(pc.invert(flag), pc.is_valid(as_date[i].combine_chunks()))
            if i in as_date
            else pa.array([False] * len(text))
        )
        if not pc.any(pc.or_(flag, date)).as_py():
            continue
        kinds = pc.if_else(
            number, "number", pc.if_else(boolean, "boolean", _kind(date, "datetime"))
        )
        shown = pc.if_else(boolean, pc.if_else(pc.equal(text, "true"), "是", "否"), text)
        if pc.any(number).as_py():
            numbers = pc.cast(pc.if_else(number, text, None), pa.float64())
            shown = pc.if_else(number, _number_text(numbers), shown)
        if pc.any(date).as_py():
            dates = as_date[i].to_pylist()
            fixed = shown.to_pylist()
            for r in pc.indices_nonzero(date).to_pylist():
                fixed[r] = _datetime_text(dates[r])
            shown = pa.array(fixed, pa.string())
        out[i] = (shown, kinds)
    return out


def read_sheet_table(
    path: Path,
    reader: fastexcel.ExcelReader,
    sheet: SheetSpec,
    schema: Schema,
    findings: list[Finding],
    one_read: bool = False,
) -> SheetTable | None:
    """One sheet of the standard workbook as a :class:`SheetTable`; None for an empty sheet.

    ``one_read``: the sheet's Excel row 1 holds a value (:func:`rows_start_at_one`).

    First in one read (:func:`_typed_sheet`, header on row 1, one cell type per column); else
    as strings, with the suspect columns read again (:func:`_probe_cells`).
    """
    file = str(path)
    lookup = schema.header_lookup(sheet)
    typed = _typed_sheet(reader, sheet.name) if one_read else None
    found = None
    if typed is not None:
        header, data, positions, kinds = typed
        found = find_header(_header_rows(data, positions, header), lookup, min_hits=2)
        if found is not None and found[:2] != (0, 1):
            found = None
    fast = found is not None
    if not fast:
        try:
            whole, positions = _load(reader, sheet.name, "string")
        except Exception as exc:
            raise CatalogInputError(file, f"无法读取：{exc}", sheet.name) from None
        found = find_header(_header_rows(whole, positions), lookup, min_hits=2)
        if found is None:
            if whole.num_rows and any(c.null_count < len(c) for c in whole.columns):
                raise CatalogInputError(
                    file, "找不到表头（前15行中没有可识别的要素名称）", sheet.name
                )
            return None
        data = whole.slice(found[1])
    end = found[1]
    names = found[2]
    header_source = Source(file, sheet.name, end, {})
    mapped, extras = map_columns(names, sheet, schema, header_source, findings)
    by_position = dict(zip(positions, data.columns, strict=True))
    wanted = {c.index: c.key for c in mapped} | {
        i: EXTRA_PREFIX + name for i, name in extras.items()
    }
    wanted |= {i: LINK_PREFIX + role for role, i in link_indexes(names, sheet).items()}
    present = {i: by_position[i] for i in wanted if i in by_position}
    empty = pa.chunked_array([pa.nulls(data.num_rows, pa.string())], pa.string())
    blank = [_blank_cells(a) for a in by_position.values()]
    filled = pc.invert(functools.reduce(pc.and_, blank)) if blank else None
    rows = pa.array(range(end + 1, end + 1 + data.num_rows), pa.int32())
    if fast:
        probed = {i: (by_position[i], kinds[i]) for i in present if i in kinds}
    else:
        probed = _probe_cells(reader, sheet.name, end, present)
    arrays: dict[str, Any] = {}
    for index, key in wanted.items():
        if index in probed:
            text, cell_kinds = probed[index]
            arrays[key], arrays[key + CELL_SUFFIX] = text, cell_kinds
        else:
            arrays[key] = present.get(index, empty)
    arrays[ROW] = rows
    if filled is not None:  # also a compact copy: fastexcel's buffers have room to spare
        arrays = {k: pc.filter(a, filled) for k, a in arrays.items()}
    links: dict[str, list[str | None]] = {}
    for key in [k for k in arrays if k.startswith(LINK_PREFIX)]:
        array = arrays.pop(key)
        if not key.endswith(CELL_SUFFIX):
            links[key.removeprefix(LINK_PREFIX)] = [
                (text.strip() or None) if text is not None else None for text in array.to_pylist()
            ]
    table = pa.table({k: _compact(k, a, arrays) for k, a in arrays.items()})
    fields = dict(schema.records[sheet.record].fields)
    if sheet.parent:
        fields[sheet.parent] = schema.records["leaf"].fields[sheet.parent]
    result = SheetTable(file, sheet, table, fields, dict(header_source.columns), links=links)
    findings.extend(_code_numbers(result, [c.key for c in mapped if c.field.is_code]))
    return result


def _blank_cells(column: Any) -> Any:
    """Per row, whether the cell is empty: null, or text of whitespace only (a writer may keep
    “  ” in a cell; the records reader skips such rows too)."""
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        empty = pc.equal(pc.binary_length(column), 0)
        return pc.fill_null(pc.or_(pc.utf8_is_space(column), empty), True)
    return pc.is_null(column)


def _compact(key: str, array: Any, arrays: dict[str, Any]) -> Any:
    """A field's text column that repeats its values (at most one distinct text in
    :data:`REPEATS` cells), dictionary-encoded: a 办公时间 repeated down 100k rows is kept once.

    Columns with cell types (``<key>:cell``), the cell types themselves and extra attributes
    stay plain; :meth:`SheetTable.column` decodes.
    """
    kind = array.type
    if (
        key == ROW
        or key.endswith(CELL_SUFFIX)
        or key.startswith(EXTRA_PREFIX)
        or key + CELL_SUFFIX in arrays
        or not pa.types.is_string(kind)
    ):
        return array
    whole = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if _all_different(whole):
        return array
    encoded = pc.dictionary_encode(whole)
    if len(encoded) and len(encoded.dictionary) * REPEATS <= len(encoded):
        return encoded
    return array


def _code_numbers(sheet: SheetTable, code_keys: list[str]) -> list[Finding]:
    """``code-stored-as-number`` for every code cell Excel stored as a number (in row order)."""
    table = sheet.table
    hits: list[tuple[int, str]] = []
    for key in code_keys:
        kinds = table.column(key + CELL_SUFFIX) if key + CELL_SUFFIX in table.column_names else None
        if kinds is None:
            continue
        for index in pc.indices_nonzero(pc.fill_null(pc.equal(kinds, "number"), False)).to_pylist():
            hits.append((index, key))
    findings = []
    labels = [k for k in (sheet.sheet.parent, "impl_code", "basic_code", "name") if k]
    for index, key in sorted(hits, key=lambda h: (h[0], code_keys.index(h[1]))):
        item = next(
            (
                cell_text(v)
                for k in labels
                if k in table.column_names and (v := table[k][index].as_py()) is not None
            ),
            None,
        )
        findings.append(
            code_as_number(
                sheet.fields[key].title, key, table[key][index].as_py(), sheet.source(index), item
            )
        )
    return findings


def read_tables(path: Path | str, records: Collection[str] | None = None) -> WorkbookTables:
    """Read a standard workbook into one table per record kind, with the reading findings.

    ``records`` (record kinds such as ``main_item``, ``leaf``) reads only those sheets
    (and reports only their absence): an analysis that needs no materials does not parse the
    materials sheet.
    """
    path = Path(path)
    schema = load_schema()
    reader = open_reader(path)
    names = set(reader.sheet_names)
    if not is_standard_workbook(names):
        raise CatalogInputError(str(path), "不是标准目录工作簿：找不到“主项”“子项”工作表")
    result = WorkbookTables(str(path))
    row_one = rows_start_at_one(path)
    for sheet in schema.sheets:
        if records is not None and sheet.record not in records:
            continue
        if sheet.name in names:
            table = read_sheet_table(
                path, reader, sheet, schema, result.findings, sheet.name in row_one
            )
            if table is not None:
                result.tables[sheet.record] = table
        elif sheet.required:
            result.findings.append(
                make_finding(
                    "missing-sheet",
                    "error",
                    Source(str(path), sheet.name),
                    f"缺少“{sheet.name}”工作表",
                )
            )
    _check_links(path, reader, result)
    _check_versions(path, result)
    _check_listings(path, result)
    return result


def _values(sheet: SheetTable, key: str) -> list[Any]:
    """A field's converted value in every row (as the records reader converts the cell)."""
    column = sheet.typed(key)
    values = column.values
    return [values[i] for i in column.ids.to_pylist()]


def _first_rows(values: list[Any]) -> dict[Any, int]:
    """Each non-empty value → the first row holding it."""
    first: dict[Any, int] = {}
    for row, value in enumerate(values):
        if value:
            first.setdefault(value, row)
    return first


def _parents_by_code(sheet: SheetTable, parent: SheetTable) -> list[int | None]:
    """The parent row each row of ``sheet`` links to by code, as the records reader links it
    (:func:`catalog_cli.read.assemble.assemble`: the first parent row with the code)."""
    if sheet.sheet.record == "leaf":
        by_code = _first_rows(_values(parent, "basic_code"))
        mains, basics = _values(sheet, "main_code"), _values(sheet, "basic_code")
        codes = [m or b for m, b in zip(mains, basics, strict=True)]
    else:
        by_code = _first_rows(_values(parent, "impl_code"))
        codes = _values(sheet, sheet.sheet.parent or "impl_code")
    return [by_code.get(code) if code else None for code in codes]


def links_follow_codes(sheet: SheetTable, parent: SheetTable) -> bool:
    """Whether every row of ``sheet`` whose parent key names a row of ``parent`` names the row
    its codes link it to: then the link columns change nothing and the tables (which link by
    codes) hold the catalog the records reader builds."""
    keys = sheet.links.get("parent_key")
    if keys is None or not any(keys):
        return True
    by_key = _first_rows(parent.links.get("row_key") or [])
    linked = [by_key.get(key) if key else None for key in keys]
    by_code = _parents_by_code(sheet, parent)
    return all(link is None or link == code for link, code in zip(linked, by_code, strict=True))


def _check_links(path: Path, reader: fastexcel.ExcelReader, result: WorkbookTables) -> None:
    """Raise :class:`CatalogInputError` when the workbook's link columns (主项序号, 子项序号)
    attach a row elsewhere than its codes do: the column checks and the tables analyses link
    by codes, so such a workbook is read as records (the commands fall back on this error).

    A parent sheet not asked for is read here for the comparison only.
    """
    schema = load_schema()
    sheets = {s.record: s for s in schema.sheets}
    names = set(reader.sheet_names)
    row_one: set[str] | None = None
    for record, sheet in list(result.tables.items()):
        if not sheet.links.get("parent_key"):
            continue
        parent_record = PARENT_RECORD.get(record, "leaf")
        parent = result.tables.get(parent_record)
        if parent is None:
            spec = sheets[parent_record]
            if spec.name not in names:
                continue
            row_one = rows_start_at_one(path) if row_one is None else row_one
            parent = read_sheet_table(path, reader, spec, schema, [], spec.name in row_one)
            if parent is None:
                continue
        if not links_follow_codes(sheet, parent):
            raise CatalogInputError(
                str(path),
                f"“{sheet.sheet.parent_key}”与编码所指的上级不同，按记录读取",
                sheet.sheet.name,
            )


def _rule_column(sheet: SheetTable, name: str) -> list[Any]:
    """A version rule's field in every row (read/versions.py): an extra column or a field."""
    if name.startswith(EXTRA_PREFIX):
        if name not in sheet.table.column_names:
            return [None] * sheet.table.num_rows
        return [cell_text(v) for v in sheet.column(name).to_pylist()]
    return _values(sheet, name)


def _check_versions(path: Path, result: WorkbookTables) -> None:
    """Raise :class:`CatalogInputError` when the leaves hold versions of one item
    (read/versions.py): the tables count every row, the records reader keeps the latest."""
    leaves = result.tables.get("leaf")
    if leaves is None:
        return
    for rule in version_rules():
        if not any(n in leaves.table.column_names for n in rule.order):
            continue
        identities = list(zip(*(_rule_column(leaves, n) for n in rule.identity), strict=True))
        orders = [
            order if any(v is not None for v in order) else None
            for order in zip(*(_rule_column(leaves, n) for n in rule.order), strict=True)
        ]
        if version_groups(identities, orders):
            raise CatalogInputError(
                str(path), "子项中有同一事项的多个版本，按记录读取", leaves.sheet.name
            )


def _row_values(sheet: SheetTable, rows: list[int], skip: str) -> list[tuple[Any, ...]]:
    """Each of ``rows`` as the records reader sees it, but for the field ``skip``: every
    field converted, every extra column as cell text."""
    take = pa.array(rows, pa.int64())
    columns: list[list[Any]] = []
    for name in sorted(sheet.names):
        if name in (ROW, skip) or name.endswith(CELL_SUFFIX):
            continue
        cells = sheet.column(name).take(take)
        if name in sheet.fields:
            kinds = sheet.kinds(name)
            column = sheet.distinct(name, cells, None if kinds is None else kinds.take(take))
            columns.append([column.value(i) for i in range(len(rows))])
        else:
            columns.append([cell_text(v) for v in cells.to_pylist()])
    return list(zip(*columns, strict=True)) if columns else [() for _ in rows]


def _check_listings(path: Path, result: WorkbookTables) -> None:
    """Raise :class:`CatalogInputError` when leaf rows with one 实施编码 differ only in
    服务对象 (read/listings.py): the records reader merges such repeated listings, the tables
    count every row.

    A screen: the records reader also compares the rows' materials, steps, situations and fees
    (and merges only under one main item), so a workbook flagged here may still keep them
    apart; it is then just read as records.
    """
    leaves = result.tables.get("leaf")
    if leaves is None or "impl_code" not in leaves.names:
        return
    groups: dict[Any, list[int]] = {}
    for row, code in enumerate(_values(leaves, "impl_code")):
        if code:
            groups.setdefault(code, []).append(row)
    repeated = [rows for rows in groups.values() if len(rows) > 1]
    if not repeated:
        return
    rows = [row for group in repeated for row in group]
    objects = _values(leaves, "service_object")
    audiences = {row: objects[row] for row in rows}
    rest = dict(zip(rows, _row_values(leaves, rows, "service_object"), strict=True))
    for group in repeated:
        for i, first in enumerate(group):
            for other in group[i + 1 :]:
                if rest[first] == rest[other] and audiences[first] != audiences[other]:
                    raise CatalogInputError(
                        str(path),
                        "子项中有按服务对象重复列出的同一事项，按记录读取",
                        leaves.sheet.name,
                    )
