"""Checks that turn a catalog into findings: element (schema), cross-field and code rules."""
