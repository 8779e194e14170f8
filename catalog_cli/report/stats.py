"""The ``catalog stats`` report: sentences, summary tables and the JSON document (docs/stats.md)."""

from __future__ import annotations

from typing import Any

from catalog_cli.analyses.stats import UNKNOWN, StatsResult
from catalog_cli.model.values import number_text, pct_text
from catalog_cli.report.shape import Report, Table

TITLE = "目录统计"


def sentences(result: StatsResult) -> list[str]:
    """The counts, one sentence per share, then the means."""
    r = result
    out = [f"共有主项 {r.main_items} 项、子项 {r.leaves} 项、办理情形 {r.situations} 个。"]
    out += [f"{s.name} {s.count} 项，占比 {pct_text(s.pct)}" for s in r.shares]
    out.append(
        f"平均到办事现场次数 {number_text(r.visits_mean)} 次；"
        f"每个子项平均申请材料 {number_text(r.materials_mean)} 份（最多 {r.materials_max} 份）、"
        f"办理环节 {number_text(r.steps_mean)} 个（最多 {r.steps_max} 个）。"
    )
    return out


def tables(result: StatsResult) -> list[Table]:
    """One table per breakdown, the shares, and the distribution of visits."""
    out = [
        Table(f"按{b.dimension}", (b.dimension, "主项", "子项", "办理情形"), b.rows)
        for b in result.breakdowns
    ]
    out.append(
        Table(
            "占比",
            ("口径", "子项数", "占比", "说明"),
            tuple((s.name, s.count, pct_text(s.pct), s.note) for s in result.shares),
        )
    )
    visits = [(str(v), n, pct_text(result.visits_share(n))) for v, n in result.visits]
    if result.visits_unknown:
        unknown = result.visits_unknown
        visits.append((UNKNOWN, unknown, pct_text(result.visits_share(unknown))))
    out.append(Table("到办事现场次数分布", ("次数", "子项数", "占比"), tuple(visits)))
    return out


def stats_data(result: StatsResult, report_sentences: list[str]) -> dict[str, Any]:
    """The JSON document (keys documented in docs/stats.md)."""
    r = result
    return {
        "files": list(r.files),
        "counts": {"main_items": r.main_items, "leaves": r.leaves, "situations": r.situations},
        "by": {
            b.dimension: [
                {"name": name, "main_items": mains, "leaves": leaves, "situations": situations}
                for name, mains, leaves, situations in b.rows
            ]
            for b in r.breakdowns
        },
        "shares": [
            {"name": s.name, "count": s.count, "total": s.total, "percent": s.pct, "note": s.note}
            for s in r.shares
        ],
        "visits": {
            "distribution": [{"visits": v, "leaves": n} for v, n in r.visits],
            "unknown": r.visits_unknown,
            "mean": r.visits_mean,
        },
        "materials_per_leaf": {"mean": r.materials_mean, "max": r.materials_max},
        "steps_per_leaf": {"mean": r.steps_mean, "max": r.steps_max},
        "sentences": report_sentences,
    }


def stats_report(result: StatsResult) -> Report:
    """The stats result as a report every renderer takes."""
    said = sentences(result)
    return Report(
        title=TITLE,
        summary={
            "main_items": result.main_items,
            "leaves": result.leaves,
            "situations": result.situations,
        },
        sentences=tuple(said),
        tables=tuple(tables(result)),
        data=stats_data(result, said),
    )
