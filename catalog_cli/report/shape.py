"""The one report shape every command's result becomes, and every renderer takes.

A report is a title, a summary (the counts, which the JSON form puts first), sentences as an
official report prints them, titled tables, per-item detail tables, findings and notes. The JSON
form is the report's ``data`` when a command documents its own stable keys, else the summary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog_cli.model.findings import Finding


@dataclass(frozen=True)
class Table:
    """A titled table of plain values (text, numbers, None)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class TextLayout:
    """How the text renderer lays a report out (the defaults: the stats and reduce layout).

    - ``gap``: a blank line between the tables and the sentences;
    - ``notes_first``: the notes straight after the findings, before the tables (they are about
      the findings listed), rather than after the tables;
    - ``wrap``: text rendered into a buffer (a file) folds lines longer than the width.
    """

    gap: bool = True
    notes_first: bool = False
    wrap: bool = False


@dataclass(frozen=True)
class Report:
    """What a command has to say, in the form every renderer takes.

    - ``summary``: the counts (JSON keys, English, stable);
    - ``sentences``: report sentences in Chinese, printed as they are;
    - ``tables``: summary tables; ``details``: per-item tables (the xlsx 子项明细 sheet, Markdown,
      and text output with ``--details``);
    - ``findings``: problems in the data, rendered by the findings renderers;
    - ``notes``: lines printed after the tables (a cut list, say);
    - ``data``: the JSON document when the command documents its own keys;
    - ``layout``: how the text renderer lays it out.
    """

    title: str
    summary: Mapping[str, Any] = field(default_factory=dict)
    sentences: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    details: tuple[Table, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    data: Mapping[str, Any] | None = None
    layout: TextLayout = TextLayout()

    def json_data(self) -> Mapping[str, Any]:
        """The JSON document: ``data`` when given, else the summary and the sentences."""
        if self.data is not None:
            return self.data
        return {"summary": dict(self.summary), "sentences": list(self.sentences)}


def per_file_sections(
    results: Sequence[Any],
    total: Any,
    sentences: Callable[[Any], list[str]],
    document: Callable[[Any, list[str]], dict[str, Any]],
    verb: str,
) -> tuple[list[str], dict[str, Any]]:
    """The sentences and JSON document of several files, each its own catalog: each file's
    sentences under its name, then the total's (``verb``: what was done to each, e.g. 统计);
    the document is the total's with a ``per_file`` list of the files' documents."""
    said: list[str] = []
    per_file = []
    for result in results:
        own = sentences(result)
        said += [f"【{'、'.join(result.files)}】", *own]
        per_file.append(document(result, own))
    overall = sentences(total)
    said += [f"【合计：{len(results)} 个文件，每个文件作为一个目录{verb}】", *overall]
    data = document(total, overall)
    data["per_file"] = per_file
    return said, data
