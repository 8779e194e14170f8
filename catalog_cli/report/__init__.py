"""Findings and the report renderers."""
