"""Element checks as column operations over the tables of :mod:`catalog_cli.read.tables`.

For each record kind and field, a :class:`ColumnCheck` is compiled once from the schema: a
jsonschema validator of the record restricted to that one property (so its errors, paths and
messages are the reference's), plus, for text fields, a screen of pyarrow.compute kernels
(``utf8_length``, ``match_substring_regex``) built from the property's keywords.

A column is dictionary-encoded; each distinct cell is converted once as the reader converts it
(:func:`catalog_cli.read.values.convert_distinct`) and checked once: text values by the screen,
then the reference validator for the few the screen flags; other kinds (codes, yes/no, lists,
time limits, counts: few distinct values) by the reference validator directly. Failing distinct
values are mapped back to row indexes per (column, keyword); objects (a :class:`Source` and a
one-field stand-in for the record) are built only for failing rows, and the findings come from
:func:`catalog_cli.checks.elements.schema_finding`, as the reference path makes them.

Two checks depend on the tree, not a column: a leaf's ``materials`` / ``steps`` (children
attach to the first leaf with their 实施编码) and a leaf's ``main_code``, which assembly fills
from its main item when it is blank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import jsonschema
import pyarrow as pa
import pyarrow.compute as pc

from catalog_cli.checks.elements import one_per_time_limit, schema_finding
from catalog_cli.model import TimeLimit
from catalog_cli.model.findings import Finding
from catalog_cli.model.records import time_limit_to_dict
from catalog_cli.schema import Field, load_schema

if TYPE_CHECKING:  # checks never import readers: the tables come from the caller
    from catalog_cli.read.tables import Distinct, SheetTable, TextDistinct, WorkbookTables

TREE_FIELDS = ("leaves", "situations", "materials", "steps", "fees", "extra")
CHILD_SHEETS = {"materials": "material", "steps": "step"}
LABELS = {
    "main_item": ("basic_code", "name"),
    "leaf": ("impl_code", "name"),
    "bundle": ("name",),
}
# keywords a text screen evaluates in pyarrow; a property with any other keyword is not screened
SCREENED = frozenset(("type", "minLength", "maxLength", "pattern", "title", "description"))

Screen = Callable[[pa.Array], pa.Array]


@dataclass(frozen=True)
class ColumnCheck:
    """The checks of one field of one record kind, compiled once from the schema."""

    record: str
    key: str
    field: Field
    required: bool
    validator: jsonschema.Draft202012Validator
    screen: Screen | None

    def errors(self, value: Any) -> list[jsonschema.ValidationError]:
        """The reference's errors for one converted value of this field (omitted when empty)."""
        instance = {} if _omitted(value) else {self.key: _json(value)}
        return sorted(
            self.validator.iter_errors(instance),
            key=lambda e: (list(map(str, e.absolute_path)), e.validator),
        )


@dataclass
class ColumnResult:
    """What checking one table found: failing row indexes per (column, keyword), and findings."""

    record: str
    rows: dict[tuple[str, str], pa.Array] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _omitted(value: Any) -> bool:
    """Whether the catalog JSON leaves a value out (as :func:`record_to_dict` does)."""
    return value is None or (value.__class__ in (str, list, dict) and not value)


def _json(value: Any) -> Any:
    return time_limit_to_dict(value) if value.__class__ is TimeLimit else value


def _text_screen(prop: dict[str, Any]) -> Screen | None:
    """A pyarrow screen for a text property: True where a value may break a keyword."""
    keywords = {k for k in prop if not k.startswith("x-")}
    if prop.get("type") != "string" or not keywords <= SCREENED:
        return None
    pattern = prop.get("pattern")
    if pattern is not None:
        try:
            pc.match_substring_regex(pa.array(["x"]), pattern)
        except pa.ArrowInvalid:  # not RE2: leave the property to the reference validator
            return None

    def screen(values: pa.Array) -> pa.Array:
        masks = []
        if "maxLength" in prop or "minLength" in prop:
            length = pc.utf8_length(values)
            if "maxLength" in prop:
                masks.append(pc.greater(length, prop["maxLength"]))
            if "minLength" in prop:
                masks.append(pc.less(length, prop["minLength"]))
        if pattern is not None:
            masks.append(pc.invert(pc.match_substring_regex(values, pattern)))
        out = pa.array([False] * len(values))
        for mask in masks:
            out = pc.or_(out, pc.fill_null(mask, False))
        return out

    return screen


@cache
def column_check(record: str, key: str) -> ColumnCheck:
    """The compiled check of one field (the record's schema restricted to that property)."""
    schema = load_schema()
    defs = schema.raw["$defs"]
    spec = defs[record]
    prop = spec["properties"][key]
    required = key in spec.get("required", ())
    sub = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
        "type": "object",
        "properties": {key: prop},
        "required": [key] if required else [],
    }
    fld = schema.records[record].fields[key]
    screen = _text_screen(prop) if fld.kind == "text" else None
    return ColumnCheck(record, key, fld, required, jsonschema.Draft202012Validator(sub), screen)


def _checked_once(sheet: SheetTable, key: str) -> Distinct | TextDistinct:
    """A column no later check reads, converted to be checked and then freed: a screened text
    column in Arrow (no Python object for each distinct text), any other as distinct cells."""
    if not sheet.is_converted(key) and column_check(sheet.sheet.record, key).screen is not None:
        text = sheet.text(key)
        if text is not None:
            return text
    return sheet.typed_once(key)


def _failing_texts(
    check: ColumnCheck, column: TextDistinct
) -> dict[int, list[jsonschema.ValidationError]]:
    """:func:`_failing` for a text column kept in Arrow: the screen runs on the converted texts
    and only the values it flags, and the omitted ones, become Python objects."""
    assert check.screen is not None
    suspect = pc.or_(check.screen(column.values), pc.is_null(column.values))
    out: dict[int, list[jsonschema.ValidationError]] = {}
    for index in pc.indices_nonzero(suspect).to_pylist():
        value = column.values[index].as_py()
        if not check.required and _omitted(value):
            continue
        errors = check.errors(value)
        if errors:
            out[index] = errors
    return out


def _failing(
    check: ColumnCheck, column: Distinct | TextDistinct
) -> dict[int, list[jsonschema.ValidationError]]:
    """Distinct id → the reference errors of that value, for the values that fail."""
    if isinstance(column.values, pa.Array):
        return _failing_texts(check, column)  # type: ignore[arg-type]
    out: dict[int, list[jsonschema.ValidationError]] = {}
    candidates: range | list[int] = range(len(column.values))
    if check.screen is not None:
        texts = pa.array([v if v.__class__ is str else None for v in column.values], pa.string())
        suspect = check.screen(texts)
        candidates = sorted(
            set(pc.indices_nonzero(suspect).to_pylist())
            # omitted or not a text (an omitted text is the empty one)
            | {i for i, v in enumerate(column.values) if v.__class__ is not str or not v}
        )
    for index in candidates:
        if not check.required and _omitted(column.values[index]):
            continue
        errors = check.errors(column.values[index])
        if errors:
            out[index] = errors
    return out


def _rows_of(ids: pa.Array, wanted: list[int]) -> pa.Array:
    return pc.indices_nonzero(pc.is_in(ids, value_set=pa.array(wanted, ids.type)))


def _label_keys(sheet: SheetTable) -> tuple[str, ...]:
    """The fields that name a record in findings (its code, else its name; a child: its parent)."""
    if sheet.sheet.parent:
        return (sheet.sheet.parent,)
    return tuple(k for k in LABELS.get(sheet.sheet.record, ()) if k in sheet.fields)


def _label_values(sheet: SheetTable, columns: dict[str, Distinct]) -> Callable[[int], str | None]:
    """How findings name the record at a row (its code, else its name; a child: its parent)."""
    found = [columns[k] for k in _label_keys(sheet) if k in columns]

    def label(row: int) -> str | None:
        for column in found:
            value = column.value(row)
            if value:
                return value
        return None

    return label


def check_table(
    sheet: SheetTable,
    main_codes: set[str] | None = None,
    child_parents: dict[str, set[str]] | None = None,
) -> ColumnResult:
    """Run every compiled column check of one record kind over its table."""
    record = sheet.sheet.record
    schema = load_schema()
    result = ColumnResult(record)
    keys = [k for k in schema.records[record].fields if k not in TREE_FIELDS]
    labels = _label_keys(sheet)
    columns: dict[str, Distinct] = {k: sheet.distinct(k) for k in labels if k == sheet.sheet.parent}
    columns |= {k: sheet.typed(k) for k in labels if k not in columns}
    label = _label_values(sheet, columns)
    errors_at: dict[int, list[tuple[str, jsonschema.ValidationError]]] = defaultdict(list)
    values_at: dict[int, dict[str, Any]] = defaultdict(dict)
    for key in keys:
        if record == "leaf" and key == "main_code" and main_codes:
            filled = _filled_main_code(sheet, sheet.column(key), main_codes)
            column = sheet.distinct(key, filled)
        else:
            column = columns.get(key) or _checked_once(sheet, key)
        failing = _failing(column_check(record, key), column)
        by_keyword: dict[str, list[int]] = defaultdict(list)
        for index, errors in failing.items():
            for keyword in dict.fromkeys(e.validator for e in errors):
                by_keyword[keyword].append(index)
        for keyword, wanted in by_keyword.items():
            rows = _rows_of(column.ids, wanted)
            result.rows[(key, keyword)] = rows
            for row in rows.to_pylist():
                errors_at[row].extend(
                    (key, e) for e in failing[column.ids[row].as_py()] if e.validator == keyword
                )
                values_at[row][key] = column.value(row)
    if record == "leaf" and child_parents is not None:
        _tree_required(sheet, sheet.typed("impl_code"), child_parents, result, errors_at)
    for row in sorted(errors_at):
        stand_in = SimpleNamespace(source=sheet.source(row), **values_at[row])
        found = (
            schema_finding(error, record, stand_in, label(row))
            for _, error in sorted(
                errors_at[row], key=lambda p: (list(map(str, p[1].absolute_path)), p[1].validator)
            )
        )
        result.findings.extend(one_per_time_limit(found))
    return result


def _filled_main_code(
    sheet: SheetTable, array: pa.ChunkedArray | pa.Array, main_codes: set[str]
) -> pa.Array:
    """Blank 主项编码 cells take the 基本编码 when that names a main item (as assembly does)."""
    basic = sheet.distinct("basic_code")
    own = sheet.distinct("main_code", array)
    blank = [i for i, v in enumerate(own.values) if _omitted(v)]
    named = [i for i, v in enumerate(basic.values) if v in main_codes]
    take = pc.and_(
        pc.is_in(own.ids, value_set=pa.array(blank, own.ids.type)),
        pc.is_in(basic.ids, value_set=pa.array(named, basic.ids.type)),
    )
    raw = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    return pc.if_else(take, pc.cast(sheet.column("basic_code"), pa.string()), raw)


def _tree_required(
    sheet: SheetTable,
    codes: Distinct,
    child_parents: dict[str, set[str]],
    result: ColumnResult,
    errors_at: dict[int, list[tuple[str, jsonschema.ValidationError]]],
) -> None:
    """A leaf's required children: only the first leaf with a code gets the rows that name it."""
    first: set[int] = set()
    seen: set[Any] = set()
    ids = codes.ids.to_pylist()
    for row, index in enumerate(ids):
        value = codes.values[index]
        if value and value not in seen:
            seen.add(value)
            first.add(row)
    for attr, parents in child_parents.items():
        check = column_check("leaf", attr)
        named = [value in parents for value in codes.values]  # once per distinct code
        missing = [row for row, index in enumerate(ids) if row not in first or not named[index]]
        if not missing:
            continue
        (error,) = check.errors([])
        result.rows[(attr, "required")] = pa.array(missing, pa.int64())
        for row in missing:
            errors_at[row].append((attr, error))


def check_tables(tables: WorkbookTables) -> list[Finding]:
    """Element findings for a workbook read as tables (the column path of ``check_elements``)."""
    return [f for r in check_results(tables) for f in r.findings]


def check_results(tables: WorkbookTables) -> Iterator[ColumnResult]:
    """One :class:`ColumnResult` per table, main items first."""
    main_codes: set[str] = set()
    if "main_item" in tables.tables:
        main = tables.tables["main_item"]
        column = main.distinct("basic_code")
        main_codes = {v for v in column.values if v}
    parents: dict[str, set[str]] = {}
    for attr, record in CHILD_SHEETS.items():
        child = tables.tables.get(record)
        if child is None:
            parents[attr] = set()
            continue
        column = child.distinct("impl_code")
        used = set(pc.unique(column.ids).to_pylist())
        parents[attr] = {column.values[i] for i in used if column.values[i]}
    for record, sheet in tables.tables.items():
        yield check_table(
            sheet,
            main_codes if record == "leaf" else None,
            parents if record == "leaf" else None,
        )
