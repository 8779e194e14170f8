"""Read flat sheets: one row per leaf item (or per handling situation), main-item columns repeated
or merged, whole material and step lists in one cell."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from catalog_cli.model import RECORD_CLASSES, Leaf, MainItem, Material, Situation, Source, Step
from catalog_cli.read.assemble import FlatRecords
from catalog_cli.read.grid import Grid
from catalog_cli.read.layout import Layout, code_as_number, find_header, map_header, unmapped_findings
from catalog_cli.read.normalize import Changes, clean_block
from catalog_cli.read.values import cell_text, converter, parse_time_limit
from catalog_cli.report.findings import Finding
from catalog_cli.schema import Field, flat_lookup, load_schema

_ITEM_START = re.compile(
    r"[①-⑳]|[（(]\d{1,3}[)）]|^\s*\d{1,3}\s*[.．、）)]"
    r"|(?<=[\s；;。，,])(?:\d{1,3}\s*(?:[.．](?!\d)|[、）)])|[一二三四五六七八九十]{1,3}、)"
    r"|^\s*[一二三四五六七八九十]{1,3}、"
)
_TRAILING = "；;。，,、 \n"
OPEN, CLOSE = "（(", "）)"
_PARTS = re.compile(r"[，,；;]")
_COPIES = re.compile(r"^\d+\s*[份张本套页件](?:$|[（(])")
LIST_KEYS = ("materials", "steps")


def split_numbered(text: str) -> list[str]:
    """Split a numbered list in one cell (“1.…；2.…”, “（1）…”, “①…”, “一、…”, one per line) into items."""
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if len(starts) >= 1 and starts[0] <= 1:
        pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
        pieces = [_ITEM_START.sub("", p, count=1) for p in pieces]
    else:
        pieces = re.split(r"[\n；;]", text)
    return [p.strip().strip(_TRAILING).strip() for p in pieces if p.strip().strip(_TRAILING).strip()]


def _last_bracket(text: str) -> tuple[str, str] | None:
    """(text before, content) of a bracket group closing the text, allowing one nested bracket inside."""
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
                limit = parse_time_limit(part)
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
    """A numbered list in one cell → materials or steps with 序号 and the attributes their brackets name."""
    keys = tuple(load_schema().raw["x-flat"][f"{record}_attributes"])
    cls = RECORD_CLASSES[record]
    out = []
    for seq, item in enumerate(split_numbered(text), start=1):
        name, attrs = _attributes(item, keys, record)
        out.append(cls(seq=seq, name=name, source=source, **attrs))
    return out


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
    """A title or note row: one text spread over the row by a merge, or a line starting with 注 / 说明."""
    filled = [t for t in texts if t]
    if not filled:
        return True
    prefixes = tuple(load_schema().raw["x-flat"]["note_prefixes"])
    if len(set(filled)) == 1 and (len(filled) > 1 or filled[0].startswith(prefixes)):
        return True
    return filled[0].startswith(tuple(p + s for p in prefixes for s in ("：", ":")))


class FlatSheetReader:
    """Turns one flat grid into leaves (with situations, materials, steps) under main items."""

    def __init__(self, grid: Grid, layout: Layout, changes: Changes, findings: list[Finding]) -> None:
        self.grid = grid
        self.layout = layout
        self.findings = findings
        self.count = changes.counter(grid.file)
        self.letters = {key: xl_col_to_name(i) for i, key in layout.columns.items()}
        self.leaf_letters = {k: v for k, v in self.letters.items() if "." not in k}
        self.convert: dict[int, Callable[[Any], Any]] = {
            i: converter(field_for(key), self.count) for i, key in layout.columns.items() if key not in LIST_KEYS
        }
        keys = list(layout.columns.values())
        self.main_keys = [(k, k.split(".", 1)[1]) for k in keys if k.startswith("main.")]
        self.situation_keys = [(k, k.split(".", 1)[1]) for k in keys if k.startswith("situation.")]
        self.situation_letters = {k.split(".", 1)[1]: v for k, v in self.letters.items() if k.startswith("situation.")}
        self.code_columns = {i for i, key in layout.columns.items() if key not in LIST_KEYS and field_for(key).is_code}
        # a merged cell copied down holds the very object above it: reuse its value, count its changes once
        self.previous: dict[int, tuple[Any, Any]] = {}
        self.main_letters = {k.split(".", 1)[1]: v for k, v in self.letters.items() if k.startswith("main.")}
        if "main_code" in self.letters:
            self.main_letters["basic_code"] = self.letters["main_code"]
        self.leaves: dict[tuple[Any, ...], Leaf] = {}
        self.flat = FlatRecords()
        self.main_index = MainIndex(self.flat)

    def values(self, row: list[Any], source: Source) -> dict[str, Any]:
        out: dict[str, Any] = {}
        width = len(row)
        for index, key in self.layout.columns.items():
            cell = row[index] if index < width else ""
            previous = self.previous.get(index)
            if previous is not None and previous[0] is cell and cell != "" and self.grid.is_copy((source.row or 0) - 1, index):
                value = previous[1]
                out[key] = list(value) if isinstance(value, list) and key not in LIST_KEYS else value
                continue
            if key in LIST_KEYS:
                out[key] = self.list_value(cell, key, source)
            else:
                if index in self.code_columns and isinstance(cell, float):
                    self.findings.append(code_as_number(field_for(key).title, key, cell, source))
                out[key] = self.convert[index](cell)
            self.previous[index] = (cell, out[key])
        return out

    def list_value(self, cell: Any, key: str, source: Source) -> list[Any] | None:
        """A one-cell numbered list as materials or steps."""
        text = cell_text(cell)
        if not text:
            return None
        clean, kinds = clean_block(text)
        self.count(kinds + ("list_split",))
        letter = self.letters[key]
        where = Source(source.file, source.sheet, source.row, {k: letter for k in ("seq", "name", "material_type", "material_form", "copies", "necessity", "source_channel", "post", "time_limit")})
        return parse_materials(clean, where) if key == "materials" else parse_steps(clean, where)

    def read_row(self, index: int, row: list[Any]) -> None:
        source = Source(self.grid.file, self.grid.sheet, index + 1, self.leaf_letters)
        values = self.values(row, source)
        extra = {name: text for i, name in self.layout.extras.items() if i < len(row) and (text := cell_text(row[i]))}
        main_values = {name: values.pop(key) for key, name in self.main_keys if key in values}
        situation_values = {name: values.pop(key) for key, name in self.situation_keys if key in values}
        identity = (values.get("impl_code"),) if values.get("impl_code") else (values.get("name"), values.get("agency"), values.get("handling_code"))
        leaf = self.leaves.get(identity)
        if leaf is None:
            leaf = Leaf(**{k: v for k, v in values.items() if v is not None}, extra=extra, source=source)
            if leaf.name is None and main_values.get("name"):
                leaf.name = main_values["name"]
            self.leaves[identity] = leaf
            main_source = Source(source.file, source.sheet, source.row, self.main_letters)
            self.flat.leaves.append((self.main_for(leaf, main_values, main_source), leaf))
        if any(v for v in situation_values.values()):
            situation_source = Source(self.grid.file, self.grid.sheet, index + 1, self.situation_letters)
            leaf.situations.append(Situation(**{k: v for k, v in situation_values.items() if v not in (None, [])}, source=situation_source))

    def main_for(self, leaf: Leaf, main_values: dict[str, Any], source: Source) -> MainItem:
        return self.main_index.main_for(leaf, main_values, source)


class MainIndex:
    """Main items of a flat source, found by code or by name, or made from a leaf that stands alone."""

    def __init__(self, flat: FlatRecords) -> None:
        self.flat = flat
        self.mains: dict[tuple[Any, ...], MainItem] = {}

    def main_for(self, leaf: Leaf, main_values: dict[str, Any], source: Source) -> MainItem:
        """The main item of a row: from its main-item columns, or the leaf standing as its own main item."""
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
                source=source,
            )
            self.mains[key] = main
            self.flat.mains.append(main)
        return main


def read_flat_grid(grid: Grid, changes: Changes, findings: list[Finding]) -> tuple[FlatRecords, Layout] | None:
    """Read one flat sheet; None when the sheet has no recognizable header."""
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
    reader = FlatSheetReader(grid, layout, changes, findings)
    header_source = Source(grid.file, grid.sheet, end, {})
    findings.extend(unmapped_findings(extras, lookup, header_source))
    for index in range(end, len(grid.rows)):
        row = grid.rows[index]
        texts = [cell_text(c) or "" for c in row]
        if is_note_row(texts) or texts[: len(names)] == names:
            continue
        reader.read_row(index, row)
    return reader.flat, layout

