"""Add English and coded header aliases to schemas/catalog.schema.json from the field vocabulary.

    python docs/make_english_aliases.py /work/shared/domain/vocabulary

Not run at import time: its output (the ``x-aliases`` it adds) is committed in the schema, and
running it again adds nothing new. The rules (also in docs/standard-workbook.md):

- A column of the national exchange tables (``national_exchange_columns.csv``) is an alias of the
  field its Chinese comment names (the field's title or one of its Chinese aliases), in the
  record its table holds: 基本目录 → 主项 and 子项, 基本信息 / 扩展信息 → 子项. When two columns of
  one table name the same field, only the one whose comment is the field's title is kept.
- Only 主项 and 子项 (and the flat columns of main items and situations) get English aliases.
  The exchange tables' material and fee columns arrive as input-profile tables, whose unmapped
  columns (``material_type``, ``task_code`` …) are kept as extras under their own names; as
  aliases of 申请材料 / 收费 columns they would come back as duplicates of the standard columns
  when a normalized workbook is read again.
- A header of the Guangdong template (``guangdong_portal_headers.csv``, ``篇扩中文/pkEnglish``):
  the whole header and its English half are aliases of the field its Chinese half names.
- Every field's own key (``legal_limit``, ``impl_code``) is an alias of it.
- :data:`CURATED` adds what the comments do not say plainly, :data:`LEFT_OUT` names what is
  ambiguous and stays an extra attribute.
- A header that could be a main-item field or a leaf field is the leaf's; only a name that says
  main / parent (``main_item_name``, ``parent_name``) is the main item's flat column.

Case styles need no aliases of their own: headers fold to snake case (``taskName`` = ``task_name``).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog_cli.model.text import fold_header_name, fold_name

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "catalog.schema.json"
RECORDS = ("main_item", "leaf")  # the records that get English aliases
SKIP_KEYS = ("extra", "leaves", "situations", "fees")

# table name ending → the records its columns describe
TABLE_RECORDS = {
    "_directory": ("main_item", "leaf"),
    "_basic": ("leaf",),
    "_extend": ("leaf",),
}

# (record, alias) → field key: names the comments do not give plainly, and names other real
# exports use (the guangxi-audit profile's columns, the examples)
CURATED: dict[tuple[str, str], str] = {
    ("leaf", "item_name"): "name",
    ("leaf", "sub_item_name"): "name",
    ("leaf", "serve_type"): "service_object",
    ("leaf", "lawlimit_day"): "legal_limit",
    ("leaf", "legal_limit_day"): "legal_limit",
    ("leaf", "anticipate_day_explain"): "legal_limit_note",
    ("leaf", "lawlimit_explain"): "legal_limit_note",
    ("leaf", "promise_day_explain"): "promised_limit_note",
    ("leaf", "limit_scene_explain"): "onsite_reason",
    ("leaf", "main_item_code"): "main_code",
    ("leaf", "main_catalog_code"): "main_code",
    ("leaf", "parent_code"): "main_code",
    ("leaf", "parent_catalog_code"): "main_code",
    ("main_item", "main_item_name"): "name",
    ("main_item", "main_name"): "name",
    ("main_item", "main_item_code"): "basic_code",
    ("main_item", "main_code"): "basic_code",
}

# flat columns of the main item and of situations (``x-flat.columns``): only names that say so
FLAT: dict[str, tuple[str, ...]] = {
    "main.name": (
        "main_item_name",
        "main_name",
        "main_task_name",
        "parent_name",
        "parent_item_name",
        "parent_task_name",
    ),
    "main.department": ("main_department", "main_dept_name", "parent_dept_name"),
    "main.item_type": ("main_item_type", "main_task_type", "parent_task_type"),
    "main.legal_basis": ("main_legal_basis", "main_by_law", "parent_by_law"),
    "main.exercise_level": ("main_exercise_level", "main_use_level", "parent_use_level"),
    "situation.name": ("situation_name", "condition_name"),
    "situation.description": ("situation_description", "condition_desc"),
    "situation.materials": ("situation_materials",),
    "situation.promised_limit": ("situation_promised_limit",),
}

# the Chinese halves of Guangdong headers that name a field in other words; those in
# GUANGDONG_CHINESE are aliases on their own too (类别 alone is too general to be one)
GUANGDONG: dict[str, str] = {
    "行使主体": "agency",
    "办理材料": "materials",
    "特殊环节": "special_procedures",
    "监督方式": "complaint",
    "类别": "item_type",
}
GUANGDONG_CHINESE = ("行使主体", "办理材料", "特殊环节", "监督方式")

# names left out on purpose (they stay extra attributes)
LEFT_OUT = {
    "local_catalog_code",  # 地方基本编码: a region's own code beside the national one
    "local_task_code",  # 地方实施编码: likewise
    "service_type",  # says 服务类型, commented 中介服务: name and comment disagree
    "source_explain",  # 来源渠道说明: a note beside source_type
    "link_addr",  # 计算机端在线办理跳转地址: a second URL beside online_handle_url
    "pkserviceObjects",  # 适用范围 / serviceObjects: the halves disagree (实施对象 is 服务对象)
    "zxmc",  # pinyin of both 主项名称 and 子项名称
}
GUANGDONG_PREFIX = "篇扩"


def _chinese_lookup(schema: dict, record: str) -> dict[str, str]:
    """Folded Chinese title or alias → field key, for one record."""
    lookup: dict[str, str] = {}
    for key, prop in schema["$defs"][record]["properties"].items():
        if key in SKIP_KEYS or "title" not in prop:
            continue
        for text in (prop["title"], *prop.get("x-aliases", ())):
            if not text.isascii():
                lookup.setdefault(fold_name(text), key)
    return lookup


def national_aliases(schema: dict, rows: list[dict[str, str]]) -> dict[tuple[str, str], list[str]]:
    """(record, field key) → the exchange-table columns whose comment names that field."""
    found: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    lookups = {record: _chinese_lookup(schema, record) for record in RECORDS}
    for row in rows:
        table, column, comment = row["table"], row["column"], row["comment"].strip()
        if column in LEFT_OUT or not table.startswith(("up_task_", "dn_task_")):
            continue
        records = next((r for end, r in TABLE_RECORDS.items() if table.endswith(end)), ())
        for record in records:
            key = lookups[record].get(fold_name(comment))
            if key is not None:
                found.setdefault((table, record, key), []).append((column, comment))
    aliases: dict[tuple[str, str], list[str]] = {}
    for (_, record, key), columns in found.items():
        title = schema["$defs"][record]["properties"][key]["title"]
        if len(columns) > 1:  # two columns of one table for one field: the title's only
            columns = [(c, t) for c, t in columns if t == title]
        for column, _ in columns:
            names = aliases.setdefault((record, key), [])
            if column not in names:
                names.append(column)
    return aliases


def guangdong_aliases(schema: dict, rows: list[dict[str, str]]) -> dict[str, list[str]]:
    """Leaf field key → the Guangdong headers (whole and English half) that name it."""
    lookup = _chinese_lookup(schema, "leaf")
    aliases: dict[str, list[str]] = {}
    for row in rows:
        header = row["header"]
        if "/" not in header:
            continue
        chinese, english = header.split("/", 1)
        chinese = chinese.removeprefix(GUANGDONG_PREFIX)
        if english in LEFT_OUT:
            continue
        key = GUANGDONG.get(chinese) or lookup.get(fold_name(chinese))
        if key is None:
            continue
        names = aliases.setdefault(key, [])
        names += [header, english]
        if chinese in GUANGDONG_CHINESE:
            names.append(chinese)
    return aliases


def _add(target: dict, new: list[str], title: str) -> None:
    """Append aliases not yet known (by their folded form) to a property or flat column."""
    aliases = target.setdefault("x-aliases", [])
    known = {fold_header_name(a) for a in (title, *aliases)}
    for alias in new:
        folded = fold_header_name(alias)
        if folded not in known:
            aliases.append(alias)
            known.add(folded)


def update(schema: dict, vocabulary: Path) -> dict:
    """The schema with the aliases the vocabulary gives (the input dict is changed in place)."""
    with (vocabulary / "national_exchange_columns.csv").open(encoding="utf-8") as f:
        national = national_aliases(schema, list(csv.DictReader(f)))
    with (vocabulary / "guangdong_portal_headers.csv").open(encoding="utf-8") as f:
        guangdong = guangdong_aliases(schema, list(csv.DictReader(f)))
    for record in RECORDS:
        props = schema["$defs"][record]["properties"]
        for key, prop in props.items():
            if key in SKIP_KEYS or "title" not in prop:
                continue
            new = [key, *national.get((record, key), ())]
            new += [alias for (r, alias), k in CURATED.items() if r == record and k == key]
            if record == "leaf":
                new += guangdong.get(key, ())
            _add(prop, new, prop["title"])
    for key, names in FLAT.items():
        column = schema["x-flat"]["columns"][key]
        _add(column, list(names), column["title"])
    return schema


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(f"用法：python {argv[0]} <vocabulary 目录>")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    update(schema, Path(argv[1]))
    SCHEMA.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
