"""Find the header of a sheet: one or two header rows below any title rows, mapped to columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalog_cli.model import Source
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.values import cell_text
from catalog_cli.schema import fold_header

HEADER_SCAN_ROWS = 15
MIN_HEADER_HITS = 3


@dataclass
class Layout:
    """How a sheet was read: its kind, header rows (Excel numbers) and the mapping of columns."""

    file: str
    sheet: str
    kind: str
    header_rows: tuple[int, ...]
    columns: dict[int, str] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)
    extras: dict[int, str] = field(default_factory=dict)
    inferred: dict[int, str] = field(default_factory=dict)
    """The columns read by their content (read/infer.py): index → the evidence."""

    def explain(self, titles: dict[str, str]) -> list[str]:
        """Chinese lines saying which layout and header mapping were used.

        A column is matched by its element's name (said as it is), by an alias (“按别名”), by
        the input profile (“按输入配置”), or by its content (“按内容识别” with the evidence).
        """
        kind = {"standard": "标准工作簿", "flat": "平铺表（每行一个子项或办理情形）"}.get(
            self.kind, self.kind
        )
        rows = "、".join(str(r) for r in self.header_rows)
        lines = [f"{self.file} · {self.sheet}：{kind}，表头在第 {rows} 行"]
        profile = self.kind.startswith("profile:")
        for index in sorted(self.columns):
            key, header = self.columns[index], self.headers[index]
            title = titles.get(key, key)
            if index in self.inferred:
                how = f"（按内容识别：{self.inferred[index]}）"
            elif profile:
                how = "（按输入配置）"
            elif fold_header(header) != fold_header(title):
                how = "（按别名）"
            else:
                how = ""  # the element's own name
            lines.append(f"  {_letter(index)} 列“{header}” → {title}{how}")
        for index in sorted(self.extras):
            lines.append(f"  {_letter(index)} 列“{self.extras[index]}” → 未识别，作为附加属性保留")
        return lines


def _letter(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)


def _texts(row: list[Any]) -> list[str]:
    return [cell_text(c) or "" for c in row]


def _combined(top: list[str], bottom: list[str], lookup: dict[str, str]) -> list[str]:
    """Header names of a two-row header.

    A column is named “办理时限/法定” when that is known, else by its lower or upper text.
    """
    width = max(len(top), len(bottom))
    top = top + [""] * (width - len(top))
    bottom = bottom + [""] * (width - len(bottom))
    names = []
    previous = ""
    for t, b in zip(top, bottom, strict=True):
        if not t and b and previous:
            t = previous  # a span over several columns that was not merged (as CSV exports it)
        previous = t or previous
        if not b or b == t:
            names.append(t)
            continue
        for candidate in (f"{t}/{b}", b, t):
            if fold_header(candidate) in lookup:
                names.append(candidate)
                break
        else:
            names.append(b or t)
    return names


def _hits(names: list[str], lookup: dict[str, str]) -> int:
    return len({lookup[fold_header(n)] for n in names if n and fold_header(n) in lookup})


def find_header(
    rows: list[list[Any]], lookup: dict[str, str], min_hits: int = MIN_HEADER_HITS
) -> tuple[int, int, list[str]] | None:
    """(first header index, index after the header, header names per column).

    None when no row looks like a header.

    The header is the first row, within the first few, naming the most known columns; the row
    below joins it when the two together name more (a merged “办理时限” over “法定” / “承诺”).
    """
    best: tuple[int, int, int, list[str]] | None = None  # (hits, start, end, names)
    scanned = [_texts(row) for row in rows[: HEADER_SCAN_ROWS + 1]]
    single = [_hits(names, lookup) for names in scanned]
    for index in range(min(HEADER_SCAN_ROWS, len(scanned))):
        names, hits, end = scanned[index], single[index], index + 1
        if index + 1 < len(scanned):
            two = _combined(scanned[index], scanned[index + 1], lookup)
            two_hits = _hits(two, lookup)
            # join the next row only when together they name more than either row alone
            # (a title row above a header adds nothing: the header alone wins)
            if two_hits > hits and two_hits > single[index + 1]:
                names, hits, end = two, two_hits, index + 2
        if hits >= min_hits and (best is None or hits > best[0]):
            best = (hits, index, end, names)
    if best is None:
        return None
    return best[1], best[2], best[3]


def map_header(
    names: list[str], lookup: dict[str, str]
) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """(column → key, column → header text, unmapped column → header text).

    A repeated key is an extra: the first column of an element is read, except that a Chinese
    header wins over an English or coded one (``name`` before 事项名称 reads 事项名称).
    """
    columns: dict[int, str] = {}
    headers: dict[int, str] = {}
    extras: dict[int, str] = {}
    chosen: dict[str, int] = {}  # key → the column read for it
    for index, name in enumerate(names):
        key = lookup.get(fold_header(name)) if name else None
        if key is None:
            continue
        if key not in chosen or (_is_coded(names[chosen[key]]) and not _is_coded(name)):
            chosen[key] = index  # the first column, but a Chinese header over an English one
    read = set(chosen.values())
    for index, name in enumerate(names):
        if not name:
            continue
        if index in read:
            columns[index] = lookup[fold_header(name)]
            headers[index] = name
        else:
            extras[index] = name
    return columns, headers, extras


def _is_coded(header: str) -> bool:
    """An English or coded header (``name``, ``taskName``): a Chinese header of the same element
    in the same sheet is the one read (portals export both: ``name`` beside 事项名称)."""
    return any(ch.isascii() and ch.isalpha() for ch in header)


def unmapped_findings(
    extras: dict[int, str], lookup: dict[str, str], source: Source
) -> list[Finding]:
    """One finding per column kept as an extra attribute.

    The column is unknown (info) or a second column for the same element (warning).
    """
    findings = []
    for name in extras.values():
        if fold_header(name) in lookup:
            findings.append(
                make_finding(
                    "duplicate-column",
                    "warning",
                    source,
                    f"列“{name}”与另一列对应同一要素（读入的是另一列），按附加属性保留",
                    element=name,
                    value=name,
                )
            )
        else:
            findings.append(
                make_finding(
                    "unknown-column",
                    "info",
                    source,
                    f"列“{name}”不是标准要素，按附加属性保留",
                    element=name,
                    value=name,
                )
            )
    return findings


def code_as_number(
    title: str, key: str, cell: Any, source: Source, item: str | None = None
) -> Finding:
    """A code cell Excel stored as a number: reported, never silently “fixed”."""
    return make_finding(
        "code-stored-as-number",
        "error",
        source,
        f"{title}被 Excel 存成了数字，前导零或末位可能已丢失："
        "请把该列设为文本格式后按原编码重新填写",
        element=title,
        key=key,
        item=item,
        value=cell_text(cell),
    )
