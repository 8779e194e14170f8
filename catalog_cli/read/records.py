"""Read record exports: JSON arrays of objects, JSON Lines / NDJSON, records wrapped in an
object (``{"code": 0, "data": {"records": [...]}}``) and nested records.

The records become one :class:`~catalog_cli.read.grid.Grid`, read by the flat sheet reader (or
an input profile whose detecting columns are present) exactly as a CSV with those headers:

- **Which list**: the document itself when it is a list of objects, else the largest list of
  objects found breadth-first through the wrapping objects (ties: the first found); a list of
  objects is not searched further (its objects are the records, their own lists are their
  materials or steps). A JSON Lines file is one record per line (blank lines skipped).
- **Where**: the grid's sheet is the JSON pointer of the list (``/data/records``; ``/`` for a
  document that is the list itself and for JSON Lines), its header is row 1, so the record at
  pointer ``/data/records/i`` (the record on the i+1-th non-blank line of JSON Lines) is **row
  i + 2**, as the same records are in a CSV. Findings name the file, that sheet and that row.
- **Header**: the union of the records' keys in first-seen order. A nested object is
  flattened: ``{"basic": {"task_name": "x"}}`` gives a column ``task_name`` when no other key
  of the document (top-level or nested) has that name, else ``basic.task_name``.
- **Cells**: what a CSV gives: text; numbers as JSON writes them (``20``, ``1.5``), booleans
  ``true`` / ``false``, null (and an empty object or list) an empty cell. A list of scalars is one
  cell joined by ``list_joiner`` of ``schemas/records.json`` (“；”, one of the schema's
  multi-value separators that also splits 受理条件 and numbered lists).
- **Lists of objects**: under a key naming 申请材料 or 办理流程 (``list_keys`` of
  ``schemas/records.json``, or the flat sheet's header and aliases of those columns) each object
  is written as one line of the one-cell form the flat reader parses (“1.名称（原件，纸质，1份，
  必要）”), when its keys are all the list's name or bracket attributes and the written text
  reads back to the same items, in the column of that list (the key when the flat sheet knows
  it as that column, else the list's title: ``material_list`` → ``申请材料``). Otherwise the
  list is kept as JSON text in an extra attribute named key + ``json_suffix``
  (``materials（JSON）``) with one ``record-list-kept`` warning per column. Any other list of
  objects is kept as JSON text under its own key.
- Finding columns are the grid's column letters (A = the first key), as for a CSV.

Memory: a record is turned into its row and let go (its slot in the list set to None), so the
parsed document and the grid are not both whole at once; JSON Lines are parsed line by line.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import orjson

from catalog_cli.model import Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.read.flat import LIST_KEYS, parse_items
from catalog_cli.read.grid import CONTROL_CHARS, MAX_CELL_CHARS, Grid, remove_control_chars
from catalog_cli.read.profiles import match_table
from catalog_cli.schema import FORMAT, flat_lookup, fold_header, load_schema, resource_dir

LINES_SUFFIXES = {".jsonl", ".ndjson"}
ROOT_SHEET = "/"
RECORDS_FILE = "records.json"
NOT_RECORDS = (
    f'不是目录数据：既不是 catalog-cli 目录 JSON（"format": "{FORMAT}"），也没有对象列表（记录）'
)
NO_KEYS = "不是目录数据：{where}记录（JSON 对象）的键中没有可识别的要素名称（事项名称、实施编码等）"


def no_keys_error(grid: Grid) -> CatalogInputError:
    """The error for records none of whose keys names an element (the list's pointer named)."""
    where = "" if grid.sheet == ROOT_SHEET else f"{grid.sheet} 中的"
    return CatalogInputError(grid.file, NO_KEYS.format(where=where), not_catalog=True)


LIST_RECORD = {"materials": "material", "steps": "step"}

Path_ = tuple[str, ...]


@cache
def record_words() -> dict[str, Any]:
    """``schemas/records.json``: the words for lists of objects and the list joiner."""
    words = json.loads((resource_dir("schemas") / RECORDS_FILE).read_text(encoding="utf-8"))
    if words["list_joiner"] not in load_schema().separators:
        raise ValueError(f"{RECORDS_FILE}: list_joiner is not one of x-multi-separators")
    return words


@cache
def _list_key_lookup() -> dict[str, str]:
    """Folded key → ``materials`` or ``steps`` for the keys whose object lists are turned into
    the one-cell form."""
    lookup = {fold_header(k): key for k, key in flat_lookup().items() if key in LIST_KEYS}
    for key, words in record_words()["list_keys"].items():
        for word in (key, *words):
            lookup[fold_header(word)] = key
    return lookup


def pointer(parts: Iterable[str | int]) -> str:
    """The JSON pointer (RFC 6901) of a path; ``/`` for the document itself."""
    text = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return text or ROOT_SHEET


def is_record_list(value: Any) -> bool:
    """A non-empty list whose items are all objects."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def find_records(doc: Any) -> tuple[str, list[dict[str, Any]]] | None:
    """(pointer, list) of the records in a parsed document; None when it holds no list of
    objects.

    The largest list of objects, breadth-first through objects (ties: the first).
    """
    best: tuple[str, list[dict[str, Any]]] | None = None
    queue: deque[tuple[tuple[str, ...], Any]] = deque([((), doc)])
    while queue:
        path, value = queue.popleft()
        if is_record_list(value):
            if best is None or len(value) > len(best[1]):
                best = (pointer(path), value)
        elif isinstance(value, dict):
            queue.extend(((*path, str(k)), v) for k, v in value.items())
    return best


def flat_pairs(record: dict[str, Any], prefix: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """(path, value) of each leaf value of a record; nested objects are walked into."""
    for key, value in record.items():
        path = (*prefix, str(key))
        if isinstance(value, dict) and value:
            yield from flat_pairs(value, path)
        else:
            yield path, value


def column_names(paths: Iterable[Path_]) -> dict[Path_, str]:
    """Each path's column: its last key when no other path ends in that key, else the dotted
    path (a top-level key always keeps its name)."""
    paths = list(paths)
    ends: dict[str, int] = {}
    for path in paths:
        ends[path[-1]] = ends.get(path[-1], 0) + 1
    tops = {path[0] for path in paths if len(path) == 1}
    names = {}
    for path in paths:
        short = path[-1]
        if len(path) == 1 or (ends[short] == 1 and short not in tops):
            names[path] = short
        else:
            names[path] = ".".join(path)
    return names


def scalar_text(value: Any) -> str:
    """A scalar JSON value as the cell a CSV gives: text, JSON numbers and booleans, null empty."""
    if value is None:
        return ""
    if value.__class__ is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return orjson.dumps(value).decode()  # a number as JSON writes it (or a nested value)


def list_text(values: list[Any]) -> str:
    """A list of scalars as one cell, joined by the list joiner (empty values left out)."""
    if any(isinstance(v, dict | list) for v in values):
        return orjson.dumps(values).decode()
    return record_words()["list_joiner"].join(t for v in values if (t := scalar_text(v)))


@cache
def _object_keys(record: str) -> dict[str, str]:
    """Folded key → field for the objects of a material or step list: the field keys and the
    standard sheet's headers and aliases."""
    schema = load_schema()
    sheet = next(s for s in schema.sheets if s.record == record)
    lookup = {fold_header(k): k for k in schema.records[record].fields}
    lookup.update(schema.header_lookup(sheet))
    return lookup


def _attribute_text(field: str, value: Any) -> str:
    """One bracket attribute as written: 份数 given as a bare number gets the first unit."""
    text = scalar_text(value).strip()
    if field == "copies" and text.isdecimal():
        return text + load_schema().raw["x-flat"]["material_copies"]["units"][0]
    return text


def items_text(kind: str, objects: list[dict[str, Any]]) -> str | None:
    """A list of material or step objects as the one-cell numbered form; None when that is not
    straightforward (a key that is no name or bracket attribute, a name missing, or a text that
    does not read back to the same items)."""
    record = LIST_RECORD[kind]
    keys = _object_keys(record)
    allowed = list(load_schema().raw["x-flat"][f"{record}_attributes"])
    if record == "material":
        allowed.insert(2, "copies")
    lines, expected = [], []
    for number, obj in enumerate(objects, start=1):
        fields: dict[str, str] = {}
        for key, value in obj.items():
            field = keys.get(fold_header(str(key)))
            text = scalar_text(value).strip() if not isinstance(value, dict | list) else None
            if text == "" or field in ("seq", "impl_code"):
                continue
            if text is None or field is None or (field != "name" and field not in allowed):
                return None
            fields[field] = text if field == "name" else _attribute_text(field, value)
        name = fields.pop("name", None)
        if not name or any(ch in name for ch in "\n；;") or name[-1] in "）)":
            return None
        attrs = [fields[f] for f in allowed if f in fields]
        lines.append(f"{number}.{name}" + (f"（{'，'.join(attrs)}）" if attrs else ""))
        expected.append((name, [f for f in allowed if f in fields]))
    text = "\n".join(lines)
    found: list[Finding] = []
    items = parse_items(text, Source(""), record, found)
    if found or len(items) != len(expected):
        return None
    for item, (name, attrs) in zip(items, expected, strict=True):
        if item.name != name or any(getattr(item, f) is None for f in attrs):
            return None
    return text


def list_column(name: str, kind: str) -> str:
    """The column of a list turned into its one-cell form: its key when the flat sheet knows it
    as that list's column, else the list's title (``申请材料``, ``办理流程``)."""
    if flat_lookup().get(fold_header(name)) == kind:
        return name
    return load_schema().records["leaf"].fields[kind].title


@lru_cache(maxsize=4096)
def list_kind(key: str) -> str | None:
    """``materials`` or ``steps`` when a key's object list is that list, else None."""
    return _list_key_lookup().get(fold_header(key))


@lru_cache(maxsize=4096)
def cached_items_text(kind: str, blob: bytes) -> str | None:
    """:func:`items_text` of a list given as its JSON bytes: the same lists recur across
    records, so each is written once."""
    return items_text(kind, orjson.loads(blob))


def value_cells(
    path: Path_, value: Any, names: dict[Path_, str]
) -> Iterator[tuple[str, str, bool]]:
    """(column, cell, kept as JSON) of a record's value that is no text (an object walked into)."""
    pairs = flat_pairs(value, path) if value.__class__ is dict and value else [(path, value)]
    for where, one in pairs:
        name = names[where]
        if not isinstance(one, list):
            yield name, scalar_text(one) if not isinstance(one, dict) else "", False
        elif not is_record_list(one):
            yield name, list_text(one), False
        elif (kind := list_kind(where[-1])) is None:
            yield name, orjson.dumps(one).decode(), False
        else:
            blob = orjson.dumps(one)
            text = cached_items_text(kind, blob)
            if text is not None:
                yield list_column(name, kind), text, False
            else:
                yield name + record_words()["json_suffix"], blob.decode(), True


def record_paths(records: list[Any]) -> dict[Path_, None]:
    """Every path of the records' values, in first-seen order."""
    paths: dict[Path_, None] = {}
    for record in records:
        for key, value in record.items():
            if value.__class__ is dict and value:
                paths.update(dict.fromkeys(path for path, _ in flat_pairs(value, (key,))))
            elif (key,) not in paths:
                paths[(key,)] = None
    return paths


def records_grid(records: list[Any], file: str, sheet: str = ROOT_SHEET) -> Grid:
    """The records as one grid: a header of every key, then one row per record.

    Each record is let go once its row is made (its slot set to None).
    """
    names = column_names(record_paths(records))
    header: list[str] = list(dict.fromkeys(names.values()))
    index = {name: i for i, name in enumerate(header)}
    rows: list[list[Any]] = [header]
    kept: dict[str, list[int]] = {}  # a list kept as JSON: its column → the rows
    longest = 0
    for position, record in enumerate(records):
        row = [""] * len(header)
        for key, value in record.items():
            if value.__class__ is str:  # most values: a top-level key keeps its name
                row[index[key]] = value
                longest = max(longest, len(value))
                continue
            for name, cell, as_json in value_cells((key,), value, names):
                if as_json:
                    kept.setdefault(name, []).append(position + 2)
                if name not in index:
                    index[name] = len(header)
                    header.append(name)
                if index[name] >= len(row):
                    row.extend([""] * (index[name] + 1 - len(row)))
                row[index[name]] = cell
                longest = max(longest, len(cell))
        rows.append(row)
        records[position] = None
    if longest > MAX_CELL_CHARS:
        raise CatalogInputError(
            file, f"有单元格超过 {MAX_CELL_CHARS:,} 个字符，不像目录数据，未读取"
        )
    grid = Grid(file, sheet, rows, [])
    grid.findings.extend(kept_findings(file, sheet, kept))
    if any(CONTROL_CHARS.search(c) for row in rows for c in row if c):
        grid.findings.extend(remove_control_chars(grid))
    return grid


def kept_findings(file: str, sheet: str, kept: dict[str, list[int]]) -> list[Finding]:
    """One warning per column whose object lists are kept as JSON text, at the first such row."""
    suffix = record_words()["json_suffix"]
    findings = []
    for column, rows in kept.items():
        key = column.removesuffix(suffix)
        findings.append(
            make_finding(
                "record-list-kept",
                "warning",
                Source(file, sheet, rows[0]),
                f"{len(rows)} 条记录的“{key}”是对象列表，无法整理成一格的编号清单"
                f"（“1.名称（原件，纸质，1份，必要）”），已作为 JSON 文字保留在附加属性"
                f"“{column}”中：请核对",
                element=key,
                value=column,
            )
        )
    return findings


def document_grids(doc: Any, file: str, profile: str | None = None) -> list[Grid]:
    """A parsed JSON document's records as grids: one grid (:func:`find_records`), or one per
    table when the records are bundles of an input profile's tables (:func:`table_bundles`)."""
    found = find_records(doc)
    if found is None:
        raise CatalogInputError(file, NOT_RECORDS, not_catalog=True)
    sheet, records = found
    bundles = table_bundles(doc, sheet, records, profile)
    if bundles is not None:
        return tables_grids(bundles, file)
    return [records_grid(unnest(records), file, sheet)]


PARENT_PREFIX = "上级."  # a parent's value whose key a child also has


def child_list_key(records: list[dict[str, Any]]) -> str | None:
    """The key under which every record holds its child records (a hierarchy: department →
    its items → their sub-items), else None.

    That is the one key whose values are lists of objects (not a material or step list), in
    records that only group their children: at most ``group_max_values`` values of their own
    (``schemas/records.json``), none of them an item's own name or code (a record that names
    an item is the item; its lists belong to it).
    """
    keys = {k for k, v in records[0].items() if isinstance(v, list) and v and is_record_list(v)}
    if len(keys) != 1:
        return None
    (key,) = keys
    if list_kind(key) is not None:
        return None
    lookup = flat_lookup()
    for record in records:
        children = record.get(key, [])  # a parent may have no children
        if not isinstance(children, list) or (children and not is_record_list(children)):
            return None
        own = [k for k in record if k != key]
        if len(own) > record_words()["group_max_values"]:
            return None
        if any(lookup.get(fold_header(str(k))) in ITEM_KEYS for k in own):
            return None
        if any(isinstance(record[k], list) for k in own):
            return None
    return key


ITEM_KEYS = {"name", "impl_code"}  # what a record that is an item holds itself


def _level_keys(records: list[dict[str, Any]]) -> list[str]:
    """The child-list key of each level of a hierarchy, outermost first (none: not one)."""
    keys: list[str] = []
    level = records
    while level and (key := child_list_key(level)) is not None:
        keys.append(key)
        level = [child for record in level for child in record.get(key, [])]
    return keys


def _expand(records: list[dict[str, Any]], keys: list[str]) -> list[dict[str, Any]]:
    if not keys:
        return records
    key, rest = keys[0], keys[1:]
    rows: list[dict[str, Any]] = []
    for record in records:
        own = {k: v for k, v in record.items() if k != key}
        children = _expand(record.get(key, []), rest)
        if not children:
            rows.append(own)
        for child in children:
            above = {(PARENT_PREFIX + k if k in child else k): v for k, v in own.items()}
            rows.append({**above, **child})
    return rows


def unnest(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records of a hierarchy as rows: each innermost record with the values of the records
    above it (:func:`child_list_key`), a parent's value under ``上级.`` + its key when the child
    has that key too; a parent without children is a row of its own. Other records as they are.
    """
    return _expand(records, _level_keys(records))


def _table_rows(value: Any) -> list[dict[str, Any]] | None:
    """The rows of a table value: a list of objects (maybe empty), or one object of values."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    if isinstance(value, dict) and value:
        return [value]
    return None


def _known_tables(bundle: dict[str, Any], profile: str | None) -> int:
    """How many of a record's values are tables an input profile knows by their columns."""
    known = 0
    for value in bundle.values():
        rows = _table_rows(value)
        if rows and match_table(list(dict.fromkeys(k for r in rows for k in r)), profile):
            known += 1
    return known


def table_bundles(
    doc: Any, sheet: str, records: list[dict[str, Any]], profile: str | None = None
) -> list[dict[str, Any]] | None:
    """The records when each is a bundle of tables (an interface export's item with its
    ``AUDIT_ITEM``, ``AUDIT_MATERIAL``, … each a list of rows or one row), else None.

    Bundles are told by content: at least two of a record's values are tables an input profile
    knows (``schemas/profiles``). When the records list is itself one table of a bundle (the
    object holding it has other tables beside it), that object is the one bundle.
    """
    if records and _known_tables(records[0], profile) >= 2:
        return records
    parent = _parent(doc, sheet)
    if isinstance(parent, dict) and _known_tables(parent, profile) >= 2:
        return [parent]
    return None


def _parent(doc: Any, sheet: str) -> Any:
    """The value holding the list at pointer ``sheet`` (None for the document itself)."""
    if sheet == ROOT_SHEET:
        return None
    parts = [p.replace("~1", "/").replace("~0", "~") for p in sheet.split("/")[1:]]
    value = doc
    for part in parts[:-1]:
        value = value[part]
    return value


def tables_grids(bundles: list[dict[str, Any]], file: str) -> list[Grid]:
    """One grid per table of the bundles, named by its key (``AUDIT_MATERIAL``), its rows every
    bundle's rows in order. A bundle's own values that are no table (``_source_payload``) go on
    the row of its largest one-row table (the item itself), so nothing is lost."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for bundle in bundles:
        rows_of = {k: rows for k, v in bundle.items() if (rows := _table_rows(v)) is not None}
        single = [k for k, v in bundle.items() if isinstance(v, dict) and v]
        own = {k: v for k, v in bundle.items() if k not in rows_of}
        for key, rows in rows_of.items():
            if own and single and key == max(single, key=lambda k: len(bundle[k])):
                rows = [{**rows[0], **own}]
            tables.setdefault(key, []).extend(rows)
    return [records_grid(rows, file, key) for key, rows in tables.items() if rows]


def document_grid(doc: Any, file: str) -> Grid:
    """A parsed JSON document's records as one grid (:func:`find_records`)."""
    found = find_records(doc)
    if found is None:
        raise CatalogInputError(file, NOT_RECORDS, not_catalog=True)
    sheet, records = found
    return records_grid(records, file, sheet)


def decode_error(exc: orjson.JSONDecodeError) -> str:
    """Where the JSON went wrong, in Chinese (orjson's own English reason is not shown)."""
    return f"第 {exc.colno} 列附近格式不对，如缺了引号、括号或多了逗号"


def parse_lines(lines: Iterable[bytes], file: str) -> list[dict[str, Any]]:
    """JSON Lines: one object per line, blank lines skipped; a bad line raises, naming it."""
    records = []
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise CatalogInputError(
                file, f"第 {number} 行不是有效的 JSON（{decode_error(exc)}）"
            ) from None
        if not isinstance(value, dict):
            raise CatalogInputError(
                file, f"第 {number} 行不是 JSON 对象（JSON Lines 每行应为一条记录）"
            )
        records.append(value)
    return records


def lines_grid(path: Path) -> Grid:
    """A JSON Lines / NDJSON file as a grid (read line by line)."""
    try:
        with open(path, "rb") as stream:
            records = parse_lines(stream, str(path))
    except OSError as exc:
        raise CatalogInputError(str(path), f"无法读取：{exc.strerror}") from None
    if not records:
        raise CatalogInputError(str(path), NOT_RECORDS, not_catalog=True)
    return records_grid(records, str(path))


def looks_like_lines(raw: bytes) -> bool:
    """Whether a document orjson refused is JSON Lines: its first non-blank line is an object."""
    text = raw.removeprefix(b"\xef\xbb\xbf").lstrip()
    end = text.find(b"\n")
    try:
        return isinstance(orjson.loads(text[: end if end >= 0 else len(text)]), dict)
    except orjson.JSONDecodeError:
        return False
