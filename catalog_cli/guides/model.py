"""Guide data: a catalog's leaves and 一件事 bundles as the parts of a 办事指南 (一表一图一说明).

Everything a renderer shows is decided here, as plain values: the information table rows in a
guide's order (titles from the schema), the materials per situation, the flow-chart layout, and
for a bundle its members, the merged material list with the members reusing each material and
the totals before and after (``analyses.reduce.bundle_result``). Renderers (guides/render.py)
only lay these out; no file is opened here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from catalog_cli.analyses.reduce import BundleResult, bundle_result, legal_figures
from catalog_cli.guides.chart import Layout, bundle_lanes, chart_steps, layout_bundle, layout_steps
from catalog_cli.model import Bundle, Catalog, Leaf, MainItem, Material, Situation, TimeLimit
from catalog_cli.model.text import fold_name
from catalog_cli.model.values import format_value, number_text, pct_text
from catalog_cli.schema import Field, load_schema, time_unit_of

MISSING = "未填写"
OFFICIAL = "政府部门核发"  # 来源渠道 of a material the office gets itself (免提交)
UNKNOWN_DEPARTMENT = "（未填写实施主体）"
NAME_CHARS = 40  # the longest sanitized name in a file name (3 bytes a CJK character)
CODE_CHARS = 40  # ... and code
SITUATION_CHARS = 12  # ... and situation name (a temporary sibling stays under 255 bytes)
# The information table of an item guide, in a guide's order (domain §8): leaf fields.
TABLE_FIELDS = (
    "name",
    "impl_code",
    "basic_code",
    "handling_code",
    "item_type",
    "legal_basis",
    "agency",
    "co_agencies",
    "service_object",
    "case_type",
    "handling_form",
    "legal_limit",
    "promised_limit",
    "visits",
    "onsite_reason",
    "fee_charged",
    "fee_standard",
    "result_name",
    "address",
    "office_hours",
    "consult",
    "complaint",
    "online",
    "online_url",
)
SHOWN_WHEN_FILLED = (
    "handling_code",
    "co_agencies",
    "onsite_reason",
    "fee_standard",
    "online_url",
)
BLANK = "—"  # an optional element left empty


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Row:
    """One line of an information table: element title, value text, whether it is a mandatory
    element left empty (shown as 未填写), and a note (the saving of the promised limit)."""

    key: str
    title: str
    value: str
    missing: bool = False
    note: str = ""


def leaf_field(key: str) -> Field:
    """The schema field of a leaf element."""
    return load_schema().records["leaf"].fields[key]


def value_text(fld: Field, value: Any) -> str:
    """A model value as a guide shows it: labels for codes, lists joined, limits as text."""
    shown = format_value(fld, value, time_unit_of)
    if shown is None or shown == "":
        return ""
    if isinstance(shown, bool):
        return "是" if shown else "否"
    if isinstance(shown, float):
        return number_text(shown)
    return str(shown)


def saving_note(legal: TimeLimit | None, promised: TimeLimit | None) -> str:
    """“较法定时限减少 15 个工作日（75.00%）” or why the limits do not compare."""
    figures = legal_figures(legal, promised)
    unit, saved, rate, excluded = figures[2], figures[5], figures[6], figures[7]
    if excluded is not None:
        return excluded
    return f"较法定时限减少 {number_text(saved)} 个{unit}（{pct_text(rate)}）"


@cache
def _table_fields() -> tuple[tuple[str, Field], ...]:
    """The information table's elements with their schema fields, looked up once."""
    return tuple((key, leaf_field(key)) for key in TABLE_FIELDS)


@cache
def mandatory(record: str) -> frozenset[str]:
    """The fields of a record kind that must be filled in (the schema's ``required``)."""
    return frozenset(load_schema().records[record].required)


def table_rows(leaf: Leaf, promised: TimeLimit | None = None) -> list[Row]:
    """The information table of a leaf (``promised``: a situation's own limit instead)."""
    required = mandatory("leaf")
    rows = []
    for key, fld in _table_fields():
        value = getattr(leaf, key)
        if key == "promised_limit" and promised is not None:
            value = promised
        text = value_text(fld, value)
        if not text and key in SHOWN_WHEN_FILLED:
            continue
        note = ""
        if key == "promised_limit" and text:
            note = saving_note(leaf.legal_limit, value)
        missing = not text and key in required
        rows.append(Row(key, fld.title, text or (MISSING if missing else BLANK), missing, note))
    return rows


# ---------------------------------------------------------------- materials


@dataclass(frozen=True)
class MaterialRow:
    """One material as a guide lists it; ``exempt`` (免提交) when its 来源渠道 is 政府部门核发."""

    seq: int
    name: str
    kind: str
    copies: str
    form: str
    necessity: str
    source: str
    exempt: bool
    note: str = ""


def material_row(seq: int, material: Material) -> MaterialRow:
    """A material of a leaf as a table row."""
    fields = load_schema().records["material"].fields

    def text(key: str) -> str:
        return value_text(fields[key], getattr(material, key))

    source = text("source_channel")
    return MaterialRow(
        seq=seq,
        name=material.name or MISSING,
        kind=text("material_type"),
        copies=text("copies"),
        form=text("material_form"),
        necessity=text("necessity"),
        source=source,
        exempt=material.source_channel == OFFICIAL,
        note=text("note"),
    )


def situation_materials(leaf: Leaf, situation: Situation) -> list[Material]:
    """The leaf's materials a situation names (by folded name), in the situation's order; a name
    the leaf does not list becomes a material with only that name."""
    by_name = {fold_name(m.name): m for m in leaf.materials if m.name}
    return [by_name.get(fold_name(name)) or Material(name=name) for name in situation.materials]


@dataclass(frozen=True)
class SituationPart:
    """A situation of an item: its name, description, own promised limit and materials."""

    name: str
    description: str
    promised: str
    materials: tuple[MaterialRow, ...]


def situation_part(leaf: Leaf, situation: Situation) -> SituationPart:
    """A situation with its materials as table rows."""
    limit = situation.promised_limit
    fld = load_schema().records["situation"].fields["promised_limit"]
    return SituationPart(
        name=situation.name or MISSING,
        description=situation.description or "",
        promised=value_text(fld, limit) if limit else "",
        materials=tuple(
            material_row(i, m) for i, m in enumerate(situation_materials(leaf, situation), 1)
        ),
    )


# ---------------------------------------------------------------- item guides


@dataclass(frozen=True)
class FeeRow:
    """One fee: 收费项目, 收费标准, 收费依据, 是否允许减免."""

    item: str
    standard: str
    basis: str
    reducible: str


@dataclass(frozen=True)
class StepRow:
    """One step as the guide's step table lists it."""

    name: str
    post: str
    limit: str
    standard: str
    result: str


@dataclass(frozen=True)
class ItemGuide:
    """The guide of one leaf (or of one of its situations with ``--per-situation``).

    ``stem``: the output path without extension (``items/<code>-<name>``).
    """

    stem: str
    code: str
    name: str
    department: str
    main_name: str
    situation: str
    rows: tuple[Row, ...]
    conditions: str
    materials: tuple[MaterialRow, ...]
    situations: tuple[SituationPart, ...]
    steps: tuple[StepRow, ...]
    fees: tuple[FeeRow, ...]
    chart: Layout
    missing: tuple[str, ...] = ()  # titles of the mandatory elements left empty

    @property
    def title(self) -> str:
        """The guide's heading: the item's name (and the situation's)."""
        return f"{self.name}（{self.situation}）" if self.situation else self.name


def fee_rows(leaf: Leaf) -> tuple[FeeRow, ...]:
    """The leaf's fees as table rows."""
    fields = load_schema().records["fee"].fields
    return tuple(
        FeeRow(
            *(value_text(fields[k], getattr(fee, k)) for k in ("item", "standard", "basis")),
            value_text(fields["reducible"], fee.reducible),
        )
        for fee in leaf.fees
    )


def step_rows(leaf: Leaf) -> tuple[StepRow, ...]:
    """The leaf's steps in chart order, with their review standard and result."""
    fields = load_schema().records["step"].fields
    ordered = [
        step
        for _, step in sorted(
            enumerate(leaf.steps),
            key=lambda p: (p[1].seq if isinstance(p[1].seq, int) else math.inf, p[0]),
        )
    ]
    return tuple(
        StepRow(
            *(value_text(fields[k], getattr(s, k)) for k in ("name", "post", "time_limit")),
            value_text(fields["standard"], s.standard),
            value_text(fields["result"], s.result),
        )
        for s in ordered
    )


def item_guide(
    leaf: Leaf, main: MainItem | None, stem: str, situation: Situation | None = None
) -> ItemGuide:
    """The guide of a leaf; with ``situation``, of that situation only (its materials, its
    promised limit where it has one)."""
    rows = table_rows(leaf, situation.promised_limit if situation else None)
    situations = [situation] if situation else leaf.situations
    materials = situation_materials(leaf, situation) if situation else leaf.materials
    missing = [r.title for r in rows if r.missing]
    required = mandatory("leaf")
    for key in ("conditions", "materials", "steps"):
        if key in required and not getattr(leaf, key):
            missing.append(leaf_field(key).title)
    return ItemGuide(
        stem=stem,
        code=leaf.impl_code or "",
        name=leaf.name or MISSING,
        department=department_of(leaf, main),
        main_name=main.name or "" if main else "",
        situation=(situation.name or MISSING) if situation else "",
        rows=tuple(rows),
        conditions=leaf.conditions or "",
        materials=tuple(material_row(i, m) for i, m in enumerate(materials, 1)),
        situations=tuple(situation_part(leaf, s) for s in situations),
        steps=step_rows(leaf),
        fees=fee_rows(leaf),
        chart=layout_steps(chart_steps(leaf), title=leaf.name or ""),
        missing=tuple(missing),
    )


def department_of(leaf: Leaf, main: MainItem | None) -> str:
    """The department a leaf is listed under: its 实施主体, else its main item's 主管部门."""
    return leaf.agency or (main.department if main else None) or UNKNOWN_DEPARTMENT


# ---------------------------------------------------------------- bundle guides


@dataclass(frozen=True)
class Member:
    """A member item of a bundle: code, name, department; ``found`` False when the catalog has
    no leaf with that code; ``stem`` of its item guide when one is written."""

    code: str
    name: str
    department: str
    found: bool
    promised: str = ""
    stem: str = ""


@dataclass(frozen=True)
class MergedMaterial:
    """One material of a bundle's merged list: asked for by ``members`` (codes); ``reused`` when
    more than one member asks for it (材料复用), ``required`` unless every member marks it
    非必要."""

    seq: int
    name: str
    kind: str
    copies: str
    form: str
    source: str
    exempt: bool
    members: tuple[str, ...]
    member_names: tuple[str, ...]
    required: bool

    @property
    def reused(self) -> bool:
        return len(self.members) > 1


@dataclass(frozen=True)
class Total:
    """A measure before (the members added up) and after (the bundle)."""

    measure: str
    unit: str
    before: str
    after: str
    rate: str


@dataclass(frozen=True)
class Note:
    """A part of the explanation (一说明): a heading and its lines (member-named where they
    differ)."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class BundleGuide:
    """The guide of a 一件事: 一表 (members, merged materials, totals), 一图, 一说明."""

    stem: str
    name: str
    members: tuple[Member, ...]
    materials: tuple[MergedMaterial, ...]
    result: BundleResult
    totals: tuple[Total, ...]
    chart: Layout
    notes: tuple[Note, ...]
    departments: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.name


def merged_materials(members: Sequence[Leaf]) -> list[MergedMaterial]:
    """Every member's materials, a material several members ask for (same folded name) once,
    in order of first appearance, with the members asking for it."""
    groups: dict[str, list[tuple[Leaf, Material]]] = {}
    for leaf in members:
        seen = set()
        for material in leaf.materials:
            key = fold_name(material.name)
            if key and key not in seen:
                seen.add(key)
                groups.setdefault(key, []).append((leaf, material))
    out = []
    for seq, pairs in enumerate(groups.values(), 1):
        row = material_row(seq, pairs[0][1])
        out.append(
            MergedMaterial(
                seq=seq,
                name=row.name,
                kind=row.kind,
                copies=row.copies,
                form=row.form,
                source=row.source,
                exempt=row.exempt,
                members=tuple(leaf.impl_code or "" for leaf, _ in pairs),
                member_names=tuple(leaf.name or "" for leaf, _ in pairs),
                required=any(m.necessity != "非必要" for _, m in pairs),
            )
        )
    return out


def bundle_totals(result: BundleResult) -> tuple[Total, ...]:
    """The totals of ``bundle_result`` as rows: materials, steps, time, visits."""

    def count(value: float | None) -> str:
        return "—" if value is None else number_text(value)

    def rate(before: float | None, after: float | None) -> str:
        if before is None or after is None or not before:
            return "—"
        return pct_text((before - after) * 100 / before)

    unit = result.time_unit or ""
    rows = [
        ("申请材料", "份", result.materials_sum, result.materials_after),
        ("办理环节", "个", result.steps_sum, result.steps_after),
        ("承诺办结时限", f"个{unit}" if unit else "", result.time_sum, result.time_after),
        ("到办事现场次数", "次", result.visits_sum, result.visits_after),
    ]
    return tuple(Total(m, u, count(b), count(a), rate(b, a)) for m, u, b, a in rows)


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _per_member(members: Sequence[Leaf], text: Any) -> tuple[str, ...]:
    """One line per distinct value of ``text(leaf)``; prefixed with the members' names when the
    members differ."""
    values = [(leaf.name or leaf.impl_code or "", text(leaf) or "") for leaf in members]
    distinct = _distinct(v for _, v in values)
    if len(distinct) <= 1:
        return tuple(distinct)
    return tuple(f"{name}：{value}" for name, value in values if value)


def bundle_notes(members: Sequence[Leaf]) -> tuple[Note, ...]:
    """一说明: who may apply, conditions, the situations that change the material list, fees,
    where and when, contacts."""
    objects = leaf_field("service_object")
    who = _distinct(value_text(objects, [code]) for leaf in members for code in leaf.service_object)
    situations = tuple(
        f"{leaf.name}：{s.name}" + (f"——{s.description}" if s.description else "")
        for leaf in members
        for s in leaf.situations
    )
    fees = []
    for leaf in members:
        if leaf.fee_charged is True or leaf.fees:
            items = "；".join(f"{f.item or ''} {f.standard or ''}".strip() for f in leaf.fees)
            fees.append(f"{leaf.name}：{items or leaf.fee_standard or '收费'}")
    return (
        Note("谁可以申请", ("、".join(who),) if who else ()),
        Note("申请条件", _per_member(members, lambda leaf: leaf.conditions)),
        Note("不同情形的材料", situations),
        Note("收费", tuple(fees) or ("不收费",)),
        Note(leaf_field("address").title, _per_member(members, lambda leaf: leaf.address)),
        Note(
            leaf_field("office_hours").title,
            _per_member(members, lambda leaf: leaf.office_hours),
        ),
        Note(leaf_field("consult").title, _per_member(members, lambda leaf: leaf.consult)),
        Note(leaf_field("complaint").title, _per_member(members, lambda leaf: leaf.complaint)),
    )


def bundle_guide(
    bundle: Bundle,
    catalog: Catalog,
    leaves: dict[str, Leaf],
    stem: str,
    item_stems: dict[str, str] | None = None,
) -> BundleGuide:
    """The guide of a bundle over a catalog (``leaves`` by 实施编码)."""
    found = [leaves[code] for code in bundle.members if code in leaves]
    limit_field = leaf_field("promised_limit")
    members = tuple(
        Member(
            code=code,
            name=(leaves[code].name or code) if code in leaves else code,
            department=(leaves[code].agency or UNKNOWN_DEPARTMENT) if code in leaves else "",
            found=code in leaves,
            promised=value_text(limit_field, leaves[code].promised_limit) if code in leaves else "",
            stem=(item_stems or {}).get(code, ""),
        )
        for code in bundle.members
    )
    result = bundle_result(bundle, leaves)
    return BundleGuide(
        stem=stem,
        name=bundle.name or MISSING,
        members=members,
        materials=tuple(merged_materials(found)),
        result=result,
        totals=bundle_totals(result),
        chart=layout_bundle(
            bundle_lanes(bundle, catalog), bundle.depends(), title=bundle.name or ""
        ),
        notes=bundle_notes(found),
        departments=tuple(_distinct(m.department for m in members if m.found)),
    )


# ---------------------------------------------------------------- the set of guides


_UNSAFE = re.compile(r"[^\w（）()\-]+")


def safe_name(text: str | None, limit: int = NAME_CHARS) -> str:
    """A name fit for a file name: NFKC, anything but letters, digits, CJK and ``-()`` → ``_``,
    no leading dot or underscore, at most ``limit`` characters; ``_`` when nothing is left."""
    folded = unicodedata.normalize("NFKC", text or "")
    cleaned = _UNSAFE.sub("_", folded).strip("_.")
    return cleaned[:limit].rstrip("_") or "_"


@dataclass
class GuideSet:
    """Every guide of one run, with the index's grouping (department → item guides)."""

    items: list[ItemGuide] = field(default_factory=list)
    bundles: list[BundleGuide] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)  # label → why (strict)

    def by_department(self) -> list[tuple[str, list[ItemGuide]]]:
        """The item guides grouped by department, departments in order of first appearance."""
        groups: dict[str, list[ItemGuide]] = {}
        for guide in self.items:
            groups.setdefault(guide.department, []).append(guide)
        return list(groups.items())


class _Stems:
    """Unique output stems (case-insensitive: Windows and macOS fold case)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, folder: str, base: str) -> str:
        stem, n = f"{folder}/{base}", 2
        while stem.lower() in self.used:
            stem, n = f"{folder}/{base}-{n}", n + 1
        self.used.add(stem.lower())
        return stem


def wanted_leaves(
    catalog: Catalog, codes: Sequence[str] | None
) -> list[tuple[Leaf, MainItem | None]]:
    """The leaves to write guides for, with their main items (all, or those ``codes`` name)."""
    pairs: list[tuple[Leaf, MainItem | None]] = [
        (leaf, main) for main in catalog.main_items for leaf in main.leaves
    ]
    pairs += [(leaf, None) for leaf in catalog.orphans.leaves]
    if codes is None:
        return pairs
    chosen = set(codes)
    return [(leaf, main) for leaf, main in pairs if leaf.impl_code in chosen]


def build_guides(
    catalog: Catalog,
    bundles: Sequence[Bundle],
    *,
    items: Sequence[str] | None = None,
    bundle_names: Sequence[str] | None = None,
    per_situation: bool = False,
    refused: dict[str, list[str]] | None = None,
) -> GuideSet:
    """The guides of a catalog: every leaf (or those ``items`` name by 实施编码) and every bundle
    (or those ``bundle_names`` name). Leaves and bundles in ``refused`` (label → reasons, from
    ``--strict``) are left out. ``items`` / ``bundle_names`` None means all; an empty list none.
    """
    refused = refused or {}
    stems = _Stems()
    out = GuideSet(refused=dict(refused))
    item_stems: dict[str, str] = {}
    for leaf, main in wanted_leaves(catalog, items):
        if leaf.label in refused:
            continue
        base = f"{safe_name(leaf.impl_code, CODE_CHARS)}-{safe_name(leaf.name)}"
        if per_situation and leaf.situations:
            for n, situation in enumerate(leaf.situations, 1):
                name = f"{base}-{n}-{safe_name(situation.name, SITUATION_CHARS)}"
                stem = stems.make("items", name)
                item_stems.setdefault(leaf.impl_code or "", stem)  # a bundle links the first
                out.items.append(item_guide(leaf, main, stem, situation))
        else:
            stem = stems.make("items", base)
            item_stems.setdefault(leaf.impl_code or "", stem)
            out.items.append(item_guide(leaf, main, stem))
    leaves: dict[str, Leaf] = {}
    for leaf in catalog.iter_leaves():
        if leaf.impl_code:
            leaves.setdefault(leaf.impl_code, leaf)
    chosen = None if bundle_names is None else set(bundle_names)
    for n, bundle in enumerate(bundles, 1):
        if chosen is not None and bundle.name not in chosen:
            continue
        bad = [code for code in bundle.members if code in refused]
        if bad:
            out.refused[bundle.name or ""] = [f"成员事项 {code} 有错误" for code in bad]
            continue
        stem = stems.make("bundles", f"{n:03d}-{safe_name(bundle.name)}")
        out.bundles.append(bundle_guide(bundle, catalog, leaves, stem, item_stems))
    return out


__all__ = [
    "MISSING",
    "BundleGuide",
    "GuideSet",
    "ItemGuide",
    "build_guides",
    "bundle_guide",
    "item_guide",
    "safe_name",
]
