"""The catalog-wide rules of :mod:`catalog_cli.checks.tree` over the tables of a workbook.

``checks/tree.py`` stays the reference: this module decides with group-bys and joins which rows
fail, then hands the reference's own functions (``duplicate_codes``, ``orphans``,
``one_code_per_agency``, ``bundle_members_exist``) a small stand-in :class:`Catalog` holding
only the rows involved, so codes, messages, values and locations are the reference's own, and
the findings come in the reference's order.

- **Leaf order.** ``Catalog.iter_leaves`` yields the leaves of each main item in main-item
  order, then the orphans. A leaf's parent is its 主项编码, or, when blank, its 基本编码
  (``read/workbook.py``); it attaches to the FIRST main item with that code
  (``read/assemble.py``). ``pc.unique`` of the main items' codes keeps first-occurrence order,
  so ``pc.index_in(parent, unique)`` is the rank of the leaf's main item (null: an orphan,
  ranked last); ``sort_indices`` by (rank, row) is the leaf order, and its inverse each row's
  position ``pos``.
- **duplicate_codes**: ``group_by(code)`` → (min pos, count) over filled codes; an inner join
  back gives the rows of codes seen more than once. The stand-in holds those rows (leaves in
  leaf order, main items in row order), so each later row names the first one.
- **orphans**: leaves with a null rank; children whose 实施编码 is blank or not
  ``pc.is_in`` the filled leaf codes.
- **one_code_per_agency**: ``group_by([agency, code])`` → (count, min pos); agencies with two or
  more codes conflict; the usual code is the most frequent, ties to the code seen first
  (as ``Counter.most_common``). Rows of a conflicting agency with another code are flagged. The
  stand-in holds, per agency (in order of first appearance), one usual-code leaf repeated
  ``count`` times (so the reference counts the same) and then the flagged rows.
- **bundle_members_exist**: members exploded (``list_flatten`` / ``list_parent_indices`` of the
  distinct member lists taken by row), ``pc.is_in`` the leaf codes; a bundle with a missing
  member is handed over with stand-in leaves for its members that exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from catalog_cli.checks.tree import (
    bundle_members_exist,
    duplicate_codes,
    one_code_per_agency,
    orphans,
)
from catalog_cli.model import (
    Bundle,
    Catalog,
    Fee,
    Leaf,
    MainItem,
    Material,
    Orphans,
    Situation,
    Step,
)
from catalog_cli.model.findings import Finding

if TYPE_CHECKING:  # checks never import readers: the tables come from the caller
    from catalog_cli.read.tables import Distinct, SheetTable, WorkbookTables

CHILD_RECORDS = {"situations": "situation", "materials": "material", "steps": "step", "fees": "fee"}
CHILD_CLASSES: dict[str, type] = {
    "situations": Situation,
    "materials": Material,
    "steps": Step,
    "fees": Fee,
}


class _Columns:
    """Columns as distinct converted cells (with the reader's cell kinds); the table converts
    each column once and keeps it."""

    def distinct(self, sheet: SheetTable, key: str) -> Distinct:
        return sheet.typed(key)

    def value(self, sheet: SheetTable, key: str, row: int) -> Any:
        return self.distinct(sheet, key).value(row)

    def some(self, sheet: SheetTable, key: str, rows: list[int]) -> list[Any]:
        """The converted values of a field at a few rows only (labels of the failing rows)."""
        if not rows:
            return []
        if sheet.is_converted(key):
            return [self.value(sheet, key, r) for r in rows]
        take = pa.array(rows, pa.int64())
        kinds = sheet.kinds(key)
        column = sheet.distinct(
            key, sheet.column(key).take(take), None if kinds is None else kinds.take(take)
        )
        return [column.value(i) for i in range(len(rows))]

    def texts(self, sheet: SheetTable, key: str) -> pa.Array:
        """The converted values of a text / code column per row, null where blank."""
        column = self.distinct(sheet, key)
        values = [v if v else None for v in column.values]
        return pc.take(pa.array(values, pa.string()), column.ids)


def _rows(n: int) -> pa.Array:
    return pa.array(range(n), pa.int64())


def _ranks(cols: _Columns, leaf: SheetTable, main: SheetTable | None) -> pa.Array:
    """Per leaf row, the rank of its main item (the first with the leaf's parent code) among the
    main items; null for an orphan."""
    parents = pc.coalesce(cols.texts(leaf, "main_code"), cols.texts(leaf, "basic_code"))
    if main is None:
        return pa.nulls(leaf.table.num_rows, pa.int64())
    codes = pc.unique(pc.drop_null(cols.texts(main, "basic_code")))
    return pc.cast(pc.index_in(parents, value_set=codes), pa.int64())


def _positions(ranks: pa.Array) -> pa.Array:
    """Each leaf row's position in ``Catalog.iter_leaves`` order: by main-item rank, orphans
    last, then by row."""
    last = pc.fill_null(ranks, 2**62)  # orphans after every main item
    table = pa.table({"rank": last, "r": _rows(len(ranks))})
    order = pc.sort_indices(table, sort_keys=[("rank", "ascending"), ("r", "ascending")])
    return pc.cast(pc.sort_indices(order), pa.int64())  # the inverse permutation


def _repeated(codes: pa.Array, pos: pa.Array) -> list[int]:
    """Rows (ordered by ``pos``) whose filled code occurs more than once."""
    table = pa.table({"code": codes, "pos": pos, "r": _rows(len(codes))}).filter(pc.is_valid(codes))
    counts = table.group_by("code").aggregate([("pos", "count")])
    counts = counts.filter(pc.greater(counts["pos_count"], 1))
    if counts.num_rows == 0:
        return []
    joined = table.join(counts, keys="code", join_type="inner").sort_by("pos")
    return joined["r"].to_pylist()


def _leaf_stand_ins(cols: _Columns, leaf: SheetTable, rows: list[int], *keys: str) -> list[Leaf]:
    """Leaves with their label fields, the given fields and their sources (the name converted
    for these rows only)."""
    names = cols.some(leaf, "name", rows)
    return [
        Leaf(
            name=name,
            source=leaf.source(r),
            **{key: cols.value(leaf, key, r) for key in ("impl_code", *keys)},
        )
        for r, name in zip(rows, names, strict=True)
    ]


def _duplicates(
    cols: _Columns, leaf: SheetTable | None, main: SheetTable | None, pos: pa.Array | None
) -> list[Finding]:
    """``duplicate_codes`` on the rows whose 实施编码 / 基本编码 repeats."""
    stand_in = Catalog()
    if leaf is not None and pos is not None:
        rows = _repeated(cols.texts(leaf, "impl_code"), pos)
        stand_in.orphans.leaves = _leaf_stand_ins(cols, leaf, rows)
    if main is not None:
        n = main.table.num_rows
        rows = _repeated(cols.texts(main, "basic_code"), _rows(n))
        stand_in.main_items = [
            MainItem(basic_code=cols.value(main, "basic_code", r), name=name, source=main.source(r))
            for r, name in zip(rows, cols.some(main, "name", rows), strict=True)
        ]
    if not stand_in.main_items and not stand_in.orphans.leaves:
        return []
    return list(duplicate_codes(stand_in))


def _orphans(
    cols: _Columns, tables: WorkbookTables, leaf: SheetTable | None, ranks: pa.Array | None
) -> list[Finding]:
    """``orphans`` on the leaves without a main item and the children without a leaf."""
    stand_in = Orphans()
    leaf_codes = pa.array([], pa.string())
    if leaf is not None and ranks is not None:
        rows = pc.indices_nonzero(pc.is_null(ranks)).to_pylist()
        stand_in.leaves = _leaf_stand_ins(cols, leaf, rows, "main_code", "basic_code")
        leaf_codes = pc.unique(pc.drop_null(cols.texts(leaf, "impl_code")))
    for attr, record in CHILD_RECORDS.items():
        child = tables.tables.get(record)
        if child is None:
            continue
        codes = cols.texts(child, "impl_code")
        attached = pc.fill_null(pc.is_in(codes, value_set=leaf_codes), False)
        cls = CHILD_CLASSES[attr]
        getattr(stand_in, attr).extend(
            (cols.value(child, "impl_code", r) or "", cls(source=child.source(r)))
            for r in pc.indices_nonzero(pc.invert(attached)).to_pylist()
        )
    if not stand_in:
        return []
    return list(orphans(Catalog(orphans=stand_in)))


def _agency_conflicts(cols: _Columns, leaf: SheetTable, pos: pa.Array) -> list[Finding]:
    """``one_code_per_agency`` on the conflicting agencies: flagged rows and a usual-code count."""
    agencies, codes = cols.texts(leaf, "agency"), cols.texts(leaf, "agency_code")
    table = pa.table({"a": agencies, "c": codes, "pos": pos, "r": _rows(len(pos))}).filter(
        pc.and_(pc.is_valid(agencies), pc.is_valid(codes))
    )
    pairs = table.group_by(["a", "c"]).aggregate([("pos", "count"), ("pos", "min")])
    per_agency = pairs.group_by("a").aggregate([("c", "count")])
    conflicting = per_agency.filter(pc.greater_equal(per_agency["c_count"], 2))["a"]
    if len(conflicting) == 0:
        return []
    pairs = pairs.filter(pc.is_in(pairs["a"], value_set=conflicting))
    # the usual code: most rows, ties to the code seen first (Counter.most_common)
    pairs = pairs.sort_by(
        [("a", "ascending"), ("pos_count", "descending"), ("pos_min", "ascending")]
    )
    usual: dict[str, tuple[str, int]] = {}
    first: dict[str, int] = {}
    for a, c, count, lowest in zip(
        pairs["a"].to_pylist(),
        pairs["c"].to_pylist(),
        pairs["pos_count"].to_pylist(),
        pairs["pos_min"].to_pylist(),
        strict=True,
    ):
        usual.setdefault(a, (c, count))
        first[a] = min(first.get(a, lowest), lowest)
    usual_table = pa.table(
        {"a": list(usual), "u": [c for c, _ in usual.values()]},
        schema=pa.schema([("a", pa.string()), ("u", pa.string())]),
    )
    flagged = table.join(usual_table, keys="a", join_type="inner")
    flagged = flagged.filter(pc.not_equal(flagged["c"], flagged["u"])).sort_by("pos")
    by_agency: dict[str, list[int]] = {a: [] for a in sorted(usual, key=first.__getitem__)}
    for a, r in zip(flagged["a"].to_pylist(), flagged["r"].to_pylist(), strict=True):
        by_agency[a].append(r)
    stand_in = Catalog()
    for a, rows in by_agency.items():
        code, count = usual[a]
        # the reference counts the usual code's rows: one stand-in leaf, ``count`` times
        stand_in.orphans.leaves.extend([Leaf(agency=a, agency_code=code)] * count)
        stand_in.orphans.leaves.extend(_leaf_stand_ins(cols, leaf, rows, "agency", "agency_code"))
    return list(one_code_per_agency(stand_in))


def _bundle_members(cols: _Columns, bundle: SheetTable, leaf: SheetTable | None) -> list[Finding]:
    """``bundle_members_exist`` on the bundles with a member no leaf has."""
    n = bundle.table.num_rows
    if n == 0:
        return []
    members = cols.distinct(bundle, "members")
    lists = [list(v or ()) for v in members.values]
    offsets = [0]
    for items in lists:
        offsets.append(offsets[-1] + len(items))
    flat = pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()), pa.array([m for items in lists for m in items], pa.string())
    )
    per_row = pc.take(flat, members.ids)
    leaf_codes = (
        pc.unique(pc.drop_null(cols.texts(leaf, "impl_code")))
        if leaf is not None
        else pa.array([], pa.string())
    )
    names = pc.list_flatten(per_row)
    known = pc.fill_null(pc.is_in(names, value_set=leaf_codes), False)
    parents = pc.list_parent_indices(per_row)
    failing = pc.unique(pc.filter(parents, pc.invert(known))).to_pylist()
    if not failing:
        return []
    stand_in = Catalog()
    known_codes = set(pc.filter(names, known).to_pylist())
    failing.sort()
    for row, name in zip(failing, cols.some(bundle, "name", failing), strict=True):
        value = members.value(row)
        stand_in.bundles.append(Bundle(name=name, members=value, source=bundle.source(row)))
        stand_in.orphans.leaves.extend(Leaf(impl_code=m) for m in value if m in known_codes)
    return list(bundle_members_exist(stand_in))


def check_column_tree(tables: WorkbookTables) -> list[Finding]:
    """Every catalog-wide finding for a workbook read as tables (the column path of
    ``check_tree``), in the reference's order."""
    cols = _Columns()
    leaf = tables.tables.get("leaf")
    main = tables.tables.get("main_item")
    ranks = _ranks(cols, leaf, main) if leaf is not None else None
    pos = _positions(ranks) if ranks is not None else None
    out = _duplicates(cols, leaf, main, pos)
    out.extend(_orphans(cols, tables, leaf, ranks))
    if leaf is not None and pos is not None:
        out.extend(_agency_conflicts(cols, leaf, pos))
    bundle = tables.tables.get("bundle")
    if bundle is not None:
        out.extend(_bundle_members(cols, bundle, leaf))
    return out
