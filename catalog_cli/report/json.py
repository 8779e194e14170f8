"""Render a report as JSON: the command's documented document, UTF-8, indented."""

from __future__ import annotations

import json

from catalog_cli.report.shape import Report


def render_json(report: Report) -> str:
    """The report's JSON document (:meth:`Report.json_data`) as text."""
    return json.dumps(report.json_data(), ensure_ascii=False, indent=2) + "\n"
