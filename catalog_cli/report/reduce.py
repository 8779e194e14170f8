"""The ``catalog reduce`` report: sentences, summary tables, the per-leaf table and the JSON
document (docs/reduce.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from catalog_cli.analyses.reduce import BundleResult, Measure, ReduceResult, UnitTotal
from catalog_cli.model.values import number_text, pct_text
from catalog_cli.report.shape import Report, Table, per_file_sections

TITLE = "减材料、减环节、减时限、减跑动"
GROUP_HEADERS = ("单位", "子项数", "法定时限合计", "减少", "精简")
LIST_HEADERS = ("实施编码", "事项名称")


# --- sentences ---------------------------------------------------------------------------------


def change_text(before: float, after: float, unit: str, down: str, up: str = "增加为") -> str:
    """“由 19 份简化为 4 份” in the direction the numbers went (“仍为” when they did not move)."""
    if after == before:
        return f"仍为 {number_text(before)} {unit}"
    verb = down if after < before else up
    return f"由 {number_text(before)} {unit}{verb} {number_text(after)} {unit}"


def measure_sentence(m: Measure) -> str:
    """One baseline measure as a report states it."""
    if m.name == "申请材料":
        change = change_text(m.before, m.after, "份", "减少为")
        return f"申请材料{change}，减材料 {number_text(m.reduced)} 份，精简 {pct_text(m.rate)}"
    if m.name.startswith("申请材料（"):
        change = change_text(m.before, m.after, "份", "减少为")
        return f"{m.name}：{change}，精简 {pct_text(m.rate)}"
    if m.name == "办理环节":
        change = change_text(m.before, m.after, "个", "减少为")
        return f"办理环节{change}，精简 {pct_text(m.rate)}"
    if m.name == "承诺办结时限":
        change = change_text(m.before, m.after, m.unit, "缩短至", "延长至")
        return f"承诺办结时限{change}，压缩 {pct_text(m.rate)}"
    change = change_text(m.before, m.after, "次", "减少为")
    return f"到办事现场次数{change}，平均办事跑动减少 {pct_text(m.rate)}"


def bundle_sentence(b: BundleResult) -> str:
    """One 一件事 before → after, with the members not in the catalog noted."""
    parts = []
    if b.materials_after is not None:
        change = change_text(b.materials_sum, b.materials_after, "份", "简化为")
        parts.append(f"申请材料{change}（重复材料只计一次为 {b.materials_unique} 份）")
    if b.steps_after is not None:
        parts.append(f"办理环节{change_text(b.steps_sum, b.steps_after, '个', '减少为')}")
    if b.time_sum is not None and b.time_after is not None:
        unit = "个" + (b.time_unit or "")
        parts.append(f"办理时限{change_text(b.time_sum, b.time_after, unit, '缩短至', '延长至')}")
    if b.visits_after is not None:
        parts.append(f"跑动{change_text(b.visits_sum, b.visits_after, '次', '减少为')}")
    missing = f"（{len(b.missing)} 个成员实施编码不在目录中，未计入）" if b.missing else ""
    return f"{b.name}：" + "，".join(parts) + missing


def bundle_average_sentence(avg: dict[str, float | None]) -> str:
    """The mean reductions over all bundles."""
    return (
        f"一件事平均申请材料减少 {pct_text(avg['materials'])}、"
        f"平均办事环节减少 {pct_text(avg['steps'])}、"
        f"平均办理时限缩短 {pct_text(avg['time'])}、平均跑动减少 {pct_text(avg['visits'])}"
    )


def sentences(r: ReduceResult) -> list[str]:
    """The report sentences: legal limit, exclusions, ceiling, baseline, bundles."""
    out = [
        f"较法定时限减少 {number_text(t.saved)} 个{t.unit}、精简 {pct_text(t.rate)}"
        for t in r.totals()
    ]
    excluded = r.excluded()
    if excluded:
        detail = "，".join(f"{reason} {n} 项" for reason, n in excluded.items())
        out.append(
            f"参与计算的子项 {r.compared()} 项；未计入 {sum(excluded.values())} 项（{detail}）"
        )
    else:
        out.append(f"参与计算的子项 {r.compared()} 项")
    if r.ceiling is not None:
        over = len(r.over_ceiling())
        out.append(f"承诺时限超过法定时限 {r.ceiling * 100:.0f}% 的子项 {over} 项")
    if r.has_baseline:
        before, after = r.baseline_items, len(r.legal)
        change = "减少" if before >= after else "增加"
        out.append(f"事项由 {before} 项{change}为 {after} 项，{change} {abs(before - after)} 项")
        out += [measure_sentence(m) for m in r.measures()]
    out += [bundle_sentence(b) for b in r.bundles]
    if r.bundles:
        out.append(bundle_average_sentence(r.bundle_averages()))
    return out


# --- tables ------------------------------------------------------------------------------------


def _group_rows(totals: Iterable[UnitTotal]) -> tuple[tuple[Any, ...], ...]:
    return tuple((t.group, t.unit, t.leaves, t.legal, t.saved, pct_text(t.rate)) for t in totals)


def _limit(value: float | None, unit: str | None) -> str | None:
    return None if value is None or unit is None else f"{number_text(value)}个{unit}"


def legal_tables(r: ReduceResult) -> list[Table]:
    """Against the legal limit: totals, exclusions, by department and type, the distribution."""
    tables = [
        Table(
            "较法定时限",
            GROUP_HEADERS,
            tuple((t.unit, t.leaves, t.legal, t.saved, pct_text(t.rate)) for t in r.totals()),
        ),
        Table("未计入的子项", ("原因", "子项数"), tuple(r.excluded().items())),
        Table(
            "按部门（较法定时限）", ("部门", *GROUP_HEADERS), _group_rows(r.by_group("department"))
        ),
        Table(
            "按事项类型（较法定时限）",
            ("事项类型", *GROUP_HEADERS),
            _group_rows(r.by_group("item_type")),
        ),
        Table("压缩比例分布", ("压缩比例", "子项数"), tuple(r.distribution())),
    ]
    if r.ceiling is not None:
        tables.append(
            Table(
                f"承诺时限超过法定时限 {r.ceiling * 100:.0f}% 的子项",
                ("实施编码", "事项名称", "法定", "承诺"),
                tuple(
                    (row.impl_code, row.name, row.legal, row.promised) for row in r.over_ceiling()
                ),
            )
        )
    return tables


def baseline_tables(r: ReduceResult) -> list[Table]:
    """Against the baseline: the measures, by department, and the leaves only on one side."""
    if not r.has_baseline:
        return []
    before, after = r.baseline_items, len(r.legal)
    items = ("事项（项）", before, after, before - after, pct_text(r.items_rate()))
    measures = tuple(
        (f"{m.name}（{m.unit}）", m.before, m.after, m.reduced, pct_text(m.rate))
        for m in r.measures()
    )
    return [
        Table("较基线目录", ("项目", "之前", "现在", "减少", "精简"), (items, *measures)),
        Table(
            "按部门（较基线目录）",
            ("部门", "材料之前", "材料现在", "环节之前", "环节现在", "跑动之前", "跑动现在"),
            r.baseline_by_department(),
        ),
        Table(
            "基线中有、现在没有的子项",
            LIST_HEADERS,
            tuple((leaf.impl_code, leaf.name) for leaf in r.before_only),
        ),
        Table(
            "现在新增的子项",
            LIST_HEADERS,
            tuple((leaf.impl_code, leaf.name) for leaf in r.after_only),
        ),
    ]


BUNDLE_HEADERS = (
    "名称",
    "成员",
    "材料（合计）",
    "材料（去重）",
    "材料（之后）",
    "环节之前",
    "环节之后",
    "时限之前",
    "时限之后",
    "跑动之前",
    "跑动之后",
)


def bundle_tables(r: ReduceResult) -> list[Table]:
    """One row per 一件事 (none without bundles)."""
    if not r.bundles:
        return []
    rows = tuple(
        (
            b.name,
            b.members,
            b.materials_sum,
            b.materials_unique,
            b.materials_after,
            b.steps_sum,
            b.steps_after,
            _limit(b.time_sum, b.time_unit),
            _limit(b.time_after, b.time_unit),
            b.visits_sum,
            b.visits_after,
        )
        for b in r.bundles
    )
    return [Table("一件事", BUNDLE_HEADERS, rows)]


DETAIL_HEADERS = (
    "实施编码",
    "事项名称",
    "部门",
    "事项类型",
    "法定",
    "承诺",
    "单位",
    "减少",
    "压缩比例",
    "未计入原因",
)


def detail_table(r: ReduceResult) -> Table:
    """子项明细: every leaf against its legal limit."""
    rows = tuple(
        (
            row.impl_code,
            row.name,
            row.department,
            row.item_type,
            row.legal,
            row.promised,
            row.unit,
            row.saved,
            pct_text(row.rate) if row.rate is not None else None,
            row.excluded,
        )
        for row in r.legal
    )
    return Table("子项明细", DETAIL_HEADERS, rows)


# --- JSON --------------------------------------------------------------------------------------


def _total(t: UnitTotal, group_key: str | None = None) -> dict[str, Any]:
    group = {group_key: t.group} if group_key else {}
    return {
        **group,
        "unit": t.unit,
        "leaves": t.leaves,
        "legal": t.legal,
        "saved": t.saved,
        "percent": t.rate,
    }


def legal_data(r: ReduceResult) -> dict[str, Any]:
    """The ``legal`` object of the JSON document."""
    return {
        "totals": [_total(t) for t in r.totals()],
        "excluded": r.excluded(),
        "by_department": [_total(t, "department") for t in r.by_group("department")],
        "by_item_type": [_total(t, "item_type") for t in r.by_group("item_type")],
        "distribution": [{"bucket": label, "leaves": n} for label, n in r.distribution()],
        "ceiling": r.ceiling,
        "over_ceiling": [row.impl_code for row in r.over_ceiling()],
        "leaves": [
            {
                "impl_code": row.impl_code,
                "name": row.name,
                "department": row.department,
                "item_type": row.item_type,
                "legal": row.legal,
                "promised": row.promised,
                "unit": row.unit,
                "saved": row.saved,
                "percent": row.rate,
                "excluded": row.excluded,
            }
            for row in r.legal
        ],
    }


def baseline_data(r: ReduceResult) -> dict[str, Any]:
    """The ``baseline`` object of the JSON document."""
    return {
        "files": list(r.baseline_files),
        "items": {"before": r.baseline_items, "after": len(r.legal)},
        "measures": [
            {
                "name": m.name,
                "unit": m.unit,
                "before": m.before,
                "after": m.after,
                "reduced": m.reduced,
                "percent": m.rate,
            }
            for m in r.measures()
        ],
        "matched": [
            {"before": p.before.impl_code, "after": p.after.impl_code, "by": p.matched_by}
            for p in r.pairs
        ],
        "before_only": [leaf.impl_code or leaf.name for leaf in r.before_only],
        "after_only": [leaf.impl_code or leaf.name for leaf in r.after_only],
    }


def bundle_data(b: BundleResult) -> dict[str, Any]:
    """One item of ``bundles.items`` in the JSON document."""
    return {
        "name": b.name,
        "members": b.members,
        "missing": list(b.missing),
        "materials": {
            "before": b.materials_sum,
            "before_unique": b.materials_unique,
            "after": b.materials_after,
        },
        "steps": {"before": b.steps_sum, "after": b.steps_after},
        "time": {"unit": b.time_unit, "before": b.time_sum, "after": b.time_after},
        "visits": {"before": b.visits_sum, "after": b.visits_after},
        "percent": b.rates(),
    }


def reduce_data(r: ReduceResult, report_sentences: list[str]) -> dict[str, Any]:
    """The JSON document (keys documented in docs/reduce.md)."""
    data: dict[str, Any] = {"files": list(r.files), "legal": legal_data(r)}
    if r.has_baseline:
        data["baseline"] = baseline_data(r)
    if r.bundles:
        data["bundles"] = {
            "items": [bundle_data(b) for b in r.bundles],
            "average_percent": r.bundle_averages(),
        }
    data["sentences"] = report_sentences
    return data


def reduce_report(result: ReduceResult) -> Report:
    """The reduce result as a report every renderer takes."""
    said = sentences(result)
    return Report(
        title=TITLE,
        summary={
            "leaves": len(result.legal),
            "compared": result.compared(),
            "excluded": sum(result.excluded().values()),
        },
        sentences=tuple(said),
        tables=tuple(legal_tables(result) + baseline_tables(result) + bundle_tables(result)),
        details=(detail_table(result),),
        data=reduce_data(result, said),
    )


# --- several files -----------------------------------------------------------------------------


def file_table(results: list[ReduceResult]) -> Table:
    """One row per file: its leaves, how many were compared, and the time saved per unit."""
    rows = tuple(
        (
            "、".join(r.files),
            len(r.legal),
            r.compared(),
            sum(r.excluded().values()),
            "；".join(
                f"{number_text(t.saved)} 个{t.unit}（{pct_text(t.rate)}）" for t in r.totals()
            )
            or "—",
        )
        for r in results
    )
    return Table("按文件", ("文件", "子项", "参与计算", "未计入", "较法定时限减少"), rows)


def files_report(results: list[ReduceResult], total: ReduceResult) -> Report:
    """Several files, each its own catalog: the 按文件 table, each file's sentences under its
    name, then the total's sentences and tables; the JSON is the total's document with a
    ``per_file`` list of the files' documents (docs/reduce.md). One file: :func:`reduce_report`."""
    said, data = per_file_sections(results, total, sentences, reduce_data, "计算")
    return Report(
        title=TITLE,
        summary={
            "leaves": len(total.legal),
            "compared": total.compared(),
            "excluded": sum(total.excluded().values()),
        },
        sentences=tuple(said),
        tables=(
            file_table(results),
            *legal_tables(total),
            *baseline_tables(total),
            *bundle_tables(total),
        ),
        details=(detail_table(total),),
        data=data,
    )
