"""The guide's flow chart: layouts of 1 to 15 steps and 2 to 12 lanes, refusals, the
placeholder, text wrapping, and the SVG drawn from them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import pytest

from catalog_cli.guides.chart import (
    Layout,
    Node,
    bundle_lanes,
    chart_steps,
    display_width,
    layout_bundle,
    layout_steps,
    load_style,
    render_svg,
    wrap_text,
)
from catalog_cli.model import Bundle, Catalog, Leaf, MainItem, Step, TimeLimit
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.read import read_catalog

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SVG = "{http://www.w3.org/2000/svg}"
NAMES = ("受理", "审查", "决定", "送达", "办结", "现场核查", "公示", "制证")
STYLE = load_style()
SHAPES = ("start", "end", "step", "decision", "refusal", "placeholder", "header")


def make_steps(count: int, names: tuple[str, ...] = NAMES) -> list[Step]:
    """Model steps as a reader builds them: 序号, 环节名称, 岗位, 办理结果, 环节时限."""
    return [
        Step(
            seq=i,
            name=names[(i - 1) % len(names)],
            post=f"第{i}岗位审核人员",
            result="审查意见" if names[(i - 1) % len(names)] == "审查" else "办理结果",
            time_limit=TimeLimit(i, "工作日", f"{i}个工作日"),
        )
        for i in range(1, count + 1)
    ]


def leaf(code: str, name: str, steps: list[Step]) -> Leaf:
    return Leaf(impl_code=code, name=name, steps=steps)


def flow(count: int) -> Layout:
    return layout_steps(chart_steps(leaf("L1", "测试事项", make_steps(count))), "测试事项")


def overlaps(a: Node, b: Node) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def on_border(point: tuple[float, float], node: Node) -> bool:
    x, y = point
    eps = 0.01
    inside = node.x - eps <= x <= node.right + eps and node.y - eps <= y <= node.bottom + eps
    border = min(abs(x - node.x), abs(x - node.right), abs(y - node.y), abs(y - node.bottom))
    return inside and border <= eps


def shapes(layout: Layout) -> list[Node]:
    return [n for n in layout.nodes if n.kind in SHAPES]


def successors(layout: Layout) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {n.id: set() for n in layout.nodes}
    for e in layout.edges:
        out[e.source].add(e.target)
    return out


def reaches(layout: Layout, a: str, b: str) -> bool:
    graph, seen, todo = successors(layout), set(), [a]
    while todo:
        k = todo.pop()
        if k == b:
            return True
        if k not in seen:
            seen.add(k)
            todo += graph[k]
    return False


def assert_sound(layout: Layout) -> None:
    """What every chart holds: shapes inside the page and apart, edges joining the borders of
    existing nodes, each text line within the width it was wrapped to.
    """
    ids = [n.id for n in layout.nodes]
    assert len(ids) == len(set(ids))
    for n in layout.nodes:
        assert n.x >= 0 and n.right <= layout.width + 0.01, n
        assert n.y >= 0 and n.bottom <= layout.height + 0.01, n
        assert n.font_size >= STYLE.get("min_font_size")
        assert n.text_width <= n.w
        for line in n.lines:
            assert display_width(line.text) * n.font_size / 2 <= n.text_width + 1e-6, line
    boxes = shapes(layout)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a.id, b.id)
    nodes = {n.id: n for n in layout.nodes}
    for e in layout.edges:
        assert e.source in nodes and e.target in nodes, e
        assert on_border(e.points[0], nodes[e.source]), e
        assert on_border(e.points[-1], nodes[e.target]), e
        for (x0, y0), (x1, y1) in pairwise(e.points):
            assert x0 == x1 or y0 == y1, e  # orthogonal segments


@pytest.mark.parametrize("count", [1, 2, 8, 15])
def test_every_step_is_a_box_in_order(count: int) -> None:
    layout = flow(count)
    assert_sound(layout)
    steps = [n for n in layout.nodes if n.kind == "step"]
    assert [n.id for n in steps] == [f"s{i}" for i in range(1, count + 1)]
    assert [n.lines[0].text for n in steps] == [NAMES[i % len(NAMES)] for i in range(count)]
    assert all(a.bottom < b.y for a, b in pairwise(steps))
    kinds = [n.kind for n in layout.nodes]
    assert kinds.count("start") == 1 and kinds.count("end") == 1
    refusing = sum(1 for i in range(count) if NAMES[i % len(NAMES)] in ("受理", "审查", "决定"))
    assert kinds.count("decision") == kinds.count("refusal") == refusing
    assert len(layout.nodes) == 2 + count + 2 * refusing
    assert not layout.placeholder and not layout.truncated
    assert reaches(layout, "start", "end")
    texts = [line.text for line in steps[-1].lines]
    assert f"岗位：第{count}岗位审核人员" in texts and f"时限：{count}个工作日" in texts


def test_the_chart_grows_with_the_steps() -> None:
    heights = [flow(n).height for n in (1, 2, 8, 15)]
    assert heights == sorted(heights) and len(set(heights)) == 4
    assert {flow(n).width for n in (1, 15)} == {STYLE.get("width")}


def test_a_step_that_can_refuse_gets_a_diamond_and_a_branch() -> None:
    layout = flow(4)  # 受理, 审查, 决定, 送达
    d1, r1 = layout.node("d1"), layout.node("r1")
    assert d1.kind == "decision" and r1.kind == "refusal"
    assert [line.text for line in r1.lines] == ["不予受理"]
    assert [line.text for line in layout.node("r2").lines] == ["不予许可"]
    assert "d4" not in {n.id for n in layout.nodes}  # 送达 cannot refuse
    edges = {(e.source, e.target): e for e in layout.edges}
    assert edges[("s1", "d1")].label == ""
    assert edges[("d1", "r1")].label == "否" and edges[("d1", "r1")].kind == "refuse"
    assert edges[("d1", "s2")].label == "是"
    assert r1.x > d1.right and r1.y < d1.y + d1.h / 2 < r1.bottom  # beside the diamond
    assert not successors(layout)["r1"]  # a refusal ends the flow


def test_a_result_that_mentions_a_decision_makes_a_refusal_point() -> None:
    steps = [Step(seq=1, name="办理", result="作出准予或者不予决定"), Step(seq=2, name="送达")]
    layout = layout_steps(chart_steps(leaf("L1", "x", steps)))
    assert [n.kind for n in layout.nodes].count("decision") == 1


def test_steps_follow_their_sequence_numbers() -> None:
    steps = make_steps(3)
    chart = chart_steps(leaf("L1", "x", [steps[2], steps[0], steps[1]]))
    assert [s.name for s in chart] == ["受理", "审查", "决定"]


def test_no_steps_give_a_placeholder() -> None:
    layout = layout_steps(chart_steps(leaf("L1", "无流程事项", [])), "无流程事项")
    assert layout.placeholder
    assert [(n.kind, [t.text for t in n.lines]) for n in layout.nodes] == [
        ("placeholder", ["未填写办理流程"])
    ]
    assert layout.height > 0 and not layout.edges
    root = ET.fromstring(render_svg(layout))
    assert "未填写办理流程" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_300_character_name_is_wrapped_in_full() -> None:
    name = ("申请人提交的材料经窗口工作人员形式审查后" * 15)[:300]
    layout = layout_steps(chart_steps(leaf("L1", "x", [Step(seq=1, name=name)])))
    assert_sound(layout)
    box = layout.node("s1")
    title = [line.text for line in box.lines if line.bold]
    assert len(title) > 10 and "".join(title) == name
    assert box.h > layout.node("start").h * 5 and not layout.truncated


def test_past_the_line_limit_text_is_cut_with_an_ellipsis(tmp_path: Path) -> None:
    raw = json.loads((Path(__file__).parent.parent / "templates" / "chart.json").read_text("utf-8"))
    raw["max_lines"] = 3
    (tmp_path / "chart.json").write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    style = load_style(tmp_path / "chart.json")
    name = "很长的环节名称" * 40
    layout = layout_steps(
        chart_steps(leaf("L1", "x", [Step(seq=1, name=name)]), style), style=style
    )
    assert_sound(layout)
    title = [line.text for line in layout.node("s1").lines if line.bold]
    assert len(title) == 3 and title[-1].endswith("…")
    assert layout.truncated == ("s1",)


def test_wrapping_counts_display_columns() -> None:
    lines, cut = wrap_text("办理 ABC 证照（首次申请）“加急”123456789", 10, 20)
    assert not cut and all(display_width(line) <= 10 for line in lines)
    assert display_width("中文ab") == 6
    assert wrap_text("  \n ", 10, 3) == ([], False)
    assert wrap_text("一二三四五六七八九十" * 3, 10, 2) == (["一二三四五", "六七八九…"], True)


def test_svg_is_well_formed_and_escapes_text() -> None:
    steps = [
        Step(seq=1, name='<script>alert("x")</script> & 受理', post="窗口\x0b人员"),
        Step(seq=2, name="送达"),
    ]
    layout = layout_steps(chart_steps(leaf("L1", "x", steps)), title="A & B <c>")
    svg = render_svg(layout)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {layout.width:g} {layout.height:g}"
    assert "Noto Sans CJK SC" in root.get("font-family", "")
    assert not list(root.iter(f"{SVG}script"))
    texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert '<script>alert("x")</script> & 受理' in texts
    assert root.find(f"{SVG}title").text == "A & B <c>"
    assert len(list(root.iter(f"{SVG}polygon"))) == 1  # the diamond after 受理
    assert len(list(root.iter(f"{SVG}polyline"))) == len(layout.edges)
    ET.register_namespace("", SVG[1:-1])
    assert ET.tostring(root, encoding="unicode") == svg  # written exactly as ElementTree would
    marker = root.find(f"{SVG}defs/{SVG}marker")
    assert all(
        p.get("marker-end") == f"url(#{marker.get('id')})" for p in root.iter(f"{SVG}polyline")
    )


def bundle_of(count: int, depends: tuple[tuple[str, str], ...] = ()) -> tuple[Layout, list[str]]:
    leaves = [leaf(f"M{i}", f"成员事项{i}的名称", make_steps(1 + i % 4)) for i in range(count)]
    catalog = Catalog(main_items=[MainItem(basic_code="B", leaves=leaves)])
    bundle = Bundle(name="测试一件事", members=[lf.impl_code for lf in leaves])
    return layout_bundle(bundle_lanes(bundle, catalog), depends, "测试一件事"), bundle.members


def lanes_of(layout: Layout) -> list[Node]:
    return [n for n in layout.nodes if n.kind == "lane"]


@pytest.mark.parametrize("count", [2, 5, 12])
def test_one_lane_per_member_side_by_side(count: int) -> None:
    layout, members = bundle_of(count)
    assert_sound(layout)
    lanes = lanes_of(layout)
    assert [n.lane for n in lanes] == members
    for i, a in enumerate(lanes):
        assert a.w >= STYLE.get("lane")["min_width"] or count <= 4
        for b in lanes[i + 1 :]:
            assert not overlaps(a, b), (a.id, b.id)
    for lane in lanes:
        inside = [n for n in layout.nodes if n.lane == lane.lane and n is not lane]
        assert all(lane.x <= n.x and n.right <= lane.right for n in inside)
        assert all(lane.y <= n.y and n.bottom <= lane.bottom for n in inside)
        steps = [n for n in inside if n.kind == "step"]
        assert [n.id for n in steps] == [f"{lane.id}.s{i}" for i in range(1, len(steps) + 1)]
        assert all(a.bottom < b.y for a, b in pairwise(steps))
    rows = [[n for n in lanes if n.y == y] for y in sorted({n.y for n in lanes})]
    assert len(rows) == -(-count // 4)  # at most 4 lanes of 156 px fit 680 px, rows balanced
    assert max(map(len, rows)) - min(map(len, rows)) <= 1
    assert all(a.bottom < b[0].y for a, b in zip((r[0] for r in rows), rows[1:], strict=False))
    heads = [n.lines[0].text for n in layout.nodes if n.kind == "step" and n.lane is None]
    assert heads == ["一次告知", "一表申请", "一窗受理", "统一出件"]
    # all members run in parallel: each lane reachable from the head, none from another
    for a in lanes:
        assert reaches(layout, "hd3", f"{a.id}.h")
        assert reaches(layout, f"{a.id}.h", "ts1")
        assert not any(reaches(layout, f"{a.id}.h", f"{b.id}.h") for b in lanes if b is not a)


def test_svg_nodes_carry_their_kind_id_and_lane() -> None:
    layout, members = bundle_of(3)
    root = ET.fromstring(render_svg(layout))
    groups = [g for g in root.iter(f"{SVG}g") if "node" in g.get("class", "").split()]
    assert sorted(g.get("data-node") for g in groups) == sorted(n.id for n in layout.nodes)
    kind = {g.get("data-node"): g.get("class").split()[1] for g in groups}
    assert kind == {n.id: n.kind for n in layout.nodes}
    lanes = [g for g in groups if g.get("class") == "node lane"]
    assert [g.get("data-lane") for g in lanes] == members
    for g in groups:
        node = layout.node(g.get("data-node"))
        assert g.get("data-lane") == node.lane
        assert [t.text for t in g.iter(f"{SVG}text")] == [line.text for line in node.lines]


def test_a_member_that_needs_another_runs_after_it() -> None:
    layout, _ = bundle_of(5, (("M0", "M2"), ("M2", "M4"), ("M1", "M4")))
    assert_sound(layout)
    lane = {n.lane: n for n in lanes_of(layout)}
    assert lane["M0"].bottom < lane["M2"].y and lane["M2"].bottom < lane["M4"].y
    assert lane["M1"].bottom < lane["M4"].y
    head = {key: f"{node.id}.h" for key, node in lane.items()}
    assert reaches(layout, head["M0"], head["M2"]) and reaches(layout, head["M2"], head["M4"])
    assert not reaches(layout, head["M2"], head["M0"])
    assert not reaches(layout, head["M0"], head["M1"])  # same stage: parallel
    header = "".join(t.text for t in layout.node(head["M4"]).lines)
    assert "需先完成：" in header and "成员事项2的名称" in header and "成员事项1的名称" in header
    assert not layout.findings


def test_unknown_and_circular_dependencies_are_findings() -> None:
    layout, _ = bundle_of(3, (("M0", "M1"), ("M1", "M0"), ("M9", "M2"), ("M2", "M2")))
    assert_sound(layout)
    assert [f.code for f in layout.findings] == [
        "chart-dependency-cycle",
        "chart-dependency-unknown",
        "chart-dependency-cycle",
    ]
    assert all(f.severity == "warning" and f.item == "测试一件事" for f in layout.findings)
    lane = {n.lane: n for n in lanes_of(layout)}
    assert lane["M0"].bottom < lane["M1"].y  # the first pair is kept


def test_a_member_missing_from_the_catalog_has_a_placeholder_lane() -> None:
    catalog = Catalog(main_items=[MainItem(leaves=[leaf("M0", "有流程", make_steps(2))])])
    lanes = bundle_lanes(Bundle(name="b", members=["M0", "M9"]), catalog)
    layout = layout_bundle(lanes)
    assert_sound(layout)
    missing = [n for n in layout.nodes if n.lane == "M9" and n.kind not in ("lane", "header")]
    assert [(n.kind, n.lines[0].text) for n in missing] == [("placeholder", "未填写办理流程")]
    assert layout.node("L2.h").lines[0].text == "M9"  # titled by its code


def test_a_long_name_in_a_lane_is_cut_with_an_ellipsis() -> None:
    name = "联合踏勘并出具意见" * 34
    catalog = Catalog(main_items=[MainItem(leaves=[leaf(f"M{i}", "x", []) for i in range(3)])])
    catalog.main_items[0].leaves[0].steps = [Step(seq=1, name=name)]
    layout = layout_bundle(bundle_lanes(Bundle(members=["M0", "M1", "M2"]), catalog))
    assert_sound(layout)
    box = layout.node("L1.s1")
    assert len(box.lines) == STYLE.get("lane")["max_lines"] and box.lines[-1].text.endswith("…")
    assert "L1.s1" in layout.truncated


def test_the_refusal_words_are_data(tmp_path: Path) -> None:
    raw = json.loads((Path(__file__).parent.parent / "templates" / "chart.json").read_text("utf-8"))
    raw["refusals"] = [{"words": ["核查"], "question": "合格？", "label": "不予确认"}]
    (tmp_path / "chart.json").write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    style = load_style(tmp_path / "chart.json")
    steps = chart_steps(leaf("L1", "x", make_steps(6)), style)
    assert [s.name for s in steps if s.refusal] == ["现场核查"]
    layout = layout_steps(steps, style=style)
    assert [line.text for line in layout.node("r6").lines] == ["不予确认"]
    del raw["texts"]
    (tmp_path / "chart.json").write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    with pytest.raises(CatalogInputError, match="流程图配置文件不正确"):
        load_style(tmp_path / "chart.json")


def test_the_sample_catalog_charts() -> None:
    catalog = read_catalog([SAMPLES / "市级目录.xlsx"]).catalog
    leaves = [lf for lf in catalog.iter_leaves() if lf.steps]
    assert leaves
    for item in leaves:
        layout = layout_steps(chart_steps(item), item.name or "")
        assert_sound(layout)
        assert len([n for n in layout.nodes if n.kind == "step"]) == len(item.steps)
        ET.fromstring(render_svg(layout))
    first = layout_steps(chart_steps(leaves[0]))
    assert [t.text for t in first.node("r1").lines] == ["不予受理"]
    assert catalog.bundles
    for bundle in catalog.bundles:
        layout = layout_bundle(bundle_lanes(bundle, catalog), title=bundle.name or "")
        assert_sound(layout)
        assert [n.lane for n in lanes_of(layout)] == bundle.members
        ET.fromstring(render_svg(layout))
