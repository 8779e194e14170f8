"""Time limits written as a number in one column and its unit in another.

Real exports write 法定办结时限 as ``anticipate_day`` = 20 beside ``anticipate_type`` = 1 (a unit
code), or ``promise_day`` beside ``promise_type``. The flat reader maps such a unit column to the
flat column ``unit.<time-limit key>`` (the ``x-unit-columns`` of the time-limit property) and,
through the hooks here, reads the pair as one time limit. The unit may be a code of the
``time_unit`` table's ``x-unit-codes`` or a unit word (工作日, 天, 小时 …). A code nobody knows is a
``time-unit-unknown`` finding: the number is kept and the unit is not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import xl_col_to_name

from catalog_cli.model import Source, TimeLimit
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.values import cell_text, format_time_limit, parse_time_limit
from catalog_cli.read.layout import Layout
from catalog_cli.schema import UNIT_PREFIX, load_schema, time_unit_codes, time_unit_of

if TYPE_CHECKING:
    from catalog_cli.read.flat import FlatSheetReader

_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NO_NUMBER = ("即办", "无")  # units that take no number: beside a number they say nothing sure


def is_unit_key(key: str) -> bool:
    """Whether a flat column key is a time limit's unit column (``unit.legal_limit``)."""
    return key.startswith(UNIT_PREFIX)


def pair_unit_columns(layout: Layout, findings: list[Finding]) -> dict[str, int]:
    """Time-limit key → the column index of its unit, for the limits the layout has a column of.

    A unit column without its number column stays what any unknown column is: an extra
    attribute (moved to the layout's extras), with an ``unknown-column`` finding.
    """
    by_key = {key: index for index, key in layout.columns.items()}
    pairs: dict[str, int] = {}
    for index, key in list(layout.columns.items()):
        if not is_unit_key(key):
            continue
        limit = key.removeprefix(UNIT_PREFIX)
        if limit in by_key:
            pairs[limit] = index
            continue
        header = layout.headers.pop(index)
        del layout.columns[index]
        layout.extras = dict(sorted({**layout.extras, index: header}.items()))
        findings.append(_alone(layout, header, limit))
    return pairs


def _alone(layout: Layout, header: str, limit: str) -> Finding:
    title = load_schema().records["leaf"].fields[limit].title
    return make_finding(
        "unknown-column",
        "info",
        Source(layout.file, layout.sheet, layout.header_rows[-1], {}),
        f"列“{header}”是{title}的单位，但表中没有{title}的列，按附加属性保留",
        element=header,
        value=header,
    )


@lru_cache(maxsize=4096)
def joined_limit(limit: TimeLimit | None, unit: str | None) -> tuple[TimeLimit | None, bool]:
    """(the time limit a number and a unit cell give, whether the unit is unknown).

    Only a bare number takes the unit: a limit that says its own unit (20个工作日, 即办) or is
    blank stays as it is, as it does when the unit cell is blank.
    """
    if limit is None or unit is None or not _BARE_NUMBER.fullmatch(limit.text.strip()):
        return limit, False
    canonical = time_unit_codes().get(unit) or time_unit_of(unit)
    if canonical is None or canonical in _NO_NUMBER:
        return TimeLimit(limit.value, None, f"{limit.text}（单位：{unit}）"), True
    text = format_time_limit(TimeLimit(limit.value, canonical), time_unit_of)
    return parse_time_limit(text, time_unit_of), False


def with_units(
    reader: FlatSheetReader, key: str, values: list[Any], positions: Sequence[int]
) -> list[Any]:
    """A time-limit column's values joined with its unit column, if the sheet has one.

    Each unknown unit is a finding on its row.
    """
    index = reader.unit_columns.get(key)
    if index is None:
        return values
    rows = reader.grid.rows
    header = reader.layout.headers[index]
    label = _label_column(reader.layout)
    out = []
    for value, position in zip(values, positions, strict=True):
        unit = cell_text(rows[position][index])
        joined, unknown = joined_limit(value, unit)
        out.append(joined)
        if unknown:
            item = cell_text(rows[position][label]) if label is not None else None
            where = Source(
                reader.grid.file, reader.grid.sheet, position + 1, {key: xl_col_to_name(index)}
            )
            reader.findings.append(unknown_unit(key, header, unit or "", value, where, item))
    return out


def _label_column(layout: Layout) -> int | None:
    """The column that names a row's leaf in findings: its implementation code, else its name."""
    by_key = {key: index for index, key in layout.columns.items()}
    return by_key.get("impl_code", by_key.get("name"))


def unknown_unit(
    key: str, header: str, unit: str, limit: TimeLimit, where: Source, item: str | None
) -> Finding:
    """A unit nobody knows beside a time limit's number: the number is kept, no unit guessed."""
    title = load_schema().records["leaf"].fields[key].title
    codes = "、".join(f"{code} {name}" for code, name in time_unit_codes().items())
    return make_finding(
        "time-unit-unknown",
        "warning",
        where,
        f"{title}的单位“{unit}”（{header} 列）既不是已知的时限单位代码（{codes}）也不是单位名称："
        f"保留数值 {limit.text}，单位未定；请改成已知的代码，或把时限写成“20个工作日”",
        element=title,
        key=key,
        item=item,
        value=unit,
    )
