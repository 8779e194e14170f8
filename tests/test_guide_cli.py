"""``catalog guide`` through the command line (typer's CliRunner), on the samples and on
workbooks written in the test.

The golden files in tests/golden/guides/ are the guides of one bundle and two items of
samples/市级目录.xlsx in HTML and Markdown (with the Markdown charts as .svg), compared byte for
byte. After an intended change of the output, regenerate them with::

    UPDATE_GOLDEN=1 PYTHONPATH=$PWD python -m pytest -q -p no:cacheprovider tests/test_guide_cli.py

and review the diff (the command they come from is ``GOLDEN_ARGS`` below).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import wcwidth
from conftest import IMPL_1, IMPL_2, IMPL_3, write_rows
from typer.testing import CliRunner

from catalog_cli.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CITY = SAMPLES / "市级目录.xlsx"
GOLDEN = Path(__file__).resolve().parent / "golden" / "guides"
BUNDLE = "企业开办一件事"
ITEM_SETUP = "1134190009001101XP300013420100101"  # 有限责任公司设立登记: situations, in BUNDLE
ITEM_ID_CARD = "11341900090011028P3000710118001"  # 居民身份证首次申领: fees
GOLDEN_ARGS = ["-f", "html", "-f", "md", "--bundle", BUNDLE, "--item", ITEM_SETUP]
GOLDEN_ARGS += ["--item", ITEM_ID_CARD]
EXTERNAL = r"<link|<img|\ssrc=|href=\"(https?:)?//|@import|url\((?!#)"  # fetched from elsewhere
runner = CliRunner()


def _run(*args: str | Path):
    return runner.invoke(app, ["guide", *map(str, args)])


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_samples_give_an_index_and_a_guide_per_bundle_and_leaf_in_each_format(tmp_path):
    out = tmp_path / "out"
    result = _run(CITY, "-o", out, "--format", "html", "--format", "md")
    assert result.exit_code == 0, result.output
    files = _files(out)
    assert "index.html" in files and "index.md" in files
    for ext in ("html", "md", "svg"):
        assert sum(f.startswith("items/") and f.endswith(ext) for f in files) == 87
        assert sum(f.startswith("bundles/") and f.endswith(ext) for f in files) == 3
    assert "87 份事项指南、3 份一件事指南" in result.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<li data-search="') == 90
    assert 'id="search"' in index and "<script>" in index
    for page in out.rglob("*.html"):  # self-contained: nothing fetched from anywhere
        text = page.read_text(encoding="utf-8")
        assert not re.search(EXTERNAL, text), page
    md = next((out / "items").glob(f"{ITEM_SETUP}-*.md")).read_text(encoding="utf-8")
    chart = re.search(r"!\[流程图\]\(([^)]+)\)", md).group(1)
    assert (out / "items" / _unquote(chart)).is_file()


def _unquote(link: str) -> str:
    from urllib.parse import unquote

    return unquote(link)


def test_default_formats_are_all_three_and_filters_pick_bundles_and_items(tmp_path):
    out = tmp_path / "out"
    result = _run(CITY, "-o", out, "--item", ITEM_ID_CARD, "--bundle", BUNDLE)
    assert result.exit_code == 0, result.output
    files = _files(out)
    item = f"items/{ITEM_ID_CARD}-居民身份证首次申领"
    bundle = "bundles/002-企业开办一件事"
    assert files == sorted(
        [f"{bundle}.{x}" for x in ("docx", "html", "md", "svg")]
        + ["index.docx", "index.html", "index.md"]
        + [f"{item}.{x}" for x in ("docx", "html", "md", "svg")]
    )
    only_bundle = tmp_path / "b"
    assert _run(CITY, "-o", only_bundle, "--bundle", "退休一件事", "-f", "html").exit_code == 0
    assert _files(only_bundle) == ["bundles/003-退休一件事.html", "index.html"]


def test_unknown_item_or_bundle_is_a_usage_error_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = _run(CITY, "-o", out, "--item", "NOSUCHCODE", "--bundle", "没有这件事")
    assert result.exit_code == 2
    assert "实施编码 NOSUCHCODE" in result.output and "没有这件事" in result.output
    assert not out.exists()


def test_strict_refuses_items_with_errors_and_names_them(rows, tmp_path):
    rows["子项"][1]["实施主体编码"] = "11511301008778183M"  # bad check digit: an error
    source = write_rows(tmp_path / "目录.xlsx", rows)
    out = tmp_path / "out"
    assert _run(source, "-o", out).exit_code == 0
    assert len(list((out / "items").glob("*.html"))) == 3
    strict = tmp_path / "strict"
    result = _run(source, "-o", strict, "--strict")
    assert result.exit_code == 1
    assert f"未生成：{IMPL_2}" in result.output
    names = [p.name for p in (strict / "items").glob("*.html")]
    assert sorted(n.split("-")[0] for n in names) == sorted([IMPL_1, IMPL_3])


def test_hostile_names_stay_inside_the_output_folder_and_are_escaped(rows, tmp_path):
    hostile = "../../<script>alert(1)</script>/" + "长" * 300
    rows["子项"][0]["事项名称"] = hostile
    rows["子项"][1]["事项名称"] = "..\\..\\x"
    rows["一件事"] = [{"一件事名称": "../<img src=x onerror=alert(1)>", "成员实施编码": IMPL_1}]
    source = write_rows(tmp_path / "目录.xlsx", rows)
    out = tmp_path / "deep" / "out"
    result = _run(source, "-o", out, "-f", "html", "-f", "md")
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != source]
    assert written and all(out in p.parents for p in written)
    assert all(len(p.name.encode("utf-8")) < 200 for p in written)
    for page in written:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page
    item = next((out / "items").glob(f"{IMPL_1}-*.html")).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in item
    assert "长" * 300 in item  # the page shows the whole name; only the file name is cut


def test_a_user_template_dir_overrides_one_template(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "item.html.j2").write_text(
        "<p>{{ guide.code }}|{{ guide.title }}|{{ '<b>' }}</p>\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = _run(CITY, "-o", out, "--item", ITEM_ID_CARD, "--template-dir", mine)
    assert result.exit_code == 0, result.output
    page = next((out / "items").glob("*.html")).read_text(encoding="utf-8")
    assert page == f"<p>{ITEM_ID_CARD}|居民身份证首次申领|&lt;b&gt;</p>\n"  # autoescaped
    assert "<style>" in (out / "index.html").read_text(encoding="utf-8")  # the others built in


def test_broken_template_missing_template_dir_and_missing_input_exit_2(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html.j2").write_text("{% for %}", encoding="utf-8")
    result = _run(CITY, "-o", tmp_path / "a", "--template-dir", mine, "--item", ITEM_ID_CARD)
    assert result.exit_code == 2 and "语法错误" in result.output
    assert "Traceback" not in result.output
    result = _run(CITY, "-o", tmp_path / "b", "--template-dir", tmp_path / "nope")
    assert result.exit_code == 2 and "模板目录" in result.output
    result = _run(tmp_path / "missing.xlsx", "-o", tmp_path / "c")
    assert result.exit_code == 2


def test_never_writes_onto_an_input(tmp_path):
    source = tmp_path / "index.html"
    shutil.copy(CITY, tmp_path / "目录.xlsx")
    source.write_text("keep", encoding="utf-8")
    result = _run(tmp_path / "目录.xlsx", "-o", tmp_path / "目录.xlsx")
    assert result.exit_code == 2 and "不会覆盖输入" in result.output
    result = _run(tmp_path / "目录.xlsx", source, "-o", tmp_path, "--item", ITEM_ID_CARD)
    assert result.exit_code == 2 and "不会覆盖输入" in result.output
    assert source.read_text(encoding="utf-8") == "keep"


def test_help_fits_80_columns():
    result = runner.invoke(app, ["guide", "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    assert result.exit_code == 0
    for option in ("--format", "--bundle", "--item", "--per-situation", "--template-dir"):
        assert option in result.output
    assert "--strict" in result.output and "--bundles-file" in result.output
    assert max(wcwidth.wcswidth(line) for line in result.output.splitlines()) <= 80


def test_bundles_file_replaces_the_bundle_sheet(tmp_path):
    bundles = tmp_path / "一件事.json"
    data = [{"name": "我要办证", "members": [ITEM_ID_CARD, ITEM_SETUP]}]
    bundles.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    result = _run(CITY, "-o", out, "--bundles-file", bundles, "--bundle", "我要办证")
    assert result.exit_code == 0, result.output
    page = (out / "bundles" / "001-我要办证.html").read_text(encoding="utf-8")
    assert "居民身份证首次申领" in page and "有限责任公司设立登记" in page


def test_golden_guides_of_one_bundle_and_two_items(tmp_path):
    out = tmp_path / "out"
    result = _run(CITY, "-o", out, *GOLDEN_ARGS)
    assert result.exit_code == 0, result.output
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    assert _files(out) == _files(GOLDEN)
    for name in _files(out):
        assert (out / name).read_bytes() == (GOLDEN / name).read_bytes(), name


def test_explain_names_how_each_sheet_was_read(tmp_path: Path) -> None:
    result = _run(SAMPLES / "市级目录.xlsx", "-o", tmp_path / "g", "-f", "md", "--explain")
    assert result.exit_code == 0, result.output
    assert "市级目录.xlsx · 子项：标准工作簿" in result.stderr
    assert "“实施编码” → 实施编码" in result.stderr
    assert (tmp_path / "g" / "index.md").exists()


def test_a_guide_file_is_never_written_onto_an_input(tmp_path: Path) -> None:
    import pytest
    import typer

    from catalog_cli.cli.guide import write_guides

    source = tmp_path / "目录.json"
    source.write_text("{}", encoding="utf-8")
    files = iter([("a.html", b"<p>a</p>"), ("目录.json", b"guide"), ("z.html", b"<p>z</p>")])
    with pytest.raises(typer.Exit):
        write_guides(files, tmp_path, [source, None])
    assert source.read_text(encoding="utf-8") == "{}"
    assert (tmp_path / "a.html").exists() and not (tmp_path / "z.html").exists()
