"""Material and step lists in one cell, as people write them, and duplicate codes in flat sheets.

The bracket after a list item holds its attributes in any order and form (“1”, “1份”, “两份”,
“原件1份”; 原件及复印件; 电子或纸质; 必须 / 视情形; ，、；/ or spaces); a part naming no
attribute is a warning and keeps its text. Rows of a flat sheet that repeat an implementation
code but differ are two leaves, which the checks report, never one leaf.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from catalog_cli.model import Source, TimeLimit
from catalog_cli.read import read_catalog
from catalog_cli.read.flat import parse_materials, parse_steps
from tests.helpers import bench_workbook, validate_files

USCC = "11511301008778183N"
IMPL_A = USCC + "3340164213001"
IMPL_B = USCC + "3340164213002"
AGENCY = "江淮市市场监督管理局"
SOURCE = Source("a.xlsx", "材料", 5, {"name": "J"})


def material_values(m):
    return (m.name, m.material_type, m.material_form, m.copies, m.necessity, m.source_channel)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the bare count the bench's flat workbook writes
        ("申请书（原件，纸质，1，必要）", ("申请书", "原件", "纸质", "1", "必要", None)),
        ("申请书（1份）", ("申请书", None, None, "1份", None, None)),
        ("申请书（一份，必要）", ("申请书", None, None, "一份", "必要", None)),
        ("申请书（两份，非必要）", ("申请书", None, None, "两份", "非必要", None)),
        ("身份证（2份（复印件），必要）", ("身份证", "复印件", None, "2份", "必要", None)),
        ("身份证（原件1份，必须）", ("身份证", "原件", None, "1份", "必要", None)),
        ("身份证（复印件2份）", ("身份证", "复印件", None, "2份", None, None)),
        (
            "户口簿（原件和复印件，纸质或电子，容缺）",
            ("户口簿", "原件和复印件", "纸质或电子", None, "容缺后补", None),
        ),
        (
            "户口簿（原件及复印件，电子或纸质，视情形）",
            ("户口簿", "原件和复印件", "纸质或电子", None, "非必要", None),
        ),
        (
            "证明(原件,电子,非必需,申请人自备)",
            ("证明", "原件", "电子", None, "非必要", "申请人自备"),
        ),
        (
            "证明（必要；政府部门核发；复印件）",
            ("证明", "复印件", None, None, "必要", "政府部门核发"),
        ),
        (
            "证明（原件、纸质、1份、必要、中介机构）",
            ("证明", "原件", "纸质", "1份", "必要", "中介机构出具"),
        ),
        ("证明（原件/电子/其他）", ("证明", "原件", "电子", None, None, "其他")),
        ("证明（原件 纸质 1份 必要）", ("证明", "原件", "纸质", "1份", "必要", None)),
        ("证明（纸质;原件;非必要;1份）", ("证明", "原件", "纸质", "1份", "非必要", None)),
        ("证明（原件、复印件）", ("证明", "原件和复印件", None, None, None, None)),
        ("证明（原件/复印件，必要）", ("证明", "原件或复印件", None, None, "必要", None)),
        (
            "证明（原件1份，复印件2份）",
            ("证明", "原件和复印件", None, "原件1份、复印件2份", None, None),
        ),
        ("证明（原件和复印件各1份）", ("证明", "原件和复印件", None, "1份", None, None)),
        (
            "身份证件（原件，1份（核验后退回），必要）",
            ("身份证件", "原件", None, "1份（核验后退回）", "必要", None),
        ),
        # brackets that are part of the name
        ("营业执照（副本）", ("营业执照（副本）", None, None, None, None, None)),
        ("附件（1）", ("附件（1）", None, None, None, None, None)),
        ("申请书（2024年版）", ("申请书（2024年版）", None, None, None, None, None)),
    ],
)
def test_material_bracket_in_any_order_and_form(text, expected):
    findings = []
    (material,) = parse_materials(text, SOURCE, findings, IMPL_A)
    assert material_values(material) == expected
    assert material.note is None
    assert findings == []


def test_bare_count_list_as_the_bench_writes_it():
    materials = parse_materials(
        "1.申请书（原件，纸质，1，必要）；2.营业执照（复印件，纸质，2，非必要，政府部门核发）",
        SOURCE,
    )
    assert [(m.seq, *material_values(m)) for m in materials] == [
        (1, "申请书", "原件", "纸质", "1", "必要", None),
        (2, "营业执照", "复印件", "纸质", "2", "非必要", "政府部门核发"),
    ]


def test_unnumbered_list_keeps_semicolons_inside_brackets():
    materials = parse_materials("申请书（原件；必要）；身份证（复印件;1份）\n户口簿", SOURCE)
    assert [material_values(m) for m in materials] == [
        ("申请书", "原件", None, None, "必要", None),
        ("身份证", "复印件", None, "1份", None, None),
        ("户口簿", None, None, None, None, None),
    ]


def test_unplaceable_material_part_is_a_warning_and_stays_in_the_note():
    findings = []
    (material,) = parse_materials("1.申请书（原件，加盖公章，必要）", SOURCE, findings, IMPL_A)
    assert material_values(material) == ("申请书", "原件", None, None, "必要", None)
    assert material.note == "加盖公章"
    (finding,) = findings
    assert (finding.code, finding.severity, finding.sheet, finding.row, finding.element) == (
        "material-attribute-unknown",
        "warning",
        "材料",
        5,
        "申请材料",
    )
    assert (finding.item, finding.value, finding.column) == (IMPL_A, "加盖公章", "J")
    assert "“加盖公章”" in finding.message and "备注" in finding.message


def test_unplaceable_piece_of_a_split_part_is_kept_alone():
    findings = []
    (material,) = parse_materials("申请书（原件、盖章，必要）", SOURCE, findings)
    assert (material.material_type, material.necessity, material.note) == ("原件", "必要", "盖章")
    assert [f.value for f in findings] == ["盖章"]


def test_conflicting_attributes_are_not_guessed():
    findings = []
    (material,) = parse_materials("申请书（必要，非必要）", SOURCE, findings)
    assert (material.name, material.necessity, material.note) == ("申请书", "必要", "非必要")
    assert [f.code for f in findings] == ["material-attribute-unknown"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.受理（窗口，1个工作日）", ("受理", "窗口", TimeLimit(1, "工作日", "1个工作日"))),
        ("1.受理（1个工作日；窗口）", ("受理", "窗口", TimeLimit(1, "工作日", "1个工作日"))),
        ("1.受理(窗口 1个工作日)", ("受理", "窗口", TimeLimit(1, "工作日", "1个工作日"))),
        ("1.决定（局长、即办）", ("决定", "局长", TimeLimit(0, "即办", "即办"))),
        ("1.审查（审查岗）", ("审查", "审查岗", None)),
    ],
)
def test_step_bracket_in_any_order_and_form(text, expected):
    findings = []
    (step,) = parse_steps(text, SOURCE, findings)
    assert (step.name, step.post, step.time_limit) == expected
    assert findings == []


def test_unplaceable_step_part_is_a_warning_and_stays_in_the_name():
    findings = []
    steps = parse_steps(
        "1.受理（窗口，1个工作日）；2.审查（审查岗，3个工作日，集体研究）", SOURCE, findings, IMPL_A
    )
    assert [(s.name, s.post, s.time_limit) for s in steps] == [
        ("受理", "窗口", TimeLimit(1, "工作日", "1个工作日")),
        ("审查（集体研究）", "审查岗", TimeLimit(3, "工作日", "3个工作日")),
    ]
    (finding,) = findings
    assert (finding.code, finding.severity, finding.element, finding.value) == (
        "step-attribute-unknown",
        "warning",
        "办理流程",
        "集体研究",
    )
    assert "环节名称" in finding.message


# --- flat sheets ----------------------------------------------------------------------------

HEADER = ["实施编码", "事项名称", "实施主体", "申请材料", "办理流程", "情形名称", "情形材料"]


def write_flat(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事项"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_bracket_findings_name_sheet_row_column_and_item(tmp_path):
    path = write_flat(
        tmp_path / "a.xlsx",
        [
            [IMPL_A, "甲", AGENCY, "1.申请书（原件，1，必要）", "受理", None, None],
            [IMPL_B, "乙", AGENCY, "1.申请书（原件，盖章）", "受理", None, None],
        ],
    )
    result = read_catalog([path])
    leaves = {leaf.impl_code: leaf for leaf in result.catalog.iter_leaves()}
    assert material_values(leaves[IMPL_A].materials[0]) == (
        "申请书",
        "原件",
        None,
        "1",
        "必要",
        None,
    )
    assert leaves[IMPL_B].materials[0].note == "盖章"
    found = [f for f in result.findings if f.code == "material-attribute-unknown"]
    assert [(f.sheet, f.row, f.column, f.item, f.value) for f in found] == [
        ("事项", 3, "D", IMPL_B, "盖章")
    ]


def test_duplicate_code_rows_are_two_leaves_reported_with_both_rows(tmp_path):
    path = write_flat(
        tmp_path / "dup.xlsx",
        [
            [
                IMPL_A,
                "甲",
                AGENCY,
                "1.申请书（原件，必要）",
                "受理",
                "本人办理",
                None,
            ],
            [IMPL_A, "甲", AGENCY, None, None, "委托办理", None],
            [IMPL_A, "乙", AGENCY, "1.证明（原件，必要）", "受理", None, None],
            [IMPL_B, "丙", AGENCY, "1.证明（原件，必要）", "受理", None, None],
            [IMPL_B, "丙", AGENCY, "1.证明（原件，必要）", "受理", None, None],
        ],
    )
    result = validate_files([path])
    leaves = list(read_catalog([path]).catalog.iter_leaves())
    assert [(leaf.impl_code, leaf.name, len(leaf.situations)) for leaf in leaves] == [
        (IMPL_A, "甲", 2),
        (IMPL_A, "乙", 0),
        (IMPL_B, "丙", 0),
        (IMPL_B, "丙", 0),
    ]
    duplicates = [f for f in result.findings if f.code == "duplicate-impl-code"]
    assert [(f.severity, f.row, f.item) for f in duplicates] == [
        ("error", 4, IMPL_A),
        ("error", 6, IMPL_B),
    ]
    assert "第2行" in duplicates[0].message and "第5行" in duplicates[1].message


def test_a_second_leaf_under_a_repeated_code_keeps_its_own_situations(tmp_path):
    path = write_flat(
        tmp_path / "dup.xlsx",
        [
            [IMPL_A, "甲", AGENCY, "1.申请书", "受理", "本人办理", None],
            [IMPL_A, "乙", AGENCY, "1.申请书", "受理", "本人办理", None],
            [IMPL_A, "乙", AGENCY, "1.申请书", "受理", "委托办理", None],
        ],
    )
    leaves = list(read_catalog([path]).catalog.iter_leaves())
    assert [(leaf.name, [s.name for s in leaf.situations]) for leaf in leaves] == [
        ("甲", ["本人办理"]),
        ("乙", ["本人办理", "委托办理"]),
    ]


# --- the bench's flat workbook --------------------------------------------------------------

BENCH_FLAT = "flat-n20000-s20240101-g3.xlsx"


def bench_flat_workbook() -> Path:
    """The bench's flat rendering of the 20k-leaf catalog (skipped when it is not built)."""
    return bench_workbook(BENCH_FLAT)


def test_bench_flat_workbook_reads_like_the_standard_workbook_of_its_catalog():
    """The flat rendering of the bench catalog (bare counts “（原件，纸质，1，必要）”, deliberately
    repeated implementation codes) gives the standard workbook's leaves and findings.

    The one difference is on the repeated codes: the standard workbook's 申请材料 / 办理流程 /
    办理情形 / 收费 rows name their leaf by 实施编码, so the second leaf's rows join the first
    (duplicate-seq, duplicate-situation, fee-rows-not-charged there, schema-required for the
    second's empty lists); the flat sheet keeps each leaf's own lists on its row.
    """
    flat = validate_files([bench_flat_workbook()])
    standard = validate_files([bench_workbook()])
    assert (flat.leaves, flat.main_items) == (standard.leaves, standard.main_items)
    repeated = {f.item for f in standard.findings if f.code == "duplicate-impl-code"}
    assert repeated

    def by_code(result, on_repeated):
        return Counter(f.code for f in result.findings if (f.item in repeated) == on_repeated)

    assert by_code(flat, False) == by_code(standard, False)
    assert "material-attribute-unknown" not in flat.by_code
    code_rules = {"duplicate-impl-code", "impl-code-missing-basic", "impl-code-missing-uscc"}
    assert set(by_code(flat, True)) <= code_rules
    assert by_code(flat, True) == Counter(
        {k: n for k, n in by_code(standard, True).items() if k in code_rules}
    )
    duplicates = [f for f in flat.findings if f.code == "duplicate-impl-code"]
    assert len(duplicates) == len(repeated)
    assert all(f.row and "行）相同" in f.message for f in duplicates)
