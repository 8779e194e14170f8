"""Load the catalog schema from ``schemas/`` and expose its element metadata.

Everything about the 36 elements — Chinese names, aliases, code tables, the standard
workbook's sheets and columns — is read from ``schemas/catalog.schema.json``; code never
repeats it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.records import CodeScheme
from catalog_cli.model.text import fold_header_name, fold_name

SCHEMA_FILE = "catalog.schema.json"
FORMAT = "catalog-cli/1"
SHARE_RULES_FILE = "stats-rules.json"
SHARE_OPERATORS = ("eq", "in", "le", "ge", "contains_any")  # the operators of a share rule

Kind = Literal[
    "text", "integer", "enum", "multi", "list", "yes_no", "time_limit", "children", "extra"
]


def resource_dir(name: str) -> Path:
    """Find a data folder (``schemas`` or ``templates``) installed in the package or in the
    checkout.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / name, here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"找不到数据目录 {name}/（安装不完整）")


_fold = fold_name  # labels and variants match as names do


@dataclass(frozen=True)
class CodeTable:
    """An enumeration: canonical codes, their labels and the known variants."""

    name: str
    codes: tuple[Any, ...]
    labels: dict[Any, str]
    lookup_map: dict[str, Any] = field(repr=False)

    @classmethod
    def from_def(cls, name: str, spec: dict) -> CodeTable:
        if spec.get("type") == "boolean":
            codes: tuple[Any, ...] = (True, False)
            labels = {True: spec["x-labels"]["true"], False: spec["x-labels"]["false"]}
        else:
            codes = tuple(spec["enum"])
            labels = {c: spec.get("x-labels", {}).get(c, c) for c in codes}
        lookup: dict[str, Any] = {}
        for variant, code in spec.get("x-variants", {}).items():
            lookup[_fold(variant)] = code
        for code in codes:
            lookup[_fold(labels[code])] = code
            lookup[_fold(str(code))] = code
        return cls(name, codes, labels, lookup)

    def lookup(self, text: str) -> Any | None:
        """Canonical code for a code, label or variant; None when unknown."""
        return self.lookup_map.get(_fold(text))

    def label(self, code: Any) -> str:
        """The label a person reads for a code (unknown codes come back as text)."""
        return self.labels.get(code, str(code))


@dataclass(frozen=True)
class Field:
    """One property of a record, as the schema describes it."""

    key: str
    title: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    table: CodeTable | None = None
    joiner: str | None = None
    element: int | None = None
    hint: str | None = None
    is_code: bool = False
    child: str | None = None
    text_style: str = "block"


@dataclass(frozen=True)
class Record:
    """A record type of the tree (main_item, leaf, situation, material, step, fee, bundle)."""

    name: str
    title: str
    fields: dict[str, Field]
    required: tuple[str, ...]


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the standard workbook."""

    name: str
    record: str
    key: tuple[str, ...]
    required: bool
    columns: tuple[str, ...]
    parent: str | None = None
    row_key: str | None = None  # header of the column holding each row's own key
    parent_key: str | None = None  # header of the column holding the parent row's key

    @property
    def links(self) -> list[tuple[str, str]]:
        """(role, header) of the link columns, in the order the writer puts them after the
        element columns: the row's own key (``row_key``), then its parent's (``parent_key``)."""
        return [
            (role, title)
            for role, title in (("row_key", self.row_key), ("parent_key", self.parent_key))
            if title
        ]


@dataclass(frozen=True)
class Element:
    """One of the 36 implementation-list elements."""

    no: int
    name: str
    key: str
    requirement: str
    layers: tuple[str, ...]
    properties: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    """The parsed catalog schema."""

    raw: dict
    tables: dict[str, CodeTable]
    records: dict[str, Record]
    sheets: tuple[SheetSpec, ...]
    elements: tuple[Element, ...]
    separators: tuple[str, ...]

    def sheet(self, name: str) -> SheetSpec:
        return next(s for s in self.sheets if s.name == name)

    def header_titles(self, sheet: SheetSpec) -> list[tuple[str, str]]:
        """(key, canonical header) for each column of a sheet, parent key first."""
        cols: list[tuple[str, str]] = []
        if sheet.parent:
            cols.append((sheet.parent, self.records["leaf"].fields[sheet.parent].title))
        record = self.records[sheet.record]
        cols.extend((key, record.fields[key].title) for key in sheet.columns)
        return cols

    def header_lookup(self, sheet: SheetSpec) -> dict[str, str]:
        """Folded header text (title or alias) → field key, for one sheet.

        A child sheet's link to its leaf (实施编码) is known by its Chinese names only (see
        :func:`is_coded_alias`).
        """
        lookup: dict[str, str] = {}
        fields = [self.records[sheet.record].fields[k] for k in sheet.columns]
        if sheet.parent:
            fields.insert(0, self.records["leaf"].fields[sheet.parent])
        for f in fields:
            for alias in f.aliases:
                if f.key != sheet.parent or not is_coded_alias(alias):
                    lookup.setdefault(fold_header(alias), f.key)
        for f in fields:  # canonical titles win over aliases
            lookup[fold_header(f.title)] = f.key
        return lookup


def is_coded_alias(alias: str) -> bool:
    """An English or coded header (``task_code``, ``篇扩设定依据/pkbasis``), not a Chinese one.

    Only main items and leaves have such aliases: the exchange tables' material and fee columns
    come through input profiles, which keep the columns they do not map as extras under their
    own names (``material_type``, ``task_code``); as aliases of child-sheet columns they would
    read back as duplicates of the standard columns.
    """
    return any(ch.isascii() and ch.isalpha() for ch in alias)


FLAT_LEAF_SKIP = ("situations", "fees", "extra")


def flat_columns(schema: Schema) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Columns a flat sheet may have: key → (canonical header, aliases).

    Leaf fields keep their keys (``materials`` and ``steps`` are whole lists in one cell);
    main-item and situation columns are keyed ``main.<field>`` and ``situation.<field>``.
    """
    columns = {
        key: (f.title, f.aliases)
        for key, f in schema.records["leaf"].fields.items()
        if key not in FLAT_LEAF_SKIP
    }
    for key, spec in schema.raw["x-flat"]["columns"].items():
        columns[key] = (spec["title"], tuple(spec.get("x-aliases", ())))
    for key, spec in unit_columns(schema).items():
        columns[UNIT_PREFIX + key] = (spec["title"], tuple(spec.get("x-aliases", ())))
    return columns


UNIT_PREFIX = "unit."  # flat column key of a time limit's unit column: ``unit.legal_limit``


def unit_columns(schema: Schema) -> dict[str, dict[str, Any]]:
    """Leaf time-limit key → its unit column (``x-unit-columns``: title and aliases)."""
    leaf = schema.raw["$defs"]["leaf"]["properties"]
    return {key: prop["x-unit-columns"] for key, prop in leaf.items() if "x-unit-columns" in prop}


@cache
def time_unit_codes() -> dict[str, str]:
    """Unit code → canonical time unit (``x-unit-codes`` of the ``time_unit`` table)."""
    return dict(load_schema().raw["$defs"]["time_unit"]["x-unit-codes"]["codes"])


@cache
def flat_lookup() -> dict[str, str]:
    """Folded header text → flat column key (canonical titles win over aliases)."""
    columns = flat_columns(load_schema())
    lookup: dict[str, str] = {}
    for key, (_, aliases) in columns.items():
        for alias in aliases:
            lookup.setdefault(fold_header(alias), key)
    for key, (title, _) in columns.items():
        lookup[fold_header(title)] = key
    return lookup


def fold_header(text: str) -> str:
    """The header folding of :meth:`Schema.header_lookup` and :func:`flat_lookup`.

    Chinese headers fold as names do; English and coded ones in any case style
    (``taskName`` = ``TASK_NAME`` = ``task-name``) fold to snake case (see
    :func:`catalog_cli.model.text.fold_header_name`).
    """
    return fold_header_name(text)


def _ref_name(prop: dict) -> str | None:
    ref = prop.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _field(
    key: str,
    prop: dict,
    tables: dict[str, CodeTable],
    record_names: set[str],
    code_patterns: set[str],
) -> Field:
    ref = _ref_name(prop)
    items = prop.get("items", {})
    item_ref = _ref_name(items) if isinstance(items, dict) else None
    table = None
    child = None
    if key == "extra":
        kind: Kind = "extra"
    elif ref == "time_limit":
        kind = "time_limit"
    elif ref == "yes_no":
        kind, table = "yes_no", tables[ref]
    elif ref in tables:
        kind, table = "enum", tables[ref]
    elif prop.get("type") == "array" and item_ref in record_names:
        kind, child = "children", item_ref
    elif prop.get("type") == "array" and item_ref in tables:
        kind, table = "multi", tables[item_ref]
    elif prop.get("type") == "array":
        kind = "list"
    elif prop.get("type") == "integer":
        kind = "integer"
    else:
        kind = "text"
    if prop.get("pattern") in code_patterns or (
        ref is None and prop.get("pattern", "").startswith("^[0-9A-Za-z")
    ):
        style = "code"
    elif prop.get("maxLength", 10_000) <= 300 or kind != "text":
        style = "line"
    else:
        style = "block"
    return Field(
        text_style=style,
        key=key,
        title=prop.get("title", key),
        kind=kind,
        aliases=tuple(prop.get("x-aliases", ())),
        table=table,
        joiner=prop.get("x-joiner"),
        element=prop.get("x-element"),
        hint=prop.get("x-hint"),
        is_code=prop.get("pattern") in code_patterns,
        child=child,
    )


RECORD_NAMES = ("main_item", "leaf", "situation", "material", "step", "fee", "bundle")


@cache
def load_schema() -> Schema:
    """Read and parse ``schemas/catalog.schema.json`` once per process."""
    raw = json.loads((resource_dir("schemas") / SCHEMA_FILE).read_text(encoding="utf-8"))
    defs = raw["$defs"]
    tables = {
        name: CodeTable.from_def(name, spec)
        for name, spec in defs.items()
        if name not in RECORD_NAMES and ("enum" in spec or spec.get("type") == "boolean")
    }
    leaf_props = defs["leaf"]["properties"]
    code_patterns = {leaf_props["impl_code"]["pattern"], leaf_props["agency_code"]["pattern"]}
    records = {
        name: Record(
            name=name,
            title=defs[name].get("title", name),
            fields={
                k: _field(k, p, tables, set(RECORD_NAMES), code_patterns)
                for k, p in defs[name]["properties"].items()
            },
            required=tuple(defs[name].get("required", ())),
        )
        for name in RECORD_NAMES
    }
    sheets = tuple(
        SheetSpec(
            name=s["name"],
            record=s["record"],
            key=tuple(s["key"]),
            required=s["required"],
            columns=tuple(s["columns"]),
            parent=s.get("parent"),
            row_key=s.get("row_key"),
            parent_key=s.get("parent_key"),
        )
        for s in raw["x-sheets"]
    )
    elements = tuple(
        Element(
            e["no"],
            e["name"],
            e["key"],
            e["requirement"],
            tuple(e["layers"]),
            tuple(e["properties"]),
        )
        for e in raw["x-elements"]
    )
    return Schema(raw, tables, records, sheets, elements, tuple(raw["x-multi-separators"]))


def time_unit_of(word: str) -> str | None:
    """The canonical time unit for a unit word (工作日, 天 → 自然日, 个月 → 月 …).

    None when unknown.
    """
    return load_schema().tables["time_unit"].lookup(word)


DIFF_RULES_FILE = "diff-rules.json"
SYNONYMS_FILE = "material-synonyms.json"


def _data_file(path: Path, what: str) -> Any:
    """A JSON data file (a UTF-8 BOM allowed), or a one-line :class:`CatalogInputError`."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CatalogInputError(str(path), f"无法读取{what}：{exc.strerror}") from None
    except ValueError as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列附近" if hasattr(exc, "lineno") else "编码"
        raise CatalogInputError(str(path), f"{what}不是有效的 JSON：{where}") from None


@cache
def load_diff_rules_data() -> dict[str, Any]:
    """``schemas/diff-rules.json``: the unified elements, level tags and thresholds of diff."""
    return _data_file(resource_dir("schemas") / DIFF_RULES_FILE, "比对规则文件")


def load_synonym_groups(path: Path | None = None) -> list[list[str]]:
    """Material synonym groups: ``schemas/material-synonyms.json``, then a user's file given
    with --synonyms (same form: ``{"groups": [[…]]}`` or a plain list of groups)."""
    groups = _synonym_groups(_data_file(resource_dir("schemas") / SYNONYMS_FILE, "同义词文件"))
    if path is not None:
        groups += _synonym_groups(_data_file(Path(path), "同义词文件"), str(path))
    return groups


def _synonym_groups(raw: Any, where: str = SYNONYMS_FILE) -> list[list[str]]:
    groups = raw.get("groups") if isinstance(raw, dict) else raw
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and g and all(isinstance(n, str) for n in g) for g in groups
    ):
        raise CatalogInputError(where, '同义词文件应为 {"groups": [["居民身份证", "身份证"]]}')
    return groups


def load_share_rules(path: Path | None = None) -> list[dict[str, Any]]:
    """The share rules: ``schemas/stats-rules.json``, or a file given with --rules."""
    source = Path(path) if path else resource_dir("schemas") / SHARE_RULES_FILE
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        shares = data["shares"]
        for rule in shares:
            _check(rule["when"])
            str(rule["name"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogInputError(str(source), f"统计口径文件不正确：{exc}") from None
    return shares


def _check(condition: dict[str, Any]) -> None:
    """Raise ValueError unless ``condition`` is a share-rule condition (see analyses/rules.py)."""
    for key in ("any", "all"):
        if key in condition:
            for c in condition[key]:
                _check(c)
            return
    if "not" in condition:
        _check(condition["not"])
        return
    if "field" not in condition or not any(op in condition for op in SHARE_OPERATORS):
        raise ValueError(f"条件应有 field 和一个运算（{'、'.join(SHARE_OPERATORS)}）：{condition}")


CODE_SCHEMES_FILE = "code-schemes.json"
CODE_SCHEME_FIELDS = ("basic_code", "impl_code")  # the codes a scheme may be declared for
CODE_SCHEME_KINDS = ("local", "legacy")


def code_scheme(spec: dict[str, Any], where: str, field_name: str | None = None) -> CodeScheme:
    """A code scheme from its JSON object (``field`` given by the caller when the object sits
    under its field's name); a :class:`CatalogInputError` when it is not one."""
    try:
        scheme = CodeScheme(
            field_name or spec["field"],
            str(spec["name"]),
            str(spec["pattern"]),
            spec.get("kind", "local"),
        )
        re.compile(scheme.pattern)
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise CatalogInputError(where, f"编码方案不正确：{spec}（{exc}）") from None
    if scheme.field not in CODE_SCHEME_FIELDS or scheme.kind not in CODE_SCHEME_KINDS:
        raise CatalogInputError(
            where,
            f"编码方案“{scheme.name}”的 field 应为 {'、'.join(CODE_SCHEME_FIELDS)} 之一，"
            f"kind 应为 {'、'.join(CODE_SCHEME_KINDS)} 之一",
        )
    return scheme


@cache
def load_code_schemes() -> tuple[CodeScheme, ...]:
    """The built-in code schemes of ``schemas/code-schemes.json``, in file order."""
    path = resource_dir("schemas") / CODE_SCHEMES_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(code_scheme(spec, str(path)) for spec in data["schemes"])
