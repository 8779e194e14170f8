"""A validation result as the one report shape: the JSON summary, the verdict, the 按规则统计 table.

Text comes from :func:`catalog_cli.report.text.render_text`, JSON from
:func:`catalog_cli.report.json.render_json`.
"""

from __future__ import annotations

from typing import Any

from catalog_cli.analyses.validate import EMPTY_CATALOG, FileSummary, ValidationResult
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
        **({"per_file": [file_data(f) for f in result.per_file]} if per_file(result) else {}),
    }


def per_file(result: ValidationResult) -> bool:
    """Whether the result is of several files validated each as its own catalog."""
    return len(result.per_file) > 1


def file_status(summary: FileSummary) -> str:
    """``read``, ``skipped`` (holds no catalog) or ``unreadable``."""
    return "unreadable" if summary.unreadable else "read" if summary.read else "skipped"


def file_data(summary: FileSummary) -> dict[str, Any]:
    """One file's entry in the JSON summary's ``per_file`` list (docs/findings.md)."""
    return {
        "file": summary.file,
        "status": file_status(summary),
        "main_items": summary.main_items,
        "leaves": summary.leaves,
        "total": sum(summary.by_severity.values()),
        "by_severity": {s: summary.by_severity.get(s, 0) for s in SEVERITIES},
    }


def severity_counts(by_severity: dict[str, int]) -> str:
    """错误 N 个，警告 N 个，提示 N 个."""
    return "，".join(f"{SEVERITY_LABEL[s]} {by_severity.get(s, 0)} 个" for s in SEVERITIES)


def file_failed(summary: FileSummary, fail_on: str) -> bool:
    """Whether one file's findings reach ``fail_on``."""
    limit = SEVERITIES.index(fail_on)
    return any(summary.by_severity.get(s, 0) for s in SEVERITIES[: limit + 1])


def file_line(summary: FileSummary, fail_on: str = "error") -> str:
    """The summary line of one file validated as its own catalog."""
    status = file_status(summary)
    if status == "unreadable":
        return f"{summary.file}：无法读取。"
    if status == "skipped":
        return f"{summary.file}：不是目录数据，已跳过。"
    outcome = "不通过" if file_failed(summary, fail_on) else "通过"
    return (
        f"{summary.file}：{outcome}，主项 {summary.main_items} 项，子项 {summary.leaves} 项；"
        f"{severity_counts(summary.by_severity)}。"
    )


def verdict(result: ValidationResult, fail_on: str = "error") -> str:
    """The verdict line: 通过, 不通过 (findings at ``fail_on`` or worse), 未完成 (unreadable)."""
    counts = severity_counts(result.by_severity)
    outcome = "未完成" if result.errors else "不通过" if result.failed(fail_on) else "通过"
    unread = f"（其中 {len(result.errors)} 个无法读取）" if result.errors else ""
    each = ""
    if per_file(result):
        failed = sum(1 for f in result.per_file if f.read and file_failed(f, fail_on))
        each = "，每个文件作为一个目录校验" + (f"，{failed} 个不通过" if failed else "")
    total = "合计" if per_file(result) else ""
    scope = (
        f"{len(result.files)} 个文件{unread}{each}，{total}主项 {result.main_items} 项，"
        f"子项 {result.leaves} 项"
    )
    empty = result.by_code.get(EMPTY_CATALOG, 0)
    if empty:
        scope += f"；其中 {empty} 个目录为空" if per_file(result) else "；目录为空"
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
        sentences=(
            *(file_line(f, fail_on) for f in result.per_file if per_file(result)),
            verdict(result, fail_on),
        ),
        tables=(rule_table(result),) if result.by_code else (),
        findings=result.findings,
        notes=(truncation_note(result),) if result.truncated else (),
        data={"summary": summary, "findings": [f.to_dict() for f in result.findings]},
        layout=LAYOUT,
    )
