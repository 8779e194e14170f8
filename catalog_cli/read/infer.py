"""Columns known by their content: a flat sheet's column whose header no alias names, read as an
element when a sample of its cells shows clearly which one it is.

The candidates, their tests and the thresholds are data (``schemas/column-inference.json``);
the code and time-limit forms come from the catalog schema, as the code checks read them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from catalog_cli.model import Source
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.values import cell_text, parse_time_limit
from catalog_cli.read.values import split_multi
from catalog_cli.schema import flat_columns, load_schema, resource_dir, time_unit_of

INFERENCE_FILE = "column-inference.json"

Test = Callable[[str], bool]


@dataclass(frozen=True)
class Candidate:
    """One kind of content: the elements it may be (content cannot tell them apart) and its test."""

    keys: tuple[str, ...]
    test: Test
    evidence: str  # what a fitting value is, in Chinese (“12 位基本编码”)
    guess_only: bool = False  # never mapped, only named in a guess


@dataclass(frozen=True)
class Rules:
    """The thresholds and candidates of ``schemas/column-inference.json``."""

    sample: int
    min_share: float
    min_cells: int
    guess_share: float
    candidates: tuple[Candidate, ...]


@dataclass
class Inferred:
    """What content told about a sheet's unmapped columns."""

    columns: dict[int, str] = field(default_factory=dict)  # column index → element key
    evidence: dict[int, str] = field(default_factory=dict)  # column index → “30/30 个值是 …”
    findings: list[Finding] = field(default_factory=list)
    judged: set[int] = field(default_factory=set)  # columns whose finding replaces unknown-column


def _field_pattern(key: str) -> str | None:
    return load_schema().raw["$defs"]["leaf"]["properties"].get(key, {}).get("pattern")


def _unanchored(pattern: str) -> str:
    return pattern.removeprefix("^").removesuffix("$")


def _time_limit_test(ignore: Iterable[str]) -> Test:
    skipped = set(ignore)

    def test(text: str) -> bool:
        if all(ch.isdigit() or ch in ". " for ch in text):
            return False  # a bare number may be any count: it says nothing of a unit
        unit = parse_time_limit(text, time_unit_of).unit
        return unit is not None and unit not in skipped

    return test


def _test(spec: dict[str, Any]) -> Test:
    """The test a candidate's ``test`` names, built from schema data."""
    schema = load_schema()
    kind = spec["test"]
    own = _field_pattern(spec["keys"][0])
    code = re.compile(own) if own else None
    if kind == "code_form":
        form = re.compile(schema.raw["x-code-forms"][spec["form"]])
        return lambda text: form.match(text) is not None
    if kind == "field_pattern":
        whole = re.compile(_field_pattern(spec["field"]) or "")
        return lambda text: whole.match(text) is not None
    if kind == "contains_field_pattern":
        part = re.compile(_unanchored(_field_pattern(spec["field"]) or ""))
        shortest = spec.get("min_length", 0)
        return lambda text: (
            len(text) >= shortest
            and (code is None or code.match(text) is not None)
            and part.search(text) is not None
        )
    if kind == "code_table":
        table = schema.tables[spec["table"]]
        return lambda text: table.lookup(text) is not None
    if kind == "code_list":
        table = schema.tables[spec["table"]]
        separators = schema.separators

        def listed(text: str) -> bool:
            parts = split_multi(text, separators)
            return bool(parts) and all(table.lookup(p) is not None for p in parts)

        return listed
    if kind == "time_limit":
        return _time_limit_test(spec.get("ignore_units", ()))
    raise ValueError(f"unknown column-inference test {kind!r}")


@cache
def inference_rules() -> Rules:
    """Read ``schemas/column-inference.json`` once per process."""
    raw = json.loads((resource_dir("schemas") / INFERENCE_FILE).read_text(encoding="utf-8"))
    candidates = tuple(
        Candidate(tuple(c["keys"]), _test(c), c["evidence"], bool(c.get("guess_only")))
        for c in raw["candidates"]
    )
    return Rules(
        int(raw["sample"]),
        float(raw["min_share"]),
        int(raw["min_cells"]),
        float(raw["guess_share"]),
        candidates,
    )


@cache
def _titles() -> dict[str, str]:
    return {key: title for key, (title, _) in flat_columns(load_schema()).items()}


def sample_texts(cells: Iterable[Any], size: int) -> list[str]:
    """The first ``size`` non-empty cells of a column, as text."""
    texts: list[str] = []
    for cell in cells:
        text = cell_text(cell)
        if text:
            texts.append(text)
            if len(texts) == size:
                break
    return texts


@dataclass(frozen=True)
class _Fit:
    candidate: Candidate
    hits: int
    total: int

    def evidence(self) -> str:
        return f"{self.hits}/{self.total} 个值是 {self.candidate.evidence}"

    def counted(self) -> str:
        return f"{self.total} 个非空值中 {self.hits} 个符合 {self.candidate.evidence}"


def _hits(candidate: Candidate, counts: Counter[str], most_misses: float) -> int | None:
    """How many of the sampled values fit (each distinct value tested once); None as soon as
    more than ``most_misses`` do not."""
    hits = misses = 0
    for text, n in counts.items():
        if candidate.test(text):
            hits += n
        else:
            misses += n
            if misses > most_misses:
                return None
    return hits


def _fits(texts: list[str], rules: Rules) -> list[_Fit]:
    """Each candidate that at least ``guess_share`` of the values fit, the best first."""
    counts = Counter(texts)
    most_misses = (1 - rules.guess_share) * len(texts)
    fits = []
    for candidate in rules.candidates:
        hits = _hits(candidate, counts, most_misses)
        if hits:
            fits.append(_Fit(candidate, hits, len(texts)))
    return sorted(fits, key=lambda f: -f.hits)


def _names(keys: Iterable[str]) -> str:
    return "或".join(_titles().get(k, k) for k in keys)


def infer_columns(
    extras: dict[int, str],
    mapped: dict[int, str],
    cells: Callable[[int], Iterable[Any]],
    source: Source,
    letter: Callable[[int], str],
    rules: Rules | None = None,
) -> Inferred:
    """Judge each unmapped column (``extras``: index → header) by a sample of its cells.

    ``mapped`` (index → key) are the columns the header named: they always win, and a key
    taken by one is no candidate for another. ``cells(index)`` yields a column's data cells
    in order; ``source`` is the header row's location.
    """
    rules = rules or inference_rules()
    taken = {key: index for index, key in mapped.items()}
    result = Inferred()
    for index, name in sorted(extras.items()):
        texts = sample_texts(cells(index), rules.sample)
        fits = _fits(texts, rules)
        if not fits:
            continue
        where = Source(source.file, source.sheet, source.row, {name: letter(index)})
        clear = [f for f in fits if f.hits >= rules.min_share * f.total]
        finding = _judge(index, name, clear or fits, bool(clear), taken, rules, result)
        if finding is None:
            continue
        severity, message = finding
        code = "column-inferred" if index in result.columns else "column-guess"
        result.findings.append(
            make_finding(code, severity, where, message, element=name, key=name, value=name)
        )
        result.judged.add(index)
    return result


def _judge(
    index: int,
    name: str,
    fits: list[_Fit],
    clear: bool,
    taken: dict[str, int],
    rules: Rules,
    result: Inferred,
) -> tuple[str, str] | None:
    """(severity, message) for one column, mapping it in ``result`` when exactly one element fits
    clearly; None when nothing is worth saying (the unknown-column info stands)."""
    best = fits[0]
    head = f"列“{name}”"
    keep = "，按附加属性保留"
    if not clear:
        return "info", (
            f"{head}可能是 {_names(best.candidate.keys)}（{best.counted()}，不到"
            f" {rules.min_share:.0%}）{keep}"
        )
    if best.total < rules.min_cells:
        return "info", (
            f"{head}可能是 {_names(best.candidate.keys)}（只有 {best.total} 个非空值，"
            f"少于 {rules.min_cells} 个，不足以按内容识别）{keep}"
        )
    if len(fits) > 1:
        both = "或".join(f"{_names(f.candidate.keys)}（{f.counted()}）" for f in fits)
        return "warning", f"{head}可能是 {both}，无法按内容确定{keep}；请改用标准表头"
    free = [k for k in best.candidate.keys if k not in taken]
    if not free:
        by = "、".join(f"“{_names([k])}”" for k in best.candidate.keys)
        return "info", (
            f"{head}的内容像 {_names(best.candidate.keys)}（{best.counted()}），"
            f"但 {by} 已有对应的列{keep}"
        )
    if best.candidate.guess_only or len(free) > 1:
        return "warning", (
            f"{head}可能是 {_names(free)}（{best.counted()}），从内容上分不开，"
            f"无法按内容确定{keep}；请改用标准表头"
        )
    key = free[0]
    taken[key] = index
    result.columns[index] = key
    result.evidence[index] = best.evidence()
    return "warning", f"{head}按内容识别为 {_names([key])}（{best.counted()}）"
