"""The figures of ``catalog stats`` over the tables of one standard workbook.

``analyses/stats.py`` stays the reference: :func:`compute_stats_tables` returns the
:class:`StatsResult` that ``compute_stats`` gives for the catalog read from the same file
(``tests/test_stats_tables.py`` holds the two together), computed on columns.

- **Leaves.** Every leaf row is a leaf of ``Catalog.iter_leaves`` (under its main item or an
  orphan); the figures are counts and sums, so the leaf order does not matter.
- **Children per leaf.** A situation, material or step attaches to the FIRST leaf row with its
  实施编码 (``read/assemble.py``), orphan leaves included; ``pc.index_in`` of the children's
  codes in the leaves' codes is that row (null: an orphan, not counted).
- **Breakdowns.** Each distinct value of a column gives its keys once (a list counts in each of
  its distinct labels); group-bys count the rows (and sum the situations) per distinct value.
- **Shares.** A single-field condition is decided once per distinct value with
  :func:`catalog_cli.analyses.rules.matches` (what ``holds`` uses on records) and taken back to
  the rows; ``any`` / ``all`` / ``not`` combine the rows' booleans.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from catalog_cli.analyses.rules import matches
from catalog_cli.analyses.stats import (
    DIMENSIONS,
    Breakdown,
    KeysOf,
    Share,
    StatsResult,
    blank,
    ranked,
    ratio,
    rule_fields,
    visits_of,
)
from catalog_cli.model import Leaf
from catalog_cli.model.values import cell_text
from catalog_cli.schema import load_schema

if TYPE_CHECKING:  # analyses never import readers: the tables come from the caller
    from catalog_cli.read.tables import SheetTable, WorkbookTables

__all__ = ["STATS_RECORDS", "compute_stats_tables", "stats_records"]

STATS_RECORDS = frozenset({"main_item", "leaf", "situation", "material", "step"})
CHILDREN = {"situations": "situation", "materials": "material", "steps": "step", "fees": "fee"}
EXTRA_PREFIX = "extra."  # the tables reader's name for an unmapped header's column
_NOT_COLUMNS = ("children", "extra")  # leaf fields that are not a column of the leaf sheet
_CHILD = object()  # stands for a child record: equal to no value a rule can name

Column = tuple[list[Any], pa.Array]  # distinct values, and each row's index into them


def stats_records(rules: Iterable[dict[str, Any]]) -> set[str]:
    """The record kinds (sheets) the figures and ``rules`` need: fees only for a rule that
    reads a leaf attribute other than a column (the ``fees`` list, ``extra``…)."""
    fields = set().union(*(rule_fields(rule["when"]) for rule in rules))
    return set(STATS_RECORDS) | ({"fee"} if any(map(_on_stand_ins, fields)) else set())


@functools.cache
def _column_fields() -> tuple[str, ...]:
    """The leaf fields that are columns of the leaf sheet."""
    fields = load_schema().records["leaf"].fields
    return tuple(k for k, f in fields.items() if f.kind not in _NOT_COLUMNS)


def _on_stand_ins(field: str) -> bool:
    """Whether a rule's field is read off stand-in leaves (not a column, an extra or nothing)."""
    if field.startswith(EXTRA_PREFIX) or field in _column_fields():
        return False
    return hasattr(Leaf, field)


def _texts(values: list[Any], ids: pa.Array) -> pa.Array:
    """A code column per row as text, null where blank (how the reader keys its records)."""
    return pc.take(pa.array([v if v else None for v in values], pa.string()), ids)


def _counts(ids: pa.Array) -> list[tuple[int, int]]:
    """(distinct id, rows) for each id that occurs."""
    counted = pc.value_counts(ids)
    return list(
        zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True)
    )


def _per_row(targets: pa.Array, n: int) -> pa.Array:
    """How many of ``targets`` (row indexes, null for none) name each of ``n`` rows."""
    counted = pc.value_counts(pc.drop_null(targets))
    rows = pc.index_in(pa.array(range(n), targets.type), value_set=counted.field("values"))
    return pc.fill_null(pc.take(counted.field("counts"), rows), 0)


def _first_leaf(parents: pa.Array, codes: pa.Array) -> pa.Array:
    """Per child row, the first leaf row whose 实施编码 is its parent's (null: none, or blank)."""
    return pc.index_in(parents, value_set=codes, skip_nulls=True)


class _Leaves:
    """The leaf sheet with what the figures read from it: children counts and rule columns."""

    def __init__(self, tables: WorkbookTables, sheet: SheetTable) -> None:
        self.tables = tables
        self.sheet = sheet
        self.n = sheet.table.num_rows
        self.attached: dict[str, pa.Array] = {}
        self.columns: dict[str, Column] = {}

    @functools.cached_property
    def codes(self) -> pa.Array:
        """Each leaf row's 实施编码 as the reader keys it (null where blank)."""
        column = self.sheet.typed("impl_code")
        return _texts(column.values, column.ids)

    def children(self, attr: str) -> pa.Array:
        """Per leaf row, how many children of ``attr`` attach to it (the first leaf row with
        their 实施编码)."""
        if attr not in self.attached:
            child = self.tables.tables.get(CHILDREN[attr])
            if child is None or child.sheet.parent is None:
                self.attached[attr] = pa.array([0] * self.n, pa.int64())
            else:
                parents = child.typed(child.sheet.parent)
                first = _first_leaf(_texts(parents.values, parents.ids), self.codes)
                self.attached[attr] = pc.cast(_per_row(first, self.n), pa.int64())
        return self.attached[attr]

    def column(self, field: str) -> Column:
        """The values a rule's ``field`` takes, as distinct values and each row's index."""
        if field not in self.columns:
            self.columns[field] = self._column(field)
        return self.columns[field]

    def _column(self, field: str) -> Column:
        if field.startswith(EXTRA_PREFIX):
            return self._extra(field)
        if field == "main_code":
            return self._main_code()
        if _on_stand_ins(field):
            return self._stand_ins(field)
        if field in _column_fields():
            typed = self.sheet.typed(field)
            return typed.values, typed.ids
        return [None], pa.array([0] * self.n, pa.int64())  # no such attribute: None

    def _extra(self, name: str) -> Column:
        """An unmapped header's column: the record reader's ``cell_text`` of each cell, None
        where absent."""
        if name not in self.sheet.table.column_names:
            return [None], pa.array([0] * self.n, pa.int64())
        encoded = pc.dictionary_encode(self.sheet.table[name].combine_chunks())
        values = [cell_text(t) for t in encoded.dictionary.to_pylist()] + [None]
        return values, pc.fill_null(encoded.indices, len(values) - 1)

    def _main_code(self) -> Column:
        """主项编码 after assembly: a blank one becomes the main item's code when the leaf is
        attached by its 基本编码 (``read/assemble.py``)."""
        own, basic = self.sheet.typed("main_code"), self.sheet.typed("basic_code")
        main = self.tables.tables.get("main_item")
        if main is None:
            return own.values, own.ids
        typed = main.typed("basic_code")
        codes = pc.drop_null(_texts(typed.values, typed.ids))
        blank = pc.is_null(_texts(own.values, own.ids))
        attached = pc.fill_null(pc.is_in(_texts(basic.values, basic.ids), value_set=codes), False)
        shifted = pc.add(pc.cast(basic.ids, pa.int64()), len(own.values))
        ids = pc.if_else(pc.and_(blank, attached), shifted, pc.cast(own.ids, pa.int64()))
        return [*own.values, *basic.values], ids

    def _stand_ins(self, field: str) -> Column:
        """Any other attribute of a leaf (``extra``, ``label``, the children lists…), read off a
        stand-in :class:`Leaf` built for each row: slow, and only for rules that name one."""
        values = [getattr(leaf, field, None) for leaf in self._leaf_records()]
        return values, pa.array(range(self.n), pa.int64())

    def _leaf_records(self) -> list[Leaf]:
        """A stand-in leaf per row: its column values, extras, children and source."""
        names = [c for c in self.sheet.table.column_names if c.startswith(EXTRA_PREFIX)]
        columns = {key: self.column(key) for key in (*_column_fields(), *names)}
        ids = {key: ids.to_pylist() for key, (_, ids) in columns.items()}
        children = {attr: self.children(attr).to_pylist() for attr in CHILDREN}
        leaves = []
        for row in range(self.n):
            kwargs = {key: columns[key][0][ids[key][row]] for key in _column_fields()}
            extra = {
                name[len(EXTRA_PREFIX) :]: value
                for name in names
                if (value := columns[name][0][ids[name][row]]) is not None
            }
            lists = {attr: [_CHILD] * counts[row] for attr, counts in children.items()}
            leaves.append(Leaf(**kwargs, **lists, extra=extra, source=self.sheet.source(row)))
        return leaves


def _holds(condition: dict[str, Any], leaves: _Leaves) -> pa.Array:
    """Per leaf row, whether ``condition`` holds (``holds`` on the rows' values)."""
    for key, combine, empty in (("any", pc.or_, False), ("all", pc.and_, True)):
        if key in condition:
            parts = [_holds(c, leaves) for c in condition[key]]
            start = pa.array([empty] * leaves.n, pa.bool_())
            return functools.reduce(combine, parts, start)
    if "not" in condition:
        return pc.invert(_holds(condition["not"], leaves))
    values, ids = leaves.column(condition["field"])
    tested = pa.array([matches(condition, v) for v in values], pa.bool_())
    return pc.take(tested, ids)


def _unfilled(fields: Iterable[str], leaves: _Leaves) -> int:
    """How many leaf rows have every one of ``fields`` empty (0 for no fields)."""
    masks = []
    for field in fields:
        values, ids = leaves.column(field)
        masks.append(pc.take(pa.array([blank(v) for v in values], pa.bool_()), ids))
    if not masks:
        return 0
    return pc.sum(functools.reduce(pc.and_, masks)).as_py() or 0


def _share(rule: dict[str, Any], leaves: _Leaves | None) -> Share:
    """How many leaves satisfy one share rule (and how many leave its elements empty)."""
    if leaves is None:
        return Share(rule["name"], rule.get("note", ""), 0, 0)
    count = pc.sum(_holds(rule["when"], leaves)).as_py() or 0
    unfilled = _unfilled(sorted(rule_fields(rule["when"])), leaves)
    return Share(rule["name"], rule.get("note", ""), count, leaves.n, unfilled)


def _main_counts(main: SheetTable | None, field: str, keys: KeysOf) -> Counter[str]:
    """Main items per key."""
    counts: Counter[str] = Counter()
    if main is None:
        return counts
    column = main.typed(field)
    for index, rows in _counts(column.ids):
        for key in set(keys(column.values[index])):
            counts[key] += rows
    return counts


def _leaf_counts(
    leaves: _Leaves | None, field: str, keys: KeysOf
) -> tuple[Counter[str], Counter[str]]:
    """(leaves per key, situations per key)."""
    counts: Counter[str] = Counter()
    situations: Counter[str] = Counter()
    if leaves is None:
        return counts, situations
    column = leaves.sheet.typed(field)
    table = pa.table({"id": column.ids, "s": leaves.children("situations")})
    grouped = table.group_by("id").aggregate([("s", "count"), ("s", "sum")])
    for index, rows, total in zip(
        grouped["id"].to_pylist(),
        grouped["s_count"].to_pylist(),
        grouped["s_sum"].to_pylist(),
        strict=True,
    ):
        for key in set(keys(column.values[index])):
            counts[key] += rows
            situations[key] += total
    return counts, situations


def _breakdowns(main: SheetTable | None, leaves: _Leaves | None) -> tuple[Breakdown, ...]:
    """By 事项类型, by 部门 and by 行使层级, as :func:`catalog_cli.analyses.stats.breakdowns`."""
    out = []
    for dimension, main_field, leaf_field, keys in DIMENSIONS:
        counts, situations = _leaf_counts(leaves, leaf_field, keys)
        out.append(ranked(dimension, _main_counts(main, main_field, keys), counts, situations))
    return tuple(out)


def _visits(leaves: _Leaves | None) -> Counter[int]:
    """Leaves per 到办事现场次数 (counts only: text and blanks left out)."""
    visits: Counter[int] = Counter()
    if leaves is None:
        return visits
    column = leaves.sheet.typed("visits")
    for index, rows in _counts(column.ids):
        value = visits_of(column.values[index])
        if value is not None:
            visits[value] += rows
    return visits


def _total_and_max(counts: pa.Array | None) -> tuple[int, int]:
    if counts is None or len(counts) == 0:
        return 0, 0
    return pc.sum(counts).as_py(), pc.max(counts).as_py()


def compute_stats_tables(
    tables: WorkbookTables, rules: list[dict[str, Any]], files: Iterable[str] = ()
) -> StatsResult:
    """All the figures of ``catalog stats`` for a standard workbook read as tables: those
    :func:`catalog_cli.analyses.stats.compute_stats` gives for its catalog."""
    main = tables.tables.get("main_item")
    sheet = tables.tables.get("leaf")
    leaves = _Leaves(tables, sheet) if sheet is not None and sheet.table.num_rows else None
    n = 0 if leaves is None else leaves.n
    visits = _visits(leaves)
    counted = sum(visits.values())
    situations, _ = _total_and_max(None if leaves is None else leaves.children("situations"))
    materials, materials_max = _total_and_max(
        None if leaves is None else leaves.children("materials")
    )
    steps, steps_max = _total_and_max(None if leaves is None else leaves.children("steps"))
    return StatsResult(
        files=tuple(files),
        main_items=0 if main is None else main.table.num_rows,
        leaves=n,
        situations=situations,
        breakdowns=_breakdowns(main, leaves),
        shares=tuple(_share(rule, leaves) for rule in rules),
        visits=tuple(sorted(visits.items())),
        visits_unknown=n - counted,
        visits_mean=ratio(sum(v * c for v, c in visits.items()), counted),
        materials_mean=ratio(materials, n),
        materials_max=materials_max,
        steps_mean=ratio(steps, n),
        steps_max=steps_max,
        materials_total=materials,
        steps_total=steps,
    )
