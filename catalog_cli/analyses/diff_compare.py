"""Comparison of one element of a city leaf and the same leaf in a county catalog.

Each element has a *signature* (a text equal for two leaves exactly when the element is the same
after normalization; compared column-wise in :mod:`catalog_cli.analyses.diff`) and a *detail*
function listing the deviations of one pair (empty when the element is the same).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from catalog_cli.analyses.diff_rules import DiffOptions, ElementRule
from catalog_cli.analyses.reduce import same_unit
from catalog_cli.model import Leaf
from catalog_cli.model.findings import value_text
from catalog_cli.model.records import Material, TimeLimit
from catalog_cli.model.text import fold_name
from catalog_cli.model.values import format_time_limit
from catalog_cli.schema import load_schema, time_unit_of

# a token of a condition text: a run of latin letters or digits, whitespace, or one character
_TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.", re.S)
SEP = "\x1f"


@dataclass(frozen=True)
class Deviation:
    """One difference of a matched pair on one element.

    ``kind``: renamed, code-changed, conditions-changed, material-added, material-removed,
    material-changed, legal-changed, promise-longer, promise-shorter, promise-changed,
    step-added, step-removed, step-reordered, changed (any other element).
    ``runs``: for conditions, the word diff as (op, city text, county text) with op one of
    equal / insert / delete / replace.
    """

    element: str  # element key
    title: str  # element as the domain writes it
    kind: str
    severity: str
    city: str | None
    county: str | None
    subject: str = ""  # the material, step or limit concerned
    runs: tuple[tuple[str, str, str], ...] = ()


Detail = Callable[[Leaf, Leaf, DiffOptions], list[Deviation]]


def handling_code(leaf: Leaf) -> str | None:
    """The 业务办理项编码 as compared across catalogs. One written as 实施编码 + two digits (the
    form of some platform exports, which holds the implementing body's own code) is taken as
    基本编码 + the same two digits, the form the city and every county share."""
    code, impl, basic = leaf.handling_code, leaf.impl_code, leaf.basic_code
    if code and impl and basic and len(code) == len(impl) + 2 and code.startswith(impl):
        return basic + code[-2:]
    return code


def code_text(leaf: Leaf) -> str:
    """基本编码/业务办理项编码 as a report shows them (the handling code as compared)."""
    return "/".join(x for x in (leaf.basic_code, handling_code(leaf)) if x)


def plain_name(name: str | None, tags: tuple[str, ...]) -> str:
    """An item name as a matching key: folded, level tags such as （县级） removed."""
    folded = fold_name(name)
    for tag in tags:
        folded = folded.replace(tag, "")
    return folded


def limit_text(limit: TimeLimit | None) -> str:
    """A time limit as the workbook writes it (its own text when that still says the same)."""
    return "" if limit is None else format_time_limit(limit, time_unit_of)


def material_key(material: Material, synonyms: dict[str, str]) -> str:
    folded = fold_name(material.name)
    return synonyms.get(folded, folded)


def _materials(leaf: Leaf, synonyms: dict[str, str]) -> dict[str, Material]:
    out: dict[str, Material] = {}
    for m in leaf.materials:
        out.setdefault(material_key(m, synonyms), m)
    return out


def _steps(leaf: Leaf) -> list[str]:
    return [fold_name(s.name) for s in leaf.steps if s.name]


def _step_names(leaf: Leaf) -> dict[str, str]:
    return {fold_name(s.name): s.name or "" for s in leaf.steps if s.name}


def _field_text(value: Any) -> str:
    text = value_text(value) or ""
    return fold_name(text)


# --- signatures ---------------------------------------------------------------------------


def signature(rule: ElementRule, leaf: Leaf, options: DiffOptions) -> str:
    """The element of ``leaf`` as one normalized text (equal texts: the same element)."""
    rules = options.the_rules
    key = rule.key
    if key == "name":
        return plain_name(leaf.name, rules.level_tags)
    if key == "code":
        return f"{leaf.basic_code or ''}{SEP}{handling_code(leaf) or ''}"
    if key == "conditions":
        return fold_name(leaf.conditions)
    if key == "materials":
        parts = [
            SEP.join([name] + [_field_text(getattr(m, a)) for a in rules.material_attributes])
            for name, m in _materials(leaf, options.synonyms).items()
        ]
        return "\x1e".join(sorted(parts))
    if key == "limits":
        return SEP.join(_limit_sig(x) for x in (leaf.legal_limit, leaf.promised_limit))
    if key == "steps":
        return SEP.join(_steps(leaf))
    return _field_text(getattr(leaf, rule.fields[0]))


def raw_value_getter(rule: ElementRule, options: DiffOptions) -> Callable[[Leaf], Any]:
    """The raw fields :func:`signature` and :func:`detail` read for ``rule``, as one comparable
    value: two leaves with equal raw values have the same element (the converse need not hold)."""
    if rule.key == "materials":
        material = attrgetter("name", *options.the_rules.material_attributes)
        return lambda leaf: [material(m) for m in leaf.materials]
    if rule.key == "steps":
        return lambda leaf: [s.name for s in leaf.steps]
    return attrgetter(*rule.fields)


def _limit_sig(limit: TimeLimit | None) -> str:
    if limit is None:
        return ""
    if limit.unit == "即办":
        return "即办"
    if limit.unit and limit.value is not None:
        return f"{float(limit.value)}|{limit.unit}"
    return fold_name(limit.text) or (limit.unit or "")


# --- details ------------------------------------------------------------------------------


def _dev(rule: ElementRule, kind: str, city: Any, county: Any, **kw: Any) -> Deviation:
    severity = kw.pop("severity", "warning")
    return Deviation(rule.key, rule.title, kind, severity, city, county, **kw)


def word_diff(city: str, county: str) -> tuple[tuple[str, str, str], ...]:
    """The word diff of two texts: tokens (a run of latin letters / digits, or one character,
    which for Chinese is one word-piece) diffed with difflib, adjacent equal tokens grouped."""
    a, b = _TOKEN.findall(city), _TOKEN.findall(county)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return tuple(
        (op, "".join(a[i1:i2]), "".join(b[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def detail(rule: ElementRule, city: Leaf, county: Leaf, options: DiffOptions) -> list[Deviation]:
    """Every deviation of ``county`` from ``city`` on one element (empty: the same)."""
    rules = options.the_rules
    key = rule.key
    if key == "name":
        if plain_name(city.name, rules.level_tags) == plain_name(county.name, rules.level_tags):
            return []
        return [_dev(rule, "renamed", city.name, county.name)]
    if key == "code":
        if (city.basic_code, handling_code(city)) == (county.basic_code, handling_code(county)):
            return []
        return [_dev(rule, "code-changed", code_text(city), code_text(county))]
    if key == "conditions":
        if fold_name(city.conditions) == fold_name(county.conditions):
            return []
        a, b = city.conditions or "", county.conditions or ""
        return [_dev(rule, "conditions-changed", a, b, runs=word_diff(a, b))]
    if key == "materials":
        return _material_details(rule, city, county, options)
    if key == "limits":
        return _limit_details(rule, city, county)
    if key == "steps":
        return _step_details(rule, city, county)
    field = rule.fields[0]
    a, b = getattr(city, field), getattr(county, field)
    if _field_text(a) == _field_text(b):
        return []
    return [_dev(rule, "changed", value_text(a), value_text(b))]


def _material_details(
    rule: ElementRule, city: Leaf, county: Leaf, options: DiffOptions
) -> list[Deviation]:
    ours, theirs = _materials(city, options.synonyms), _materials(county, options.synonyms)
    out = [
        _dev(rule, "material-removed", m.name, None, subject=m.name or "")
        for k, m in ours.items()
        if k not in theirs
    ]
    out += [
        _dev(rule, "material-added", None, m.name, subject=m.name or "")
        for k, m in theirs.items()
        if k not in ours
    ]
    titles = load_schema().records["material"].fields
    for k, m in ours.items():
        other = theirs.get(k)
        if other is None:
            continue
        for attr in options.the_rules.material_attributes:
            a, b = getattr(m, attr), getattr(other, attr)
            if _field_text(a) != _field_text(b):
                out.append(
                    _dev(
                        rule,
                        "material-changed",
                        value_text(a),
                        value_text(b),
                        subject=f"{m.name}：{titles[attr].title}",
                    )
                )
    return out


def _limit_details(rule: ElementRule, city: Leaf, county: Leaf) -> list[Deviation]:
    out = []
    if _limit_sig(city.legal_limit) != _limit_sig(county.legal_limit):
        out.append(
            _dev(
                rule,
                "legal-changed",
                limit_text(city.legal_limit),
                limit_text(county.legal_limit),
                subject="法定办结时限",
            )
        )
    a, b = city.promised_limit, county.promised_limit
    if _limit_sig(a) == _limit_sig(b):
        return out
    both = limit_text(a), limit_text(b)
    figures = same_unit(a, b)
    if figures is None:
        out.append(_dev(rule, "promise-changed", *both, subject="承诺办结时限"))
    elif figures[2] > figures[1]:
        out.append(_dev(rule, "promise-longer", *both, subject="承诺办结时限", severity="error"))
    elif figures[2] < figures[1]:
        out.append(_dev(rule, "promise-shorter", *both, subject="承诺办结时限", severity="info"))
    return out


def _step_details(rule: ElementRule, city: Leaf, county: Leaf) -> list[Deviation]:
    a, b = _steps(city), _steps(county)
    if a == b:
        return []
    names = _step_names(city) | _step_names(county)
    out = [_dev(rule, "step-removed", names[s], None, subject=names[s]) for s in a if s not in b]
    out += [_dev(rule, "step-added", None, names[s], subject=names[s]) for s in b if s not in a]
    common_a, common_b = [s for s in a if s in b], [s for s in b if s in a]
    if common_a != common_b or not out:
        order = ["→".join(names[s] for s in x) for x in (a, b)]
        out.append(_dev(rule, "step-reordered", *order))
    return out
