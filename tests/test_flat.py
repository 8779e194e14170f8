"""catalog_cli.read.flat: messy flat sheets read through read_catalog, plus the list and bracket
parsers.

The sheets have titles, merged cells, lists in one cell, situation rows, notes and traditional
characters.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from catalog_cli.model import Source, TimeLimit
from catalog_cli.read import read_catalog
from catalog_cli.read.flat import parse_materials, parse_steps, split_numbered

USCC = "11511301008778183N"
IMPL_NEW = USCC + "3340164213001"
IMPL_CHANGE = USCC + "3340164213002"
MAIN_CODE = "34016421300Y"
POLICE = "115113010833722043"


def write_messy(path: Path) -> Path:
    """A department's flat sheet as published: title, merged two-row header, merged main-item cells,
    whole material and step lists in one cell, one row per situation, a note row, traditional
    characters, full-width digits in a code, and a column the schema does not know (联系人)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "市场监管局"
    ws["A1"] = "江淮縣政務服務事項實施清單（2024年版）"
    ws.merge_cells("A1:N1")
    header = [
        "主项名称",
        "主项编码",
        "事项名称",
        "实施编码",
        "基本编码",
        "实施主体",
        "实施主体编码",
        "办理时限",
        None,
        "申请材料",
        "办理流程",
        "情形名称",
        "情形材料",
        "联系人",
    ]
    for c, h in enumerate(header, start=1):
        if h:
            ws.cell(2, c, h)
    ws.merge_cells("H2:I2")
    ws.cell(3, 8, "法定")
    ws.cell(3, 9, "承诺")
    for col in "ABCDEFGJKLMN":
        ws.merge_cells(f"{col}2:{col}3")
    rows = [
        [
            "食品经营许可",
            MAIN_CODE,
            "食品经营许可（新办）",
            IMPL_NEW,
            "340164213001",
            "江淮市市场监督管理局",
            USCC,
            "20个工作日",
            "5个工作日",
            "1.食品经营许可申请书（原件，纸质，1份，必要）；2.营业执照（副本）复印件；3.授權委託書",
            "1、受理（窗口工作人员，1个工作日）\n2、审查（审查人员，3个工作日）\n3、决定",
            "本人办理",
            "食品经营许可申请书；营业执照（副本）复印件",
            "张三",
        ],
        [
            None,
            None,
            "食品经营许可（新办）",
            IMPL_NEW,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "委托代理人办理",
            "食品经营许可申请书；授權委託書",
            None,
        ],
        [
            None,
            None,
            "食品经营许可（变更）",
            IMPL_CHANGE,
            "３４０１６４２１３００２",
            "江淮市市场监督管理局",
            USCC,
            "20个工作日",
            "即辦",
            "①申请书②营业执照",
            "受理；决定",
            None,
            None,
            None,
        ],
        ["注：本清单由县政务服务管理局汇总。"],
    ]
    for r, row in enumerate(rows, start=4):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(r, c, v)
    ws.merge_cells("A4:A6")
    ws.merge_cells("B4:B6")
    ws.merge_cells("A7:N7")
    for col in "EFGHIJK":
        ws.merge_cells(f"{col}4:{col}5")
    wb.save(path)
    return path


@pytest.fixture
def messy(tmp_path):
    path = write_messy(tmp_path / "江淮县.xlsx")
    return path, read_catalog([path])


def copies(value: str | None) -> str | None:
    """份数 as a bare number: "1份" and "1" both mean one copy."""
    return value[:-1].strip() if value and value.endswith("份") else value


def leaves_by_code(catalog):
    return {leaf.impl_code: leaf for leaf in catalog.iter_leaves()}


# --- split_numbered --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1.甲；2.乙", ["甲", "乙"]),
        ("1、甲\n2、乙", ["甲", "乙"]),
        ("1．甲；2．乙；3．丙。", ["甲", "乙", "丙"]),
        ("(1)甲;(2)乙", ["甲", "乙"]),
        ("（1）甲；（2）乙", ["甲", "乙"]),
        ("①甲②乙", ["甲", "乙"]),
        ("①甲；②乙；③丙", ["甲", "乙", "丙"]),
        ("一、甲；二、乙", ["甲", "乙"]),
        ("一、甲\n二、乙", ["甲", "乙"]),
        ("甲；乙", ["甲", "乙"]),
        ("甲;乙", ["甲", "乙"]),
        ("甲\n乙\n", ["甲", "乙"]),
        ("甲", ["甲"]),
        ("10.甲；11.乙", ["甲", "乙"]),
        ("1.2023年度报告；2.乙", ["2023年度报告", "乙"]),
        ("营业执照（副本）复印件", ["营业执照（副本）复印件"]),
        ("申请书（2024年版）；营业执照", ["申请书（2024年版）", "营业执照"]),
        ("1.身份证原件；2.户口簿复印件1份；", ["身份证原件", "户口簿复印件1份"]),
    ],
)
def test_split_numbered(text, items):
    assert split_numbered(text) == items


def test_split_numbered_bracketed_numbers_without_separators():
    assert split_numbered("（1）甲（2）乙") == ["甲", "乙"]


@pytest.mark.parametrize("text", ["一、甲 二、乙", "1.甲 2.乙"])
def test_split_numbered_space_separated_items(text):
    assert split_numbered(text) == ["甲", "乙"]


# --- brackets: material and step attributes -------------------------------------------------


def test_material_bracket_attributes():
    source = Source("a.xlsx", "S", 4, {})
    materials = parse_materials(
        "1.申请书（原件，纸质，1份，必要）；2.营业执照（副本）；3.身份证（复印件，2份，非必要）；4.证明（政府部门核发）；5.表（原件或复印件，电子，容缺后补）",
        source,
    )
    got = [
        (
            m.seq,
            m.name,
            m.material_type,
            m.material_form,
            copies(m.copies),
            m.necessity,
            m.source_channel,
        )
        for m in materials
    ]
    assert got == [
        (1, "申请书", "原件", "纸质", "1", "必要", None),
        (2, "营业执照（副本）", None, None, None, None, None),
        (3, "身份证", "复印件", None, "2", "非必要", None),
        (4, "证明", None, None, None, None, "政府部门核发"),
        (5, "表", "原件或复印件", "电子", None, "容缺后补", None),
    ]
    assert all(m.source is source for m in materials)


def test_bracket_that_is_part_of_the_name_is_kept():
    (material,) = parse_materials("申请书（2024年版）", Source("a.xlsx"))
    assert material.name == "申请书（2024年版）"
    assert material.material_type is None


def test_step_bracket_gives_post_and_time_limit():
    steps = parse_steps(
        "1.受理（窗口工作人员，1个工作日）；2.审查（3个工作日）；3.决定（局长）；4.送达",
        Source("a.xlsx"),
    )
    assert [(s.seq, s.name, s.post, s.time_limit) for s in steps] == [
        (1, "受理", "窗口工作人员", TimeLimit(1, "工作日", "1个工作日")),
        (2, "审查", None, TimeLimit(3, "工作日", "3个工作日")),
        (3, "决定", "局长", None),
        (4, "送达", None, None),
    ]


def test_step_bracket_instant_time_limit_is_not_a_post():
    (step,) = parse_steps("送达（即办）", Source("a.xlsx"))
    assert (step.name, step.post, step.time_limit) == ("送达", None, TimeLimit(0, "即办", "即办"))


# --- the messy workbook through read_catalog -------------------------------------------------


def test_messy_sheet_gives_one_main_item_with_two_leaves(messy):
    _, result = messy
    catalog = result.catalog
    assert [(m.basic_code, m.name, m.department) for m in catalog.main_items] == [
        (MAIN_CODE, "食品经营许可", "江淮市市场监督管理局")
    ]
    (main,) = catalog.main_items
    assert [leaf.impl_code for leaf in main.leaves] == [IMPL_NEW, IMPL_CHANGE]
    assert all(leaf.main_code == MAIN_CODE for leaf in main.leaves)
    assert not catalog.orphans.leaves
    assert result.errors == []


def test_merged_cells_fill_every_row_of_a_leaf(messy):
    _, result = messy
    change = leaves_by_code(result.catalog)[IMPL_CHANGE]
    assert change.agency == "江淮市市场监督管理局"
    assert change.agency_code == USCC
    new = leaves_by_code(result.catalog)[IMPL_NEW]
    assert (new.basic_code, new.legal_limit, new.promised_limit) == (
        "340164213001",
        TimeLimit(20, "工作日", "20个工作日"),
        TimeLimit(5, "工作日", "5个工作日"),
    )
    assert result.changes.by_file()[str(messy[0])]["merged_cell"] > 0


def test_materials_and_steps_in_one_cell_become_numbered_records(messy):
    _, result = messy
    new = leaves_by_code(result.catalog)[IMPL_NEW]
    assert [
        (m.seq, m.name, m.material_type, m.material_form, copies(m.copies), m.necessity)
        for m in new.materials
    ] == [
        (1, "食品经营许可申请书", "原件", "纸质", "1", "必要"),
        (2, "营业执照（副本）复印件", None, None, None, None),
        (3, "授权委托书", None, None, None, None),
    ]
    assert [(s.seq, s.name, s.post, s.time_limit) for s in new.steps] == [
        (1, "受理", "窗口工作人员", TimeLimit(1, "工作日", "1个工作日")),
        (2, "审查", "审查人员", TimeLimit(3, "工作日", "3个工作日")),
        (3, "决定", None, None),
    ]
    change = leaves_by_code(result.catalog)[IMPL_CHANGE]
    assert [(m.seq, m.name) for m in change.materials] == [(1, "申请书"), (2, "营业执照")]
    assert [(s.seq, s.name) for s in change.steps] == [(1, "受理"), (2, "决定")]
    assert result.changes.by_kind()["list_split"] > 0


def test_one_row_per_situation_groups_into_one_leaf(messy):
    _, result = messy
    new = leaves_by_code(result.catalog)[IMPL_NEW]
    assert [(s.name, s.materials, s.source.row) for s in new.situations] == [
        ("本人办理", ["食品经营许可申请书", "营业执照（副本）复印件"], 4),
        ("委托代理人办理", ["食品经营许可申请书", "授权委托书"], 5),
    ]
    assert new.situations[1].source.columns == {"name": "L", "materials": "M"}
    assert leaves_by_code(result.catalog)[IMPL_CHANGE].situations == []
    assert result.catalog.count_leaves() == 2


def test_traditional_characters_become_simplified_and_are_counted(messy):
    path, result = messy
    new = leaves_by_code(result.catalog)[IMPL_NEW]
    assert new.materials[2].name == "授权委托书"
    assert new.situations[1].materials[1] == "授权委托书"
    assert leaves_by_code(result.catalog)[IMPL_CHANGE].promised_limit == TimeLimit(
        0, "即办", "即办"
    )
    assert result.changes.by_file()[str(path)]["traditional"] >= 3


def test_each_changed_cell_is_counted_once(messy):
    path, result = messy
    # 繁体 in J4 (授權委託書, merged over J4:J5), M5 (授權委託書) and I6 (即辦): three cells
    assert result.changes.by_file()[str(path)]["traditional"] == 3


def test_full_width_digits_in_codes_become_half_width(messy):
    path, result = messy
    assert leaves_by_code(result.catalog)[IMPL_CHANGE].basic_code == "340164213002"
    assert result.changes.by_file()[str(path)]["fullwidth"] == 1


def test_title_and_note_rows_are_skipped(messy):
    _, result = messy
    names = {leaf.name for leaf in result.catalog.iter_leaves()}
    assert names == {"食品经营许可（新办）", "食品经营许可（变更）"}
    assert not any("注" in (m.name or "") for m in result.catalog.main_items)


def test_unknown_column_is_kept_as_extra_with_an_info_finding(messy):
    path, result = messy
    new = leaves_by_code(result.catalog)[IMPL_NEW]
    assert new.extra == {"联系人": "张三"}
    assert leaves_by_code(result.catalog)[IMPL_CHANGE].extra == {}
    (finding,) = [f for f in result.findings if f.code == "unknown-column"]
    assert (finding.severity, finding.file, finding.sheet, finding.element) == (
        "info",
        str(path),
        "市场监管局",
        "联系人",
    )
    assert finding.row in (2, 3)


def test_provenance_points_at_the_original_cells(messy):
    path, result = messy
    new = leaves_by_code(result.catalog)[IMPL_NEW]
    change = leaves_by_code(result.catalog)[IMPL_CHANGE]
    assert (new.source.file, new.source.sheet, new.source.row) == (str(path), "市场监管局", 4)
    assert change.source.row == 6
    cols = new.source.columns
    assert (
        cols["name"],
        cols["impl_code"],
        cols["basic_code"],
        cols["agency"],
        cols["legal_limit"],
        cols["promised_limit"],
    ) == ("C", "D", "E", "F", "H", "I")
    assert new.materials[0].source.row == 4 and new.materials[0].source.columns["name"] == "J"
    assert change.steps[1].source.row == 6 and change.steps[1].source.columns["name"] == "K"
    (main,) = result.catalog.main_items
    assert (main.source.file, main.source.sheet, main.source.row) == (str(path), "市场监管局", 4)


def test_main_item_provenance_points_at_the_main_item_columns(messy):
    _, result = messy
    (main,) = result.catalog.main_items
    assert main.source.columns.get("basic_code") == "B"
    assert main.source.columns.get("name") == "A"


# --- sheets without main-item columns, many sheets, numbers as codes, repeated headers ---------

SIMPLE_HEADER = ["事项名称", "实施编码", "基本编码", "实施主体", "法定办结时限", "承诺办结时限"]


def _departments(path: Path) -> Path:
    wb = openpyxl.Workbook()
    police = wb.active
    police.title = "公安局"
    police.append(SIMPLE_HEADER)
    police.append(
        [
            "居民身份证换领",
            POLICE + "3340720015000",
            340720015000,
            "江淮市公安局",
            "20个工作日",
            "5个工作日",
        ]
    )
    police.append(SIMPLE_HEADER)  # the header repeated (as printed page by page)
    police.append(
        [
            "户口迁移",
            POLICE + "3340720016000",
            "340720016000",
            "江淮市公安局",
            "30个工作日",
            "10个工作日",
        ]
    )
    transport = wb.create_sheet("交通局")
    transport.append(["江淮县交通运输局事项清单"])
    transport.merge_cells("A1:F1")
    transport.append(SIMPLE_HEADER)
    transport.append(
        [
            "道路运输经营许可",
            USCC + "3340720017000",
            "340720017000",
            "江淮市交通运输局",
            "20个工作日",
            "即办",
        ]
    )
    notes = wb.create_sheet("填表说明")
    notes.append(["本文件由各部门填报"])
    notes.append(["实施编码为31位"])
    wb.save(path)
    return path


def test_sheet_without_main_item_columns_makes_each_leaf_its_own_main_item(tmp_path):
    result = read_catalog([_departments(tmp_path / "部门.xlsx")])
    got = [
        (m.basic_code, m.name, m.department, [leaf.impl_code for leaf in m.leaves])
        for m in result.catalog.main_items
    ]
    assert got == [
        ("340720015000", "居民身份证换领", "江淮市公安局", [POLICE + "3340720015000"]),
        ("340720016000", "户口迁移", "江淮市公安局", [POLICE + "3340720016000"]),
        ("340720017000", "道路运输经营许可", "江淮市交通运输局", [USCC + "3340720017000"]),
    ]
    assert all(leaf.main_code == leaf.basic_code for leaf in result.catalog.iter_leaves())


def test_department_sheets_merge_and_a_sheet_without_header_is_skipped(tmp_path):
    path = _departments(tmp_path / "部门.xlsx")
    result = read_catalog([path])
    assert [layout.sheet for layout in result.layouts] == ["公安局", "交通局"]
    assert result.catalog.count_leaves() == 3
    by_code = leaves_by_code(result.catalog)
    assert by_code[USCC + "3340720017000"].source.sheet == "交通局"
    assert by_code[USCC + "3340720017000"].source.row == 3
    skipped = [f for f in result.findings if f.code == "sheet-skipped"]
    assert [(f.severity, f.file, f.sheet) for f in skipped] == [("info", str(path), "填表说明")]
    assert result.errors == []


def test_repeated_header_rows_are_skipped(tmp_path):
    result = read_catalog([_departments(tmp_path / "部门.xlsx")])
    assert "事项名称" not in {leaf.name for leaf in result.catalog.iter_leaves()}
    assert leaves_by_code(result.catalog)[POLICE + "3340720016000"].source.row == 4


def test_code_stored_as_number_is_a_finding_at_its_row(tmp_path):
    path = _departments(tmp_path / "部门.xlsx")
    result = read_catalog([path])
    (finding,) = [f for f in result.findings if f.code == "code-stored-as-number"]
    assert (finding.severity, finding.file, finding.sheet, finding.row, finding.element) == (
        "error",
        str(path),
        "公安局",
        2,
        "基本编码",
    )
    assert finding.column == "C"
    assert finding.value == "340720015000"


def test_sheet_with_no_header_at_all_is_an_error_naming_file_and_sheet(tmp_path):
    path = tmp_path / "说明.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本文件没有表头"])
    wb.save(path)
    result = read_catalog([path], strict=False)
    (error,) = result.errors
    assert str(path) in error.line() and "说明" in error.line() and "表头" in error.line()


# --- CSV and xls flat inputs -----------------------------------------------------------------


def test_flat_gbk_csv_with_lists_and_situations(tmp_path):
    path = tmp_path / "公安局.csv"
    text = (
        "江淮县公安局事项清单,,,,,,\n"
        "事项名称,实施编码,实施主体,申请材料,办理流程,情形名称,承诺办结时限\n"
        f'居民身份证换领,{POLICE}3340720015000,江淮市公安局,"1.居民户口簿；2.照片（原件，1份）","受理\n审核\n发证",本人办理,20个工作日\n'
        f'居民身份证换领,{POLICE}3340720015000,江淮市公安局,"1.居民户口簿；2.照片（原件，1份）","受理\n审核\n发证",监护人代办,20个工作日\n'
        "注：以上事项均可网上预约,,,,,,\n"
    )
    path.write_bytes(text.encode("gbk"))
    result = read_catalog([path])
    (leaf,) = result.catalog.iter_leaves()
    assert leaf.name == "居民身份证换领"
    assert [(m.seq, m.name, m.material_type, copies(m.copies)) for m in leaf.materials] == [
        (1, "居民户口簿", None, None),
        (2, "照片", "原件", "1"),
    ]
    assert [s.name for s in leaf.steps] == ["受理", "审核", "发证"]
    assert [(s.name, s.source.row) for s in leaf.situations] == [("本人办理", 3), ("监护人代办", 4)]
    assert (leaf.source.file, leaf.source.sheet, leaf.source.row) == (str(path), "公安局", 3)
    assert leaf.promised_limit == TimeLimit(20, "工作日", "20个工作日")


def test_flat_xls_with_title_and_merged_main_item(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("市场监管局")
    ws.write_merge(0, 0, 0, 4, "江淮县政务服务事项清单")
    for c, h in enumerate(["主项名称", "主项编码", "事项名称", "实施编码", "实施主体"]):
        ws.write(1, c, h)
    ws.write_merge(2, 3, 0, 0, "食品经营许可")
    ws.write_merge(2, 3, 1, 1, MAIN_CODE)
    for r, (name, code) in enumerate(
        [("食品经营许可（新办）", IMPL_NEW), ("食品经营许可（變更）", IMPL_CHANGE)], start=2
    ):
        ws.write(r, 2, name)
        ws.write(r, 3, code)
        ws.write(r, 4, "江淮市市场监督管理局")
    path = tmp_path / "目录.xls"
    wb.save(str(path))
    result = read_catalog([path])
    (main,) = result.catalog.main_items
    assert (main.basic_code, main.name) == (MAIN_CODE, "食品经营许可")
    assert [(leaf.name, leaf.source.row) for leaf in main.leaves] == [
        ("食品经营许可（新办）", 3),
        ("食品经营许可（变更）", 4),
    ]
    assert result.changes.by_file()[str(path)]["traditional"] == 1


def test_is_data_row_agrees_with_the_note_row_rule():
    import random

    from catalog_cli.model.values import cell_text
    from catalog_cli.read.flat import is_data_row, is_note_row

    rng = random.Random(3)
    cells = ["", "a", "b", "注：x", "说明:y", "注意", "名称", "编码", None, 1.0, " a ", "·"]
    for names in (["名称", "编码", ""], ["", "编码", "名称"]):
        for _ in range(5000):
            row = [rng.choice(cells) for _ in range(rng.randint(0, 4))]
            texts = [cell_text(c) or "" for c in row]
            assert is_data_row(row, names) == (
                not (is_note_row(texts) or texts[: len(names)] == names)
            ), (row, names)


def test_every_flat_leaf_column_is_an_element_field_of_the_leaf():
    from catalog_cli.read.flat import _LEAF_VALUE_FIELDS, LIST_KEYS
    from catalog_cli.schema import flat_lookup

    keys = {k for k in flat_lookup().values() if "." not in k}
    # a column outside them would be dropped
    assert keys - set(LIST_KEYS) <= set(_LEAF_VALUE_FIELDS)


def _split_by_definition(text: str) -> list[str]:
    """split_numbered as first written: one regex with anchors and a lookbehind.

    Slow, but plain to read.
    """
    import re

    start = re.compile(
        r"[①-⑳]|[（(]\d{1,3}[)）]|^\s*\d{1,3}\s*[.．、）)]"
        r"|(?<=[\s；;。，,])(?:\d{1,3}\s*(?:[.．](?!\d)|[、）)])|[一二三四五六七八九十]{1,3}、)"
        r"|^\s*[一二三四五六七八九十]{1,3}、"
    )
    trailing = "；;。，,、 \n"
    starts = [m.start() for m in start.finditer(text)]
    if starts and starts[0] <= 1:
        pieces = [
            start.sub("", text[a:b], count=1)
            for a, b in zip(starts, [*starts[1:], len(text)], strict=True)
        ]
    else:  # on line breaks, and on ；; outside brackets
        pieces, depth, current = [], 0, ""
        for ch in text:
            depth = depth + 1 if ch in "（(" else max(depth - 1, 0) if ch in "）)" else depth
            if ch == "\n" or (ch in "；;" and not depth):
                pieces.append(current)
                current = ""
            else:
                current += ch
        pieces.append(current)
    return [p.strip().strip(trailing).strip() for p in pieces if p.strip().strip(trailing).strip()]


def test_split_numbered_agrees_with_its_definition():
    import random

    rng = random.Random(5)
    alphabet = [*"12 3.．、）)（(①②⑳一二十；;。，,\n\tab材料", "１", "٣", "\u3000"]
    for _ in range(30000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert split_numbered(text) == _split_by_definition(text), text
