"""Two inputs merged into one catalog that hold largely the same items.

A folder often keeps one export twice (the same data as JSON and as CSV) or two versions of one
catalog; merged, each item then stands twice. The share that counts is schema data
(``x-inputs-overlap`` in ``schemas/catalog.schema.json``).
"""

from __future__ import annotations

from itertools import combinations

from catalog_cli.model import Catalog
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.records import Source
from catalog_cli.schema import load_schema

OVERLAP = "inputs-overlap"


def impl_codes_by_file(catalog: Catalog) -> dict[str, set[str]]:
    """Each input file's 实施编码 (of the leaves read from it), in reading order."""
    out: dict[str, set[str]] = {}
    for leaf in catalog.iter_leaves():
        if leaf.source and leaf.source.file and leaf.impl_code:
            out.setdefault(leaf.source.file, set()).add(leaf.impl_code)
    return out


def overlapping_inputs(catalog: Catalog) -> list[Finding]:
    """A warning for each pair of the catalog's input files whose 实施编码 coincide for at
    least ``min_share`` of the smaller one's."""
    return overlap_findings(impl_codes_by_file(catalog))


def overlap_findings(codes_by_file: dict[str, set[str]]) -> list[Finding]:
    """:func:`overlapping_inputs` on each file's 实施编码, in reading order (the streaming
    reader collects them from its workers)."""
    share = load_schema().raw["x-inputs-overlap"]["min_share"]
    found = []
    for (a, ours), (b, theirs) in combinations(codes_by_file.items(), 2):
        shared = len(ours & theirs)
        smaller = min(len(ours), len(theirs))
        if shared and shared >= share * smaller:
            found.append(
                make_finding(
                    OVERLAP,
                    "warning",
                    Source(b),
                    f"{b} 与 {a} 有 {shared} 个子项的实施编码相同（占较少一方的 "
                    f"{shared / smaller:.0%}）：多半是同一目录的两份导出或两个版本，合并后这些"
                    "子项各出现两次；请只给出其中一个文件，或不合并（每个文件作为一个目录）",
                    value=str(shared),
                )
            )
    return found
