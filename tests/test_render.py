"""Text and JSON renderings of a validation report, against golden files (catalog_cli/report/render.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import write_rows

from catalog_cli.model.findings import FINDING_KEYS
from catalog_cli.report.render import render_json, render_text
from catalog_cli.validate import validate_paths

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def report(rows, tmp_path, monkeypatch):
    rows["子项"][0]["承诺办结时限"] = "25个工作日"
    rows["子项"][1]["实施主体编码"] = "11511301008778183M"
    rows["子项"][2]["到办事现场次数"] = 2
    rows["子项"][2]["必须现场办理原因说明"] = None
    rows["申请材料"].append(
        {"实施编码": "NOSUCHCODE", "序号": 1, "材料名称": "申请书", "是否必需": "必要"}
    )
    monkeypatch.chdir(tmp_path)
    write_rows(Path("县级目录.xlsx"), rows)
    return validate_paths(["县级目录.xlsx"])


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_text_matches_golden(report):
    _golden("validate.txt", render_text(report))


def test_json_matches_golden_and_has_exactly_the_finding_keys(report):
    text = render_json(report)
    _golden("validate.json", text)
    data = json.loads(text)
    assert set(data) == {"summary", "findings"}
    assert all(tuple(f) == FINDING_KEYS for f in data["findings"])
    assert data["summary"]["by_severity"]["error"] == len(data["findings"])


def test_text_verdict_line_and_counts(report):
    text = render_text(report)
    assert (
        text.rstrip()
        .splitlines()[-1]
        .startswith("校验不通过：1 个文件，主项 2 项，子项 3 项；错误 6 个")
    )
    assert "按规则统计" in text and "orphan-material" in text
