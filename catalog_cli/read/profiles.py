"""Named input profiles: how a source with its own field names (an interface dump, a portal
export) maps onto the catalog.

Profiles are data in ``schemas/profiles/*.json``; this module applies them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from catalog_cli.model import RECORD_CLASSES, CodeScheme, Leaf, Source
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.values import cell_text
from catalog_cli.read.assemble import FlatRecords
from catalog_cli.read.flat import MainIndex, field_for
from catalog_cli.read.grid import Grid
from catalog_cli.read.layout import Layout
from catalog_cli.read.normalize import Changes
from catalog_cli.read.values import converter
from catalog_cli.schema import Field, code_scheme, load_schema, resource_dir

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
CHILD_ATTR = {"situation": "situations", "material": "materials", "step": "steps", "fee": "fees"}


@dataclass(frozen=True)
class ProfileTable:
    """One source table of a profile."""

    profile: str
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return self.spec["name"]


PROFILES_ENV = "CATALOG_PROFILES"  # more profile files or folders, os.pathsep between them


def profile_files() -> tuple[Path, ...]:
    """The profile files: ``schemas/profiles/*.json``, then those ``$CATALOG_PROFILES`` names
    (files, or folders of ``*.json``)."""
    files = sorted((resource_dir("schemas") / "profiles").glob("*.json"))
    for part in filter(None, os.environ.get(PROFILES_ENV, "").split(os.pathsep)):
        path = Path(part)
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return tuple(files)


def load_profiles() -> dict[str, dict[str, Any]]:
    """Every profile, by name (a later file with a name already seen replaces it)."""
    return _load_profiles(profile_files())


@cache
def _load_profiles(files: tuple[Path, ...]) -> dict[str, dict[str, Any]]:
    profiles = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            name = data["name"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CatalogInputError(str(path), f"输入配置文件无法读取：{exc}") from None
        local_codes(data, str(path))  # a wrong declaration fails here, not in the checks
        profiles[name] = data
    return profiles


def local_codes(profile: dict[str, Any], where: str = "") -> tuple[CodeScheme, ...]:
    """The code schemes a profile declares under ``local_codes`` (field → one scheme or a
    list of them)."""
    declared = profile.get("local_codes", {})
    if not isinstance(declared, dict):
        raise CatalogInputError(where, "输入配置的 local_codes 应为对象（要素键 → 编码方案）")
    schemes = []
    for key, specs in declared.items():
        for spec in specs if isinstance(specs, list) else [specs]:
            schemes.append(code_scheme(spec, where or profile.get("name", ""), key))
    return tuple(schemes)


def declared_schemes(layouts: list[Layout]) -> tuple[CodeScheme, ...]:
    """The local code schemes of the profiles some input was read through."""
    names = dict.fromkeys(
        layout.kind.removeprefix("profile:").split("/", 1)[0]
        for layout in layouts
        if layout.kind.startswith("profile:")
    )
    profiles = load_profiles()
    return tuple(s for name in names if name in profiles for s in local_codes(profiles[name]))


def check_profile(profile: str | None) -> None:
    """A usage error unless ``profile`` is None or names a profile in schemas/profiles."""
    if profile is not None and profile not in load_profiles():
        raise CatalogInputError(
            "", f"--profile：没有名为“{profile}”的输入配置（可用：{'、'.join(load_profiles())}）"
        )


def match_table(header: list[str], profile: str | None = None) -> ProfileTable | None:
    """The profile table whose detecting columns all appear in ``header``."""
    profiles = load_profiles()
    check_profile(profile)
    names = set(header)
    for name, data in profiles.items():
        if profile is not None and name != profile:
            continue
        for table in data["tables"]:
            if set(table["detect"]) <= names:
                return ProfileTable(name, table)
    return None


HEADER_BYTES = 1 << 16  # enough of a CSV file for its header row


def linked_profile(path: Path, profile: str | None = None) -> str | None:
    """The input profile whose linked tables a CSV file is one of (a table a row key links to
    others: an interface export split into files), else None.

    Such files belong to one catalog, whatever files they are given as; only the header row is
    read (xlsx exports are not looked at).
    """
    if Path(path).suffix.lower() != ".csv":
        return None
    try:
        with open(path, "rb") as stream:
            head = stream.read(HEADER_BYTES)
    except OSError:
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    header = next(csv.reader(io.StringIO(text)), [])
    table = match_table([cell.strip() for cell in header], profile)
    if table is None or not (table.spec.get("key") or table.spec.get("parent")):
        return None
    return table.profile


def render(template: str, row: dict[str, str], codes: dict[str, dict[str, str]]) -> str | None:
    """Fill ``{column}`` placeholders from a row (codes mapped first).

    None when every one is empty.
    """
    filled = False

    def value(match: re.Match[str]) -> str:
        nonlocal filled
        column = match.group(1)
        raw = row.get(column, "")
        table = codes.get(column)
        if table and raw:
            parts = [p.strip() for p in raw.split(",")]
            raw = "、".join(table.get(p, p) for p in parts if table.get(p, p))
        if raw:
            filled = True
        return raw

    text = _PLACEHOLDER.sub(value, template)
    return text.strip() if filled and text.strip() else None


def read_profile_grid(
    grid: Grid, table: ProfileTable, changes: Changes, findings: list[Finding]
) -> tuple[FlatRecords, Layout]:
    """Read a grid whose first row holds a profile table's column names."""
    spec = table.spec
    header = [cell_text(c) or "" for c in grid.rows[0]] if grid.rows else []
    used = {col for template in spec["fields"].values() for col in _PLACEHOLDER.findall(template)}
    used |= {d["from"] for d in spec.get("derive", {}).values()} | {
        spec.get("key"),
        spec.get("parent"),
    } - {None}
    letters = {name: xl_col_to_name(i) for i, name in enumerate(header)}
    field_letters = {
        key: letters.get(_PLACEHOLDER.findall(t)[0], "")
        for key, t in spec["fields"].items()
        if _PLACEHOLDER.findall(t)
    }
    extras = {i: name for i, name in enumerate(header) if name and name not in used}
    header_source = Source(grid.file, grid.sheet, 1, {})
    for name in extras.values():
        findings.append(
            make_finding(
                "unknown-column",
                "info",
                header_source,
                f"列“{name}”未在输入配置 {table.profile} 中映射，按附加属性保留",
                element=name,
                value=name,
            )
        )
    count = changes.counter(grid.file)
    record = spec["record"]
    fields_of = (
        _leaf_or_extra if record == "leaf" else load_schema().records[record].fields.__getitem__
    )
    convert = {
        key: converter(fields_of(key), count) for key in [*spec["fields"], *spec.get("derive", {})]
    }
    flat = FlatRecords()
    mains = MainIndex(flat, grid.file, grid.sheet, field_letters)
    for index in range(1, len(grid.rows)):
        cells = grid.rows[index]
        if all(cell_text(c) is None for c in cells):
            continue
        row = {
            name: (cell_text(cells[i]) or "") if i < len(cells) else ""
            for i, name in enumerate(header)
        }
        source = Source(grid.file, grid.sheet, index + 1, field_letters)
        values = _values(spec, row, convert)
        extra = {name: row[name] for name in extras.values() if row.get(name)}
        if spec.get("extends"):
            flat.keyed_fields.append(
                (row[spec["parent"]], {k: v for k, v in values.items() if v is not None})
            )
        elif record == "leaf":
            main_values = {
                k.split(".", 1)[1]: values.pop(k) for k in list(values) if k.startswith("main.")
            }
            leaf = Leaf(
                **{k: v for k, v in values.items() if v is not None and v != []},
                extra=extra,
                source=source,
            )
            flat.leaves.append((mains.main_for(leaf, main_values, index + 1), leaf))
            if spec.get("key") and row.get(spec["key"]):
                flat.keyed[row[spec["key"]]] = leaf
        else:
            child = RECORD_CLASSES[record](
                **{k: v for k, v in values.items() if v is not None}, extra=extra, source=source
            )
            flat.keyed_children.append((CHILD_ATTR[record], row[spec["parent"]], child))
    fields = {
        i: key
        for key, t in spec["fields"].items()
        for i, name in enumerate(header)
        if _PLACEHOLDER.findall(t)[:1] == [name]
    }
    layout = Layout(
        grid.file,
        grid.sheet,
        f"profile:{table.profile}/{table.name}",
        (1,),
        fields,
        {i: header[i] for i in fields},
        extras,
    )
    return flat, layout


def _leaf_or_extra(key: str) -> Field:
    """A leaf field, or a plain text field for ``extra.<name>`` targets.

    The latter are kept as extra attributes.
    """
    if key.startswith("extra."):
        return Field(key=key, title=key.split(".", 1)[1], kind="text", text_style="block")
    return field_for(key)


def _values(spec: dict[str, Any], row: dict[str, str], convert: dict[str, Any]) -> dict[str, Any]:
    codes = spec.get("codes", {})
    values: dict[str, Any] = {}
    for key, template in spec["fields"].items():
        text = render(template, row, codes)
        if key == "main.name" and text is None:
            values[key] = None
            continue
        values[key] = convert[key](text) if text is not None else None
    for key, rule in spec.get("derive", {}).items():
        match = re.match(rule["pattern"], row.get(rule["from"], ""))
        values[key] = convert[key](match.group(1)) if match else None
    return values
