"""The cross-field leaf rules of :mod:`catalog_cli.checks.rules` over the tables of a workbook.

The rules in ``checks/rules.py`` stay the reference: this module only decides, with column
operations, which rows to hand them, and calls the rule itself on a small stand-in record
(:class:`catalog_cli.model.Leaf` with only the fields the rule reads, plus ``source``) for each
failing row, so codes, messages, values and locations are the rule's own.

- Leaf-level rules read 2–4 fields of the leaf table (and, for the fee rule, how many fee rows
  the leaf has). Each field is dictionary-encoded and converted once per distinct cell
  (``SheetTable.distinct``); a field the rule reads only for emptiness is reduced to
  filled / blank. The per-row ids of the fields are combined into one group id per row
  (re-encoded after each field, so it never overflows); the rule runs once per group on the
  first row of the group, and only the rows of failing groups are built as objects.
- The child rules (situation materials a subset of the leaf's, unique 序号 and situation
  names) join the situation / material / step tables to the leaves by 实施编码. Children attach
  to the FIRST leaf with their code, as ``read/assemble.py`` attaches them; since that leaf is
  unique per code, joining on the code value is joining on the leaf. Orphans (a code no leaf
  has) are not checked, as in the object path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from catalog_cli.checks.rules import (
    children_unique,
    entrusting_dept_given,
    fee_basis_given,
    full_online_no_visits,
    instant_matches_case_type,
    onsite_reason_given,
    power_source_given,
    promise_within_legal,
    situation_materials_subset,
)
from catalog_cli.model import Fee, Leaf, Material, Situation, Step
from catalog_cli.model.findings import Finding
from catalog_cli.model.text import fold_name

if TYPE_CHECKING:  # checks never import readers: the tables come from the caller
    from catalog_cli.read.tables import Distinct, SheetTable, WorkbookTables

Rule = Callable[[Leaf], Iterator[Finding]]

FEES = "fees"  # not a leaf column: the number of fee rows attached to the leaf


def _filled(value: Any) -> bool:
    return bool(value)


# per leaf-level rule: the fields it reads, and how a field is reduced before grouping
# (``_filled`` for a field the rule reads only as empty / not empty; None keeps every value)
LEAF_LEVEL: tuple[tuple[Rule, dict[str, Callable[[Any], Any] | None]], ...] = (
    (promise_within_legal, {"legal_limit": None, "promised_limit": None}),
    (instant_matches_case_type, {"promised_limit": None, "case_type": None}),
    (onsite_reason_given, {"visits": None, "onsite_reason": _filled}),
    (full_online_no_visits, {"online_depth": None, "visits": None}),
    (fee_basis_given, {"fee_charged": None, "fee_standard": _filled, FEES: None}),
    (
        entrusting_dept_given,
        {"entrusting_dept": _filled, "agency_nature": None, "power_source": None},
    ),
    (power_source_given, {"item_type": None, "power_source": None}),
)


class _Distincts:
    """Columns as distinct converted cells (numbers and booleans as the cells were); the table
    converts each column once and keeps it."""

    def __call__(self, sheet: SheetTable, key: str) -> Distinct:
        return sheet.typed(key)


class _LeafColumns:
    """The leaf table's columns as distinct values, computed on first use."""

    def __init__(self, dist: _Distincts, sheet: SheetTable, fee_counts: pa.Array) -> None:
        self.dist = dist
        self.sheet = sheet
        self.rows = sheet.table.num_rows
        self.fee_counts = fee_counts
        self._reduced: dict[tuple[str, Any], pa.Array] = {}

    def distinct(self, key: str) -> Distinct:
        return self.dist(self.sheet, key)

    def value(self, key: str, row: int) -> Any:
        if key == FEES:
            return [Fee()] * self.fee_counts[row].as_py()
        return self.distinct(key).value(row)

    def ids(self, key: str, reduce: Callable[[Any], Any] | None) -> pa.Array:
        """Per-row group ids of a field: distinct cells, or distinct reduced values."""
        if key == FEES:
            return self.fee_counts
        if (key, reduce) not in self._reduced:
            column = self.distinct(key)
            if reduce is None:
                ids = column.ids
            else:
                codes: dict[Any, int] = {}
                mapping = [codes.setdefault(reduce(v), len(codes)) for v in column.values]
                ids = pc.take(pa.array(mapping, pa.int32()), column.ids)
            self._reduced[(key, reduce)] = ids
        return self._reduced[(key, reduce)]

    def stand_in(self, row: int, keys: list[str]) -> Leaf:
        """A leaf with the fields a rule reads, its label fields and its source."""
        values = {key: self.value(key, row) for key in keys}
        return Leaf(
            impl_code=self.value("impl_code", row),
            name=self.value("name", row),
            source=self.sheet.source(row),
            **values,
        )


def _array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _groups(ids: list[pa.Array], rows: int) -> pa.Array:
    """One group id per row for the tuple of the given per-row ids (dense, < rows)."""
    group = pa.array([0] * rows, pa.int64())
    for array in ids:
        width = pc.max(array).as_py()
        width = 1 if width is None else width + 1
        combined = pc.add(pc.multiply(group, width), pc.cast(_array(array), pa.int64()))
        group = pc.cast(pc.dictionary_encode(combined).indices, pa.int64())
    return group


def _first_rows(group: pa.Array) -> dict[int, int]:
    """Group id → the first row of the group."""
    table = pa.table({"g": group, "r": pa.array(range(len(group)), pa.int64())})
    firsts = table.group_by("g").aggregate([("r", "min")])
    return dict(zip(firsts["g"].to_pylist(), firsts["r_min"].to_pylist(), strict=True))


def _leaf_level(columns: _LeafColumns, rule: Rule, reads: dict[str, Any]) -> list[Finding]:
    """One rule evaluated once per distinct combination of its fields; findings of failing rows."""
    if columns.rows == 0:
        return []
    keys = list(reads)
    group = _groups([columns.ids(k, r) for k, r in reads.items()], columns.rows)
    failing = [
        g
        for g, row in _first_rows(group).items()
        if next(iter(rule(columns.stand_in(row, keys))), None) is not None
    ]
    if not failing:
        return []
    rows = pc.indices_nonzero(pc.is_in(group, value_set=pa.array(failing, pa.int64())))
    return [f for row in rows.to_pylist() for f in rule(columns.stand_in(row, keys))]


def _codes(dist: _Distincts, sheet: SheetTable) -> pa.Array:
    """The converted 实施编码 of every row (null where blank), as a string array."""
    column = dist(sheet, "impl_code")
    values = [v if v else None for v in column.values]
    return pc.take(pa.array(values, pa.string()), column.ids)


def _first_leaf_codes(dist: _Distincts, leaf: SheetTable) -> tuple[pa.Array, pa.Array]:
    """Per leaf row its code; and the rows that are the first leaf with their code."""
    codes = _codes(dist, leaf)
    table = pa.table({"code": codes, "r": pa.array(range(len(codes)), pa.int64())})
    firsts = table.filter(pc.is_valid(codes)).group_by("code").aggregate([("r", "min")])
    return codes, firsts["r_min"]


def _attached(
    dist: _Distincts, child: SheetTable, leaf_codes: pa.Array
) -> tuple[pa.Array, pa.Array]:
    """A child table's codes and the indexes of its rows that attach to a leaf."""
    codes = _codes(dist, child)
    mask = pc.fill_null(pc.is_in(codes, value_set=leaf_codes), False)
    return codes, pc.indices_nonzero(mask)


def _fee_counts(
    dist: _Distincts, tables: WorkbookTables, codes: pa.Array, first: pa.Array
) -> pa.Array:
    """Per leaf row, how many fee rows attach to it (only the first leaf with a code has any)."""
    rows = len(codes)
    fee = tables.tables.get("fee")
    counts = pa.array([0] * rows, pa.int64())
    if fee is None or rows == 0:
        return counts
    fee_codes, _ = _attached(dist, fee, pc.unique(pc.drop_null(codes)))
    per_code = (
        pa.table({"code": fee_codes})
        .filter(pc.is_valid(fee_codes))
        .group_by("code")
        .aggregate([("code", "count")])
    )
    if per_code.num_rows == 0:
        return counts
    leaf_count = pc.take(
        per_code["code_count"],
        pc.index_in(codes, value_set=per_code["code"]),
    )
    is_first = pc.is_in(pa.array(range(rows), pa.int64()), value_set=first)
    return _array(
        pc.if_else(pc.and_(is_first, pc.is_valid(leaf_count)), pc.cast(leaf_count, pa.int64()), 0)
    )


def _leaf_row_of(codes: pa.Array, first: pa.Array) -> dict[str, int]:
    """Code → the row of the first leaf with that code."""
    return dict(zip(pc.take(codes, first).to_pylist(), first.to_pylist(), strict=True))


def _label_leaf(dist: _Distincts, leaf: SheetTable, row: int, **children: Any) -> Leaf:
    """A stand-in leaf for the child rules: its label fields and the given children."""
    return Leaf(
        impl_code=dist(leaf, "impl_code").value(row),
        name=dist(leaf, "name").value(row),
        source=leaf.source(row),
        **children,
    )


def _situation_materials(
    dist: _Distincts, tables: WorkbookTables, leaf: SheetTable, codes: pa.Array, first: pa.Array
) -> list[Finding]:
    """``situation_materials_subset``: an anti-join of (code, folded situation material) with
    (code, folded material name) finds the failing situation rows."""
    situation = tables.tables.get("situation")
    if situation is None or len(first) == 0:
        return []
    leaf_codes = pc.take(codes, first)
    sit_codes, sit_rows = _attached(dist, situation, leaf_codes)
    if len(sit_rows) == 0:
        return []
    lists = dist(situation, "materials")
    fold = _Folder()
    folded = [[fold(name) for name in (v or ())] for v in lists.values]
    sit_ids = pc.take(lists.ids, sit_rows)
    flat = pa.ListArray.from_arrays(
        pa.array(_offsets(folded), pa.int32()),
        pa.array([n for f in folded for n in f], pa.string()),
    )
    per_row = pc.take(flat, sit_ids)
    wanted = pa.table(
        {
            "code": pc.take(pc.take(sit_codes, sit_rows), pc.list_parent_indices(per_row)),
            "fold": pc.list_flatten(per_row),
            "s": pc.take(sit_rows, pc.list_parent_indices(per_row)),
        }
    )
    known = _known_materials(dist, tables, leaf_codes)
    missing = wanted.join(known, keys=["code", "fold"], join_type="left anti")
    failing = sorted(set(missing["s"].to_pylist()))
    if not failing:
        return []
    by_code = _material_names(
        dist, tables, pc.unique(pc.take(sit_codes, pa.array(failing, pa.int64())))
    )
    leaf_row = _leaf_row_of(codes, first)
    out: list[Finding] = []
    names = dist(situation, "name")
    for row in failing:
        code = sit_codes[row].as_py()
        stand_in = _label_leaf(
            dist,
            leaf,
            leaf_row[code],
            materials=[Material(name=n) for n in by_code.get(code, [])],
            situations=[
                Situation(
                    name=names.value(row),
                    materials=lists.value(row),
                    source=situation.source(row),
                )
            ],
        )
        out.extend(situation_materials_subset(stand_in))
    return out


class _Folder(dict[Any, str]):
    """``fold_name`` once per distinct name."""

    def __missing__(self, name: Any) -> str:
        self[name] = folded = fold_name(name)
        return folded

    def __call__(self, name: Any) -> str:
        return self[name]


def _offsets(lists: list[list[str]]) -> list[int]:
    out = [0]
    for items in lists:
        out.append(out[-1] + len(items))
    return out


def _known_materials(dist: _Distincts, tables: WorkbookTables, leaf_codes: pa.Array) -> pa.Table:
    """(code, folded name) of every named material that attaches to a leaf."""
    material = tables.tables.get("material")
    empty = pa.table({"code": pa.array([], pa.string()), "fold": pa.array([], pa.string())})
    if material is None:
        return empty
    codes, rows = _attached(dist, material, leaf_codes)
    names = dist(material, "name")
    folded = pa.array([fold_name(v) if v else None for v in names.values], pa.string())
    table = pa.table(
        {"code": pc.take(codes, rows), "fold": pc.take(folded, pc.take(names.ids, rows))}
    )
    return table.filter(pc.is_valid(table["fold"])).group_by(["code", "fold"]).aggregate([])


def _material_names(
    dist: _Distincts, tables: WorkbookTables, codes: pa.Array
) -> dict[str, list[Any]]:
    """Code → the names of its materials, for the few codes whose situations fail."""
    material = tables.tables.get("material")
    if material is None:
        return {}
    own, rows = _attached(dist, material, codes)
    names = dist(material, "name")
    out: dict[str, list[Any]] = {}
    for row in rows.to_pylist():
        out.setdefault(own[row].as_py(), []).append(names.value(row))
    return out


def _later_duplicates(codes: pa.Array, rows: pa.Array, ids: pa.Array) -> list[int]:
    """Rows (among ``rows``) whose (code, id) an earlier row already had; null ids never count."""
    table = pa.table({"code": pc.take(codes, rows), "id": pc.take(ids, rows), "r": rows}).filter(
        pc.is_valid(pc.take(ids, rows))
    )
    if table.num_rows == 0:
        return []
    firsts = table.group_by(["code", "id"]).aggregate([("r", "min"), ("r", "count")])
    firsts = firsts.filter(pc.greater(firsts["r_count"], 1))
    if firsts.num_rows == 0:
        return []
    joined = table.join(firsts, keys=["code", "id"], join_type="inner")
    later = joined.filter(pc.not_equal(joined["r"], joined["r_min"]))
    return sorted(later["r"].to_pylist())


def _canonical(column: Distinct, keep: Callable[[Any], bool]) -> pa.Array:
    """Per-row ids of a column where equal values (Python ``==``) share an id; null if not kept."""
    codes: dict[Any, int] = {}
    mapping = [codes.setdefault(v, len(codes)) if keep(v) else None for v in column.values]
    return pc.take(pa.array(mapping, pa.int64()), column.ids)


def _children_unique(
    dist: _Distincts, tables: WorkbookTables, leaf: SheetTable, codes: pa.Array, first: pa.Array
) -> list[Finding]:
    """``children_unique``: later rows with a (code, 序号) or (code, 情形名称) seen before."""
    if len(first) == 0:
        return []
    leaf_codes = pc.take(codes, first)
    leaf_row = _leaf_row_of(codes, first)
    out: list[Finding] = []
    for record, attr, cls in (("material", "materials", Material), ("step", "steps", Step)):
        child = tables.tables.get(record)
        if child is None:
            continue
        own, rows = _attached(dist, child, leaf_codes)
        seq = dist(child, "seq")
        for row in _later_duplicates(own, rows, _canonical(seq, lambda v: v is not None)):
            value = seq.value(row)
            children = [cls(seq=value), cls(seq=value, source=child.source(row))]
            stand_in = _label_leaf(dist, leaf, leaf_row[own[row].as_py()], **{attr: children})
            out.extend(children_unique(stand_in))
    situation = tables.tables.get("situation")
    if situation is not None:
        own, rows = _attached(dist, situation, leaf_codes)
        names = dist(situation, "name")
        for row in _later_duplicates(own, rows, _canonical(names, bool)):
            name = names.value(row)
            children = [Situation(name=name), Situation(name=name, source=situation.source(row))]
            stand_in = _label_leaf(dist, leaf, leaf_row[own[row].as_py()], situations=children)
            out.extend(children_unique(stand_in))
    return out


def check_column_rules(tables: WorkbookTables) -> list[Finding]:
    """Every leaf-rule finding for a workbook read as tables (the column path of ``check_leaf``).

    The same multiset of findings as ``check_leaf`` over every leaf of the assembled catalog;
    the order is by rule, not by leaf.
    """
    leaf = tables.tables.get("leaf")
    if leaf is None:
        return []
    dist = _Distincts()
    codes, first = _first_leaf_codes(dist, leaf)
    columns = _LeafColumns(dist, leaf, _fee_counts(dist, tables, codes, first))
    out: list[Finding] = []
    for rule, reads in LEAF_LEVEL:
        out.extend(_leaf_level(columns, rule, reads))
    out.extend(_situation_materials(dist, tables, leaf, codes, first))
    out.extend(_children_unique(dist, tables, leaf, codes, first))
    return out
