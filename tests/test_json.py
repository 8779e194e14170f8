"""catalog_cli/read/json.py and catalog_cli/write/json.py: the tool's own catalog JSON."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS, USCC_C

import catalog_cli.write.json as json_writer
from catalog_cli.model import Catalog, MainItem
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.json import catalog_from_json
from catalog_cli.schema import FORMAT, resource_dir
from catalog_cli.write.json import catalog_to_json, write_catalog_json

SCHEMA = json.loads((resource_dir("schemas") / "catalog.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def schema_errors(data):
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)
    ]


def with_orphans(rows):
    """Base rows plus an orphan leaf (complete, with children) and orphan children of every kind."""
    ghost = USCC_C + "3" + "340999001000"
    rows["子项"][0]["主项编码"] = "34099900100Y"  # no such main item: IMPL_1 becomes an orphan leaf
    rows["申请材料"].append(
        {"实施编码": ghost, "序号": 1, "材料名称": "孤儿材料", "是否必需": "必要"}
    )
    rows["办理流程"].append({"实施编码": ghost, "序号": 1, "环节名称": "受理", "环节时限": "即办"})
    rows["办理情形"].append({"实施编码": ghost, "情形名称": "孤儿情形", "情形材料": "孤儿材料"})
    rows["收费"] = [
        {"实施编码": ghost, "收费项目": "工本费", "收费标准": "10元", "是否允许减免": "否"}
    ]
    return ghost


def test_xlsx_json_round_trip(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "目录.json"
    write_catalog_json(catalog, out)
    result = read_catalog([out])
    assert result.findings == []
    assert result.files == [str(out)]
    assert result.catalog == catalog
    first = result.catalog.main_items[0].leaves[0]
    assert first.situations[1].materials == ["申请书", "身份证明", "授权委托书"]
    # JSON → JSON is stable
    again = tmp_path / "again.json"
    write_catalog_json(result.catalog, again)
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_json_document_shape(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    catalog.name = "江淮市实施清单"
    out = tmp_path / "目录.json"
    write_catalog_json(catalog, out)
    text = out.read_text(encoding="utf-8")
    assert "食品经营许可" in text  # not \u-escaped
    assert text.endswith("\n")
    data = json.loads(text)
    assert data == catalog_to_json(catalog)
    # one main item per line, so a diff of two catalogs names the main items that changed
    lines = text.splitlines()
    assert len(lines) == len(catalog.main_items) + 4
    assert json.loads(lines[3].rstrip(",")) == data["main_items"][0]
    assert data["format"] == FORMAT == "catalog-cli/1"
    assert data["name"] == "江淮市实施清单"
    assert "orphans" not in data and "bundles" not in data
    leaf = data["main_items"][0]["leaves"][0]
    assert leaf["impl_code"] == IMPL_1
    assert leaf["item_type"] == "01"
    assert leaf["exercise_level"] == ["3", "4"]
    assert leaf["legal_limit"] == {"value": 20, "unit": "工作日", "text": "20个工作日"}
    assert leaf["fee_charged"] is False and leaf["online"] is True
    assert "handling_code" not in leaf and "source" not in leaf
    assert leaf["materials"][2] == {
        "seq": 3,
        "name": "授权委托书",
        "material_type": "原件",
        "material_form": "纸质",
        "copies": "1",
        "necessity": "非必要",
        "source_channel": "申请人自备",
    }
    assert read_catalog([out]).catalog.name == "江淮市实施清单"


def test_json_validates_against_schema(rows, write):
    catalog = read_catalog([write(rows)]).catalog
    data = catalog_to_json(catalog)
    assert schema_errors(data) == []
    VALIDATOR.validate(data)


def test_schema_rejects_broken_json():
    """The validation above can fail: the schema does look inside the document."""
    assert schema_errors({"main_items": []})  # no format
    bad = {
        "format": FORMAT,
        "main_items": [
            {
                "basic_code": "x",
                "name": "n",
                "item_type": "行政许可",
                "legal_basis": "b",
                "exercise_level": ["3"],
            }
        ],
    }
    assert any("item_type" in e for e in schema_errors(bad))
    bad["main_items"][0]["item_type"] = "01"
    assert schema_errors(bad) == []
    bad["main_items"][0]["colour"] = "red"
    assert schema_errors(bad)


def test_json_with_orphans_validates(rows, write):
    with_orphans(rows)
    catalog = read_catalog([write(rows)]).catalog
    assert catalog.orphans
    data = catalog_to_json(catalog)
    assert schema_errors(data) == []
    assert set(data["orphans"]) == {"leaves", "situations", "materials", "steps", "fees"}


def test_orphans_survive_json_round_trip(rows, write, tmp_path):
    ghost = with_orphans(rows)
    catalog = read_catalog([write(rows)]).catalog
    assert [leaf.impl_code for leaf in catalog.orphans.leaves] == [IMPL_1]
    out = tmp_path / "孤儿.json"
    write_catalog_json(catalog, out)
    back = read_catalog([out]).catalog
    assert back == catalog
    orphans = back.orphans
    assert [leaf.impl_code for leaf in orphans.leaves] == [IMPL_1]
    assert len(orphans.leaves[0].materials) == 3 and len(orphans.leaves[0].situations) == 2
    assert [(code, m.name) for code, m in orphans.materials] == [(ghost, "孤儿材料")]
    assert [(code, s.name, s.time_limit.unit) for code, s in orphans.steps] == [
        (ghost, "受理", "即办")
    ]
    assert [(code, s.name, s.materials) for code, s in orphans.situations] == [
        (ghost, "孤儿情形", ["孤儿材料"])
    ]
    assert [(code, f.item, f.reducible) for code, f in orphans.fees] == [(ghost, "工本费", False)]
    assert [leaf.impl_code for leaf in back.main_items[0].leaves] == [IMPL_2]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == catalog_to_json(catalog)  # the streamed file is the same document
    assert data["orphans"]["materials"][0]["impl_code"] == ghost
    assert data["orphans"]["leaves"][0]["main_code"] == "34099900100Y"


def test_bundles_survive_json_round_trip(rows, write, tmp_path):
    rows["一件事"] = [
        {
            "一件事名称": "开饭店",
            "成员实施编码": f"{IMPL_1}；{IMPL_3}",
            "申请材料数": 4,
            "办理环节数": 3,
            "承诺办结时限": "10个工作日",
            "到办事现场次数": 1,
            "牵头部门": "市场监管局",
        }
    ]
    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "一件事.json"
    write_catalog_json(catalog, out)
    back = read_catalog([out]).catalog
    assert back == catalog
    assert back.bundles[0].members == [IMPL_1, IMPL_3]
    assert back.bundles[0].extra == {"牵头部门": "市场监管局"}
    assert json.loads(out.read_text(encoding="utf-8")) == catalog_to_json(catalog)
    assert schema_errors(catalog_to_json(catalog)) == []


def test_json_sources_are_pointers(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "目录.json"
    write_catalog_json(catalog, out)
    back = read_catalog([out]).catalog
    main = back.main_items[1]
    assert (main.source.file, main.source.sheet, main.source.row) == (
        str(out),
        "/main_items/1",
        None,
    )
    leaf = back.main_items[0].leaves[1]
    assert leaf.impl_code == IMPL_2
    assert leaf.source.sheet == "/main_items/0/leaves/1"
    assert leaf.materials[2].source.sheet == "/main_items/0/leaves/1/materials/2"
    assert (
        back.main_items[0].leaves[0].situations[1].source.sheet
        == "/main_items/0/leaves/0/situations/1"
    )


def test_catalog_from_json_direct():
    data = {
        "format": FORMAT,
        "name": "x",
        "main_items": [
            {
                "basic_code": MAIN_ONE,
                "leaves": [{"impl_code": IMPL_3, "legal_limit": {"value": None, "unit": "无"}}],
            }
        ],
    }
    catalog = catalog_from_json(data, "内存")
    assert catalog.name == "x"
    assert catalog.main_items[0].leaves[0].legal_limit.unit == "无"
    assert catalog.main_items[0].source.file == "内存"
    assert catalog_to_json(catalog) == data


def test_empty_catalog_json(tmp_path):
    out = tmp_path / "空.json"
    write_catalog_json(Catalog(), out)
    assert json.loads(out.read_text(encoding="utf-8")) == {"format": FORMAT, "main_items": []}
    assert read_catalog([out]).catalog == Catalog()


# --- unreadable JSON ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"main_items": []}', "format"),
        ('{"format": "other/1", "main_items": []}', "format"),
        ('{"format": "catalog-cli/1", "main_items": [', "JSON"),
        ("", "JSON"),
        ('[{"format": "catalog-cli/1"}]', "对象"),
        ('{"format": "catalog-cli/1", "main_items": [{"colour": "red"}]}', "colour"),
        (
            '{"format": "catalog-cli/1", "main_items": [], '
            '"orphans": {"materials": [{"record": {}}]}}',
            "impl_code",
        ),
        ('{"format": "catalog-cli/1", "main_items": "none"}', "结构"),
    ],
    ids=[
        "no-format",
        "wrong-format",
        "malformed",
        "empty",
        "not-object",
        "unknown-field",
        "orphan-without-code",
        "wrong-type",
    ],
)
def test_bad_json_raises_input_error(tmp_path, content, words):
    path = tmp_path / "坏.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogInputError) as info:
        read_catalog([path])
    assert info.value.file == str(path)
    line = info.value.line()
    assert line.startswith(str(path) + "：")
    assert words in line


def test_json_with_bom_reads(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(
        "\ufeff".encode()
        + json.dumps({"format": FORMAT, "main_items": [{"basic_code": MAIN_SUBS}]}).encode()
    )
    assert read_catalog([path]).catalog == Catalog(main_items=[MainItem(basic_code=MAIN_SUBS)])


# --- atomic JSON writing -----------------------------------------------------------------------


def test_json_write_failure_leaves_target_untouched(rows, write, tmp_path, monkeypatch):
    catalog = read_catalog([write(rows)]).catalog
    folder = tmp_path / "输出"
    folder.mkdir()
    target = folder / "目录.json"
    target.write_text("previous", encoding="utf-8")
    real_chunks = json_writer.json_document

    def failing_chunks(catalog):
        yield next(real_chunks(catalog))
        raise OSError("disk full")

    monkeypatch.setattr(json_writer, "json_document", failing_chunks)
    with pytest.raises(OSError, match="disk full"):
        write_catalog_json(catalog, target)
    monkeypatch.setattr(json_writer, "json_document", real_chunks)
    assert target.read_text(encoding="utf-8") == "previous"
    assert os.listdir(folder) == ["目录.json"]
    write_catalog_json(catalog, target)
    assert read_catalog([target]).catalog == catalog
    assert os.listdir(folder) == ["目录.json"]


def test_write_pieces_keeps_order_past_one_system_call(tmp_path):
    from catalog_cli.write.json import _IOV_MAX, write_pieces

    pieces = [f"{i}，".encode() for i in range(2 * _IOV_MAX + 5)]
    target = tmp_path / "pieces.txt"
    with target.open("wb") as fh:
        fh.write(b"head:")
        write_pieces(pieces, fh)
        fh.write(b":tail")
    assert target.read_bytes() == b"head:" + b"".join(pieces) + b":tail"
