"""Checks that turn a catalog into findings: element (schema), cross-field and code rules."""

from __future__ import annotations

from catalog_cli.checks.code_rules import check_leaf_codes, check_main_codes
from catalog_cli.checks.elements import check_elements
from catalog_cli.checks.rules import check_leaf
from catalog_cli.checks.tree import check_tree
from catalog_cli.model import Catalog
from catalog_cli.model.findings import Finding

__all__ = ["check_catalog"]


def check_catalog(catalog: Catalog, *, reference: bool = False) -> list[Finding]:
    """Every finding for a catalog: schema elements, cross-field, code and catalog-wide rules."""
    findings = check_elements(catalog, reference=reference)
    for main in catalog.main_items:
        findings.extend(check_main_codes(main))
    for leaf in catalog.iter_leaves():
        findings.extend(check_leaf(leaf))
        findings.extend(check_leaf_codes(leaf))
    findings.extend(check_tree(catalog))
    return findings
