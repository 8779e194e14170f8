"""The normalize summary and lines (catalog_cli.report.normalize): JSON keys, Chinese labels,
per-file lines and the --explain lines."""

from __future__ import annotations

import json

from test_flat import write_messy

from catalog_cli.ingest.normalize import normalize_paths
from catalog_cli.read import read_catalog
from catalog_cli.report.normalize import (
    CHANGE_LABELS,
    change_lines,
    explain_lines,
    normalize_summary,
)


def test_every_change_kind_has_a_chinese_label():
    for kind in (
        "whitespace",
        "fullwidth",
        "traditional",
        "yes_no",
        "enum",
        "time_limit",
        "list_split",
        "merged_cell",
    ):
        assert CHANGE_LABELS[kind]
        assert all("\u4e00" <= ch <= "\u9fff" for ch in CHANGE_LABELS[kind])


SUMMARY_KEYS = {
    "output",
    "files",
    "main_items",
    "leaves",
    "changes",
    "layouts",
    "cut_cells",
    "errors",
}


def test_normalize_paths_summary(tmp_path):
    messy = write_messy(tmp_path / "江淮县.xlsx")
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"")
    out = tmp_path / "标准目录.xlsx"
    report = normalize_paths([messy, bad], out)
    summary = normalize_summary(report)
    assert set(summary) == SUMMARY_KEYS
    assert summary["output"] == str(out)
    assert summary["files"] == [str(messy), str(bad)]
    assert (summary["main_items"], summary["leaves"]) == (1, 2)
    assert set(summary["changes"]) == {"by_kind", "by_file"}
    assert set(summary["changes"]["by_file"]) == {str(messy)}
    by_kind = summary["changes"]["by_kind"]
    assert by_kind == summary["changes"]["by_file"][str(messy)]
    assert {"traditional", "fullwidth", "list_split", "merged_cell"} <= set(by_kind)
    (layout,) = summary["layouts"]
    assert (
        layout["file"] == str(messy)
        and layout["sheet"] == "市场监管局"
        and layout["layout"] == "flat"
    )
    assert layout["header_rows"] == [2, 3]
    assert (
        layout["columns"]["办理时限/法定"] == "legal_limit"
        and layout["columns"]["办理时限/承诺"] == "promised_limit"
    )
    assert layout["extra_columns"] == ["联系人"]
    (error,) = summary["errors"]
    assert str(bad) in error
    json.dumps(summary, ensure_ascii=False)  # JSON-ready
    assert out.exists()
    lines = change_lines(report)
    assert lines[0].startswith(f"{messy}：") and "繁体转简体" in lines[0]
    assert lines[1] == f"{bad}：无改动"


def test_explain_lines_name_each_sheet_and_its_columns(tmp_path):
    messy = write_messy(tmp_path / "江淮县.xlsx")
    lines = explain_lines(read_catalog([messy]))
    assert lines[0].startswith(f"{messy} · 市场监管局：平铺表")
    assert any("联系人" in line and "未识别" in line for line in lines[1:])
