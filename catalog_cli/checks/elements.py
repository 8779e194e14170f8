"""Element checks from the JSON Schema (required, type, pattern, enum, length).

The ``jsonschema`` package is the reference: every finding comes from its errors. For speed a
validator compiled by ``fastjsonschema`` first screens each record, and only records it rejects
go to ``jsonschema`` (``reference=True`` sends every record; a test proves both agree).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import fastjsonschema
import jsonschema

from catalog_cli.model import Catalog, Source, record_to_dict
from catalog_cli.model.findings import Finding, make_finding, value_text
from catalog_cli.schema import Field, load_schema

CHILD_RECORD = {"situations": "situation", "materials": "material", "steps": "step", "fees": "fee"}
_REQUIRED = re.compile(r"^'([^']+)' is a required property")
TYPE_WORDS = {
    "integer": "整数",
    "number": "数字",
    "string": "文字",
    "boolean": "“是”或“否”",
    "array": "列表",
    "object": "结构化的值",
}


def _subschema(record: str, draft: str) -> dict[str, Any]:
    raw = load_schema().raw
    return {"$schema": draft, "$defs": raw["$defs"], "$ref": f"#/$defs/{record}"}


@cache
def reference_validator(record: str) -> jsonschema.Draft202012Validator:
    """The jsonschema (Draft 2020-12) validator for one record type."""
    return jsonschema.Draft202012Validator(
        _subschema(record, "https://json-schema.org/draft/2020-12/schema")
    )


def inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """A copy of a schema node with every local ``$ref`` replaced by its target.

    Our schema has no cycles, so the recursion ends.
    """
    if isinstance(node, list):
        return [inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: inline_refs(v, defs) for k, v in node.items() if k != "$ref" and not k.startswith("x-")
    }
    if "$ref" in node:
        target = inline_refs(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        out = {**target, **{k: v for k, v in out.items() if k in ("title", "description")}}
    return out


@cache
def fast_validator(record: str) -> Any:
    """A compiled validator for one record type; it only says yes or no.

    References are inlined first: fastjsonschema formats a name for every referenced call,
    which costs more than the checks themselves.
    """
    defs = load_schema().raw["$defs"]
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **inline_refs(defs[record], defs),
    }
    return fastjsonschema.compile(schema)


def _is_valid_fast(record: str, instance: dict[str, Any]) -> bool:
    try:
        fast_validator(record)(instance)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _locate(record_name: str, obj: Any, path: list[Any]) -> tuple[str, Any, list[Any]]:
    """The record an error path points into (leaf, or one of its children) and the rest of the
    path.
    """
    if (
        record_name == "leaf"
        and len(path) >= 2
        and path[0] in CHILD_RECORD
        and isinstance(path[1], int)
    ):
        return CHILD_RECORD[path[0]], getattr(obj, path[0])[path[1]], path[2:]
    return record_name, obj, path


def _message(error: jsonschema.ValidationError, field: Field | None, title: str, value: Any) -> str:
    keyword = error.validator
    if field is not None and field.kind == "time_limit" and keyword != "required":
        return (
            f"无法识别的{title}“{value_text(value)}”："
            "应写作如“20个工作日”“30个自然日”“即办”，没有时限写“无”"
        )
    if keyword == "required":
        return f"缺少必填要素“{title}”，请补充"
    if keyword == "minItems":
        return f"缺少“{title}”：至少应有一条"
    if keyword == "enum":
        table = field.table if field is not None else None
        allowed = (
            "、".join(table.label(c) for c in table.codes)
            if table
            else "、".join(map(str, error.validator_value))
        )
        return f"“{value}”不是有效的{title}，应为：{allowed}"
    if keyword == "type":
        expected = (
            error.validator_value
            if isinstance(error.validator_value, str)
            else error.validator_value[0]
        )
        return f"{title}应为{TYPE_WORDS.get(expected, expected)}，现为“{value}”"
    if keyword == "pattern":
        hint = field.hint if field is not None and field.hint else "格式不正确"
        return f"{title}“{value}”格式不正确：{hint}"
    if keyword == "maxLength":
        return f"{title}超过 {error.validator_value} 个字，请精简"
    if keyword == "minLength":
        return f"{title}不能为空"
    if keyword == "minimum":
        return f"{title}不能小于 {error.validator_value}"
    return f"{title}不符合要求：{error.message}"


def schema_finding(
    error: jsonschema.ValidationError, record_name: str, obj: Any, item: str | None
) -> Finding:
    """The finding for one jsonschema error of a record (or a stand-in holding the failing
    fields and the record's source): its code, element, sheet, row and Chinese message."""
    schema = load_schema()
    name, target, rest = _locate(record_name, obj, list(error.absolute_path))
    fields = schema.records[name].fields
    if error.validator == "required":
        match = _REQUIRED.match(error.message)
        key = match.group(1) if match else None
    else:
        key = rest[0] if rest and isinstance(rest[0], str) else None
    field = fields.get(key) if key else None
    title = field.title if field is not None else schema.records[name].title
    value = None if error.validator == "required" else error.instance
    if (
        field is not None
        and error.validator != "required"
        and field.kind in ("time_limit", "yes_no")
    ):
        # the whole limit (shown by its text) / the unrecognized yes-no text
        value = getattr(target, key)
    source: Source | None = getattr(target, "source", None)
    if field is not None and field.kind == "time_limit" and error.validator != "required":
        code = "time-limit-unreadable"
    else:
        code = "schema-" + re.sub(r"(?<!^)(?=[A-Z])", "-", error.validator).lower()
    return make_finding(
        code,
        "error",
        source,
        _message(error, field, title, value),
        element=title,
        key=key,
        item=item,
        value=value,
    )


def _instances(catalog: Catalog) -> Iterator[tuple[str, Any, dict[str, Any], str | None]]:
    for main in catalog.main_items:
        yield "main_item", main, record_to_dict(main, skip=("leaves",)), main.label
    for leaf in catalog.iter_leaves():
        yield "leaf", leaf, record_to_dict(leaf), leaf.label
    for bundle in catalog.bundles:
        yield "bundle", bundle, record_to_dict(bundle), bundle.name
    for attr, record in CHILD_RECORD.items():
        for impl_code, child in getattr(catalog.orphans, attr):
            yield record, child, record_to_dict(child), impl_code


def check_elements(catalog: Catalog, *, reference: bool = False) -> list[Finding]:
    """Findings for every schema violation in the catalog, in record order."""
    findings: list[Finding] = []
    for record_name, obj, instance, item in _instances(catalog):
        if not reference and _is_valid_fast(record_name, instance):
            continue
        errors = sorted(
            reference_validator(record_name).iter_errors(instance),
            key=lambda e: (list(map(str, e.absolute_path)), e.validator),
        )
        findings.extend(
            one_per_time_limit(schema_finding(e, record_name, obj, item) for e in errors)
        )
    return findings


def one_per_time_limit(findings: Iterator[Finding]) -> Iterator[Finding]:
    """An unreadable time limit breaks several keywords at once; report it once."""
    seen: set[tuple[str | None, int | None, str | None]] = set()
    for finding in findings:
        if finding.code == "time-limit-unreadable":
            key = (finding.sheet, finding.row, finding.element)
            if key in seen:
                continue
            seen.add(key)
        yield finding
