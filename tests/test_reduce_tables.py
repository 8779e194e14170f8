"""Reducing a standard workbook on tables gives the result reducing its records gives.

``compute_reduction_tables(read_tables(path))`` (the path ``catalog reduce`` takes for one
standard workbook without a baseline) against ``compute_reduction(read_catalog([path]).catalog)``:
an equal :class:`ReduceResult` — every leaf's row in leaf order and every bundle's figures — on
the samples, the template, clean and broken workbooks, the real data and the bench workbook; and
the command's output is the record path's, byte for byte.
"""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import IMPL_1, IMPL_2, IMPL_3, MAIN_ONE, MAIN_SUBS, USCC_B
from helpers import SAMPLE_WORKBOOKS, SAMPLES, bench_workbook
from test_realdata import REALDATA, SETS
from test_validate_tables import BREAKERS
from typer.testing import CliRunner

from catalog_cli.analyses.reduce import UNKNOWN, ReduceResult, compute_reduction, unit_totals
from catalog_cli.analyses.reduce_tables import (
    compute_reduction_tables,
    reduce_records,
    workbook_bundles,
)
from catalog_cli.cli import app
from catalog_cli.model import Bundle
from catalog_cli.read import gather_inputs, read_catalog
from catalog_cli.read.bundles import load_bundles
from catalog_cli.read.tables import read_tables
from catalog_cli.write.workbook import write_template, write_workbook

Rows = dict[str, list[dict[str, Any]]]
runner = CliRunner()
REDUCE = importlib.import_module("catalog_cli.cli.reduce")


def _both(
    path: Path, ceiling: float | None = None, bundles: list[Bundle] | str | None = None
) -> tuple[ReduceResult, ReduceResult]:
    """(on tables, on records) for a workbook; ``bundles="sheet"`` takes its 一件事 sheet."""
    return _pairs(path, [ceiling], [bundles])[0]


def _pairs(
    path: Path, ceilings: list[float | None], choices: list[list[Bundle] | str | None]
) -> list[tuple[ReduceResult, ReduceResult]]:
    """(on tables, on records) for every ceiling and choice of bundles, each input read once."""
    read = read_catalog([path])
    out = []
    for bundles in choices:
        sheet = bundles == "sheet"
        tables = read_tables(path, reduce_records(bundles is not None, sheet))
        chosen = read.catalog.bundles if sheet else bundles
        for ceiling in ceilings:
            reference = compute_reduction(
                read.catalog,
                ceiling=ceiling,
                bundles=chosen,
                files=read.files,  # type: ignore[arg-type]
            )
            mine = compute_reduction_tables(
                tables,
                ceiling=ceiling,
                bundles=workbook_bundles(tables) if sheet else bundles,  # type: ignore[arg-type]
                files=[str(path)],
            )
            out.append((mine, reference))
    return out


def _assert_same(path: Path) -> ReduceResult:
    """Equal results by default, with a ceiling, and with the workbook's bundles."""
    for mine, reference in _pairs(path, [None, 0.3], [None, "sheet"]):
        assert mine.legal == reference.legal
        assert mine.bundles == reference.bundles
        assert mine == reference
    return reference


def _leaf(rows: Rows, index: int, impl: str | None, **changes: Any) -> dict[str, Any]:
    leaf = copy.deepcopy(rows["子项"][index])
    leaf.update(实施编码=impl, **changes)
    rows["子项"].append(leaf)
    return leaf


def _bundle(name: str, members: str | None, **changes: Any) -> dict[str, Any]:
    return {
        "一件事名称": name,
        "成员实施编码": members,
        "申请材料数": 3,
        "办理环节数": 2,
        "承诺办结时限": "3个工作日",
        "到办事现场次数": 1,
        **changes,
    }


# --- the workbooks -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_WORKBOOKS)
def test_samples_reduce_the_same_on_tables(name):
    reference = _assert_same(SAMPLES / name)
    assert reference.legal and reference.compared()


def test_a_sample_with_bundles_computes_them():
    mine, reference = _both(SAMPLES / "市级目录.xlsx", 0.3, "sheet")
    assert reference.bundles and any(b.materials_sum for b in reference.bundles)
    assert mine == reference


def test_the_bench_workbook_reduces_the_same_on_tables():
    assert len(_assert_same(bench_workbook()).legal) >= 20_000


def test_a_clean_workbook_and_the_empty_template_reduce_the_same(rows, write, tmp_path):
    rows["一件事"] = [_bundle("开办餐馆一件事", f"{IMPL_1}；{IMPL_3}")]
    assert _assert_same(write(rows)).bundles
    write_template(tmp_path / "模板.xlsx", 5)
    assert _assert_same(tmp_path / "模板.xlsx").legal == ()


@pytest.mark.parametrize("missing", ["主项", "子项", "申请材料", "办理流程"])
def test_a_workbook_without_a_sheet_reduces_the_same(missing, rows, write):
    rows["一件事"] = [_bundle("开办餐馆一件事", f"{IMPL_1}；{IMPL_3}")]
    del rows[missing]
    _assert_same(write(rows, f"无{missing}.xlsx"))


@pytest.mark.parametrize("kind", sorted(BREAKERS))
def test_broken_workbooks_reduce_the_same_on_tables(kind, rows, write):
    BREAKERS[kind](rows)
    _assert_same(write(rows, f"{kind}.xlsx"))


def test_every_breaker_at_once_reduces_the_same(rows, write):
    for breaker in BREAKERS.values():
        breaker(rows)
    reference = _assert_same(write(rows, "全部.xlsx"))
    assert any(b.missing for b in _both(write(rows, "全部2.xlsx"), None, "sheet")[1].bundles)
    assert reference.legal


def _tree(rows: Rows) -> None:
    """Orphans, duplicate codes, blank 主项编码, main items after their leaves, and bundles that
    name them."""
    b = USCC_B + "3"
    mains = rows["主项"]
    mains.insert(
        0, {**mains[1], "基本编码": "340799000001", "事项名称": "新设主项"}
    )  # ranked first
    mains.append({**mains[1], "事项名称": "重复主项"})  # leaves attach to the first MAIN_SUBS
    # a duplicate 实施编码 whose later row comes first in leaf order: it is the bundle's member,
    # though the children attach to the first row (sheet order)
    _leaf(rows, 0, IMPL_3, 主项编码="340799000001", 承诺办结时限="2个工作日", 到办事现场次数=3)
    _leaf(rows, 0, b + "340164213201", 主项编码="999999999999")  # orphan-leaf
    _leaf(rows, 0, b + "340164213201", 主项编码="999999999998", 到办事现场次数="两次")
    _leaf(rows, 2, b + "340720015102", 主项编码=None, 基本编码=MAIN_ONE)  # by its 基本编码
    _leaf(rows, 2, b + "340720015103", 主项编码=None, 基本编码="340799999999")  # an orphan
    _leaf(rows, 2, None, 主项编码=None, 基本编码=None, 事项名称="无编码事项")
    _leaf(rows, 1, IMPL_1, 主项编码=MAIN_SUBS)  # a later duplicate under the same main item
    rows["申请材料"] += [
        {"实施编码": b + "340164213201", "序号": 1, "材料名称": "申请书", "是否必需": "必要"},
        {"实施编码": b + "340164213201", "序号": 2, "材料名称": " 申请书 ", "是否必需": None},
        {"实施编码": b + "340164213201", "序号": 3, "材料名称": None, "是否必需": "容缺后补"},
        {"实施编码": b + "340720015102", "序号": 1, "材料名称": "身份证明", "是否必需": "非必要"},
    ]
    rows["办理流程"] += [{"实施编码": b + "340164213201", "序号": 1, "环节名称": "受理"}]
    rows["一件事"] = [
        _bundle("全有", f"{IMPL_1}；{IMPL_2}；{IMPL_3}"),
        _bundle("孤儿与重复", f"{b}340164213201；{IMPL_3}；{b}340720015102", 承诺办结时限="即办"),
        _bundle("缺成员", f"{IMPL_1}；NOSUCHCODE；AAA", 申请材料数=None, 办理环节数="两个"),
        _bundle("全缺", "AAA；BBB；AAA", 承诺办结时限="3个自然日"),
        _bundle("无成员", None, 到办事现场次数=None),
    ]


def test_leaf_order_duplicates_orphans_and_bundles_follow_the_records(rows, write):
    _tree(rows)
    path = write(rows, "树.xlsx")
    reference = _assert_same(path)
    codes = [r.impl_code for r in reference.legal]
    assert codes[0] == IMPL_3 and codes.count(IMPL_3) == 2  # the main item ranked first
    mine, reference = _both(path, None, "sheet")
    assert [b.missing for b in reference.bundles][2:4] == [
        ("NOSUCHCODE", "AAA"),
        ("AAA", "BBB", "AAA"),
    ]
    # IMPL_3's member leaf is the late row (first in leaf order): its children went elsewhere
    assert reference.bundles[0].materials_sum < 3 * 2 and mine == reference


def test_main_items_after_their_leaves_reduce_the_same(rows, write):
    rows["主项"].reverse()
    _leaf(rows, 2, USCC_B + "3340720015109", 主项编码=None)  # no 主项编码: by its 基本编码
    rows["子项"].reverse()
    rows["一件事"] = [_bundle("倒序", f"{IMPL_1}；{IMPL_3}")]
    reference = _assert_same(write(rows))
    # MAIN_ONE's leaves first (its main item is now first), in their (reversed) row order
    assert [r.impl_code for r in reference.legal][:2] == [USCC_B + "3340720015109", IMPL_3]


LIMITS = [
    ("20个工作日", "5个工作日"),
    ("20个工作日", "即办"),
    ("即办", "即办"),
    ("无", "5个工作日"),
    (None, "5个工作日"),
    ("20个工作日", None),
    ("30个自然日", "10个工作日"),
    ("约二十天", "5个工作日"),
    ("20个工作日", "尽快办结"),
    ("0个工作日", "0个工作日"),
    ("20个工作日", "20个工作日"),
    ("60个自然日", "45个自然日"),
    ("2个月", "1个月"),
    ("24小时", "30小时"),
    (20, 5),
    ("20", "5个工作日"),
    ("20个工作日", "即时办结"),
]


def test_time_limits_of_every_kind_reduce_the_same(rows, write):
    for n, (legal, promised) in enumerate(LIMITS):
        _leaf(rows, n % 3, f"{USCC_B}33407200151{n:02d}", 法定办结时限=legal, 承诺办结时限=promised)
    rows["一件事"] = [
        _bundle("混合单位", "；".join(f"{USCC_B}33407200151{n:02d}" for n in (0, 1, 6, 12))),
        _bundle("即办", f"{USCC_B}3340720015101；{USCC_B}3340720015102", 承诺办结时限="即办"),
        _bundle("无法识别", f"{USCC_B}3340720015108", 承诺办结时限="尽快"),
    ]
    reference = _assert_same(write(rows))
    assert len(reference.excluded()) >= 4 and reference.over_ceiling() is not None


def test_bundles_from_a_file_reduce_the_same(rows, write, tmp_path):
    _tree(rows)
    path = write(rows, "树.xlsx")
    file = tmp_path / "一件事.json"
    members = [IMPL_1, IMPL_3, f"{USCC_B}3340164213201", "NOSUCHCODE", 12, ""]
    file.write_text(
        json.dumps(
            {
                "bundles": [
                    {"name": "文件中的一件事", "members": members, "promised_limit": "2个工作日"},
                    {"name": "空", "members": [], "material_count": 1, "visits": 0},
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    bundles = load_bundles(file)
    mine, reference = _both(path, 0.3, bundles)
    assert reference.bundles[0].missing == ("NOSUCHCODE", 12, "")
    assert mine == reference


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout")
@pytest.mark.parametrize("name", sorted(SETS))
def test_the_real_data_normalized_reduces_the_same(name, tmp_path):
    """Links and codes differ on the real data: the command reduces on records, and what it
    finds is what the source gives."""
    target = tmp_path / f"{name}.xlsx"
    done = runner.invoke(app, ["normalize", *map(str, SETS[name]), "-o", str(target)])
    assert target.exists(), done.output
    mine, errors, _ = REDUCE.reduce_on_records(gather_inputs([target]), REDUCE.ReduceOptions())
    source = compute_reduction(read_catalog(SETS[name]).catalog)
    assert not errors and mine.legal and mine.legal == source.legal
    # reduce reads 主项 and 子项 only: on tables unless their links differ from the codes
    on_tables = REDUCE.reduce_on_tables(target, False, None, None)
    assert on_tables is None or on_tables == mine
    assert (on_tables is None) == (name != "guangxi")


@pytest.mark.parametrize("name", SAMPLE_WORKBOOKS)
def test_samples_written_with_link_columns_reduce_the_same_on_tables(name, tmp_path):
    out = tmp_path / name
    write_workbook(read_catalog([SAMPLES / name]).catalog, out)
    assert _assert_same(out).legal


@pytest.mark.parametrize("key", ["department", "item_type"])
def test_groups_are_the_unit_totals_of_their_rows(key):
    result = _both(SAMPLES / "县级目录-东湖县.xlsx")[0]
    groups: dict[str, list[Any]] = {}
    for row in result.legal:
        groups.setdefault(getattr(row, key) or UNKNOWN, []).append(row)
    expected = [t for name in sorted(groups) for t in unit_totals(groups[name], name)]
    assert len(expected) > 3 and result.by_group(key) == expected


# --- the command -------------------------------------------------------------------------------


def _spy(monkeypatch) -> list[Path]:
    """Record the workbooks the command reads as tables."""
    taken: list[Path] = []
    real = REDUCE.read_tables
    monkeypatch.setattr(REDUCE, "read_tables", lambda p, r=None: taken.append(p) or real(p, r))
    return taken


def _on_records(monkeypatch, args: list[str]) -> Any:
    """The command's output when no input is read as tables."""
    with monkeypatch.context() as patch:
        patch.setattr(REDUCE, "table_input", lambda sources: None)
        return runner.invoke(app, args)


OPTIONS = [
    ["-f", "json"],
    ["-f", "json", "--ceiling", "0.3", "--bundles"],
    ["-f", "md", "--bundles"],
    ["--details", "--ceiling", "0.5"],
    ["--bundles"],
]


@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
def test_the_command_reduces_one_standard_workbook_on_tables(monkeypatch, options):
    taken = _spy(monkeypatch)
    path = SAMPLES / "市级目录.xlsx"
    mine = runner.invoke(app, ["reduce", str(path), *options])
    assert taken == [path]
    reference = _on_records(monkeypatch, ["reduce", str(path), *options])
    assert len(taken) == 1
    assert (mine.exit_code, mine.stdout, mine.stderr) == (
        reference.exit_code,
        reference.stdout,
        reference.stderr,
    )
    assert mine.exit_code == 0 and mine.stdout


def test_the_command_writes_the_same_files(monkeypatch, tmp_path):
    path = SAMPLES / "县级目录-东湖县.xlsx"
    for fmt in ("json", "xlsx", "md", "text"):
        mine, reference = tmp_path / f"tables.{fmt}", tmp_path / f"records.{fmt}"
        args = ["reduce", str(path), "--bundles", "--ceiling", "0.3", "-f", fmt]
        first = runner.invoke(app, [*args, "-o", str(mine)])
        second = _on_records(monkeypatch, [*args, "-o", str(reference)])
        assert first.exit_code == second.exit_code == 0
        assert first.stderr.replace(str(mine), "") == second.stderr.replace(str(reference), "")
        if fmt == "xlsx":
            assert _cells(mine) == _cells(reference)
        else:
            assert mine.read_bytes() == reference.read_bytes()


def _cells(path: Path) -> list[list[tuple[Any, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def test_the_command_with_a_bundles_file(monkeypatch, tmp_path, rows, write):
    _tree(rows)
    path = write(rows, "树.xlsx")
    file = tmp_path / "一件事.yaml"
    file.write_text(f"- name: 甲\n  members: ['{IMPL_1}', '{IMPL_3}', 'X']\n", encoding="utf-8")
    taken = _spy(monkeypatch)
    args = ["reduce", str(path), "--bundles-file", str(file), "-f", "json"]
    mine = runner.invoke(app, args)
    reference = _on_records(monkeypatch, args)
    assert taken == [path] and mine.stdout == reference.stdout
    assert json.loads(mine.stdout)["bundles"]["items"][0]["missing"] == ["X"]


def test_the_command_with_a_baseline_reads_records(monkeypatch):
    taken = _spy(monkeypatch)
    path, old = SAMPLES / "市级目录.xlsx", SAMPLES / "市级目录-2021版.xlsx"
    done = runner.invoke(app, ["reduce", str(path), "--baseline", str(old), "-f", "json"])
    assert done.exit_code == 0 and taken == []
    data = json.loads(done.stdout)
    read, before = read_catalog([path]), read_catalog([old])
    expected = compute_reduction(
        read.catalog, baseline=before.catalog, baseline_files=before.files, files=read.files
    )
    assert data["baseline"]["items"] == {"before": expected.baseline_items, "after": 87}
    assert len(data["baseline"]["matched"]) == len(expected.pairs) > 0


def test_inputs_the_tables_reader_cannot_take_go_to_records(monkeypatch, tmp_path, rows, write):
    flat = SAMPLES / "messy" / "市级目录-平铺.xlsx"
    broken = write({**rows, "子项": [{"乱": 1, "码": 2}] * 3}, "无表头.xlsx")
    taken = _spy(monkeypatch)
    for path in (flat, broken, tmp_path / "不存在.xlsx"):
        mine = runner.invoke(app, ["reduce", str(path), "-f", "json"])
        reference = _on_records(monkeypatch, ["reduce", str(path), "-f", "json"])
        assert (mine.exit_code, mine.stdout, mine.stderr) == (
            reference.exit_code,
            reference.stdout,
            reference.stderr,
        )
    assert taken == [flat, broken]  # a file that does not exist is not a table input
