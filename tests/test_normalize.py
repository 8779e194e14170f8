"""Value cleaning (catalog_cli.read.normalize), normalize_paths (catalog_cli.ingest.normalize) and
the normalize / ingest / validate commands on messy and unreadable inputs."""

from __future__ import annotations

import io
import json
import os
import struct
from pathlib import Path

import pytest
from conftest import IMPL_1, base_rows, write_rows
from test_flat import IMPL_NEW, write_messy
from test_report_normalize import SUMMARY_KEYS
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.ingest.normalize import normalize_paths
from catalog_cli.model.text import clean_block, clean_code, clean_line, to_simplified
from catalog_cli.read import read_catalog
from catalog_cli.read.normalize import Changes
from catalog_cli.report.normalize import normalize_summary

runner = CliRunner()
POLICE_IMPL = "1151130108337220433340720016000"


def flat(text: str) -> str:
    """stderr as one line: rich wraps long lines at the runner's terminal width."""
    return text.replace("\n", "")


# --- cleaning ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clean", "kinds"),
    [
        ("340164213001", "340164213001", ()),
        (" 340164213001 ", "340164213001", ("whitespace",)),  # trimming is a change too
        ("3401 6421 3001", "340164213001", ("whitespace",)),
        ("11511301008778183N\u3000", "11511301008778183N", ("whitespace",)),
        ("３４０１６４２１３００１", "340164213001", ("fullwidth",)),
        ("１１５１１３０１００８７７８１８３Ｎ", "11511301008778183N", ("fullwidth",)),
        ("３４０１ ６４２１３００１", "340164213001", ("whitespace", "fullwidth")),
    ],
)
def test_clean_code(text, clean, kinds):
    assert clean_code(text) == (clean, kinds)


@pytest.mark.parametrize(
    ("text", "clean", "kinds"),
    [
        ("江淮市公安局", "江淮市公安局", ()),
        ("  江淮市  市场监督管理局 ", "江淮市 市场监督管理局", ("whitespace",)),
        ("江淮市\n公安局", "江淮市 公安局", ("whitespace",)),
        ("咨询电话：０５５１12345678", "咨询电话：055112345678", ("fullwidth",)),
        ("江淮縣公安局", "江淮县公安局", ("traditional",)),
        (
            "江淮縣\t公安局 ２号窗口",
            "江淮县 公安局 2号窗口",
            ("whitespace", "fullwidth", "traditional"),
        ),
        ("（原件）：１份", "（原件）：1份", ("fullwidth",)),  # full-width Chinese punctuation stays
    ],
)
def test_clean_line(text, clean, kinds):
    assert clean_line(text) == (clean, kinds)


def test_clean_line_makes_a_full_width_phone_number_half_width():
    assert clean_line("０５５１－１２３４５６７８")[0] == "0551-12345678"


def test_clean_block_keeps_lines_and_folds_spaces():
    text = "第一条   内容  \r\n\n\n\n  第二条\u3000\u3000《中華人民共和國行政許可法》第１２条"
    clean, kinds = clean_block(text)
    assert clean == "第一条 内容\n\n第二条 《中华人民共和国行政许可法》第12条"
    assert kinds == ("whitespace", "fullwidth", "traditional")
    assert clean_block("申请人具有完全民事行为能力；\n材料齐全。") == (
        "申请人具有完全民事行为能力；\n材料齐全。",
        (),
    )


@pytest.mark.parametrize(
    ("text", "simple"),
    [
        ("江淮縣政務服務", "江淮县政务服务"),
        ("授權委託書", "授权委托书"),
        ("即辦", "即办"),
        ("後面", "后面"),
        ("理髮", "理发"),
    ],
)
def test_to_simplified_converts_traditional(text, simple):
    assert to_simplified(text) == simple


@pytest.mark.parametrize("text", ["乾坤", "干部", "皇后", "头发", "江淮市公安局", "ABC 123"])
def test_to_simplified_leaves_simplified_and_shared_characters(text):
    assert to_simplified(text) == text


def test_changes_count_per_file_and_kind():
    changes = Changes()
    changes.add("a.xlsx", "traditional")
    changes.add("a.xlsx", "traditional", 2)
    count = changes.counter("b.csv")
    count(("fullwidth", "whitespace"))
    count(("fullwidth",))
    changes.add("a.xlsx", "enum", 5)
    assert changes.by_file() == {
        "a.xlsx": {"enum": 5, "traditional": 3},
        "b.csv": {"fullwidth": 2, "whitespace": 1},
    }
    assert changes.by_kind() == {"enum": 5, "fullwidth": 2, "traditional": 3, "whitespace": 1}
    assert list(changes.by_kind()) == sorted(changes.by_kind())


def test_flat_values_yes_no_enum_and_time_limit_are_normalized_and_counted(tmp_path):
    import openpyxl

    path = tmp_path / "v.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "事项名称",
            "实施编码",
            "实施主体",
            "事项类型",
            "是否收费",
            "服务对象",
            "法定办结时限",
            "到现场次数",
        ]
    )
    ws.append(["户口迁移", POLICE_IMPL, " 江淮市公安局 ", "行政确认", "N", "个人、企业", 30, "1次"])
    wb.save(path)
    result = read_catalog([path])
    (leaf,) = result.catalog.iter_leaves()
    assert (leaf.agency, leaf.item_type, leaf.fee_charged, leaf.service_object, leaf.visits) == (
        "江淮市公安局",
        "07",
        False,
        ["1", "2"],
        1,
    )
    assert (leaf.legal_limit.value, leaf.legal_limit.unit) == (30, "工作日")
    counts = result.changes.by_file()[str(path)]
    assert (
        counts["yes_no"] == 1
        and counts["enum"] == 1
        and counts["time_limit"] == 1
        and counts["whitespace"] == 1
    )


# --- normalize_paths ----------------------------------------------------------------------------


def test_normalize_paths_writes_nothing_when_no_input_is_readable(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(os.urandom(512))
    out = tmp_path / "out.xlsx"
    report = normalize_paths([bad], out)
    assert not out.exists()
    assert len(normalize_summary(report)["errors"]) == 1


# --- the normalize command ---------------------------------------------------------------------


def test_normalize_command_writes_the_standard_workbook_and_a_summary(tmp_path):
    messy = write_messy(tmp_path / "江淮县.xlsx")
    out = tmp_path / "标准目录.xlsx"
    summary_path = tmp_path / "s.json"
    result = runner.invoke(
        app, ["normalize", str(messy), "-o", str(out), "--summary", str(summary_path), "--explain"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    err = flat(result.stderr)
    assert "Traceback" not in err
    # --explain: layout, header rows and the mapping
    assert "市场监管局" in err and "平铺表" in err and "第 2、3 行" in err
    assert "“办理时限/法定” → 法定办结时限" in err
    assert "“联系人” → 未识别" in err
    # the per-file change line
    assert f"{messy}：" in err
    assert "繁体转简体" in err and "全角转半角 1 处" in err and "拆分一格多项" in err
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert set(summary) == SUMMARY_KEYS
    assert summary["changes"]["by_file"][str(messy)]["fullwidth"] == 1
    assert summary["errors"] == []
    # the output is the standard workbook and holds the same catalog
    back = read_catalog([out])
    assert {layout.kind for layout in back.layouts} == {"standard"}
    assert back.catalog == read_catalog([messy]).catalog
    leaf = next(leaf for leaf in back.catalog.iter_leaves() if leaf.impl_code == IMPL_NEW)
    assert leaf.extra == {"联系人": "张三"}
    assert [s.name for s in leaf.situations] == ["本人办理", "委托代理人办理"]


def test_normalizing_the_output_again_changes_nothing(tmp_path):
    messy = write_messy(tmp_path / "江淮县.xlsx")
    first = tmp_path / "一.xlsx"
    assert runner.invoke(app, ["normalize", str(messy), "-o", str(first)]).exit_code == 0
    second, third = tmp_path / "二.xlsx", tmp_path / "三.xlsx"
    summary_path = tmp_path / "s.json"
    result = runner.invoke(
        app, ["normalize", str(first), "-o", str(second), "--summary", str(summary_path)]
    )
    assert result.exit_code == 0, result.output
    assert f"{first}：无改动" in flat(result.stderr)
    assert json.loads(summary_path.read_text(encoding="utf-8"))["changes"] == {
        "by_kind": {},
        "by_file": {},
    }
    assert read_catalog([second]).catalog == read_catalog([first]).catalog
    assert runner.invoke(app, ["normalize", str(first), "-o", str(third)]).exit_code == 0
    assert second.read_bytes() == third.read_bytes()


def test_normalize_many_inputs_reports_each_file(tmp_path):
    messy = write_messy(tmp_path / "江淮县.xlsx")
    csv_path = tmp_path / "公安局.csv"
    csv_path.write_bytes(
        f"事项名称,实施编码,基本编码,实施主体\n戶口遷移,{POLICE_IMPL},340720016000,江淮市公安局\n".encode(
            "gb18030"
        )
    )
    out = tmp_path / "out.xlsx"
    summary_path = tmp_path / "s.json"
    result = runner.invoke(
        app,
        ["normalize", str(messy), str(csv_path), "-o", str(out), "--summary", str(summary_path)],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert summary["changes"]["by_file"][str(csv_path)] == {"traditional": 1}
    assert summary["leaves"] == 3
    err = flat(result.stderr)
    assert f"{messy}：" in err and f"{csv_path}：繁体转简体 1 处" in err
    assert "户口迁移" in {leaf.name for leaf in read_catalog([out]).catalog.iter_leaves()}


def test_normalize_wrong_encoding_is_exit_2_with_the_fix(tmp_path):
    csv_path = tmp_path / "公安局.csv"
    csv_path.write_bytes(
        f"事项名称,实施编码,基本编码,实施主体\n户口迁移,{POLICE_IMPL},340720016000,江淮市公安局\n".encode(
            "gbk"
        )
    )
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["normalize", str(csv_path), "-o", str(out), "--encoding", "utf-8"])
    assert result.exit_code == 2
    err = flat(result.stderr)
    assert str(csv_path) in err and "--encoding" in err
    assert "Traceback" not in result.output
    assert not out.exists()
    ok = runner.invoke(app, ["normalize", str(csv_path), "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert (
        runner.invoke(
            app, ["normalize", str(csv_path), "-o", str(out), "--encoding", "gbk"]
        ).exit_code
        == 0
    )


def test_normalize_xls_input(tmp_path):
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("公安局")
    for c, h in enumerate(["事项名称", "实施编码", "基本编码", "实施主体", "承诺时限"]):
        ws.write(0, c, h)
    for c, v in enumerate(["户口迁移", POLICE_IMPL, "340720016000", "江淮市公安局", "即時辦理"]):
        ws.write(1, c, v)
    src = tmp_path / "公安局.xls"
    wb.save(str(src))
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["normalize", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (leaf,) = read_catalog([out]).catalog.iter_leaves()
    assert (leaf.name, leaf.promised_limit.value, leaf.promised_limit.unit) == (
        "户口迁移",
        0,
        "即办",
    )


# --- unreadable inputs -----------------------------------------------------------------------


def _encrypted_like(path: Path) -> Path:
    """An OLE compound file holding an EncryptedPackage stream.

    That is how Excel stores a password-protected xlsx.
    """
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook()
    wb.add_sheet("S").write(0, 0, "x")
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    old = "Workbook\0".encode("utf-16-le")
    new = "EncryptedPackage\0".encode("utf-16-le")
    at = data.index(old)
    path.write_bytes(
        data[:at] + new.ljust(64, b"\0") + struct.pack("<H", len(new)) + data[at + 66 :]
    )
    return path


def _bad(path: Path, kind: str) -> Path:
    if kind == "corrupt":
        path.write_bytes(os.urandom(4096))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("事项名称，实施编码\n这不是表格\n", encoding="utf-8")
    elif kind == "truncated":
        good = write_rows(path.with_name("full.xlsx"), base_rows()).read_bytes()
        path.write_bytes(good[: len(good) // 2])
    elif kind == "encrypted":
        _encrypted_like(path)
    return path


BAD_KINDS = ["corrupt", "empty", "text", "truncated", "encrypted"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_ingest_with_one_unreadable_input_exits_2_and_still_writes_the_others(tmp_path, kind):
    good = write_rows(tmp_path / "good.xlsx", base_rows())
    bad = _bad(tmp_path / "bad.xlsx", kind)
    out = tmp_path / "x.json"
    result = runner.invoke(app, ["ingest", str(good), str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("错误")]
    assert len(error_lines) == 1
    assert str(bad) in flat(result.stderr)
    if kind == "encrypted":
        assert "加密" in flat(result.stderr)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["main_items"]) == 2
    codes = {leaf["impl_code"] for main in data["main_items"] for leaf in main["leaves"]}
    assert IMPL_1 in codes and len(codes) == 3


def test_ingest_unreadable_sheet_and_csv_errors_name_the_file(tmp_path):
    good = write_rows(tmp_path / "good.xlsx", base_rows())
    no_header = tmp_path / "无表头.csv"
    no_header.write_text("甲,乙,丙\n1,2,3\n", encoding="utf-8")
    binary = tmp_path / "二进制.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "x.json"
    result = runner.invoke(app, ["ingest", str(good), str(no_header), str(binary), "-o", str(out)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误")]
    assert len(errors) == 2
    err = flat(result.stderr)
    assert str(no_header) in err and str(binary) in err
    assert len(json.loads(out.read_text(encoding="utf-8"))["main_items"]) == 2


def test_validate_with_one_unreadable_input_exits_2(tmp_path):
    good = write_rows(tmp_path / "good.xlsx", base_rows())
    bad = _bad(tmp_path / "bad.xlsx", "corrupt")
    result = runner.invoke(app, ["validate", str(good), str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(bad) in flat(result.stderr)
    data = json.loads(result.stdout)
    assert data["summary"]["leaves"] == 3
    assert len(data["summary"]["unreadable"]) == 1 and str(bad) in data["summary"]["unreadable"][0]


def test_normalize_with_only_unreadable_inputs_exits_2_and_writes_nothing(tmp_path):
    bad = _bad(tmp_path / "bad.xlsx", "text")
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["normalize", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert str(bad) in flat(result.stderr)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_debug_still_shows_no_traceback_for_an_unreadable_input_among_good_ones(tmp_path):
    good = write_rows(tmp_path / "good.xlsx", base_rows())
    bad = _bad(tmp_path / "bad.xlsx", "empty")
    result = runner.invoke(
        app, ["--debug", "ingest", str(good), str(bad), "-o", str(tmp_path / "x.json")]
    )
    assert result.exit_code == 2
    assert str(bad) in flat(result.stderr)


# --- many inputs --------------------------------------------------------------------------------


def test_ingest_merges_files_and_folders_and_flags_the_same_leaf_twice(tmp_path):
    a = write_rows(tmp_path / "a.xlsx", base_rows())
    folder = tmp_path / "县"
    folder.mkdir()
    write_messy(folder / "江淮县.xlsx")
    c = tmp_path / "c.csv"
    c.write_bytes(
        f"事项名称,实施编码,基本编码,实施主体\n户口迁移,{POLICE_IMPL},340720016000,江淮市公安局\n".encode(
            "gbk"
        )
    )
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["ingest", str(a), str(c), str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    codes = [leaf["impl_code"] for main in data["main_items"] for leaf in main["leaves"]]
    assert POLICE_IMPL in codes and IMPL_NEW in codes
    assert codes.count(IMPL_NEW) == 2  # in a.xlsx (IMPL_1) and in the folder's workbook
    # the same leaf in two files of one catalog (--merge: the files are parts of one catalog)
    report = runner.invoke(
        app, ["validate", str(a), str(c), str(folder), "--merge", "--format", "json"]
    )
    findings = json.loads(report.stdout)["findings"]
    dupes = [f for f in findings if f["code"] == "duplicate-impl-code" and f["item"] == IMPL_NEW]
    assert dupes and dupes[0]["file"] == str(folder / "江淮县.xlsx")


# --- whole columns at once ---------------------------------------------------------------------

_PIECES = [
    " a",
    "a ",
    "a  b",
    "書法",
    "中文",
    "x\u3000y",
    "１２３",
    "abc",
    "a\nb",
    "a\n\nb",
    " ",
    "\t",
    "\n",
    "A１",
    "臺灣",
    "a \n b",
    "乾隆",
    "后来",
    "發",
    "  ",
    "",
    " 中",
    "中 ",
    "𠀀",
    "é",
    "\x0b",
    "\u2028",
    "\r\n",
    "－",
    "a\u00a0",
    "\x85",
    "申请表（原件）",
]


@pytest.mark.parametrize("style", ["code", "line", "block"])
def test_clean_many_gives_what_cleaning_one_text_at_a_time_gives(style):
    import random

    from catalog_cli.model.text import CLEANERS, clean_many

    rng = random.Random(7)
    for _ in range(3000):
        texts = [
            rng.choice(_PIECES) + rng.choice(_PIECES) + rng.choice(_PIECES)
            for _ in range(rng.randint(0, 9))
        ]
        assert clean_many(style, texts) == [CLEANERS[style](t) for t in texts], texts


def test_clean_many_falls_back_when_a_text_holds_the_separator():
    from catalog_cli.model.text import clean_many

    assert clean_many("line", ["a\x00 b", " c"]) == [("a\x00 b", ()), ("c", ("whitespace",))]


@pytest.mark.parametrize("style", ["line", "block"])
def test_clean_many_finds_every_character_opencc_changes(style):
    from catalog_cli.model.text import CLEANERS, clean_many

    texts = [chr(c) + "事项" for c in range(0x3000, 0xA000)] + [
        chr(c) for c in range(0xF900, 0x10000)
    ]
    assert clean_many(style, texts) == [CLEANERS[style](t) for t in texts]
