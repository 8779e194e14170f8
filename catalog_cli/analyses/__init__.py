"""Analyses: catalogs in, plain result objects out (no file is opened here)."""
