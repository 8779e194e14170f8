"""catalog_cli/write/workbook.py: the template and the standard workbook, read back with openpyxl
and with the tool's own reader."""

from __future__ import annotations

import os

import openpyxl
import pytest
from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS, SUB_1
from openpyxl.utils import get_column_letter, range_boundaries

import catalog_cli.write.workbook as workbook_writer
from catalog_cli.model import Catalog, TimeLimit
from catalog_cli.read import read_catalog
from catalog_cli.schema import load_schema
from catalog_cli.write.workbook import write_template, write_workbook

SCHEMA = load_schema()
DATA_SHEETS = ["主项", "子项", "办理情形", "申请材料", "办理流程", "收费", "一件事"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def enumerated_columns(sheet):
    """(column letter, field) of each column of a sheet that has a code table."""
    spec = SCHEMA.sheet(sheet)
    leaf = SCHEMA.records["leaf"].fields
    record = SCHEMA.records[spec.record].fields
    out = []
    for index, (key, _title) in enumerate(SCHEMA.header_titles(spec), start=1):
        field = leaf[key] if key == spec.parent else record[key]
        if field.table is not None:
            out.append((get_column_letter(index), field))
    return out


def validations_by_column(ws):
    """Column letter → list data validation covering it (first rows)."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = range_boundaries(rng.coord)
            for col in range(min_col, max_col + 1):
                out[get_column_letter(col)] = (dv, min_row, max_row)
    return out


def range_values(wb, formula):
    """The cell values of a formula like 'sheet'!$E$2:$E$14."""
    sheet, cells = formula.lstrip("=").split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


# --- the template ------------------------------------------------------------------------------


def test_template_sheets(template):
    assert template.sheetnames == [*DATA_SHEETS, "代码表"]
    assert template["代码表"].sheet_state == "hidden"
    assert all(template[name].sheet_state == "visible" for name in DATA_SHEETS)


@pytest.mark.parametrize("sheet", DATA_SHEETS)
def test_template_headers_frozen_and_commented(template, sheet):
    ws = template[sheet]
    assert ws.freeze_panes == "A2"
    expected = [title for _, title in SCHEMA.header_titles(SCHEMA.sheet(sheet))]
    assert [c.value for c in ws[1]] == expected
    assert ws.max_row == 1
    for cell in ws[1]:
        assert cell.comment is not None, cell.coordinate
        assert cell.comment.text.strip(), cell.coordinate
        assert cell.font.b


def test_template_comments_explain_elements(template):
    ws = template["子项"]
    headers = {c.value: c for c in ws[1]}
    assert headers["事项类型"].comment.text.startswith("实施清单要素第5项“事项类型”，必填。")
    assert "行政许可" in headers["事项类型"].comment.text
    assert "事项类别" in headers["事项类型"].comment.text  # aliases listed
    assert headers["联办机构"].comment.text.startswith("实施清单要素第13项“联办机构”，选填。")
    assert "20个工作日" in headers["法定办结时限"].comment.text
    assert "18位" in headers["实施主体编码"].comment.text
    assert template["主项"]["F1"].comment.text.startswith("主管部门，选填。")


@pytest.mark.parametrize("sheet", DATA_SHEETS)
def test_template_list_validations_on_enumerated_columns(template, sheet):
    ws = template[sheet]
    by_column = validations_by_column(ws)
    columns = enumerated_columns(sheet)
    for letter, field in columns:
        assert letter in by_column, (sheet, field.title)
        dv, first, last = by_column[letter]
        assert dv.type == "list"
        assert first == 2 and last >= 1001  # at least the 1000 template rows
        labels = [field.table.label(c) for c in field.table.codes]
        assert range_values(template, dv.formula1) == labels, field.title
    enumerated = {letter for letter, _ in columns}
    assert set(by_column) == enumerated


def test_template_item_type_dropdown(template):
    ws = template["子项"]
    assert ws["F1"].value == "事项类型"
    dv, _first, _last = validations_by_column(ws)["F"]
    assert dv.type == "list"
    assert dv.errorStyle in (None, "stop")  # "stop" is the default, left out of the file
    values = range_values(template, dv.formula1)
    assert values[0] == "行政许可" and "公共服务" in values and len(values) == 13
    # a multi-valued column only warns, so "市级、县级" can be typed
    assert validations_by_column(ws)["H"][0].errorStyle == "information"


def test_template_rows_argument(tmp_path):
    path = tmp_path / "小模板.xlsx"
    write_template(path, rows=50)
    ws = openpyxl.load_workbook(path)["子项"]
    _dv, first, last = validations_by_column(ws)["F"]
    assert (first, last) == (2, 51)


def test_template_reads_as_empty_catalog(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    result = read_catalog([path])
    assert result.catalog == Catalog()
    assert result.findings == []


# --- writing a catalog -------------------------------------------------------------------------


def test_round_trip_equal_and_deterministic(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    first, second = tmp_path / "出1.xlsx", tmp_path / "出2.xlsx"
    write_workbook(catalog, first)
    write_workbook(catalog, second)
    assert first.read_bytes() == second.read_bytes()
    result = read_catalog([first])
    assert result.findings == []
    assert result.catalog == catalog
    assert result.catalog.count_leaves() == 3
    third = tmp_path / "出3.xlsx"
    write_workbook(result.catalog, third)
    assert third.read_bytes() == first.read_bytes()


def test_written_sources_point_at_new_rows(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "出.xlsx"
    write_workbook(catalog, out)
    again = read_catalog([out]).catalog
    leaf = again.main_items[0].leaves[0]
    assert (leaf.source.file, leaf.source.sheet, leaf.source.row) == (str(out), "子项", 2)
    assert leaf.materials[2].source.row == 4


def test_enum_codes_written_as_labels(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    assert catalog.main_items[0].leaves[0].item_type == "01"
    out = tmp_path / "出.xlsx"
    write_workbook(catalog, out)
    wb = openpyxl.load_workbook(out)
    leaves = wb["子项"]
    header = {c.value: c.column_letter for c in leaves[1]}
    row2 = {title: leaves[f"{letter}2"].value for title, letter in header.items()}
    assert row2["事项类型"] == "行政许可"
    assert row2["行使层级"] == "市级、县级"
    assert row2["权力来源"] == "法定本级行使"
    assert row2["实施主体性质"] == "法定机关"
    assert row2["服务对象"] == "自然人、企业法人"
    assert row2["办件类型"] == "承诺件"
    assert row2["办理形式"] == "窗口办理、网上办理"
    assert row2["法定办结时限"] == "20个工作日"
    assert row2["到办事现场次数"] == 1
    assert row2["是否收费"] == "否"
    assert row2["是否网办"] == "是"
    assert row2["网上办理深度"] == "在线办理"
    assert row2["结果类型"] == "批文"
    assert wb["主项"]["C3"].value == "行政确认"
    assert wb["申请材料"]["G4"].value == "非必要"
    assert wb["办理情形"]["D3"].value == "申请书；身份证明；授权委托书"


def test_codes_written_as_text(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "出.xlsx"
    write_workbook(catalog, out)
    wb = openpyxl.load_workbook(out)
    cells = [
        wb["主项"]["A3"],
        wb["子项"]["A2"],
        wb["子项"]["B4"],
        wb["子项"]["C4"],
        wb["子项"]["K4"],
        wb["申请材料"]["A10"],
    ]
    assert [c.value for c in cells] == [MAIN_ONE, IMPL_1, MAIN_ONE, MAIN_ONE, IMPL_3[:18], IMPL_3]
    for cell in cells:
        assert cell.data_type == "s", cell.coordinate
        assert cell.number_format == "@", cell.coordinate


def test_extra_attributes_survive(rows, write, tmp_path):
    for row in rows["子项"]:
        row["通办范围"] = "全市"
        row["是否进驻政务大厅"] = None
    rows["子项"][1]["通办范围"] = None
    rows["子项"][2]["是否进驻政务大厅"] = "是"
    for row in rows["申请材料"]:
        row["电子证照"] = None
    rows["申请材料"][4]["电子证照"] = "营业执照"
    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "出.xlsx"
    write_workbook(catalog, out)
    result = read_catalog([out])
    assert result.catalog == catalog
    leaves = list(result.catalog.iter_leaves())
    assert [leaf.extra for leaf in leaves] == [
        {"通办范围": "全市"},
        {},
        {"通办范围": "全市", "是否进驻政务大厅": "是"},
    ]
    assert leaves[1].materials[1].extra == {"电子证照": "营业执照"}
    assert sorted((f.code, f.sheet, f.element) for f in result.findings) == [
        ("unknown-column", "子项", "是否进驻政务大厅"),
        ("unknown-column", "子项", "通办范围"),
        ("unknown-column", "申请材料", "电子证照"),
    ]
    header = [c.value for c in openpyxl.load_workbook(out)["子项"][1]]
    assert header[-2:] == ["通办范围", "是否进驻政务大厅"]


def test_round_trip_of_fees_bundles_orphans_and_odd_values(rows, write, tmp_path):
    rows["收费"] = [
        {
            "实施编码": IMPL_2,
            "收费项目": "工本费",
            "收费标准": "10元/件",
            "收费依据": "某文件",
            "是否允许减免": "是",
        },
        {
            "实施编码": "GHOST",
            "收费项目": "孤儿费",
            "收费标准": "1元",
            "收费依据": None,
            "是否允许减免": "否",
        },
    ]
    rows["子项"][1].update({"是否收费": "是", "收费依据及标准": "见收费表"})
    rows["子项"][2].update(
        {
            "承诺办结时限": "即办",
            "办件类型": "即办件",
            "法定办结时限": "无",
            "到办事现场次数": "两次",
        }
    )
    rows["子项"][0].update(
        {"事项类型": "行政许可类", "承诺办结时限": "二十日", "主项编码": "34099900100Y"}
    )
    rows["一件事"] = [
        {
            "一件事名称": "开饭店",
            "成员实施编码": f"{IMPL_1}；{IMPL_3}",
            "申请材料数": 4,
            "办理环节数": 3,
            "承诺办结时限": "10个工作日",
            "到办事现场次数": 1,
        }
    ]
    rows["申请材料"].append(
        {"实施编码": "GHOST", "序号": 1, "材料名称": "孤儿材料", "是否必需": "容缺"}
    )
    catalog = read_catalog([write(rows)]).catalog
    assert [leaf.impl_code for leaf in catalog.orphans.leaves] == [IMPL_1]
    assert catalog.orphans.fees[0][0] == "GHOST"
    out = tmp_path / "出.xlsx"
    write_workbook(catalog, out)
    again = read_catalog([out])
    assert again.findings == []
    assert again.catalog == catalog
    orphan = again.catalog.orphans.leaves[0]
    assert orphan.item_type == "行政许可类"
    assert orphan.promised_limit == TimeLimit(None, None, "二十日")
    assert len(orphan.situations) == 2 and len(orphan.materials) == 3
    leaf3 = again.catalog.main_items[1].leaves[0]
    assert leaf3.promised_limit == TimeLimit(0, "即办", "即办")
    assert leaf3.legal_limit == TimeLimit(None, "无", "无")
    assert leaf3.visits == "两次"
    assert again.catalog.main_items[0].leaves[0].fees[0].reducible is True
    assert again.catalog.bundles[0].members == [IMPL_1, IMPL_3]
    assert again.catalog.orphans.materials[0][1].necessity == "容缺后补"
    wb = openpyxl.load_workbook(out)
    assert wb["一件事"]["B2"].value == f"{IMPL_1}；{IMPL_3}"
    # model order: leaves under main items, then the orphan leaf
    assert [wb["子项"][f"A{r}"].value for r in (2, 3, 4)] == [IMPL_2, IMPL_3, IMPL_1]


def test_round_trip_township_exercise_level(rows, write, tmp_path):
    rows["子项"][0]["行使层级"] = "县级、镇（乡、街道）级"
    rows["主项"][0]["行使层级"] = "镇（乡、街道）级"
    catalog = read_catalog([write(rows)]).catalog
    assert catalog.main_items[0].exercise_level == ["5"]
    assert catalog.main_items[0].leaves[0].exercise_level == ["4", "5"]
    out = tmp_path / "出.xlsx"
    write_workbook(catalog, out)
    assert read_catalog([out]).catalog == catalog


# --- atomic writing ----------------------------------------------------------------------------


def test_no_temporary_files_left(rows, write, tmp_path):
    catalog = read_catalog([write(rows)]).catalog
    folder = tmp_path / "新目录" / "子目录"
    write_workbook(catalog, folder / "出.xlsx")
    write_template(folder / "模板.xlsx")
    write_workbook(catalog, folder / "出.xlsx")  # over an existing file
    assert sorted(os.listdir(folder)) == ["出.xlsx", "模板.xlsx"]


def test_failure_leaves_existing_target_untouched(rows, write, tmp_path, monkeypatch):
    catalog = read_catalog([write(rows)]).catalog
    folder = tmp_path / "输出"
    folder.mkdir()
    target = folder / "出.xlsx"
    target.write_bytes(b"previous contents")
    calls = {"n": 0}
    real = workbook_writer._write_cell

    def failing(ws, row, col, value):
        calls["n"] += 1
        if calls["n"] > 20:
            raise RuntimeError("disk full")
        real(ws, row, col, value)

    monkeypatch.setattr(workbook_writer, "_write_cell", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        write_workbook(catalog, target)
    assert calls["n"] == 21
    assert target.read_bytes() == b"previous contents"
    assert os.listdir(folder) == ["出.xlsx"]


def test_failure_creates_no_target(rows, write, tmp_path, monkeypatch):
    catalog = read_catalog([write(rows)]).catalog
    folder = tmp_path / "输出"
    folder.mkdir()

    def boom(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(workbook_writer._Book, "write_code_tables", boom)
    with pytest.raises(RuntimeError):
        write_workbook(catalog, folder / "出.xlsx")
    assert os.listdir(folder) == []


def test_main_without_sub_items_written(rows, write, tmp_path):
    """The written 子项 rows carry 主项编码, so each leaf finds its main again."""
    catalog = read_catalog([write(rows)]).catalog
    out = tmp_path / "出.xlsx"
    write_workbook(catalog, out)
    ws = openpyxl.load_workbook(out)["子项"]
    assert [ws[f"C{r}"].value for r in (2, 3, 4)] == [MAIN_SUBS, MAIN_SUBS, MAIN_ONE]
    assert ws["B2"].value == SUB_1
