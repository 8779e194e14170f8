"""Flow charts of a guide: a step list (or a 一件事 bundle's lanes) → a layout → SVG.

The layout is a small model of boxes and polylines in px, pure and testable without SVG; the
renderer only draws it. Sizes, colours, fonts, the words that make a step a refusal point and
every text the chart shows are data in ``templates/chart.json`` (docs/guides-chart.md).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import wcwidth

from catalog_cli.model.errors import CatalogInputError
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.records import Bundle, Catalog, Leaf, Step
from catalog_cli.model.values import format_time_limit
from catalog_cli.schema import resource_dir, time_unit_of

CHART_FILE = "chart.json"
AMBIGUOUS = 2  # CJK fonts draw ambiguous characters (…, “”, ①) two columns wide
SVG_NS = "http://www.w3.org/2000/svg"


# ---------------------------------------------------------------- the data file


@dataclass(frozen=True)
class Metrics:
    """Sizes of one context: the main flow, or the lanes of a bundle."""

    font_size: float
    box_padding: float
    gap: float
    decision_width: float
    decision_height: float
    refusal_width: float
    refusal_gap: float
    max_lines: int
    line_height: float

    def columns(self, width: float) -> int:
        """Display columns that fit ``width`` px (a CJK character is two, one em)."""
        return max(2, int(width // (self.font_size / 2)))


@dataclass(frozen=True)
class Refusal:
    """Where a step can refuse: the diamond's question and the refusal end's label."""

    question: str
    label: str


@dataclass(frozen=True)
class Style:
    """``templates/chart.json`` as read."""

    raw: dict[str, Any]
    flow: Metrics
    lane: Metrics

    @property
    def texts(self) -> dict[str, Any]:
        return self.raw["texts"]

    @property
    def colors(self) -> dict[str, str]:
        return self.raw["colors"]

    def get(self, key: str) -> Any:
        return self.raw[key]


def _metrics(raw: dict[str, Any], part: dict[str, Any], gap_key: str) -> Metrics:
    """One context's metrics; the font never goes below ``min_font_size``."""
    return Metrics(
        font_size=max(float(part["font_size"]), float(raw["min_font_size"])),
        box_padding=float(part["box_padding"]),
        gap=float(part[gap_key]),
        decision_width=float(part["decision_width"]),
        decision_height=float(part["decision_height"]),
        refusal_width=float(part["refusal_width"]),
        refusal_gap=float(part["refusal_gap"]),
        max_lines=int(part.get("max_lines", raw["max_lines"])),
        line_height=float(raw["line_height"]),
    )


def load_style(path: Path | None = None) -> Style:
    """Read the chart's data file (``templates/chart.json`` unless ``path`` is given)."""
    if path is None:
        return _default_style()
    return _read_style(Path(path))


@cache
def _default_style() -> Style:
    return _read_style(resource_dir("templates") / CHART_FILE)


def _read_style(source: Path) -> Style:
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
        style = Style(
            raw, _metrics(raw, raw["flow"], "gap"), _metrics(raw, raw["lane"], "step_gap")
        )
        for key in ("start", "end", "post", "limit", "yes", "no", "placeholder", "depends", "tail"):
            str(style.texts[key])
        list(style.texts["head"])
        _refusal_rules(style)
        float(raw["lane"]["min_width"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogInputError(str(source), f"流程图配置文件不正确：{exc}") from None
    return style


def _refusal_rules(style: Style) -> list[tuple[tuple[str, ...], Refusal]]:
    return [
        (tuple(rule["words"]), Refusal(str(rule["question"]), str(rule["label"])))
        for rule in style.get("refusals")
    ]


# ---------------------------------------------------------------- input: plain steps and lanes


@dataclass(frozen=True)
class ChartStep:
    """One step as the chart shows it: name, post (岗位 / 办理人员), time limit text, and where it
    can refuse (None when it cannot).
    """

    name: str
    post: str = ""
    limit: str = ""
    refusal: Refusal | None = None


@dataclass(frozen=True)
class Lane:
    """One member item of a bundle: its key (implementation code), title and steps."""

    key: str
    title: str
    steps: tuple[ChartStep, ...] = ()


def refusal_of(texts: Iterable[str | None], style: Style | None = None) -> Refusal | None:
    """The first refusal rule whose word occurs in one of ``texts`` (a step's name, its result)."""
    rules = _refusal_rules(style or load_style())
    for text in texts:
        if not text:
            continue
        for words, refusal in rules:
            if any(word in text for word in words):
                return refusal
    return None


def chart_step(step: Step, style: Style | None = None) -> ChartStep:
    """A model step as the chart shows it; it can refuse when its name or result says so."""
    style = style or load_style()
    limit = format_time_limit(step.time_limit, time_unit_of) if step.time_limit else ""
    return ChartStep(
        name=step.name or "",
        post=step.post or "",
        limit=limit or "",
        refusal=refusal_of((step.name, step.result), style),
    )


def chart_steps(leaf: Leaf, style: Style | None = None) -> list[ChartStep]:
    """A leaf's steps in order (by 序号 where it is a number, else as listed)."""
    ordered = sorted(
        enumerate(leaf.steps),
        key=lambda p: (p[1].seq if isinstance(p[1].seq, int) else math.inf, p[0]),
    )
    return [chart_step(step, style) for _, step in ordered]


def bundle_lanes(bundle: Bundle, catalog: Catalog, style: Style | None = None) -> list[Lane]:
    """One lane per member of ``bundle``; a member not in ``catalog`` gets a lane without steps."""
    leaves = {leaf.impl_code: leaf for leaf in catalog.iter_leaves() if leaf.impl_code}
    lanes = []
    for code in bundle.members:
        leaf = leaves.get(code)
        if leaf is None:
            lanes.append(Lane(code, code))
        else:
            lanes.append(Lane(code, leaf.name or code, tuple(chart_steps(leaf, style))))
    return lanes


# ---------------------------------------------------------------- text


_CONTROL = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """One line of text: runs of white space as one space, control characters dropped."""
    text = _CONTROL.sub(" ", text).strip()
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs", "Co"))


def display_width(text: str) -> int:
    """Columns ``text`` takes: CJK and ambiguous characters two, others one."""
    return max(0, wcwidth.width(text, ambiguous_width=AMBIGUOUS))


def wrap_text(
    text: str, columns: int, max_lines: int, ellipsis: str = "…"
) -> tuple[list[str], bool]:
    """``text`` wrapped into lines of at most ``columns`` display columns.

    Past ``max_lines`` lines the text is cut and the last line ends with ``ellipsis``; the flag
    says whether that happened.
    """
    lines, cut = _wrapped(text, columns, max_lines, ellipsis)
    return list(lines), cut


@lru_cache(maxsize=4096)
def _wrapped(
    text: str, columns: int, max_lines: int, ellipsis: str
) -> tuple[tuple[str, ...], bool]:
    """:func:`wrap_text`, remembered: the same step names, posts and limits recur in every
    chart of a catalog, and wrapping is the slow part of a layout."""
    lines, cut = _wrap(text, columns, max_lines, ellipsis)
    return tuple(lines), cut


def _wrap(text: str, columns: int, max_lines: int, ellipsis: str) -> tuple[list[str], bool]:
    text = clean_text(text)
    if not text:
        return [], False
    lines = wcwidth.wrap(text, columns, ambiguous_width=AMBIGUOUS)
    if len(lines) <= max_lines:
        return lines, False
    kept = lines[:max_lines]
    last = kept[-1]
    while last and display_width(last + ellipsis) > columns:
        last = last[:-1]
    kept[-1] = last.rstrip() + ellipsis
    return kept, True


# ---------------------------------------------------------------- the layout model


@dataclass(frozen=True)
class TextLine:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Node:
    """A shape: ``kind`` is start, end, step, decision, refusal, placeholder, fork, join, lane
    (a member's background) or header (the lane's title box, where its arrows start).

    ``text_width`` is the width (px) its lines were wrapped to; ``lane`` the member key.
    """

    id: str
    kind: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[TextLine, ...] = ()
    text_width: float = 0.0
    font_size: float = 14.0
    lane: str | None = None

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass(frozen=True)
class Edge:
    """An arrow from ``source`` to ``target`` along ``points``; kind: flow, refuse or trunk."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]
    label: str = ""
    kind: str = "flow"


@dataclass(frozen=True)
class Layout:
    """A laid-out chart. ``placeholder`` is set when there were no steps to draw; ``truncated``
    names the nodes whose text was cut with an ellipsis; ``findings`` are problems in the input.
    """

    width: float
    height: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    title: str = ""
    placeholder: bool = False
    truncated: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)


@dataclass
class _Canvas:
    """The layout under construction."""

    style: Style
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)

    def add(self, node: Node, cut: bool = False) -> Node:
        self.nodes.append(node)
        if cut:
            self.truncated.append(node.id)
        return node

    def link(self, a: Node, b: Node, points: Sequence[tuple[float, float]], **kw: str) -> None:
        self.edges.append(Edge(a.id, b.id, tuple(points), **kw))

    def down(self, a: Node, b: Node, x: float, label: str = "") -> None:
        """A vertical arrow at ``x`` from the bottom of ``a`` to the top of ``b``."""
        self.link(a, b, ((x, a.bottom), (x, b.y)), label=label)

    def text_node(
        self,
        node_id: str,
        kind: str,
        box: tuple[float, float, float],
        texts: Sequence[TextLine],
        m: Metrics,
        *,
        text_width: float,
        min_h: float = 0.0,
        lane: str | None = None,
    ) -> Node:
        """A node at (x, y) of width w whose height grows with its wrapped lines."""
        x, y, w = box
        lines: list[TextLine] = []
        cut = False
        for t in texts:
            wrapped, c = wrap_text(
                t.text, m.columns(text_width), m.max_lines, self.style.get("ellipsis")
            )
            lines += [TextLine(s, t.bold) for s in wrapped]
            cut = cut or c
        h = max(min_h, 2 * m.box_padding + len(lines) * m.font_size * m.line_height)
        node = Node(node_id, kind, x, y, w, h, tuple(lines), text_width, m.font_size, lane)
        return self.add(node, cut)


def _step_texts(step: ChartStep, style: Style) -> list[TextLine]:
    texts = [TextLine(step.name, bold=True)]
    if step.post:
        texts.append(TextLine(style.texts["post"] + step.post))
    if step.limit:
        texts.append(TextLine(style.texts["limit"] + step.limit))
    return texts


def _oval(
    cv: _Canvas,
    node_id: str,
    kind: str,
    text: str,
    cx: float,
    y: float,
    w: float,
    h: float,
    m: Metrics,
    lane: str | None = None,
) -> Node:
    """A start, end or refusal end: a rounded box centred on ``cx``."""
    return cv.text_node(
        node_id,
        kind,
        (cx - w / 2, y, w),
        [TextLine(text)],
        m,
        text_width=w - 2 * m.box_padding,
        min_h=h,
        lane=lane,
    )


def _column(
    cv: _Canvas,
    steps: Sequence[ChartStep],
    prev: Node,
    spine: float,
    left: float,
    width: float,
    y: float,
    m: Metrics,
    prefix: str,
    lane: str | None = None,
    right: float | None = None,
) -> tuple[Node, float]:
    """Steps one below the other, each box spanning ``left``..``left+width``, arrows on
    ``spine``; a diamond under each step that can refuse, its 否 branch to a refusal end on the
    right. Returns the last node and the y under it.
    """
    texts = cv.style.texts
    label = ""
    for i, step in enumerate(steps, 1):
        box = cv.text_node(
            f"{prefix}s{i}",
            "step",
            (left, y, width),
            _step_texts(step, cv.style),
            m,
            text_width=width - 2 * m.box_padding,
            lane=lane,
        )
        cv.down(prev, box, spine, label)
        prev, label, y = box, "", box.bottom + m.gap
        if step.refusal is None:
            continue
        dw, dh = m.decision_width, m.decision_height
        diamond = cv.text_node(
            f"{prefix}d{i}",
            "decision",
            (spine - dw / 2, y, dw),
            [TextLine(step.refusal.question)],
            m,
            text_width=dw / 2,
            min_h=dh,
            lane=lane,
        )
        cv.down(prev, diamond, spine)
        cy = diamond.y + diamond.h / 2
        rw = (
            m.refusal_width
            if right is None
            else min(m.refusal_width, right - diamond.right - m.refusal_gap)
        )
        rx = diamond.right + m.refusal_gap + rw / 2
        refusal = _oval(
            cv,
            f"{prefix}r{i}",
            "refusal",
            step.refusal.label,
            rx,
            cy,
            rw,
            m.decision_height * 0.8,
            m,
            lane,
        )
        refusal = _recentre(cv, refusal, cy)
        cv.link(
            diamond,
            refusal,
            ((diamond.right, cy), (refusal.x, cy)),
            label=texts["no"],
            kind="refuse",
        )
        prev, label, y = diamond, texts["yes"], diamond.bottom + m.gap
    return prev, y - m.gap


def _recentre(cv: _Canvas, node: Node, cy: float) -> Node:
    """Move the last added node so that its middle is at ``cy``."""
    moved = Node(**{**node.__dict__, "y": cy - node.h / 2})
    cv.nodes[-1] = moved
    return moved


# ---------------------------------------------------------------- single flow


def layout_steps(steps: Sequence[ChartStep], title: str = "", style: Style | None = None) -> Layout:
    """The chart of one item: 开始 → each step (→ diamond) → 办结; a placeholder without steps."""
    style = style or load_style()
    cv = _Canvas(style)
    m = style.flow
    width, margin = float(style.get("width")), float(style.get("margin"))
    flow = style.get("flow")
    spine = width / 2
    if not steps:
        return _placeholder(cv, title, width, margin, m)
    start = _terminal(cv, style, "start", spine, margin, m)
    bw = float(flow["box_width"])
    last, y = _column(cv, steps, start, spine, spine - bw / 2, bw, start.bottom + m.gap, m, "")
    end = _end(cv, style, last, spine, y + m.gap, m)
    return _finish(cv, title, width, end.bottom + margin)


def _placeholder(cv: _Canvas, title: str, width: float, margin: float, m: Metrics) -> Layout:
    bw = float(cv.style.get("flow")["box_width"])
    node = cv.text_node(
        "placeholder",
        "placeholder",
        (width / 2 - bw / 2, margin, bw),
        [TextLine(cv.style.texts["placeholder"], bold=True)],
        m,
        text_width=bw - 2 * m.box_padding,
        min_h=float(cv.style.get("flow")["end_height"]) * 1.5,
    )
    return _finish(cv, title, width, node.bottom + margin, placeholder=True)


def _finish(
    cv: _Canvas,
    title: str,
    width: float,
    height: float,
    placeholder: bool = False,
    findings: Sequence[Finding] = (),
) -> Layout:
    return Layout(
        width,
        height,
        tuple(cv.nodes),
        tuple(cv.edges),
        title,
        placeholder,
        tuple(cv.truncated),
        tuple(findings),
    )


# ---------------------------------------------------------------- bundle (一件事)


def lane_stages(
    keys: Sequence[str], depends: Iterable[tuple[str, str]], item: str = ""
) -> tuple[list[list[str]], dict[str, list[str]], list[Finding]]:
    """Group member keys into stages: a member runs after every member it depends on.

    ``depends`` holds (before, after) pairs. A pair naming an unknown member, or one that would
    close a cycle, is left out with a finding. Returns the stages (members in input order), each
    member's predecessors, and the findings.
    """
    known = set(keys)
    before: dict[str, list[str]] = {k: [] for k in keys}
    findings: list[Finding] = []
    for a, b in depends:
        if a not in known or b not in known:
            findings.append(
                make_finding(
                    "chart-dependency-unknown",
                    "warning",
                    None,
                    f"一件事的先后关系 {a} → {b} 中有不是成员的事项，流程图中未画出这一关系",
                    item=item,
                    value=f"{a} → {b}",
                )
            )
        elif a == b or _reaches(before, a, b):
            findings.append(
                make_finding(
                    "chart-dependency-cycle",
                    "warning",
                    None,
                    f"一件事的先后关系 {a} → {b} 与其他关系构成循环，流程图中未画出这一关系",
                    item=item,
                    value=f"{a} → {b}",
                )
            )
        elif a not in before[b]:
            before[b].append(a)
    level: dict[str, int] = {}

    def depth(k: str) -> int:
        if k not in level:
            level[k] = 1 + max((depth(p) for p in before[k]), default=-1)
        return level[k]

    stages: list[list[str]] = [[] for _ in range(max((depth(k) for k in keys), default=-1) + 1)]
    for k in keys:
        stages[depth(k)].append(k)
    return stages, before, findings


def _terminal(cv: _Canvas, style: Style, kind: str, spine: float, y: float, m: Metrics) -> Node:
    """The 开始 or 办结 oval (``kind`` start / end) on the spine at ``y``."""
    flow = style.get("flow")
    w, h = float(flow["end_width"]), float(flow["end_height"])
    return _oval(cv, kind, kind, style.texts[kind], spine, y, w, h, m)


def _end(cv: _Canvas, style: Style, last: Node, spine: float, y: float, m: Metrics) -> Node:
    """The 办结 oval at ``y`` under ``last``, joined to it (“是” after a decision)."""
    end = _terminal(cv, style, "end", spine, y, m)
    cv.down(last, end, spine, style.texts["yes"] if last.kind == "decision" else "")
    return end


def _reaches(before: dict[str, list[str]], a: str, b: str) -> bool:
    """Whether ``a`` already (transitively) depends on ``b``."""
    seen, todo = set(), [a]
    while todo:
        k = todo.pop()
        if k == b:
            return True
        if k not in seen:
            seen.add(k)
            todo += before[k]
    return False


def layout_bundle(
    lanes: Sequence[Lane],
    depends: Iterable[tuple[str, str]] = (),
    title: str = "",
    style: Style | None = None,
) -> Layout:
    """The joint flow of a 一件事: 开始 → the common head steps → the members' lanes (parallel
    within a stage, stages in sequence by ``depends``) → 统一出件 → 办结.

    Lanes that do not fit side by side (``lane.min_width``) wrap into rows of the same stage.
    """
    style = style or load_style()
    cv = _Canvas(style)
    m, width, margin = style.flow, float(style.get("width")), float(style.get("margin"))
    flow = style.get("flow")
    spine, bw = width / 2, float(flow["box_width"])
    if not lanes:
        return _placeholder(cv, title, width, margin, m)
    start = _terminal(cv, style, "start", spine, margin, m)
    head = [ChartStep(t, refusal=refusal_of([t], style)) for t in style.texts["head"]]
    prev, y = _column(cv, head, start, spine, spine - bw / 2, bw, start.bottom + m.gap, m, "h")
    by_key = {lane.key: lane for lane in lanes}
    stages, before, findings = lane_stages(list(by_key), depends, title)
    names = {lane.key: lane.title for lane in lanes}
    label = style.texts["yes"] if prev.kind == "decision" else ""
    for si, stage in enumerate(stages):
        prev, y = _stage(cv, [by_key[k] for k in stage], before, names, prev, y + m.gap, si, label)
        label = ""
    tail = [ChartStep(style.texts["tail"], refusal=refusal_of([style.texts["tail"]], style))]
    prev, y = _column(cv, tail, prev, spine, spine - bw / 2, bw, y + m.gap, m, "t")
    end = _end(cv, style, prev, spine, y + m.gap, m)
    return _finish(cv, title, width, end.bottom + margin, findings=findings)


def _rows(count: int, usable: float, lw: dict[str, Any]) -> list[int]:
    """How many lanes go in each row: as many as fit ``lane.min_width``, rows balanced."""
    gap, min_w = float(lw["gap"]), float(lw["min_width"])
    per_row = max(1, int((usable + gap) // (min_w + gap)))
    rows = math.ceil(count / per_row)
    base, extra = divmod(count, rows)
    return [base + (1 if r < extra else 0) for r in range(rows)]


def _stage(
    cv: _Canvas,
    lanes: list[Lane],
    before: dict[str, list[str]],
    names: dict[str, str],
    prev: Node,
    y: float,
    si: int,
    label: str,
) -> tuple[Node, float]:
    """One stage: per row a fork bar, the lanes side by side, a join bar; rows joined by trunks
    in the margins. Returns the stage's last join bar and the y under it.
    """
    style, m = cv.style, cv.style.lane
    lw = style.get("lane")
    width, margin = float(style.get("width")), float(style.get("margin"))
    usable, gap, inset = width - 2 * margin, float(lw["gap"]), float(lw["trunk_inset"])
    bar_h, bar_gap = float(lw["bar_height"]), float(lw["bar_gap"])
    counts = _rows(len(lanes), usable, lw)
    lane_w = min(
        float(style.get("flow")["box_width"]), (usable - (max(counts) - 1) * gap) / max(counts)
    )
    multi = len(counts) > 1
    spine = width / 2
    first = 0
    last_fork = last_join = None
    for ri, count in enumerate(counts):
        row = lanes[first : first + count]
        first += count
        row_w = count * lane_w + (count - 1) * gap
        left = spine - row_w / 2
        fx0, fx1 = (margin - inset, width - margin) if multi else (left, left + row_w)
        fork = cv.add(Node(f"g{si}.{ri}f", "fork", fx0, y, fx1 - fx0, bar_h))
        if last_fork is None:
            cv.down(prev, fork, spine, label)
        else:
            x = margin - inset / 2
            cv.link(last_fork, fork, ((x, last_fork.bottom), (x, fork.y)), kind="trunk")
        top = fork.bottom + bar_gap
        ends = [
            _lane(cv, lane, before, names, left + i * (lane_w + gap), top, lane_w, fork)
            for i, lane in enumerate(row)
        ]
        bottom = max(b for _, _, b in ends)
        jx0, jx1 = (margin, width - margin + inset) if multi else (left, left + row_w)
        join = cv.add(Node(f"g{si}.{ri}j", "join", jx0, bottom + bar_gap, jx1 - jx0, bar_h))
        for lane_node, last, _ in ends:
            _stretch(cv, lane_node, bottom)
            x = lane_node.x + m.decision_width / 2 + float(lw["padding"])
            cv.link(last, join, ((x, last.bottom), (x, join.y)))
        if last_join is not None:
            x = width - margin + inset / 2
            cv.link(last_join, join, ((x, last_join.bottom), (x, join.y)), kind="trunk")
        last_fork, last_join = fork, join
        y = join.bottom + bar_gap
    assert last_join is not None
    return last_join, last_join.bottom


def _stretch(cv: _Canvas, node: Node, bottom: float) -> None:
    """Make a lane reach down to ``bottom`` so that a row's lanes end level."""
    i = cv.nodes.index(node)
    cv.nodes[i] = Node(**{**node.__dict__, "h": bottom - node.y})


def _lane(
    cv: _Canvas,
    lane: Lane,
    before: dict[str, list[str]],
    names: dict[str, str],
    x: float,
    y: float,
    w: float,
    fork: Node,
) -> tuple[Node, Node, float]:
    """A lane: a header (the member's name, what it waits for) and its steps below.

    Returns the lane, its last node and the y under its content.
    """
    style, m = cv.style, cv.style.lane
    pad = float(style.get("lane")["padding"])
    texts = [TextLine(lane.title, bold=True)]
    if before[lane.key]:
        texts.append(
            TextLine(style.texts["depends"] + "、".join(names[k] for k in before[lane.key]))
        )
    inner = w - 2 * pad
    node = cv.add(Node(f"L{list(names).index(lane.key) + 1}", "lane", x, y, w, 0.0, lane=lane.key))
    header = cv.text_node(
        f"{node.id}.h",
        "header",
        (x + pad, y + pad, inner),
        texts,
        m,
        text_width=inner - 2 * m.box_padding,
        lane=lane.key,
    )
    spine = x + pad + m.decision_width / 2
    cv.link(fork, header, ((spine, fork.bottom), (spine, header.y)))
    top = header.bottom
    if not lane.steps:
        hold = cv.text_node(
            f"{node.id}.p",
            "placeholder",
            (x + pad, top + m.gap, inner),
            [TextLine(style.texts["placeholder"])],
            m,
            text_width=inner - 2 * m.box_padding,
            lane=lane.key,
        )
        cv.link(header, hold, ((spine, top), (spine, hold.y)))
        return node, hold, hold.bottom + pad
    last, bottom = _column(
        cv,
        lane.steps,
        header,
        spine,
        x + pad,
        inner,
        top + m.gap,
        m,
        f"{node.id}.",
        lane.key,
        right=x + w - pad,
    )
    return node, last, bottom + pad


# ---------------------------------------------------------------- SVG


def render_svg(layout: Layout, style: Style | None = None, id_prefix: str = "chart") -> str:
    """The layout as an SVG document (text, no XML declaration) sized for an A4 page.

    Written directly as text, as ElementTree would serialize the same elements (``<tag a="v" />``
    when empty, the same escaping; tests/test_chart.py checks both agree): a guide per leaf of a
    large catalog draws thousands of charts, and the element tree was the slow half of that.
    """
    style = style or load_style()
    colors = style.colors
    w, h = _n(layout.width), _n(layout.height)
    out = [
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        f'font-family="{_attr(str(style.get("font_family")))}" role="img">'
    ]
    if layout.title:
        out.append(_element("title", "", clean_text(layout.title)))
    out.append(
        f'<defs><marker id="{_attr(id_prefix)}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{_attr(colors["edge"])}" /></marker></defs>'
    )
    line_height = float(style.get("line_height"))
    for node in layout.nodes:
        if node.kind == "lane":
            _draw_node(out, node, colors, line_height)
    edge_attrs = (
        f'fill="none" stroke="{_attr(colors["edge"])}" stroke-width="1.2" '
        f'marker-end="url(#{_attr(id_prefix)}-arrow)"'
    )
    for edge in layout.edges:
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in edge.points)
        out.append(f'<polyline points="{points}" {edge_attrs} />')
    for node in layout.nodes:
        if node.kind != "lane":
            _draw_node(out, node, colors, line_height)
    for edge in layout.edges:
        if edge.label:
            out.append(_draw_label(edge, colors, style))
    out.append("</svg>")
    return "".join(out)


_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;"}
    | {"\t": "&#09;"}
)
_CDATA = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _attr(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    return value.translate(_ATTRIBUTE)


def _element(tag: str, attrs: str, text: str) -> str:
    """``<tag attrs>text</tag>``, or ``<tag attrs />`` without text (as ElementTree writes)."""
    if not text:
        return f"<{tag}{attrs} />"
    return f"<{tag}{attrs}>{text.translate(_CDATA)}</{tag}>"


@lru_cache(maxsize=8192)
def _n(value: float) -> str:
    """A coordinate: at most one decimal (remembered: the same few hundred recur in every chart)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@lru_cache(maxsize=64)
def _text_rest(font_size: float, fill: str) -> str:
    """The attributes after x and y of a node's text line."""
    return f' font-size="{_n(font_size)}" text-anchor="middle" fill="{_attr(fill)}"'


def _draw_node(out: list[str], node: Node, colors: dict[str, str], line_height: float) -> None:
    """The node's group: ``class="node <kind>"``, ``data-node`` its id, ``data-lane`` its member
    (the hooks a reader of the page, or a test in a browser, finds steps and lanes by), holding
    its shape and its lines."""
    lane = "" if node.lane is None else f' data-lane="{_attr(node.lane)}"'
    out.append(f'<g class="node {_attr(node.kind)}" data-node="{_attr(node.id)}"{lane}>')
    box = f'x="{_n(node.x)}" y="{_n(node.y)}" width="{_n(node.w)}" height="{_n(node.h)}"'
    stroke = f'stroke="{_attr(colors["stroke"])}" stroke-width="1.2"'
    if node.kind in ("fork", "join"):
        out.append(f'<rect {box} fill="{_attr(colors["bar"])}" /></g>')
        return
    if node.kind == "decision":
        cx, cy = _n(node.x + node.w / 2), _n(node.y + node.h / 2)
        points = f"{cx},{_n(node.y)} {_n(node.right)},{cy} {cx},{_n(node.bottom)} {_n(node.x)},{cy}"
        out.append(f'<polygon points="{points}" fill="{_attr(colors["decision"])}" {stroke} />')
    elif node.kind == "lane":
        fill, edge = _attr(colors["lane"]), _attr(colors["lane_stroke"])
        out.append(f'<rect {box} rx="6" fill="{fill}" stroke="{edge}" />')
    else:
        rx = node.h / 2 if node.kind in ("start", "end", "refusal") else 4
        fill = _attr(colors.get("end" if node.kind == "start" else node.kind, colors["step"]))
        dash = ' stroke-dasharray="6 4"' if node.kind == "placeholder" else ""
        out.append(f'<rect {box} rx="{_n(rx)}" fill="{fill}" {stroke}{dash} />')
    _draw_lines(out, node, colors["text"], line_height)
    out.append("</g>")


def _draw_lines(out: list[str], node: Node, fill: str, line_height: float) -> None:
    """The node's lines, centred."""
    fs = node.font_size
    lh = fs * line_height
    rest = _text_rest(fs, fill)
    top = node.y + (node.h - len(node.lines) * lh) / 2
    x = _n(node.x + node.w / 2)
    for i, line in enumerate(node.lines):
        y = _n(top + i * lh + lh / 2 + fs * 0.35)
        bold = ' font-weight="bold"' if line.bold else ""
        out.append(_element("text", f' x="{x}" y="{y}"{rest}{bold}', line.text))


def _draw_label(edge: Edge, colors: dict[str, str], style: Style) -> str:
    (x0, y0), (x1, y1) = edge.points[0], edge.points[1]
    fs = style.lane.font_size
    if abs(y1 - y0) >= abs(x1 - x0):  # vertical: beside the arrow
        x, y, anchor = x0 + 4, (y0 + y1) / 2 + fs * 0.35, "start"
    else:  # horizontal: above it
        x, y, anchor = (x0 + x1) / 2, y0 - 4, "middle"
    attrs = (
        f' x="{_n(x)}" y="{_n(y)}" font-size="{_n(fs)}" text-anchor="{anchor}"'
        f' fill="{_attr(colors["edge"])}"'
    )
    return _element("text", attrs, edge.label)
