"""A finding: one problem in the data, as a value with a stable code and a location."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog_cli.model.records import Source

SEVERITIES = ("error", "warning", "info")
FINDING_KEYS = ("code", "severity", "file", "sheet", "row", "element", "item", "value", "message")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: stable ``code``, ``severity``, where it is (file, sheet, Excel row, element)
    and what to fix.
    """

    code: str
    severity: str
    file: str | None
    sheet: str | None
    row: int | None
    element: str | None
    item: str | None
    value: str | None
    message: str
    column: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: exactly :data:`FINDING_KEYS`."""
        return {key: getattr(self, key) for key in FINDING_KEYS}


def value_text(value: Any) -> str | None:
    """A finding's ``value``: the offending value as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value_text(v) or "" for v in value)
    if hasattr(value, "text") and hasattr(value, "unit"):
        return value.text or None
    return str(value)


def make_finding(
    code: str,
    severity: str,
    source: Source | None,
    message: str,
    *,
    element: str | None = None,
    key: str | None = None,
    item: str | None = None,
    value: Any = None,
) -> Finding:
    """Build a finding located by a record's :class:`Source` (``key`` picks the column)."""
    return Finding(
        code=code,
        severity=severity,
        file=source.file if source else None,
        sheet=source.sheet if source else None,
        row=source.row if source else None,
        element=element,
        item=item or None,
        value=value_text(value),
        message=message,
        column=source.columns.get(key) if source and key else None,
    )


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info."""
    return SEVERITIES.index(severity)
