"""Element checks from the JSON Schema (catalog_cli/checks/elements.py).

The fast path (fastjsonschema screening) must report exactly what the ``jsonschema`` reference
reports: that is proved here on every broken fixture and on the bundled samples.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import findings_of, located

from catalog_cli.checks.elements import check_elements
from catalog_cli.read import read_catalog

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

ELEMENT_BREAKS = {
    "required": (
        lambda r: r["子项"][0].update(办理地点=None),
        ("schema-required", "子项", 2, "办理地点"),
    ),
    "enum": (
        lambda r: r["子项"][1].update(事项类型="行政许诺"),
        ("schema-enum", "子项", 3, "事项类型"),
    ),
    "multi-enum": (
        lambda r: r["子项"][1].update(行使层级="市级、省府级"),
        ("schema-enum", "子项", 3, "行使层级"),
    ),
    "pattern-phone": (
        lambda r: r["子项"][2].update(咨询方式="请到窗口咨询"),
        ("schema-pattern", "子项", 4, "咨询方式"),
    ),
    "pattern-url": (
        lambda r: r["子项"][2].update(网办地址="zwfw.gov.cn"),
        ("schema-pattern", "子项", 4, "网办地址"),
    ),
    "type-integer": (
        lambda r: r["子项"][0].update(到办事现场次数="两次"),
        ("schema-type", "子项", 2, "到办事现场次数"),
    ),
    "type-yes-no": (
        lambda r: r["子项"][0].update(是否收费="待定"),
        ("schema-type", "子项", 2, "是否收费"),
    ),
    "max-length": (
        lambda r: r["子项"][0].update(事项名称="长" * 201),
        ("schema-max-length", "子项", 2, "事项名称"),
    ),
    "minimum": (
        lambda r: r["子项"][0].update(到办事现场次数=-1),
        ("schema-minimum", "子项", 2, "到办事现场次数"),
    ),
    "time-limit": (
        lambda r: r["子项"][0].update(法定办结时限="二十日"),
        ("time-limit-unreadable", "子项", 2, "法定办结时限"),
    ),
    "material-enum": (
        lambda r: r["申请材料"][4].update(材料类型="扫描件"),
        ("schema-enum", "申请材料", 6, "材料类型"),
    ),
    "material-required": (
        lambda r: r["申请材料"][2].update(材料名称=None),
        ("schema-required", "申请材料", 4, "材料名称"),
    ),
    "step-time": (
        lambda r: r["办理流程"][1].update(环节时限="尽快"),
        ("time-limit-unreadable", "办理流程", 3, "环节时限"),
    ),
    "no-materials": (
        lambda r: r.update(
            申请材料=[m for m in r["申请材料"] if m["实施编码"] != r["子项"][2]["实施编码"]]
        ),
        ("schema-required", "子项", 4, "申请材料"),
    ),
    "main-required": (
        lambda r: r["主项"][0].update(设定依据=None),
        ("schema-required", "主项", 2, "设定依据"),
    ),
}


@pytest.mark.parametrize("name", list(ELEMENT_BREAKS))
def test_element_finding_at_the_cell(rows, write, name):
    mutate, expected = ELEMENT_BREAKS[name]
    mutate(rows)
    findings = findings_of(write(rows))
    assert expected in located(findings)
    finding = next(f for f in findings if (f.code, f.sheet, f.row, f.element) == expected)
    assert finding.severity == "error" and finding.message and finding.file.endswith("目录.xlsx")


def test_unreadable_time_limit_is_one_finding_with_its_text(rows, write):
    rows["子项"][0]["法定办结时限"] = "二十日"
    found = [f for f in findings_of(write(rows)) if f.element == "法定办结时限"]
    assert [(f.code, f.value) for f in found] == [("time-limit-unreadable", "二十日")]
    assert "二十日" in found[0].message


def test_enum_message_lists_the_labels(rows, write):
    rows["子项"][1]["事项类型"] = "行政许诺"
    finding = next(f for f in findings_of(write(rows)) if f.code == "schema-enum")
    assert (
        finding.value == "行政许诺"
        and "行政许可" in finding.message
        and "公共服务" in finding.message
    )


def _all_breaks_at_once(rows):
    for mutate, _ in ELEMENT_BREAKS.values():
        mutate(rows)
    return rows


@pytest.mark.parametrize("name", [*ELEMENT_BREAKS, "all-at-once", "clean"])
def test_fast_path_reports_exactly_what_jsonschema_reports(rows, write, name):
    if name == "all-at-once":
        _all_breaks_at_once(rows)
    elif name != "clean":
        ELEMENT_BREAKS[name][0](rows)
    catalog = read_catalog([write(rows)]).catalog
    assert check_elements(catalog) == check_elements(catalog, reference=True)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.xlsx")), ids=lambda p: p.name)
def test_fast_path_equals_reference_on_samples(path):
    catalog = read_catalog([path]).catalog
    assert check_elements(catalog) == check_elements(catalog, reference=True)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("审批", "01"),
        ("行政许可事项", "01"),
        ("服务", "20"),
        ("公共服务类", "20"),
        ("其他类别", "10"),
        ("其他职权", "10"),
        ("其他行政职权", "10"),
    ],
)
def test_local_item_type_names_read_as_the_national_codes(rows, write, written, code):
    rows["子项"][1]["事项类型"] = written
    rows["子项"][0]["服务对象"] = "个人、企业"
    rows["子项"][2]["服务对象"] = "公民个人；社会团体"
    path = write(rows)
    leaves = list(read_catalog([path]).catalog.iter_leaves())
    assert leaves[1].item_type == code
    assert leaves[0].service_object == ["1", "2"] and leaves[2].service_object == ["1", "4"]
    found = located(findings_of(path))
    assert not {f for f in found if f[0] == "schema-enum"}
