"""catalog_cli/read/workbook.py through catalog_cli.read.read_catalog, on workbooks written by
openpyxl.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import (
    IMPL_1,
    IMPL_2,
    IMPL_3,
    MAIN_ONE,
    MAIN_SUBS,
    SUB_1,
    SUB_2,
    USCC_A,
    excel_row,
    write_rows,
)

from catalog_cli.model import TimeLimit
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog


def codes(findings):
    return [f.code for f in findings]


def rename(records, old, new):
    """Rename a header (dict key) in every row, keeping the column order."""
    return [{(new if k == old else k): v for k, v in row.items()} for row in records]


def add_title_rows(path: Path, title: str | None) -> None:
    """Insert a row above the header of every non-empty sheet (a title, or a blank row)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.max_row >= 2:
            ws.insert_rows(1)
            if title:
                ws["A1"] = title
    wb.save(path)


# --- the base catalog ----------------------------------------------------------------------------


def test_base_catalog_tree(rows, write):
    result = read_catalog([write(rows)])
    catalog = result.catalog
    assert result.findings == []
    assert [m.basic_code for m in catalog.main_items] == [MAIN_SUBS, MAIN_ONE]
    assert [[leaf.impl_code for leaf in m.leaves] for m in catalog.main_items] == [
        [IMPL_1, IMPL_2],
        [IMPL_3],
    ]
    assert catalog.count_leaves() == 3
    assert not catalog.orphans
    assert catalog.bundles == []
    first, second, third = catalog.iter_leaves()
    assert [s.name for s in first.situations] == ["本人办理", "委托代理人办理"]
    assert first.situations[1].materials == ["申请书", "身份证明", "授权委托书"]
    assert first.situations[1].description == "代理人持委托书"
    assert second.situations == [] and third.situations == []
    for leaf in (first, second, third):
        assert [m.name for m in leaf.materials] == ["申请书", "身份证明", "授权委托书"]
        assert [m.seq for m in leaf.materials] == [1, 2, 3]
        assert [s.name for s in leaf.steps] == ["受理", "审查", "决定"]
        assert leaf.steps[1].time_limit == TimeLimit(3, "工作日", "3个工作日")
        assert leaf.fees == []


def test_base_catalog_values_are_normalized(rows, write):
    catalog = read_catalog([write(rows)]).catalog
    main_subs, main_one = catalog.main_items
    assert main_subs.item_type == "01" and main_one.item_type == "07"
    assert main_subs.exercise_level == ["3", "4"] and main_one.exercise_level == ["3"]
    assert main_one.department == "江淮市公安局"
    leaf = main_subs.leaves[0]
    assert (leaf.basic_code, leaf.main_code, leaf.agency_code) == (SUB_1, MAIN_SUBS, USCC_A)
    assert main_subs.leaves[1].basic_code == SUB_2
    assert leaf.item_type == "01"
    assert leaf.power_source == "1"
    assert leaf.agency_nature == "1"
    assert leaf.service_object == ["1", "2"]
    assert leaf.case_type == "2"
    assert leaf.handling_form == ["1", "2"]
    assert leaf.legal_limit == TimeLimit(20, "工作日", "20个工作日")
    assert leaf.promised_limit == TimeLimit(5, "工作日", "5个工作日")
    assert leaf.visits == 1
    assert leaf.fee_charged is False
    assert leaf.online is True
    assert leaf.online_depth == "3"
    assert leaf.result_type == "批文"
    assert leaf.handling_code is None and leaf.fee_standard is None
    assert leaf.office_hours == "工作日 9:00-17:00"
    assert leaf.extra == {}
    material = leaf.materials[2]
    assert (
        material.material_type,
        material.material_form,
        material.copies,
        material.necessity,
        material.source_channel,
    ) == ("原件", "纸质", "1", "非必要", "申请人自备")


def test_sources_name_file_sheet_row_and_columns(rows, write):
    path = write(rows)
    catalog = read_catalog([path]).catalog
    main_subs, main_one = catalog.main_items
    assert (main_subs.source.file, main_subs.source.sheet, main_subs.source.row) == (
        str(path),
        "主项",
        2,
    )
    assert main_one.source.row == 3
    assert main_one.source.columns["name"] == "B"
    leaves = list(catalog.iter_leaves())
    assert [(leaf.source.sheet, leaf.source.row) for leaf in leaves] == [
        ("子项", 2),
        ("子项", 3),
        ("子项", 4),
    ]
    assert all(leaf.source.file == str(path) for leaf in leaves)
    columns = leaves[0].source.columns
    assert (
        columns["impl_code"],
        columns["agency"],
        columns["legal_limit"],
        columns["online_url"],
    ) == ("A", "J", "S", "AM")
    # the third 申请材料 data row (the first leaf's 授权委托书) is Excel row 4
    third = leaves[0].materials[2]
    assert (
        (third.source.sheet, third.source.row)
        == ("申请材料", 4)
        == ("申请材料", excel_row("申请材料", 2))
    )
    assert third.source.columns["name"] == "C"
    assert third.source.columns["necessity"] == "G"
    assert [m.source.row for m in leaves[2].materials] == [8, 9, 10]
    assert [s.source.row for s in leaves[1].steps] == [5, 6, 7]
    assert leaves[1].steps[0].source.sheet == "办理流程"
    assert leaves[1].steps[0].source.columns["time_limit"] == "G"
    assert [(s.source.sheet, s.source.row) for s in leaves[0].situations] == [
        ("办理情形", 2),
        ("办理情形", 3),
    ]


# --- headers -----------------------------------------------------------------------------------


def test_header_aliases(rows, write):
    expected = read_catalog([write(rows, name="标准.xlsx")]).catalog
    rows["子项"] = rename(rows["子项"], "实施主体", "实施机关")
    rows["子项"] = rename(rows["子项"], "法定办结时限", "法定时限")
    rows["子项"] = rename(rows["子项"], "受理条件", "申请条件")
    rows["子项"] = rename(rows["子项"], "到办事现场次数", "跑动次数")
    rows["子项"] = rename(rows["子项"], "服务对象", "实施对象")
    rows["主项"] = rename(rows["主项"], "事项名称", "事项名称（主项）")
    rows["主项"] = rename(rows["主项"], "设定依据", "法律依据")
    rows["申请材料"] = rename(rows["申请材料"], "材料名称", "申请材料名称")
    rows["办理流程"] = rename(rows["办理流程"], "办理岗位", "办理人员/岗位")
    result = read_catalog([write(rows, name="别名.xlsx")])
    assert result.findings == []
    assert result.catalog == expected
    leaf = result.catalog.main_items[0].leaves[0]
    assert leaf.agency == "江淮市市场监督管理局"
    assert leaf.legal_limit == TimeLimit(20, "工作日", "20个工作日")
    assert leaf.visits == 1
    assert leaf.materials[0].name == "申请书"
    assert leaf.steps[0].post == "窗口工作人员"


def test_header_aliases_via_headers_argument(rows, write):
    header = list(rows["子项"][0])
    aliased = [
        "实施部门"
        if h == "实施主体"
        else "法定期限"
        if h == "法定办结时限"
        else "承诺时限"
        if h == "承诺办结时限"
        else h
        for h in header
    ]
    path = write(rows)
    wb = openpyxl.load_workbook(path)
    for col, text in enumerate(aliased, start=1):
        wb["子项"].cell(row=1, column=col, value=text)
    wb.save(path)
    result = read_catalog([path])
    assert result.findings == []
    leaf = result.catalog.main_items[1].leaves[0]
    assert leaf.agency == "江淮市公安局"
    assert leaf.promised_limit == TimeLimit(5, "工作日", "5个工作日")


def test_header_whitespace_is_ignored(rows, write):
    rows["子项"] = rename(rows["子项"], "实施主体", " 实施 主体 ")
    rows["子项"] = rename(rows["子项"], "办件类型", "办件\n类型")
    result = read_catalog([write(rows)])
    assert result.findings == []
    leaf = result.catalog.main_items[0].leaves[0]
    assert (leaf.agency, leaf.case_type) == ("江淮市市场监督管理局", "2")


@pytest.mark.parametrize(
    "title", ["江淮市政务服务事项实施清单", None], ids=["title-row", "blank-row"]
)
def test_header_below_a_title_row(rows, write, title):
    path = write(rows)
    add_title_rows(path, title)
    result = read_catalog([path])
    assert result.findings == []
    catalog = result.catalog
    assert catalog.count_leaves() == 3
    assert [m.source.row for m in catalog.main_items] == [3, 4]
    leaves = list(catalog.iter_leaves())
    assert [leaf.source.row for leaf in leaves] == [3, 4, 5]
    assert leaves[0].materials[2].source.row == 5
    assert leaves[0].source.columns["agency"] == "J"
    assert leaves[0].agency == "江淮市市场监督管理局"


def test_table_not_starting_at_a1(rows, write):
    path = write(rows)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.max_row >= 2:
            ws.insert_cols(1)
    wb.save(path)
    result = read_catalog([path])
    assert result.findings == []
    leaf = result.catalog.main_items[0].leaves[0]
    assert leaf.source.columns["impl_code"] == "B"
    assert leaf.source.columns["agency"] == "K"
    assert leaf.impl_code == IMPL_1


def test_unknown_column_kept_in_extra(rows, write):
    for row in rows["子项"]:
        row["通办范围"] = "全市"
    rows["子项"][1]["通办范围"] = None
    rows["申请材料"][0]["电子证照"] = "身份证电子证照"
    path = write(rows)
    result = read_catalog([path])
    found = sorted(
        (f.code, f.severity, f.sheet, f.row, f.element, f.value) for f in result.findings
    )
    assert found == [
        ("unknown-column", "info", "子项", 1, "通办范围", "通办范围"),
        ("unknown-column", "info", "申请材料", 1, "电子证照", "电子证照"),
    ]
    assert all(f.file == str(path) for f in result.findings)
    leaves = list(result.catalog.iter_leaves())
    assert [leaf.extra for leaf in leaves] == [{"通办范围": "全市"}, {}, {"通办范围": "全市"}]
    assert leaves[0].materials[0].extra == {"电子证照": "身份证电子证照"}
    assert leaves[0].materials[1].extra == {}


def test_duplicate_column_kept_in_extra(rows, write):
    header = [*rows["子项"][0], "实施机关"]
    for row in rows["子项"]:
        row["实施机关"] = "别的机关"
    result = read_catalog([write(rows, headers={"子项": header})])
    assert [(f.code, f.severity, f.sheet, f.element) for f in result.findings] == [
        ("duplicate-column", "warning", "子项", "实施机关")
    ]
    leaf = result.catalog.main_items[0].leaves[0]
    assert leaf.agency == "江淮市市场监督管理局"
    assert leaf.extra == {"实施机关": "别的机关"}


# --- findings ----------------------------------------------------------------------------------


def test_code_stored_as_number(rows, write):
    rows["主项"][1]["基本编码"] = int(MAIN_ONE)
    rows["子项"][2]["基本编码"] = float(MAIN_ONE)
    path = write(rows)
    result = read_catalog([path])
    found = [
        (f.code, f.severity, f.sheet, f.row, f.column, f.element, f.value) for f in result.findings
    ]
    assert found == [
        ("code-stored-as-number", "error", "主项", 3, "A", "基本编码", MAIN_ONE),
        ("code-stored-as-number", "error", "子项", 4, "B", "基本编码", MAIN_ONE),
    ]
    assert result.findings[1].item == IMPL_3
    assert result.findings[1].file == str(path)
    # the digits are still read as text, so the tree is intact
    main_one = result.catalog.main_items[1]
    assert main_one.basic_code == MAIN_ONE
    assert [leaf.basic_code for leaf in main_one.leaves] == [MAIN_ONE]


def test_code_stored_as_number_in_child_sheet(rows, write):
    rows["收费"] = [
        {
            "实施编码": 123456789012,
            "收费项目": "工本费",
            "收费标准": "10元",
            "收费依据": None,
            "是否允许减免": "否",
        }
    ]
    result = read_catalog([write(rows)])
    assert [(f.code, f.sheet, f.row, f.column) for f in result.findings] == [
        ("code-stored-as-number", "收费", 2, "A")
    ]
    assert result.catalog.orphans.fees[0][0] == "123456789012"


def test_missing_required_sheet(rows, write):
    del rows["办理流程"]
    path = write(rows)
    result = read_catalog([path])
    assert [(f.code, f.severity, f.file, f.sheet, f.row) for f in result.findings] == [
        ("missing-sheet", "error", str(path), "办理流程", None)
    ]
    assert "办理流程" in result.findings[0].message
    assert result.catalog.count_leaves() == 3
    assert all(leaf.steps == [] for leaf in result.catalog.iter_leaves())
    assert all(len(leaf.materials) == 3 for leaf in result.catalog.iter_leaves())


def test_missing_optional_sheets_are_fine(rows, write):
    del rows["收费"], rows["一件事"]
    result = read_catalog([write(rows)])
    assert result.findings == []
    assert result.catalog.count_leaves() == 3


def test_missing_required_column(rows, write):
    for row in rows["子项"]:
        del row["实施主体"]
    for row in rows["申请材料"]:
        del row["实施编码"]
    result = read_catalog([write(rows)])
    found = sorted((f.code, f.severity, f.sheet, f.row, f.element) for f in result.findings)
    assert found == [
        ("missing-column", "error", "子项", 1, "实施主体"),
        ("missing-column", "error", "申请材料", 1, "实施编码"),
    ]
    assert all(leaf.agency is None for leaf in result.catalog.iter_leaves())
    # materials without a parent code cannot attach
    assert all(leaf.materials == [] for leaf in result.catalog.iter_leaves())
    assert len(result.catalog.orphans.materials) == 9


def test_missing_optional_column_is_fine(rows, write):
    for row in rows["子项"]:
        del row["联办机构"]
    result = read_catalog([write(rows)])
    assert result.findings == []


# --- unreadable inputs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("文本.xlsx", "这不是工作簿".encode()),
        ("空.xlsx", b""),
        ("截断.xlsx", b"PK\x03\x04\x14\x00\x00\x00"),
    ],
)
def test_unreadable_workbook_raises(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogInputError) as info:
        read_catalog([path])
    assert info.value.file == str(path)
    assert info.value.line().startswith(str(path) + "：")
    assert "工作簿" in info.value.line()


def test_workbook_without_main_or_leaf_sheets_raises(tmp_path):
    path = write_rows(
        tmp_path / "其他.xlsx",
        {
            "Sheet1": [{"甲": 1, "乙": 2}],
            "申请材料": [{"实施编码": IMPL_1, "序号": 1, "材料名称": "x"}],
        },
    )
    with pytest.raises(CatalogInputError) as info:
        read_catalog([path])
    line = info.value.line()
    assert str(path) in line
    assert "表头" in line  # not a standard workbook, and no sheet reads as a flat sheet either


def test_sheet_without_recognizable_header_raises(rows, write):
    rows["申请材料"] = [{"甲": "x", "乙": "y"}]
    path = write(rows)
    with pytest.raises(CatalogInputError) as info:
        read_catalog([path])
    assert info.value.sheet == "申请材料"
    assert info.value.line().startswith(f"{path}，工作表“申请材料”：")


def test_unsupported_and_missing_files_raise(tmp_path):
    text = tmp_path / "目录.txt"
    text.write_text("x", encoding="utf-8")
    with pytest.raises(CatalogInputError) as info:
        read_catalog([text])
    assert str(text) in info.value.line() and ".txt" in info.value.line()
    missing = tmp_path / "不存在.xlsx"
    with pytest.raises(CatalogInputError) as info:
        read_catalog([missing])
    assert str(missing) in info.value.line()


# --- rows and folders --------------------------------------------------------------------------


def test_blank_rows_are_skipped(rows, write):
    blank = {}
    rows["申请材料"].insert(1, blank)
    rows["子项"].insert(0, dict.fromkeys(rows["子项"][0]))
    rows["子项"].append({"实施编码": None, "事项名称": "  "})
    result = read_catalog([write(rows)])
    assert result.findings == []
    catalog = result.catalog
    assert catalog.count_leaves() == 3
    assert not catalog.orphans
    leaves = list(catalog.iter_leaves())
    assert [leaf.source.row for leaf in leaves] == [3, 4, 5]
    assert [m.source.row for m in leaves[0].materials] == [2, 4, 5]
    assert sum(len(leaf.materials) for leaf in leaves) == 9


def test_folder_reads_every_workbook_and_json(rows, tmp_path):
    folder = tmp_path / "输入"
    folder.mkdir()
    write_rows(folder / "a主项.xlsx", {"主项": rows["主项"]})
    write_rows(folder / "b子项.xlsx", {k: v for k, v in rows.items() if k != "主项"})
    extra_main = {
        "format": "catalog-cli/1",
        "main_items": [
            {
                "basic_code": "340999001000",
                "name": "另一个主项",
                "item_type": "20",
                "legal_basis": "x",
                "exercise_level": ["4"],
            }
        ],
    }
    (folder / "c.json").write_text(json.dumps(extra_main, ensure_ascii=False), encoding="utf-8")
    (folder / "说明.txt").write_text("not an input", encoding="utf-8")
    (folder / "~$b子项.xlsx").write_bytes(b"lock file")
    result = read_catalog([folder])
    assert [Path(f).name for f in result.files] == ["a主项.xlsx", "b子项.xlsx", "c.json"]
    catalog = result.catalog
    assert [m.basic_code for m in catalog.main_items] == [MAIN_SUBS, MAIN_ONE, "340999001000"]
    assert [len(m.leaves) for m in catalog.main_items] == [2, 1, 0]
    assert not catalog.orphans
    # each partial workbook misses the other's required sheets
    assert sorted((Path(f.file).name, f.sheet) for f in result.findings) == [
        ("a主项.xlsx", "办理情形"),
        ("a主项.xlsx", "办理流程"),
        ("a主项.xlsx", "子项"),
        ("a主项.xlsx", "申请材料"),
        ("b子项.xlsx", "主项"),
    ]
    assert {f.code for f in result.findings} == {"missing-sheet"}
    assert catalog.main_items[0].leaves[0].materials[2].source.file == str(folder / "b子项.xlsx")


def test_boolean_cell_not_confused_with_number(rows, write):
    rows["子项"][0]["到办事现场次数"] = 0
    rows["子项"][1]["到办事现场次数"] = (
        False  # a real boolean cell: unreadable as a count, keep its text
    )
    leaves = list(read_catalog([write(rows)]).catalog.iter_leaves())
    assert leaves[0].visits == 0
    assert leaves[1].visits == "否"


def test_sheet_names_without_reading_cells_match_calamine(tmp_path):
    from catalog_cli.read.workbook import open_workbook, sheet_names

    samples = Path(__file__).resolve().parent.parent / "samples"
    xls = tmp_path / "旧格式.xls"
    import xlwt

    book = xlwt.Workbook()
    for name in ("公安局", "民政局"):
        book.add_sheet(name).write(0, 0, "事项名称")
    book.save(str(xls))
    for path in [*samples.glob("*.xlsx"), *samples.glob("messy/*.xlsx"), xls]:
        assert sheet_names(path) == list(open_workbook(path).sheet_names), path
