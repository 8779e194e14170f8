"""catalog_cli.read.grid: CSV decoding and sniffing, workbook grids, merged ranges and oversized
cells.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog
from catalog_cli.read.grid import Grid, csv_grid, workbook_grids

IMPL = "11511301008778183N3340164213001"
ROWS = [
    ["事项名称", "实施编码", "实施主体", "申请材料", "法定办结时限"],
    [
        "食品经营许可（新办）",
        IMPL,
        "江淮市市场监督管理局",
        "1.申请书；2.营业执照（副本）复印件",
        "20个工作日",
    ],
    [
        "居民身份证换领",
        "1151130108337220433340720015000",
        "江淮市公安局",
        "居民户口簿；照片",
        "即办",
    ],
]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write_csv(
    path: Path, encoding: str, rows: list[list[str]] = ROWS, delimiter: str = ","
) -> Path:
    path.write_bytes(csv_text(rows, delimiter).encode(encoding))
    return path


# --- encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("gb2312", "gb18030"),
    ],
)
def test_csv_encodings_read_to_the_same_rows_without_a_flag(tmp_path, encoding, reported):
    grid = csv_grid(write_csv(tmp_path / f"目录-{encoding}.csv", encoding))
    assert grid.rows == ROWS  # no BOM left on the first header, no mojibake
    assert grid.encoding is not None and grid.encoding.replace("_", "-").lower().startswith(
        reported
    )
    assert grid.sheet == f"目录-{encoding}"
    assert grid.file == str(tmp_path / f"目录-{encoding}.csv")
    assert grid.merged == []


def test_gb18030_only_characters_are_read(tmp_path):
    rows = [ROWS[0], ["䶮姓人员户籍登记", IMPL, "江淮市公安局", "申请书", "即办"]]
    with pytest.raises(UnicodeEncodeError):
        rows[1][0].encode("gbk")
    assert csv_grid(write_csv(tmp_path / "a.csv", "gb18030", rows)).rows == rows


@pytest.mark.parametrize("given", ["gbk", "GBK", "gb2312", "cp936", "gb18030"])
def test_encoding_override_reads_a_gbk_file(tmp_path, given):
    grid = csv_grid(write_csv(tmp_path / "a.csv", "gbk"), given)
    assert grid.rows == ROWS


def test_wrong_encoding_override_is_a_clear_error_naming_file_and_flag(tmp_path):
    path = write_csv(tmp_path / "部门目录.csv", "gbk")
    with pytest.raises(CatalogInputError) as info:
        csv_grid(path, "utf-8")
    line = info.value.line()
    assert str(path) in line
    assert "--encoding" in line
    assert "gb18030" in line.lower()
    assert "\n" not in line


def test_unknown_encoding_name_is_a_clear_error(tmp_path):
    path = write_csv(tmp_path / "a.csv", "utf-8")
    with pytest.raises(CatalogInputError) as info:
        csv_grid(path, "no-such-codec")
    assert str(path) in info.value.line()
    assert "no-such-codec" in info.value.line()


def test_undetectable_encoding_names_the_fix_and_the_override_reads_it(tmp_path):
    path = write_csv(tmp_path / "a.csv", "utf-16")
    with pytest.raises(CatalogInputError) as info:
        csv_grid(path)
    assert str(path) in info.value.line()
    assert "--encoding" in info.value.line()
    assert csv_grid(path, "utf-16").rows == ROWS


def test_binary_file_named_csv_is_a_clear_error(tmp_path):
    path = tmp_path / "图片.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4)
    with pytest.raises(CatalogInputError) as info:
        csv_grid(path)
    line = info.value.line()
    assert str(path) in line
    assert "CSV" in line or "文本" in line


def test_xlsx_renamed_to_csv_is_a_clear_error(tmp_path):
    src = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(ROWS[0])
    wb.save(src)
    path = tmp_path / "a.csv"
    path.write_bytes(src.read_bytes())
    with pytest.raises(CatalogInputError) as info:
        csv_grid(path)
    assert str(path) in info.value.line()


# --- oversized cells -------------------------------------------------------------------------


def test_oversized_csv_cell_is_a_clear_error(tmp_path):
    path = tmp_path / "大.csv"
    path.write_text(
        "事项名称,实施编码,实施主体\n" + "甲" * 1_000_001 + f",{IMPL},江淮市公安局\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogInputError) as info:
        csv_grid(path)
    line = info.value.line()
    assert str(path) in line
    assert "超过" in line


def test_large_but_allowed_csv_cell_is_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "事项名称,实施编码,实施主体\n" + "甲" * 200_000 + f",{IMPL},江淮市公安局\n",
        encoding="utf-8",
    )
    assert len(csv_grid(path).rows[1][0]) == 200_000


def _xlsx_with_cell(path: Path, text: str) -> Path:
    """An xlsx whose A2 holds ``text`` (openpyxl truncates long strings, so the XML is patched)."""
    src = path.with_suffix(".tmp.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公安局"
    ws.append(["事项名称", "实施编码", "实施主体"])
    ws.append(["PLACEHOLDER", IMPL, "江淮市公安局"])
    wb.save(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/"):
                data = data.replace(b"PLACEHOLDER", text.encode("utf-8"))
            zout.writestr(item, data)
    src.unlink()
    return path


def test_oversized_xlsx_cell_is_one_error_naming_file_and_sheet(tmp_path):
    path = _xlsx_with_cell(tmp_path / "大.xlsx", "x" * 1_100_000)
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("公安局")
    assert len(sheet.to_python()[1][0]) == 1_100_000  # the fixture really holds the big cell
    result = read_catalog([path], strict=False)
    assert len(result.errors) == 1
    line = result.errors[0].line()
    assert str(path) in line and "公安局" in line


# --- sniffing --------------------------------------------------------------------------------


def test_tab_separated_csv_is_sniffed(tmp_path):
    assert csv_grid(write_csv(tmp_path / "a.csv", "utf-8", delimiter="\t")).rows == ROWS


def test_semicolon_separated_csv_is_sniffed(tmp_path):
    assert csv_grid(write_csv(tmp_path / "a.csv", "gb18030", delimiter=";")).rows == ROWS


def test_half_width_semicolons_inside_cells_do_not_fool_the_sniffer(tmp_path):
    rows = [
        ["事项名称", "实施编码", "实施主体", "申请材料", "办理流程"],
        ["甲事项", IMPL, "江淮市公安局", "1.申请书;2.身份证;3.户口簿", "受理;审查;决定"],
        [
            "乙事项",
            "1151130108337220433340720016000",
            "江淮市公安局",
            "1.申请书;2.身份证",
            "受理;决定",
        ],
    ]
    assert csv_grid(write_csv(tmp_path / "a.csv", "utf-8", rows)).rows == rows


def test_quoted_commas_and_newlines_stay_in_one_cell(tmp_path):
    rows = [ROWS[0], ["甲, 乙事项", IMPL, "江淮市公安局", "1.申请书\n2.身份证", "20个工作日"]]
    assert csv_grid(write_csv(tmp_path / "a.csv", "utf-8-sig", rows)).rows == rows


# --- workbooks and merged cells --------------------------------------------------------------


def _merged_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "市场监管局"
    ws["A1"] = "江淮县政务服务事项实施清单"
    ws.merge_cells("A1:D1")
    ws.append(["主项名称", "事项名称", "实施编码", "实施主体"])
    ws.append(["食品经营许可", "食品经营许可（新办）", IMPL, "江淮市市场监督管理局"])
    ws.append(
        [None, "食品经营许可（变更）", "11511301008778183N3340164213002", "江淮市市场监督管理局"]
    )
    ws.append([None, "食品经营许可（注销）", "11511301008778183N3340164213003", None])
    ws.merge_cells("A3:A5")
    ws.merge_cells("D4:D5")
    other = wb.create_sheet("公安局")
    other.append(["事项名称", "实施编码", "实施主体"])
    wb.save(path)
    return path


def test_workbook_grids_returns_every_sheet_with_merged_ranges(tmp_path):
    grids = workbook_grids(_merged_workbook(tmp_path / "a.xlsx"))
    assert [g.sheet for g in grids] == ["市场监管局", "公安局"]
    first = grids[0]
    assert first.file == str(tmp_path / "a.xlsx")
    assert sorted(first.merged) == [((0, 0), (0, 3)), ((2, 0), (4, 0)), ((3, 3), (4, 3))]
    assert first.rows[1] == ["主项名称", "事项名称", "实施编码", "实施主体"]
    assert first.rows[3][0] in ("", None)  # before expansion only the top-left cell holds the value


def test_workbook_grids_reads_only_the_named_sheets(tmp_path):
    grids = workbook_grids(_merged_workbook(tmp_path / "a.xlsx"), ["公安局"])
    assert [g.sheet for g in grids] == ["公安局"]


def test_expand_merged_fills_a_vertically_merged_main_item_into_each_row(tmp_path):
    grid = workbook_grids(_merged_workbook(tmp_path / "a.xlsx"))[0]
    grid.expand_merged()
    assert [row[0] for row in grid.rows[2:5]] == ["食品经营许可"] * 3
    assert [row[3] for row in grid.rows[2:5]] == ["江淮市市场监督管理局"] * 3
    assert grid.rows[0] == ["江淮县政务服务事项实施清单"] * 4
    assert [row[1] for row in grid.rows[2:5]] == [
        "食品经营许可（新办）",
        "食品经营许可（变更）",
        "食品经营许可（注销）",
    ]


def test_expand_merged_handles_short_rows_ranges_past_the_end_and_empty_tops():
    grid = Grid(
        "f.csv", "s", [["甲"], ["", "x"], ["", ""]], merged=[((0, 0), (5, 1)), ((1, 0), (2, 0))]
    )
    grid.expand_merged()
    assert grid.rows == [["甲", "甲"], ["甲", "甲"], ["甲", "甲"]]
    untouched = Grid("f.csv", "s", [["", "a"], ["b", "c"]], merged=[((0, 0), (1, 0))])
    untouched.expand_merged()
    assert untouched.rows == [["", "a"], ["b", "c"]]


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage" * 100, "这不是表格\n".encode()])
def test_unreadable_workbook_is_a_clear_error_naming_the_file(tmp_path, content):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(content)
    with pytest.raises(CatalogInputError) as info:
        workbook_grids(path)
    assert info.value.file == str(path)
    assert str(path) in info.value.line()


def test_xls_grid_with_merged_ranges(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("公安局")
    ws.write_merge(0, 0, 0, 2, "江淮县政务服务事项清单")
    for c, h in enumerate(["主项名称", "事项名称", "实施编码"]):
        ws.write(1, c, h)
    ws.write_merge(2, 3, 0, 0, "户口迁移")
    ws.write(2, 1, "户口迁入")
    ws.write(3, 1, "户口迁出")
    path = tmp_path / "a.xls"
    wb.save(str(path))
    grid = workbook_grids(path)[0]
    assert grid.sheet == "公安局"
    assert ((2, 0), (3, 0)) in grid.merged
    grid.expand_merged()
    assert [grid.rows[2][0], grid.rows[3][0]] == ["户口迁移", "户口迁移"]
