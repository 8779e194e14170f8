"""``catalog profiles`` (catalog_cli/cli/profiles.py) and the profile files it lists, held to
the keys schemas/profiles/README.md documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.read import read_catalog
from catalog_cli.read.profiles import PROFILES_ENV, load_profiles
from catalog_cli.schema import load_schema

PROFILES = Path(__file__).resolve().parent.parent / "schemas" / "profiles"
README = PROFILES / "README.md"

PROFILE_KEYS = {"name", "title", "notes", "tables", "local_codes"}
TABLE_KEYS = {
    "name",
    "record",
    "detect",
    "fields",
    "codes",
    "derive",
    "key",
    "parent",
    "extends",
    "versions",
}
VERSION_KEYS = {"identity", "order", "titles"}
RECORDS = {"leaf", "material", "step", "situation", "fee"}


def _documented_keys(section: str) -> set[str]:
    """The keys of a README table: the back-quoted first cells after the heading ``section``."""
    text = README.read_text(encoding="utf-8")
    part = text.split(section, 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", part, re.M))


def test_the_readme_documents_exactly_the_keys_the_test_allows():
    assert _documented_keys("## 配置文件的键") == PROFILE_KEYS
    assert _documented_keys("### `tables` 中每张表") == TABLE_KEYS
    assert _documented_keys("### `versions`") == VERSION_KEYS
    assert _documented_keys("### `local_codes`：地方编码方案") == {"name", "pattern"}


@pytest.mark.parametrize("path", sorted(PROFILES.glob("*.json")), ids=lambda p: p.stem)
def test_every_profile_loads_and_uses_documented_keys_only(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert load_profiles()[data["name"]] == data
    assert set(data) <= PROFILE_KEYS and {"name", "title", "tables"} <= set(data)
    leaf_fields = load_schema().records["leaf"].fields
    for table in data["tables"]:
        assert set(table) <= TABLE_KEYS and {"name", "record", "detect", "fields"} <= set(table)
        assert table["record"] in RECORDS and table["detect"]
        assert set(table.get("versions", {})) <= VERSION_KEYS
        for rule in table.get("derive", {}).values():
            assert set(rule) == {"from", "pattern"}
        fields = load_schema().records[table["record"]].fields
        for key in table["fields"]:
            assert key in fields or key.startswith(("main.", "extra.")), key
    for key, specs in data.get("local_codes", {}).items():
        assert key in leaf_fields and key in ("basic_code", "impl_code")
        for spec in specs if isinstance(specs, list) else [specs]:
            assert set(spec) == {"name", "pattern"}


def test_profiles_lists_every_profile_within_80_columns():
    result = CliRunner().invoke(app, ["profiles"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    for name, profile in load_profiles().items():
        assert name in lines
        for table in profile["tables"]:
            assert any(line.strip().startswith(f"表 {table['name']}（") for line in lines)
    assert "识别列：department、main_item、name、itemCode" in result.stdout


def test_profiles_as_json():
    result = CliRunner().invoke(app, ["profiles", "-f", "json"])
    assert result.exit_code == 0
    listed = {p["name"]: p for p in json.loads(result.stdout)}
    assert set(listed) == set(load_profiles())
    audit = listed["guangxi-audit"]["tables"][0]
    assert (audit["name"], audit["record"], audit["key"]) == ("AUDIT_ITEM", "leaf", "rowguid")
    assert audit["detect"] == ["task_code", "task_name", "anticipate_day", "promise_day"]
    assert listed["sichuan-bszl"]["local_codes"] == []  # Sichuan's schemes are built in


def test_the_readme_example_works_from_catalog_profiles(tmp_path, monkeypatch):
    """The worked example, taken from the README as it is written, read through the
    environment variable."""
    text = README.read_text(encoding="utf-8")
    example = json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])
    profile = tmp_path / "js-city.json"
    profile.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(PROFILES_ENV, str(profile))
    uscc = "11511301008778183N"
    items, materials = tmp_path / "事项.csv", tmp_path / "材料.csv"
    items.write_text(
        "item_no,base_no,item_name,org,org_code,kind,limit_days\n"
        f"JS000001-{uscc},JS000001,甲事项,某局,{uscc},1,5\n"
        f"JS000002-{uscc},JS000002,乙事项,某局,{uscc},2,\n",
        encoding="utf-8",
    )
    materials.write_text(
        f"item_no,seq,material,must\nJS000001-{uscc},1,申请书,1\nJS000002-{uscc},1,身份证,0\n",
        encoding="utf-8",
    )
    listed = CliRunner().invoke(app, ["profiles"])
    assert "js-city" in listed.stdout.splitlines()
    assert "  地方编码：实施编码 某市实施编码" in listed.stdout  # wrapped to 80 columns
    assert all(cell_len(line) <= 80 for line in listed.stdout.splitlines())
    catalog = read_catalog([items, materials]).catalog
    leaves = list(catalog.iter_leaves())
    assert [(leaf.item_type, len(leaf.materials)) for leaf in leaves] == [("01", 1), ("20", 1)]
    assert leaves[0].promised_limit.value == 5 and leaves[1].promised_limit is None
    result = CliRunner().invoke(app, ["validate", str(items), str(materials), "-f", "json"])
    found = json.loads(result.stdout)["findings"]
    local = sorted(f["message"].split("处")[0] for f in found if f["code"] == "local-code-scheme")
    assert local == ["2 ", "2 "]
    assert not [f for f in found if f["code"] == "basic-code-unknown-form"]
