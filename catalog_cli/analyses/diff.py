"""``catalog diff``: a county catalog against the city's on the six unified elements (六个统一).

Leaves match on 基本编码 + 业务办理项编码, then on the plain name (folded, level tags removed);
never on 实施编码 (a county's differs by agency and level). Leaves sharing a code in one input
go on to the name pass; leaves sharing a name there are left out. Matching joins per-catalog
key tables (pyarrow); each element is compared column-wise on its signature
(:func:`~catalog_cli.analyses.diff_compare.signature`), and only the pairs whose signatures
differ are compared in detail. :func:`diff_reference` does the same with plain loops; a test
holds the two together.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from catalog_cli.analyses.diff_compare import (
    Deviation,
    code_text,
    detail,
    handling_code,
    limit_text,
    material_key,
    plain_name,
    raw_value_getter,
    signature,
)
from catalog_cli.analyses.diff_rules import DiffOptions, DiffRules, ElementRule
from catalog_cli.model import Catalog, Leaf
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.records import Material

REPEATED = "diff-key-repeated"
CODE_ELEMENT = "基本编码"
BY_CODE, BY_NAME = "code", "name"


@dataclass(frozen=True)
class ItemRef:
    """A leaf as the report names it."""

    index: int  # position in Catalog.iter_leaves
    code: str
    name: str
    impl_code: str
    row: int | None
    city_only: bool = False  # a city leaf whose 行使层级 has no 县级


@dataclass(frozen=True)
class Matched:
    city: ItemRef
    county: ItemRef
    by: str  # code | name


@dataclass(frozen=True)
class ItemDeviation:
    """A deviation of one matched pair."""

    pair: Matched
    deviation: Deviation


@dataclass(frozen=True)
class Suggestion:
    """A near-miss name: an unclaimed city leaf and a county-only leaf, never matched."""

    city: ItemRef
    county: ItemRef
    score: float


@dataclass
class CountyDiff:
    """One county against the city."""

    city_file: str
    county_file: str
    elements: tuple[str, ...]
    titles: dict[str, str]
    matched: list[Matched] = field(default_factory=list)
    unclaimed: list[ItemRef] = field(default_factory=list)
    county_only: list[ItemRef] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    deviations: list[ItemDeviation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # set by compact(): matched pairs per way (code | name) once ``matched`` has been dropped
    matched_by: dict[str, int] | None = None

    @property
    def matched_count(self) -> int:
        """How many pairs matched (also after :meth:`compact`)."""
        return sum(self.matched_counts().values())

    def matched_counts(self) -> dict[str, int]:
        """Matched pairs by the way they matched: {"code": …, "name": …}."""
        if self.matched_by is not None:
            return dict(self.matched_by)
        return {by: sum(1 for m in self.matched if m.by == by) for by in (BY_CODE, BY_NAME)}

    def compact(self) -> CountyDiff:
        """This diff without the list of matched pairs, only their counts (all a report needs;
        a worker sends this back: small, whatever the size of the catalogs)."""
        return replace(self, matched=[], matched_by=self.matched_counts())

    def deviating(self, element: str) -> int:
        """Matched pairs with at least one deviation on ``element``."""
        return len({(d.pair.city.index) for d in self.deviations if d.deviation.element == element})

    def rates(self) -> dict[str, float | None]:
        """Per element: matched items whose element is identical ÷ matched items."""
        n = self.matched_count
        return {e: (n - self.deviating(e)) / n if n else None for e in self.elements}

    def rate(self) -> float | None:
        """Matched items identical on every compared element ÷ matched items."""
        n = self.matched_count
        return (n - len({d.pair.city.index for d in self.deviations})) / n if n else None


# --- key tables and matching --------------------------------------------------------------


def _ref(index: int, leaf: Leaf, rules: DiffRules, city: bool) -> ItemRef:
    code = code_text(leaf)
    return ItemRef(
        index,
        code,
        leaf.name or "",
        leaf.impl_code or "",
        leaf.source.row if leaf.source else None,
        city_only=city
        and bool(leaf.exercise_level)
        and rules.county_level not in leaf.exercise_level,
    )


def code_key(leaf: Leaf) -> str | None:
    """The code key: 基本编码, with 业务办理项编码 (as compared) where present."""
    if not leaf.basic_code:
        return None
    return f"{leaf.basic_code}/{handling_code(leaf) or ''}"


def key_table(leaves: list[Leaf], rules: DiffRules) -> pa.Table:
    """One row per leaf: its index, code key and plain name."""
    return pa.table(
        {
            "i": pa.array(range(len(leaves)), pa.int64()),
            "code": pa.array([code_key(x) for x in leaves], pa.string()),
            "name": pa.array(
                [plain_name(x.name, rules.level_tags) or None for x in leaves], pa.string()
            ),
        }
    )


def _repeated(table: pa.Table, key: str) -> tuple[pa.Table, set[str]]:
    """The table without rows whose ``key`` repeats (null keys dropped too), and those keys."""
    table = table.filter(pc.is_valid(table[key]))
    counts = table.group_by(key).aggregate([("i", "count")])
    twice = counts.filter(pc.greater(counts["i_count"], 1))[key].to_pylist()
    if twice:
        table = table.filter(pc.invert(pc.is_in(table[key], pa.array(twice, pa.string()))))
    return table, set(twice)


def _join(city: pa.Table, county: pa.Table, key: str) -> list[tuple[int, int]]:
    """(city index, county index) of the rows with the same ``key`` (both sides unique)."""
    joined = city.select(["i", key]).join(
        county.select(["i", key]).rename_columns(["j", key]), key, join_type="inner"
    )
    joined = joined.sort_by("i")
    return list(zip(joined["i"].to_pylist(), joined["j"].to_pylist(), strict=True))


def _repeat_findings(
    leaves: list[Leaf], keys: set[str], key_of: dict[int, str | None], element: str
) -> list[Finding]:
    """An error per repeated key, naming the file and the rows (a repeated code leaves its
    leaves to the name pass; a repeated name leaves them out)."""
    out = []
    for key in sorted(keys):
        group = [leaves[i] for i, k in sorted(key_of.items()) if k == key]
        rows = "、".join(str(x.source.row) for x in group if x.source and x.source.row)
        first = group[0]
        out.append(
            make_finding(
                REPEATED,
                "error",
                first.source,
                f"{element}“{key.rstrip('/')}”在本文件中出现 {len(group)} 次（第 {rows} 行），"
                + (
                    "无法按编码确定与哪一个比对，这些子项改按事项名称匹配"
                    if element == CODE_ELEMENT
                    else "无法确定与哪一个比对，这些子项不参加比对"
                ),
                element=element,
                key="basic_code" if element == CODE_ELEMENT else "name",
                item=first.impl_code or first.name,
                value=key.rstrip("/"),
            )
        )
    return out


def _free(table: pa.Table, used: set[int]) -> pa.Table:
    """The rows of ``table`` whose leaf is not matched or excluded yet."""
    return table.filter(pc.invert(pc.is_in(table["i"], pa.array(sorted(used), pa.int64()))))


def match_tables(
    city: list[Leaf], county: list[Leaf], rules: DiffRules
) -> tuple[list[tuple[int, int, str]], list[Finding]]:
    """Matched (city index, county index, by) and the repeated-key findings, on key tables.

    Each key in turn (code, then name) joins the leaves not matched yet; a key repeated in one
    input is reported: leaves sharing a code go on to the name pass (variants of one item told
    apart by their names), leaves sharing a name take no further part.
    """
    tables = (key_table(city, rules), key_table(county, rules))
    findings: list[Finding] = []
    pairs: list[tuple[int, int, str]] = []
    used: tuple[set[int], set[int]] = (set(), set())
    for key, by, element in (("code", BY_CODE, CODE_ELEMENT), ("name", BY_NAME, "事项名称")):
        unique = []
        for leaves, table, side in zip((city, county), tables, used, strict=True):
            free = _free(table, side)
            kept, twice = _repeated(free, key)
            if twice:
                of = dict(zip(free["i"].to_pylist(), free[key].to_pylist(), strict=True))
                findings += _repeat_findings(leaves, twice, of, element)
                if key == "name":
                    side |= {i for i, k in of.items() if k in twice}
            unique.append(kept)
        for i, j in _join(unique[0], unique[1], key):
            pairs.append((i, j, by))
            used[0].add(i)
            used[1].add(j)
    pairs.sort()
    return pairs, findings


# --- the diff -----------------------------------------------------------------------------


def _start(
    city: Catalog, county: Catalog, options: DiffOptions
) -> tuple[list[Leaf], list[Leaf], CountyDiff]:
    rules = options.the_rules
    city_leaves, county_leaves = list(city.iter_leaves()), list(county.iter_leaves())
    result = CountyDiff(
        _file_of(city_leaves, city),
        _file_of(county_leaves, county),
        options.elements,
        {e.key: e.title for e in rules.elements},
    )
    return city_leaves, county_leaves, result


def _file_of(leaves: list[Leaf], catalog: Catalog) -> str:
    for leaf in leaves:
        if leaf.source and leaf.source.file:
            return leaf.source.file
    return catalog.name or ""


def _finish(
    result: CountyDiff,
    city_leaves: list[Leaf],
    county_leaves: list[Leaf],
    pairs: list[tuple[int, int, str]],
    options: DiffOptions,
) -> CountyDiff:
    """The unmatched leaves on both sides and the near-miss suggestions."""
    rules = options.the_rules
    used_c = {i for i, _, _ in pairs}
    used_k = {j for _, j, _ in pairs}
    result.unclaimed = [
        _ref(i, x, rules, True) for i, x in enumerate(city_leaves) if i not in used_c
    ]
    result.county_only = [
        _ref(j, x, rules, False) for j, x in enumerate(county_leaves) if j not in used_k
    ]
    names = {r.index: plain_name(r.name, rules.level_tags) for r in result.county_only}
    by_index = {r.index: r for r in result.county_only}
    for ref in result.unclaimed:
        found = process.extract(
            plain_name(ref.name, rules.level_tags),
            names,
            scorer=fuzz.ratio,
            score_cutoff=rules.suggestion_score,
            limit=rules.suggestion_limit,
        )
        result.suggestions += [
            Suggestion(ref, by_index[j], round(score, 1)) for _, score, j in found
        ]
    return result


def _differing(
    rule: ElementRule,
    city: list[Leaf],
    county: list[Leaf],
    pairs: list[tuple[int, int, str]],
    options: DiffOptions,
) -> list[int]:
    """The pairs (positions in ``pairs``) whose element differs after normalization.

    Pairs whose raw values are equal are the same (most of a claimed catalog); only the others
    are folded into signatures, which are compared column-wise.
    """
    raw = raw_value_getter(rule, options)
    maybe = [n for n, (i, j, _) in enumerate(pairs) if raw(city[i]) != raw(county[j])]
    if not maybe:
        return []
    ours = pa.array([signature(rule, city[pairs[n][0]], options) for n in maybe], pa.string())
    theirs = pa.array([signature(rule, county[pairs[n][1]], options) for n in maybe], pa.string())
    differ = pc.not_equal(ours, theirs)
    return [maybe[k] for k in pc.indices_nonzero(differ).to_pylist()]


def diff_catalogs(city: Catalog, county: Catalog, options: DiffOptions) -> CountyDiff:
    """The county's matching, unmatched leaves and deviations on ``options.elements``."""
    rules = options.the_rules
    city_leaves, county_leaves, result = _start(city, county, options)
    pairs, result.findings = match_tables(city_leaves, county_leaves, rules)
    refs = [
        Matched(_ref(i, city_leaves[i], rules, True), _ref(j, county_leaves[j], rules, False), by)
        for i, j, by in pairs
    ]
    result.matched = refs
    found: dict[int, list[ItemDeviation]] = {}
    for key in options.elements:
        rule = rules.element(key)
        for n in _differing(rule, city_leaves, county_leaves, pairs, options):
            i, j, _ = pairs[n]
            devs = detail(rule, city_leaves[i], county_leaves[j], options)
            found.setdefault(n, []).extend(ItemDeviation(refs[n], d) for d in devs)
    result.deviations = [d for n in sorted(found) for d in found[n]]
    return _finish(result, city_leaves, county_leaves, pairs, options)


def match_reference(
    city: list[Leaf], county: list[Leaf], rules: DiffRules
) -> list[tuple[int, int, str]]:
    """The matching with plain dicts (the reference for :func:`match_tables`)."""
    pairs: list[tuple[int, int, str]] = []
    used_c: set[int] = set()
    used_k: set[int] = set()
    keys = (
        (BY_CODE, code_key),
        (BY_NAME, lambda x: plain_name(x.name, rules.level_tags) or None),
    )
    for by, key in keys:
        index_c: dict[str, list[int]] = {}
        index_k: dict[str, list[int]] = {}
        for side, leaves, used in ((index_c, city, used_c), (index_k, county, used_k)):
            for i, x in enumerate(leaves):
                if i not in used and key(x) is not None:
                    side.setdefault(key(x), []).append(i)
        for k, group in index_c.items():
            other = index_k.get(k, [])
            if len(group) > 1:
                used_c.update(group if by == BY_NAME else ())
            elif len(other) == 1:
                pairs.append((group[0], other[0], by))
                used_c.add(group[0])
                used_k.add(other[0])
        for other in index_k.values():
            if len(other) > 1 and by == BY_NAME:
                used_k.update(other)
    return sorted(pairs)


def diff_reference(city: Catalog, county: Catalog, options: DiffOptions) -> CountyDiff:
    """:func:`diff_catalogs` in plain loops: every pair, every element, in detail."""
    rules = options.the_rules
    city_leaves, county_leaves, result = _start(city, county, options)
    pairs = match_reference(city_leaves, county_leaves, rules)
    _, result.findings = match_tables(city_leaves, county_leaves, rules)
    for i, j, by in pairs:
        pair = Matched(
            _ref(i, city_leaves[i], rules, True), _ref(j, county_leaves[j], rules, False), by
        )
        result.matched.append(pair)
        for key in options.elements:
            for d in detail(rules.element(key), city_leaves[i], county_leaves[j], options):
                result.deviations.append(ItemDeviation(pair, d))
    return _finish(result, city_leaves, county_leaves, pairs, options)


# --- align --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One cell ``align`` set: the county item, the element, its old and new value."""

    item: str  # the county's 实施编码
    name: str
    element: str
    old: str
    new: str
    row: int | None


def _value_text(value: object) -> str:
    if isinstance(value, list):
        return "、".join(getattr(x, "name", None) or str(x) for x in value)
    if hasattr(value, "unit"):
        return limit_text(value)  # type: ignore[arg-type]
    return "" if value is None else str(value)


FIELD_TITLES = {
    "basic_code": "基本编码",
    "handling_code": "业务办理项编码",
    "legal_limit": "法定办结时限",
    "promised_limit": "承诺办结时限",
}


def fresh_leaves(catalog: Catalog) -> Catalog:
    """A copy of ``catalog`` whose main items, orphans and leaves are new objects sharing their
    values: a field set on one of its leaves (to a new value) leaves ``catalog`` as it was, at
    the cost of one shallow copy per leaf rather than a deep copy of every value."""
    out = copy.copy(catalog)
    out.main_items = []
    for main in catalog.main_items:
        fresh = copy.copy(main)
        fresh.leaves = [copy.copy(x) for x in main.leaves]
        out.main_items.append(fresh)
    out.orphans = copy.copy(catalog.orphans)
    out.orphans.leaves = [copy.copy(x) for x in catalog.orphans.leaves]
    return out


def align_catalog(
    city: Catalog, county: Catalog, diff: CountyDiff, options: DiffOptions
) -> tuple[Catalog, list[Change]]:
    """A copy of ``county`` with each unified element the diff found deviating set to the
    city's value (its own elements untouched), and every field it set (each change names the
    county item by its 实施编码 and name as the county had them)."""
    rules = options.the_rules
    aligned = fresh_leaves(county)
    city_leaves, county_leaves = list(city.iter_leaves()), list(aligned.iter_leaves())
    deviating = {(d.pair.county.index, d.deviation.element) for d in diff.deviations}
    changes: list[Change] = []
    for pair in diff.matched:
        ours, theirs = city_leaves[pair.city.index], county_leaves[pair.county.index]
        item = (theirs.impl_code or "", theirs.name or "")
        row = theirs.source.row if theirs.source else None
        for rule in rules.elements:
            if not rule.unified or (pair.county.index, rule.key) not in deviating:
                continue
            for name in rule.fields:
                old, new = getattr(theirs, name), getattr(ours, name)
                if old == new:
                    continue
                title = FIELD_TITLES.get(name, rule.title)
                changes.append(Change(*item, title, _value_text(old), _value_text(new), row))
                setattr(theirs, name, copy.deepcopy(new))
                if name == "materials":
                    changes += [
                        Change(*item, *change)
                        for change in situation_changes(theirs, options.synonyms)
                    ]
                if name == "basic_code":
                    changes += [
                        Change(*item, *change) for change in impl_code_change(theirs, old, new)
                    ]
    return aligned, changes


SetValue = tuple[str, str, str, int | None]  # a change without its item: element, old, new, row


def impl_code_change(leaf: Leaf, old: str | None, new: str | None) -> list[SetValue]:
    """After a leaf's 基本编码 was set to the city's: a 实施编码 that ends with the old 基本编码
    (信用代码 + 层级 + 基本编码) ends with the new one, its own part kept."""
    impl = leaf.impl_code
    if not (impl and old and new and impl.endswith(old)):
        return []
    leaf.impl_code = impl[: len(impl) - len(old)] + new
    return [("实施编码", impl, leaf.impl_code, leaf.source.row if leaf.source else None)]


def situation_changes(leaf: Leaf, synonyms: dict[str, str]) -> list[SetValue]:
    """After a leaf's materials were replaced by the city's: each situation's material list
    follows them (a name matched, with the synonyms, to the new material's name; a material
    the leaf no longer has dropped), the situations copied, never changed in place. Returns a
    change per situation whose list changed."""
    names = {material_key(m, synonyms): m.name for m in leaf.materials if m.name}
    out: list[SetValue] = []
    fresh = []
    for situation in leaf.situations:
        kept = [
            names[key]
            for key in (material_key(Material(name=x), synonyms) for x in situation.materials)
            if key in names
        ]
        kept = list(dict.fromkeys(kept))  # two old names of one material: listed once
        if kept == situation.materials:
            fresh.append(situation)
            continue
        out.append(
            (
                f"办理情形“{situation.name or ''}”的材料",
                "、".join(situation.materials),
                "、".join(kept),
                (situation.source or leaf.source).row if situation.source or leaf.source else None,
            )
        )
        fresh.append(replace(situation, materials=kept))
    leaf.situations = fresh
    return out
