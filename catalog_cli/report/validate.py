"""A validation result as the one report shape: the JSON summary, the verdict, the 按规则统计 table.

Text comes from :func:`catalog_cli.report.text.render_text`, JSON from
:func:`catalog_cli.report.json.render_json`.
"""

from __future__ import annotations

from typing import Any

from catalog_cli.analyses.validate import ValidationResult
from catalog_cli.model.findings import SEVERITIES
from catalog_cli.report.findings import SEVERITY_LABEL
from catalog_cli.report.shape import Report, Table, TextLayout

TITLE = "目录校验结果"
RULE_TABLE = "按规则统计"
# the findings listing: the cut note under the findings, the verdict straight after the counts
LAYOUT = TextLayout(gap=False, notes_first=True, wrap=True)


def validation_summary(result: ValidationResult) -> dict[str, Any]:
    """The counts the JSON output puts under ``summary``."""
    return {
        "files": list(result.files),
        "main_items": result.main_items,
        "leaves": result.leaves,
        "total": result.total,
        "by_severity": {s: result.by_severity.get(s, 0) for s in SEVERITIES},
        "by_code": dict(result.by_code),
        "shown": result.shown,
        "truncated": result.truncated,
        "max_findings": result.max_findings,
        "unreadable": list(result.errors),
    }


def verdict(result: ValidationResult, fail_on: str = "error") -> str:
    """The verdict line: 通过, 不通过 (findings at ``fail_on`` or worse), 未完成 (unreadable)."""
    counts = "，".join(f"{SEVERITY_LABEL[s]} {result.by_severity.get(s, 0)} 个" for s in SEVERITIES)
    outcome = "未完成" if result.errors else "不通过" if result.failed(fail_on) else "通过"
    unread = f"（其中 {len(result.errors)} 个无法读取）" if result.errors else ""
    scope = (
        f"{len(result.files)} 个文件{unread}，主项 {result.main_items} 项，子项 {result.leaves} 项"
    )
    return f"校验{outcome}：{scope}；{counts}。"


def truncation_note(result: ValidationResult) -> str:
    """The line saying the list was cut."""
    return (
        f"（只列出前 {result.shown} 条，共 {result.total} 条；用 --max-findings 调整，"
        "或用 -f xlsx / -f json 查看全部）"
    )


def rule_table(result: ValidationResult) -> Table:
    """Findings per rule, with the rule's severity."""
    rows = tuple(
        (code, SEVERITY_LABEL[result.code_severity[code]], n) for code, n in result.by_code.items()
    )
    return Table(RULE_TABLE, ("规则", "级别", "数量"), rows)


def validation_report(result: ValidationResult, fail_on: str = "error") -> Report:
    """The report: findings, the cut note, the 按规则统计 table, the verdict; JSON as documented."""
    summary = validation_summary(result)
    return Report(
        title=TITLE,
        summary=summary,
        sentences=(verdict(result, fail_on),),
        tables=(rule_table(result),) if result.by_code else (),
        findings=result.findings,
        notes=(truncation_note(result),) if result.truncated else (),
        data={"summary": summary, "findings": [f.to_dict() for f in result.findings]},
        layout=LAYOUT,
    )
