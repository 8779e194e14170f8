"""``catalog reduce`` on the tables of one standard workbook: the :class:`ReduceResult`
:func:`~catalog_cli.analyses.reduce.compute_reduction` gives for the catalog read from the same
file (``tests/test_reduce_tables.py`` holds the two together), computed on columns.

- **Leaf order** is ``Catalog.iter_leaves``'s, found as ``checks/column_tree.py`` explains: the
  rank of each leaf's main item (``pc.index_in`` its 主项编码, else 基本编码, on the main items'
  unique codes; orphans last), then the row.
- **Against the legal limit**: :func:`legal_figures` runs once per distinct (法定, 承诺) pair of
  cells and :func:`type_label` once per distinct 事项类型; each leaf's :class:`LegalRow` is put
  together from those in leaf order.
- **一件事**: only the member leaves are built, as stand-in :class:`Leaf` objects holding what
  :func:`bundle_result` reads (承诺时限, 到办事现场次数, required materials, steps), so the figures
  come from the record path's code. A member code names the FIRST leaf with it in leaf order
  (``by_code`` in ``compute_reduction``), while materials and steps attach to the FIRST leaf
  with their 实施编码 in sheet order (``read/assemble.py``): when the two differ, the member leaf
  has no materials and no steps, as on records.

A baseline (``--baseline``) is not computed here: the command reads both catalogs on records.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from catalog_cli.analyses.reduce import (
    LegalRow,
    ReduceResult,
    bundle_result,
    legal_figures,
    type_label,
)
from catalog_cli.model import Bundle, Leaf, Material, Step

if TYPE_CHECKING:  # analyses never import readers: the tables come from the caller
    from catalog_cli.read.tables import SheetTable, WorkbookTables

__all__ = ["compute_reduction_tables", "reduce_records", "workbook_bundles"]

LEAF_RECORDS = ("main_item", "leaf")
MEMBER_RECORDS = ("material", "step")  # what bundle members need of their children
BUNDLE_FIELDS = ("name", "members", "material_count", "step_count", "promised_limit", "visits")
_LAST = 2**62  # the rank of an orphan leaf: after every main item


def reduce_records(bundles: bool = False, bundle_sheet: bool = False) -> set[str]:
    """The record kinds (sheets) the tables reader must read: main items and leaves; materials
    and steps when bundles are computed; the 一件事 sheet when the bundles come from it."""
    return {
        *LEAF_RECORDS,
        *(MEMBER_RECORDS if bundles or bundle_sheet else ()),
        *(("bundle",) if bundle_sheet else ()),
    }


def _texts(sheet: SheetTable, key: str) -> pa.Array:
    """A text / code column's converted values per row, null where blank."""
    column = sheet.typed(key)
    values = [v if v else None for v in column.values]
    return pc.take(pa.array(values, pa.string()), column.ids)


def leaf_order(leaf: SheetTable, main: SheetTable | None) -> pa.Array:
    """The leaf rows in ``Catalog.iter_leaves`` order (int64 row indexes)."""
    n = leaf.table.num_rows
    if main is None:
        return pa.array(range(n), pa.int64())
    parents = pc.coalesce(_texts(leaf, "main_code"), _texts(leaf, "basic_code"))
    codes = pc.unique(pc.drop_null(_texts(main, "basic_code")))
    ranks = pc.fill_null(pc.cast(pc.index_in(parents, value_set=codes), pa.int64()), _LAST)
    table = pa.table({"rank": ranks, "r": pa.array(range(n), pa.int64())})
    order = pc.sort_indices(table, sort_keys=[("rank", "ascending"), ("r", "ascending")])
    return pc.cast(order, pa.int64())


def _in_order(sheet: SheetTable, key: str, order: pa.Array) -> list[Any]:
    """A field's converted values in leaf order."""
    column = sheet.typed(key)
    return list(map(column.values.__getitem__, pc.take(column.ids, order).to_pylist()))


def table_legal_rows(
    leaf: SheetTable, order: pa.Array, ceiling: float | None = None
) -> list[LegalRow]:
    """Every leaf against its legal limit, in leaf order (``legal_rows`` on columns)."""
    legal, promised = leaf.typed("legal_limit"), leaf.typed("promised_limit")
    width = len(promised.values)
    pairs = pc.add(
        pc.multiply(pc.cast(legal.ids, pa.int64()), width), pc.cast(promised.ids, pa.int64())
    )
    encoded = pc.dictionary_encode(pc.take(pairs, order))
    figures = [
        legal_figures(legal.values[p // width], promised.values[p % width], ceiling)
        for p in encoded.dictionary.to_pylist()
    ]
    item_type = leaf.typed("item_type")
    labels = [type_label(v) for v in item_type.values]
    return [
        LegalRow(code, name, agency, label, *figures[p])
        for code, name, agency, label, p in zip(
            _in_order(leaf, "impl_code", order),
            _in_order(leaf, "name", order),
            _in_order(leaf, "agency", order),
            map(labels.__getitem__, pc.take(item_type.ids, order).to_pylist()),
            pc.fill_null(encoded.indices, 0).to_pylist(),
            strict=True,
        )
    ]


def workbook_bundles(tables: WorkbookTables) -> list[Bundle]:
    """The bundles of the workbook's 一件事 sheet, in row order (the fields reduce reads)."""
    sheet = tables.tables.get("bundle")
    if sheet is None:
        return []
    columns = [(key, sheet.typed(key)) for key in BUNDLE_FIELDS]
    rows = [(key, column.values, column.ids.to_pylist()) for key, column in columns]
    out = []
    for r in range(sheet.table.num_rows):
        values = {key: values[ids[r]] for key, values, ids in rows}
        values["members"] = list(values["members"] or [])
        out.append(Bundle(**values))
    return out


def _first_rows(codes: pa.Array, rows: pa.Array, wanted: pa.Array) -> dict[str, int]:
    """For each wanted code, the first of ``rows`` (in their order) whose code it is."""
    hit = pc.indices_nonzero(pc.fill_null(pc.is_in(codes, value_set=wanted), False))
    first: dict[str, int] = {}
    for code, row in zip(
        pc.take(codes, hit).to_pylist(), pc.take(rows, hit).to_pylist(), strict=True
    ):
        first.setdefault(code, row)
    return first


def _child_rows(child: SheetTable | None, codes: Collection[str]) -> tuple[list[int], list[str]]:
    """(rows, their 实施编码) of the children that attach to one of ``codes``, in row order."""
    if child is None or not codes:
        return [], []
    parents = _texts(child, "impl_code")
    hit = pc.indices_nonzero(
        pc.fill_null(pc.is_in(parents, value_set=pa.array(sorted(codes), pa.string())), False)
    )
    return hit.to_pylist(), pc.take(parents, hit).to_pylist()


def _some(sheet: SheetTable, key: str, rows: list[int]) -> list[Any]:
    """A field's converted values at a few rows, converting only those cells."""
    if not rows:
        return []
    take = pa.array(rows, pa.int64())
    kinds = sheet.kinds(key)
    column = sheet.distinct(
        key, sheet.column(key).take(take), None if kinds is None else kinds.take(take)
    )
    values, ids = column.values, column.ids.to_pylist()
    return [values[i] for i in ids]


def member_leaves(tables: WorkbookTables, order: pa.Array, codes: set[str]) -> dict[str, Leaf]:
    """Stand-in leaves by 实施编码 for the member codes a leaf has (``by_code`` of
    ``compute_reduction``): 承诺时限, 到办事现场次数, materials (name, necessity) and steps."""
    leaf = tables.tables.get("leaf")
    if leaf is None or not codes:
        return {}
    wanted = pa.array(sorted(codes), pa.string())
    impl = _texts(leaf, "impl_code")
    by_order = _first_rows(pc.take(impl, order), order, wanted)
    by_sheet = _first_rows(impl, pa.array(range(len(impl)), pa.int64()), wanted)
    attached = {code for code, row in by_order.items() if by_sheet[code] == row}
    promised, visits = leaf.typed("promised_limit"), leaf.typed("visits")
    out = {
        code: Leaf(impl_code=code, promised_limit=promised.value(r), visits=visits.value(r))
        for code, r in by_order.items()
    }
    material = tables.tables.get("material")
    rows, parents = _child_rows(material, attached)
    if material is not None:
        names = _some(material, "name", rows)
        necessities = _some(material, "necessity", rows)
        for code, name, necessity in zip(parents, names, necessities, strict=True):
            out[code].materials.append(Material(name=name, necessity=necessity))
    for code in _child_rows(tables.tables.get("step"), attached)[1]:
        out[code].steps.append(Step())
    return out


def compute_reduction_tables(
    tables: WorkbookTables,
    *,
    ceiling: float | None = None,
    bundles: Sequence[Bundle] | None = None,
    files: Iterable[str] = (),
) -> ReduceResult:
    """Every reduction against the legal limit (and for ``bundles``) of a standard workbook read
    as tables — the result ``compute_reduction`` gives for its catalog, without a baseline.

    The tables must hold the sheets :func:`reduce_records` names (materials and steps when
    ``bundles`` are given).
    """
    leaf = tables.tables.get("leaf")
    order = leaf_order(leaf, tables.tables.get("main_item")) if leaf is not None else None
    legal = table_legal_rows(leaf, order, ceiling) if leaf is not None else []
    results = ()
    if bundles:
        codes = {code for bundle in bundles for code in bundle.members if isinstance(code, str)}
        leaves = member_leaves(tables, order, codes) if order is not None else {}
        results = tuple(bundle_result(b, leaves) for b in bundles)
    return ReduceResult(
        files=tuple(files), legal=tuple(legal), ceiling=ceiling, bundles=tuple(results)
    )
