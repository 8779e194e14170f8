"""Turn cell values into model values and back, driven by the schema's field kinds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from catalog_cli.model import TimeLimit
from catalog_cli.model.text import CLEANERS, clean_column
from catalog_cli.model.values import cell_text, format_time_limit, parse_time_limit
from catalog_cli.schema import Field, load_schema, time_unit_of

_INT = re.compile(r"^(\d+)\s*次?$")

OPEN_BRACKETS, CLOSE_BRACKETS = "（(【[《", "）)】]》"


@cache
def _separators(separators: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(s) for s in sorted(separators, key=len, reverse=True)))


def split_multi(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split a cell holding several values, never inside brackets.

    So 镇（乡、街道）级 is one value.
    """
    if not any(ch in text for ch in OPEN_BRACKETS):
        return [part.strip() for part in _separators(separators).split(text) if part.strip()]
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in OPEN_BRACKETS:
            depth += 1
        elif ch in CLOSE_BRACKETS and depth:
            depth -= 1
        elif depth == 0:
            sep = next((s for s in separators if text.startswith(s, i)), None)
            if sep is not None:
                parts.append("".join(current))
                current = []
                i += len(sep)
                continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def parse_value(field: Field, value: Any) -> Any:
    """A cell value → the model value for a field.

    Values that cannot be normalized keep their text.
    """
    if field.kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    if text is None:
        return [] if field.kind in ("multi", "list") else None
    kind = field.kind
    if kind == "text":
        return text
    if kind in ("enum", "yes_no"):
        code = field.table.lookup(text)  # type: ignore[union-attr]
        return text if code is None else code
    if kind == "multi":
        parts = split_multi(text, load_schema().separators)
        return [field.table.lookup(p) or p for p in parts]  # type: ignore[union-attr]
    if kind == "list":
        return split_multi(text, ("；", ";", "\n"))
    if kind == "integer":
        m = _INT.match(text)
        return int(m.group(1)) if m else text
    if kind == "time_limit":
        return parse_time_limit(text, time_unit_of)
    raise ValueError(f"field {field.key} of kind {kind} is not read from a cell")


CACHE_LIMIT = 10_000
_NUMBERS = frozenset((bool, int, float))


def _value_changes(field: Field, text: str, value: Any) -> tuple[str, ...]:
    """Which normalizations turning ``text`` into ``value`` count as a change."""
    kind = field.kind
    if kind == "yes_no":
        return ("yes_no",) if value in (True, False) and text not in ("是", "否") else ()
    if kind == "enum" and field.table is not None and value in field.table.labels:
        return ("enum",) if text not in (field.table.label(value), value) else ()
    if kind == "multi" and field.table is not None:
        labels = {field.table.label(v) for v in value if v in field.table.labels}
        return (
            ("enum",)
            if any(
                part not in labels and part not in value
                for part in split_multi(text, load_schema().separators)
            )
            else ()
        )
    if kind == "time_limit" and value.unit is not None:
        return (
            ("time_limit",)
            if format_time_limit(TimeLimit(value.value, value.unit), time_unit_of) != text
            else ()
        )
    return ()


def normalize_cell(field: Field, value: Any) -> tuple[Any, tuple[str, ...]]:
    """Clean a cell (whitespace, full-width, traditional) and parse it.

    Return the value and the kinds of change.
    """
    if field.kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value), ()
    text = cell_text(value)
    if text is None:
        return ([] if field.kind in ("multi", "list") else None), ()
    clean, kinds = CLEANERS[field.text_style](text)
    parsed = parse_value(field, clean)
    return parsed, kinds + _value_changes(field, clean, parsed)


def convert_distinct(
    field: Field, cells: Iterable[Any]
) -> tuple[dict[Any, Any], dict[Any, tuple[str, ...]]] | None:
    """Each distinct cell of a column → (its value, the kinds of change that made it).

    The pairs are those :func:`converter` gives.

    Texts are cleaned all at once (:func:`clean_column`). Returns None when a column mixes
    booleans with numbers, which a dict cannot tell apart (True == 1).
    """
    cells = cells if isinstance(cells, list | tuple) else list(cells)
    distinct = set(cells)
    types = set(map(type, distinct))
    if not types.isdisjoint(_NUMBERS):  # True == 1 == 1.0: a set of cells keeps only one of them
        types = set(map(type, cells))
        if bool in types and (int in types or float in types):
            return None
    texts = [c for c in distinct if c.__class__ is str] if types != {str} else list(distinct)
    kinds: dict[Any, tuple[str, ...]] = {}
    if field.kind == "text":
        cleaned, changed = clean_column(field.text_style, texts)
        values: dict[Any, Any] = dict(zip(texts, cleaned, strict=True))
        for index, what in changed.items():
            kinds[texts[index]] = what
            if not cleaned[index]:
                values[texts[index]] = None
        if "" in values:
            values[""] = None
    else:
        values = {}
        stripped = [c.strip() for c in texts]
        filled = list(dict.fromkeys(t for t in stripped if t))
        cleaned, changed = clean_column(field.text_style, filled)
        clean_of = {text: (cleaned[i], changed.get(i, ())) for i, text in enumerate(filled)}
        for cell, text in zip(texts, stripped, strict=True):
            if not text:
                values[cell] = [] if field.kind in ("multi", "list") else None
                continue
            clean, what = clean_of[text]
            parsed = parse_value(field, clean)
            values[cell] = parsed
            what = what + _value_changes(field, clean, parsed)
            if what:
                kinds[cell] = what
    if len(types) > 1 or str not in types:
        for cell in distinct:
            if cell.__class__ is not str:
                values[cell], what = normalize_cell(field, cell)
                if what:
                    kinds[cell] = what
    return values, kinds


Counter = Callable[[tuple[str, ...]], None]


def converter(field: Field, count: Counter | None = None) -> Callable[[Any], Any]:
    """A cell → value function for one column, which reports each change's kinds to ``count``.

    Enumerations, yes/no, time limits and counts repeat a few values down a column, so their
    results are cached per column (lists are copied on the way out; time limits are immutable).
    """
    report = count or (lambda kinds: None)
    if field.kind == "text":
        clean = CLEANERS[field.text_style]

        seen: dict[
            str, tuple[str | None, tuple[str, ...]]
        ] = {}  # agency names, addresses, hours… repeat down a column

        def convert_text(value: Any) -> Any:
            if value.__class__ is not str:
                result, kinds = normalize_cell(field, value)
            elif not value:
                return None
            else:
                hit = seen.get(value)
                if hit is None:
                    cleaned, kinds = clean(value)
                    hit = (cleaned or None, kinds)
                    if len(seen) < CACHE_LIMIT:
                        seen[value] = hit
                result, kinds = hit
            if kinds:
                report(kinds)
            return result

        return convert_text
    cache: dict[Any, tuple[Any, tuple[str, ...]]] = {}
    copy_out = field.kind in ("multi", "list")

    def convert(value: Any) -> Any:
        key = (value.__class__, value)  # True == 1 and False == 0 in a dict: keep them apart
        try:
            result, kinds = cache[key]
        except KeyError:
            result, kinds = normalize_cell(field, value)
            if len(cache) < CACHE_LIMIT:
                cache[key] = (result, kinds)
        except TypeError:  # an unhashable cell value
            result, kinds = normalize_cell(field, value)
        if kinds:
            report(kinds)
        return list(result) if copy_out else result

    return convert
