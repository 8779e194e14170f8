"""Read flat sheets: one row per leaf item (or per handling situation), main-item columns repeated
or merged, whole material and step lists in one cell."""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from catalog_cli.model import (
    RECORD_CLASSES,
    Leaf,
    MainItem,
    Material,
    Situation,
    Source,
    Step,
    data_fields,
)
from catalog_cli.model.findings import Finding
from catalog_cli.model.text import clean_many
from catalog_cli.model.values import cell_text, parse_time_limit
from catalog_cli.read.assemble import FlatRecords
from catalog_cli.read.grid import Grid
from catalog_cli.read.layout import (
    Layout,
    code_as_number,
    find_header,
    map_header,
    unmapped_findings,
)
from catalog_cli.read.normalize import Changes
from catalog_cli.read.values import convert_distinct, converter
from catalog_cli.schema import Field, flat_lookup, load_schema, time_unit_of

# an item number: each branch opens with a character class, so the scan runs at C speed; whether a
# number found in mid-text starts an item (it must follow a separator) is decided in _item_spans
# (the lookahead names every branch's first character: the engine then skips other characters fast)
_ITEM_NUMBER = re.compile(
    r"(?=[①-⑳（(\d一二三四五六七八九十])(?:[①-⑳]|[（(]\d{1,3}[)）]|(\d{1,3}\s*[.．、）)])|([一二三四五六七八九十]{1,3}、))"
)
_BEFORE_ITEM = "；;。，,"
_TRAILING = "；;。，,、 \n"
OPEN, CLOSE = "（(", "）)"
_PARTS = re.compile(r"[，,；;]")
_COPIES = re.compile(r"^\d+\s*[份张本套页件](?:$|[（(])")
LIST_KEYS = ("materials", "steps")
_LEAF_VALUE_FIELDS = data_fields(Leaf)[
    : data_fields(Leaf).index("situations")
]  # the element fields, in order


def split_numbered(text: str) -> list[str]:
    """Split a numbered list in one cell into items.

    Items are numbered like “1.…；2.…”, “（1）…”, “①…” or “一、…”, or written one per line.
    """
    spans = _item_spans(text)
    if spans and spans[0][0] <= 1:
        pieces = [
            text[end:following]
            for (_, end), (following, _) in zip(spans, [*spans[1:], (len(text), 0)], strict=True)
        ]
    else:
        pieces = re.split(r"[\n；;]", text)
    return [item for p in pieces if (item := p.strip().strip(_TRAILING).strip())]


def _item_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each item number: ①, （1）, or “1.” / “1、” / “一、” at the start or after a
    separator.

    At the very start a number may follow blanks (they are part of its span) and “1.2” counts;
    in mid-text “1.2” is a decimal, not an item.
    """
    spans = []
    for m in _ITEM_NUMBER.finditer(text):
        start, end = m.span()
        if m.lastindex:  # a number or numeral: where it stands decides
            before = text[:start]
            if not before or before.isspace():
                start = 0
            elif not (before[-1].isspace() or before[-1] in _BEFORE_ITEM) or (
                m.lastindex == 1 and text[end - 1] in ".．" and text[end : end + 1].isdecimal()
            ):
                continue
        spans.append((start, end))
    return spans


def _last_bracket(text: str) -> tuple[str, str] | None:
    """(text before, content) of a bracket group closing the text.

    The group may hold one nested bracket.
    """
    if not text or text[-1] not in CLOSE:
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        ch = text[index]
        if ch in CLOSE:
            depth += 1
        elif ch in OPEN:
            depth -= 1
            if depth == 0:
                return text[:index].strip(), text[index + 1 : -1]
    return None


def _top_level_parts(content: str) -> list[str]:
    """Split bracket content on ，,；; outside nested brackets."""
    if not any(ch in content for ch in OPEN):
        return [p.strip() for p in _PARTS.split(content) if p.strip()]
    parts, current, depth = [], [], 0
    for ch in content:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth -= 1
        elif depth == 0 and ch in "，,；;":
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _attributes(text: str, keys: tuple[str, ...], record: str) -> tuple[str, dict[str, Any]]:
    """Split “名称（原件，纸质，1份，必要）” into the name and the attributes the bracket names.

    A bracket whose parts are not all attributes is part of the name (营业执照（副本）).
    """
    split = _last_bracket(text)
    if split is None or not split[0]:
        return text, {}
    name, content = split
    fields = load_schema().records[record].fields
    found: dict[str, Any] = {}
    for part in _top_level_parts(content):
        if record == "material" and _COPIES.match(part) and "copies" not in found:
            found["copies"] = part
            continue
        for key in keys:
            f = fields[key]
            if key in found:
                continue
            if f.kind == "time_limit":
                limit = parse_time_limit(part, time_unit_of)
                if limit.unit is not None:
                    found[key] = limit
                    break
            elif f.table is not None and (code := f.table.lookup(part)) is not None:
                found[key] = code
                break
            elif key == "post" and not any(ch.isdigit() for ch in part):
                found[key] = part
                break
        else:
            return text, {}
    return name, found


def parse_items(text: str, source: Source, record: str) -> list[Any]:
    """A numbered list in one cell → materials or steps.

    Each gets its 序号 and the attributes its brackets name.
    """
    cls = RECORD_CLASSES[record]
    return [
        cls(seq, *values, {}, source)
        for seq, values in enumerate(_split_items(text, record), start=1)
    ]  # then extra, source


@lru_cache(maxsize=4096)
def _split_items(text: str, record: str) -> tuple[tuple[Any, ...], ...]:
    """Each item of a one-cell list as the positional values after 序号.

    Lists recur, so this is cached.
    """
    return tuple(_item(item, record) for item in split_numbered(text))


@lru_cache(maxsize=65536)
def _item(text: str, record: str) -> tuple[Any, ...]:
    """One list item's name and attributes, in field order up to ``extra``.

    The same items recur across a catalog, so this is cached.
    """
    name, attrs = _attributes(
        text, tuple(load_schema().raw["x-flat"][f"{record}_attributes"]), record
    )
    middle = _middle_fields(record)
    assert attrs.keys() <= set(middle), attrs  # the schema names only fields of the record
    return (name, *(attrs.get(f) for f in middle))


@cache
def _middle_fields(record: str) -> tuple[str, ...]:
    """The fields of a list record between ``name`` and ``extra``.

    Of the record's fields, ``seq`` comes first, ``extra`` and ``source`` last.
    """
    names = data_fields(RECORD_CLASSES[record])
    assert names[:2] == ("seq", "name") and names[-1] == "extra", names
    return names[2:-1]


def parse_materials(text: str, source: Source) -> list[Material]:
    return parse_items(text, source, "material")


def parse_steps(text: str, source: Source) -> list[Step]:
    return parse_items(text, source, "step")


def field_for(key: str) -> Field:
    schema = load_schema()
    if "." in key:
        record, name = key.split(".", 1)
        return schema.records["main_item" if record == "main" else record].fields[name]
    return schema.records["leaf"].fields[key]


def is_note_row(texts: list[str]) -> bool:
    """A title or note row.

    That is one text spread over the row by a merge, or a line starting with 注 / 说明.
    """
    filled = [t for t in texts if t]
    if not filled:
        return True
    prefixes, opening = _note_prefixes()
    if len(set(filled)) == 1 and (len(filled) > 1 or filled[0].startswith(prefixes)):
        return True
    return filled[0].startswith(opening)


@cache
def _note_prefixes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the words a note starts with, the same with a colon: “注：”)."""
    prefixes = tuple(load_schema().raw["x-flat"]["note_prefixes"])
    return prefixes, tuple(p + s for p in prefixes for s in ("：", ":"))


def is_data_row(row: list[Any], names: list[str]) -> bool:
    """Neither a note row (:func:`is_note_row`) nor a repeat of the header.

    Looks no further than the first two texts that differ.
    """
    first = None
    repeated = False
    for cell in row:
        text = cell_text(cell)
        if text is None:
            continue
        if first is None:
            first = text
        elif text == first:
            repeated = True
        else:
            break
    else:  # no two texts differ: blank, a title merged across, or a lone note
        if first is None or is_note_row([first, first] if repeated else [first]):
            return False
    if is_note_row([first, first + "·"]):  # “注：…” opens a note row whatever follows
        return False
    header_first = next((n for n in names if n), None)
    return not (first == header_first and [cell_text(c) or "" for c in row[: len(names)]] == names)


class FlatSheetReader:
    """Turns one flat grid into leaves (with situations, materials, steps) under main items.

    It works column by column: each column's distinct values are converted once (their texts
    cleaned in one pass), changes are counted from the cells as written (the copies a merge made
    count once, at the merged cell), then rows are put together into records.
    """

    def __init__(
        self, grid: Grid, layout: Layout, changes: Changes, findings: list[Finding]
    ) -> None:
        self.grid = grid
        self.layout = layout
        self.changes = changes
        self.findings = findings
        self.letters = {key: xl_col_to_name(i) for i, key in layout.columns.items()}
        self.leaf_letters = {k: v for k, v in self.letters.items() if "." not in k}
        self.situation_letters = {
            k.split(".", 1)[1]: v for k, v in self.letters.items() if k.startswith("situation.")
        }
        self.main_letters = {
            k.split(".", 1)[1]: v for k, v in self.letters.items() if k.startswith("main.")
        }
        if "main_code" in self.letters:
            self.main_letters["basic_code"] = self.letters["main_code"]
        self.list_letters = {
            key: dict.fromkeys(
                (
                    "seq",
                    "name",
                    "material_type",
                    "material_form",
                    "copies",
                    "necessity",
                    "source_channel",
                    "post",
                    "time_limit",
                ),
                self.letters[key],
            )
            for key in LIST_KEYS
            if key in self.letters
        }
        self.leaves: dict[tuple[Any, ...], Leaf] = {}
        self.flat = FlatRecords()
        self.main_index = MainIndex(self.flat, grid.file, grid.sheet, self.main_letters)

    def read(self, positions: list[int], written_by_column: list[tuple[Any, ...]]) -> FlatRecords:
        """Read the data rows at ``positions`` (0-based) of the grid.

        ``written_by_column`` holds their cells before merges were expanded.
        """
        data_rows = _picker(positions)(self.grid.rows)
        by_column = _transposed(data_rows, len(written_by_column))
        columns: dict[str, list[Any]] = {}
        lists: dict[str, tuple[Any, ...]] = {}
        for index, key in self.layout.columns.items():
            cells = by_column[index]
            written = written_by_column[index]
            if key in LIST_KEYS:
                texts = self._list_texts(cells, written)
                lists[key] = tuple(map(texts.__getitem__, cells))
            else:
                columns[key] = self._convert(index, key, cells, written, positions)
        extras = [(name, by_column[i]) for i, name in self.layout.extras.items()]
        main_keys = [(k, k.split(".", 1)[1]) for k in columns if k.startswith("main.")]
        situation_keys = [(k, k.split(".", 1)[1]) for k in columns if k.startswith("situation.")]
        # each leaf's values in the order of Leaf's own fields (positional arguments build it
        # fastest)
        blank: tuple[Any, ...] = (None,) * len(positions)
        leaf_columns = (columns.get(k, blank) for k in _LEAF_VALUE_FIELDS)
        leaf_rows = _transposed(leaf_columns, len(positions))
        copied = [
            i for i, k in enumerate(_LEAF_VALUE_FIELDS) if field_for(k).kind in ("multi", "list")
        ]
        main_names = [name for _, name in main_keys]
        main_rows = _transposed((columns[k] for k, _ in main_keys), len(positions))
        situation_names = [name for _, name in situation_keys]
        situation_lists = [
            name
            for name in situation_names
            if field_for(f"situation.{name}").kind in ("multi", "list")
        ]
        situation_columns = (columns[k] for k, _ in situation_keys)
        situation_rows = _transposed(situation_columns, len(positions))
        impl = columns.get("impl_code")
        file, sheet = self.grid.file, self.grid.sheet
        for p, index in enumerate(positions):
            code = impl[p] if impl is not None else None
            identity = (
                (code,)
                if code
                else tuple(
                    columns[k][p] if k in columns else None
                    for k in ("name", "agency", "handling_code")
                )
            )
            leaf = self.leaves.get(identity)
            if leaf is None:
                leaf = self._leaf(p, index, leaf_rows, copied, lists, extras)
                self.leaves[identity] = leaf
                main_values = dict(zip(main_names, main_rows[p], strict=True))
                if leaf.name is None and main_values.get("name"):
                    leaf.name = main_values["name"]
                self.flat.leaves.append(
                    (self.main_index.main_for(leaf, main_values, index + 1), leaf)
                )
            situation = situation_rows[p]
            if any(situation):
                values = dict(zip(situation_names, situation, strict=True))
                # a distinct value's list is shared down the column: each situation gets its own
                for name in situation_lists:
                    values[name] = values[name].copy()
                leaf.situations.append(
                    Situation(
                        **values, source=Source(file, sheet, index + 1, self.situation_letters)
                    )
                )
        return self.flat

    def _leaf(
        self,
        p: int,
        index: int,
        leaf_rows: list[tuple[Any, ...]],
        copied: list[int],
        lists: dict[str, tuple[Any, ...]],
        extras: list[tuple[str, tuple[Any, ...]]],
    ) -> Leaf:
        """The leaf a row starts: its values, its one-cell lists as records and its unmapped
        columns as extras.
        """
        values = list(leaf_rows[p])
        # a distinct value's list is shared down the column: each leaf gets its own
        for i in copied:
            value = values[i]
            values[i] = value.copy() if value.__class__ is list else []
        source = Source(self.grid.file, self.grid.sheet, index + 1, self.leaf_letters)
        records = {}
        for key, texts in lists.items():
            text = texts[p]
            if text:
                where = Source(self.grid.file, self.grid.sheet, index + 1, self.list_letters[key])
                records[key] = parse_items(
                    text, where, "material" if key == "materials" else "step"
                )
        extra = {name: text for name, cells in extras if (text := cell_text(cells[p]))}
        return Leaf(*values, **records, extra=extra, source=source)

    def _convert(
        self,
        index: int,
        key: str,
        cells: tuple[Any, ...],
        written: tuple[Any, ...],
        positions: list[int],
    ) -> list[Any]:
        """A column's values, counting the changes of the cells as written."""
        field = field_for(key)
        converted = convert_distinct(field, cells)
        if converted is None:  # booleans mixed with numbers: one cell at a time
            convert = converter(field, self.changes.counter(self.grid.file))
            return [convert(c) for c in cells]
        values, kinds = converted
        if kinds:
            counts = Counter(written)
            for cell, changed in kinds.items():
                for kind in changed:
                    self.changes.add(self.grid.file, kind, counts.get(cell, 0))
        if field.is_code and any(c.__class__ is float for c in values):
            for p, cell in enumerate(written):
                if cell.__class__ is float:
                    source = Source(
                        self.grid.file,
                        self.grid.sheet,
                        positions[p] + 1,
                        self.leaf_letters if "." not in key else self.main_letters,
                    )
                    self.findings.append(code_as_number(field.title, key, cell, source))
        return list(map(values.__getitem__, cells))

    def _list_texts(
        self, cells: tuple[Any, ...], written: tuple[Any, ...]
    ) -> dict[Any, str | None]:
        """Each distinct cell of a one-cell-list column → its cleaned text.

        Counts the cleaning and the splitting once per cell as written.
        """
        texts = {cell: cell_text(cell) for cell in {*cells, *written}}
        filled = [t for t in dict.fromkeys(texts.values()) if t]
        cleaned = dict(zip(filled, clean_many("block", filled), strict=True))
        for cell, n in Counter(written).items():
            text = texts[cell]
            if text:
                for kind in cleaned[text][1] + ("list_split",):
                    self.changes.add(self.grid.file, kind, n)
        return {cell: cleaned[text][0] if text else None for cell, text in texts.items()}


class MainIndex:
    """Main items of a flat source, found by code or by name, or made from a leaf that stands
    alone.
    """

    def __init__(self, flat: FlatRecords, file: str, sheet: str, letters: dict[str, str]) -> None:
        self.flat = flat
        self.where = (file, sheet)
        self.letters = letters  # the main-item columns' letters
        self.mains: dict[tuple[Any, ...], MainItem] = {}

    def main_for(self, leaf: Leaf, main_values: dict[str, Any], row: int) -> MainItem:
        """The main item of a row (its Excel number).

        It comes from the row's main-item columns, or is the leaf standing as its own main item.
        """
        code = leaf.main_code or (None if main_values.get("name") else leaf.basic_code)
        if code:
            key: tuple[Any, ...] = (code,)
        elif main_values.get("name"):
            key = (main_values.get("name"), main_values.get("department"))
        else:
            key = ("leaf", id(leaf))  # no code and no main-item columns: the leaf stands alone
        main = self.mains.get(key)
        if main is None:
            main = MainItem(
                basic_code=code,
                name=main_values.get("name") or leaf.name,
                item_type=main_values.get("item_type") or leaf.item_type,
                legal_basis=main_values.get("legal_basis") or leaf.legal_basis,
                exercise_level=main_values.get("exercise_level") or list(leaf.exercise_level),
                department=main_values.get("department") or leaf.agency,
                source=Source(*self.where, row, self.letters),
            )
            self.mains[key] = main
            self.flat.mains.append(main)
        return main


def read_flat_grid(
    grid: Grid, changes: Changes, findings: list[Finding]
) -> tuple[FlatRecords, Layout] | None:
    """Read one flat sheet; None when the sheet has no recognizable header."""
    _pad(grid.rows)
    # the cells as written, by column, before merges are expanded
    written = list(zip(*grid.rows, strict=True))
    merged_cells = grid.expand_merged()
    lookup = flat_lookup()
    found = find_header(grid.rows, lookup)
    if found is None:
        return None
    start, end, names = found
    columns, headers, extras = map_header(names, lookup)
    header_rows = tuple(range(start + 1, end + 1))
    layout = Layout(grid.file, grid.sheet, "flat", header_rows, columns, headers, extras)
    if merged_cells:
        changes.add(grid.file, "merged_cell", merged_cells)
    header_source = Source(grid.file, grid.sheet, end, {})
    findings.extend(unmapped_findings(extras, lookup, header_source))
    width = _pad(grid.rows)  # a merge may reach past the last column
    positions = [i for i in range(end, len(grid.rows)) if is_data_row(grid.rows[i], names)]
    pick = _picker(positions)
    written_at = [pick(column) for column in written] + [("",) * len(positions)] * (
        width - len(written)
    )
    reader = FlatSheetReader(grid, layout, changes, findings)
    return reader.read(positions, written_at), layout


def _picker(positions: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function taking the items at ``positions`` from a column.

    A slice when they follow each other, as data rows mostly do.
    """
    if positions and positions[-1] - positions[0] == len(positions) - 1:
        return operator.itemgetter(slice(positions[0], positions[-1] + 1))
    if len(positions) > 1:
        return operator.itemgetter(*positions)
    return lambda column: tuple(column[i] for i in positions)


def _transposed(lines: Iterable[Sequence[Any]], count: int) -> list[tuple[Any, ...]]:
    """Columns of equally long rows, or rows of equally long columns.

    ``count`` empty tuples when ``lines`` is empty, so there is one tuple per row (or column)
    either way.
    """
    return list(zip(*lines, strict=True)) or [()] * count


def _pad(rows: list[list[Any]]) -> int:
    """Make every row as long as the longest (CSV rows can be ragged); return that width."""
    width = max(map(len, rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return width
