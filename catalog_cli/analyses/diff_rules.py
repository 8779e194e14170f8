"""The data of ``catalog diff``: the unified elements, level tags, material synonyms
(``schemas/diff-rules.json``, ``schemas/material-synonyms.json`` and a user's synonyms file,
loaded by :mod:`catalog_cli.schema`; analyses open no files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.text import fold_name
from catalog_cli.schema import load_diff_rules_data, load_schema

ALL = "all"


@dataclass(frozen=True)
class ElementRule:
    """One compared element: its key, the title users see, the leaf fields it covers."""

    key: str
    title: str
    fields: tuple[str, ...]
    unified: bool = True


@dataclass(frozen=True)
class DiffRules:
    """The rules file, parsed."""

    elements: tuple[ElementRule, ...]
    level_tags: tuple[str, ...]  # folded
    county_level: str
    material_attributes: tuple[str, ...]
    suggestion_score: float
    suggestion_limit: int
    own_elements: tuple[str, ...] = ()

    def element(self, key: str) -> ElementRule:
        return next(e for e in self.elements if e.key == key)


@dataclass(frozen=True)
class DiffOptions:
    """What to compare: element keys (in the rules' order) and the material synonyms
    (folded name → folded canonical name)."""

    elements: tuple[str, ...]
    synonyms: dict[str, str] = field(default_factory=dict)
    rules: DiffRules | None = None

    @property
    def the_rules(self) -> DiffRules:
        return self.rules or load_diff_rules()


@cache
def load_diff_rules() -> DiffRules:
    """The six unified elements, then (for ``--elements all``) every other leaf element."""
    raw = load_diff_rules_data()
    unified = [
        ElementRule(key, spec["title"], tuple(spec["fields"]))
        for key, spec in raw["elements"].items()
    ]
    covered = {f for e in unified for f in e.fields}
    leaf = load_schema().records["leaf"].fields
    others = [
        ElementRule(key, f.title, (key,), unified=False)
        for key, f in leaf.items()
        if key not in covered and key not in ("situations", "extra", "main_code")
    ]
    return DiffRules(
        elements=tuple(unified + others),
        level_tags=tuple(fold_name(t) for t in raw["level_tags"]),
        county_level=raw["county_level"],
        material_attributes=tuple(raw["material_attributes"]),
        suggestion_score=float(raw["suggestion_score"]),
        suggestion_limit=int(raw["suggestion_limit"]),
        own_elements=tuple(raw["own_elements"]),
    )


def choose_elements(
    chosen: list[str] | None, ignored: list[str] | None, rules: DiffRules | None = None
) -> tuple[str, ...]:
    """Element keys from ``--elements`` / ``--ignore`` (keys or titles, ``all`` = every element);
    the default is the six unified elements. An unknown name is a usage error."""
    rules = rules or load_diff_rules()
    by_name = {e.key: e.key for e in rules.elements} | {e.title: e.key for e in rules.elements}

    def keys(names: list[str]) -> set[str]:
        out: set[str] = set()
        for name in (n.strip() for part in names for n in part.split(",")):
            if not name:
                continue
            if name == ALL:
                out |= {e.key for e in rules.elements}
            elif name in by_name:
                out.add(by_name[name])
            else:
                known = "、".join(e.title for e in rules.elements if e.unified)
                raise CatalogInputError(name, f"不认识的要素（可用：{known}，或 all 表示全部要素）")
        return out

    wanted = keys(chosen) if chosen else {e.key for e in rules.elements if e.unified}
    wanted -= keys(ignored or [])
    return tuple(e.key for e in rules.elements if e.key in wanted)


def load_synonyms(groups: list[list[str]]) -> dict[str, str]:
    """Material synonyms as a lookup: each name (folded) → its group's first name, folded
    (the groups from :func:`catalog_cli.schema.load_synonym_groups`)."""
    out: dict[str, str] = {}
    for group in groups:
        canonical = fold_name(group[0])
        for name in group:
            out[fold_name(name)] = canonical
    return out
