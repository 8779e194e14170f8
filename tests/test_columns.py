"""The column path (read/tables.py + checks/columns.py) pinned to the reference element checks.

The reference is ``check_elements(read_catalog([path]).catalog, reference=True)``: jsonschema on
every record. The column path must give the same (code, sheet, row, element, value, message)
findings, on the bundled samples and on a workbook broken in every keyword the schema uses.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from catalog_cli.checks.columns import check_results, check_tables
from catalog_cli.checks.elements import check_elements
from catalog_cli.model.findings import Finding
from catalog_cli.read import read_catalog
from catalog_cli.read.tables import CELL_SUFFIX, ROW, read_tables

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE_FILES = (
    "市级目录.xlsx",
    "县级目录-东湖县.xlsx",
    "县级目录-西山县.xlsx",
    "市级目录-2021版.xlsx",
)


def _key(f: Finding) -> tuple[Any, ...]:
    return (f.code, f.sheet, f.row, f.element, f.value, f.message)


def _compare(path: Path) -> tuple[Counter, Counter]:
    mine = Counter(map(_key, check_tables(read_tables(path))))
    reference = Counter(map(_key, check_elements(read_catalog([path]).catalog, reference=True)))
    return mine, reference


def _breaks(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Break the valid base rows once per keyword (and the tree-dependent checks)."""
    leaf, other, third = rows["子项"]
    leaf.update(办理地点=None)  # required
    leaf.update(事项名称="长" * 201)  # maxLength
    leaf.update(实施编码=leaf["实施编码"] + "甲")  # pattern (and its children become orphans)
    leaf.update(网办地址="ftp://zwfw.example.gov.cn")  # pattern (unanchored ^https?://)
    leaf.update(咨询方式="找窗口")  # pattern (search)
    leaf.update(实施主体编码="9134010012345678IO")  # pattern (USCC)
    leaf.update(到办事现场次数="三次")  # type integer
    other.update(是否收费="也许")  # type boolean (yes/no not recognized)
    other.update(事项类型="行政许诺")  # enum
    other.update(行使层级="市级、火星级、省府级")  # enum on two items of a list
    other.update(法定办结时限="很快")  # time limit unreadable
    other.update(承诺办结时限="-3个工作日")  # time limit unreadable (value and unit)
    third.update(主项编码=None, 基本编码="主项甲")  # pattern, on main_code too (filled)
    rows["主项"][1].update(基本编码="主项甲", 设定依据=None)  # pattern, required
    rows["主项"][0].update(行使层级=None)  # required (an empty list is left out)
    rows["申请材料"][0].update(序号=0)  # minimum
    rows["申请材料"][1].update(序号="第二")  # type integer
    rows["申请材料"][2].update(是否必需=None, 材料类型="扫描件")  # required, enum
    rows["办理流程"][4].update(环节名称="环" * 101, 环节时限="尽快")  # maxLength, time limit
    rows["办理情形"][0].update(情形名称=None)  # required
    rows["一件事"] = [
        {"一件事名称": "新生儿出生", "包含事项": "340164213001；bad code", "申请材料数": -1},
        {"一件事名称": None, "包含事项": None, "申请材料数": "两份"},  # required, type
    ]


@pytest.fixture
def broken(rows, write) -> Path:
    _breaks(rows)
    return write(rows, "错误.xlsx")


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_samples_equal_the_reference(name):
    mine, reference = _compare(SAMPLES / name)
    assert mine == reference


def test_every_keyword_equals_the_reference(broken):
    mine, reference = _compare(broken)
    codes = {key[0] for key in reference}
    assert {
        "schema-required",
        "schema-enum",
        "schema-type",
        "schema-pattern",
        "schema-max-length",
        "schema-minimum",
        "time-limit-unreadable",
    } <= codes
    assert mine - reference == Counter() and reference - mine == Counter()


def test_clean_workbook_has_no_findings(rows, write):
    assert check_tables(read_tables(write(rows))) == []


def test_failing_rows_per_column_and_keyword(broken):
    results = {r.record: r for r in check_results(read_tables(broken))}
    leaf = results["leaf"].rows
    assert leaf[("visits", "type")].to_pylist() == [0]
    assert leaf[("name", "maxLength")].to_pylist() == [0]
    assert sorted(leaf[("item_type", "enum")].to_pylist()) == [1]
    assert results["material"].rows[("seq", "minimum")].to_pylist() == [0]


def test_code_stored_as_number_and_cells_kept(rows, write):
    rows["子项"][1]["基本编码"] = 340164213002  # a number in a code column
    rows["子项"][1]["实施主体编码"] = 913401001234567890  # 18 digits: Excel keeps 15
    rows["子项"][0]["到办事现场次数"] = 2.5
    rows["子项"][2]["事项名称"] = True
    path = write(rows)
    tables = read_tables(path)
    reference = read_catalog([path])
    wanted = {"code-stored-as-number"}
    assert {_key(f) for f in tables.findings if f.code in wanted} == {
        _key(f) for f in reference.findings if f.code in wanted
    }
    leaf = tables.tables["leaf"].table
    assert leaf["basic_code" + CELL_SUFFIX].to_pylist() == [None, "number", None]
    shown = next(f.value for f in reference.findings if f.element == "实施主体编码")
    assert leaf["agency_code"].to_pylist()[1] == shown  # as cell_text shows it, not all 18 digits
    assert "e+17" in shown
    assert leaf["visits"].to_pylist()[0] == "2.5"
    assert leaf["name"].to_pylist()[2] == "是"
    assert leaf[ROW].to_pylist() == [2, 3, 4]
    mine, ref = (
        Counter(map(_key, check_tables(tables))),
        Counter(map(_key, check_elements(reference.catalog, reference=True))),
    )
    assert mine == ref


def test_text_column_mixing_numbers_is_read_as_text(rows, write):
    rows["申请材料"][0]["份数"] = 2
    rows["申请材料"][1]["份数"] = "两份"
    table = read_tables(write(rows)).tables["material"].table
    assert table.schema.field("copies").type == pa.string()
    assert table["copies"].to_pylist()[:2] == ["2", "两份"]


def _calamine_texts(path: Path, sheet: str) -> list[list[str | None]]:
    """Every cell of a sheet as the reference shows it: python-calamine's value, cell_text'ed
    (texts kept as they are, empty cells None)."""
    import python_calamine

    from catalog_cli.model.values import cell_text

    rows = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_name(sheet)
    return [
        [None if v == "" else v if isinstance(v, str) else cell_text(v) for v in row]
        for row in rows.to_python(skip_empty_area=False)
    ]


_KINDS = {"number": (int, float), "boolean": (bool,), "datetime": (dt.date,)}


def _assert_cells_equal_calamine(path: Path) -> None:
    """Every mapped column of every table: the texts and cell types python-calamine gives."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(path)
    for sheet_table in read_tables(path).tables.values():
        name = sheet_table.sheet.name
        texts = _calamine_texts(path, name)
        values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        table = sheet_table.table
        header_row = table[ROW][0].as_py() - 2 if table.num_rows else 0
        header = texts[header_row]
        for key, fld in sheet_table.fields.items():
            if key not in table.column_names or fld.title not in header:
                continue
            col = header.index(fld.title)
            kinds = sheet_table.kinds(key)
            for i, row in enumerate(table[ROW].to_pylist()):
                assert table[key][i].as_py() == texts[row - 1][col], (name, key, row)
                kind = kinds[i].as_py() if kinds is not None else None
                value = values[row - 1][col]
                if kind is None:
                    assert isinstance(value, str), (name, key, row, value)
                else:
                    assert isinstance(value, _KINDS[kind]), (name, key, row, value, kind)


@pytest.fixture
def loads(monkeypatch) -> list[tuple[str, str]]:
    """(sheet, dtypes) of every careful-path read (none when a sheet is read in one go)."""
    from catalog_cli.read import tables

    calls: list[tuple[str, str]] = []
    original = tables._load

    def spy(reader, name, dtypes, *args, **kwargs):
        calls.append((name, dtypes))
        return original(reader, name, dtypes, *args, **kwargs)

    monkeypatch.setattr(tables, "_load", spy)
    return calls


def test_one_read_of_typed_columns_equals_calamine(rows, write, loads):
    """Columns of one cell type each (numbers, 18 digits, booleans, dates): read in one go."""
    leaves = rows["子项"]
    for i, leaf in enumerate(leaves):
        leaf["基本编码"] = 340164213001 + i  # every code a number
        leaf["实施主体编码"] = 913401001234567890 + i  # 18 digits: Excel keeps 15
        leaf["到办事现场次数"] = (2.5, 1, -0.0)[i]
        leaf["事项名称"] = (True, False, True)[i]
        leaf["网办地址"] = (dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 2, 10, 30), None)[i]
    path = write(rows)
    _assert_cells_equal_calamine(path)
    assert not [c for c in loads if c[0] == "子项"]
    leaf = read_tables(path).tables["leaf"].table
    assert leaf["basic_code" + CELL_SUFFIX].to_pylist() == ["number"] * 3
    assert leaf["online_url" + CELL_SUFFIX].to_pylist() == ["datetime", "datetime", None]
    assert leaf["online_url"].to_pylist()[:2] == ["2024-01-02", "2024-01-02T10:30:00"]
    findings = [f for f in read_tables(path).findings if f.code == "code-stored-as-number"]
    reference = [f for f in read_catalog([path]).findings if f.code == "code-stored-as-number"]
    assert sorted(map(_key, findings)) == sorted(map(_key, reference))


def test_mixed_columns_equal_calamine(rows, write, loads):
    """Columns mixing cell types (a code number among texts, a boolean or a date in a text
    column, 18 digits among texts) go the careful way, with the same texts."""
    leaves = rows["子项"]
    leaves[1]["基本编码"] = 340164213002
    leaves[0]["实施主体编码"] = 913401001234567890
    leaves[2]["事项名称"] = False
    leaves[1]["网办地址"] = dt.datetime(2024, 1, 2, 10, 30)
    leaves[0]["到办事现场次数"] = "2"
    leaves[1]["到办事现场次数"] = 1e-05
    rows["申请材料"][0]["材料名称"] = "true"  # a text that looks like a boolean
    path = write(rows)
    _assert_cells_equal_calamine(path)
    assert ("子项", "boolean") in loads
    leaf = read_tables(path).tables["leaf"].table
    assert leaf["basic_code" + CELL_SUFFIX].to_pylist() == [None, "number", None]
    assert leaf["visits"].to_pylist()[1] == "1e-05"


def test_header_below_row_one_equals_calamine(rows, write):
    """A title row above the header, or an empty row 1: read the careful way, rows kept."""
    import openpyxl

    for title in ("2024年政务服务事项目录", None):
        path = write(rows, f"标题{title is None}.xlsx")
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            sheet.insert_rows(1)
            if title and rows.get(sheet.title):
                sheet.cell(1, 1, title)
        book.save(path)
        _assert_cells_equal_calamine(path)
        mine, reference = _compare(path)
        assert mine == reference
        assert read_tables(path).tables["leaf"].table[ROW].to_pylist() == [3, 4, 5]


def _texts_and_typed(path: Path) -> list[tuple[str, str, list[Any], list[Any]]]:
    """(record, field, per-row values of the Arrow text path, of the distinct-cell path) for every
    text column the Arrow path takes."""
    out = []
    for record, sheet in read_tables(path).tables.items():
        for key in sheet.fields:
            text = sheet.text(key)
            if text is None:
                continue
            typed = sheet.typed(key)
            out.append(
                (
                    record,
                    key,
                    [text.value(r) for r in range(sheet.table.num_rows)],
                    [typed.value(r) for r in range(sheet.table.num_rows)],
                )
            )
    return out


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_text_columns_converted_in_arrow_equal_the_distinct_cells(name):
    columns = _texts_and_typed(SAMPLES / name)
    assert columns
    for record, key, arrow, cells in columns:
        assert arrow == cells, (record, key)


def test_dirty_texts_are_cleaned_in_arrow_as_the_reader_cleans_them(rows, write):
    rows["子项"][0].update(受理条件="  申请人　具有\t完全民事行为能力；\n\n\n材料齊全。 ")
    rows["子项"][1].update(受理条件="   ", 办理地点="市民中心１２号窗口")
    rows["子项"][2].update(受理条件="申请人具有完全民事行为能力")
    columns = {(r, k): (a, c) for r, k, a, c in _texts_and_typed(write(rows, "脏.xlsx"))}
    arrow, cells = columns[("leaf", "conditions")]
    assert arrow == cells
    assert arrow[0] == "申请人 具有 完全民事行为能力；\n\n材料齐全。"
    assert arrow[1] is None  # blanks only: omitted, as an empty cell
    assert columns[("leaf", "address")][0][1] == "市民中心12号窗口"


def test_repeated_text_columns_are_kept_once_and_read_back_as_texts():
    tables = read_tables(SAMPLES / "市级目录.xlsx").tables
    kept_once = 0
    for sheet in tables.values():
        for key in sheet.fields:
            stored = sheet.stored(key)
            if pa.types.is_dictionary(stored.type):
                kept_once += 1
                assert sheet.column(key).type == pa.string()
                assert sheet.column(key).to_pylist() == stored.to_pylist()
    assert kept_once > 0
    assert not pa.types.is_dictionary(tables["leaf"].stored("impl_code").type)  # all different


def test_a_column_of_all_different_texts_converts_as_its_distinct_cells():
    from catalog_cli.read.tables import _all_different, distinct, text_distinct
    from catalog_cli.schema import load_schema

    texts = [
        f"申请人{i}　具有完全民事行为能力 " if i % 3 else f"第{i}条：材料齊全" for i in range(3000)
    ]
    array = pa.array([*texts, None, "", "  ", texts[0]])
    assert _all_different(array)  # the path that converts every row without hashing
    fld = load_schema().records["leaf"].fields["conditions"]
    fast, reference = text_distinct(array, fld), distinct(array, fld)
    rows = range(len(array))
    assert [fast.value(r) for r in rows] == [reference.value(r) for r in rows]
    assert (fast.value(0), fast.value(1)) == ("第0条：材料齐全", "申请人1 具有完全民事行为能力")
