"""catalog_cli/read/records.py: record exports (JSON arrays, JSON Lines / NDJSON, wrapped and nested
records) read as flat sheets."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS, SUB_1, base_rows
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.model import TimeLimit
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import folder_files, read_catalog
from catalog_cli.read.records import column_names, find_records, records_grid
from catalog_cli.write.json import catalog_to_json

runner = CliRunner()

BRACKET_MATERIAL = ("序号", "材料名称", "材料类型", "材料形式", "份数", "是否必需", "来源渠道")


def records() -> list[dict[str, Any]]:
    """The sample catalog's sub-items as records: Chinese keys, materials and steps as lists of
    objects, 行使层级 as a list of scalars."""
    rows = base_rows()
    out = []
    for leaf in rows["子项"]:
        record = {k: v for k, v in leaf.items() if v is not None}
        record["行使层级"] = record["行使层级"].split("、")
        record["申请材料"] = [
            {k: m[k] for k in BRACKET_MATERIAL}
            for m in rows["申请材料"]
            if m["实施编码"] == leaf["实施编码"]
        ]
        record["办理流程"] = [
            {"环节名称": s["环节名称"], "办理岗位": s["办理岗位"], "环节时限": s["环节时限"]}
            for s in rows["办理流程"]
            if s["实施编码"] == leaf["实施编码"]
        ]
        out.append(record)
    return out


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_lines(path: Path, items: list[Any], blank: bool = True) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in items]
    if blank:
        lines.insert(1, "   ")
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return path


def csv_cell(value: Any) -> str:
    """A value as a CSV export writes it (lists as the one-cell forms)."""
    if value is None:
        return ""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        lines = []
        for n, item in enumerate(value, start=1):
            name, *attrs = [str(v) for k, v in item.items() if k != "序号"]
            if "份数" in item:
                attrs = [a + "份" if a.isdecimal() else a for a in attrs]
            lines.append(f"{n}.{name}（{'，'.join(attrs)}）")
        return "\n".join(lines)
    if isinstance(value, list):
        return "；".join(value)
    return str(value)


def write_csv(path: Path, items: list[dict[str, Any]]) -> Path:
    header = list(dict.fromkeys(k for r in items for k in r))
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for r in items:
            writer.writerow([csv_cell(r.get(k)) for k in header])
    return path


# --- finding the records ------------------------------------------------------------------------


def test_a_json_array_of_records_is_a_catalog(tmp_path):
    path = write_json(tmp_path / "导出.json", records())
    result = read_catalog([path])
    catalog = result.catalog
    assert [m.basic_code for m in catalog.main_items] == [MAIN_SUBS, MAIN_ONE]
    assert [leaf.impl_code for leaf in catalog.iter_leaves()] == [IMPL_1, IMPL_2, IMPL_3]
    leaf = next(catalog.iter_leaves())
    assert (leaf.name, leaf.basic_code, leaf.item_type) == ("食品经营许可（新办）", SUB_1, "01")
    assert leaf.exercise_level == ["3", "4"]
    assert leaf.visits == 1
    assert leaf.legal_limit == TimeLimit(20, "工作日", "20个工作日")
    assert [(m.seq, m.name, m.material_type, m.copies, m.necessity) for m in leaf.materials] == [
        (1, "申请书", "原件", "1份", "必要"),
        (2, "身份证明", "原件", "1份", "必要"),
        (3, "授权委托书", "原件", "1份", "非必要"),
    ]
    assert [(s.name, s.post, s.time_limit.value) for s in leaf.steps] == [
        ("受理", "窗口工作人员", 1),
        ("审查", "窗口工作人员", 3),
        ("决定", "窗口工作人员", 1),
    ]
    # the list's pointer is the sheet; the header is row 1, record i is row i + 2
    assert [(x.source.file, x.source.sheet, x.source.row) for x in catalog.iter_leaves()] == [
        (str(path), "/", 2),
        (str(path), "/", 3),
        (str(path), "/", 4),
    ]
    assert result.findings == []


def test_records_wrapped_in_an_object_are_found_whatever_the_key(tmp_path):
    doc = {
        "code": 0,
        "msg": "ok",
        "links": [{"rel": "next"}],  # a smaller list of objects, nearer the top
        "data": {"total": 3, "records": records()},
    }
    path = write_json(tmp_path / "接口.json", doc)
    result = read_catalog([path])
    assert result.catalog.count_leaves() == 3
    assert {x.source.sheet for x in result.catalog.iter_leaves()} == {"/data/records"}
    leaf = list(result.catalog.iter_leaves())[2]
    assert (leaf.impl_code, leaf.source.row) == (IMPL_3, 4)


@pytest.mark.parametrize(
    ("doc", "found"),
    [
        ([{"a": 1}, {"a": 2}], ("/", 2)),
        ({"rows": [{"a": 1}]}, ("/rows", 1)),
        ({"result": {"list": [{"a": 1}, {"a": 2}]}}, ("/result/list", 2)),
        ({"a": [{"x": 1}], "b": [{"x": 1}]}, ("/a", 1)),  # a tie: the first
        ({"a": {"b": [{"x": 1}, {"x": 2}]}, "c": [{"x": 1}]}, ("/a/b", 2)),  # the largest
        ({"a/b": [{"x": 1}]}, ("/a~1b", 1)),  # a pointer escapes “/”
        ({"data": [{"materials": [{"n": 1}, {"n": 2}, {"n": 3}]}]}, ("/data", 1)),
        ({"data": [], "total": 0}, None),
        ({"data": [1, 2, 3]}, None),
        ([], None),
        ("text", None),
    ],
)
def test_the_largest_list_of_objects_breadth_first(doc, found):
    got = find_records(doc)
    assert (None if got is None else (got[0], len(got[1]))) == found


def test_json_lines_and_ndjson_skip_blank_lines(tmp_path):
    items = records()
    for suffix in (".jsonl", ".ndjson"):
        path = write_lines(tmp_path / f"导出{suffix}", items)
        result = read_catalog([path])
        assert [x.impl_code for x in result.catalog.iter_leaves()] == [IMPL_1, IMPL_2, IMPL_3]
        assert [x.source.row for x in result.catalog.iter_leaves()] == [2, 3, 4]
        assert next(result.catalog.iter_leaves()).source.sheet == "/"


def test_a_json_file_holding_json_lines_is_read_as_lines(tmp_path):
    path = write_lines(tmp_path / "导出.json", records(), blank=False)
    assert read_catalog([path]).catalog.count_leaves() == 3


def test_a_bad_line_names_the_file_and_the_line(tmp_path):
    path = tmp_path / "坏.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records()]
    lines.insert(2, "")
    lines[3] = lines[3][:-1]  # line 4 loses its closing brace
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogInputError) as info:
        read_catalog([path])
    line = info.value.line()
    assert line.startswith(f"{path}：第 4 行不是有效的 JSON（")
    assert "\n" not in line and "char" not in line
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "第 4 行不是有效的 JSON" in result.stderr and "Traceback" not in result.output


def test_a_line_that_is_no_object_is_an_input_error(tmp_path):
    path = tmp_path / "坏.ndjson"
    path.write_text('{"事项名称": "甲"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(CatalogInputError, match="第 2 行不是 JSON 对象"):
        read_catalog([path])


@pytest.mark.parametrize(
    "doc", [{"code": 0, "data": {"total": 0, "records": []}}, [1, 2, 3], {"事项名称": "甲"}]
)
def test_json_without_a_list_of_objects_is_not_catalog_data(tmp_path, doc):
    path = write_json(tmp_path / "其他.json", doc)
    with pytest.raises(CatalogInputError) as info:
        read_catalog([path])
    assert info.value.not_catalog
    assert info.value.line() == f"{path}：{info.value.message}"
    assert info.value.message.startswith("不是目录数据")
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 2


def test_records_with_no_known_key_name_their_list(tmp_path):
    path = write_json(tmp_path / "日志.json", {"data": {"list": [{"level": "info"}]}})
    with pytest.raises(CatalogInputError) as info:
        read_catalog([path])
    assert info.value.not_catalog and "/data/list 中的记录" in info.value.message


def test_a_folder_reads_record_files_and_skips_json_that_is_no_catalog(tmp_path):
    items = records()
    write_json(tmp_path / "a.json", items[:1])
    write_lines(tmp_path / "b.jsonl", items[1:2])
    write_lines(tmp_path / "c.ndjson", items[2:])
    write_json(tmp_path / "d.json", {"code": 0, "msg": "ok"})
    write_json(tmp_path / "e.json", [{"level": "info"}])
    assert [p.name for p in folder_files(tmp_path)] == [
        "a.json",
        "b.jsonl",
        "c.ndjson",
        "d.json",
        "e.json",
    ]
    result = read_catalog([tmp_path], strict=False)
    assert result.catalog.count_leaves() == 3 and not result.errors
    skipped = [(Path(f.file).name, f.severity) for f in result.findings if f.code == "file-skipped"]
    assert skipped == [("d.json", "warning"), ("e.json", "warning")]


def test_our_catalog_json_is_still_read_as_a_catalog(tmp_path):
    source = write_json(tmp_path / "导出.json", records())
    out = tmp_path / "目录.json"
    assert runner.invoke(app, ["ingest", str(source), "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "catalog-cli/1"
    again = read_catalog([out])
    assert again.catalog == read_catalog([source]).catalog
    assert next(again.catalog.iter_leaves()).source.sheet == "/main_items/0/leaves/0"


# --- cells ------------------------------------------------------------------------------------


def test_nested_objects_are_flattened_and_a_taken_name_keeps_its_path(tmp_path):
    item = {
        "实施编码": IMPL_1,
        "basic": {"事项名称": "食品经营许可（新办）", "实施主体": "江淮市市场监督管理局"},
        "limits": {"法定办结时限": 20, "承诺办结时限": "5个工作日"},
        "a": {"note": "甲"},
        "b": {"note": "乙", "empty": {}, "none": None},
    }
    assert column_names([("x",), ("a", "x"), ("a", "y"), ("b", "y"), ("z", "w")]) == {
        ("x",): "x",
        ("a", "x"): "a.x",
        ("a", "y"): "a.y",
        ("b", "y"): "b.y",
        ("z", "w"): "w",
    }
    path = write_json(tmp_path / "嵌套.json", [item])
    result = read_catalog([path])
    (leaf,) = result.catalog.iter_leaves()
    assert (leaf.name, leaf.agency) == ("食品经营许可（新办）", "江淮市市场监督管理局")
    assert leaf.legal_limit == TimeLimit(20, "工作日", "20")
    assert leaf.promised_limit == TimeLimit(5, "工作日", "5个工作日")
    assert leaf.extra == {"a.note": "甲", "b.note": "乙"}


def test_scalars_become_the_cells_a_csv_gives(tmp_path):
    grid = records_grid(
        [{"a": 1, "b": 1.5, "c": True, "d": None, "e": ["x", None, 2, ""], "f": [], "g": "t"}],
        "f.json",
    )
    assert grid.rows == [
        ["a", "b", "c", "d", "e", "f", "g"],
        ["1", "1.5", "true", "", "x；2", "", "t"],
    ]
    item = dict(records()[0], 是否收费=False, 基本编码=int(SUB_1), 到办事现场次数=0)
    (leaf,) = read_catalog([write_json(tmp_path / "值.json", [item])]).catalog.iter_leaves()
    assert (leaf.fee_charged, leaf.basic_code, leaf.visits) == (False, SUB_1, 0)


@pytest.mark.parametrize("value", ["x" * 11, ["x" * 6, "y" * 6], {"inner": "x" * 11}])
def test_a_cell_too_long_for_catalog_data_is_refused(tmp_path, monkeypatch, value):
    monkeypatch.setattr("catalog_cli.read.records.MAX_CELL_CHARS", 10)
    path = write_json(tmp_path / "长.json", [{"事项名称": "甲", "备注": value}])
    with pytest.raises(CatalogInputError, match="有单元格超过 10 个字符"):
        read_catalog([path])


def test_control_characters_in_values_are_removed_with_a_warning(tmp_path):
    item = dict(records()[0], 办理地点="江淮市\u0000政务服务中心")
    result = read_catalog([write_json(tmp_path / "控制.json", [item])])
    (leaf,) = result.catalog.iter_leaves()
    assert leaf.address == "江淮市政务服务中心"
    (finding,) = [f for f in result.findings if f.code == "control-characters"]
    assert (finding.sheet, finding.row, finding.element) == ("/", 2, "办理地点")


def test_a_list_of_objects_that_is_not_plain_is_kept_as_json_text(tmp_path):
    items = records()
    items[1]["申请材料"] = [{"材料名称": "申请书", "page_num": 3}]  # an unknown attribute
    items[2]["申请材料"] = [{"材料类型": "原件"}]  # no name
    items[0]["tags"] = [{"k": "v"}]  # not materials or steps
    result = read_catalog([write_json(tmp_path / "材料.json", {"data": items})])
    first, second, third = result.catalog.iter_leaves()
    assert len(first.materials) == 3 and first.extra == {"tags": '[{"k":"v"}]'}
    assert second.materials == [] and third.materials == []
    assert json.loads(second.extra["申请材料（JSON）"]) == [{"材料名称": "申请书", "page_num": 3}]
    (kept,) = [f for f in result.findings if f.code == "record-list-kept"]
    assert (kept.severity, kept.sheet, kept.row, kept.element) == (
        "warning",
        "/data",
        3,
        "申请材料",
    )
    assert kept.message.startswith("2 条记录的“申请材料”是对象列表")


def test_lists_of_objects_under_english_list_keys_are_materials_and_steps(tmp_path):
    item = {
        "事项名称": "居民身份证换领",
        "实施编码": IMPL_3,
        "实施主体": "江淮市公安局",
        "material_list": [
            {"name": "居民户口簿", "material_type": "原件", "copies": 1},
            {"name": "照片"},
        ],
        "steps": [{"name": "受理", "post": "窗口"}, {"name": "发证"}],
    }
    (leaf,) = read_catalog([write_json(tmp_path / "英文.json", [item])]).catalog.iter_leaves()
    assert [(m.name, m.material_type, m.copies) for m in leaf.materials] == [
        ("居民户口簿", "原件", "1份"),
        ("照片", None, None),
    ]
    assert [(s.seq, s.name, s.post) for s in leaf.steps] == [(1, "受理", "窗口"), (2, "发证", None)]


# --- profiles, CSV equivalence, commands --------------------------------------------------------


def test_guangxi_interface_keys_are_read_with_their_profile(tmp_path):
    item = {
        "rowguid": "r1",
        "task_code": "11450721MB155808114000104002000",
        "task_name": "建设工程消防验收",
        "catalog_code": "450164213001",
        "anticipate_day": 20,
        "anticipate_type": "1",
        "promise_day": 5,
        "promise_type": "1",
        "dept_name": "灵山县住房和城乡建设局",
    }
    path = write_lines(tmp_path / "AUDIT_ITEM.jsonl", [item], blank=False)
    result = read_catalog([path])
    (leaf,) = result.catalog.iter_leaves()
    assert (leaf.impl_code, leaf.name, leaf.agency) == (
        "11450721MB155808114000104002000",
        "建设工程消防验收",
        "灵山县住房和城乡建设局",
    )
    assert leaf.legal_limit.value == 20 and leaf.legal_limit.unit == "工作日"
    assert leaf.promised_limit.value == 5 and leaf.promised_limit.unit == "工作日"
    assert (leaf.source.sheet, leaf.source.row) == ("/", 2)
    assert [(x.kind, x.sheet) for x in result.layouts] == [
        ("profile:guangxi-audit/AUDIT_ITEM", "/")
    ]


def _bundle(guid: str, code: str, materials: list[str]) -> dict[str, Any]:
    """One item of an interface export as its tables: the item, its materials, its window."""
    return {
        "_source_payload": "A",
        "AUDIT_ITEM": {
            "rowguid": guid,
            "task_code": code,
            "task_name": f"事项{guid}",
            "anticipate_day": 20,
            "anticipate_type": "1",
            "promise_day": 5,
            "promise_type": "1",
        },
        "AUDIT_MATERIAL": [
            {"task_guid": guid, "material_name": name, "is_need": "1"} for name in materials
        ],
        "AUDIT_ITEM_WINDOW": [
            {"task_guid": guid, "transact_addr": "政务大厅", "transact_time": ""}
        ],
        "AUDIT_ITEM_CONDITION": [],
    }


def test_records_that_bundle_a_profiles_tables_are_read_as_those_tables(tmp_path):
    items = [
        _bundle("g1", "11450721MB155808114000104002000", ["申请书", "身份证"]),
        _bundle("g2", "11450721MB155808114000141005000", ["申请表"]),
    ]
    for path in (
        write_json(tmp_path / "items.json", items),
        write_json(tmp_path / "payload.json", {"STATUS": {"CODE": 1}, "data": {"list": items}}),
    ):
        read = read_catalog([path])
        leaves = list(read.catalog.iter_leaves())
        assert [(x.name, [m.name for m in x.materials]) for x in leaves] == [
            ("事项g1", ["申请书", "身份证"]),
            ("事项g2", ["申请表"]),
        ]
        assert {x.address for x in leaves} == {"政务大厅"}
        assert leaves[0].extra["_source_payload"] == "A"  # the item's own value, kept
        assert [x.sheet for x in read.layouts] == [
            "AUDIT_ITEM",
            "AUDIT_MATERIAL",
            "AUDIT_ITEM_WINDOW",
        ]
    # one item whose tables are the wrapping object's lists (no list of items)
    one = dict(items[0])
    one["AUDIT_ITEM"] = [one["AUDIT_ITEM"]]
    read = read_catalog([write_json(tmp_path / "one.json", {"STATUS": {}, "CUSTOM": one})])
    ((leaf),) = read.catalog.iter_leaves()
    assert [m.name for m in leaf.materials] == ["申请书", "身份证"]


def test_ordinary_nested_records_are_not_taken_for_tables(tmp_path):
    item = {"事项名称": "甲", "实施编码": IMPL_1, "详情": {"承诺办结时限": "5个工作日"}, "材料": []}
    read = read_catalog([write_json(tmp_path / "导出.json", [item])])
    assert [x.sheet for x in read.layouts] == ["/"]


def test_a_hierarchy_of_records_is_read_as_its_innermost_records(tmp_path):
    # a portal's catalog: department → its main items → their sub-items
    doc = [
        {
            "实施主体": "区市监局",
            "items": [
                {
                    "主项名称": "食品经营许可",
                    "sub_items": [{"事项名称": "新办"}, {"事项名称": "变更"}],
                },
                {
                    "主项名称": "特种设备",
                    "sub_items": [{"事项名称": "使用登记", "实施主体": "另一局"}],
                },
            ],
        },
        {"实施主体": "区公安分局", "items": []},
    ]
    read = read_catalog([write_json(tmp_path / "门户.json", doc)])
    leaves = [(m.name, x.name, x.agency) for m in read.catalog.main_items for x in m.leaves]
    assert leaves[:3] == [
        ("食品经营许可", "新办", "区市监局"),
        ("食品经营许可", "变更", "区市监局"),
        ("特种设备", "使用登记", "另一局"),  # the child's own value wins
    ]
    extra = next(x for m in read.catalog.main_items for x in m.leaves if x.name == "使用登记").extra
    assert extra["上级.实施主体"] == "区市监局"  # and the parent's is kept beside it
    # a record with a material list and values of its own is no hierarchy
    item = {"事项名称": "甲", "实施编码": IMPL_1, "基本编码": "x", "材料": [{"name": "申请书"}]}
    read = read_catalog([write_json(tmp_path / "一条.json", [item])])
    assert [x.name for x in read.catalog.iter_leaves()] == ["甲"]


GUANGXI = (
    Path(__file__).resolve().parents[2] / "shared" / "realdata" / "guangxi_lingshan_audit_items"
)


@pytest.mark.skipif(not GUANGXI.is_dir(), reason="../shared/realdata is not beside this checkout")
def test_guangxi_items_json_is_the_same_catalog_as_its_csv_tables():
    as_json = read_catalog([GUANGXI / "items.json"])
    as_csv = read_catalog(sorted(GUANGXI.glob("AUDIT_*.csv")))
    assert as_json.catalog.count_leaves() == 7
    assert catalog_to_json(as_json.catalog) == catalog_to_json(as_csv.catalog)
    assert sorted(f.code for f in as_json.findings) == sorted(f.code for f in as_csv.findings)


def test_the_same_records_as_csv_and_as_json_give_the_same_catalog(tmp_path):
    items = records()
    from_csv = read_catalog([write_csv(tmp_path / "导出.csv", items)])
    for path in (
        write_json(tmp_path / "导出.json", items),
        write_lines(tmp_path / "导出.jsonl", items),
        write_json(tmp_path / "接口.json", {"code": 0, "data": {"total": 3, "records": items}}),
    ):
        from_json = read_catalog([path])
        assert from_json.catalog == from_csv.catalog
        assert catalog_to_json(from_json.catalog) == catalog_to_json(from_csv.catalog)
        assert [f.code for f in from_json.findings] == [f.code for f in from_csv.findings]


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("validate", "校验通过：1 个文件，主项 2 项，子项 3 项"),
        ("stats", "每个子项平均申请材料 3 份（最多 3 份）、办理环节 3 个（最多 3 个）"),
        ("reduce", "较法定时限减少 45 个工作日、精简 75.00%"),
    ],
)
def test_commands_read_json_lines(tmp_path, command, words):
    path = write_lines(tmp_path / "导出.jsonl", records())
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 0, result.output
    assert words in result.stdout


def test_validate_fails_on_a_bad_record_and_points_at_it(tmp_path):
    items = records()
    items[1]["事项类型"] = "行政许可证"
    path = write_lines(tmp_path / "导出.jsonl", items)
    result = runner.invoke(app, ["validate", str(path), "-f", "json"])
    assert result.exit_code == 1
    (bad,) = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "schema-enum"]
    assert (bad["file"], bad["sheet"], bad["row"], bad["element"]) == (
        str(path),
        "/",
        3,
        "事项类型",
    )


def test_ingest_json_lines_then_validate_the_catalog_json(tmp_path):
    path = write_lines(tmp_path / "导出.ndjson", records())
    out = tmp_path / "目录.json"
    assert runner.invoke(app, ["ingest", str(path), "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    normalized = tmp_path / "目录.xlsx"
    assert runner.invoke(app, ["normalize", str(path), "-o", str(normalized)]).exit_code == 0
    assert read_catalog([normalized]).catalog == read_catalog([path]).catalog


SICHUAN = GUANGXI.parent / "sichuan_guangan_district_catalog"


@pytest.mark.skipif(not SICHUAN.is_dir(), reason="../shared/realdata is not beside this checkout")
def test_sichuan_portal_json_gives_the_elements_of_its_flat_csv():
    def elements(catalog):
        data = catalog_to_json(catalog)
        for main in data["main_items"]:
            for leaf in main["leaves"]:
                leaf.pop("extra", None)  # the CSV has areaCode, the JSON qrcode
        return data["main_items"]

    as_json = read_catalog([SICHUAN / "bszl-data.json"]).catalog
    as_csv = read_catalog([SICHUAN / "bszl_flat.csv"]).catalog
    assert as_json.count_leaves() == 1135
    assert elements(as_json) == elements(as_csv)
