"""Checks that turn a catalog into findings: element (schema), cross-field and code rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog_cli.checks import codes
from catalog_cli.checks.code_rules import check_leaf_codes, check_main_codes, local_codes
from catalog_cli.checks.column_code_rules import check_column_codes
from catalog_cli.checks.column_rules import check_column_rules
from catalog_cli.checks.column_tree import check_column_tree
from catalog_cli.checks.columns import check_tables
from catalog_cli.checks.elements import check_elements
from catalog_cli.checks.rules import check_leaf
from catalog_cli.checks.tree import check_tree
from catalog_cli.model import Catalog
from catalog_cli.model.findings import Finding
from catalog_cli.schema import load_schema

if TYPE_CHECKING:  # checks never import readers: the tables come from the caller
    from catalog_cli.read.tables import WorkbookTables

__all__ = ["check_catalog", "check_workbook_tables"]

# code findings that check_catalog makes in its loop over main items, before the leaves' rules
MAIN_LOOP_CODES = ("basic-code-main-mismatch", "sub-code-suffix")


def check_catalog(catalog: Catalog, *, reference: bool = False) -> list[Finding]:
    """Every finding for a catalog: schema elements, cross-field, code and catalog-wide rules."""
    findings = check_elements(catalog, reference=reference)
    local = codes.local_schemes(catalog.code_schemes)
    for main in catalog.main_items:
        findings.extend(check_main_codes(main, local))
    for leaf in catalog.iter_leaves():
        findings.extend(check_leaf(leaf))
        findings.extend(check_leaf_codes(leaf, local))
    findings.extend(local_codes(catalog, local))
    findings.extend(check_tree(catalog))
    return findings


def check_workbook_tables(tables: WorkbookTables) -> list[Finding]:
    """Every finding for a standard workbook read as tables, in :func:`check_catalog`'s order.

    Elements, then the main items' code rules (with their subs' codes), then the leaves' rules,
    then the leaves' own code rules, then the catalog-wide rules: sorted by sheet and row, the
    findings of one row come in the order the record path gives them.
    """
    main_sheet = next(s.name for s in load_schema().sheets if s.record == "main_item")
    codes = check_column_codes(tables)
    in_main_loop = [f for f in codes if f.sheet == main_sheet or f.code in MAIN_LOOP_CODES]
    own = [f for f in codes if not (f.sheet == main_sheet or f.code in MAIN_LOOP_CODES)]
    rules = check_column_rules(tables)
    tree = check_column_tree(tables)
    # the element checks come first in the result but run last: the columns the rules keep
    # converted are shared, and the long texts only they read are freed one by one
    return [*check_tables(tables), *in_main_loop, *rules, *own, *tree]
