"""Values as the catalog holds and shows them: cell text, time limits, and a field's display form.

Nothing here reads the schema itself: a caller passes what it needs (a field, the time-unit
lookup), so the model stays at the bottom of the house.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from catalog_cli.model.records import TimeLimit

UnitOf = Callable[[str], "str | None"]

INSTANT_WORDS = (
    "即办",
    "即时办理",
    "即时办结",
    "当场办结",
    "当场办理",
    "立即办理",
    "即来即办",
    "当即办理",
)
NONE_WORDS = ("无", "无法定时限", "无时限", "不涉及", "/")
_LIMIT = re.compile(r"^(\d+(?:\.\d+)?)\s*(个)?\s*(工作日|自然日|日|天|小时|个月|月)(内|以内)?$")

# OWASP CSV injection: a cell starting with one of these may be taken for a formula
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_PREFIXES)  # all one character: `text[0] in` is the fast test
CELL_CHARS = 32_767  # the most characters an xlsx cell holds


def cell_text(value: Any) -> str | None:
    """A cell as text: numbers without a spurious '.0', dates as ISO, blanks as None."""
    if value.__class__ is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def parse_time_limit(text: str, unit_of: UnitOf) -> TimeLimit:
    """Read a time limit written as text ("20个工作日", "即办", "30日", "无"); unknown → unit None.

    ``unit_of`` names the canonical unit for a unit word (the schema's ``time_unit`` table).
    """
    folded = re.sub(r"\s+", "", text)
    if folded in INSTANT_WORDS or folded in ("0", "0个工作日", "0工作日"):
        return TimeLimit(0, "即办", text)
    if folded in NONE_WORDS:
        return TimeLimit(None, "无", text)
    m = _LIMIT.match(folded)
    if m:
        number = float(m.group(1))
        value: float | int = int(number) if number.is_integer() else number
        unit = unit_of(m.group(3)) or m.group(3)
        return TimeLimit(value, unit, text)
    if re.fullmatch(r"\d+(\.\d+)?", folded):
        number = float(folded)
        return TimeLimit(int(number) if number.is_integer() else number, "工作日", text)
    return TimeLimit(None, None, text)


def format_time_limit(limit: TimeLimit, unit_of: UnitOf) -> str:
    """The text a workbook shows for a time limit: its original text when it still says the same."""
    if limit.text:
        again = parse_time_limit(limit.text, unit_of)
        if (again.value, again.unit) == (limit.value, limit.unit):
            return limit.text
    if limit.unit in ("即办", "无") or limit.unit is None:
        return limit.unit or limit.text
    value = (
        int(limit.value)
        if isinstance(limit.value, float) and limit.value.is_integer()
        else limit.value
    )
    return (
        f"{value}个{limit.unit}"
        if limit.unit in ("工作日", "自然日", "小时", "月")
        else f"{value}{limit.unit}"
    )


def format_value(field: Any, value: Any, unit_of: UnitOf) -> Any:
    """A model value → what the standard workbook writes in its cell.

    That is a label, a joined list or a time limit's text.

    ``field`` is a schema field (its kind, code table and joiner).
    """
    if value is None or value == []:
        return None
    kind = field.kind
    if kind in ("enum", "yes_no"):
        return field.table.label(value) if value in field.table.labels else value  # type: ignore[union-attr]
    if kind == "multi":
        return field.joiner.join(
            field.table.label(v) if v in field.table.labels else v for v in value
        )  # type: ignore[union-attr]
    if kind == "list":
        return (field.joiner or "；").join(value)
    if kind == "time_limit":
        return format_time_limit(value, unit_of)
    return value


def percent(part: float, whole: float) -> float | None:
    """part / whole as a percentage rounded to two decimals; None when whole is 0."""
    return round(part * 100 / whole, 2) if whole else None


def pct_text(value: float | None) -> str:
    """“88.69%” as reports write it; “—” when undefined."""
    return "—" if value is None else f"{value:.2f}%"


def number_text(value: float | None) -> str:
    """20 rather than 20.0; “—” when undefined."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def formula_like(text: str) -> bool:
    """True for text a spreadsheet could take for a formula: it starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return (the OWASP CSV-injection list).

    Writers keep such text as text: xlsx writers write it as a string cell with Excel's quote
    prefix (editing the cell does not turn it into a formula); a CSV writer would prefix ``'``.
    """
    return bool(text) and text[0] in FORMULA_FIRST
