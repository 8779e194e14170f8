"""The ``catalog diff`` report: one model (:class:`~catalog_cli.report.shape.Report`) for text and
JSON, and the xlsx workbook (a summary sheet with a bar chart of the rates, a sheet per county)
built from the same results. JSON keys: docs/diff.md."""

from __future__ import annotations

import io
import os
from pathlib import PurePath
from typing import Any

import xlsxwriter

from catalog_cli.analyses.diff import Change, CountyDiff, ItemDeviation, ItemRef
from catalog_cli.analyses.diff_rules import load_diff_rules
from catalog_cli.model.values import formula_like, pct_text
from catalog_cli.report.shape import Report, Table, TextLayout
from catalog_cli.report.text import short
from catalog_cli.report.xlsx import TEXT_ONLY, fit_cell

TITLE = "六个统一比对（县级目录对照市级目录）"
KIND_LABEL = {
    "renamed": "改名",
    "code-changed": "编码不同",
    "conditions-changed": "条件不同",
    "material-added": "增加材料",
    "material-removed": "减少材料",
    "material-changed": "材料要求不同",
    "legal-changed": "法定时限不同",
    "promise-longer": "承诺时限延长",
    "promise-shorter": "承诺时限缩短",
    "promise-changed": "承诺时限不同",
    "step-added": "增加环节",
    "step-removed": "减少环节",
    "step-reordered": "环节顺序不同",
    "changed": "不同",
}
BY_LABEL = {"code": "编码", "name": "名称"}
CELL = 9  # characters of a value in a text table (CJK: two columns each; tables fit 80)
CUT_NOTE = "表中较长的文字已缩短（以“…”结尾）；完整内容见 -f json、xlsx 或 html 的输出。"


def rate_pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 2)


def county_name(diff: CountyDiff) -> str:
    return PurePath(diff.county_file).stem or diff.county_file


def short_names(diffs: list[CountyDiff]) -> dict[str, str]:
    """Each county's label in text tables: its file stem without the prefix all stems share
    (县级目录-东湖县, 县级目录-西山县 → 东湖县, 西山县)."""
    stems = {d.county_file: county_name(d) for d in diffs}
    prefix = os.path.commonprefix(list(stems.values())) if len(stems) > 1 else ""  # noqa: RUF071
    return {f: (s[len(prefix) :] or s) for f, s in stems.items()}


def _was_cut(table: Table) -> bool:
    """Whether a text table shortened a value (:func:`short` ends it with “…”)."""
    return any(isinstance(v, str) and v.endswith("…") for row in table.rows for v in row)


def ranking(diffs: list[CountyDiff]) -> list[CountyDiff]:
    """Counties from the most consistent down (no matched item last), then by file."""
    return sorted(diffs, key=lambda d: (-(d.rate() if d.rate() is not None else -1), d.county_file))


def deviation_value(d: ItemDeviation, side: str) -> str:
    value = d.deviation.city if side == "city" else d.deviation.county
    return value or ""


def rate_name(diff: CountyDiff) -> str:
    """“六个统一一致率” when the six unified elements were compared, else “一致率” (a version diff
    with ``--elements all``, or a chosen few)."""
    unified = tuple(e.key for e in load_diff_rules().elements if e.unified)
    return "六个统一一致率" if tuple(diff.elements) == unified else "所比对要素的一致率"


def sentence(diff: CountyDiff) -> str:
    city_only = sum(1 for r in diff.unclaimed if r.city_only)
    errors = sum(1 for d in diff.deviations if d.deviation.severity == "error")
    of_city = f"（其中 {city_only} 个行使层级不含县级）" if city_only else ""
    of_errors = f"（错误 {errors} 处）" if errors else ""
    repeated = f"；{len(diff.findings)} 个编码或名称重复（见问题列表）" if diff.findings else ""
    return (
        f"{county_name(diff)}：匹配 {diff.matched_count} 个子项，市级事项未认领 "
        f"{len(diff.unclaimed)} 个{of_city}，县级自有 {len(diff.county_only)} 个；"
        f"差异 {len(diff.deviations)} 处{of_errors}{repeated}，"
        f"{rate_name(diff)} {pct_text(rate_pct(diff.rate()))}。"
    )


def rank_table(diffs: list[CountyDiff]) -> Table:
    label = short_names(diffs)
    rows = tuple(
        (
            n,
            label[d.county_file],
            d.matched_count,
            len(d.unclaimed),
            len(d.county_only),
            len(d.deviations),
            pct_text(rate_pct(d.rate())),
        )
        for n, d in enumerate(ranking(diffs), 1)
    )
    return Table(
        "各县一致率排名", ("名次", "县级目录", "匹配", "未认领", "县级自有", "差异", "一致率"), rows
    )


def element_table(diffs: list[CountyDiff]) -> Table:
    elements = diffs[0].elements
    label = short_names(diffs)
    rows = tuple(
        (label[d.county_file], *(pct_text(rate_pct(d.rates()[e])) for e in elements)) for d in diffs
    )
    return Table("各要素一致率", ("县级目录", *(diffs[0].titles[e] for e in elements)), rows)


def deviation_table(diff: CountyDiff) -> Table:
    rows = tuple(
        (
            short(d.pair.city.name, CELL),
            KIND_LABEL.get(d.deviation.kind, d.deviation.kind),
            short(deviation_value(d, "city"), CELL),
            short(deviation_value(d, "county"), CELL),
        )
        for d in diff.deviations
    )
    return Table(f"{county_name(diff)} · 差异", ("事项", "差异", "市级", "县级"), rows)


def items_table(title: str, refs: list[ItemRef], city: bool) -> Table:
    rows = tuple(
        (r.code, short(r.name, 14), "不含县级" if r.city_only else "")
        if city
        else (r.code, short(r.name, 18))
        for r in refs
    )
    return Table(title, ("编码", "事项名称", "行使层级") if city else ("编码", "事项名称"), rows)


def suggestion_table(diff: CountyDiff) -> Table:
    rows = tuple(
        (short(s.city.name, 14), short(s.county.name, 14), s.score) for s in diff.suggestions
    )
    return Table(
        f"{county_name(diff)} · 名称相近（未匹配，请核对）",
        ("市级事项", "县级事项", "相似度"),
        rows,
    )


def _ref_data(ref: ItemRef) -> dict[str, Any]:
    return {"code": ref.code, "name": ref.name, "impl_code": ref.impl_code, "row": ref.row}


def deviation_data(d: ItemDeviation) -> dict[str, Any]:
    dev = d.deviation
    return {
        "item": d.pair.city.name,
        "code": d.pair.city.code,
        "county_item": d.pair.county.impl_code,
        "row": d.pair.county.row,
        "element": dev.title,
        "element_key": dev.element,
        "kind": dev.kind,
        "severity": dev.severity,
        "subject": dev.subject or None,
        "city": dev.city,
        "county": dev.county,
        "diff": [{"op": op, "city": a, "county": b} for op, a, b in dev.runs] or None,
    }


def county_data(diff: CountyDiff) -> dict[str, Any]:
    return {
        "file": diff.county_file,
        "matched": diff.matched_count,
        "matched_by": diff.matched_counts(),
        "unclaimed": [_ref_data(r) | {"city_only": r.city_only} for r in diff.unclaimed],
        "county_only": [_ref_data(r) for r in diff.county_only],
        "suggestions": [
            {"city": _ref_data(s.city), "county": _ref_data(s.county), "score": s.score}
            for s in diff.suggestions
        ],
        "deviations": [deviation_data(d) for d in diff.deviations],
        "rates": {diff.titles[e]: rate_pct(r) for e, r in diff.rates().items()},
        "rate": rate_pct(diff.rate()),
        "findings": [f.to_dict() for f in diff.findings],
    }


def diff_data(city: str, diffs: list[CountyDiff], unreadable: list[str]) -> dict[str, Any]:
    elements = diffs[0].elements if diffs else ()
    titles = diffs[0].titles if diffs else {}
    return {
        "city": city,
        "elements": [titles[e] for e in elements],
        "summary": summary(diffs, unreadable),
        "ranking": [{"file": d.county_file, "rate": rate_pct(d.rate())} for d in ranking(diffs)],
        "counties": [county_data(d) for d in diffs],
        "unreadable": unreadable,
    }


def summary(diffs: list[CountyDiff], unreadable: list[str]) -> dict[str, Any]:
    return {
        "counties": len(diffs),
        "unreadable": len(unreadable),
        "matched": sum(d.matched_count for d in diffs),
        "deviations": sum(len(d.deviations) for d in diffs),
        "errors": sum(1 for d in diffs for x in d.deviations if x.deviation.severity == "error"),
    }


def diff_report(city: str, diffs: list[CountyDiff], unreadable: list[str] = ()) -> Report:  # type: ignore[assignment]
    """Every county's diff as one report (text and JSON)."""
    unreadable = list(unreadable)
    tables: list[Table] = []
    if diffs:
        tables += [rank_table(diffs), element_table(diffs)]
    for diff in diffs:
        if diff.deviations:
            tables.append(deviation_table(diff))
        if diff.unclaimed:
            tables.append(
                items_table(f"{county_name(diff)} · 未认领的市级事项", diff.unclaimed, True)
            )
        if diff.county_only:
            tables.append(
                items_table(f"{county_name(diff)} · 县级自有事项", diff.county_only, False)
            )
        if diff.suggestions:
            tables.append(suggestion_table(diff))
    said = [f"市级目录：{city}", *(sentence(d) for d in diffs)]
    if not any(d.deviations for d in diffs) and diffs:
        said.append("所比对的要素全部一致。")
    return Report(
        title=TITLE,
        summary=summary(diffs, unreadable),
        sentences=tuple(said),
        tables=tuple(tables),
        findings=tuple(f for d in diffs for f in d.findings),
        notes=(CUT_NOTE,) if any(_was_cut(t) for t in tables) else (),
        data=diff_data(city, diffs, unreadable),
        layout=TextLayout(),
    )


# --- change log and xlsx ------------------------------------------------------------------

CHANGE_HEADERS = ("实施编码", "事项名称", "行", "要素", "原值", "市级值（已设为）")


def change_rows(changes: list[Change]) -> list[tuple[Any, ...]]:
    """The align change log: one row per value set."""
    return [(c.item, c.name, c.row, c.element, c.old, c.new) for c in changes]


class _Writer:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.quoted = wb.add_format({"quote_prefix": True})
        self.marked = wb.add_format({"bg_color": "#FFEB9C"})
        self.marked_quoted = wb.add_format({"bg_color": "#FFEB9C", "quote_prefix": True})

    def text(self, ws: Any, row: int, col: int, value: Any, marked: bool = False) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            ws.write_number(row, col, value, self.marked if marked else None)
            return
        text = fit_cell("" if value is None else str(value))
        quoted = formula_like(text)
        fmt = (
            (self.marked_quoted if quoted else self.marked)
            if marked
            else (self.quoted if quoted else None)
        )
        ws.write_string(row, col, text, fmt)

    def table(self, ws: Any, headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        for col, title in enumerate(headers):
            ws.write_string(0, col, title, self.header)
        for r, values in enumerate(rows, 1):
            for col, value in enumerate(values):
                self.text(ws, r, col, value)
        ws.freeze_panes(1, 0)
        ws.set_column(0, len(headers) - 1, 18)


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:28] or "县"
    out, n = base, 2
    while out in used:
        out, n = f"{base[:26]}{n}", n + 1
    used.add(out)
    return out


def render_diff_xlsx(city: str, diffs: list[CountyDiff]) -> bytes:
    """汇总 (the ranking and a native bar chart of the rates), 各要素 (rates per element),
    then a sheet per county: one row per deviation, the county's value highlighted with the
    city's value in a comment."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_ONLY})
    w = _Writer(wb)
    rank = rank_table(diffs)
    ws = wb.add_worksheet("汇总")
    w.table(
        ws,
        rank.headers,
        [(*r[:-1], rate_pct(d.rate())) for r, d in zip(rank.rows, ranking(diffs), strict=True)],
    )
    ws.write_string(len(diffs) + 2, 0, f"市级目录：{city}")
    if diffs:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": f"{rate_name(diffs[0])}（%）",
                "categories": ["汇总", 1, 1, len(diffs), 1],
                "values": ["汇总", 1, 6, len(diffs), 6],
                "data_labels": {"value": True},
            }
        )
        chart.set_x_axis({"min": 0, "max": 100, "name": "一致率（%）"})
        chart.set_legend({"none": True})
        chart.set_title({"name": f"各县{rate_name(diffs[0])}"})
        ws.insert_chart(1, 8, chart)
        elements = element_table(diffs)
        es = wb.add_worksheet("各要素")
        w.table(
            es,
            elements.headers,
            [(county_name(d), *(rate_pct(d.rates()[e]) for e in d.elements)) for d in diffs],
        )
    used = {"汇总", "各要素"}
    headers = ("事项", "基本编码", "实施编码", "要素", "类型", "内容", "县级值", "市级值")
    for diff in diffs:
        cs = wb.add_worksheet(_sheet_name(county_name(diff), used))
        rows = [
            (
                d.pair.city.name,
                d.pair.city.code,
                d.pair.county.impl_code,
                d.deviation.title,
                KIND_LABEL.get(d.deviation.kind, d.deviation.kind),
                d.deviation.subject,
                deviation_value(d, "county"),
                deviation_value(d, "city"),
            )
            for d in diff.deviations
        ]
        w.table(cs, headers, rows)
        for r, d in enumerate(diff.deviations, 1):
            w.text(cs, r, 6, deviation_value(d, "county"), marked=True)
            cs.write_comment(r, 6, fit_cell(f"市级：{deviation_value(d, 'city') or '（无）'}"))
    wb.close()
    return buffer.getvalue()


def render_changes_xlsx(changes: list[Change]) -> bytes:
    """The align change log as a one-sheet workbook."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_ONLY})
    _Writer(wb).table(wb.add_worksheet("修改记录"), CHANGE_HEADERS, change_rows(changes))
    wb.close()
    return buffer.getvalue()
