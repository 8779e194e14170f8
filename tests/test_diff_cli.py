"""The ``catalog diff`` command: exit codes, JSON keys, an unreadable county, xlsx, HTML, align."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from helpers import SAMPLES
from typer.testing import CliRunner

from catalog_cli.cli import app

CITY = str(SAMPLES / "市级目录.xlsx")
COUNTIES = [str(SAMPLES / "县级目录-东湖县.xlsx"), str(SAMPLES / "县级目录-西山县.xlsx")]
runner = CliRunner()


def run(*args: str) -> object:
    return runner.invoke(app, ["diff", *args])


def test_json_keys_and_exit_code() -> None:
    result = run(CITY, *COUNTIES, "-f", "json", "-j", "1")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert list(data) == ["city", "elements", "summary", "ranking", "counties", "unreadable"]
    assert data["elements"] == [
        "事项名称",
        "事项编码",
        "受理条件",
        "申请材料",
        "办理时限",
        "办理流程",
    ]
    county = data["counties"][0]
    assert list(county) == [
        "file", "matched", "matched_by", "unclaimed", "county_only", "suggestions",
        "deviations", "rates", "rate", "findings",
    ]  # fmt: skip
    assert list(county["deviations"][0]) == [
        "item", "code", "county_item", "row", "element", "element_key", "kind", "severity",
        "subject", "city", "county", "diff",
    ]  # fmt: skip
    assert data["summary"]["deviations"] == 21
    assert [r["file"] for r in data["ranking"]] == [COUNTIES[1], COUNTIES[0]]


def test_same_catalog_exits_clean() -> None:
    result = run(CITY, CITY.replace("市级目录.xlsx", "市级目录.xlsx"), "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counties"][0]["rate"] == 100.0


def test_unreadable_county_is_reported_and_the_others_compared(tmp_path: Path) -> None:
    broken = tmp_path / "县级目录-坏.xlsx"
    broken.write_bytes(b"not a workbook")
    result = run(CITY, str(broken), COUNTIES[0], "-f", "json", "-j", "2")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [c["file"] for c in data["counties"]] == [COUNTIES[0]]
    assert "县级目录-坏.xlsx" in result.stderr and "Traceback" not in result.output


def test_text_fits_80_columns() -> None:
    import wcwidth

    result = run(CITY, *COUNTIES)
    table_lines = [line for line in result.stdout.splitlines() if line[:1] in "┏┃┡│└"]
    assert table_lines and max(wcwidth.wcswidth(line) for line in table_lines) <= 80
    assert "承诺时限延长" in result.stdout
    # values shortened to fit say so, and where the whole text is; the JSON has them whole
    assert "表中较长的文字已缩短" in result.stdout
    data = run(CITY, *COUNTIES, "-f", "json").stdout
    assert "表中较长的文字已缩短" not in data and "八十周岁以上老年人高龄津贴发放" in data


def test_xlsx_html_and_align(tmp_path: Path) -> None:
    book, page, folder = tmp_path / "diff.xlsx", tmp_path / "diff.html", tmp_path / "aligned"
    assert run(CITY, *COUNTIES, "-f", "xlsx", "-o", str(book)).exit_code == 1
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["汇总", "各要素", "县级目录-东湖县", "县级目录-西山县"]
    sheet = wb["县级目录-东湖县"]
    assert sheet.max_row == 12 and sheet.cell(2, 7).comment.text.startswith("市级：")
    assert (
        run(CITY, COUNTIES[0], "-f", "html", "-o", str(page), "--align", str(folder)).exit_code == 1
    )
    html = page.read_text(encoding="utf-8")
    assert "食品经营许可证核发（新办）" in html and "<select" in html
    aligned = folder / "县级目录-东湖县-对齐.xlsx"
    log = openpyxl.load_workbook(folder / "县级目录-东湖县-对齐修改记录.xlsx")["修改记录"]
    # 11 deviations set, and 2 situations whose material list followed the city's materials
    assert log.max_row == 1 + 11 + 2 and log.cell(1, 1).value == "实施编码"
    again = run(CITY, str(aligned), "-f", "json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["summary"]["deviations"] == 0


def test_version_diff_and_bad_element() -> None:
    result = run(str(SAMPLES / "市级目录-2021版.xlsx"), CITY, "--elements", "all", "-f", "json")
    assert result.exit_code == 1
    assert "办理地点" in json.loads(result.stdout)["elements"]
    text = run(str(SAMPLES / "市级目录-2021版.xlsx"), CITY, "--elements", "all").stdout
    assert "所比对要素的一致率" in text and "六个统一一致率" not in text  # not the six alone
    assert "六个统一一致率" in run(CITY, COUNTIES[0]).stdout
    bad = run(CITY, COUNTIES[0], "--elements", "不存在的要素")
    assert bad.exit_code == 2 and "不认识的要素" in bad.stderr


def derived_counties(folder: Path, n: int) -> list[str]:
    """``n`` county workbooks derived from the city sample, each with its own drift."""
    from catalog_cli.read import read_catalog
    from catalog_cli.write.workbook import write_workbook

    paths = []
    for k in range(n):
        catalog = read_catalog([Path(CITY)]).catalog
        leaves = list(catalog.iter_leaves())
        leaves[k].name = f"{leaves[k].name}服务"
        if k % 2 and len(leaves[k + 1].materials) > 1:
            del leaves[k + 1].materials[0]
        if k % 3 == 0:
            catalog.main_items = [m for m in catalog.main_items if leaves[-1 - k] not in m.leaves]
        path = folder / f"县级目录-{k}.xlsx"
        write_workbook(catalog, path, links=False)
        paths.append(str(path))
    return paths


def test_many_counties_in_workers_give_the_same_json(tmp_path: Path) -> None:
    counties = derived_counties(tmp_path, 6)
    serial = run(CITY, *counties, "-f", "json", "-j", "1")
    parallel = run(CITY, *counties, "-f", "json", "-j", "2")
    assert serial.exit_code == parallel.exit_code == 1, parallel.output
    assert parallel.stdout == serial.stdout
    data = json.loads(parallel.stdout)
    assert [c["file"] for c in data["counties"]] == counties
    renamed = [sum(d["kind"] == "renamed" for d in c["deviations"]) for c in data["counties"]]
    assert all(n >= 1 for n in renamed)
    assert [len(c["unclaimed"]) > len(data["counties"][1]["unclaimed"]) for c in
            data["counties"]] == [k % 3 == 0 for k in range(6)]  # fmt: skip


def test_one_run_prints_nothing_but_writes_every_report(tmp_path: Path) -> None:
    book, page, data = tmp_path / "比对.xlsx", tmp_path / "比对.html", tmp_path / "比对.json"
    folder = tmp_path / "对齐"
    result = run(CITY, *COUNTIES, "-o", str(book), "-o", str(page), "-o", str(data),
                 "--align", str(folder))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "六个统一一致率 85.14%" in result.stderr and f"结果已写入 {page}" in result.stderr
    assert openpyxl.load_workbook(book).sheetnames[0] == "汇总"
    assert "<select" in page.read_text(encoding="utf-8")
    assert json.loads(data.read_bytes())["summary"]["counties"] == 2
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"县级目录-{c}-{kind}.xlsx"
        for c in ("东湖县", "西山县")
        for kind in ("对齐", "对齐修改记录")
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["-f", "xlsx"], "--format xlsx 需要用 -o 指定输出文件"),
        (["-f", "json", "-o", "x.xlsx"], "x.xlsx：后缀是 xlsx 的，与 --format json 不符"),
        (["-o", "x.report"], "x.report：从后缀看不出输出格式"),
    ],
)
def test_outputs_are_checked_before_anything_is_read(
    tmp_path: Path, args: list[str], says: str
) -> None:
    missing = str(tmp_path / "没有这个县.xlsx")  # never reached: the usage error comes first
    result = run(CITY, missing, *args)
    assert result.exit_code == 2
    assert says in result.stderr and "没有这个县" not in result.stderr


def test_an_unknown_suffix_is_written_in_the_format_asked(tmp_path: Path) -> None:
    out = tmp_path / "比对.log"
    assert run(CITY, COUNTIES[0], "-f", "text", "-o", str(out)).exit_code == 1
    assert "各县一致率排名" in out.read_text(encoding="utf-8")


def test_two_counties_of_one_name_cannot_be_aligned(tmp_path: Path) -> None:
    for sub in ("甲", "乙"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "县级目录.xlsx").write_bytes(Path(COUNTIES[0]).read_bytes())
    result = run(CITY, str(tmp_path / "甲"), str(tmp_path / "乙"), "--align", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "同名：--align 为它们写出的文件会重名" in result.stderr
    assert not (tmp_path / "o").exists()


def test_an_aligned_output_never_replaces_a_county(tmp_path: Path) -> None:
    county = tmp_path / "县级目录-对齐.xlsx"
    county.write_bytes(Path(COUNTIES[0]).read_bytes())
    (tmp_path / "县级目录.xlsx").write_bytes(Path(COUNTIES[1]).read_bytes())
    before = county.read_bytes()
    result = run(CITY, str(tmp_path), "--align", str(tmp_path))
    assert result.exit_code == 2 and "是输入文件" in result.stderr
    assert county.read_bytes() == before


def test_a_folder_of_department_files_is_one_county_with_per_folder(tmp_path: Path) -> None:
    from catalog_cli.model import Catalog
    from catalog_cli.read import read_catalog
    from catalog_cli.write.workbook import write_workbook

    whole = read_catalog([Path(COUNTIES[0])]).catalog
    folder = tmp_path / "东湖县"
    folder.mkdir()
    half = len(whole.main_items) // 2
    for n, mains in enumerate((whole.main_items[:half], whole.main_items[half:]), 1):
        write_workbook(Catalog(main_items=mains, bundles=whole.bundles), folder / f"部门{n}.xlsx")
    alone = json.loads(run(CITY, COUNTIES[0], "-f", "json").stdout)["counties"][0]
    as_one = run(CITY, str(folder), "--per-folder", "-f", "json", "--align", str(tmp_path / "o"))
    assert as_one.exit_code == 1, as_one.output
    county = json.loads(as_one.stdout)["counties"][0]
    assert county["file"] == str(folder)
    assert (county["matched"], len(county["deviations"])) == (alone["matched"], 11)
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "东湖县-对齐.xlsx",
        "东湖县-对齐修改记录.xlsx",
    ]
    split = json.loads(run(CITY, str(folder), "-f", "json").stdout)["counties"]
    assert [Path(c["file"]).name for c in split] == ["部门1.xlsx", "部门2.xlsx"]


def test_explain_names_how_the_city_and_every_county_were_read() -> None:
    result = run(CITY, *COUNTIES, "--explain", "-f", "json", "-j", "2")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["summary"]["counties"] == 2  # stdout keeps the report
    heads = [x for x in result.stderr.splitlines() if "· 子项：" in x]
    assert [Path(x.split(" · ")[0]).name for x in heads] == [
        "市级目录.xlsx",
        "县级目录-东湖县.xlsx",
        "县级目录-西山县.xlsx",
    ]
    assert "“实施编码” → 实施编码" in result.stderr
    assert "→" not in run(CITY, COUNTIES[0], "-f", "json").stderr
