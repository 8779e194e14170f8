"""Guides as Word documents (python-docx): the item, bundle and index pages of
guides/render.py's ``RENDERERS["docx"]``, from the same guide data as HTML and Markdown.

The tables are real Word tables (header rows repeated on every page, borders, column widths
that fit A4 portrait). The flow chart is an editable Word table built from the chart's layout
(guides/chart.py): one bordered cell per shape with the layout's text, rows with an arrow
between them, a decision's refusal end in a side column, a 一件事's lanes as columns between
two bars. Fonts, sizes, colours, widths and the page's words are data in
``templates/guide/docx.json`` (a ``--template-dir`` may replace it); the chart's fills and
labels come from ``templates/chart.json``. The output does not depend on the clock: the core
properties and the zip entries carry fixed dates, so the same input gives the same bytes.
"""

from __future__ import annotations

import gc
import io
import json
import posixpath
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import docx
import jinja2
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell

from catalog_cli.guides.chart import Layout, Node, display_width, load_style
from catalog_cli.guides.model import MISSING, BundleGuide, GuideSet, ItemGuide, MaterialRow
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.schema import load_schema

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from catalog_cli.guides.render import Templates

STYLE_FILE = "docx.json"
# Paragraph styles by id (setting a style by name makes python-docx scan every style): the two
# this module adds, and the default template's headings and bullets.
TABLE_STYLE, CHART_STYLE = "GuideTable", "GuideChart"
HEADING_STYLE, BULLET_STYLE = "Heading{level}", "ListBullet"
CORE_CHARS = 255  # the longest core property Word takes
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TC_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText")
_TC_AFTER_SHADING = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign")
_TBL_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
_TR_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
Output = tuple[str, bytes]


# ---------------------------------------------------------------- the data file


@dataclass(frozen=True)
class DocxStyle:
    """``templates/guide/docx.json`` as read (a user's copy first)."""

    raw: dict[str, Any]

    @property
    def texts(self) -> dict[str, Any]:
        return self.raw["texts"]

    def color(self, key: str) -> RGBColor:
        return RGBColor.from_string(self.raw["colors"][key])

    def hex(self, key: str) -> str:
        return str(self.raw["colors"][key])

    def size(self, key: str) -> Pt:
        return Pt(float(self.raw["sizes"][key]))

    def widths(self, key: str) -> list[Mm]:
        return [Mm(float(w)) for w in self.raw["widths"][key]]


def docx_style(templates: Templates) -> DocxStyle:
    """The DOCX data file through the guide templates' loader (``--template-dir`` first)."""
    return _parse_style(*_style_source(templates))


def _style_source(templates: Templates) -> tuple[str, str]:
    env = templates.env
    try:
        source, filename, _ = env.loader.get_source(env, STYLE_FILE)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        raise CatalogInputError(STYLE_FILE, f"找不到模板 {STYLE_FILE}") from None
    return source, filename or STYLE_FILE


@cache
def _parse_style(source: str, filename: str) -> DocxStyle:
    try:
        style = DocxStyle(json.loads(source))
        for key in ("page", "fonts", "sizes", "colors", "widths", "texts", "core"):
            dict(style.raw[key])
        style.color("missing")
        datetime.fromisoformat(style.raw["core"]["created"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CatalogInputError(filename, f"DOCX 样式文件不正确：{exc}") from None
    return style


# ---------------------------------------------------------------- the chart as an outline


@dataclass
class ChartBox:
    """A shape of the chart with the arrow leading into it (``arrow`` is the arrow's label,
    None when no arrow is drawn) and, for a decision, its refusal end and that branch's label.
    """

    node: Node
    arrow: str | None = None
    refusal: Node | None = None
    refusal_label: str = ""


@dataclass
class LaneColumn:
    """A member's lane: its key and its boxes from the header down."""

    key: str
    boxes: list[ChartBox] = field(default_factory=list)


@dataclass
class LaneStage:
    """Lanes that run in parallel (in rows of lanes, as the layout wrapped them), between a
    fork bar and a join bar; ``arrow`` leads into the fork bar."""

    arrow: str | None
    rows: list[list[LaneColumn]] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.rows), default=1)


def chart_outline(layout: Layout) -> list[ChartBox | LaneStage]:
    """The layout's shapes in reading order, top to bottom: boxes of the main flow and stages
    of lanes. Nothing is laid out again; text, order, refusals and lanes are the layout's."""
    arrows = {e.target: e.label for e in layout.edges if e.kind == "flow"}
    sources = {e.target: e.source for e in layout.edges if e.kind == "flow"}
    trunks = {e.target for e in layout.edges if e.kind == "trunk"}
    refusals = {e.source: e for e in layout.edges if e.kind == "refuse"}
    kinds = {n.id: n.kind for n in layout.nodes}
    parts: list[ChartBox | LaneStage] = []
    lanes: dict[str, LaneColumn] = {}
    for node in layout.nodes:
        if node.kind == "fork":
            if node.id in trunks and parts and isinstance(parts[-1], LaneStage):
                parts[-1].rows.append([])
            else:
                parts.append(LaneStage(arrows.get(node.id), [[]]))
            continue
        if node.kind in ("join", "refusal"):
            continue
        stage = parts[-1] if parts and isinstance(parts[-1], LaneStage) else None
        if node.kind == "lane" and stage is not None:
            lanes[node.lane or ""] = LaneColumn(node.lane or "")
            stage.rows[-1].append(lanes[node.lane or ""])
            continue
        from_fork = kinds.get(sources.get(node.id, "")) == "fork"
        box = ChartBox(node, None if from_fork else arrows.get(node.id))
        refuse = refusals.get(node.id)
        if refuse is not None:
            box.refusal = layout.node(refuse.target)
            box.refusal_label = refuse.label
        if node.lane is not None and node.lane in lanes:
            lanes[node.lane].boxes.append(box)
        else:
            parts.append(box)
    return parts


def node_paragraphs(node: Node, prefixes: Sequence[str]) -> list[tuple[str, bool]]:
    """The node's lines as paragraphs (text, bold): a new paragraph where boldness changes or a
    line starts with one of the chart's labels (岗位：, 时限：…); a wrapped line joins the one
    before it directly between two wide (CJK) characters, else after a line break."""
    out: list[tuple[str, bool]] = []
    for line in node.lines:
        starts = any(p and line.text.startswith(p) for p in prefixes)
        if out and out[-1][1] == line.bold and not starts:
            text = out[-1][0]
            wide = text and line.text and display_width(text[-1] + line.text[0]) == 4
            out[-1] = (text + ("" if wide else "\n") + line.text, line.bold)
        else:
            out.append((line.text, line.bold))
    return out


# ---------------------------------------------------------------- low-level helpers


def xml_text(value: Any) -> str:
    """Text fit for the document: characters XML cannot hold dropped."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def _href(path: str, start: str) -> str:
    return quote(posixpath.relpath(path, posixpath.dirname(start) or "."))


def _el(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _style(paragraph: Paragraph, style_id: str) -> Paragraph:
    """Give a paragraph a style by its id."""
    paragraph._p.style = style_id
    return paragraph


def _set_fonts(rpr_owner: Any, latin: str, east_asia: str) -> None:
    """Latin and East Asian fonts on a style's run properties (theme fonts dropped)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{attr}"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def add_run(
    paragraph: Paragraph,
    text: Any,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
    size: Pt | None = None,
    shade: str = "",
) -> Any:
    """A run; line breaks in ``text`` become Word line breaks."""
    run = paragraph.add_run()
    for i, piece in enumerate(xml_text(text).split("\n")):
        if i:
            run.add_break()
        run.add_text(piece)
    run.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = size
    if shade:
        run._r.get_or_add_rPr().append(_el("w:shd", val="clear", color="auto", fill=shade))
    return run


def _missing(paragraph: Paragraph, style: DocxStyle) -> None:
    add_run(paragraph, MISSING, bold=True, color=style.color("missing"))


def _value(paragraph: Paragraph, text: str, missing: bool, style: DocxStyle) -> None:
    if missing:
        _missing(paragraph, style)
    else:
        add_run(paragraph, text)


def _badge(paragraph: Paragraph, text: str, style: DocxStyle, color: str = "badge") -> None:
    add_run(paragraph, " " + text, bold=True, color=style.color(color), size=style.size("note"))


def _cell_borders(cell: _Cell, val: str, color: str, size: int) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = _el("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        borders.append(_el(f"w:{side}", val=val, sz=str(size), space="0", color=color))
    tc_pr.insert_element_before(borders, *_TC_AFTER_BORDERS)


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.insert_element_before(
        _el("w:shd", val="clear", color="auto", fill=fill.lstrip("#")), *_TC_AFTER_SHADING
    )


def _table_borders(table: Table, val: str, color: str, size: int) -> None:
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val=val, sz=str(size), space="0", color=color))
    table._tbl.tblPr.insert_element_before(borders, *_TBL_AFTER_BORDERS)


def _cant_split(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert_element_before(_el("w:cantSplit"), *_TR_AFTER_CANT_SPLIT)


def new_table(doc: Document, widths: Sequence[Mm], rows: int) -> Table:
    """A fixed-layout table of ``rows`` rows with the given column widths."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return table


def _cell_text(cell: _Cell, text: str = "", *, bold: bool = False, style_name: str = "") -> Any:
    paragraph = cell.paragraphs[0]
    _style(paragraph, style_name or TABLE_STYLE)
    if text:
        add_run(paragraph, text, bold=bold)
    return paragraph


def data_table(
    doc: Document,
    style: DocxStyle,
    widths_key: str,
    head: Sequence[str] | None,
    rows: int,
) -> Table:
    """A bordered data table with an optional header row (repeated on every page)."""
    widths = style.widths(widths_key)
    table = new_table(doc, widths, rows + (1 if head is not None else 0))
    _table_borders(table, "single", style.hex("border"), int(style.raw["border_size"]))
    if head is not None:
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(_el("w:tblHeader"))
        for cell, text in zip(header.cells, head, strict=True):
            _shade(cell, style.hex("header_fill"))
            _cell_text(cell, text, bold=True)
    for row in table.rows:
        _cant_split(row)
    return table


def _body_rows(table: Table) -> list[Any]:
    """The rows under the header row."""
    return list(table.rows)[1:]


# ---------------------------------------------------------------- the document


def new_document(style: DocxStyle, title: str) -> Document:
    """An empty A4 portrait document with the data file's fonts and fixed core properties."""
    doc = docx.Document()
    page = style.raw["page"]
    for section in doc.sections:
        section.page_width, section.page_height = Mm(page["width"]), Mm(page["height"])
        margin = Mm(page["margin"])
        section.left_margin = section.right_margin = margin
        section.top_margin = section.bottom_margin = margin
    fonts = style.raw["fonts"]
    normal = doc.styles["Normal"]
    normal.font.size = style.size("body")
    normal.font.color.rgb = style.color("text")
    _set_fonts(normal.element, fonts["latin"], fonts["east_asia"])
    for name, size in (("Title", "title"), ("Heading 1", "title")):
        _heading_style(doc, name, size, style)
    _heading_style(doc, "Heading 2", "heading2", style)
    _heading_style(doc, "Heading 3", "heading3", style)
    for name, size in ((TABLE_STYLE, "table"), (CHART_STYLE, "chart")):
        para = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        para.style_id = name
        para.base_style = normal
        para.font.size = style.size(size)
        para.paragraph_format.space_before = para.paragraph_format.space_after = Pt(0)
    doc.styles[CHART_STYLE].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    core = doc.core_properties
    when = datetime.fromisoformat(style.raw["core"]["created"])
    core.created = core.modified = core.last_printed = when
    core.author = core.last_modified_by = str(style.raw["core"]["author"])
    core.language = str(style.raw["core"]["language"])
    core.title = xml_text(title)[:CORE_CHARS]
    core.revision = 1
    return doc


def _heading_style(doc: Document, name: str, size: str, style: DocxStyle) -> None:
    heading = doc.styles[name]
    heading.font.size = style.size(size)
    heading.font.color.rgb = style.color("heading")
    fonts = style.raw["fonts"]
    _set_fonts(heading.element, fonts["heading_latin"], fonts["heading_east_asia"])


def heading(doc: Document, text: str, level: int) -> Paragraph:
    paragraph = _style(doc.add_paragraph(), HEADING_STYLE.format(level=level))
    add_run(paragraph, text)
    return paragraph


def paragraph(doc: Document, text: str = "", **kw: Any) -> Paragraph:
    para = doc.add_paragraph()
    if text:
        add_run(para, text, **kw)
    return para


def add_link(para: Paragraph, text: str, target: str, style: DocxStyle) -> None:
    """A hyperlink to another guide file (relative to this document)."""
    r_id = para.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = add_run(para, text, color=style.color("link"))
    run.font.underline = True
    link.append(run._r)
    para._p.append(link)


def document_bytes(doc: Document) -> bytes:
    """The document as bytes with every zip entry dated ``ZIP_DATE`` (python-docx stamps the
    current time), so the same guide gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- the chart as a table


def _box_cell(cell: _Cell, node: Node, style: DocxStyle) -> None:
    """A shape in a cell: border (dashed for a placeholder), the chart's fill, its text."""
    chart = load_style()
    val = "dashed" if node.kind == "placeholder" else "single"
    _cell_borders(
        cell, val, chart.colors["stroke"].lstrip("#"), int(style.raw["chart_border_size"])
    )
    kind = "end" if node.kind == "start" else node.kind
    _shade(cell, chart.colors.get(kind, chart.colors["step"]))
    prefixes = [chart.texts[k] for k in ("post", "limit", "depends")]
    first = True
    for text, bold in node_paragraphs(node, prefixes):
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        _style(para, CHART_STYLE)
        add_run(para, text, bold=bold)
        first = False
    if first:
        _style(cell.paragraphs[0], CHART_STYLE)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _arrow_cell(cell: _Cell, label: str, style: DocxStyle, fill: str = "") -> None:
    para = _cell_text(cell, style_name=CHART_STYLE)
    add_run(para, style.texts["arrow_down"] + (f" {label}" if label else ""))
    if fill:
        _shade(cell, fill)


def _lane_refusal(cell: _Cell, box: ChartBox, style: DocxStyle) -> None:
    """A lane's decision: the refusal branch as a line under the question."""
    if box.refusal is None:
        return
    para = _style(cell.add_paragraph(), CHART_STYLE)
    arrow = f"{box.refusal_label} {style.texts['arrow_right']} "
    add_run(para, arrow)
    fill = load_style().colors["refusal"].lstrip("#")
    add_run(para, "".join(line.text for line in box.refusal.lines), shade=fill)


def _flow_row(table: Table, box: ChartBox, span: int, style: DocxStyle) -> None:
    """An arrow row (when an arrow leads in) and the box's row; a decision's refusal end in the
    side column."""
    if box.arrow is not None:
        row = table.add_row()
        _arrow_cell(
            row.cells[0].merge(row.cells[span - 1]) if span > 1 else row.cells[0], box.arrow, style
        )
    row = table.add_row()
    _cant_split(row)
    main = row.cells[0].merge(row.cells[span - 1]) if span > 1 else row.cells[0]
    _box_cell(main, box.node, style)
    if box.refusal is not None:
        _arrow_cell_right(row.cells[span], box.refusal_label, style)
        _box_cell(row.cells[span + 1], box.refusal, style)


def _arrow_cell_right(cell: _Cell, label: str, style: DocxStyle) -> None:
    para = _cell_text(cell, style_name=CHART_STYLE)
    add_run(para, f"{label} {style.texts['arrow_right']}")
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _bar_row(table: Table, span: int, style: DocxStyle) -> None:
    """The fork or join bar of parallel lanes: a thin filled row across the lanes."""
    row = table.add_row()
    row.height = Mm(float(style.raw["bar_height"]))
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    cell = row.cells[0].merge(row.cells[span - 1]) if span > 1 else row.cells[0]
    _cell_text(cell, style_name=CHART_STYLE).paragraph_format.line_spacing = Pt(1)
    _shade(cell, load_style().colors["bar"])


def _lane_cells(lane: LaneColumn) -> list[tuple[str, ChartBox]]:
    """A lane from top to bottom as (what, box) cells: 'arrow' or 'box'."""
    cells: list[tuple[str, ChartBox]] = []
    for box in lane.boxes:
        if box.arrow is not None:
            cells.append(("arrow", box))
        cells.append(("box", box))
    return cells


def _stage_rows(table: Table, stage: LaneStage, span: int, style: DocxStyle) -> None:
    """A stage: arrow, fork bar, the lanes side by side (row by row), join bar."""
    if stage.arrow is not None:
        row = table.add_row()
        _arrow_cell(row.cells[0].merge(row.cells[span - 1]), stage.arrow, style)
    _bar_row(table, span, style)
    lane_fill = load_style().colors["lane"]
    for lanes in stage.rows:
        columns = [_lane_cells(lane) for lane in lanes]
        for depth in range(max((len(c) for c in columns), default=0)):
            row = table.add_row()
            _cant_split(row)
            for i in range(span):
                cell = row.cells[i]
                if i >= len(columns) or depth >= len(columns[i]):
                    _cell_text(cell, style_name=CHART_STYLE)
                    if i < len(columns):
                        _shade(cell, lane_fill)
                    continue
                what, box = columns[i][depth]
                if what == "arrow":
                    _arrow_cell(cell, box.arrow or "", style, lane_fill)
                else:
                    _box_cell(cell, box.node, style)
                    _lane_refusal(cell, box, style)
    _bar_row(table, span, style)


def chart_table(doc: Document, layout: Layout, style: DocxStyle) -> Table:
    """The flow chart as a Word table: the main flow in the first column (across the lane
    columns of a bundle), refusals on the right."""
    parts = chart_outline(layout)
    stages = [p for p in parts if isinstance(p, LaneStage)]
    lanes = max((s.columns for s in stages), default=0)
    if lanes:
        main, arrow, side = style.widths("chart_bundle")
        widths = [Mm(main.mm / lanes)] * lanes + [arrow, side]
    else:
        widths = style.widths("chart_item")
    span = max(lanes, 1)
    table = new_table(doc, widths, 0)
    _table_borders(table, "nil", "auto", 0)
    for part in parts:
        if isinstance(part, LaneStage):
            _stage_rows(table, part, span, style)
        else:
            _flow_row(table, part, span, style)
    return table


# ---------------------------------------------------------------- tables of the guides


def _titles(record: str) -> dict[str, str]:
    return {k: f.title for k, f in load_schema().records[record].fields.items()}


def info_table(doc: Document, guide: ItemGuide, style: DocxStyle) -> Table:
    """事项信息: element title, value (未填写 in red), the saving note."""
    table = data_table(doc, style, "info", None, len(guide.rows))
    for row, info in zip(table.rows, guide.rows, strict=True):
        title, value = row.cells
        _shade(title, style.hex("header_fill"))
        _cell_text(title, info.title, bold=True)
        para = _cell_text(value)
        _value(para, info.value, info.missing, style)
        if info.note:
            add_run(para, " " + info.note, color=style.color("note"), size=style.size("note"))
    return table


def material_table(doc: Document, rows: Sequence[MaterialRow], style: DocxStyle) -> Table:
    """申请材料: one row a material; 免提交 where 政府部门核发; 未填写 when there are none."""
    t = _titles("material")
    head = [t[k] for k in ("seq", "name", "material_type", "copies", "material_form")]
    head += [t[k] for k in ("source_channel", "necessity", "note")]
    table = data_table(doc, style, "materials", head, max(len(rows), 1))
    body = _body_rows(table)
    if not rows:
        _missing(_cell_text(body[0].cells[0].merge(body[0].cells[-1])), style)
        return table
    for row, m in zip(body, rows, strict=True):
        cells = row.cells
        for cell, text in zip(cells, (m.seq, m.name, m.kind, m.copies, m.form), strict=False):
            _cell_text(cell, str(text))
        source = _cell_text(cells[5], m.source)
        if m.exempt:
            _badge(source, style.texts["exempt"], style)
        _cell_text(cells[6], m.necessity)
        _cell_text(cells[7], m.note)
    return table


def _plain_table(
    doc: Document, style: DocxStyle, key: str, head: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Table:
    table = data_table(doc, style, key, head, len(rows))
    for row, values in zip(_body_rows(table), rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell, str(value))
    return table


def item_document(guide: ItemGuide, style: DocxStyle) -> Document:
    """The item guide: as the HTML page, top to bottom."""
    texts = style.texts
    leaf = _titles("leaf")
    doc = new_document(style, texts["title"].format(title=guide.title))
    heading(doc, guide.title, 1)
    subtitle = guide.department
    if guide.main_name and guide.main_name != guide.name:
        subtitle += f" · {guide.main_name}"
    paragraph(doc, subtitle, color=style.color("subtitle"))
    if guide.missing:
        paragraph(
            doc,
            texts["missing_list"] + "、".join(guide.missing),
            bold=True,
            color=style.color("missing"),
        )
    heading(doc, texts["info"], 2)
    info_table(doc, guide, style)
    heading(doc, leaf["conditions"], 2)
    _value(doc.add_paragraph(), guide.conditions, not guide.conditions, style)
    heading(doc, leaf["materials"], 2)
    if guide.situations:
        for n, s in enumerate(guide.situations, 1):
            heading(doc, texts["situation"].format(n=n, name=s.name), 3)
            if s.description:
                paragraph(doc, s.description)
            if s.promised:
                paragraph(doc, f"{_titles('situation')['promised_limit']}：{s.promised}")
            material_table(doc, s.materials, style)
    else:
        material_table(doc, guide.materials, style)
    if guide.fees:
        heading(doc, leaf["fees"], 2)
        t = _titles("fee")
        head = [t[k] for k in ("item", "standard", "basis", "reducible")]
        rows = [(f.item, f.standard, f.basis, f.reducible) for f in guide.fees]
        _plain_table(doc, style, "fees", head, rows)
    heading(doc, leaf["steps"], 2)
    chart_table(doc, guide.chart, style)
    if guide.steps:
        paragraph(doc)
        t = _titles("step")
        head = [t[k] for k in ("seq", "name", "post", "time_limit", "standard", "result")]
        rows = [
            (n, s.name, s.post, s.limit, s.standard, s.result) for n, s in enumerate(guide.steps, 1)
        ]
        _plain_table(doc, style, "steps", head, rows)
    paragraph(
        doc,
        texts["footer"].format(title=leaf["impl_code"], code=guide.code),
        color=style.color("note"),
        size=style.size("note"),
    )
    return doc


def bundle_document(guide: BundleGuide, page: str, style: DocxStyle) -> Document:
    """The 一件事 guide: 一表 (members, totals, merged materials), 一图, 一说明."""
    texts, leaf = style.texts, _titles("leaf")
    doc = new_document(style, texts["title"].format(title=guide.title))
    heading(doc, guide.name, 1)
    subtitle = texts["bundle_subtitle"].format(
        departments=len(guide.departments), members=len(guide.members)
    )
    paragraph(doc, subtitle, color=style.color("subtitle"))
    heading(doc, texts["bundle_table"], 2)
    heading(doc, texts["members"], 3)
    head = [texts["seq"], *(leaf[k] for k in ("name", "impl_code", "agency", "promised_limit"))]
    table = data_table(doc, style, "members", head, len(guide.members))
    for n, (row, m) in enumerate(zip(_body_rows(table), guide.members, strict=True), 1):
        cells = row.cells
        _cell_text(cells[0], str(n))
        name = _cell_text(cells[1])
        if m.stem:
            add_link(name, m.name, _href(f"{m.stem}.docx", page), style)
        else:
            add_run(name, m.name)
        if not m.found:
            _badge(name, texts["not_found"], style, "missing")
        for cell, text in zip(cells[2:], (m.code, m.department, m.promised), strict=True):
            _cell_text(cell, text)
    heading(doc, texts["totals"], 3)
    rows = [
        (t.measure, f"{t.before} {t.unit}", f"{t.after} {t.unit}", t.rate) for t in guide.totals
    ]
    _plain_table(doc, style, "totals", texts["totals_head"], rows)
    result = guide.result
    paragraph(
        doc, texts["materials_sum"].format(sum=result.materials_sum, unique=result.materials_unique)
    )
    heading(doc, texts["merged"].format(title=leaf["materials"]), 3)
    merged_table(doc, guide, style)
    heading(doc, texts["bundle_chart"], 2)
    chart_table(doc, guide.chart, style)
    heading(doc, texts["notes"], 2)
    for note in guide.notes:
        heading(doc, note.heading, 3)
        if not note.lines:
            _missing(doc.add_paragraph(), style)
        for line in note.lines:
            add_run(_style(doc.add_paragraph(), BULLET_STYLE), line)
    return doc


def merged_table(doc: Document, guide: BundleGuide, style: DocxStyle) -> Table:
    """合并后的申请材料: 材料复用 ×N, 非必要, 免提交 marks and the members using each."""
    texts, t = style.texts, _titles("material")
    head = [texts["seq"], *(t[k] for k in ("name", "material_type", "copies", "material_form"))]
    head += [t["source_channel"], texts["used_by"]]
    table = data_table(doc, style, "merged", head, max(len(guide.materials), 1))
    body = _body_rows(table)
    if not guide.materials:
        _missing(_cell_text(body[0].cells[0].merge(body[0].cells[-1])), style)
        return table
    for row, m in zip(body, guide.materials, strict=True):
        cells = row.cells
        _cell_text(cells[0], str(m.seq))
        name = _cell_text(cells[1], m.name)
        if m.reused:
            _badge(name, texts["reused"].format(n=len(m.members)), style, "reuse")
        if not m.required:
            _badge(name, texts["optional"], style)
        for cell, text in zip(cells[2:5], (m.kind, m.copies, m.form), strict=True):
            _cell_text(cell, text)
        source = _cell_text(cells[5], m.source)
        if m.exempt:
            _badge(source, texts["exempt"], style)
        _cell_text(cells[6], "、".join(m.member_names))
    return table


def index_document(guides: GuideSet, page: str, style: DocxStyle) -> Document:
    """The table of contents: the bundles, then the item guides by department, each linked."""
    texts, leaf = style.texts, _titles("leaf")
    doc = new_document(style, texts["index_title"])
    heading(doc, texts["index_title"], 1)
    subtitle = texts["index_subtitle"].format(bundles=len(guides.bundles), items=len(guides.items))
    paragraph(doc, subtitle, color=style.color("subtitle"))
    if guides.bundles:
        heading(doc, texts["index_bundles"], 2)
        head = [texts["seq"], texts["index_bundles"], texts["departments"]]
        table = data_table(doc, style, "index_bundles", head, len(guides.bundles))
        for n, (row, b) in enumerate(zip(_body_rows(table), guides.bundles, strict=True), 1):
            _cell_text(row.cells[0], str(n))
            add_link(_cell_text(row.cells[1]), b.name, _href(f"{b.stem}.docx", page), style)
            _cell_text(row.cells[2], "、".join(b.departments))
    for department, items in guides.by_department():
        heading(doc, department, 2)
        head = [texts["seq"], leaf["name"], leaf["impl_code"]]
        table = data_table(doc, style, "index_items", head, len(items))
        for n, (row, i) in enumerate(zip(_body_rows(table), items, strict=True), 1):
            _cell_text(row.cells[0], str(n))
            add_link(_cell_text(row.cells[1]), i.title, _href(f"{i.stem}.docx", page), style)
            _cell_text(row.cells[2], i.code)
    return doc


# ---------------------------------------------------------------- the renderer


def _saved(make: Callable[[], Document]) -> bytes:
    """The bytes of the document ``make`` builds, the document freed at once: it is a web of
    reference cycles and the command line runs without the cyclic garbage collector."""
    data = document_bytes(make())
    gc.collect(0)
    return data


def docx_item(guide: ItemGuide, guides: GuideSet, templates: Templates) -> list[Output]:
    """An item guide as ``items/<code>-<name>.docx``."""
    style = docx_style(templates)
    return [(f"{guide.stem}.docx", _saved(lambda: item_document(guide, style)))]


def docx_bundle(guide: BundleGuide, guides: GuideSet, templates: Templates) -> list[Output]:
    """A bundle guide as ``bundles/<n>-<name>.docx``."""
    page, style = f"{guide.stem}.docx", docx_style(templates)
    return [(page, _saved(lambda: bundle_document(guide, page, style)))]


def docx_index(guides: GuideSet, templates: Templates) -> list[Output]:
    """The table of contents as ``index.docx``."""
    page, style = "index.docx", docx_style(templates)
    return [(page, _saved(lambda: index_document(guides, page, style)))]


__all__ = ["chart_outline", "docx_bundle", "docx_index", "docx_item", "node_paragraphs"]
