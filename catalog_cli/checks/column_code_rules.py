"""The code rules of :mod:`catalog_cli.checks.code_rules` over the tables of a workbook.

As in :mod:`catalog_cli.checks.column_rules`, the rules in ``checks/code_rules.py`` stay the
reference. This module decides with column operations which rows can fail, and calls the rule
itself on a small stand-in (:class:`~catalog_cli.model.Leaf` / :class:`~catalog_cli.model.MainItem`
with the fields the rule reads, the label fields and the row's ``source``) for those rows only,
so codes, messages, values and column letters are the rule's own.

- **Per distinct value.** Each code column is dictionary-encoded once (``SheetTable.distinct``).
  ``uscc_check_digit`` runs on each distinct 实施主体编码. A basic code is described once per
  distinct value (:class:`_BasicCodes`: national or not, type digits, suffix, first 9
  characters); values of the ASCII national form are recognised by one RE2 match and sliced
  with ``utf8_slice_codeunits``, the rest go through ``codes.basic_code_form`` in Python.
- **Per distinct combination.** ``basic_code_form`` (form key × 事项类型) and
  ``main_code_suffix`` (suffix × has sub-items) group rows by the combination of what they read
  and run the rule once per group, on the group's first row.
- **Screens.** ``handling_code_form``, ``impl_code_contents`` and ``sub_code_matches_main``
  relate two codes of a row. A vectorised screen flags every row that may fail (a superset: it
  passes a row only when the rule certainly passes it); the rule decides on the flagged rows.
- **Leaves under mains.** A leaf attaches by 主项编码 (or, blank, by 基本编码) to the FIRST main
  item with that 基本编码, as ``read/assemble.py`` attaches it. Codes are given one id per
  distinct value (Python ``==``) across both tables, the first main row per id comes from a
  ``group_by(min)``, and each leaf row takes its main row (null: an orphan). Orphan leaves get
  the leaf rules only; mains after the first with a code get no leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from catalog_cli.checks import codes
from catalog_cli.checks.code_rules import (
    _CODE,
    LocalCount,
    basic_code_form,
    handling_code_form,
    impl_code_contents,
    local_code_findings,
    main_code_suffix,
    note_local,
    sub_code_matches_main,
    uscc_check_digit,
)
from catalog_cli.checks.column_rules import _array, _Distincts, _first_rows, _groups
from catalog_cli.model import Leaf, MainItem
from catalog_cli.model.findings import Finding

if TYPE_CHECKING:  # checks never import readers: the tables come from the caller
    from catalog_cli.read.tables import Distinct, SheetTable, WorkbookTables

# the ASCII spelling of the national form (codes.NATIONAL_BASIC with \d as [0-9])
_ASCII_NATIONAL = r"^[0-9]{11}[0-9Y]$"
_ASCII_HANDLING_SUFFIX = r"^[0-9]{2}$"

StandIn = Leaf | MainItem


class _Columns:
    """One table's columns as distinct values, and stand-in records for its rows."""

    def __init__(self, dist: _Distincts, sheet: SheetTable) -> None:
        self.dist = dist
        self.sheet = sheet
        self.rows = sheet.table.num_rows
        self.is_leaf = sheet.sheet.record == "leaf"

    def distinct(self, key: str) -> Distinct:
        return self.dist(self.sheet, key)

    def value(self, key: str, row: int) -> Any:
        return self.distinct(key).value(row)

    def texts(self, key: str, *, truthy: bool = False) -> pa.Array:
        """Per row the value when it is a ``str`` (and, with ``truthy``, not empty), else null."""
        column = self.distinct(key)
        values = [v if isinstance(v, str) and (v or not truthy) else None for v in column.values]
        return pc.take(pa.array(values, pa.string()), column.ids)

    def stand_in(self, row: int, keys: tuple[str, ...], **extra: Any) -> StandIn:
        """A record with the fields a rule reads, its label fields and its source."""
        values = {key: self.value(key, row) for key in keys}
        code = "impl_code" if self.is_leaf else "basic_code"
        values.setdefault(code, self.value(code, row))
        if not values[code]:  # the label falls back on the name
            values["name"] = self.cell("name", row)
        cls = Leaf if self.is_leaf else MainItem
        return cls(source=self.sheet.source(row), **values, **extra)

    def cell(self, key: str, row: int) -> Any:
        """One cell converted as the reader converts it (without converting the column)."""
        kinds = self.sheet.kinds(key)
        one = self.sheet.column(key).slice(row, 1)
        return self.sheet.distinct(key, one, None if kinds is None else kinds.slice(row, 1)).value(
            0
        )


def _rows(mask: pa.Array | pa.ChunkedArray) -> list[int]:
    return pc.indices_nonzero(pc.fill_null(_array(mask), False)).to_pylist()


def _yields(found: Iterator[Finding]) -> bool:
    return next(found, None) is not None


@dataclass
class _BasicCodes:
    """A basic-code column described once per distinct value, then per row."""

    national: pa.Array  # bool: the national 12-character form
    form_key: pa.Array  # int ids: what ``basic_code_form`` reads of the code (form, type digits)
    suffix: pa.Array  # string: the last three characters of a national code, else null
    prefix: pa.Array  # string: the first nine characters of a national code, else null

    @classmethod
    def of(cls, column: Distinct) -> _BasicCodes:
        values = column.values
        texts = pa.array([v if isinstance(v, str) else None for v in values], pa.string())
        # ASCII national codes (most of them) also match _CODE and NATIONAL_BASIC: sliced here
        fast = pc.fill_null(pc.match_substring_regex(texts, _ASCII_NATIONAL), False)
        national = fast
        key = pc.if_else(
            fast, pc.binary_join_element_wise("n", pc.utf8_slice_codeunits(texts, 2, 4), ""), None
        )
        suffix = pc.if_else(fast, pc.utf8_slice_codeunits(texts, -3), None)
        prefix = pc.if_else(fast, pc.utf8_slice_codeunits(texts, 0, 9), None)
        slow = pc.invert(fast)
        rest = [values[i] for i in pc.indices_nonzero(slow).to_pylist()]
        if rest:  # the other values, as codes.py describes them
            local = codes.local_schemes()
            forms = [codes.basic_code_form(v, local) if isinstance(v, str) else None for v in rest]
            keys = [_form_key(v, form) for v, form in zip(rest, forms, strict=True)]
            national = pc.replace_with_mask(
                national, slow, pa.array([f == "national" for f in forms], pa.bool_())
            )
            key = pc.replace_with_mask(key, slow, pa.array(keys, pa.string()))
            suffix = pc.replace_with_mask(
                suffix,
                slow,
                pa.array(
                    [codes.basic_code_suffix(v) if isinstance(v, str) else None for v in rest],
                    pa.string(),
                ),
            )
            prefix = pc.replace_with_mask(
                prefix,
                slow,
                pa.array(
                    [v[:9] if f == "national" else None for v, f in zip(rest, forms, strict=True)],
                    pa.string(),
                ),
            )
        ids = column.ids
        return cls(
            pc.take(national, ids),
            pc.take(pc.dictionary_encode(key).indices, ids),
            pc.take(suffix, ids),
            pc.take(prefix, ids),
        )


def _form_key(value: Any, form: str | None) -> str:
    """What ``basic_code_form`` reads of a code: "" (skipped), the form, or the type digits."""
    if not isinstance(value, str) or not _CODE.match(value):
        return ""
    if form == "national":
        return "n" + (codes.basic_code_type(value) or "")
    return "f" + (form or "")


def _by_groups(
    columns: _Columns,
    rule: Callable[[Any], Iterator[Finding]],
    group_ids: list[pa.Array],
    keys: tuple[str, ...],
    extra: Callable[[int], dict[str, Any]] = lambda row: {},
) -> list[Finding]:
    """The rule once per distinct combination of ``group_ids`` (on the group's first row);
    the rule's findings for every row of the failing groups."""
    if columns.rows == 0:
        return []
    group = _groups(group_ids, columns.rows)
    failing = [
        g
        for g, row in _first_rows(group).items()
        if _yields(rule(columns.stand_in(row, keys, **extra(row))))
    ]
    if not failing:
        return []
    rows = _rows(pc.is_in(group, value_set=pa.array(failing, pa.int64())))
    return _render(columns, rule, rows, keys, extra)


def _render(
    columns: _Columns,
    rule: Callable[[Any], Iterator[Finding]],
    rows: list[int],
    keys: tuple[str, ...],
    extra: Callable[[int], dict[str, Any]] = lambda row: {},
) -> list[Finding]:
    """The rule's findings on the stand-ins of the given rows."""
    return [f for row in rows for f in rule(columns.stand_in(row, keys, **extra(row)))]


def _uscc(leaf: _Columns) -> list[Finding]:
    """``uscc_check_digit`` once per distinct 实施主体编码."""
    column = leaf.distinct("agency_code")
    failing = [
        i for i, v in enumerate(column.values) if _yields(uscc_check_digit(Leaf(agency_code=v)))
    ]
    if not failing:
        return []
    rows = _rows(pc.is_in(column.ids, value_set=pa.array(failing, column.ids.type)))
    return _render(leaf, uscc_check_digit, rows, ("agency_code",))


def _basic_form(columns: _Columns, basic: _BasicCodes) -> list[Finding]:
    """``basic_code_form`` once per (form key, 事项类型)."""
    group_ids = [basic.form_key, columns.distinct("item_type").ids]
    return _by_groups(columns, basic_code_form, group_ids, ("basic_code", "item_type"))


def _handling(leaf: _Columns) -> list[Finding]:
    """``handling_code_form``: screened by length, prefix and an ASCII two-digit suffix."""
    handling, basic = leaf.texts("handling_code"), leaf.texts("basic_code")
    both = pc.and_(pc.is_valid(handling), pc.is_valid(basic))
    ok = pc.and_(
        pc.and_(
            pc.equal(pc.utf8_length(handling), pc.add(pc.utf8_length(basic), 2)),
            pc.equal(pc.utf8_slice_codeunits(handling, 0, -2), basic),
        ),
        pc.match_substring_regex(pc.utf8_slice_codeunits(handling, -2), _ASCII_HANDLING_SUFFIX),
    )
    flagged = pc.and_(both, pc.invert(pc.fill_null(ok, False)))
    return _render(leaf, handling_code_form, _rows(flagged), ("handling_code", "basic_code"))


def _lacks(texts: pa.Array, part: pa.Array) -> pa.Array:
    """Per row whether ``part`` (null: nothing to look for) is not in ``texts``.

    A part that starts or ends the text is found with slices, one per distinct part length;
    the few other rows are tested with Python ``in``.
    """
    found = pa.array([False] * len(texts))
    lengths = pc.utf8_length(part)
    for length in pc.unique(pc.drop_null(lengths)).to_pylist():
        if length == 0:
            continue
        at_ends = pc.or_(
            pc.equal(pc.utf8_slice_codeunits(texts, 0, length), part),
            pc.equal(pc.utf8_slice_codeunits(texts, -length), part),
        )
        found = pc.or_(found, pc.and_(pc.equal(lengths, length), pc.fill_null(at_ends, False)))
    found = pc.fill_null(found, False)
    rest = _rows(pc.and_(pc.and_(pc.is_valid(texts), pc.is_valid(part)), pc.invert(found)))
    lacking = [False] * len(texts)
    for row in rest:
        lacking[row] = part[row].as_py() not in texts[row].as_py()
    return pa.array(lacking, pa.bool_())


def _impl_contents(leaf: _Columns) -> list[Finding]:
    """``impl_code_contents``: rows whose 实施编码 may lack the USCC or the basic code."""
    impl = leaf.texts("impl_code")
    flagged = pc.or_(
        _lacks(impl, leaf.texts("agency_code", truthy=True)),
        _lacks(impl, leaf.texts("basic_code", truthy=True)),
    )
    keys = ("impl_code", "agency_code", "basic_code")
    return _render(leaf, impl_code_contents, _rows(flagged), keys)


@dataclass
class _Attachment:
    """Leaves under main items: each leaf row's main row, and each main's sub-items."""

    main_row: pa.Array  # per leaf row: the main row it attaches to (null: an orphan)
    has_subs: pa.Array  # per main row: ``has_sub_items``
    sub_row: dict[int, int]  # main row → a leaf row that makes it have sub-items


def _attach(main: _Columns, leaf: _Columns | None) -> _Attachment:
    """Join the leaf table to the main table as ``read/assemble.py`` attaches leaves."""
    rows = main.rows
    if leaf is None or leaf.rows == 0:
        return _Attachment(pa.nulls(0, pa.int64()), pa.array([False] * rows), {})
    canon: dict[Any, int] = {}
    main_basic = main.distinct("basic_code")
    main_ids = [canon.setdefault(v, len(canon)) if v else None for v in main_basic.values]
    main_canon = pc.take(pa.array(main_ids, pa.int64()), main_basic.ids)
    leaf_basic = leaf.distinct("basic_code")
    basic_ids = [canon.setdefault(v, len(canon)) if v else None for v in leaf_basic.values]
    leaf_canon = pc.take(pa.array(basic_ids, pa.int64()), leaf_basic.ids)
    none = len(canon)  # the id of a 主项编码 no main item has
    main_code = leaf.distinct("main_code")
    own = pc.take(
        pa.array([canon.get(v, none) if v else None for v in main_code.values], pa.int64()),
        main_code.ids,
    )
    parent = pc.if_else(pc.is_valid(own), own, leaf_canon)  # main_code or basic_code
    order = pa.table({"c": main_canon, "r": pa.array(range(rows), pa.int64())})
    firsts = order.filter(pc.is_valid(main_canon)).group_by("c").aggregate([("r", "min")])
    first_main: list[int | None] = [None] * (none + 1)
    for code, row in zip(firsts["c"].to_pylist(), firsts["r_min"].to_pylist(), strict=True):
        first_main[code] = row
    main_row = pc.take(pa.array(first_main, pa.int64()), parent)
    is_sub = pc.and_(
        pc.is_valid(leaf_canon),
        pc.not_equal(leaf_canon, pc.take(main_canon, main_row)),
    )
    subs = pa.table({"m": main_row, "r": pa.array(range(leaf.rows), pa.int64())}).filter(
        pc.fill_null(is_sub, False)
    )
    per_main = subs.group_by("m").aggregate([("r", "min")])
    sub_row = dict(zip(per_main["m"].to_pylist(), per_main["r_min"].to_pylist(), strict=True))
    has_subs = pc.is_in(pa.array(range(rows), pa.int64()), value_set=per_main["m"])
    return _Attachment(_array(main_row), has_subs, sub_row)


def _main_suffix(
    main: _Columns, basic: _BasicCodes, attached: _Attachment, leaf: _Columns | None
) -> list[Finding]:
    """``main_code_suffix`` once per (suffix, has sub-items)."""
    has_subs = attached.has_subs.to_pylist()

    def extra(row: int) -> dict[str, Any]:
        if not has_subs[row] or leaf is None:
            return {}
        return {"leaves": [Leaf(basic_code=leaf.value("basic_code", attached.sub_row[row]))]}

    suffix_ids = pc.fill_null(pc.dictionary_encode(basic.suffix).indices, -1)
    group_ids = [pc.add(suffix_ids, 1), pc.cast(attached.has_subs, pa.int64())]
    return _by_groups(main, main_code_suffix, group_ids, ("basic_code",), extra)


def _subs(
    main: _Columns,
    main_basic: _BasicCodes,
    leaf: _Columns,
    leaf_basic: _BasicCodes,
    attached: _Attachment,
) -> list[Finding]:
    """``sub_code_matches_main`` for every attached leaf: screened on the national forms."""
    main_row = attached.main_row
    main_national = pc.fill_null(pc.take(main_basic.national, main_row), False)
    main_suffix = pc.take(main_basic.suffix, main_row)
    under_subs = pc.fill_null(
        pc.and_(pc.equal(main_suffix, "00Y"), pc.take(attached.has_subs, main_row)), False
    )
    own_suffix = pc.fill_null(
        pc.is_in(leaf_basic.suffix, value_set=pa.array(["000", "00Y"])), False
    )
    differs = pc.fill_null(
        pc.not_equal(leaf_basic.prefix, pc.take(main_basic.prefix, main_row)), False
    )
    flagged = pc.and_(
        pc.and_(leaf_basic.national, main_national),
        pc.or_(differs, pc.and_(under_subs, own_suffix)),
    )
    has_subs = attached.has_subs.to_pylist()
    out: list[Finding] = []
    for row in _rows(flagged):
        parent = main_row[row].as_py()
        stand_in = leaf.stand_in(row, ("basic_code",))
        owner = MainItem(basic_code=main.value("basic_code", parent))
        out.extend(sub_code_matches_main(stand_in, owner, has_subs[parent]))
    return out


def _local(
    columns: _Columns, key: str, counts: dict[tuple[str, str], LocalCount], file: str
) -> None:
    """Count the codes of a column in local schemes once per distinct value."""
    column = columns.distinct(key)
    local = codes.local_schemes()
    tally = pc.value_counts(column.ids)
    for value_id, times in zip(
        tally.field("values").to_pylist(), tally.field("counts").to_pylist(), strict=True
    ):
        note_local(counts, local, key, column.values[value_id], file, times)


def check_column_codes(tables: WorkbookTables) -> list[Finding]:
    """Every code-rule finding for a workbook read as tables (the column path of
    ``check_main_codes`` over the main items and ``check_leaf_codes`` over every leaf).

    The same multiset of findings; the order is by rule, not by item.
    """
    dist = _Distincts()
    main_sheet, leaf_sheet = tables.tables.get("main_item"), tables.tables.get("leaf")
    leaf = _Columns(dist, leaf_sheet) if leaf_sheet is not None else None
    out: list[Finding] = []
    leaf_basic = None
    if leaf is not None and leaf.rows:
        leaf_basic = _BasicCodes.of(leaf.distinct("basic_code"))
        out.extend(_uscc(leaf))
        out.extend(_basic_form(leaf, leaf_basic))
        out.extend(_handling(leaf))
        out.extend(_impl_contents(leaf))
    if main_sheet is not None and main_sheet.table.num_rows:
        main = _Columns(dist, main_sheet)
        main_basic = _BasicCodes.of(main.distinct("basic_code"))
        attached = _attach(main, leaf)
        out.extend(_basic_form(main, main_basic))
        out.extend(_main_suffix(main, main_basic, attached, leaf))
        if leaf is not None and leaf_basic is not None:
            out.extend(_subs(main, main_basic, leaf, leaf_basic, attached))
    counts: dict[tuple[str, str], LocalCount] = {}
    if main_sheet is not None and main_sheet.table.num_rows:
        _local(_Columns(dist, main_sheet), "basic_code", counts, tables.file)
    if leaf is not None and leaf.rows:
        _local(leaf, "basic_code", counts, tables.file)
        _local(leaf, "impl_code", counts, tables.file)
    out.extend(local_code_findings(counts, codes.local_schemes()))
    return out
