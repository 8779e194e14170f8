"""Read flat sheets: one row per leaf item (or per handling situation), main-item columns repeated
or merged, whole material and step lists in one cell."""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.text import clean_many
from catalog_cli.model.values import cell_text, parse_time_limit
from catalog_cli.read.assemble import FlatRecords
from catalog_cli.read.grid import Grid
from catalog_cli.read.infer import Inferred, infer_columns
from catalog_cli.read.layout import (
    Layout,
    code_as_number,
    find_header,
    map_header,
    unmapped_findings,
)
from catalog_cli.read.normalize import Changes
from catalog_cli.read.units import is_unit_key, pair_unit_columns, with_units
from catalog_cli.read.values import convert_distinct, converter
from catalog_cli.schema import Field, flat_lookup, fold_header, load_schema, time_unit_of

# an item number: each branch opens with a character class, so the scan runs at C speed; whether a
# number found in mid-text starts an item (it must follow a separator) is decided in _item_spans
# (the lookahead names every branch's first character: the engine then skips other characters fast)
_ITEM_NUMBER = re.compile(
    r"(?=[①-⑳（(\d一二三四五六七八九十])(?:[①-⑳]|[（(]\d{1,3}[)）]|(\d{1,3}\s*[.．、）)])|([一二三四五六七八九十]{1,3}、))"
)
_BEFORE_ITEM = "；;。，,"
_TRAILING = "；;。，,、 \n"
OPEN, CLOSE = "（(", "）)"
LIST_KEYS = ("materials", "steps")
_LEAF_VALUE_FIELDS = data_fields(Leaf)[
    : data_fields(Leaf).index("situations")
]  # the element fields, in order


def split_numbered(text: str) -> list[str]:
    """Split a numbered list in one cell into items.

    Items are numbered like “1.…；2.…”, “（1）…”, “①…” or “一、…”, or written one per line or
    separated by ；; outside brackets.
    """
    spans = _item_spans(text)
    if spans and spans[0][0] <= 1:
        pieces = [
            text[end:following]
            for (_, end), (following, _) in zip(spans, [*spans[1:], (len(text), 0)], strict=True)
        ]
    else:
        pieces = _split_outside_brackets(text)
    return [item for p in pieces if (item := p.strip().strip(_TRAILING).strip())]


def _split_outside_brackets(text: str) -> list[str]:
    """Split an unnumbered list on line breaks and ；; outside brackets, so that an item's
    attributes (“申请书（原件；必要）”) stay with it."""
    if not any(ch in text for ch in OPEN):
        return re.split(r"[\n；;]", text)
    pieces, start, depth = [], 0, 0
    for index, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif ch == "\n" or (depth == 0 and ch in "；;"):
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return pieces


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


@dataclass(frozen=True)
class _BracketWords:
    """The schema's words for the attributes in a list item's closing bracket, compiled."""

    parts: str  # the separators between attributes
    within: re.Pattern[str]  # the separators inside one attribute, tried when it is not known whole
    copies: re.Pattern[str]  # 份数, with an optional 材料类型 before it or in a bracket after it


@cache
def _bracket_words() -> _BracketWords:
    flat = load_schema().raw["x-flat"]
    separators = flat["attribute_separators"]
    within = "".join(re.escape(s) for s in separators["within"] if s != " ")
    if " " in separators["within"]:
        within += r"\s"
    copies = flat["material_copies"]
    units = "|".join(map(re.escape, sorted(copies["units"], key=len, reverse=True)))
    pattern = (
        r"^(?P<type>\D*?)\s*(?P<each>" + re.escape(copies["each"]) + r")?\s*"
        r"(?P<num>\d+|[" + re.escape(copies["numerals"]) + r"]+)\s*(?P<unit>" + units + r")?\s*"
        r"(?:[（(](?P<inner>[^（()）]+)[)）])?$"
    )
    return _BracketWords(
        "".join(separators["parts"]), re.compile(f"[{within}]+"), re.compile(pattern)
    )


def _top_level_parts(content: str) -> list[str]:
    """Split bracket content on the attribute separators (，,；;) outside nested brackets."""
    separators = _bracket_words().parts
    parts, current, depth = [], [], 0
    for ch in content:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth -= 1
        elif depth == 0 and ch in separators:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


# one attribute as (field, value) pairs; a bare number as 份数 is marked so that a bracket holding
# nothing else stays part of the name (附件（1）)
_Placed = tuple[tuple[tuple[str, Any], ...], bool]


def _copies(part: str) -> _Placed | None:
    """“1份”, “1”, “两份”, “原件1份”, “复印件2份”, “2份（复印件）”, “原件和复印件各1份” → 份数 (as
    written, without the type) and the 材料类型 the part names."""
    m = _bracket_words().copies.match(part)
    if m is None:
        return None
    kind, inner, num, unit = m["type"].strip(), m["inner"], m["num"], m["unit"]
    if not num.isdecimal() and unit is None:
        return None  # 一 alone is not a count
    table = load_schema().records["material"].fields["material_type"].table
    assert table is not None
    copies = f"{num}{unit or ''}"
    types = []
    if kind:
        if (code := table.lookup(kind)) is None:
            return None
        types.append(code)
    if inner:
        if (code := table.lookup(inner.strip())) is not None:
            types.append(code)
        elif unit is not None:  # 1份（核验后退回）: a note on the count, kept with it
            copies = part[m.start("num") :]
        else:
            return None
    if len(set(types)) > 1:
        return None
    pairs: tuple[tuple[str, Any], ...] = (("copies", copies),)
    if types:
        pairs += (("material_type", types[0]),)
    return pairs, not types and unit is None and not m["each"]


def _place(part: str, keys: tuple[str, ...], record: str) -> _Placed | None:
    """The attribute one bracket part names, or None when it names none."""
    fields = load_schema().records[record].fields
    if record == "material" and (placed := _copies(part)) is not None:
        return placed
    for key in keys:
        f = fields[key]
        if f.kind == "time_limit":
            limit = parse_time_limit(part, time_unit_of)
            if limit.unit is not None:
                return ((key, limit),), False
        elif f.table is not None and (code := f.table.lookup(part)) is not None:
            return ((key, code),), False
        elif key == "post" and not any(ch.isdigit() for ch in part):
            return ((key, part),), False
    return None


def _combined(key: str, old: Any, new: Any, record: str) -> Any | None:
    """Two values of one code-table field (原件 and 复印件) as the one code naming both, if any."""
    table = load_schema().records[record].fields[key].table
    if table is None:
        return None
    separator = load_schema().raw["x-flat"]["attribute_separators"]["within"][0]
    for a, b in ((old, new), (new, old)):
        code = table.lookup(f"{table.label(a)}{separator}{table.label(b)}")
        if code is not None:
            return code
    return None


def _attributes(
    text: str, keys: tuple[str, ...], record: str
) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """Split “名称（原件，纸质，1份，必要）” into the name, the attributes the bracket names and
    the bracket parts that name none.

    Attributes may come in any order, separated by ，,；; (or 、/ and spaces where a part is not
    known whole). A bracket naming no attribute is part of the name (营业执照（副本））, as is one
    holding only a bare number (附件（1））.
    """
    split = _last_bracket(text)
    if split is None or not split[0]:
        return text, {}, ()
    name, content = split
    found: dict[str, Any] = {}
    copies: list[str] = []
    unplaced: list[str] = []
    bare_only = True

    def put(part: str, placed: _Placed) -> None:
        nonlocal bare_only
        pairs, bare = placed
        bare_only = bare_only and bare
        for key, value in pairs:
            if key == "copies":
                copies.append(part)
                if len(copies) > 1:  # 原件1份，复印件2份: the counts as written
                    found[key] = "、".join(copies)
                    continue
            if key not in found or found[key] == value:
                found[key] = value
            elif (both := _combined(key, found[key], value, record)) is not None:
                found[key] = both
            else:
                unplaced.append(part)
                return

    for part in _top_level_parts(content):
        placed = _place(part, keys, record)
        post = placed is not None and placed[0][0][0] == "post"  # any text without digits
        if placed is not None and not post:
            put(part, placed)
            continue
        pieces = (
            [p for p in _bracket_words().within.split(part) if p]
            if not any(ch in part for ch in OPEN)
            else [part]
        )
        known = [(p, _place(p, keys, record)) for p in pieces] if len(pieces) > 1 else []
        if placed is not None and not any(got and got[0][0][0] != "post" for _, got in known):
            put(part, placed)  # 窗口、综合岗 is one post; 窗口、即办 is a post and a time limit
        elif any(got for _, got in known):
            for piece, got in known:
                if got is None:
                    unplaced.append(piece)
                else:
                    put(piece, got)
        else:
            unplaced.append(part)
    if not found or bare_only:
        return text, {}, ()
    return name, found, tuple(unplaced)


def parse_items(
    text: str,
    source: Source,
    record: str,
    findings: list[Finding] | None = None,
    item: str | None = None,
) -> list[Any]:
    """A numbered list in one cell → materials or steps.

    Each gets its 序号 and the attributes its brackets name. A bracket part that names no
    attribute stays in the material's 备注 or in the step's name, with a warning in ``findings``
    (``item`` names the leaf).
    """
    cls = RECORD_CLASSES[record]
    out = []
    for seq, (values, unplaced) in enumerate(_split_items(text, record), start=1):
        out.append(cls(seq, *values, {}, source))  # then extra, source
        if unplaced and findings is not None:
            findings.append(_unplaced_finding(record, values[0], unplaced, source, item))
    return out


def _unplaced_finding(
    record: str, name: str, unplaced: tuple[str, ...], source: Source, item: str | None
) -> Finding:
    schema = load_schema()
    fields = schema.records[record].fields
    keys = tuple(schema.raw["x-flat"][f"{record}_attributes"])
    if record == "material":
        code = "material-attribute-unknown"
        keys = (*keys[:2], "copies", *keys[2:])
        kept = f"已保留在{fields['note'].title}中"
    else:
        code = "step-attribute-unknown"
        keys = tuple(reversed(keys))
        kept = f"已保留在{fields['name'].title}中"
    titles = "、".join(fields[k].title for k in keys)
    column = schema.records["leaf"].fields["materials" if record == "material" else "steps"].title
    parts = "”“".join(unplaced)
    return make_finding(
        code,
        "warning",
        source,
        f"{column}“{name}”括号中的“{parts}”不是可识别的{schema.records[record].title}属性"
        f"（{titles}），{kept}：请核对或改成标准写法",
        element=column,
        key="name",
        item=item,
        value="，".join(unplaced),
    )


@lru_cache(maxsize=4096)
def _split_items(text: str, record: str) -> tuple[tuple[tuple[Any, ...], tuple[str, ...]], ...]:
    """Each item of a one-cell list as (the positional values after 序号, the bracket parts that
    name no attribute).

    Lists recur, so this is cached.
    """
    return tuple(_item(item, record) for item in split_numbered(text))


@lru_cache(maxsize=65536)
def _item(text: str, record: str) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    """One list item's name and attributes, in field order up to ``extra``, and the bracket parts
    that name no attribute (kept in the material's 备注 or the step's name).

    The same items recur across a catalog, so this is cached.
    """
    name, attrs, unplaced = _attributes(
        text, tuple(load_schema().raw["x-flat"][f"{record}_attributes"]), record
    )
    if unplaced:
        if record == "material":
            attrs["note"] = "，".join(unplaced)
        else:
            name = f"{name}（{'，'.join(unplaced)}）"
    middle = _middle_fields(record)
    assert attrs.keys() <= set(middle), attrs  # the schema names only fields of the record
    return (name, *(attrs.get(f) for f in middle)), unplaced


@cache
def _middle_fields(record: str) -> tuple[str, ...]:
    """The fields of a list record between ``name`` and ``extra``.

    Of the record's fields, ``seq`` comes first, ``extra`` and ``source`` last.
    """
    names = data_fields(RECORD_CLASSES[record])
    assert names[:2] == ("seq", "name") and names[-1] == "extra", names
    return names[2:-1]


def parse_materials(
    text: str, source: Source, findings: list[Finding] | None = None, item: str | None = None
) -> list[Material]:
    return parse_items(text, source, "material", findings, item)


def parse_steps(
    text: str, source: Source, findings: list[Finding] | None = None, item: str | None = None
) -> list[Step]:
    return parse_items(text, source, "step", findings, item)


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
        self.unit_columns = pair_unit_columns(layout, findings)  # read/units.py
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
        # the leaves read so far by code (or name, agency, handling code), with the row each
        # started at
        self.leaves: dict[tuple[Any, ...], list[tuple[Leaf, int]]] = {}
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
        list_rows = _transposed(lists.values(), len(positions))
        extra_rows = _transposed((cells for _, cells in extras), len(positions))
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
            situation = situation_rows[p]
            leaf = None
            if any(situation):  # a row that only adds a situation to a leaf above it
                for earlier, q in reversed(self.leaves.get(identity, ())):
                    if all(
                        _continues(rows[q], rows[p])
                        for rows in (leaf_rows, main_rows, list_rows, extra_rows)
                    ):
                        leaf = earlier
                        break
            if leaf is None:  # a new leaf, even when its code repeats (checks report that)
                leaf = self._leaf(p, index, leaf_rows, copied, lists, extras)
                self.leaves.setdefault(identity, []).append((leaf, p))
                main_values = dict(zip(main_names, main_rows[p], strict=True))
                if leaf.name is None and main_values.get("name"):
                    leaf.name = main_values["name"]
                self.flat.leaves.append(
                    (self.main_index.main_for(leaf, main_values, index + 1), leaf)
                )
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
        extra = {name: text for name, cells in extras if (text := cell_text(cells[p]))}
        leaf = Leaf(*values, extra=extra, source=source)
        for key, texts in lists.items():
            text = texts[p]
            if text:
                where = Source(self.grid.file, self.grid.sheet, index + 1, self.list_letters[key])
                record = "material" if key == "materials" else "step"
                items = parse_items(text, where, record, self.findings, leaf.label)
                setattr(leaf, key, items)
        return leaf

    def _convert(
        self,
        index: int,
        key: str,
        cells: tuple[Any, ...],
        written: tuple[Any, ...],
        positions: list[int],
    ) -> list[Any]:
        """A column's values, counting the changes of the cells as written."""
        if is_unit_key(key):  # a time limit's unit: joined to its number (read/units.py)
            return list(cells)
        field = field_for(key)
        converted = convert_distinct(field, cells)
        if converted is None:  # booleans mixed with numbers: one cell at a time
            convert = converter(field, self.changes.counter(self.grid.file))
            return with_units(self, key, [convert(c) for c in cells], positions)
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
        return with_units(self, key, list(map(values.__getitem__, cells)), positions)

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
    grid: Grid, changes: Changes, findings: list[Finding], infer: bool = True
) -> tuple[FlatRecords, Layout] | None:
    """Read one flat sheet; None when the sheet has no recognizable header.

    With ``infer`` a column whose header is unknown is read as an element when its content
    shows clearly which one (read/infer.py); a recognised header always wins.
    """
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
    width = _pad(grid.rows)  # a merge may reach past the last column
    positions = [i for i in range(end, len(grid.rows)) if is_data_row(grid.rows[i], names)]
    header_source = Source(grid.file, grid.sheet, end, {})
    unknown = {i: n for i, n in extras.items() if fold_header(n) not in lookup}
    inferred = (
        infer_columns(
            unknown,
            columns,
            lambda i: (grid.rows[p][i] for p in positions),
            header_source,
            xl_col_to_name,
        )
        if infer and unknown
        else Inferred()
    )
    for index, key in inferred.columns.items():
        columns[index] = key
        headers[index] = extras.pop(index)
    columns = dict(sorted(columns.items()))
    header_rows = tuple(range(start + 1, end + 1))
    layout = Layout(
        grid.file, grid.sheet, "flat", header_rows, columns, headers, extras, inferred.evidence
    )
    if merged_cells:
        changes.add(grid.file, "merged_cell", merged_cells)
    kept = {i: n for i, n in extras.items() if i not in inferred.judged}
    findings.extend(unmapped_findings(kept, lookup, header_source))
    findings.extend(inferred.findings)
    pick = _picker(positions)
    written_at = [pick(column) for column in written] + [("",) * len(positions)] * (
        width - len(written)
    )
    reader = FlatSheetReader(grid, layout, changes, findings)
    return reader.read(positions, written_at), layout


def _continues(first: tuple[Any, ...], row: tuple[Any, ...]) -> bool:
    """Whether a row's values repeat a leaf's first row (or leave cells blank).

    Rows of one leaf, one per situation, repeat its cells or leave them blank (merged cells are
    expanded before); a row whose values differ is another leaf, even under the same code.
    """
    return first == row or all(
        value == start or value is None or value == "" or value == []
        for start, value in zip(first, row, strict=True)
    )


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
