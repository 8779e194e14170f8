"""The typed catalog model: catalog → main item → leaf (sub-item / handling item) → situation.

Field names equal the property keys of ``schemas/catalog.schema.json`` (a test holds them
together). Codes are always text. A value the reader could not normalize keeps its original
text, so validation can report it instead of the reader dropping it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

Text = str | None
Code = str | None
Codes = list[str]
YesNo = bool | str | None
Count = int | str | None


@dataclass(slots=True)
class Source:
    """Where a record came from: file, sheet, the row Excel shows and each field's column
    letter.
    """

    file: str
    sheet: str | None = None
    row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A time limit: number + unit (工作日 / 自然日 / 即办 / 小时 / 月 / 无), with the original
    text.
    """

    value: float | None
    unit: str | None
    text: str = ""


@dataclass(slots=True)
class Material:
    """申请材料: one material of a leaf item."""

    seq: Count = None
    name: Text = None
    material_type: Code = None
    material_form: Code = None
    copies: Text = None
    necessity: Code = None
    source_channel: Code = None
    blank_form: Text = None
    sample_form: Text = None
    note: Text = None
    extra: dict[str, str] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Step:
    """办理流程: one step of a leaf item."""

    seq: Count = None
    name: Text = None
    post: Text = None
    standard: Text = None
    result: Text = None
    time_limit: TimeLimit | None = None
    extra: dict[str, str] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Fee:
    """收费: one fee item of a leaf item."""

    item: Text = None
    standard: Text = None
    basis: Text = None
    reducible: YesNo = None
    extra: dict[str, str] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Situation:
    """办理情形: a named case of a leaf item, selecting a subset of its materials."""

    name: Text = None
    description: Text = None
    materials: list[str] = field(default_factory=list)
    promised_limit: TimeLimit | None = None
    extra: dict[str, str] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Leaf:
    """A leaf item (子项 / 业务办理项): the unit that carries the implementation elements."""

    impl_code: Code = None
    basic_code: Code = None
    main_code: Code = None
    handling_code: Code = None
    name: Text = None
    item_type: Code = None
    legal_basis: Text = None
    exercise_level: Codes = field(default_factory=list)
    power_source: Code = None
    agency: Text = None
    agency_code: Code = None
    agency_nature: Code = None
    entrusting_dept: Text = None
    co_agencies: Text = None
    service_object: Codes = field(default_factory=list)
    case_type: Code = None
    conditions: Text = None
    handling_form: Codes = field(default_factory=list)
    legal_limit: TimeLimit | None = None
    legal_limit_note: Text = None
    promised_limit: TimeLimit | None = None
    promised_limit_note: Text = None
    visits: Count = None
    onsite_reason: Text = None
    fee_charged: YesNo = None
    fee_standard: Text = None
    result_name: Text = None
    result_type: Code = None
    result_sample: Text = None
    special_procedures: Text = None
    intermediary: Text = None
    quantity_limit: Text = None
    address: Text = None
    office_hours: Text = None
    consult: Text = None
    complaint: Text = None
    online: YesNo = None
    online_depth: Code = None
    online_url: Text = None
    situations: list[Situation] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    fees: list[Fee] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        """How findings name this item: its implementation code, else its name."""
        return self.impl_code or self.name or ""


@dataclass(slots=True)
class MainItem:
    """A main item (主项): catalog elements shared by its leaves."""

    basic_code: Code = None
    name: Text = None
    item_type: Code = None
    legal_basis: Text = None
    exercise_level: Codes = field(default_factory=list)
    department: Text = None
    leaves: list[Leaf] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def label(self) -> str:
        return self.basic_code or self.name or ""


@dataclass(slots=True)
class Bundle:
    """一件事: a bundle of leaf items handled together."""

    name: Text = None
    members: list[str] = field(default_factory=list)
    material_count: Count = None
    step_count: Count = None
    promised_limit: TimeLimit | None = None
    visits: Count = None
    sequence: list[str] = field(default_factory=list)  # “先办>后办” pairs of member codes
    extra: dict[str, str] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)

    def depends(self) -> list[tuple[str, str]]:
        """The (before, after) member pairs of :attr:`sequence` (“A>B” or “A→B”)."""
        pairs = []
        for text in self.sequence:
            before, _, after = text.replace("→", ">").partition(">")
            if before.strip() and after.strip():
                pairs.append((before.strip(), after.strip()))
        return pairs


@dataclass(slots=True)
class Orphans:
    """Records whose parent is missing, kept so that nothing is lost on the way through."""

    leaves: list[Leaf] = field(default_factory=list)
    situations: list[tuple[str, Situation]] = field(default_factory=list)
    materials: list[tuple[str, Material]] = field(default_factory=list)
    steps: list[tuple[str, Step]] = field(default_factory=list)
    fees: list[tuple[str, Fee]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.leaves, self.situations, self.materials, self.steps, self.fees))


@dataclass(frozen=True, slots=True)
class CodeScheme:
    """A code scheme other than the national form (``schemas/code-schemes.json``, or declared
    by an input profile's ``local_codes``): the field it is for, its name, a regular
    expression the whole code matches, and ``local`` (a region's own scheme) or ``legacy``."""

    field: str
    name: str
    pattern: str
    kind: str = "local"


@dataclass(slots=True)
class Catalog:
    """A normalized catalog.

    ``code_schemes``: the local code schemes the input profiles it was read through declare
    (not part of the data: not written, not compared).
    """

    main_items: list[MainItem] = field(default_factory=list)
    bundles: list[Bundle] = field(default_factory=list)
    orphans: Orphans = field(default_factory=Orphans)
    name: str | None = None
    code_schemes: tuple[CodeScheme, ...] = field(default=(), compare=False, repr=False)

    def iter_leaves(self) -> Iterator[Leaf]:
        """Every leaf, those under main items first, then orphan leaves."""
        for main in self.main_items:
            yield from main.leaves
        yield from self.orphans.leaves

    def count_leaves(self) -> int:
        return sum(len(m.leaves) for m in self.main_items) + len(self.orphans.leaves)


RECORD_CLASSES: dict[str, type] = {
    "main_item": MainItem,
    "leaf": Leaf,
    "situation": Situation,
    "material": Material,
    "step": Step,
    "fee": Fee,
    "bundle": Bundle,
}
CHILD_CLASSES: dict[str, type] = {
    "leaves": Leaf,
    "situations": Situation,
    "materials": Material,
    "steps": Step,
    "fees": Fee,
}


@cache
def data_fields(cls: type) -> tuple[str, ...]:
    """The fields of a record class that carry data (all but ``source``)."""
    return tuple(f.name for f in fields(cls) if f.name != "source")


def record_to_dict(record: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A record as the catalog JSON writes it: empty values left out, children nested."""
    return _dict_maker(record.__class__, skip)(record)


def _records_to_json(records: list[Any]) -> list[Any]:
    """A non-empty list field in JSON form: texts copied, records as dicts."""
    if records[0].__class__ is str:
        return records.copy()
    return [_dict_maker(r.__class__, ())(r) for r in records]


@cache
def _dict_maker(cls: type, skip: tuple[str, ...]) -> Any:
    """A function turning one record class into its JSON dict, written out field by field.

    Catalogs have millions of records, and a function that names each field (as ``dataclasses``
    writes ``__init__``) runs several times faster than a loop over the fields.
    """
    lines = ["def to_dict(r):", "    out = {}"]
    for name in data_fields(cls):
        if name in skip:
            continue
        lines += [
            f"    v = r.{name}",
            "    if v is not None:",
            "        c = v.__class__",
            "        if c is str or c is list or c is dict:",
            "            if v:",
            f"                out[{name!r}] = v if c is str"
            " else v.copy() if c is dict else records_to_json(v)",
            "        elif c is TimeLimit:",
            f"            out[{name!r}] = time_limit_to_dict(v)",
            "        else:",
            f"            out[{name!r}] = v",
        ]
    lines.append("    return out")
    namespace: dict[str, Any] = {
        "records_to_json": _records_to_json,
        "TimeLimit": TimeLimit,
        "time_limit_to_dict": time_limit_to_dict,
    }
    exec("\n".join(lines), namespace)
    return namespace["to_dict"]


def time_limit_to_dict(limit: TimeLimit) -> dict[str, Any]:
    out: dict[str, Any] = {"value": limit.value, "unit": limit.unit}
    if limit.text:
        out["text"] = limit.text
    return out


def record_from_dict(cls: type, data: dict[str, Any], source: Source | None = None) -> Any:
    """Rebuild a record from its JSON form (the inverse of :func:`record_to_dict`)."""
    known = data_fields(cls)
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            raise ValueError(f"未知字段 {name}")
        if (
            name in CHILD_CLASSES
            and isinstance(value, list)
            and all(isinstance(v, dict) for v in value)
        ):
            value = [record_from_dict(CHILD_CLASSES[name], child) for child in value]
        elif isinstance(value, dict) and name != "extra":
            value = TimeLimit(value.get("value"), value.get("unit"), value.get("text", ""))
        kwargs[name] = value
    return cls(**kwargs, source=source)
