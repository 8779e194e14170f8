"""catalog_cli/schema.py and schemas/catalog.schema.json.

The schema holds the 36 elements, the records, the code tables and the standard workbook's sheets,
consistently with catalog_cli/model.py.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from catalog_cli.model import RECORD_CLASSES, data_fields
from catalog_cli.schema import CodeTable, fold_header, is_coded_alias, load_schema, resource_dir

SCHEMA = load_schema()
RAW = SCHEMA.raw
DEFS = RAW["$defs"]
LAYER_DEFS = {
    "main": "main_item",
    "leaf": "leaf",
    "material": "material",
    "step": "step",
    "fee": "fee",
    "situation": "situation",
}
ELEMENT_DEFS = ("leaf", "main_item", "material", "step", "fee")

# Domain reference §2, in order: (element name, suggested key).
README_ELEMENTS = [
    ("事项名称", "name"),
    ("基本编码", "basic_code"),
    ("实施编码", "impl_code"),
    ("业务办理项编码", "handling_code"),
    ("事项类型", "item_type"),
    ("设定依据", "legal_basis"),
    ("行使层级", "exercise_level"),
    ("权力来源", "power_source"),
    ("实施主体", "agency"),
    ("实施主体编码", "agency_code"),
    ("实施主体性质", "agency_nature"),
    ("委托部门", "entrusting_dept"),
    ("联办机构", "co_agencies"),
    ("服务对象", "service_object"),
    ("办件类型", "case_type"),
    ("受理条件", "conditions"),
    ("申请材料", "materials"),
    ("办理流程", "steps"),
    ("办理形式", "handling_form"),
    ("法定办结时限", "legal_limit"),
    ("法定办结时限说明", "legal_limit_note"),
    ("承诺办结时限", "promised_limit"),
    ("承诺办结时限说明", "promised_limit_note"),
    ("到办事现场次数", "visits"),
    ("必须现场办理原因说明", "onsite_reason"),
    ("是否收费", "fee_charged"),
    ("收费依据及标准", "fees"),
    ("办理结果", "result"),
    ("特别程序", "special_procedures"),
    ("中介服务", "intermediary"),
    ("数量限制", "quantity_limit"),
    ("办理地点", "address"),
    ("办理时间", "office_hours"),
    ("咨询方式", "consult"),
    ("监督投诉方式", "complaint"),
    ("网上办理", "online"),
]


def test_schema_file_is_valid_draft_2020_12():
    raw = json.loads((resource_dir("schemas") / "catalog.schema.json").read_text(encoding="utf-8"))
    assert raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(raw)
    assert raw == RAW


def test_format_const_matches_code():
    from catalog_cli.schema import FORMAT

    assert RAW["properties"]["format"]["const"] == FORMAT


# --- the 36 elements -------------------------------------------------------------------------


def test_exactly_36_elements_numbered_1_to_36_with_unique_names():
    elements = RAW["x-elements"]
    assert len(elements) == 36
    assert [e["no"] for e in elements] == list(range(1, 37))
    names = [e["name"] for e in elements]
    assert len(set(names)) == 36
    assert len({e["key"] for e in elements}) == 36
    assert [e.no for e in SCHEMA.elements] == list(range(1, 37))


def test_elements_match_domain_reference_table():
    assert [(e.name, e.key) for e in SCHEMA.elements] == README_ELEMENTS


def test_element_requirements_are_m_c_or_o():
    assert {e.requirement for e in SCHEMA.elements} <= {"M", "C", "O"}
    assert {e.no for e in SCHEMA.elements if e.requirement == "O"} == {13, 21, 23, 29, 30, 31}


@pytest.mark.parametrize("element", SCHEMA.elements, ids=lambda e: f"{e.no}-{e.name}")
def test_every_element_property_exists_in_a_record_def(element):
    assert element.properties, "an element must list at least one property"
    for prop in element.properties:
        holders = [d for d in ELEMENT_DEFS if prop in DEFS[d]["properties"]]
        assert holders, (
            f"element {element.no} lists {prop!r}, which no leaf/main/material/step/fee def has"
        )


@pytest.mark.parametrize("element", SCHEMA.elements, ids=lambda e: f"{e.no}-{e.name}")
def test_element_layers_are_known(element):
    assert element.layers
    assert set(element.layers) <= set(LAYER_DEFS)


def _defs_holding(element, prop):
    """The defs of the element's layers that hold ``prop``.

    Elements 17/18 (child rows) sit on the leaf.
    """
    defs = [
        LAYER_DEFS[layer]
        for layer in element.layers
        if prop in DEFS[LAYER_DEFS[layer]]["properties"]
    ]
    return defs or [d for d in ELEMENT_DEFS if prop in DEFS[d]["properties"]]


SINGLE = [e for e in SCHEMA.elements if len(e.properties) == 1]


@pytest.mark.parametrize("element", SINGLE, ids=lambda e: f"{e.no}-{e.name}")
def test_single_property_element_title_equals_element_name(element):
    prop = element.properties[0]
    for def_name in _defs_holding(element, prop):
        assert DEFS[def_name]["properties"][prop].get("title") == element.name, (def_name, prop)


@pytest.mark.parametrize("element", SCHEMA.elements, ids=lambda e: f"{e.no}-{e.name}")
def test_element_properties_carry_its_number(element):
    """On the item records (main / leaf) a property names its element; a situation's optional
    promised_limit override deliberately does not (the element's 'M' would be wrong there)."""
    for prop in element.properties:
        for def_name in [d for d in _defs_holding(element, prop) if d in ("main_item", "leaf")]:
            assert DEFS[def_name]["properties"][prop].get("x-element") == element.no, (
                def_name,
                prop,
            )


def test_multi_property_elements():
    multi = {e.no: e.properties for e in SCHEMA.elements if len(e.properties) > 1}
    assert multi == {
        27: ("fee_standard", "fees"),
        28: ("result_name", "result_type", "result_sample"),
        36: ("online", "online_depth", "online_url"),
    }


# --- records against the model ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RECORD_CLASSES))
def test_record_dataclass_fields_equal_schema_properties(name):
    assert list(data_fields(RECORD_CLASSES[name])) == list(DEFS[name]["properties"])
    assert set(SCHEMA.records[name].fields) == set(DEFS[name]["properties"])


@pytest.mark.parametrize("name", sorted(RECORD_CLASSES))
def test_required_properties_exist(name):
    props = DEFS[name]["properties"]
    assert set(DEFS[name].get("required", ())) <= set(props)
    assert DEFS[name].get("additionalProperties") is False


def test_field_kinds():
    leaf = SCHEMA.records["leaf"].fields
    assert leaf["item_type"].kind == "enum" and leaf["item_type"].table.name == "item_type"
    assert leaf["exercise_level"].kind == "multi" and leaf["exercise_level"].joiner == "、"
    assert leaf["legal_limit"].kind == "time_limit"
    assert leaf["visits"].kind == "integer"
    assert leaf["fee_charged"].kind == "yes_no"
    assert leaf["materials"].kind == "children" and leaf["materials"].child == "material"
    assert leaf["extra"].kind == "extra"
    assert leaf["conditions"].kind == "text"
    assert SCHEMA.records["situation"].fields["materials"].kind == "list"
    assert SCHEMA.records["bundle"].fields["members"].kind == "list"
    assert {k for k, f in leaf.items() if f.is_code} == {
        "impl_code",
        "basic_code",
        "main_code",
        "handling_code",
        "agency_code",
    }
    assert {k for k, f in SCHEMA.records["main_item"].fields.items() if f.is_code} == {"basic_code"}


# --- code tables -----------------------------------------------------------------------------

TABLE_NAMES = sorted(SCHEMA.tables)


def test_expected_code_tables_exist():
    assert {
        "item_type",
        "exercise_level",
        "power_source",
        "agency_nature",
        "service_object",
        "case_type",
        "handling_form",
        "online_depth",
        "result_type",
        "material_type",
        "material_form",
        "necessity",
        "source_channel",
        "time_unit",
        "yes_no",
    } <= set(SCHEMA.tables)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_x_labels_keys_equal_enum(name):
    spec = DEFS[name]
    if spec.get("type") == "boolean":
        assert set(spec["x-labels"]) == {"true", "false"}
        return
    if "x-labels" in spec:
        assert list(spec["x-labels"]) == list(spec["enum"])
    else:  # codes are their own labels
        assert SCHEMA.tables[name].labels == {c: c for c in spec["enum"]}
    assert len(set(spec["enum"])) == len(spec["enum"])


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_x_variants_values_are_valid_codes(name):
    table = SCHEMA.tables[name]
    variants = DEFS[name].get("x-variants", {})
    for variant, code in variants.items():
        assert code in table.codes, (variant, code)
        assert table.lookup(variant) == code, f"variant {variant!r} is shadowed"


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_labels_are_unique_and_look_up_to_their_code(name):
    table = SCHEMA.tables[name]
    labels = [fold_header(table.label(c)) for c in table.codes]
    assert len(set(labels)) == len(labels)
    for code in table.codes:
        assert table.lookup(table.label(code)) == code
        assert table.lookup(str(code)) == code


def test_item_type_table_per_gbt_39046():
    table = SCHEMA.tables["item_type"]
    assert table.labels["01"] == "行政许可"
    assert table.labels["10"] == "其他行政权力"
    assert table.labels["20"] == "公共服务"
    assert SCHEMA.tables["exercise_level"].labels["5"] == "镇（乡、街道）级"
    assert SCHEMA.tables["handling_form"].labels == {
        "1": "窗口办理",
        "2": "网上办理",
        "3": "移动端办理",
        "4": "快递申请",
        "9": "其他",
    }


@pytest.mark.parametrize(
    ("table", "text", "code"),
    [
        ("item_type", "01", "01"),
        ("item_type", "行政许可", "01"),
        ("item_type", "许可", "01"),
        ("item_type", "XK", "01"),
        ("item_type", "xk", "01"),
        ("item_type", "1", "01"),
        ("item_type", "行政 许可", "01"),
        ("item_type", " 行政许可\n", "01"),
        ("item_type", "行政\u3000许可", "01"),
        ("item_type", "公共服务", "20"),
        ("exercise_level", "镇（乡、街道）级", "5"),
        ("exercise_level", "乡镇级", "5"),
        ("exercise_level", "县（市、区）级", "4"),
        ("online_depth", "Ⅳ", "4"),
        ("online_depth", "全程网办", "4"),
        ("necessity", "容缺", "容缺后补"),
        ("yes_no", "是", True),
        ("yes_no", "×", False),
        ("yes_no", "Yes", True),
        ("yes_no", "true", True),
        ("time_unit", "个工作日", "工作日"),
    ],
)
def test_code_table_lookup_accepts_code_label_variant_and_whitespace(table, text, code):
    assert SCHEMA.tables[table].lookup(text) == code


@pytest.mark.parametrize("text", ["行政许可类", "abc", "", " ", "许 可 证", "00", "行政"])
def test_code_table_lookup_rejects_junk(text):
    assert SCHEMA.tables["item_type"].lookup(text) is None


def test_code_table_from_def_and_label():
    table = CodeTable.from_def(
        "t",
        {
            "type": "string",
            "enum": ["1", "2"],
            "x-labels": {"1": "甲", "2": "乙"},
            "x-variants": {"甲类": "1"},
        },
    )
    assert table.codes == ("1", "2")
    assert table.lookup("甲 类") == "1"
    assert table.lookup("乙") == "2"
    assert table.lookup("丙") is None
    assert table.label("2") == "乙"
    assert table.label("7") == "7"


def test_separators_per_domain_reference():
    assert {"、", "，", ",", ";", "；", "^", "\n"} <= set(SCHEMA.separators)


# --- sheets ----------------------------------------------------------------------------------


def test_sheet_names_and_records():
    assert [(s.name, s.record) for s in SCHEMA.sheets] == [
        ("主项", "main_item"),
        ("子项", "leaf"),
        ("办理情形", "situation"),
        ("申请材料", "material"),
        ("办理流程", "step"),
        ("收费", "fee"),
        ("一件事", "bundle"),
    ]
    assert {s.name for s in SCHEMA.sheets if s.required} == {
        "主项",
        "子项",
        "办理情形",
        "申请材料",
        "办理流程",
    }


@pytest.mark.parametrize("sheet", SCHEMA.sheets, ids=lambda s: s.name)
def test_every_sheet_column_exists_in_its_record(sheet):
    props = DEFS[sheet.record]["properties"]
    for column in sheet.columns:
        assert column in props, column
    assert len(set(sheet.columns)) == len(sheet.columns)
    if sheet.parent:
        assert sheet.parent in DEFS["leaf"]["properties"]
    for key in sheet.key:
        assert key in sheet.columns or key == sheet.parent


@pytest.mark.parametrize("sheet", SCHEMA.sheets, ids=lambda s: s.name)
def test_sheet_columns_cover_every_cell_field(sheet):
    """Every property except children, extra and the tree links is a column of its sheet."""
    props = set(DEFS[sheet.record]["properties"]) - {
        "extra",
        "leaves",
        "situations",
        "materials",
        "steps",
        "fees",
    }
    if sheet.record == "situation":
        props.add("materials")  # the situation's own list of material names
    assert props == set(sheet.columns)


@pytest.mark.parametrize("sheet", SCHEMA.sheets, ids=lambda s: s.name)
def test_header_aliases_are_unambiguous_within_a_sheet(sheet):
    fields = [SCHEMA.records[sheet.record].fields[k] for k in sheet.columns]
    if sheet.parent:
        fields.insert(0, SCHEMA.records["leaf"].fields[sheet.parent])
    seen: dict[str, set[str]] = {}
    for f in fields:
        for text in (f.title, *f.aliases):
            if f.key != sheet.parent or not is_coded_alias(text):
                seen.setdefault(fold_header(text), set()).add(f.key)
    ambiguous = {text: keys for text, keys in seen.items() if len(keys) > 1}
    assert ambiguous == {}
    lookup = SCHEMA.header_lookup(sheet)
    assert lookup == {text: next(iter(keys)) for text, keys in seen.items()}


def test_header_lookup_examples():
    leaf_sheet = SCHEMA.sheet("子项")
    lookup = SCHEMA.header_lookup(leaf_sheet)
    for alias, key in [
        ("实施机关", "agency"),
        ("实施部门", "agency"),
        ("办理部门", "agency"),
        ("申请条件", "conditions"),
        ("法定时限", "legal_limit"),
        ("承诺期限", "promised_limit"),
        ("跑动次数", "visits"),
        ("实施依据", "legal_basis"),
        ("受理地点", "address"),
        ("咨询电话", "consult"),
        ("实施对象", "service_object"),
        ("事项名称（子项）", "name"),
        ("实施编码", "impl_code"),
        ("主项编码", "main_code"),
    ]:
        assert lookup[fold_header(alias)] == key, alias
    material = SCHEMA.header_lookup(SCHEMA.sheet("申请材料"))
    assert material[fold_header("实施编码")] == "impl_code"
    assert material[fold_header("材料名称")] == "name"
    assert fold_header("实施主体") not in material


def test_header_titles_put_parent_first():
    titles = SCHEMA.header_titles(SCHEMA.sheet("申请材料"))
    assert titles[0] == ("impl_code", "实施编码")
    assert [t for _, t in titles] == [
        "实施编码",
        "序号",
        "材料名称",
        "材料类型",
        "材料形式",
        "份数",
        "是否必需",
        "来源渠道",
        "空白表格",
        "示例样表",
        "备注",
    ]


def test_canonical_headers_match_domain_reference_section_10():
    def titles(name):
        return [t for _, t in SCHEMA.header_titles(SCHEMA.sheet(name))]

    assert titles("主项") == [
        "基本编码",
        "事项名称",
        "事项类型",
        "设定依据",
        "行使层级",
        "主管部门",
    ]
    assert titles("子项")[:5] == ["实施编码", "基本编码", "主项编码", "业务办理项编码", "事项名称"]
    assert titles("子项")[-3:] == ["是否网办", "网上办理深度", "网办地址"]
    assert len(titles("子项")) == 39
    assert titles("办理情形") == ["实施编码", "情形名称", "情形说明", "情形材料", "承诺办结时限"]
    assert titles("办理流程") == [
        "实施编码",
        "序号",
        "环节名称",
        "办理岗位",
        "审查标准",
        "办理结果",
        "环节时限",
    ]
    assert titles("收费") == ["实施编码", "收费项目", "收费标准", "收费依据", "是否允许减免"]
    assert titles("一件事") == [
        "一件事名称",
        "成员实施编码",
        "申请材料数",
        "办理环节数",
        "承诺办结时限",
        "到办事现场次数",
        "办理先后",  # ours, after the reference's columns: which member needs another's result
    ]


def test_standard_workbook_doc_is_generated_from_the_current_schema():
    import importlib.util
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    spec = importlib.util.spec_from_file_location(
        "make_workbook_doc", docs / "make_workbook_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (docs / "standard-workbook.md").read_text(encoding="utf-8") == module.render(), (
        "请运行 python docs/make_workbook_doc.py"
    )


# --- English and coded aliases ---------------------------------------------------------------


def test_flat_aliases_are_unambiguous():
    """Each header of a flat sheet (title or alias, folded) names one flat column only."""
    from catalog_cli.schema import flat_columns

    seen: dict[str, set[str]] = {}
    for key, (title, aliases) in flat_columns(SCHEMA).items():
        for text in (title, *aliases):
            seen.setdefault(fold_header(text), set()).add(key)
    ambiguous = {text: keys for text, keys in seen.items() if len(keys) > 1}
    assert ambiguous == {}


@pytest.mark.parametrize("name", list(RECORD_CLASSES))
def test_every_alias_names_one_field_of_its_record(name):
    seen: dict[str, set[str]] = {}
    for f in SCHEMA.records[name].fields.values():
        for text in (f.title, *f.aliases):
            seen.setdefault(fold_header(text), set()).add(f.key)
    assert {text: keys for text, keys in seen.items() if len(keys) > 1} == {}


def test_every_field_key_is_an_alias_of_its_field():
    for name in ("main_item", "leaf"):
        record = SCHEMA.records[name]
        lookup = {fold_header(a): f.key for f in record.fields.values() for a in f.aliases}
        for key, f in record.fields.items():
            if f.kind not in ("extra",) and key not in ("leaves", "situations", "fees"):
                assert lookup.get(fold_header(key)) == key, (name, key)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("task_name", "name"),
        ("taskName", "name"),
        ("ITEM_NAME", "name"),
        ("catalog_code", "basic_code"),
        ("catalogCode", "basic_code"),
        ("task_code", "impl_code"),
        ("TASK_CODE", "impl_code"),
        ("task_handle_item", "handling_code"),
        ("taskHandleItem", "handling_code"),
        ("dept_name", "agency"),
        ("dept_code", "agency_code"),
        ("DeptCode", "agency_code"),
        ("anticipate_day", "legal_limit"),
        ("lawlimitDay", "legal_limit"),
        ("promise_day", "promised_limit"),
        ("promiseDay", "promised_limit"),
        ("anticipate_day_explain", "legal_limit_note"),
        ("anticipateExplain", "legal_limit_note"),
        ("promise_explain", "promised_limit_note"),
        ("by_law", "legal_basis"),
        ("use_level", "exercise_level"),
        ("task_type", "item_type"),
        ("serve_type", "service_object"),
        ("server_type", "service_object"),
        ("link_way", "consult"),
        ("supervise_way", "complaint"),
        ("handle_flow", "steps"),
        ("legal_limit", "legal_limit"),
        ("篇扩承诺办结时限/pkcommitmentTime", "promised_limit"),
        ("pkcommitmentTime", "promised_limit"),
        ("篇扩行使主体/pkorgName", "agency"),
        ("main_item_name", "main.name"),
        ("mainItemName", "main.name"),
        ("parent_name", "main.name"),
        ("condition_name", "situation.name"),
        ("anticipate_type", "unit.legal_limit"),
        ("lawlimitType", "unit.legal_limit"),
        ("legal_limit_unit", "unit.legal_limit"),
        ("promiseType", "unit.promised_limit"),
    ],
)
def test_flat_lookup_knows_english_and_coded_names(header, key):
    from catalog_cli.schema import flat_lookup

    assert flat_lookup()[fold_header(header)] == key


@pytest.mark.parametrize(
    "header",
    ["local_catalog_code", "local_task_code", "service_type", "zxmc", "task_version", "cd_time"],
)
def test_ambiguous_or_foreign_names_are_left_out(header):
    from catalog_cli.schema import flat_lookup

    assert fold_header(header) not in flat_lookup()


@pytest.mark.parametrize(
    ("sheet", "header", "key"),
    [
        ("主项", "task_name", "name"),
        ("主项", "catalogCode", "basic_code"),
        ("主项", "mainItemName", "name"),
        ("主项", "by_law", "legal_basis"),
        ("子项", "taskCode", "impl_code"),
        ("子项", "task_handle_item", "handling_code"),
        ("子项", "PROMISE_DAY", "promised_limit"),
    ],
)
def test_sheet_lookups_know_the_exchange_tables_columns(sheet, header, key):
    assert SCHEMA.header_lookup(SCHEMA.sheet(sheet))[fold_header(header)] == key


@pytest.mark.parametrize("sheet", ["办理情形", "申请材料", "办理流程", "收费", "一件事"])
def test_child_sheets_know_chinese_headers_only(sheet):
    """Profiles keep unmapped material and fee columns as extras under their own names
    (material_type, task_code): read back, they must not be duplicates of standard columns."""
    spec = SCHEMA.sheet(sheet)
    record = SCHEMA.records[spec.record]
    assert [a for f in record.fields.values() for a in f.aliases if is_coded_alias(a)] == []
    lookup = SCHEMA.header_lookup(spec)
    assert fold_header("task_code") not in lookup
    assert fold_header("material_type") not in lookup
    if spec.parent:
        assert lookup[fold_header("实施编码")] == "impl_code"


def test_unit_codes_are_time_units():
    from catalog_cli.schema import time_unit_codes, unit_columns

    units = set(SCHEMA.tables["time_unit"].codes)
    assert time_unit_codes() == {"1": "工作日", "2": "自然日"}
    assert set(time_unit_codes().values()) <= units
    assert set(unit_columns(SCHEMA)) == {"legal_limit", "promised_limit"}
    for key in unit_columns(SCHEMA):
        assert SCHEMA.records["leaf"].fields[key].kind == "time_limit"


def test_guangxi_profile_unit_codes_agree_with_the_schema():
    from catalog_cli.schema import time_unit_codes

    profile = json.loads(
        (resource_dir("schemas") / "profiles" / "guangxi-audit.json").read_text(encoding="utf-8")
    )
    [item] = [t for t in profile["tables"] if t["name"] == "AUDIT_ITEM"]
    for column in ("anticipate_type", "promise_type"):
        assert item["codes"][column] == time_unit_codes()
