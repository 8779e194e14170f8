"""catalog_cli.read.layout: header rows below titles, two-row headers, header mapping and
--explain lines.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import base_rows, write_rows

from catalog_cli.read import read_catalog
from catalog_cli.read.layout import Layout, find_header, map_header
from catalog_cli.schema import flat_columns, flat_lookup, load_schema

IMPL = "11511301008778183N3340164213001"
TITLE = "江淮县政务服务事项实施清单（2024年版）"
HEADER = ["事项名称", "实施编码", "实施主体", "联系人"]
DATA = ["食品经营许可（新办）", IMPL, "江淮市市场监督管理局", "张三"]


@pytest.fixture(scope="module")
def lookup() -> dict[str, str]:
    return flat_lookup()


@pytest.fixture(scope="module")
def titles() -> dict[str, str]:
    return {key: title for key, (title, _) in flat_columns(load_schema()).items()}


def _keys(names: list[str], lookup: dict[str, str]) -> list[str | None]:
    columns, _, _ = map_header(names, lookup)
    return [columns.get(i) for i in range(len(names))]


# --- find_header ---------------------------------------------------------------------------------


def test_header_on_the_first_row(lookup):
    assert find_header([HEADER, DATA], lookup) == (0, 1, HEADER)


def test_header_below_title_rows_ends_at_the_header_with_its_names(lookup):
    rows = [
        [TITLE] * 4,
        [""] * 4,
        HEADER,
        DATA,
    ]  # title merged across (as after expand_merged), a blank row
    found = find_header(rows, lookup)
    assert found is not None
    _, end, names = found
    assert end == 3  # data starts on Excel row 4
    assert names == HEADER


@pytest.mark.parametrize(
    "above",
    [
        [[TITLE] * 4, [""] * 4],
        [[TITLE, "", "", ""], ["制表单位：江淮县政务服务管理局", "", "", ""]],
        [[TITLE] * 4],
    ],
)
def test_title_rows_are_not_part_of_the_header(lookup, above):
    rows = [*above, HEADER, DATA]
    start, end, _ = find_header(rows, lookup)
    assert (start, end) == (len(above), len(above) + 1)


def test_two_row_header_is_combined(lookup):
    rows = [
        [TITLE] * 6,
        ["事项名称", "实施编码", "办理时限", "办理时限", "实施主体", "备注说明"],
        ["事项名称", "实施编码", "法定", "承诺", "实施主体", "备注说明"],
        ["食品经营许可（新办）", IMPL, "20个工作日", "5个工作日", "江淮市市场监督管理局", ""],
    ]
    start, end, names = find_header(rows, lookup)
    assert (start, end) == (1, 3)  # header_rows (2, 3)
    assert _keys(names, lookup)[:5] == [
        "name",
        "impl_code",
        "legal_limit",
        "promised_limit",
        "agency",
    ]


def test_two_row_header_with_groups_over_sub_headers(lookup):
    rows = [
        ["基本信息", "基本信息", "基本信息", "办理时限", "办理时限"],
        ["事项名称", "实施编码", "实施主体", "法定", "承诺"],
        ["食品经营许可（新办）", IMPL, "江淮市市场监督管理局", "20个工作日", "5个工作日"],
    ]
    start, end, names = find_header(rows, lookup)
    assert (start, end) == (0, 2)
    assert _keys(names, lookup) == ["name", "impl_code", "agency", "legal_limit", "promised_limit"]


def test_unmerged_two_row_header_from_csv_is_combined(lookup):
    rows = [
        ["事项名称", "实施编码", "办理时限", "", "实施主体"],
        ["", "", "法定", "承诺", ""],
        ["食品经营许可（新办）", IMPL, "20个工作日", "5个工作日", "江淮市市场监督管理局"],
    ]
    start, end, names = find_header(rows, lookup)
    assert (start, end) == (0, 2)
    assert _keys(names, lookup) == ["name", "impl_code", "legal_limit", "promised_limit", "agency"]


def test_no_header_when_fewer_than_three_known_columns(lookup):
    assert find_header([["事项名称", "实施编码", "联系人"], ["甲", IMPL, "张三"]], lookup) is None
    assert find_header([["说明"], ["本表为空"]], lookup) is None
    assert find_header([], lookup) is None
    assert find_header([["事项名称", "实施编码", "实施主体"]], lookup) == (
        0,
        1,
        ["事项名称", "实施编码", "实施主体"],
    )


def test_the_same_key_twice_counts_once(lookup):
    assert find_header([["事项名称", "名称", "实施编码"], ["甲", "甲", IMPL]], lookup) is None


def test_header_aliases_are_recognized(lookup):
    names = [
        "事项名称（主项）",
        "名称",
        "实施机关",
        "申请材料目录",
        "办理程序",
        "法定期限",
        "承诺时限",
        "跑动次数",
        "咨询电话",
        "情形",
    ]
    found = find_header([names], lookup)
    assert found is not None
    assert _keys(names, lookup) == [
        "main.name",
        "name",
        "agency",
        "materials",
        "steps",
        "legal_limit",
        "promised_limit",
        "visits",
        "consult",
        "situation.name",
    ]


def test_header_cells_with_spaces_and_newlines_are_recognized(lookup):
    names = ["事项\n名称", " 实施 编码 ", "实施主体\u3000"]
    assert _keys(names, lookup) == ["name", "impl_code", "agency"]


# --- map_header ----------------------------------------------------------------------------------


def test_map_header_keeps_unknown_and_repeated_headers_as_extras(lookup):
    columns, headers, extras = map_header(
        ["事项名称", "", "实施编码", "联系人", "名称", "实施机关"], lookup
    )
    assert columns == {0: "name", 2: "impl_code", 5: "agency"}
    assert headers == {0: "事项名称", 2: "实施编码", 5: "实施机关"}
    assert extras == {3: "联系人", 4: "名称"}


# --- Layout.explain ------------------------------------------------------------------------------


def test_explain_names_layout_header_rows_and_every_column(titles):
    layout = Layout(
        "江淮县.xlsx",
        "市场监管局",
        "flat",
        (2, 3),
        {0: "main.name", 2: "legal_limit"},
        {0: "主项", 2: "办理时限/法定"},
        {1: "联系人"},
    )
    lines = layout.explain(titles)
    assert lines[0].startswith("江淮县.xlsx")
    assert "市场监管局" in lines[0] and "平铺表" in lines[0] and "第 2、3 行" in lines[0]
    assert "A 列“主项” → 主项名称（按别名）" in [line.strip() for line in lines]
    body = "\n".join(lines[1:])
    assert "C 列“办理时限/法定” → 法定办结时限（按别名）" in body
    assert "B 列“联系人”" in body and "未识别" in body and "附加属性" in body
    assert len(lines) == 4


def test_explain_for_the_standard_workbook(titles):
    lines = Layout(
        "标准目录.xlsx", "子项", "standard", (1,), {0: "impl_code"}, {0: "实施编码"}
    ).explain(titles)
    assert lines == [
        "标准目录.xlsx · 子项：标准工作簿，表头在第 1 行",
        "  A 列“实施编码” → 实施编码",
    ]


# --- layouts through read_catalog --------------------------------------------------------------


def _flat_with_title(path: Path, two_row: bool) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "市场监管局"
    ws["A1"] = TITLE
    ws.merge_cells("A1:E1")
    if two_row:
        for c, h in enumerate(["事项名称", "实施编码", "办理时限", None, "实施主体"], start=1):
            if h:
                ws.cell(2, c, h)
        ws.merge_cells("C2:D2")
        ws.cell(3, 3, "法定")
        ws.cell(3, 4, "承诺")
        for col in "ABE":
            ws.merge_cells(f"{col}2:{col}3")
        first = 4
    else:
        for c, h in enumerate(
            ["事项名称", "实施编码", "法定办结时限", "承诺办结时限", "实施主体"], start=1
        ):
            ws.cell(2, c, h)
        first = 3
    for c, v in enumerate(
        ["食品经营许可（新办）", IMPL, "20个工作日", "5个工作日", "江淮市市场监督管理局"], start=1
    ):
        ws.cell(first, c, v)
    wb.save(path)
    return path


def test_read_reports_a_merged_two_row_header(tmp_path):
    result = read_catalog([_flat_with_title(tmp_path / "a.xlsx", two_row=True)])
    (layout,) = result.layouts
    assert layout.kind == "flat"
    assert layout.sheet == "市场监管局"
    assert layout.header_rows == (2, 3)
    assert sorted(layout.columns.values()) == sorted(
        ["name", "impl_code", "legal_limit", "promised_limit", "agency"]
    )
    assert layout.extras == {}
    (leaf,) = result.catalog.iter_leaves()
    assert (leaf.legal_limit.value, leaf.promised_limit.value) == (20, 5)
    assert leaf.source.row == 4


def test_read_reports_a_header_below_a_title_row(tmp_path):
    result = read_catalog([_flat_with_title(tmp_path / "a.xlsx", two_row=False)])
    (layout,) = result.layouts
    assert layout.header_rows == (2,)


def test_title_wider_than_the_header_is_not_an_extra_column(tmp_path):
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = TITLE
    ws.merge_cells("A1:G1")
    ws.append(["事项名称", "实施编码", "实施主体"])
    ws.append(["食品经营许可（新办）", IMPL, "江淮市市场监督管理局"])
    wb.save(path)
    result = read_catalog([path])
    (layout,) = result.layouts
    assert layout.extras == {}
    assert not [f for f in result.findings if f.code == "unknown-column"]


def test_standard_workbook_is_told_from_a_flat_sheet(tmp_path):
    std = read_catalog([write_rows(tmp_path / "标准.xlsx", base_rows())])
    assert {layout.kind for layout in std.layouts} == {"standard"}
    assert {layout.sheet for layout in std.layouts} >= {"主项", "子项", "申请材料"}
    assert all(layout.header_rows == (1,) for layout in std.layouts)
    flat = read_catalog([_flat_with_title(tmp_path / "平铺.xlsx", two_row=True)])
    assert [layout.kind for layout in flat.layouts] == ["flat"]


def test_csv_layout_is_flat(tmp_path):
    path = tmp_path / "目录.csv"
    path.write_text(
        "事项名称,实施编码,实施主体,联系人\n食品经营许可（新办）,"
        + IMPL
        + ",江淮市市场监督管理局,张三\n",
        encoding="utf-8",
    )
    (layout,) = read_catalog([path]).layouts
    assert (layout.kind, layout.sheet, layout.header_rows) == ("flat", "目录", (1,))
    assert layout.extras == {3: "联系人"}


# --- English and coded headers in any case style ---------------------------------------------

IMPL2 = "11511301008778183N3340164213002"


@pytest.mark.parametrize(
    "style",
    [
        lambda words: "_".join(words),  # task_name
        lambda words: words[0] + "".join(w.title() for w in words[1:]),  # taskName
        lambda words: "".join(w.title() for w in words),  # TaskName
        lambda words: "_".join(words).upper(),  # TASK_NAME
        lambda words: "-".join(words),  # task-name
        lambda words: " ".join(words),  # task name
    ],
    ids=["snake", "camel", "pascal", "upper", "kebab", "spaced"],
)
def test_header_in_any_case_style_maps_to_the_same_keys(lookup, style):
    words = [
        ["task", "code"],
        ["task", "name"],
        ["main", "item", "name"],
        ["dept", "name"],
        ["dept", "code"],
        ["task", "handle", "item"],
        ["use", "level"],
    ]
    names = [style(w) for w in words]
    assert _keys(names, lookup) == [
        "impl_code",
        "name",
        "main.name",
        "agency",
        "agency_code",
        "handling_code",
        "exercise_level",
    ]


def _export(path: Path, header: list[str]) -> Path:
    """An interface export: one row per sub-item, the main item's name in its own column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "事项"
    ws.append(header)
    ws.append([IMPL, "食品经营许可（新办）", "食品经营许可", "江淮市市场监督管理局", 20, 1])
    ws.append([IMPL2, "食品经营许可（延续）", "食品经营许可", "江淮市市场监督管理局", 20, 2])
    ws.append(
        [
            "11511301008778183N3340164214001",
            "药品零售许可",
            "药品零售许可证核发",
            "江淮市市场监督管理局",
            15,
            1,
        ]
    )
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "header",
    [
        [
            "task_code",
            "task_name",
            "main_item_name",
            "dept_name",
            "anticipate_day",
            "anticipate_type",
        ],
        ["taskCode", "taskName", "mainItemName", "deptName", "anticipateDay", "anticipateType"],
        ["TASK_CODE", "TASK_NAME", "PARENT_NAME", "DEPT_NAME", "LAWLIMIT_DAY", "LAWLIMIT_TYPE"],
    ],
    ids=["snake", "camel", "upper"],
)
def test_main_and_sub_names_in_two_fields_give_the_two_levels(tmp_path, header):
    result = read_catalog([_export(tmp_path / "export.xlsx", header)])
    mains = result.catalog.main_items
    assert [m.name for m in mains] == ["食品经营许可", "药品零售许可证核发"]
    assert [[leaf.name for leaf in m.leaves] for m in mains] == [
        ["食品经营许可（新办）", "食品经营许可（延续）"],
        ["药品零售许可"],
    ]
    leaves = list(result.catalog.iter_leaves())
    assert [leaf.agency for leaf in leaves] == ["江淮市市场监督管理局"] * 3
    assert [(leaf.legal_limit.value, leaf.legal_limit.unit) for leaf in leaves] == [
        (20, "工作日"),
        (20, "自然日"),
        (15, "工作日"),
    ]
    assert [f for f in result.findings if f.code == "unknown-column"] == []


def test_explain_shows_english_headers_mapped(tmp_path, titles):
    header = ["taskCode", "taskName", "mainItemName", "deptName", "anticipateDay", "anticipateType"]
    result = read_catalog([_export(tmp_path / "export.xlsx", header)])
    [layout] = result.layouts
    lines = [line.strip() for line in layout.explain(titles)]
    assert lines[1:] == [
        "A 列“taskCode” → 实施编码（按别名）",
        "B 列“taskName” → 事项名称（按别名）",
        "C 列“mainItemName” → 主项名称（按别名）",
        "D 列“deptName” → 实施主体（按别名）",
        "E 列“anticipateDay” → 法定办结时限（按别名）",
        "F 列“anticipateType” → 法定办结时限单位（按别名）",
    ]


def test_a_leaf_name_alone_stays_the_leaf_and_its_own_main_item(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(f"task_code,task_name,dept_name\n{IMPL},事项甲,江淮市市场监督管理局\n")
    result = read_catalog([path])
    [main] = result.catalog.main_items
    assert main.name == "事项甲" and [leaf.name for leaf in main.leaves] == ["事项甲"]


def test_a_chinese_header_wins_over_an_english_one_for_the_same_element(tmp_path):
    # portals export both: ``name`` (the record key) and 事项名称 (the label) with one value
    from catalog_cli.read import read_catalog

    path = tmp_path / "导出.csv"
    path.write_text(
        "id,name,事项名称,实施编码,基本编码\n1,甲,甲事项,11370104MB28449053400011800400001,"
        "000118004000\n",
        encoding="utf-8",
    )
    read = read_catalog([path])
    leaf = next(read.catalog.iter_leaves())
    assert leaf.name == "甲事项" and leaf.extra.get("name") == "甲"
    layout = read.layouts[0]
    assert layout.headers[2] == "事项名称" and layout.extras[1] == "name"
    duplicate = [f for f in read.findings if f.code == "duplicate-column"]
    assert [f.value for f in duplicate] == ["name"]
