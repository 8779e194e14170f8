"""The ``catalog stats`` report: sentences, summary tables and the JSON document (docs/stats.md)."""

from __future__ import annotations

from typing import Any

from catalog_cli.analyses.stats import UNKNOWN, Share, StatsResult
from catalog_cli.model.values import number_text, pct_text
from catalog_cli.report.shape import Report, Table, per_file_sections

TITLE = "目录统计"
NO_DATA = "无数据"


def share_sentence(s: Share) -> str:
    """“一次办 5 项，占子项 6 项的 83.33%”; “网上办 无数据（1135 项未填写）” when the rule's
    elements are empty for every leaf (not a false 0 %)."""
    if s.no_data:
        return f"{s.name} {NO_DATA}（{s.unfilled} 项未填写）"
    unfilled = f"（{s.unfilled} 项未填写）" if s.unfilled else ""
    return f"{s.name} {s.count} 项，占子项 {s.total} 项的 {pct_text(s.pct)}{unfilled}"


def share_pct_text(s: Share) -> str:
    """A share's percentage in a table cell: 无数据 when no leaf has its elements filled."""
    return NO_DATA if s.no_data else pct_text(s.pct)


def sentences(result: StatsResult) -> list[str]:
    """The counts, one sentence per share, then the means."""
    r = result
    out = [f"共有主项 {r.main_items} 项、子项 {r.leaves} 项、办理情形 {r.situations} 个。"]
    out += [share_sentence(s) for s in r.shares]
    materials = _mean_text(r.materials_mean, r.materials_max, "份", r.leaves)
    steps = _mean_text(r.steps_mean, r.steps_max, "个", r.leaves)
    out.append(
        f"平均到办事现场次数 {number_text(r.visits_mean)} 次；"
        f"每个子项平均申请材料{materials}、办理环节{steps}。"
    )
    return out


def _mean_text(mean: float | None, most: int, unit: str, leaves: int) -> str:
    """“ 4.86 份（最多 9 份）”, or “无数据（N 项未填写）” when no leaf has any (a list every
    leaf should have: none at all means the catalog does not record it, not zero)."""
    if leaves and not most:
        return f"{NO_DATA}（{leaves} 项未填写）"
    return f" {number_text(mean)} {unit}（最多 {most} {unit}）"


def tables(result: StatsResult) -> list[Table]:
    """One table per breakdown, the shares, and the distribution of visits."""
    out = [
        Table(f"按{b.dimension}", (b.dimension, "主项", "子项", "办理情形"), b.rows)
        for b in result.breakdowns
    ]
    out.append(
        Table(
            "占比",
            ("口径", "子项数", "子项总数", "占比", "未填写", "说明"),
            tuple(
                (s.name, s.count, s.total, share_pct_text(s), s.unfilled, s.note)
                for s in result.shares
            ),
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
            {
                "name": s.name,
                "count": s.count,
                "total": s.total,
                "percent": s.pct,
                "unfilled": s.unfilled,
                "note": s.note,
            }
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


def summary(result: StatsResult) -> dict[str, int]:
    """The counts the JSON form puts first."""
    return {
        "main_items": result.main_items,
        "leaves": result.leaves,
        "situations": result.situations,
    }


def stats_report(result: StatsResult) -> Report:
    """The stats result as a report every renderer takes."""
    said = sentences(result)
    return Report(
        title=TITLE,
        summary=summary(result),
        sentences=tuple(said),
        tables=tuple(tables(result)),
        data=stats_data(result, said),
    )


def file_table(results: list[StatsResult]) -> Table:
    """One row per file: its counts and each share's percentage."""
    names = tuple(s.name for s in results[0].shares)
    rows = tuple(
        (
            "、".join(r.files),
            r.main_items,
            r.leaves,
            r.situations,
            *(share_pct_text(s) for s in r.shares),
        )
        for r in results
    )
    return Table("按文件", ("文件", "主项", "子项", "办理情形", *names), rows)


def files_report(results: list[StatsResult], total: StatsResult) -> Report:
    """Several files, each its own catalog: the 按文件 table, each file's sentences under its
    name, then the total's sentences and tables; the JSON is the total's document with a
    ``per_file`` list of the files' documents (docs/stats.md). One file: :func:`stats_report`."""
    said, data = per_file_sections(results, total, sentences, stats_data, "统计")
    return Report(
        title=TITLE,
        summary=summary(total),
        sentences=tuple(said),
        tables=(file_table(results), *tables(total)),
        data=data,
    )
