"""DOCX guides (catalog_cli/guides/docx.py): rendered from samples/市级目录.xlsx and from
workbooks written in the test, then reopened with python-docx and read back (table cells, the
chart's boxes in order, run colours, the zip's entries). No golden bytes: reading back is the
test."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import IMPL_1, write_rows
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from typer.testing import CliRunner

from catalog_cli.cli import app
from catalog_cli.guides.chart import ChartStep, Lane, chart_steps, layout_bundle, load_style
from catalog_cli.guides.docx import chart_outline, xml_text
from catalog_cli.guides.model import MISSING, build_guides
from catalog_cli.guides.render import RENDERERS, Templates
from catalog_cli.read import read_catalog
from catalog_cli.schema import resource_dir

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CITY = SAMPLES / "市级目录.xlsx"
BUNDLE = "企业开办一件事"
ITEM_SETUP = "1134190009001101XP300013420100101"  # 有限责任公司设立登记: situations, in BUNDLE
ITEM_ID_CARD = "11341900090011028P3000710118001"  # 居民身份证首次申领: fees
DATA = json.loads((resource_dir("templates") / "guide" / "docx.json").read_text("utf-8"))
TEXTS = load_style().texts
runner = CliRunner()


def _render(catalog, bundles, **kw):
    guides = build_guides(catalog, bundles, **kw)
    renderer, templates = RENDERERS["docx"], Templates()
    files = {}
    for item in guides.items:
        files.update(renderer.item(item, guides, templates))
    for bundle in guides.bundles:
        files.update(renderer.bundle(bundle, guides, templates))
    files.update(renderer.index(guides, templates))
    return guides, files


@pytest.fixture(scope="module")
def city():
    catalog = read_catalog([CITY]).catalog
    guides, files = _render(
        catalog, catalog.bundles, items=[ITEM_SETUP, ITEM_ID_CARD], bundle_names=[BUNDLE]
    )
    return catalog, guides, files


def _open(files: dict[str, bytes], stem: str):
    return docx.Document(io.BytesIO(files[f"{stem}.docx"]))


def _item(city, code):
    _, guides, files = city
    guide = next(g for g in guides.items if g.code == code)
    return guide, _open(files, guide.stem)


def _cells(row) -> list[str]:
    """A row's cell texts, a merged cell once."""
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell.text)
    return out


def _table_after(document, heading: str):
    """The first table after the paragraph whose text is ``heading``."""
    found, tables = False, 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p") and Paragraph(child, None).text == heading:
            found = True
        elif child.tag == qn("w:tbl"):
            if found:
                return document.tables[tables]
            tables += 1
    raise AssertionError(f"no table after {heading}")


def _chart(document):
    (table,) = [t for t in document.tables if _cells(t.rows[0]) and t.cell(0, 0).text == "开始"]
    return table


def _bold_texts(cell) -> list[str]:
    return ["".join(r.text for r in p.runs if r.bold) for p in cell.paragraphs if p.runs]


def test_item_information_table_is_a_word_table_with_every_row(city):
    guide, document = _item(city, ITEM_SETUP)
    table = _table_after(document, "事项信息")
    rows = [_cells(r) for r in table.rows]
    assert [r[0] for r in rows] == [r.title for r in guide.rows]
    assert rows[0] == ["事项名称", "有限责任公司设立登记"]
    by_title = {r[0]: r[1] for r in rows}
    assert by_title["实施编码"] == ITEM_SETUP
    assert by_title["承诺办结时限"].startswith(
        next(r.value for r in guide.rows if r.key == "promised_limit")
    )
    assert "较法定时限减少" in by_title["承诺办结时限"]
    widths = [c.width for c in table.rows[0].cells]
    assert sum(w.mm for w in widths) <= 210 - 2 * DATA["page"]["margin"] + 0.5  # fits A4


def test_item_materials_one_table_per_situation_with_repeated_header(city):
    guide, document = _item(city, ITEM_SETUP)
    assert len(guide.situations) >= 2
    for n, situation in enumerate(guide.situations, 1):
        table = _table_after(document, f"情形{n}：{situation.name}")
        header = table.rows[0]
        assert _cells(header)[:3] == ["序号", "材料名称", "材料类型"]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [_cells(r)[1] for r in table.rows[1:]] == [m.name for m in situation.materials]
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None and borders.find(qn("w:insideH")).get(qn("w:val")) == "single"


def test_item_fees_and_step_tables(city):
    guide, document = _item(city, ITEM_ID_CARD)
    fees = _table_after(document, "收费项目")
    assert [_cells(r)[0] for r in fees.rows[1:]] == [f.item for f in guide.fees]
    steps = [t for t in document.tables if _cells(t.rows[0])[1:2] == ["环节名称"]]
    assert len(steps) == 1
    assert [_cells(r)[1] for r in steps[0].rows[1:]] == [s.name for s in guide.steps]


def test_item_chart_has_every_step_in_order_with_refusal_branches(city):
    guide, document = _item(city, ITEM_SETUP)
    table = _chart(document)
    main = [_bold_texts(r.cells[0]) for r in table.rows]
    names = [t[0] for t in main if t and t[0]]
    assert names == [s.name for s in guide.steps]
    texts = [r.cells[0].text for r in table.rows]
    assert texts[0] == TEXTS["start"] and texts[-1] == TEXTS["end"]
    assert texts[1] == DATA["texts"]["arrow_down"]
    first = next(r for r in table.rows if _bold_texts(r.cells[0])[:1] == [guide.steps[0].name])
    assert first.cells[0].text.split("\n")[1] == TEXTS["post"] + guide.steps[0].post
    refusals = [_cells(r)[1:] for r in table.rows if r.cells[2].text]
    assert refusals[0] == [f"{TEXTS['no']} {DATA['texts']['arrow_right']}", "不予受理"]
    assert ["否 →", "不予许可"] in refusals


def test_bundle_members_totals_and_reused_materials(city):
    _, guides, files = city
    (guide,) = guides.bundles
    document = _open(files, guide.stem)
    members = _table_after(document, "包含的事项")
    assert [_cells(r)[1] for r in members.rows[1:]] == [m.name for m in guide.members]
    totals = _table_after(document, "整合前后")
    assert [_cells(r)[0] for r in totals.rows[1:]] == [t.measure for t in guide.totals]
    merged = _table_after(document, "申请材料（合并后）")
    rows = [_cells(r) for r in merged.rows[1:]]
    assert len(rows) == len(guide.materials)
    reused = [m for m in guide.materials if m.reused]
    assert reused
    for row, material in zip(rows, guide.materials, strict=True):
        mark = f"材料复用 ×{len(material.members)}"
        assert (mark in row[1]) == material.reused
        assert row[1].startswith(material.name)
        assert row[6] == "、".join(material.member_names)


def test_bundle_chart_has_the_head_a_lane_per_member_and_the_tail(city):
    catalog, guides, files = city
    (guide,) = guides.bundles
    table = _chart(_open(files, guide.stem))
    rows = list(table.rows)
    width = sum(1 for c in rows[0].cells if c._tc is rows[0].cells[0]._tc)  # the flow boxes
    flow = [r.cells[0].text for r in rows if r.cells[0]._tc is r.cells[width - 1]._tc]
    boxes = [t for t in flow if t and not t.startswith(DATA["texts"]["arrow_down"])]
    assert boxes[:4] == [TEXTS["start"], *TEXTS["head"]]
    assert boxes[-2:] == [TEXTS["tail"], TEXTS["end"]]
    leaves = {leaf.impl_code: leaf for leaf in catalog.iter_leaves()}
    headers = {}  # member → (row, column) of its lane's header
    for n, row in enumerate(rows):
        for i, cell in enumerate(row.cells):
            names = _bold_texts(cell)
            for member in guide.members:
                if names[:1] == [member.name]:
                    headers.setdefault(member.code, (n, i))
    assert set(headers) == {m.code for m in guide.members}  # a lane per member
    for member in guide.members:
        n, i = headers[member.code]
        column = [_bold_texts(r.cells[i]) for r in rows[n + 1 :]]
        names = [t[0] for t in column if t and t[0]]
        expected = [s.name for s in chart_steps(leaves[member.code])]
        assert names[: len(expected)] == expected, member.name
        assert TEXTS["tail"] in names[len(expected) :]
    # a member that needs another's result comes after it (the bundle's 办理先后)
    depends = next(b for b in catalog.bundles if b.name == BUNDLE).depends()
    assert depends  # the sample says the licence comes first
    for before, after in depends:
        assert headers[before][0] < headers[after][0]


def test_lanes_wrap_into_rows_of_a_stage_and_a_placeholder_without_steps(tmp_path):
    lanes = [Lane(f"k{i}", f"事项{i}", (ChartStep(f"环节{i}"),)) for i in range(6)]
    lanes.append(Lane("none", "目录外事项"))
    (stage,) = [p for p in chart_outline(layout_bundle(lanes)) if not hasattr(p, "node")]
    assert [len(row) for row in stage.rows] == [4, 3]
    assert [lane.key for row in stage.rows for lane in row] == [lane.key for lane in lanes]
    last = stage.rows[-1][-1]
    assert [b.node.kind for b in last.boxes] == ["header", "placeholder"]


def test_item_without_steps_shows_the_placeholder_in_a_dashed_box(rows, tmp_path):
    rows["办理流程"] = [r for r in rows["办理流程"] if r["实施编码"] != IMPL_1]
    catalog = read_catalog([write_rows(tmp_path / "目录.xlsx", rows)]).catalog
    guides, files = _render(catalog, [], items=[IMPL_1])
    document = _open(files, guides.items[0].stem)
    (table,) = [t for t in document.tables if t.cell(0, 0).text == TEXTS["placeholder"]]
    borders = table.cell(0, 0)._tc.tcPr.find(qn("w:tcBorders"))
    assert borders.find(qn("w:top")).get(qn("w:val")) == "dashed"


def test_an_empty_mandatory_element_is_a_red_missing_run(rows, tmp_path):
    rows["子项"][0]["办理地点"] = None
    catalog = read_catalog([write_rows(tmp_path / "目录.xlsx", rows)]).catalog
    guides, files = _render(catalog, [], items=[IMPL_1])
    (guide,) = guides.items
    assert any(r.missing for r in guide.rows)
    document = _open(files, guide.stem)
    table = _table_after(document, "事项信息")
    missing = [
        run
        for row in table.rows
        for p in row.cells[1].paragraphs
        for run in p.runs
        if run.text == MISSING
    ]
    assert len(missing) == sum(r.missing for r in guide.rows)
    assert all(
        run.font.color.rgb == RGBColor.from_string(DATA["colors"]["missing"]) for run in missing
    )
    warning = next(p for p in document.paragraphs if p.text.startswith("以下必填要素未填写"))
    assert "办理地点" in warning.text


def test_two_renders_are_byte_identical_with_fixed_dates(city):
    catalog, _, files = city
    _, again = _render(
        catalog, catalog.bundles, items=[ITEM_SETUP, ITEM_ID_CARD], bundle_names=[BUNDLE]
    )
    assert again == files
    for data in files.values():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = docx.Document(io.BytesIO(files["index.docx"])).core_properties
    assert core.created.isoformat().startswith(DATA["core"]["created"])
    assert core.modified == core.created


def test_fonts_page_and_east_asian_font_come_from_the_data_file(city):
    _, document = _item(city, ITEM_SETUP)
    section = document.sections[0]
    assert round(section.page_width.mm) == DATA["page"]["width"]
    assert round(section.page_height.mm) == DATA["page"]["height"]
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == DATA["fonts"]["east_asia"]


def test_index_lists_bundles_and_items_by_department_with_links(city):
    _, guides, files = city
    document = _open(files, "index")
    bundles = _table_after(document, "一件事")
    assert [_cells(r)[1] for r in bundles.rows[1:]] == [b.name for b in guides.bundles]
    for department, items in guides.by_department():
        table = _table_after(document, department)
        assert [_cells(r)[2] for r in table.rows[1:]] == [i.code for i in items]
    targets = {r.target_ref for r in document.part.rels.values() if r.is_external}
    assert any(t.startswith("items/") and t.endswith(".docx") for t in targets)
    assert any(t.startswith("bundles/") for t in targets)


def test_text_xml_cannot_hold_is_dropped():
    assert xml_text("a\x00b\x0bc\ud800d") == "abcd"
    assert xml_text("<script>&") == "<script>&"


def test_hostile_names_through_the_cli(rows, tmp_path):
    hostile = "../../<script>alert(1)</script>/" + "长" * 300
    rows["子项"][0]["事项名称"] = hostile
    rows["一件事"] = [{"一件事名称": "../<img src=x onerror=alert(1)>", "成员实施编码": IMPL_1}]
    source = write_rows(tmp_path / "目录.xlsx", rows)
    out = tmp_path / "deep" / "out"
    result = runner.invoke(app, ["guide", str(source), "-o", str(out), "-f", "docx"])
    assert result.exit_code == 0, result.output
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != source]
    assert written and all(out in p.parents and p.suffix == ".docx" for p in written)
    item = docx.Document(next((out / "items").glob(f"{IMPL_1}-*.docx")))
    assert item.paragraphs[0].text == hostile  # the whole name, as text
    assert hostile.startswith(item.core_properties.title)  # cut to Word's 255 characters
    (bundle,) = (out / "bundles").glob("*.docx")
    assert docx.Document(bundle).paragraphs[0].text == "../<img src=x onerror=alert(1)>"


def test_cli_writes_docx_for_a_bundle_and_two_items(tmp_path):
    out = tmp_path / "out"
    args = ["guide", str(CITY), "-o", str(out), "-f", "docx", "--bundle", BUNDLE]
    args += ["--item", ITEM_SETUP, "--item", ITEM_ID_CARD]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == [
        "bundles/002-企业开办一件事.docx",
        "index.docx",
        f"items/{ITEM_SETUP}-有限责任公司设立登记.docx",
        f"items/{ITEM_ID_CARD}-居民身份证首次申领.docx",
    ]
    assert "（docx）" in result.output
    for name in files:
        assert docx.Document(out / name).tables


def test_a_user_docx_json_replaces_the_built_in_one_and_a_broken_one_exits_2(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    data = json.loads(json.dumps(DATA))
    data["colors"]["missing"] = "00AA00"
    data["fonts"]["east_asia"] = "Microsoft YaHei"
    (mine / "docx.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    args = ["guide", str(CITY), "-o", str(out), "-f", "docx", "--item", ITEM_SETUP]
    result = runner.invoke(app, [*args, "--template-dir", str(mine)])
    assert result.exit_code == 0, result.output
    document = docx.Document(next((out / "items").glob("*.docx")))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "Microsoft YaHei"
    (mine / "docx.json").write_text("{", encoding="utf-8")
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "o2"), "--template-dir", str(mine)])
    assert result.exit_code == 2
    assert "DOCX 样式文件不正确" in result.output and "Traceback" not in result.output
